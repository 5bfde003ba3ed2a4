"""EPUB works, read with the standard library's ``zipfile`` and ``ElementTree``.

Chapters come from the table of contents (EPUB 3 navigation document, else the
EPUB 2 NCX), not from spine files: one file may hold several chapters (the TOC
points at anchors inside it) and one chapter may span several files (files the
TOC does not mention continue the chapter before them). Spine content before
the first TOC entry (cover, title page) and entries such as "Cover", "Title
Page", "Contents" or "Copyright" are skipped. Without a TOC, ``h1``/``h2``
headings start chapters and files named like cover/title/TOC pages are skipped. ``Work.text`` is the extracted
text, as for HTML.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from bs4 import BeautifulSoup, Tag

from narrate.errors import InputError
from narrate.ingest.blocks import ChapterDraft, TextBuilder, build_chapters
from narrate.ingest.decode import decode, read_bytes
from narrate.ingest.html import Item, add_items, chapter_title, html_items
from narrate.ingest.plaintext import language_code, title_from_path
from narrate.model import Metadata, Work

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
_SKIP_LABELS = re.compile(
    r"^(?:cover|title ?page|title|contents|table of contents|toc|copyright|copyright page|"
    r"half ?title|imprint|colophon|landmarks|dedication)$",
    re.IGNORECASE,
)

_FRONT_FILE = re.compile(r"cover|title|toc|contents|copyright|nav|colophon", re.IGNORECASE)


@dataclass(frozen=True)
class TocEntry:
    label: str
    file: str  # path inside the zip
    fragment: str | None


def _bad(path: Path, problem: str) -> InputError:
    return InputError(
        path, f"is not a readable EPUB ({problem})", "re-download or re-export it as EPUB"
    )


def _xml(zf: zipfile.ZipFile, name: str, path: Path) -> ElementTree.Element:
    try:
        data = zf.read(name)
    except KeyError:
        raise _bad(path, f"{name} is missing") from None
    if b"<!ENTITY" in data:  # refuse entity-expansion bombs; real EPUBs never declare entities
        raise _bad(path, f"{name} declares XML entities")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _bad(path, f"{name} is malformed XML: {exc}") from None


def _resolve(base_file: str, href: str) -> tuple[str, str | None]:
    href, _, fragment = href.partition("#")
    target = (
        posixpath.normpath(posixpath.join(posixpath.dirname(base_file), unquote(href)))
        if href
        else base_file
    )
    return target, fragment or None


def read_epub(path: Path) -> Work:
    data = read_bytes(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _bad(path, "not a zip archive") from None
    with zf:
        return _read(zf, path)


def _read(zf: zipfile.ZipFile, path: Path) -> Work:
    container = _xml(zf, "META-INF/container.xml", path)
    rootfile = container.find(".//c:rootfile", _NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise _bad(path, "container.xml names no package file")
    opf_name = str(rootfile.get("full-path"))
    opf = _xml(zf, opf_name, path)

    def dc(tag: str) -> str | None:
        el = opf.find(f".//dc:{tag}", _NS)
        return el.text.strip() if el is not None and el.text and el.text.strip() else None

    manifest: dict[str, tuple[str, str, str]] = {}  # id -> (file, media-type, properties)
    for item in opf.findall(".//opf:manifest/opf:item", _NS):
        file, _ = _resolve(opf_name, item.get("href", ""))
        manifest[item.get("id", "")] = (
            file,
            item.get("media-type", ""),
            item.get("properties", ""),
        )
    spine_el = opf.find(".//opf:spine", _NS)
    if spine_el is None:
        raise _bad(path, "its package has no spine")
    spine = [
        manifest[ref.get("idref", "")][0]
        for ref in spine_el.findall("opf:itemref", _NS)
        if ref.get("idref", "") in manifest and ref.get("linear", "yes") != "no"
    ]
    nav_file = next((f for f, _, props in manifest.values() if "nav" in props.split()), None)
    toc: list[TocEntry] = []
    if nav_file is not None:
        toc = _nav_entries(zf, nav_file, path)
    if not toc and spine_el.get("toc") in manifest:
        toc = _ncx_entries(zf, manifest[str(spine_el.get("toc"))][0], path)

    builder = TextBuilder()
    drafts: list[ChapterDraft] = []
    by_file: dict[str, list[TocEntry]] = {}
    for entry in toc:
        by_file.setdefault(entry.file, []).append(entry)
    current: ChapterDraft | None = None
    for file in spine:
        if file == nav_file:
            continue
        items = _file_items(zf, file, path)
        entries = by_file.get(file, [])
        if not toc:
            # No usable TOC: skip front-matter files by name; h1/h2 headings start
            # chapters and a file without one continues the chapter before it.
            if _FRONT_FILE.search(posixpath.basename(file)):
                continue
            for piece in items:
                if piece.kind == "heading" and piece.level <= 2:
                    builder.add(piece.text)
                    current = ChapterDraft(heading=piece.text, title=chapter_title(piece.text))
                    drafts.append(current)
                    continue
                if current is None:
                    current = ChapterDraft()
                    drafts.append(current)
                _add(builder, current, [piece])
            continue
        starts: dict[int, TocEntry] = {}
        for entry in entries:
            index = 0
            if entry.fragment:
                index = next(
                    (k for k, it in enumerate(items) if entry.fragment in it.anchor_ids), 0
                )
            starts.setdefault(index, entry)
        for k, piece in enumerate(items):
            if k in starts:
                entry = starts[k]
                if _SKIP_LABELS.match(entry.label.strip()):
                    current = None
                else:
                    current = ChapterDraft(heading=entry.label, title=chapter_title(entry.label))
                    drafts.append(current)
                    builder.add(entry.label)
                if current is not None and piece.kind == "heading":
                    continue  # the chapter's own heading, already announced via the TOC label
            if current is not None:
                _add(builder, current, [piece])

    chapters = build_chapters(drafts)
    if not chapters:
        raise InputError(
            path,
            "is an EPUB with no chapter text",
            "check that the book is not empty or DRM-protected",
        )
    meta = Metadata(
        title=dc("title") or title_from_path(path),
        author=dc("creator"),
        summary=_plain(dc("description")),
        language=language_code(dc("language")),
    )
    return Work(text=builder.text(), meta=meta, chapters=chapters, source=path, format="epub")


def _add(builder: TextBuilder, draft: ChapterDraft, items: list[Item]) -> None:
    add_items(builder, draft, items)


def _plain(html_or_text: str | None) -> str | None:
    if not html_or_text:
        return None
    if "<" not in html_or_text:
        return html_or_text
    return BeautifulSoup(html_or_text, "html.parser").get_text(" ", strip=True) or None


def _file_items(zf: zipfile.ZipFile, file: str, path: Path) -> list[Item]:
    try:
        raw = zf.read(file)
    except KeyError:
        raise _bad(path, f"{file} is listed in the spine but missing") from None
    soup = BeautifulSoup(decode(raw, path), "html.parser")
    if soup.body is None:
        return []
    body: Tag = soup.body
    # epub:type="cover"/"toc" sections and a nav inside content are not story text.
    for nav in body.find_all(["nav"]):
        nav.decompose()
    return html_items(body)


def _nav_entries(zf: zipfile.ZipFile, nav_file: str, path: Path) -> list[TocEntry]:
    try:
        soup = BeautifulSoup(decode(zf.read(nav_file), path), "html.parser")
    except KeyError:
        return []
    navs = soup.find_all("nav")
    toc_nav = next((n for n in navs if n.get("epub:type") == "toc"), navs[0] if navs else None)
    if not isinstance(toc_nav, Tag):
        return []
    entries: list[TocEntry] = []
    for a in toc_nav.find_all("a", href=True):  # document order == depth-first TOC order
        file, fragment = _resolve(nav_file, str(a["href"]))
        entries.append(TocEntry(a.get_text(" ", strip=True), file, fragment))
    return entries


def _ncx_entries(zf: zipfile.ZipFile, ncx_file: str, path: Path) -> list[TocEntry]:
    ncx = _xml(zf, ncx_file, path)
    entries: list[TocEntry] = []
    for point in ncx.iter(f"{{{_NS['ncx']}}}navPoint"):  # iter() is depth-first document order
        label = point.find("ncx:navLabel/ncx:text", _NS)
        content = point.find("ncx:content", _NS)
        if content is None or not content.get("src"):
            continue
        file, fragment = _resolve(ncx_file, str(content.get("src")))
        text = label.text.strip() if label is not None and label.text else ""
        entries.append(TocEntry(text, file, fragment))
    return entries
