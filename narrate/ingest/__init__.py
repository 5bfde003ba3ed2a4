"""Ingest: any supported work file -> one ``narrate.model.Work``.

``load_work`` picks the reader from the file itself (extension, then content):

* ``.epub`` -> ``epub.read_epub`` (chapters from the nav document / NCX),
* ``.html``/``.htm``/``.xhtml`` or text starting with ``<html``/``<!DOCTYPE`` ->
  ``html.read_html`` (AO3 HTML downloads and plain HTML),
* ``.md``/``.markdown`` -> ``markdown.read_markdown``,
* anything else is text: AO3 page text when it has AO3's marker lines
  (``Work Text:``, ``Chapter Text``), else plain/Gutenberg text.

For text formats ``Work.text`` is the decoded file with newlines normalised to
``\\n`` (see ``decode``); for HTML and EPUB it is the extracted text. Every
failure to read raises ``narrate.errors.InputError`` naming the file.
"""

from __future__ import annotations

from pathlib import Path

from narrate.errors import InputError
from narrate.model import Work

__all__ = ["load_work"]

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}


def load_work(path: str | Path) -> Work:
    """Read the work at ``path`` in whatever supported format it is."""
    from narrate.ingest import decode

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".epub":
        from narrate.ingest.epub import read_epub

        return read_epub(path)
    data = decode.read_bytes(path)
    if data[:4] == b"PK\x03\x04" and b"application/epub+zip" in data[:100]:
        from narrate.ingest.epub import read_epub

        return read_epub(path)
    if suffix in _HTML_SUFFIXES or _looks_like_html(data):
        from narrate.ingest.html import read_html

        return read_html(data, path)
    text = decode.decode(data, path)
    if not text.strip():
        raise InputError(
            path, "is empty (no text to narrate)", "pass a file that contains the work"
        )
    if suffix in _MARKDOWN_SUFFIXES:
        from narrate.ingest.markdown import read_markdown

        return read_markdown(text, path)
    from narrate.ingest import plaintext

    if plaintext.looks_like_ao3_text(text):
        return plaintext.read_ao3_text(text, path)
    return plaintext.read_plain(text, path)


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()
    )
