"""Plain text, Gutenberg, AO3 page text and Markdown readers; encodings; invariants."""

from __future__ import annotations

import codecs
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.errors import InputError
from narrate.ingest import load_work
from narrate.ingest.blocks import is_separator
from narrate.model import Work

TEXTS = Path(__file__).resolve().parent.parent / "texts"


def paragraphs(work: Work) -> list[str]:
    return [work.text[p.start : p.end] for _, _, p in work.paragraphs()]


def body(work: Work) -> str:
    return "\n".join(paragraphs(work))


def check_spans(work: Work) -> None:
    """Offsets are ordered, non-overlapping, trimmed, and nest chapter > scene > paragraph."""
    last = 0
    for chapter in work.chapters:
        assert chapter.start == chapter.scenes[0].start and chapter.end == chapter.scenes[-1].end
        for scene in chapter.scenes:
            assert (
                scene.start == scene.paragraphs[0].start and scene.end == scene.paragraphs[-1].end
            )
            for i, p in enumerate(scene.paragraphs, 1):
                assert p.index == i
                assert last <= p.start < p.end <= len(work.text)
                piece = work.text[p.start : p.end]
                assert not piece[0].isspace() and not piece[-1].isspace()
                last = p.end


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- sample works -----------------------------------------------------------


def test_lamplighter_sample_structure() -> None:
    work = load_work(TEXTS / "the-lamplighters-bargain.txt")
    check_spans(work)
    assert work.meta.title == "The Lamplighter's Bargain"
    assert work.meta.author == "Petra Halloway"
    assert [c.title for c in work.chapters] == [
        "The Oil Merchant",
        "The Council Steps",
        "What the Oil Remembered",
    ]
    assert work.chapters[0].heading == "Chapter 1: The Oil Merchant"
    # "* * *", "~~~" and "#" each break a scene.
    assert [len(c.scenes) for c in work.chapters] == [2, 2, 3]
    text = body(work)
    assert "By Petra Halloway" not in text and "Chapter 1" not in text
    assert not any(is_separator(p) for p in paragraphs(work))


def test_ao3_one_shot_sample() -> None:
    work = load_work(TEXTS / "ao3-sample.txt")
    check_spans(work)
    assert work.format == "ao3-text"
    assert work.meta.title == "Small Hours at the Night Ferry"
    assert work.meta.summary is not None and work.meta.summary.startswith("A ferry pilot")
    assert work.meta.notes is not None and "insomnia" in work.meta.notes
    assert work.meta.end_notes is not None and "lighthouse novel is made up" in work.meta.end_notes
    assert len(work.chapters) == 1 and len(work.chapters[0].scenes) == 3
    text = body(work)
    for leak in ("insomnia", "made up", "Summary:", "Work Text:", "See the end", "Actions"):
        assert leak not in text
    assert paragraphs(work)[0].startswith("The last ferry left")
    assert paragraphs(work)[-1].startswith("On Saturday Emrys")


def test_ao3_multichapter_sample() -> None:
    work = load_work(TEXTS / "ao3-multichapter-sample.txt")
    check_spans(work)
    assert work.meta.title == "The Bread Oracle"
    assert work.meta.tags["Characters"] == ("Juniper Vale", "Owen Marsh", "Aunt Hesper")
    assert work.meta.rating == "General Audiences"
    assert work.meta.tags["Fandom"] == ("Original Work",)
    assert work.meta.language == "en"
    first, second = work.chapters
    assert (first.title, second.title) == ("Rising", "Proving")
    assert first.notes == "Aunt Hesper is based on nobody. Please stop asking."
    assert first.end_notes is not None and "look like a ship" in first.end_notes
    assert work.meta.end_notes is not None and "This one was a gift" in work.meta.end_notes
    assert second.end_notes is None
    text = body(work)
    for leak in ("based on nobody", "I checked.", "This one was a gift", "Chapter Text", "Notes:"):
        assert leak not in text
    assert len(first.scenes) == 2


def test_markdown_sample() -> None:
    work = load_work(TEXTS / "the-salt-road.md")
    check_spans(work)
    assert work.format == "markdown"
    assert (work.meta.title, work.meta.author) == ("The Salt Road", "Teodor Lisk")
    assert [c.title for c in work.chapters] == ["The Wagon", "The Ferryman"]
    assert [len(c.scenes) for c in work.chapters] == [2, 2]
    assert "#" not in body(work) and "***" not in body(work)


# --- plain text and Gutenberg -----------------------------------------------

GUTENBERG = """\ufeffThe Project Gutenberg eBook of The Quiet Mill

This eBook is for the use of anyone anywhere at no cost.

Title: The Quiet Mill
       A Tale of Two Valleys

Author: Hester Fenwick

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK THE QUIET MILL ***




Produced by Somebody Careful




THE QUIET MILL

by Hester Fenwick


CONTENTS

CHAPTER I. The Wheel

CHAPTER II. The Flood

CHAPTER III. The Miller's Daughter



CHAPTER I. The Wheel

The mill had stood at the bend of the river for longer than anyone
could remember, and its wheel had turned in every season but one.

"It will turn again," said the miller, though nobody had asked him.


CHAPTER II.

THE FLOOD

The water came in the night, brown and patient, and by morning the
lower field was a lake.


 CHAPTER III. The Miller's Daughter

She rowed out to the wheel at dawn.

*** END OF THE PROJECT GUTENBERG EBOOK THE QUIET MILL ***

Updated editions will replace the previous one.
"""


def test_gutenberg_header_contents_and_headings(tmp_path: Path) -> None:
    work = load_work(write(tmp_path, "mill.txt", GUTENBERG))
    check_spans(work)
    assert work.format == "gutenberg"
    assert work.meta.title == "The Quiet Mill A Tale of Two Valleys"
    assert work.meta.author == "Hester Fenwick"
    assert work.meta.language == "en"
    # The contents list does not become chapters; the real headings do.
    assert [c.title for c in work.chapters] == ["The Wheel", "The Flood", "The Miller's Daughter"]
    assert work.chapters[1].heading == "CHAPTER II. / THE FLOOD"
    text = body(work)
    for leak in ("Project Gutenberg", "Produced by", "CONTENTS", "Updated editions", "by Hester"):
        assert leak not in text
    # Hard-wrapped lines join into one paragraph whose slice spans the line break.
    assert paragraphs(work)[0].startswith("The mill had stood") and "\n" in paragraphs(work)[0]
    assert paragraphs(work)[-1] == "She rowed out to the wheel at dawn."


@pytest.mark.parametrize(
    ("heading_block", "title"),
    [
        ("CHAPTER I", None),
        ("  CHAPTER IV.", None),
        ("Chapter 1", None),
        ("CHAPTER XII. THE STORM", "The Storm"),
        ("CHAPTER I\n\nTHE STRANGER ARRIVES", "The Stranger Arrives"),
        ("BOOK THE FIRST", None),
        ("PART I: MOSQUE", "Mosque"),
        ("Prologue", None),
        ("                    EPILOGUE", None),
        ("Chapter 3: in which nothing happens", "in which nothing happens"),
        ("II. The Return", "The Return"),
        ("_Chapter VII_", None),
        ("PART ONE\n\nChapter I: The Bertolini", "The Bertolini"),
        ("CHAPTER I\n\nI MEET A STRANGER", "I Meet a Stranger"),
    ],
)
def test_heading_styles(tmp_path: Path, heading_block: str, title: str | None) -> None:
    text = (
        "Some opening words before any heading, long enough to be a paragraph.\n\n\n"
        f"{heading_block}\n\n"
        "The body of the chapter starts here and goes on for a while.\n\n"
        "A second paragraph follows it.\n"
    )
    work = load_work(write(tmp_path, "h.txt", text))
    check_spans(work)
    assert len(work.chapters) == 2
    assert work.chapters[0].heading is None
    assert work.chapters[1].title == title
    assert work.chapters[1].heading is not None
    assert work.chapters[1].heading.split(" / ")[0] == heading_block.split("\n")[0].strip()
    assert paragraphs(work)[1] == "The body of the chapter starts here and goes on for a while."


def test_prose_that_looks_like_a_heading_stays_prose(tmp_path: Path) -> None:
    text = (
        "Part of the plan was simple.\n\n"
        "I said so, and he took me down.\n\n"
        "One day she left.\n\n"
        "12 – 15 years, the vet said.\n"
    )
    work = load_work(write(tmp_path, "p.txt", text))
    assert len(work.chapters) == 1 and work.chapters[0].heading is None
    assert len(paragraphs(work)) == 4


def test_prose_opening_is_not_a_title_block(tmp_path: Path) -> None:
    text = "The mill stood alone.\n\nBy the river, the reeds grew tall.\n\nNobody came.\n"
    work = load_work(write(tmp_path, "mill-story.txt", text))
    assert work.meta.author is None and work.meta.title == "Mill story"
    assert len(paragraphs(work)) == 3


def test_contents_word_without_headings_keeps_the_text(tmp_path: Path) -> None:
    text = "Contents\n\nA box of buttons, a thimble and a letter.\n\nThat was all she owned.\n"
    work = load_work(write(tmp_path, "c.txt", text))
    assert paragraphs(work) == [
        "Contents",
        "A box of buttons, a thimble and a letter.",
        "That was all she owned.",
    ]


def test_title_block_and_scene_styles(tmp_path: Path) -> None:
    separators = [
        "* * *",
        "***",
        "#",
        "~~~",
        "---",
        "___",
        "oOo",
        "xXx",
        "…..",
        "….",
        ". . .",
        "<hr>",
        "   ❦   ",
    ]
    scenes = [f"Scene number {i} has a sentence in it." for i in range(len(separators) + 1)]
    parts = ["The Glass Orchard", "By Wren Adair"]
    for sep, scene in zip(separators, scenes, strict=False):
        parts += [scene, sep]
    parts.append(scenes[-1])
    work = load_work(write(tmp_path, "s.txt", "\n\n".join(parts) + "\n"))
    assert (work.meta.title, work.meta.author) == ("The Glass Orchard", "Wren Adair")
    assert len(work.chapters) == 1
    assert [work.text[s.start : s.end] for s in work.chapters[0].scenes] == scenes


def test_long_blank_gaps_break_scenes_relative_to_usual_gap(tmp_path: Path) -> None:
    # Paragraphs two blank lines apart (AO3 copy), scenes four apart: 3 scenes.
    two = (
        "\n\n\n".join(["Alpha one.", "Alpha two."])
        + "\n\n\n\n\n"
        + "Beta one.\n\n\nBeta two.\n\n\n\n\n\nGamma."
    )
    work = load_work(write(tmp_path, "two.txt", two))
    assert [len(s.paragraphs) for s in work.chapters[0].scenes] == [2, 2, 1]
    # Paragraphs one blank line apart: three blank lines are a scene break, two are not.
    one = "Alpha one.\n\nAlpha two.\n\n\nAlpha three.\n\n\n\nBeta one.\n"
    work = load_work(write(tmp_path, "one.txt", one))
    assert [len(s.paragraphs) for s in work.chapters[0].scenes] == [3, 1]


def test_seed_style_chapter_text_markers(tmp_path: Path) -> None:
    """Seed 000's layout: no header, first chapter without heading, ``Chapter Text`` lines."""
    text = (
        "First chapter opening.\n\n\nMore of it.\n\n\n\n\nAfter a scene break.\n\n\n\n\n"
        "Chapter Text\n\nSecond chapter.\n\n\n\n\nChapter Text\n\nThird chapter.\n"
    )
    work = load_work(write(tmp_path, "seedlike.txt", text))
    check_spans(work)
    assert len(work.chapters) == 3
    assert all(c.heading is None for c in work.chapters)
    assert [len(c.scenes) for c in work.chapters] == [2, 1, 1]
    assert "Chapter Text" not in body(work)


# --- encodings ---------------------------------------------------------------

STORY = "Chapter 1: Café\n\nZoë said, “Naïve?”\n\nChapter 2: Über\n\n«Fin» — done.\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        lambda s: s.replace("\n", "\r").encode("utf-8"),
        lambda s: s.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "crlf", "cr", "cp1252"],
)
def test_encodings_and_newlines(tmp_path: Path, encode: object) -> None:
    assert callable(encode)
    work = load_work(write(tmp_path, "e.txt", encode(STORY)))
    assert work.text == STORY  # BOM gone, newlines normalised, characters intact
    assert [c.title for c in work.chapters] == ["Café", "Über"]
    assert paragraphs(work) == ["Zoë said, “Naïve?”", "«Fin» — done."]


def test_lines_of_spaces_and_nbsp_are_blank(tmp_path: Path) -> None:
    text = (
        "One paragraph.\n \u00a0 \nTwo paragraph.\n\u00a0\n\u00a0\n\u00a0\n\u00a0\nA new scene.\n"
    )
    work = load_work(write(tmp_path, "nbsp.txt", text))
    assert paragraphs(work) == ["One paragraph.", "Two paragraph.", "A new scene."]
    assert len(work.chapters[0].scenes) == 2


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", " \n\u00a0\n\t\n".encode(), "empty"),
        ("binary.txt", b"\x00\x01\x02hello\x00" * 50, "binary"),
        ("undecodable.txt", b"caf\xe9 \x81\x8d\x90", "undecodable"),
        ("notzip.epub", b"this is not a zip", "not a zip"),
        ("nobody.html", b"<html><head><title>x</title></head></html>", "no <body>"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
    ],
)
def test_bad_input_raises_input_error(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        load_work(path)
    assert problem in str(info.value)
    assert str(path) in str(info.value)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_work(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load_work(tmp_path)


# --- invariants (property-based) ----------------------------------------------

_word = st.text(alphabet="acdeilmnorstu", min_size=1, max_size=8)
_line = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_indent = st.sampled_from(["", " ", "    ", "\t", "\u00a0"])
_paragraph = st.tuples(_indent, st.lists(_line, min_size=1, max_size=4)).map(
    lambda t: t[0] + "\n".join(t[1])
)
_blank = st.sampled_from(["", " ", "\u00a0", "  \u00a0 "])
_gap = st.lists(_blank, min_size=1, max_size=6).map(lambda lines: "\n" + "\n".join(lines) + "\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    paras=st.lists(_paragraph, min_size=1, max_size=12),
    gaps=st.lists(_gap, min_size=12, max_size=12),
    crlf=st.booleans(),
)
def test_paragraphs_cover_every_non_blank_character_once(
    tmp_path: Path, paras: list[str], gaps: list[str], crlf: bool
) -> None:
    text = paras[0] + "".join(gap + p for gap, p in zip(gaps, paras[1:], strict=False)) + "\n"
    raw = text.replace("\n", "\r\n") if crlf else text
    work = load_work(write(tmp_path, "prop.txt", raw))
    check_spans(work)
    assert work.text == text
    covered = [0] * len(text)
    for _, _, p in work.paragraphs():
        for i in range(p.start, p.end):
            covered[i] += 1
    assert max(covered) <= 1  # no character in two paragraphs
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, (i, ch)  # every non-blank character in one paragraph
    assert len(paragraphs(work)) == len(paras)


# --- pathological input stays bounded ------------------------------------------


def test_huge_line_and_many_chapters_are_bounded(tmp_path: Path) -> None:
    # Sized down from bench/ingest.py (50 MB line, 10,000 chapters) to keep the test fast.
    line = ("word " * 400_000).strip()  # 2 MB, no line breaks
    started = time.perf_counter()
    work = load_work(write(tmp_path, "line.txt", line))
    assert len(work.chapters) == 1 and paragraphs(work) == [line]
    chapters = "".join(f"Chapter {i}\n\nText of chapter {i}.\n\n" for i in range(1, 2001))
    work = load_work(write(tmp_path, "many.txt", chapters))
    assert len(work.chapters) == 2000
    assert work.chapters[-1].heading == "Chapter 2000"
    # Generous bound: linear code does both in well under a second; quadratic would take minutes.
    assert time.perf_counter() - started < 20


_separator = st.sampled_from(["* * *", "~~~", "#", "oOo", "…..", "---"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chapters=st.lists(
        st.lists(st.lists(_paragraph, min_size=1, max_size=3), min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    ),
    separator=_separator,
)
def test_structure_and_coverage_with_headings_and_breaks(
    tmp_path: Path, chapters: list[list[list[str]]], separator: str
) -> None:
    """Headings and separator lines are structure; every other non-blank character is in
    exactly one paragraph, and chapters/scenes come out as generated."""
    parts: list[str] = []
    structural: list[tuple[int, int]] = []
    pos = 0

    def emit(piece: str, is_structure: bool) -> None:
        nonlocal pos
        if parts:
            parts.append("\n\n")
            pos += 2
        if is_structure:
            structural.append((pos, pos + len(piece)))
        parts.append(piece)
        pos += len(piece)

    for number, scenes in enumerate(chapters, 1):
        emit(f"Chapter {number}: Part {number}", True)
        for k, scene in enumerate(scenes):
            if k:
                emit(separator, True)
            for para in scene:
                emit(para, False)
    text = "".join(parts) + "\n"
    work = load_work(write(tmp_path, "gen.txt", text))
    check_spans(work)
    assert [len(c.scenes) for c in work.chapters] == [len(s) for s in chapters]
    assert [c.title for c in work.chapters] == [f"Part {n}" for n in range(1, len(chapters) + 1)]
    covered = [0] * len(text)
    for _, _, p in work.paragraphs():
        for i in range(p.start, p.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        in_structure = any(a <= i < b for a, b in structural)
        if not ch.isspace():
            assert covered[i] == (0 if in_structure else 1), (i, ch)


def test_title_line_before_the_first_chapter_heading_is_the_title(tmp_path: Path) -> None:
    text = (
        "The Salt Road\n\nChapter 1\n\nThe carts left before dawn.\n\n"
        '"Keep up," said Ora.\n\nChapter 2\n\nBy noon the road was white.\n'
    )
    work = load_work(write(tmp_path, "salt.txt", text))
    assert work.meta.title == "The Salt Road"
    assert [c.heading for c in work.chapters] == ["Chapter 1", "Chapter 2"]
    assert "The Salt Road" not in body(work)


# Our own prose, wrapped at 52 columns with no blank line between paragraphs, as in
# some old e-texts: only short last lines and back-to-back speeches mark paragraphs.
# (A paragraph whose last line nearly fills the width stays joined to the next.)
MILL_PARAGRAPHS = [
    "The mill wheel had stopped turning by the time the carrier's cart came down the "
    "lane, and the miller's boy ran out to meet it, cap in hand.",
    '"The bridge is down, sir." said the boy.',
    '"Then we go round by the ford." said the carrier, without looking at him. '
    '"Is the water high?"',
    '"Up to the second stone."',
    '"That will do."',
    "The boy climbed up beside him on the board and they went on together down the "
    "long hill, the horse picking its way.",
    "Neither of them spoke again until the ford.",
]
UNBROKEN = "CHAPTER I\n\n" + "\n".join(textwrap.fill(p, 52) for p in MILL_PARAGRAPHS) + "\n"


def test_hard_wrapped_text_without_blank_lines_is_split_into_paragraphs(
    tmp_path: Path,
) -> None:
    work = load_work(write(tmp_path, "mill.txt", UNBROKEN))
    check_spans(work)
    assert [" ".join(p.split()) for p in paragraphs(work)] == MILL_PARAGRAPHS


def test_an_ordinary_wrapped_paragraph_is_not_split(tmp_path: Path) -> None:
    # The same text as one paragraph holding one speech: a sentence may end early on a
    # line, but with no back-to-back speeches nothing shows the block is several.
    one = " ".join(p for p in MILL_PARAGRAPHS if not p.startswith(('"Up', '"That', '"The b')))
    work = load_work(write(tmp_path, "one.txt", "CHAPTER I\n\n" + textwrap.fill(one, 52) + "\n"))
    assert [" ".join(p.split()) for p in paragraphs(work)] == [one]
