"""Markdown works: ``#`` headings are chapters, ``***``/``---``/``___`` are scene breaks.

``Work.text`` is the Markdown source itself; paragraphs keep their markup
(``*emphasis*``) because text is never rewritten. A single top-level ``#``
heading above deeper chapter headings is the work's title, as is YAML front
matter (``title:``, ``author:``). A line ``By Name`` (or ``*by Name*``) right
under the title is the author.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from narrate.errors import InputError
from narrate.ingest.blocks import (
    Block,
    ChapterDraft,
    add_blocks,
    build_chapters,
    gap_threshold,
    split_blocks,
    usual_gap,
)
from narrate.ingest.plaintext import parse_heading, title_from_path
from narrate.model import Metadata, Work

_ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FRONT = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)
_BY = re.compile(r"^[*_]*by\s+(.+?)[*_]*$", re.IGNORECASE)


def _heading(text: str, block: Block) -> tuple[int, str] | None:
    lines = block.lines(text)
    if block.nlines == 1:
        m = _ATX.match(lines[0])
        return (len(m[1]), m[2].strip()) if m else None
    if block.nlines == 2 and _SETEXT.match(lines[1].strip()) and lines[0].strip():
        return (1 if lines[1].strip()[0] == "=" else 2, lines[0].strip())
    return None


def read_markdown(text: str, path: Path | None) -> Work:
    fields: dict[str, str] = {}
    start = 0
    front = _FRONT.match(text)
    if front:
        for line in front[1].split("\n"):
            key, _, value = line.partition(":")
            if value.strip():
                fields[key.strip().lower()] = value.strip().strip("\"'")
        start = front.end()
    blocks = split_blocks(text, start, alone=lambda line: bool(_ATX.match(line)))
    headings = [(i, h) for i, b in enumerate(blocks) if (h := _heading(text, b))]

    title = fields.get("title")
    author = fields.get("author")
    skip: set[int] = set()
    levels = Counter(level for _, (level, _) in headings)
    if headings and headings[0][1][0] == 1 and levels[1] == 1 and len(levels) > 1:
        i, (_, heading_text) = headings[0]
        title = title or heading_text
        skip.add(i)
        if i + 1 < len(blocks) and (m := _BY.match(text[blocks[i + 1].start : blocks[i + 1].end])):
            author = author or m[1].strip()
            skip.add(i + 1)
        headings = headings[1:]
    chapter_level = min((level for _, (level, _) in headings), default=1)

    body_blocks = [b for i, b in enumerate(blocks) if i not in skip]
    threshold = gap_threshold(usual_gap(body_blocks))
    drafts: list[ChapterDraft] = [ChapterDraft()]
    pending: list[Block] = []

    def flush() -> None:
        if pending:
            first = pending[0]
            add_blocks(
                drafts[-1],
                text,
                [Block(first.start, first.end, 0, first.nlines), *pending[1:]],
                threshold,
            )
            pending.clear()

    for i, block in enumerate(blocks):
        if i in skip:
            continue
        h = _heading(text, block)
        if h and h[0] <= chapter_level:
            flush()
            parsed = parse_heading(h[1])
            chapter_title = parsed.title if parsed else h[1]
            drafts.append(ChapterDraft(heading=h[1], title=chapter_title))
            continue
        pending.append(block)
    flush()

    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(path, "has headings but no text", "add the work's text under its headings")
    meta = Metadata(
        title=title or title_from_path(path),
        author=author,
        summary=fields.get("summary") or fields.get("description"),
        language=fields.get("lang") or fields.get("language"),
    )
    return Work(text=text, meta=meta, chapters=chapters, source=path, format="markdown")
