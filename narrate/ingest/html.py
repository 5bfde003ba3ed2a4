"""HTML works: AO3 HTML downloads first, any other HTML by its headings.

``Work.text`` is the text extracted from the markup, written as plain text
(one blank line between paragraphs, chapter headings on their own line), and
all offsets index into it. Paragraph text keeps the author's words; only HTML
whitespace is collapsed as a browser would, and ``<br>`` becomes a newline.

AO3 layout (``div#preface`` / ``div#chapters`` / ``div#afterword``): tags from
``dl.tags``, title from ``h1``, author from ``div.byline``, summary and notes
from ``blockquote.userstuff`` after a "Summary"/"Notes" label; chapters from
``div.meta`` headings (``h2.heading`` "Chapter 1: Title") and ``div.userstuff``;
chapter summaries/notes/end notes and the afterword end notes are metadata and
never part of a chapter's text. ``<hr>`` and separator paragraphs break scenes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

from narrate.errors import InputError
from narrate.ingest.blocks import ChapterDraft, TextBuilder, build_chapters, is_separator
from narrate.ingest.decode import decode
from narrate.ingest.plaintext import canonical_tag, language_code, parse_heading, title_from_path
from narrate.model import Metadata, Work

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {
    "p",
    "div",
    "blockquote",
    "li",
    "ul",
    "ol",
    "pre",
    "section",
    "article",
    "main",
    "body",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "center",
    "header",
    "footer",
    "aside",
    "figure",
    "dl",
    "dd",
    "dt",
    "nav",
    "address",
    "hr",
}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "math"}
_BR = "\x00"  # stands for <br> while whitespace is collapsed


@dataclass
class Item:
    kind: str  # "para", "break" or "heading"
    text: str
    level: int = 0  # heading level 1-6
    anchor_ids: tuple[str, ...] = ()  # ids of elements that start at this item (EPUB anchors)


def _inline_text(nodes: list[NavigableString | Tag]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Tag):
            if node.name in _SKIP:
                continue
            if node.name == "br":
                parts.append(_BR)
                continue
            for sub in node.descendants:
                if isinstance(sub, Tag):
                    if sub.name == "br":
                        parts.append(_BR)
                elif _is_text(sub) and not any(
                    p.name in _SKIP for p in sub.parents if isinstance(p, Tag)
                ):
                    parts.append(str(sub))
        elif _is_text(node):
            parts.append(str(node))
    collapsed = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(parts))
    lines = [line.strip() for line in collapsed.split(_BR)]
    return "\n".join(line for line in lines if line)


def _is_text(node: object) -> bool:
    return isinstance(node, NavigableString) and not isinstance(
        node, Comment | Declaration | Doctype | ProcessingInstruction
    )


def html_items(root: Tag) -> list[Item]:
    """Flatten ``root`` into paragraphs, headings and scene breaks, in reading order."""
    items: list[Item] = []
    pending_ids: list[str] = []
    _walk(root, items, pending_ids)
    return items


def _ids(tag: Tag) -> list[str]:
    found = [str(tag["id"])] if tag.get("id") else []
    found += [str(t["id"]) for t in tag.find_all(id=True)]
    found += [str(t["name"]) for t in tag.find_all("a", attrs={"name": True})]
    return found


def _emit(items: list[Item], pending_ids: list[str], item: Item) -> None:
    item.anchor_ids = tuple(pending_ids)
    pending_ids.clear()
    items.append(item)


def _walk(el: Tag, items: list[Item], pending_ids: list[str]) -> None:
    inline: list[NavigableString | Tag] = []

    def flush() -> None:
        if inline:
            text = _inline_text(inline)
            for node in inline:
                if isinstance(node, Tag):
                    pending_ids.extend(_ids(node))
            inline.clear()
            if text:
                kind = "break" if is_separator(text) else "para"
                _emit(items, pending_ids, Item(kind, text))

    for child in el.children:
        if isinstance(child, Tag) and child.name in _SKIP:
            continue
        if not (isinstance(child, Tag) and child.name in _BLOCKS):
            if isinstance(child, Tag | NavigableString) and (
                isinstance(child, Tag) or _is_text(child)
            ):
                inline.append(child)
            continue
        flush()
        if child.get("id"):
            pending_ids.append(str(child["id"]))
        if child.name == "hr":
            _emit(items, pending_ids, Item("break", ""))
        elif child.name in _HEADINGS:
            pending_ids.extend(_ids(child)[1 if child.get("id") else 0 :])
            text = _inline_text([child]).replace("\n", " ")
            if text:
                _emit(items, pending_ids, Item("heading", text, int(child.name[1])))
        elif child.find(_BLOCKS) is not None:
            _walk(child, items, pending_ids)
        else:
            pending_ids.extend(_ids(child)[1 if child.get("id") else 0 :])
            text = _inline_text([child])
            if text:
                kind = "break" if is_separator(text) else "para"
                _emit(items, pending_ids, Item(kind, text))
    flush()


def add_items(builder: TextBuilder, draft: ChapterDraft, items: list[Item]) -> None:
    """Write paragraphs into ``builder`` and record them (and breaks) in ``draft``."""
    for item in items:
        if item.kind == "break":
            draft.scene_break()
        elif item.kind == "para":
            draft.paragraphs.append(builder.add(item.text))
        else:  # a heading inside a chapter (e.g. a letter's title) is read as text
            draft.paragraphs.append(builder.add(item.text))


def chapter_title(heading: str) -> str | None:
    """ "Chapter 3: The Storm" -> "The Storm"; a heading that is only a number has no title."""
    parsed = parse_heading(heading)
    if parsed is not None:
        return parsed.title
    m = re.match(r"^Chapter \d+\s*:\s*(.+)$", heading)
    return m[1].strip() if m else heading


def parse_soup(data: bytes, path: Path) -> BeautifulSoup:
    text = decode(data, path)
    soup = BeautifulSoup(text, "html.parser")
    body = soup.body
    if body is None or not body.get_text(strip=True):
        raise InputError(
            path,
            "is HTML with no <body> text",
            "save the complete page (an AO3 'Download > HTML' file)",
        )
    return soup


def read_html(data: bytes, path: Path) -> Work:
    soup = parse_soup(data, path)
    if soup.find(id="chapters") is not None or soup.find(id="preface") is not None:
        return _read_ao3(soup, path)
    return _read_generic(soup, path)


def _labelled_blockquotes(container: Tag | None) -> dict[str, str]:
    """AO3 writes a label paragraph ("Summary", "Notes", "Chapter End Notes") before each blockquote."""
    found: dict[str, str] = {}
    if container is None:
        return found
    for quote in container.find_all("blockquote"):
        label_tag = quote.find_previous_sibling(["p", "h3", "h2", "div"])
        label = label_tag.get_text(" ", strip=True).rstrip(":").lower() if label_tag else ""
        text = "\n\n".join(i.text for i in html_items(quote) if i.kind != "break")
        if not text:
            continue
        key = "end_notes" if "end notes" in label else "summary" if "summary" in label else "notes"
        found[key] = (found[key] + "\n\n" + text) if key in found else text
    return found


def _read_ao3(soup: BeautifulSoup, path: Path) -> Work:
    preface = soup.find(id="preface")
    preface = preface if isinstance(preface, Tag) else None
    tags: dict[str, tuple[str, ...]] = {}
    title: str | None = None
    author: str | None = None
    labelled: dict[str, str] = {}
    if preface is not None:
        dl = preface.find("dl", class_="tags")
        if isinstance(dl, Tag):
            for dt in dl.find_all("dt"):
                key = canonical_tag(dt.get_text(" ", strip=True).rstrip(":"))
                dd = dt.find_next_sibling("dd")
                if not isinstance(dd, Tag):
                    continue
                links = [a.get_text(" ", strip=True) for a in dd.find_all("a")]
                values = links or [
                    v.strip() for v in dd.get_text(" ", strip=True).split(", ") if v.strip()
                ]
                if key in {"Stats", "Series"}:
                    values = [dd.get_text(" ", strip=True)]
                tags[key] = tuple(values)
        h1 = preface.find("h1")
        title = h1.get_text(" ", strip=True) if h1 else None
        byline = preface.find(class_="byline")
        if isinstance(byline, Tag):
            names = [a.get_text(strip=True) for a in byline.find_all("a")]
            author = (
                ", ".join(names)
                if names
                else re.sub(r"^by\s+", "", byline.get_text(" ", strip=True))
            )
        labelled = _labelled_blockquotes(preface)
    afterword = soup.find(id="afterword")
    end_labelled = _labelled_blockquotes(afterword if isinstance(afterword, Tag) else None)

    builder = TextBuilder()
    drafts: list[ChapterDraft] = []
    chapters_el = soup.find(id="chapters")
    if not isinstance(chapters_el, Tag):
        chapters_el = soup.body
    assert chapters_el is not None  # parse_soup guarantees a body
    parts = [c for c in chapters_el.children if isinstance(c, Tag)]
    has_meta = any("meta" in (c.get("class") or []) for c in parts)
    if not has_meta:
        draft = ChapterDraft()
        content = [c for c in parts if "userstuff" in (c.get("class") or [])] or [chapters_el]
        for el in content:
            add_items(builder, draft, html_items(el))
        drafts.append(draft)
    else:
        for el in parts:
            classes: list[str] = list(el.get("class") or [])
            if "meta" in classes:
                heading_el = el.find(class_="heading") or el.find(_HEADINGS)
                notes = _labelled_blockquotes(el)
                if heading_el is not None:
                    heading = heading_el.get_text(" ", strip=True)
                    builder.add(heading)
                    drafts.append(
                        ChapterDraft(
                            heading=heading,
                            title=chapter_title(heading),
                            summary=notes.get("summary"),
                            notes=notes.get("notes"),
                        )
                    )
                elif drafts:  # the meta block after a chapter holds its end notes
                    drafts[-1].end_notes = notes.get("end_notes") or notes.get("notes")
            elif "userstuff" in classes or el.name in {"div", "section"}:
                if not drafts:
                    drafts.append(ChapterDraft())
                add_items(builder, drafts[-1], html_items(el))

    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(
            path, "is an AO3 page with no chapter text", "download the work again with its text"
        )
    meta = Metadata(
        title=title or _page_title(soup) or title_from_path(path),
        author=author,
        summary=labelled.get("summary"),
        notes=labelled.get("notes"),
        end_notes=end_labelled.get("end_notes") or end_labelled.get("notes"),
        language=language_code(tags["Language"][0]) if tags.get("Language") else _html_lang(soup),
        tags=tags,
    )
    return Work(text=builder.text(), meta=meta, chapters=chapters, source=path, format="ao3-html")


def _page_title(soup: BeautifulSoup) -> str | None:
    if soup.title and soup.title.get_text(strip=True):
        return soup.title.get_text(" ", strip=True)
    return None


def _html_lang(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    return language_code(str(lang)) if lang else None


def _read_generic(soup: BeautifulSoup, path: Path) -> Work:
    """Any HTML: the most-used heading level splits chapters; a lone h1 above them is the title."""
    assert soup.body is not None
    items = html_items(soup.body)
    levels = [i.level for i in items if i.kind == "heading"]
    title = _page_title(soup)
    chapter_level = min(levels, default=0)
    if levels.count(1) == 1 and any(level > 1 for level in levels):
        first_h1 = next(i for i in items if i.kind == "heading" and i.level == 1)
        title = first_h1.text
        items.remove(first_h1)
        chapter_level = min(level for level in levels if level > 1)
    builder = TextBuilder()
    drafts = [ChapterDraft()]
    for item in items:
        if item.kind == "heading" and item.level <= chapter_level:
            builder.add(item.text)
            drafts.append(ChapterDraft(heading=item.text, title=chapter_title(item.text)))
        else:
            add_items(builder, drafts[-1], [item])
    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(
            path, "is HTML with no paragraphs of text", "pass the page that holds the work"
        )
    meta = Metadata(title=title or title_from_path(path), language=_html_lang(soup))
    return Work(text=builder.text(), meta=meta, chapters=chapters, source=path, format="html")
