"""``narrate scenes``: human view, ``--json`` contract, and bad input through the CLI."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import main

TEXTS = Path(__file__).resolve().parent.parent / "texts"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scenes_json_contract() -> None:
    path = TEXTS / "the-lamplighters-bargain.txt"
    code, out, _ = run("scenes", str(path), "--json")
    assert code == 0
    data = json.loads(out)  # exactly one JSON object and nothing else
    assert {"title", "author", "summary", "chapters"} <= data.keys()
    assert data["title"] == "The Lamplighter's Bargain"
    assert data["author"] == "Petra Halloway"
    text = path.read_text(encoding="utf-8")
    chapters = data["chapters"]
    assert [c["index"] for c in chapters] == [1, 2, 3]
    assert chapters[0]["title"] == "The Oil Merchant"
    for chapter in chapters:
        assert {"index", "title", "start", "end", "scenes"} <= chapter.keys()
        assert chapter["start"] == chapter["scenes"][0]["start"]
        assert chapter["end"] == chapter["scenes"][-1]["end"]
        for scene in chapter["scenes"]:
            assert {"index", "start", "end", "words"} <= scene.keys()
            # Offsets index the file itself: a scene's words are counted from its slice.
            assert scene["words"] == len(text[scene["start"] : scene["end"]].split())
        assert 0 < chapter["dialogue_share"] < 1
    assert chapters[1]["scenes"][1]["index"] == 2
    assert text[chapters[1]["scenes"][1]["start"] :].startswith("Inside, the council argued")


def test_scenes_human_view() -> None:
    code, out, _ = run("scenes", str(TEXTS / "ao3-multichapter-sample.txt"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "The Bread Oracle"
    assert "Juniper's aunt bakes loaves" in out  # the summary is shown
    rows = [line for line in lines if re.match(r"^\s+\d+  ", line)]
    assert len(rows) == 2
    assert "Rising" in rows[0] and "Proving" in rows[1]
    # scenes, words, dialogue share and time columns
    assert rows[0].split()[2:4] == ["2", str(_words_in_chapter(1))]
    assert rows[0].split()[-2].endswith("%") and rows[0].split()[-1].endswith("m")
    assert "2 chapters, 3 scenes" in out
    assert "based on nobody" not in out


def _words_in_chapter(index: int) -> int:
    from narrate.ingest import load_work

    work = load_work(TEXTS / "ao3-multichapter-sample.txt")
    chapter = work.chapters[index - 1]
    return sum(len(work.text[p.start : p.end].split()) for _, p in chapter.paragraphs())


def _bad_inputs(tmp: Path) -> list[Path]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.md").write_text("   \n\u00a0\n\n", encoding="utf-8")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp / "undecodable.txt").write_bytes(b"caf\xe9 \x81\x8d\x90\x9d")
    (tmp / "notzip.epub").write_text("not a zip at all", encoding="utf-8")
    (tmp / "nobody.html").write_text("<html><head><title>t</title></head></html>", encoding="utf-8")
    (tmp / "adir").mkdir()
    with zipfile.ZipFile(tmp / "nocontainer.epub", "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    return [
        tmp / "empty.txt",
        tmp / "blank.md",
        tmp / "binary.txt",
        tmp / "undecodable.txt",
        tmp / "notzip.epub",
        tmp / "nobody.html",
        tmp / "adir",
        tmp / "missing.txt",
        tmp / "nocontainer.epub",
    ]


@pytest.mark.parametrize("as_json", [False, True])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, as_json: bool) -> None:
    for path in _bad_inputs(tmp_path):
        before = sorted(p.name for p in tmp_path.iterdir())
        code, out, err = run("scenes", str(path), *(["--json"] if as_json else []))
        assert code == 2, (path, err)
        assert out == ""
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("Error: ") and str(path) in lines[0]
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
