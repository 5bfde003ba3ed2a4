"""Render end to end on a tiny original work: every output is read back with
mutagen and ffmpeg (chapters, tags, cover, loudness, durations), and the cache
behaviour (re-run, one-word edit, SIGKILL mid-render) is checked for real."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from narrate import audio
from narrate.cli import main
from narrate.render import TRUE_PEAK_MARGIN, RenderSettings, render, slugify

STORY = """\
The Brass Key

By Ilse Marrow


Chapter 1: The Locked Door

Pell found the key in the gutter outside the bakery.

"That is mine," said a woman in a green shawl. "I dropped it this morning."

"Then tell me what it opens," Pell said.



The woman only smiled and walked away.

Chapter 2: Morning

By morning the door at the end of the lane stood open.

"You came," the woman said. "I hoped you would."
"""

RATE = 22050


def _write(tmp_path: Path, text: str = STORY) -> Path:
    work = tmp_path / "brass-key.txt"
    work.write_text(text, encoding="utf-8")
    return work


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, Path]:
    tmp = tmp_path_factory.mktemp("render")
    work = _write(tmp)
    cache = tmp / "cache"
    settings = RenderSettings(
        out_dir=tmp / "out", cache_dir=cache, split_chapters=True, workers=2, progress=False
    )
    result = render(work, settings)
    return tmp, result, cache


def test_files_and_summary(rendered: tuple[Path, object, Path]) -> None:
    tmp, result, _ = rendered
    out = tmp / "out" / "the-brass-key"
    for name in (
        "the-brass-key.m4b",
        "the-brass-key.mp3",
        "the-brass-key.vtt",
        "the-brass-key.chapters.json",
        "cover.jpg",
        "manifest.json",
    ):
        assert (out / name).is_file(), name
    assert not [
        p for p in out.rglob("*") if ".partial" in p.name or p.name.endswith((".tmp", ".ffmeta"))
    ]
    summary = result.summary()  # type: ignore[attr-defined]
    assert summary.startswith("synthesized ") and ", reused 0 from cache" in summary
    assert "the-brass-key.m4b" in summary and "total duration 0:00:" in summary


def test_outputs_are_readable_as_the_umask_allows(rendered: tuple[Path, object, Path]) -> None:
    # mkstemp's 0600 would hide cover, manifest and audio from a media server
    tmp, _, _ = rendered
    current = os.umask(0o022)
    os.umask(current)
    files = [p for p in (tmp / "out" / "the-brass-key").rglob("*") if p.is_file()]
    assert {"cover.jpg", "manifest.json", "the-brass-key.m4b"} <= {p.name for p in files}
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o666 & ~current, (
            path.name,
            oct(path.stat().st_mode),
        )


def test_m4b_chapters_tags_and_cover(rendered: tuple[Path, object, Path]) -> None:
    tmp, _, _ = rendered
    out = tmp / "out" / "the-brass-key"
    m4b = MP4(str(out / "the-brass-key.m4b"))
    manifest = json.loads((out / "manifest.json").read_text())
    titles = [c.title for c in m4b.chapters]
    assert titles == ["The Brass Key", "The Locked Door", "Morning"]
    starts = [c.start for c in m4b.chapters]
    assert starts[0] == 0.0 and starts == sorted(starts)
    # chapter starts are the manifest's (sample-count) starts
    for chapter, start in zip(manifest["chapters"], starts[1:], strict=True):
        assert abs(chapter["start"] - start) < 0.002
    decoded = audio.decoded_samples(out / "the-brass-key.m4b", RATE) / RATE
    assert abs(decoded - manifest["duration"]) < 0.05
    assert abs(m4b.info.length - manifest["duration"]) < 0.05
    assert starts[-1] < decoded
    tags = m4b.tags
    assert tags["©nam"] == ["The Brass Key"] and tags["©alb"] == ["The Brass Key"]
    assert tags["©ART"] == ["Ilse Marrow"] and tags["aART"] == ["Ilse Marrow"]
    assert tags["©gen"] == ["Audiobook"] and tags["stik"] == [2]
    assert "espeak" in tags["©wrt"][0]
    cover = bytes(tags["covr"][0])
    assert cover[:3] == b"\xff\xd8\xff"
    assert (out / "cover.jpg").read_bytes() == cover
    probe = audio.probe(out / "the-brass-key.m4b")
    assert "Chapter #0:2" in probe and "aac" in probe


def test_mp3_chap_ctoc_and_tags(rendered: tuple[Path, object, Path]) -> None:
    tmp, _, _ = rendered
    path = tmp / "out" / "the-brass-key" / "the-brass-key.mp3"
    tags = ID3(str(path))
    top = [f for f in tags.getall("CTOC") if f.flags & CTOCFlags.TOP_LEVEL]
    assert len(top) == 1 and top[0].flags & CTOCFlags.ORDERED
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    listed = [chaps[i] for i in top[0].child_element_ids]
    assert [c.sub_frames["TIT2"].text[0] for c in listed] == [
        "The Brass Key",
        "The Locked Door",
        "Morning",
    ]
    assert listed[0].start_time == 0
    for a, b in itertools.pairwise(listed):
        assert a.end_time == b.start_time  # marks cover the whole file, no gaps
    length_ms = MP3(str(path)).info.length * 1000
    assert abs(listed[-1].end_time - length_ms) < 60
    # chapter 1 has two scenes: a nested, ordered table of contents
    nested = [f for f in tags.getall("CTOC") if not f.flags & CTOCFlags.TOP_LEVEL]
    assert any(len(f.child_element_ids) == 2 for f in nested)
    assert tags["TIT2"].text == ["The Brass Key"] and tags["TPE1"].text == ["Ilse Marrow"]
    assert tags["TCON"].text == ["Audiobook"] and "espeak" in tags["TCOM"].text[0]
    assert tags.getall("APIC")[0].data[:3] == b"\xff\xd8\xff"
    # players show the composer as "Narrated by": one readable credit for the book and
    # every chapter file, no version numbers or engine voice names
    chapter_files = list((path.parent / "chapters").glob("*.mp3"))
    credits = {ID3(str(p))["TCOM"].text[0] for p in chapter_files}
    assert chapter_files and credits == {tags["TCOM"].text[0]}
    assert not any(ch.isdigit() for ch in tags["TCOM"].text[0]) and "+" not in tags["TCOM"].text[0]


def test_loudness_and_true_peak(rendered: tuple[Path, object, Path]) -> None:
    tmp, _, _ = rendered
    for name in ("the-brass-key.m4b", "the-brass-key.mp3"):
        integrated, peak = audio.measure_file_loudness(tmp / "out" / "the-brass-key" / name)
        assert -19.0 <= integrated <= -17.0, (name, integrated)
        assert peak <= -3.0, (name, peak)


def test_split_chapters_transcripts_and_manifest(rendered: tuple[Path, object, Path]) -> None:
    tmp, _, _ = rendered
    out = tmp / "out" / "the-brass-key"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["m4b"] == "the-brass-key.m4b"
    assert [c["index"] for c in manifest["chapters"]] == [1, 2]
    for n, chapter in enumerate(manifest["chapters"], start=1):
        mp3 = out / chapter["mp3"]
        tags = ID3(str(mp3))
        assert tags["TRCK"].text == [str(n)]  # no total: it would change when a chapter is added
        assert abs(MP3(str(mp3)).info.length - chapter["duration"]) < 0.06
        assert (out / chapter["vtt"]).read_text().startswith("WEBVTT")
        assert json.loads((out / chapter["chapters_json"]).read_text())["chapters"]
        assert chapter["published"]
    vtt = (out / "the-brass-key.vtt").read_text()
    assert "<v " in vtt and "Pell found the key in the gutter outside the bakery." in vtt
    # cue times lie inside the audio and are in order
    times = [line.split(" --> ") for line in vtt.splitlines() if " --> " in line]
    assert times == sorted(times)


def test_rerun_reuses_everything_and_one_word_edit_resynthesizes_one_line(
    rendered: tuple[Path, object, Path],
) -> None:
    tmp, _, cache = rendered
    work = tmp / "brass-key.txt"
    settings = RenderSettings(
        out_dir=tmp / "out", cache_dir=cache, split_chapters=True, workers=2, progress=False
    )
    manifest = tmp / "out" / "the-brass-key" / "manifest.json"
    published = [c["published"] for c in json.loads(manifest.read_text())["chapters"]]
    again = render(work, settings)
    assert again.synthesized == 0 and again.reused > 10
    work.write_text(STORY.replace("walked away", "strolled away"), encoding="utf-8")
    edited = render(work, settings)
    assert edited.synthesized == 1
    assert [c["published"] for c in json.loads(manifest.read_text())["chapters"]] == published


def test_kill_9_mid_render_keeps_finished_clips(tmp_path: Path) -> None:
    # Long enough that synthesis is still running when we kill it.
    paragraphs = [f"Count {i} of the long test." for i in range(80)]
    work = _write(
        tmp_path, "The Long Count\n\nBy Test Author\n\n\n" + "\n\n".join(paragraphs) + "\n"
    )
    cache = tmp_path / "cache"
    cmd = [
        sys.executable,
        "-m",
        "narrate",
        "render",
        str(work),
        "-o",
        str(tmp_path / "out"),
        "--cache-dir",
        str(cache),
        "--workers",
        "1",
        "--format",
        "mp3",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(list(cache.glob("clips/*/*.clip"))) < 10:
        time.sleep(0.05)
    assert proc.poll() is None, "render finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = len(list(cache.glob("clips/*/*.clip")))
    assert kept >= 10
    assert not list((tmp_path / "out").rglob("*.mp3"))  # no truncated audiobook
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    reused = int(last.split("reused ")[1].split()[0])
    assert reused >= kept - 1  # the clip being written at the kill may be lost, nothing else


def test_a_failed_encode_stops_the_streaming_mux_and_leaves_no_partial_book(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import narrate.render as render_module
    from narrate.errors import OutputError

    real = render_module._encode_one
    calls = []

    def failing(*args: object) -> str:
        calls.append(args)
        if len(calls) == 2:  # the first segment is already in the mux by then
            raise OutputError("disk full (simulated)")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "_encode_one", failing)
    settings = RenderSettings(
        out_dir=tmp_path / "out",
        cache_dir=tmp_path / "cache",
        workers=1,
        progress=False,
        formats=("m4b",),
    )
    with pytest.raises(OutputError, match="simulated"):
        render(_write(tmp_path), settings)
    assert len(calls) == 2
    out = tmp_path / "out" / "the-brass-key"
    assert not [
        p.name
        for p in out.iterdir()
        if p.suffix in (".m4b", ".partial", ".ffmeta") or p.name.startswith(".narrate-tmp-")
    ]


def test_unwritable_output_is_one_clear_line(tmp_path: Path) -> None:
    work = _write(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main, ["render", str(work), "-o", str(blocker), "--cache-dir", str(tmp_path / "c")]
    )
    assert result.exit_code == 4
    assert result.output.count("\n") == 1 and "not writable" in result.output
    missing = CliRunner().invoke(main, ["render", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_preview_scene(tmp_path: Path) -> None:
    work = _write(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "preview",
            str(work),
            "--scene",
            "1.2",
            "--no-play",
            "-o",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "the-brass-key" / "preview-1.2.mp3"
    assert path.is_file() and 1.0 < MP3(str(path)).info.length < 15
    bad = CliRunner().invoke(
        main,
        [
            "preview",
            str(work),
            "--scene",
            "9.9",
            "--no-play",
            "-o",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Lamplighter’s Bargain", "the-lamplighters-bargain"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-book"),
        ("nul", "nul-book"),
        ("", "untitled"),
        ("///", "untitled"),
        ("Ça va? Señor Café", "ca-va-senor-cafe"),
    ],
)
def test_slugs_are_safe(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("word " * 100)
    assert len(slug) <= 60 and not slug.endswith("-") and "/" not in slug


GROWING = """\
The Lantern Shop

By Ilse Marrow


Chapter 1: Wicks

Tamsin trimmed the wicks before the shop opened.

"Leave the blue one," said her uncle. "It burns longer."


Chapter 2: Oil

The oil came on Thursday, in six tall jars.
"""


def _render_split(work: Path, tmp: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            str(work),
            "-o",
            str(tmp / "out"),
            "--cache-dir",
            str(tmp / "cache"),
            "--split",
            "chapters",
            "--format",
            "mp3",
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    feed = CliRunner().invoke(
        main, ["feed", str(tmp / "out" / "the-lantern-shop"), "--base-url", "http://example.test/"]
    )
    assert feed.exit_code == 0, feed.output


def _feed_items(feed: Path) -> dict[str, str]:
    import xml.etree.ElementTree as ET

    return {
        item.findtext("guid") or "": ET.tostring(item, encoding="unicode")
        for item in ET.parse(feed).getroot().iter("item")
    }


def test_a_new_chapter_changes_no_old_chapter_file_or_feed_item(tmp_path: Path) -> None:
    work = _write(tmp_path, GROWING)
    _render_split(work, tmp_path)
    folder = tmp_path / "out" / "the-lantern-shop"
    old = {p.name: p.read_bytes() for p in (folder / "chapters").iterdir()}
    assert len([n for n in old if n.endswith(".mp3")]) == 2
    items = _feed_items(tmp_path / "out" / "feed.xml")

    work.write_text(
        GROWING + "\n\nChapter 3: Glass\n\nThe new glass came wrapped in straw.\n", encoding="utf-8"
    )
    _render_split(work, tmp_path)
    now = {p.name: p.read_bytes() for p in (folder / "chapters").iterdir()}
    assert len([n for n in now if n.endswith(".mp3")]) == 3
    for name, data in old.items():  # audio, tags, transcripts and JSON chapters alike
        assert now[name] == data, name
    grown = _feed_items(tmp_path / "out" / "feed.xml")
    assert set(grown) - set(items) and all(grown[guid] == xml for guid, xml in items.items())
    assert ID3(str(next((folder / "chapters").glob("03-*.mp3"))))["TRCK"].text == ["3"]


def test_true_peak_is_checked_after_encoding_even_with_no_limiter_headroom(tmp_path: Path) -> None:
    # With no headroom left for the encoders, AAC and MP3 overshoot the ceiling;
    # the encoded segments must be measured and re-encoded until they meet it.
    work = _write(tmp_path)
    settings = RenderSettings(
        out_dir=tmp_path / "out",
        cache_dir=tmp_path / "cache",
        workers=2,
        progress=False,
        mastering=audio.Mastering(encoder_headroom=0.0),
    )
    render(work, settings)
    for name in ("the-brass-key.m4b", "the-brass-key.mp3"):
        path = tmp_path / "out" / "the-brass-key" / name
        _, peak = audio.measure_file_loudness(path)  # loudness at default settings: see above
        assert peak <= -3.0, (name, peak)
    # the cached segments are the verified ones, and measure as ffmpeg's ebur128 does
    for seg in (tmp_path / "cache" / "segments").rglob("*.*"):
        mine = audio.encoded_true_peak(seg, RATE)
        assert mine <= -3.2 + 0.01, (seg.name, mine)
        # The guarantee holds while the two meters agree within the margin kept
        # between the check (-3.2) and the ceiling (-3.0).
        assert abs(mine - audio.measure_file_loudness(seg)[1]) <= TRUE_PEAK_MARGIN


def _vtt_texts(path: Path) -> list[str]:
    """Cue texts in order, voice tags removed."""
    import re

    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    return [
        re.sub(
            r"<[^>]+>",
            "",
            "\n".join(
                b.splitlines()[2:] if " --> " not in b.splitlines()[0] else b.splitlines()[1:]
            ),
        ).strip()
        for b in blocks
        if " --> " in b
    ]


@pytest.fixture(scope="module")
def notes_renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    tmp = tmp_path_factory.mktemp("notes")
    work = tmp / "bread.txt"
    work.write_text(
        (Path(__file__).parent.parent / "texts" / "ao3-multichapter-sample.txt").read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    cues = {}
    for policy in ("skip", "intro", "end"):
        result = CliRunner().invoke(
            main,
            [
                "render",
                str(work),
                "-o",
                str(tmp / policy),
                "--cache-dir",
                str(tmp / "cache"),
                "--format",
                "mp3",
                "--notes",
                policy,
            ],
        )
        assert result.exit_code == 0, result.output
        cues[policy] = _vtt_texts(next((tmp / policy).glob("*/*.vtt")))
    return cues


WORK_NOTE = "written for a friend who asked for"
CHAPTER_NOTE = "Aunt Hesper is based on nobody."
CHAPTER_END_NOTE = "Owen's loaf really did look like a ship."
WORK_END_NOTE = "Thank you for reading!"


def _at(cues: list[str], fragment: str) -> int:
    found = [i for i, cue in enumerate(cues) if fragment in cue]
    assert len(found) == 1, (fragment, found)
    return found[0]


def test_notes_skip_reads_no_notes(notes_renders: dict[str, list[str]]) -> None:
    text = "\n".join(notes_renders["skip"])
    for note in (WORK_NOTE, CHAPTER_NOTE, CHAPTER_END_NOTE, WORK_END_NOTE, "Author's notes"):
        assert note not in text


def test_notes_intro_reads_each_chapters_notes_after_its_title(
    notes_renders: dict[str, list[str]],
) -> None:
    cues = notes_renders["intro"]
    assert _at(cues, WORK_NOTE) < _at(cues, "Rising")
    assert (
        _at(cues, "Rising") < _at(cues, CHAPTER_NOTE) < _at(cues, "The loaves came out of the oven")
    )
    text = "\n".join(cues)
    assert CHAPTER_END_NOTE not in text and WORK_END_NOTE not in text
    # the notes are extra cues: every story cue of the skip render is still there, in order
    story = [c for c in cues if c in notes_renders["skip"]]
    assert story == notes_renders["skip"]


def test_notes_end_reads_chapter_notes_after_their_chapter_and_work_notes_last(
    notes_renders: dict[str, list[str]],
) -> None:
    cues = notes_renders["end"]
    last_of_chapter_1 = _at(cues, "because I wanted to")
    assert (
        last_of_chapter_1
        < _at(cues, CHAPTER_NOTE)
        < _at(cues, CHAPTER_END_NOTE)
        < _at(cues, "Proving")
    )
    assert _at(cues, "Proving") < _at(cues, WORK_NOTE) < _at(cues, WORK_END_NOTE) == len(cues) - 1
    story = [c for c in cues if c in notes_renders["skip"]]
    assert story == notes_renders["skip"]


ONE_SHOT = """\
The Tide Clock

By Ilse Marrow


Wren wound the tide clock at dawn, as her grandmother had.

* * *

"It runs slow," said the harbourmaster. "It always has."

* * *

By evening the clock had caught the sea up, and Wren let it be.
"""


def test_a_one_shot_m4b_marks_its_scenes(tmp_path: Path) -> None:
    # One chapter: a lone "Chapter 1" mark would leave nothing to navigate by.
    work = _write(tmp_path, ONE_SHOT)
    settings = RenderSettings(
        out_dir=tmp_path / "out",
        cache_dir=tmp_path / "cache",
        formats=("m4b",),
        workers=1,
        progress=False,
    )
    render(work, settings)
    m4b = MP4(str(tmp_path / "out" / "the-tide-clock" / "the-tide-clock.m4b"))
    titles = [c.title for c in m4b.chapters]
    assert len(titles) == 4 and titles[0] == "The Tide Clock", titles  # intro + 3 scenes
    starts = [c.start for c in m4b.chapters]
    assert starts == sorted(set(starts))


def _speechlike(seconds: float, amp: float) -> bytes:
    """A 120 Hz pulse train under a syllable-rate envelope: peaky like espeak's voicing."""
    t = np.arange(int(seconds * RATE)) / RATE
    pulses = np.zeros(len(t))
    pulses[:: RATE // 120] = 1.0
    voiced = np.convolve(pulses, np.hanning(48), mode="same")
    voiced -= voiced.mean()
    return audio.to_pcm(amp * voiced * (0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)))


def test_only_segments_predicted_near_the_ceiling_are_decoded_and_those_are_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrate.render import ENCODER_OVERSHOOT, PeakBound, encode_verified

    measured: list[Path] = []
    real = audio.encoded_true_peak

    def counted(path: Path, rate: int) -> float:
        measured.append(path)
        return real(path, rate)

    monkeypatch.setattr(audio, "encoded_true_peak", counted)
    dest = tmp_path / "seg.aac"
    pcm = _speechlike(20.0, 0.9)
    for headroom in (0.0, audio.Mastering().encoder_headroom):
        m = audio.Mastering(encoder_headroom=headroom)
        prepared = audio.prepare_clip(pcm, RATE, m)

        def chunks(mm: audio.Mastering, bound: PeakBound) -> list[bytes]:
            bound.value = max(bound.value, audio.mastered_peak(prepared.stats, prepared.peaks, mm))  # noqa: B023
            return [audio.master(prepared.pcm, prepared.stats, prepared.peaks, mm)]  # noqa: B023

        measured.clear()
        got = encode_verified(chunks, RATE, "m4b", "64k", m, dest)
        _, peak = audio.measure_file_loudness(dest)
        assert peak <= -3.0 and got <= -3.2, (headroom, peak, got)
        if headroom == 0.0:
            # at the ceiling: decoded, found over it, re-encoded quieter, checked again
            assert len(measured) >= 2, measured
        else:
            # far enough under: predicted safe, not decoded, and the prediction holds
            assert measured == []
            assert peak <= got + 0.05 and got == pytest.approx(
                20 * np.log10(m.limit) + ENCODER_OVERSHOOT["m4b"], abs=0.6
            )


# A process that opens a scratch folder in OUT, writes what an encode in
# progress has there, then either dies by SIGKILL or waits to be killed.
_SCRATCH_OWNER = """
import os, signal, sys, time
from pathlib import Path
from narrate.render import Scratch
scratch = Scratch(Path(sys.argv[1]))
scratch.temp(Path(sys.argv[1]) / "book.m4b").write_bytes(b"half a book")
(scratch.dir / ".book.m4b.partial.ffmeta").write_text(";FFMETADATA1")
if sys.argv[2] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
print(scratch.dir, flush=True)
time.sleep(60)
"""


def test_the_next_command_removes_what_a_killed_render_left_but_not_a_live_ones(
    tmp_path: Path,
) -> None:
    from narrate.render import remove_stale_scratch

    work = _write(tmp_path)
    out = tmp_path / "out" / "the-brass-key"
    out.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", _SCRATCH_OWNER, str(out), "die"], check=False)
    assert dead.returncode == -signal.SIGKILL
    live = subprocess.Popen(
        [sys.executable, "-c", _SCRATCH_OWNER, str(out), "live"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert live.stdout is not None
        live_dir = Path(live.stdout.readline().strip())
        dead_dir = next(
            p for p in out.iterdir() if p.name.startswith(".narrate-tmp-") and p != live_dir
        )
        assert dead_dir.is_dir() and (dead_dir / "the-brass-key-book.m4b.partial").is_file()
        # an old version's hidden partial file beside the book: removed once it is an hour old
        legacy = out / ".the-brass-key.mp3.partial"
        legacy.write_bytes(b"x")
        os.utime(legacy, (time.time() - 7200, time.time() - 7200))
        fresh = out / ".the-brass-key.m4b.partial"
        fresh.write_bytes(b"x")

        result = CliRunner().invoke(
            main,
            [
                "preview",
                str(work),
                "--scene",
                "1.2",
                "--no-play",
                "-o",
                str(tmp_path / "out"),
                "--cache-dir",
                str(tmp_path / "cache"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert not dead_dir.exists() and not legacy.exists()
        assert (
            live_dir.is_dir()
            and (live_dir / "the-brass-key-book.m4b.partial").is_file()
            and fresh.exists()
        )
        # the preview's own scratch folder is gone too
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".narrate-tmp-")) == [
            live_dir.name
        ]
    finally:
        live.kill()
        live.wait()
    assert remove_stale_scratch(out) == 1 and not live_dir.exists()
