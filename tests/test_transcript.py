"""Transcripts (WebVTT, SRT) and Podcasting 2.0 JSON chapters."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.errors import OutputError
from narrate.transcript import (
    Cue,
    Mark,
    format_timestamp,
    write_chapters_json,
    write_srt,
    write_vtt,
)

VTT_TIME = re.compile(
    r"^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$"
)


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_vtt(text: str) -> list[tuple[str | None, float, float, str]]:
    """A strict little reader: (cue id, start, end, payload) per cue."""
    assert text.startswith("WEBVTT\n") and text.endswith("\n")
    cues = []
    for block in text[len("WEBVTT") :].strip("\n").split("\n\n"):
        if not block.strip():
            continue
        lines = block.split("\n")
        cue_id = None
        if not VTT_TIME.match(lines[0]):
            cue_id = lines.pop(0)
        match = VTT_TIME.match(lines[0])
        assert match, lines[0]
        g = match.groups()
        cues.append((cue_id, _seconds(*g[:4]), _seconds(*g[4:]), "\n".join(lines[1:])))
    return cues


def test_timestamps_are_exact() -> None:
    assert format_timestamp(0) == "00:00:00.000"
    assert format_timestamp(3723.456) == "01:02:03.456"
    assert format_timestamp(59.9996) == "00:01:00.000"
    assert format_timestamp(3723.456, sep=",") == "01:02:03,456"
    assert format_timestamp(100 * 3600 + 1.5) == "100:00:01.500"


def test_vtt_voice_tags_escaping_and_ids(tmp_path: Path) -> None:
    cues = [
        Cue(0.0, 1.25, None, "The door opened.", id="1.1.1"),
        Cue(1.25, 2.5, "Sakura", '"Tom & Jerry <3 -> you," she said', id="1.1.2"),
        Cue(2.5, 4.0, "Mr. <Odd> & Co", "Hi.", id="1.1.3"),
    ]
    path = write_vtt(cues, tmp_path / "t.vtt", duration=4.0)
    text = path.read_text(encoding="utf-8")
    parsed = parse_vtt(text)
    assert [c[0] for c in parsed] == ["1.1.1", "1.1.2", "1.1.3"]
    assert parsed[0][3] == "The door opened."  # narration: no voice tag
    assert parsed[1][3] == '<v Sakura>"Tom &amp; Jerry &lt;3 -&gt; you," she said'
    assert parsed[2][3] == "<v Mr. &lt;Odd&gt; &amp; Co>Hi."
    assert [(c[1], c[2]) for c in parsed] == [(0.0, 1.25), (1.25, 2.5), (2.5, 4.0)]
    assert "-->" not in text.replace(" --> ", "")


def test_blank_lines_inside_a_line_cannot_end_the_cue(tmp_path: Path) -> None:
    cues = [
        Cue(0, 1, None, "first verse\n\n  second verse\n"),
        Cue(1, 2, None, "   \n "),
        Cue(2, 3, " \n", "Who?"),
    ]
    parsed = parse_vtt(write_vtt(cues, tmp_path / "t.vtt").read_text(encoding="utf-8"))
    assert len(parsed) == 2  # the whitespace-only cue carries no text
    assert parsed[0][3] == "first verse\nsecond verse"
    assert parsed[1][3] == "Who?"  # a blank speaker name is no speaker


def test_srt_numbering_commas_and_speaker_prefix(tmp_path: Path) -> None:
    cues = [Cue(0.5, 1.0, None, "Rain."), Cue(1.0, 61.001, "Kaito", "Run & <hide>!")]
    text = write_srt(cues, tmp_path / "t.srt").read_text(encoding="utf-8")
    assert text == (
        "1\n00:00:00,500 --> 00:00:01,000\nRain.\n\n"
        "2\n00:00:01,000 --> 00:01:01,001\nKaito: Run & <hide>!\n"
    )


def test_overlaps_and_overruns_raise_but_float_noise_is_clamped(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="overlaps"):
        write_vtt([Cue(0, 2, None, "a"), Cue(1.5, 3, None, "b")], tmp_path / "x.vtt")
    with pytest.raises(ValueError, match="ends after"):
        write_vtt([Cue(0, 2, None, "a")], tmp_path / "x.vtt", duration=1.5)
    with pytest.raises(ValueError, match="bad times"):
        write_srt([Cue(2, 1, None, "a")], tmp_path / "x.srt")
    assert not (tmp_path / "x.vtt").exists() and not (tmp_path / "x.srt").exists()

    noisy = [Cue(0, 1.0004, None, "a"), Cue(0.9996, 2.0004, None, "b")]
    parsed = parse_vtt(write_vtt(noisy, tmp_path / "ok.vtt", duration=2.0).read_text())
    assert [(c[1], c[2]) for c in parsed] == [(0.0, 1.0), (1.0, 2.0)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 30, allow_nan=False),
            st.floats(0.001, 30, allow_nan=False),
            st.one_of(st.none(), st.text(min_size=1, max_size=12)),
            st.text(min_size=1, max_size=40),
        ),
        max_size=15,
    )
)
def test_vtt_round_trips_any_text_and_stays_monotonic(
    tmp_path_factory: pytest.TempPathFactory, raw: list[tuple[float, float, str | None, str]]
) -> None:
    cues, t = [], 0.0
    for gap, length, speaker, text in raw:
        cues.append(Cue(t + gap, t + gap + length, speaker, text))
        t += gap + length
    path = write_vtt(cues, tmp_path_factory.mktemp("v") / "t.vtt", duration=t)
    parsed = parse_vtt(path.read_text(encoding="utf-8"))
    kept = [c for c in cues if "".join(c.text.split())]
    assert len(parsed) == len(kept)
    previous_end = 0.0
    for cue, (_, start, end, payload) in zip(kept, parsed, strict=True):
        assert previous_end <= start <= end <= round(t, 3) + 1e-9
        previous_end = end
        body = payload
        if cue.speaker and " ".join(cue.speaker.split()):
            assert body.startswith("<v ")
            body = body[body.index(">") + 1 :]
        assert "<" not in body and ">" not in body
        unescaped = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert unescaped.split() == cue.text.split()  # every word kept, in order


def test_chapters_json_flattens_scenes_and_sets_end_times(tmp_path: Path) -> None:
    marks = [
        Mark(0.0, "Prologue"),
        Mark(
            12.5,
            "The Storm",
            (Mark(12.5, "Scene 1"), Mark(40.25, "Scene 2"), Mark(70.0, "Scene 3")),
        ),
    ]
    path = write_chapters_json(marks, tmp_path / "c.json", duration=100.0, title="Ep")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == "1.2.0" and doc["title"] == "Ep"
    assert doc["chapters"] == [
        {"startTime": 0.0, "title": "Prologue", "endTime": 12.5},
        {"startTime": 12.5, "title": "The Storm", "endTime": 40.25},
        {"startTime": 40.25, "title": "The Storm — Scene 2", "endTime": 70.0},
        {"startTime": 70.0, "title": "The Storm — Scene 3", "endTime": 100.0},
    ]


def test_chapters_json_rejects_disorder_and_marks_past_the_end(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="before the previous"):
        write_chapters_json([Mark(10, "b"), Mark(5, "a")], tmp_path / "c.json")
    with pytest.raises(ValueError, match="after the end"):
        write_chapters_json([Mark(0, "a"), Mark(50, "b")], tmp_path / "c.json", duration=50)
    assert not (tmp_path / "c.json").exists()


def test_writes_are_atomic_and_errors_are_output_errors(tmp_path: Path) -> None:
    target = tmp_path / "t.vtt"
    target.write_text("old", encoding="utf-8")
    write_vtt([Cue(0, 1, None, "new")], target)
    assert "new" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.vtt"]  # no temp file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    with pytest.raises(OutputError, match="missing"):
        write_srt([Cue(0, 1, None, "x")], tmp_path / "missing" / "t.srt")
