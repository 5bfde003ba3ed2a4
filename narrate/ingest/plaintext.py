"""Plain text, Project Gutenberg text and text copied from an AO3 work page.

All three keep ``Work.text`` equal to the decoded file, so offsets point into the
file itself. What is *not* body (Gutenberg licence, title block, table of
contents, AO3 header/summary/notes, headings) is simply not covered by any
paragraph; everything that is body is covered exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path

from narrate.errors import InputError
from narrate.ingest.blocks import (
    Block,
    ChapterDraft,
    add_blocks,
    build_chapters,
    gap_threshold,
    is_separator,
    smart_title,
    split_blocks,
    split_wrapped,
    usual_gap,
)
from narrate.model import Metadata, Work

# --- headings -------------------------------------------------------------

_WORD_NUMBERS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
_ORDINALS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|last"
)
_NUMBER = (
    rf"(?:\d{{1,5}}|[ivxlcdm]{{1,8}}|(?:{_WORD_NUMBERS})(?:[- ](?:{_WORD_NUMBERS}))?"
    rf"|(?:the\s+)?(?:{_ORDINALS}))"
)
# "CHAPTER XII. THE STORM", "Chapter 1: The Oil Merchant", "BOOK THE FIRST",
# "PART ONE--The Old Buccaneer", "Phase the First: The Maiden", "Book First".
_KEYWORD = re.compile(
    rf"^(?P<kw>chapter|chap\.|letter|adventure|stave|canto|episode|book|part|volume|vol\.|phase)"
    rf"\s+(?P<num>{_NUMBER})(?![\w'’])\.?(?P<sep>\s*(?:[:.\-–—]+|\s)\s*)?(?P<title>.*)$",
    re.IGNORECASE,
)
_PART_KEYWORDS = {"book", "part", "volume", "vol.", "phase"}
_SPECIAL = re.compile(
    r"^(?P<kw>prologue|epilogue|preface|introduction|foreword|afterword|interlude|conclusion|"
    r"postscript|author'?s note)(?![\w'’])\.?(?P<sep>\s*(?:[:.\-–—]+|\s)\s*)?(?P<title>.*)$",
    re.IGNORECASE,
)
# A bare number: "I", "IV.", "12", "— I —", "[ 1 ]", "I. The Return", "01 My Early Home".
_BARE = re.compile(
    rf"^(?P<num>\d{{1,3}}|[IVXLCDM]{{1,8}}|(?i:{_WORD_NUMBERS}))(?![\w'’])\.?"
    r"(?P<sep>\s*(?:[:.\-–—]+|\s)\s*)?(?P<title>.*)$"
)
_DECOR = " \t_*[](){}—–-=~"
_CONTENTS = re.compile(r"^(?:table of )?contents\.?$", re.IGNORECASE)
_QUOTE_START = tuple("\"'“”‘’«»„")


class Heading:
    """A recognised heading block: its level, the text as written and its title."""

    def __init__(self, level: str, written: str, title: str | None, kind: str) -> None:
        self.level = level  # "part" or "chapter"
        self.kind = kind  # the keyword ("chapter", "book", ...) or "number" for a bare number
        self.written = written
        self.title = title


def _clean_title(title: str) -> str | None:
    title = title.strip().strip("_*").strip()
    title = title.rstrip(".").strip() if title.count(".") == 1 and title.endswith(".") else title
    return smart_title(title) if title else None


def _title_ok(title: str, sep: str | None) -> bool:
    """Is ``title`` (the rest of a heading line) a heading title rather than prose?"""
    if not title:
        return True
    if len(title) > 100 or title.startswith(_QUOTE_START):
        return False
    first = title.lstrip("_*(")[:1]
    if not first:
        return True
    if first.isdigit():
        return False
    if first.islower():
        # "Chapter 3: in which..." is a title; "Part one of the plan was..." is prose.
        return bool(sep and sep.strip(" \t") in {":", "—", "–", "-", "--", "."})
    return not title.endswith((",", ";"))


def parse_heading(line: str) -> Heading | None:
    """Recognise one heading line, or return None. Used on short lone blocks only."""
    raw = line.strip()
    core = raw.strip(_DECOR)
    if not core or len(raw) > 120 or not (core[0].isupper() or core[0].isdigit()):
        return None
    for pattern in (_KEYWORD, _SPECIAL):
        m = pattern.match(core)
        if m and _title_ok(m["title"], m["sep"]):
            kw = m["kw"].lower()
            level = "part" if kw in _PART_KEYWORDS else "chapter"
            return Heading(level, raw, _clean_title(m["title"]) if m["title"] else None, kw)
    m = _BARE.match(core)
    if m and _title_ok(m["title"], m["sep"]) and (not m["title"] or m["title"][:1].isupper()):
        num = m["num"]
        if num.isalpha() and not num.isupper() and m["title"]:
            return None  # "One day..." is prose; only a lone number word is a heading
        return Heading("chapter", raw, _clean_title(m["title"]) if m["title"] else None, "number")
    return None


def _is_subtitle(lines: list[str]) -> bool:
    """A line under a bare heading that names the chapter ("THE STORM", "Chiswick Mall")."""
    text = " ".join(s.strip() for s in lines)
    if len(lines) > 2 or len(text) > 160 or text.startswith(_QUOTE_START) or is_separator(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if all(not ch.islower() for ch in letters):
        return not text.endswith((",", ";"))
    words = text.split()
    if len(words) > 10 or text.endswith(("!", "?", ",", ";", ":", "…")):
        return False
    if text.endswith(".") and (
        len(words) > 8 or "." in text[:-1].replace("Mr.", "").replace("Mrs.", "")
    ):
        return False
    significant = [w for w in words if len(w.strip("_*'’.")) >= 4]
    capitalised = [w for w in significant if w.strip("_*'’(")[:1].isupper()]
    if text.endswith("."):  # "The Missing Heir." yes; "Text of chapter one." no
        return text[:1].isupper() and len(capitalised) == len(significant)
    return text[:1].isupper() and len(capitalised) * 2 >= len(significant)


# --- metadata helpers -----------------------------------------------------

_LANGUAGES = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "deutsch": "de",
    "german": "de",
    "italiano": "it",
    "italian": "it",
    "português": "pt",
    "português brasileiro": "pt-BR",
    "portuguese": "pt",
    "русский": "ru",
    "russian": "ru",
    "中文-普通话 國語": "zh",
    "chinese": "zh",
    "日本語": "ja",
    "japanese": "ja",
    "polski": "pl",
    "polish": "pl",
    "nederlands": "nl",
    "dutch": "nl",
    "svenska": "sv",
    "한국어": "ko",
}


def language_code(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    if re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?", name):
        return name
    return _LANGUAGES.get(name.lower())


def title_from_path(path: Path | None) -> str:
    if path is None:
        return "Untitled"
    words = re.sub(r"[_\-]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


def _join(text: str, blocks: list[Block]) -> str | None:
    """Metadata text from blocks: paragraphs kept, wrapped lines left as written."""
    if not blocks:
        return None
    return "\n\n".join(text[b.start : b.end] for b in blocks).strip() or None


# --- plain text and Gutenberg ---------------------------------------------

_GUT_START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*$|^\*END\*THE SMALL PRINT[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_GUT_END = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*$|^\s*End of (?:the )?Project Gutenberg'?s?[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_FIELD = re.compile(r"^(Title|Author|Language|Translator|Editor):[ \t]*(.*)$", re.IGNORECASE)
_BY = re.compile(r"^(?:by|written by|von|par)\s+(?P<name>\S.{0,80})$", re.IGNORECASE)
_PRODUCER = re.compile(
    r"^(?:produced by|e-?text prepared by|this (?:e-?book|file) was produced|transcriber|\[illustration)",
    re.IGNORECASE,
)


def _header_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    last = None
    for line in text.split("\n"):
        m = _HEADER_FIELD.match(line.strip())
        if m:
            last = m[1].lower()
            fields.setdefault(last, m[2].strip())
        elif last and line.startswith((" ", "\t")) and line.strip():
            fields[last] += " " + line.strip()  # Gutenberg wraps long titles
        else:
            last = None
    return fields


def _is_prose(text: str, block: Block) -> bool:
    body = text[block.start : block.end]
    return (
        len(body.split()) >= 20 and any(ch.islower() for ch in body) and not _PRODUCER.match(body)
    )


def read_plain(text: str, path: Path | None) -> Work:
    """Plain or Gutenberg text: title block, headings, scenes, paragraphs."""
    fields: dict[str, str] = {}
    start, end = 0, len(text)
    gutenberg = False
    m_start = _GUT_START.search(text)
    if m_start:
        gutenberg = True
        fields = _header_fields(text[: m_start.start()])
        start = m_start.end()
        m_end = _GUT_END.search(text, start)
        if m_end:
            end = m_end.start()
    blocks = [
        part for block in split_blocks(text, start, end) for part in split_wrapped(text, block)
    ]

    # Leading "Title: ..." / "Author: ..." header blocks (our own or a trimmed Gutenberg file).
    while blocks and all(_HEADER_FIELD.match(line.strip()) for line in blocks[0].lines(text)):
        for key, value in _header_fields(text[blocks[0].start : blocks[0].end]).items():
            fields.setdefault(key, value)
        blocks.pop(0)

    title = fields.get("title")
    author = fields.get("author")
    # A leading title block: "The Lamplighter's Bargain" / "By Ada Vell".
    if (
        len(blocks) >= 2
        and blocks[0].nlines <= 2
        and parse_heading(text[blocks[0].start : blocks[0].end]) is None
    ):
        first = " ".join(s.strip() for s in blocks[0].lines(text))
        by = (
            _BY.match(" ".join(s.strip() for s in blocks[1].lines(text)))
            if blocks[1].nlines <= 2
            else None
        )
        if (
            by
            and _looks_like_name(by["name"])
            and len(first) <= 120
            and not first.startswith(_QUOTE_START)
            and not first.endswith((".", ",", ";", ":"))
        ):
            title = title or first.strip("_*# ")
            author = author or by["name"].strip()
            blocks = blocks[2:]
        elif _is_lone_title(first, blocks[1], text) or _is_title_before_heading(
            first, blocks[1], text
        ):
            title = title or smart_title(first)
            blocks = blocks[1:]

    drafts = _chapters_from_blocks(text, blocks, gutenberg)
    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(
            path, "has no story text after its headers", "check that it is the work itself"
        )
    meta = Metadata(
        title=title or title_from_path(path),
        author=author,
        language=language_code(fields.get("language")),
    )
    return Work(
        text=text,
        meta=meta,
        chapters=chapters,
        source=path,
        format="gutenberg" if gutenberg else "text",
    )


_NAME_PARTICLES = {
    "and",
    "&",
    "de",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "da",
    "di",
    "du",
    "of",
    "y",
}


def _looks_like_name(name: str) -> bool:
    """ "Petra Halloway", "J. R. Fenwick and Ada Vell"; not "the river, the reeds grew tall"."""
    words = name.strip().rstrip(".").split()
    if not words or len(words) > 8 or any(ch in name for ch in ',;:!?"“”'):
        return False
    return (
        all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
        and words[0][:1].isupper()
    )


def _is_lone_title(first: str, following: Block, text: str) -> bool:
    """An ALL-CAPS short first line followed by prose is the work's title."""
    letters = [ch for ch in first if ch.isalpha()]
    return (
        bool(letters)
        and all(ch.isupper() for ch in letters)
        and len(first.split()) <= 10
        and not first.endswith((".", ",", ";", ":", "!", "?"))
        and not first.startswith(_QUOTE_START)
        and following.nlines > 0
    )


def _is_title_before_heading(first: str, following: Block, text: str) -> bool:
    """ "My Story" then "Chapter 1": a short line standing before the first chapter
    heading names the work; it is not a chapter of its own."""
    lines = following.lines(text)
    return (
        following.nlines == 1
        and parse_heading(lines[0]) is not None
        and parse_heading(first) is None
        and len(first.split()) <= 12
        and any(ch.isalpha() for ch in first)
        and not first.endswith((".", ",", ";", ":", "!", "?"))
        and not first.startswith(_QUOTE_START)
    )


def _chapters_from_blocks(text: str, blocks: list[Block], gutenberg: bool) -> list[ChapterDraft]:
    """Group blocks under headings; drop tables of contents; break scenes."""
    threshold = gap_threshold(usual_gap(blocks))
    drafts: list[ChapterDraft] = []
    front: list[Block] = []  # body before the first heading
    body: list[Block] = []
    group: list[Heading] = []  # consecutive headings not yet followed by body
    expect_subtitle = False
    in_contents = False
    contents: list[Block] = []
    current: ChapterDraft | None = None

    def flush() -> None:
        if current is not None:
            add_blocks(current, text, body, threshold)
        body.clear()

    for block in blocks:
        lines = block.lines(text)
        heading = parse_heading(lines[0]) if block.nlines <= 3 and len(lines[0]) <= 120 else None
        if heading is not None and block.nlines > 1:
            rest = [s.strip() for s in lines[1:]]
            if all(len(s) <= 100 for s in rest) and _is_subtitle(rest):
                heading.written = " / ".join([heading.written, *rest])
                heading.title = heading.title or _clean_title(" ".join(rest))
            else:
                heading = None
        if (
            group
            and expect_subtitle
            and block.gap <= threshold
            # "CHAPTER I" then "I MEET SIR HENRY" (reads as a numbered title) is a
            # subtitle; "PART ONE" then "Chapter I: The Bertolini" is not.
            and (heading is None or (heading.kind == "number" and heading.title is not None))
            and _is_subtitle(lines)
        ):
            group[-1].title = _clean_title(" ".join(s.strip() for s in lines))
            group[-1].written += " / " + " ".join(s.strip() for s in lines)
            expect_subtitle = False
            continue
        if heading is not None:
            if group and (
                any(h.kind == heading.kind for h in group)
                or (heading.level == "part" and group[-1].level == "chapter")
            ):
                # The same kind of heading twice with no text between ("Chapter 1",
                # "Chapter 2", ...) is a table of contents, not chapters.
                group = []
            group.append(heading)
            expect_subtitle = heading.title is None
            in_contents = False
            continue
        if block.nlines == 1 and _CONTENTS.match(lines[0].strip()):
            in_contents = True
            contents.append(block)
            continue
        if in_contents and not group:
            contents.append(block)  # entries of a contents list that are not headings
            continue
        if group:
            flush()
            titles = [h.title for h in group if h.title]
            current = ChapterDraft(
                heading=" / ".join(h.written for h in group),
                title=titles[-1] if titles else None,
            )
            drafts.append(current)
            group = []
            expect_subtitle = False
            body.append(block.__class__(block.start, block.end, 0, block.nlines))
            continue
        if current is None:
            front.append(block)
        else:
            body.append(block)
    flush()

    if current is None and contents:
        # "Contents" but no chapter heading ever followed: it was text after all.
        front = sorted(front + contents, key=lambda b: b.start)
    if front:
        keep = not gutenberg or any(_is_prose(text, b) for b in front)
        if gutenberg:
            front = [b for b in front if not _PRODUCER.match(text[b.start : b.end])]
        if keep and front:
            draft = ChapterDraft()
            add_blocks(
                draft,
                text,
                [Block(front[0].start, front[0].end, 0, front[0].nlines), *front[1:]],
                threshold,
            )
            drafts.insert(0, draft)
    return drafts


# --- AO3 page text --------------------------------------------------------

_AO3_CHAPTER = re.compile(r"^Chapter (\d+)(?:\s*:\s*(.*))?$")
_AO3_MARKERS = {
    "Actions",
    "Work Header",
    "Summary:",
    "Notes:",
    "Work Text:",
    "Chapter Text",
    "(See the end of the work for more notes.)",
    "(See the end of the chapter for more notes.)",
    "(See the end of the work for other works inspired by this one.)",
}
_AO3_TAG_KEYS = {
    "Rating",
    "Archive Warning",
    "Archive Warnings",
    "Category",
    "Categories",
    "Fandom",
    "Fandoms",
    "Relationship",
    "Relationships",
    "Character",
    "Characters",
    "Additional Tags",
    "Language",
    "Series",
    "Collections",
    "Stats",
    "Published",
    "Completed",
    "Updated",
    "Words",
    "Chapters",
    "Comments",
    "Kudos",
    "Bookmarks",
    "Hits",
}
_TAG_KEY = re.compile(r"^([A-Z][A-Za-z ]{2,20}):\s*(.*)$")
_TAG_CANONICAL = {
    "Archive Warnings": "Archive Warning",
    "Categories": "Category",
    "Fandoms": "Fandom",
    "Relationships": "Relationship",
    "Character": "Characters",
}


def _ao3_alone(line: str) -> bool:
    return line in _AO3_MARKERS or bool(_AO3_CHAPTER.match(line)) or _tag_key(line) is not None


def _tag_key(line: str) -> str | None:
    m = _TAG_KEY.match(line)
    return m[1] if m and m[1] in _AO3_TAG_KEYS and not m[2] else None


def looks_like_ao3_text(text: str) -> bool:
    """AO3 page text has ``Work Text:`` or ``Chapter Text`` marker lines of its own."""
    head = text[:20000]
    return bool(
        re.search(r"^Work Text:[ \t]*$", text, re.MULTILINE)
        or re.search(r"^Chapter Text[ \t]*$", text, re.MULTILINE)
        or (
            re.search(r"^Work Header[ \t]*$", head, re.MULTILINE)
            and re.search(r"^Summary:[ \t]*$", head, re.MULTILINE)
        )
    )


def read_ao3_text(text: str, path: Path | None) -> Work:
    """Text copied from an AO3 work page (see seeds): header, notes, chapters, end notes."""
    blocks = split_blocks(text, alone=_ao3_alone)
    body_blocks_all: list[Block] = []
    tags: dict[str, list[str]] = {}
    title: str | None = None
    author: str | None = None
    summary: list[Block] = []
    notes: list[Block] = []
    see_end_of_work = False
    drafts: list[ChapterDraft] = []
    chapter_body: dict[int, list[Block]] = {}
    chapter_end: dict[int, list[list[Block]]] = {}
    chapter_meta: dict[int, dict[str, list[Block]]] = {}

    has_header = any(text[b.start : b.end] in {"Work Header", "Actions"} for b in blocks[:5])
    state = "pre" if has_header else "body"
    tag_key: str | None = None
    if not has_header:
        drafts.append(ChapterDraft())
    target: list[Block] | None = None

    def new_chapter(heading: str | None, title_: str | None) -> None:
        drafts.append(ChapterDraft(heading=heading, title=title_))

    for block in blocks:
        line = text[block.start : block.end] if block.nlines == 1 else None
        n = len(drafts) - 1
        if line == "Work Header":
            state = "header"
            continue
        if line == "Actions" and state == "pre":
            continue
        if line in {
            "(See the end of the work for more notes.)",
            "(See the end of the work for other works inspired by this one.)",
        }:
            see_end_of_work = True
            continue
        if line == "(See the end of the chapter for more notes.)":
            continue
        m_chapter = _AO3_CHAPTER.match(line) if line else None
        if m_chapter and state != "pre":
            new_chapter(line, (m_chapter[2] or "").strip() or None)
            state, target = "chapmeta", None
            continue
        if line == "Work Text:":
            if not drafts:
                drafts.append(ChapterDraft())
            state = "body"
            continue
        if line == "Chapter Text":
            # A new chapter starts unless a "Chapter N" heading already opened it.
            if not drafts or (state != "chapmeta" and chapter_body.get(n)):
                drafts.append(ChapterDraft())
            state = "body"
            continue
        if line == "Summary:":
            if state in {"pre", "header", "summary", "notes"}:
                state, target = "summary", summary
            elif state == "chapmeta":
                target = chapter_meta.setdefault(n, {}).setdefault("summary", [])
            continue
        if line == "Notes:":
            if state in {"pre", "header", "summary", "notes"}:
                state, target = "notes", notes
            elif state == "chapmeta":
                target = chapter_meta.setdefault(n, {}).setdefault("notes", [])
            else:  # after a chapter's text: its end notes (or the work's, see below)
                state = "endnotes"
                target = []
                chapter_end.setdefault(n, []).append(target)
            continue
        if state == "header":
            key = _tag_key(line) if line else None
            m_inline = _TAG_KEY.match(line) if line else None
            if key:
                tag_key = key
                continue
            if tag_key is not None:
                value = text[block.start : block.end]
                tags.setdefault(canonical_tag(tag_key), []).extend(_split_tags(value))
                tag_key = None
                continue
            if m_inline and m_inline[1] in _AO3_TAG_KEYS:
                tags.setdefault(canonical_tag(m_inline[1]), []).extend(_split_tags(m_inline[2]))
                continue
            if title is None:
                title = " ".join(s.strip() for s in block.lines(text))
            elif author is None and block.nlines == 1 and len(line or "") <= 100:
                author = re.sub(r"^by\s+", "", line or "", flags=re.IGNORECASE)
            continue
        if state in {"summary", "notes", "chapmeta", "endnotes"}:
            if target is not None:
                target.append(block)
            continue
        if state == "body":
            if not drafts:
                drafts.append(ChapterDraft())
                n = 0
            chapter_body.setdefault(n, []).append(block)
            body_blocks_all.append(block)
        # state "pre": AO3 navigation text before the header is not part of the work

    threshold = gap_threshold(usual_gap(body_blocks_all))
    work_end_notes: str | None = None
    last = len(drafts) - 1
    for i, draft in enumerate(drafts):
        body = chapter_body.get(i, [])
        if body:
            add_blocks(
                draft,
                text,
                [Block(body[0].start, body[0].end, 0, body[0].nlines), *body[1:]],
                threshold,
            )
        meta = chapter_meta.get(i, {})
        draft.summary = _join(text, meta.get("summary", []))
        draft.notes = _join(text, meta.get("notes", []))
        ends = chapter_end.get(i, [])
        if i == last and ends and (see_end_of_work or len(ends) > 1 or len(drafts) == 1):
            work_end_notes = _join(text, ends.pop())
        draft.end_notes = _join(text, [b for section in ends for b in section])

    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(
            path,
            "has an AO3 header but no work text",
            "copy the whole work page, including the text",
        )
    language = tags.get("Language")
    meta_ = Metadata(
        title=title or title_from_path(path),
        author=author,
        summary=_join(text, summary),
        notes=_join(text, notes),
        end_notes=work_end_notes,
        language=language_code(language[0]) if language else None,
        tags={k: tuple(v) for k, v in tags.items()},
    )
    return Work(text=text, meta=meta_, chapters=chapters, source=path, format="ao3-text")


def _split_tags(value: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",\s+|\n", value)]
    return [p for p in parts if p]


def canonical_tag(key: str) -> str:
    return _TAG_CANONICAL.get(key, key)
