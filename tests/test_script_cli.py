"""`narrate script` and `narrate cast` as a user runs them (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import main
from narrate.ingest import load_work

# Original text: two tagged speakers, an untagged reply, a one-off speaker.
STORY = """\
Chapter 1: Lanterns

The lanterns along the canal had all gone out at once, and Pell and Wren were sent to find out why.

"Somebody cut the line," Pell said, crouching by the post.

"Cut? This was chewed," Wren said, holding up the frayed end.

"Rats don't chew copper," said Pell.

"These ones do."

"Will you two hush?" Hattie called from her window. "Some of us sleep."

Chapter 2: Copper

By morning the whole street knew about the copper-eating rats, and Wren was insufferable.

"I told you," Wren said. "Nobody listens to me."
"""


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    path = tmp_path / "lanterns.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def json_rows(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_script_json_rows_are_exact_slices_that_cover_every_paragraph(story: Path) -> None:
    code, out, _err = run("script", str(story), "--json")
    assert code == 0
    rows = json_rows(out)
    keys = {
        "id",
        "chapter",
        "scene",
        "kind",
        "speaker",
        "confidence",
        "rule",
        "text",
        "start",
        "end",
        "voice",
    }
    assert all(keys <= set(row) for row in rows)
    work = load_work(story)
    for row in rows:
        assert work.text[int(row["start"]) : int(row["end"])] == row["text"]  # type: ignore[call-overload]
    starts = {int(row["start"]) for row in rows}  # type: ignore[call-overload]
    ends = {int(row["end"]) for row in rows}  # type: ignore[call-overload]
    for _chapter, _scene, paragraph in work.paragraphs():
        assert paragraph.start in starts and paragraph.end in ends
        inside = [r for r in rows if paragraph.start <= int(r["start"]) < paragraph.end]  # type: ignore[call-overload]
        assert "".join(str(r["text"]) for r in inside) == work.text[paragraph.start : paragraph.end]
    speakers = {row["speaker"] for row in rows if row["kind"] == "dialogue"}
    assert {"Pell", "Wren"} <= speakers
    narration = [row for row in rows if row["kind"] == "narration"]
    assert narration and all(row["speaker"] is None for row in narration)
    voices = {row["voice"] for row in narration}
    assert len(voices) == 1  # the narrator reads all narration
    pell = {row["voice"] for row in rows if row["speaker"] == "Pell"}
    wren = {row["voice"] for row in rows if row["speaker"] == "Wren"}
    assert len(pell) == 1 and len(wren) == 1 and pell != wren and not (pell & voices)


def test_script_filters_by_chapter_and_uncertainty(story: Path) -> None:
    _, out, _ = run("script", str(story), "--json", "--chapter", "2")
    rows = json_rows(out)
    assert rows and {row["chapter"] for row in rows} == {2}
    _, out, _ = run("script", str(story), "--json", "--only-uncertain", "--threshold", "1.0")
    uncertain = json_rows(out)
    assert uncertain
    assert all(row["kind"] == "dialogue" for row in uncertain)
    assert all(row["speaker"] is None or float(row["confidence"]) < 1.0 for row in uncertain)  # type: ignore[arg-type]
    code, _, err = run("script", str(story), "--chapter", "9")
    assert code == 2 and "chapters 1-2" in err


def test_script_text_view_shows_ids_speakers_and_marks(story: Path) -> None:
    code, out, _ = run("script", str(story), "--threshold", "1.0")
    assert code == 0
    assert "== Chapter 1: Lanterns ==" in out
    said = next(line for line in out.splitlines() if "Somebody cut the line" in line)
    assert said.startswith("1.1.") and "Pell" in said
    # With threshold 1.0 every attributed dialogue line is marked for review.
    assert "?" in said.split("Pell")[0]
    assert "[" in said  # confidence and rule shown
    lines = out.splitlines()
    assert any("The lanterns along the canal" in line for line in lines)


def test_cast_lists_characters_and_json(story: Path) -> None:
    code, out, _ = run("cast", str(story))
    assert code == 0
    assert out.startswith("narrator voice: ")
    assert "Pell" in out and "Wren" in out
    code, out, _ = run("cast", str(story), "--json")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list)
    by_name = {row["name"]: row for row in data}
    assert {"name", "aliases", "gender", "lines", "voice"} <= set(by_name["Pell"])
    assert by_name["Pell"]["lines"] >= 2 and by_name["Pell"]["voice"]
    assert by_name["Pell"]["voice"] != by_name["Wren"]["voice"]
    assert not story.with_name("lanterns.cast.toml").exists()


def test_cast_write_then_correct_a_speaker_and_rename(story: Path) -> None:
    code, _out, err = run("cast", str(story), "--write")
    assert code == 0 and "wrote" in err
    cast_path = story.with_name("lanterns.cast.toml")
    text = cast_path.read_text(encoding="utf-8")
    assert text.startswith("# Cast of")
    _, out, _ = run("script", str(story), "--json")
    reply = next(r for r in json_rows(out) if r["text"] == '"These ones do."')
    text = text.replace('name = "Wren"', 'name = "Wren Ashby"  # full name')
    text += f'\n[[line]]\nid = "{reply["id"]}"\nspeaker = "Hattie"\n'
    cast_path.write_text(text, encoding="utf-8")

    _, out, err = run("script", str(story), "--json")
    rows = json_rows(out)
    fixed = next(r for r in rows if r["id"] == reply["id"])
    assert (fixed["speaker"], fixed["rule"], fixed["confidence"]) == ("Hattie", "cast-file", 1.0)
    assert "Wren Ashby" in {r["speaker"] for r in rows} and "Wren" not in {
        r["speaker"] for r in rows
    }

    code, _out, err = run("cast", str(story), "--write")
    assert code == 0 and "updated" in err
    after = cast_path.read_text(encoding="utf-8")
    assert 'name = "Wren Ashby"  # full name' in after
    assert f'id = "{reply["id"]}"' in after


def test_bad_inputs_are_one_line_errors(story: Path, tmp_path: Path) -> None:
    code, out, err = run("script", str(tmp_path / "missing.txt"))
    assert code == 2 and "Traceback" not in err + out
    bad = tmp_path / "bad.cast.toml"
    bad.write_text("[characters.Pell\n", encoding="utf-8")
    code, out, err = run("cast", str(story), "--cast", str(bad))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "bad.cast.toml" in err and "TOML" in err
    assert "Traceback" not in err + out


def test_script_json_and_view_show_the_words_that_decided_each_speaker(story: Path) -> None:
    code, out, _ = run("script", str(story), "--json")
    assert code == 0
    rows = json_rows(out)
    work = load_work(story)
    copper = next(r for r in rows if r["text"] == '"Rats don\'t chew copper,"')
    assert copper["rule"] == "tag"
    assert copper["evidence"] == {
        "start": work.text.index("Pell.", int(copper["end"])),  # type: ignore[call-overload]
        "end": work.text.index("Pell.", int(copper["end"])) + len("Pell"),  # type: ignore[call-overload]
        "text": "Pell",
    }
    assert all(r["evidence"] is None for r in rows if r["kind"] == "narration")
    code, out, _ = run("script", str(story))
    said = next(line for line in out.splitlines() if "Rats don't chew copper" in line)
    assert said.rstrip().endswith("[tag: Pell]")


def test_a_cast_file_override_has_no_evidence(story: Path) -> None:
    _, out, _ = run("script", str(story), "--json")
    reply = next(r for r in json_rows(out) if r["text"] == '"These ones do."')
    story.with_name("lanterns.cast.toml").write_text(
        f'[[line]]\nid = "{reply["id"]}"\nspeaker = "Hattie"\n', encoding="utf-8"
    )
    _, out, _ = run("script", str(story), "--json")
    fixed = next(r for r in json_rows(out) if r["id"] == reply["id"])
    assert (fixed["rule"], fixed["evidence"]) == ("cast-file", None)


# the rules whose line names its own speaker, so always has evidence
OWN_EVIDENCE = {"tag", "tag-pronoun", "tag-epithet", "beat", "beat-before", "vocative"}


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).resolve().parent.parent / "texts").glob("*")),
    ids=lambda p: p.name,
)
def test_every_attributed_line_of_the_sample_works_shows_words_of_the_text(path: Path) -> None:
    code, out, _ = run("script", str(path), "--json")
    assert code == 0
    rows = json_rows(out)
    text = load_work(path).text
    attributed = [r for r in rows if r["kind"] == "dialogue" and r["speaker"] is not None]
    assert attributed
    anchors: dict[object, list[object]] = {}
    for row in attributed:
        found = row["evidence"]
        if row["rule"] in OWN_EVIDENCE:
            assert isinstance(found, dict), row
            anchors.setdefault(row["speaker"], []).append(found)
        if found is None:
            continue
        assert isinstance(found, dict)
        start, end = int(found["start"]), int(found["end"])
        assert 0 <= start < end <= len(text)
        assert found["text"] == text[start:end]
        assert found["text"].strip() == found["text"]  # whole words, nothing around them
    for row in attributed:
        if row["rule"] in ("turns", "continued", "other") and row["evidence"] is not None:
            # the evidence of a line with a tag or beat of its own, of the same speaker
            assert row["evidence"] in anchors.get(row["speaker"], [])
