"""Transcripts and chapter marks written next to the audio.

Render computes times from sample counts and hands them here as ``Cue`` (one per
spoken line) and ``Mark`` (chapters with their scenes as children); this module
only formats and writes them:

* ``write_vtt``: WebVTT, one cue per line. Dialogue carries the speaker as a
  voice span (``<v Sakura>``). Narration is written *without* a voice tag: the
  narrator is the default voice of an audiobook, and tagging every other cue
  ``<v Narrator>`` only adds noise to players that show voice names. Render
  passes ``speaker=None`` for narration (and for dialogue whose speaker is
  unknown); a first-person narrator who speaks dialogue keeps their name.
* ``write_srt``: SubRip for players that read nothing else; the speaker becomes
  a ``Speaker: `` prefix because SRT has no voice markup.
* ``write_chapters_json``: Podcasting 2.0 JSON chapters (version 1.2.0). The
  format has no nesting, so scenes become flat entries titled
  ``"<chapter> — Scene 2"``; they stay visible (no ``toc: false``) because
  jumping to a scene is the point of having them. A scene that starts exactly
  where its chapter starts adds nothing and is folded into the chapter entry.

Times are rounded to whole milliseconds once, then checked: starts and ends
are monotonic, cues never overlap and nothing runs past ``duration``. Sub-
millisecond disagreements from float arithmetic are clamped; anything larger is
a bug in the caller and raises ``ValueError`` rather than writing a transcript
that drifts from the audio. Every file is written to a temporary file in the
same directory and renamed, so a crash never leaves half a transcript.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from narrate.errors import OutputError

# Float times computed from sample counts can disagree by a rounding step; more
# than this between two times that must match is a real error.
_TOLERANCE_MS = 1


@dataclass(frozen=True)
class Cue:
    """One spoken line: its time span in the audio file (seconds) and the source text."""

    start: float
    end: float
    speaker: str | None  # None: narration (no voice tag)
    text: str  # the author's original text, not the speech-ready rewrite
    id: str | None = None  # Line.id ("2.3.14"): becomes the WebVTT cue identifier


@dataclass(frozen=True)
class Mark:
    """A chapter (or scene) start. Scenes are the children of their chapter."""

    start: float  # seconds
    title: str
    children: tuple[Mark, ...] = ()


def format_timestamp(seconds: float, *, sep: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT; ``sep=","`` gives SRT). Hours grow past 99 if needed."""
    return _format_ms(_to_ms(seconds), sep)


def write_vtt(cues: Iterable[Cue], path: Path, *, duration: float | None = None) -> Path:
    """Write a WebVTT transcript: one cue per line, speakers as voice spans."""
    blocks = ["WEBVTT"]
    for start, end, cue in _timed(cues, duration):
        out = [cue.id] if cue.id and _valid_cue_id(cue.id) else []
        out.append(f"{_format_ms(start, '.')} --> {_format_ms(end, '.')}")
        text = _vtt_escape(_clean_text(cue.text))
        name = _speaker(cue)
        if name:
            # The annotation runs to the first ">" and ends at a newline:
            # escaped and flattened, a name like "Mr. <X>" cannot break out.
            text = f"<v {_vtt_escape(name)}>{text}"
        out.append(text)
        blocks.append("\n".join(out))
    return write_text_atomic(path, "\n\n".join(blocks) + "\n")


def write_srt(cues: Iterable[Cue], path: Path, *, duration: float | None = None) -> Path:
    """Write a SubRip transcript; dialogue is prefixed with ``Speaker: ``."""
    out: list[str] = []
    for number, (start, end, cue) in enumerate(_timed(cues, duration), start=1):
        text = _clean_text(cue.text)
        name = _speaker(cue)
        if name:
            text = f"{name}: {text}"
        out += [str(number), f"{_format_ms(start, ',')} --> {_format_ms(end, ',')}", text, ""]
    return write_text_atomic(path, "\n".join(out))


def chapters_document(
    marks: Sequence[Mark],
    *,
    duration: float | None = None,
    title: str | None = None,
    author: str | None = None,
    file_name: str | None = None,
) -> dict[str, object]:
    """The Podcasting 2.0 JSON chapters object for ``marks`` (see the module docstring)."""
    flat: list[tuple[int, str]] = []
    for mark in marks:
        flat.append((_to_ms(mark.start), mark.title))
        for child in mark.children:
            flat.append((_to_ms(child.start), f"{mark.title} — {child.title}"))
    end_ms = _to_ms(duration) if duration is not None else None

    entries: list[dict[str, object]] = []
    previous = -1
    for start, name in flat:
        if start < 0:
            raise ValueError(f"chapter mark {name!r} starts before 0")
        if start < previous:
            raise ValueError(f"chapter mark {name!r} at {start} ms starts before the previous one")
        if start - previous <= _TOLERANCE_MS and entries:
            continue  # a scene starting with its chapter: the chapter entry covers it
        if end_ms is not None and start >= end_ms:
            raise ValueError(f"chapter mark {name!r} starts at or after the end of the audio")
        entries.append({"startTime": start / 1000, "title": name})
        previous = start
    for entry, following in itertools.pairwise(entries):
        entry["endTime"] = following["startTime"]
    if entries and end_ms is not None:
        entries[-1]["endTime"] = end_ms / 1000

    doc: dict[str, object] = {"version": "1.2.0"}
    for key, value in (("title", title), ("author", author), ("fileName", file_name)):
        if value:
            doc[key] = value
    doc["chapters"] = entries
    return doc


def write_chapters_json(
    marks: Sequence[Mark],
    path: Path,
    *,
    duration: float | None = None,
    title: str | None = None,
    author: str | None = None,
    file_name: str | None = None,
) -> Path:
    """Write Podcasting 2.0 JSON chapters (serve as ``application/json+chapters``)."""
    doc = chapters_document(
        marks, duration=duration, title=title, author=author, file_name=file_name
    )
    return write_text_atomic(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text to a temp file beside ``path`` and rename it into place."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror or exc}); "
            "check that the folder exists and is writable"
        ) from None
    try:
        # mkstemp makes the file private (0600); a transcript or feed must stay
        # readable by whatever serves it, as any file the user's umask allows.
        os.fchmod(fd, public_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"{path}: cannot write ({exc.strerror or exc}); free some space or pick another -o"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def public_file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0o644 under umask 022).

    Every finished output is made with this mode, whatever wrote it: temp files
    from mkstemp are 0600, which a web or media server cannot read.
    """
    return 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(current)
    return current


def _timed(cues: Iterable[Cue], duration: float | None) -> list[tuple[int, int, Cue]]:
    """Cues with millisecond times, checked and clamped; cues with no text are dropped."""
    end_limit = _to_ms(duration) if duration is not None else None
    result: list[tuple[int, int, Cue]] = []
    previous_end = 0
    for cue in cues:
        start, end = _to_ms(cue.start), _to_ms(cue.end)
        if start < 0 or end < start:
            raise ValueError(f"cue {cue.id or cue.text[:30]!r}: bad times {cue.start}..{cue.end}")
        if start < previous_end:
            if previous_end - start > _TOLERANCE_MS:
                raise ValueError(f"cue {cue.id or cue.text[:30]!r} overlaps the previous cue")
            start = previous_end
            end = max(end, start)
        if end_limit is not None and end > end_limit:
            if end - end_limit > _TOLERANCE_MS:
                raise ValueError(f"cue {cue.id or cue.text[:30]!r} ends after the audio ends")
            end = end_limit
            start = min(start, end)
        if not _clean_text(cue.text):
            continue  # whitespace-only: nothing to show (and SRT forbids empty cues)
        result.append((start, end, cue))
        previous_end = end
    return result


def _to_ms(seconds: float) -> int:
    return round(seconds * 1000)


def _format_ms(ms: int, sep: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def _clean_text(text: str) -> str:
    """Keep the author's words and line breaks, but no blank lines: a blank line ends a cue."""
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _speaker(cue: Cue) -> str:
    return " ".join(cue.speaker.split()) if cue.speaker else ""


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _valid_cue_id(cue_id: str) -> bool:
    return "-->" not in cue_id and "\n" not in cue_id and "\r" not in cue_id
