"""Bytes on disk -> one ``str`` with ``\\n`` newlines, or a clear ``InputError``.

``Work.text`` for plain text, AO3 page text and Markdown is exactly what
``read_text`` returns: BOM removed, CRLF and lone CR turned into ``\\n``,
nothing else changed. Every offset in the model indexes into that string, so a
tool that wants to map offsets back to the file must apply the same newline
normalisation.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from narrate.errors import InputError

# Larger inputs are refused rather than risking minutes of parsing and gigabytes
# of memory; 200 MB of text is about 35 million words, far beyond any novel.
MAX_BYTES = 200 * 1024 * 1024

# Signatures of common non-text files, so the error can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an EPUB must end in .epub)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"ID3", "an MP3 file"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "a Word/Office document"),
    (b"{\\rtf", "an RTF document"),
)


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """Read ``path`` whole, turning every OS-level failure into an ``InputError``."""
    if not path.exists():
        raise InputError(path, "no such file", "check the path and try again")
    if path.is_dir():
        raise InputError(path, "is a directory, not a work", "pass the work's file inside it")
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                path,
                f"is {size / 1e6:.0f} MB, larger than the {limit / 1e6:.0f} MB narrate reads",
                "split the work into smaller files",
            )
        return path.read_bytes()
    except PermissionError:
        raise InputError(
            path, "cannot be read (permission denied)", "check its permissions"
        ) from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check the file") from None


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF. This is the only change made to the text."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, path: Path) -> str:
    """Decode ``data``: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252.

    Raises ``InputError`` for binary files and bytes no supported encoding reads.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8", path)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", path)  # the codec reads and drops the BOM
    else:
        _refuse_binary(data, path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Windows-1252 is what old Word/Notepad exports and many fan-fic
            # archives use; it maps nearly every byte, so try it before giving up.
            text = _strict(data, "cp1252", path)
    text = normalise_newlines(text)
    _refuse_control_heavy(text, path)
    return text


def read_text(path: Path) -> str:
    """The decoded, newline-normalised text of ``path``; refuses empty files."""
    text = decode(read_bytes(path), path)
    if not text.strip():
        raise InputError(
            path, "is empty (no text to narrate)", "pass a file that contains the work"
        )
    return text


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"is not valid text (undecodable byte at position {exc.start} as {encoding})",
            "save it as UTF-8 and try again",
        ) from None


def _refuse_binary(data: bytes, path: Path) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(
                path, f"looks like {what}, not a text", "pass a .txt, .md, .html or .epub work"
            )
    if b"\x00" in data[:8192]:
        raise InputError(
            path, "is a binary file, not a text", "pass a .txt, .md, .html or .epub work"
        )


def _refuse_control_heavy(text: str, path: Path) -> None:
    """Text whose first 8 KB is more than 5% control characters is not prose."""
    head = text[:8192]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\n\t\f\v")
    if head and controls > len(head) * 0.05:
        raise InputError(
            path, "is a binary file, not a text", "pass a .txt, .md, .html or .epub work"
        )
