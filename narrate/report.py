"""``narrate scenes``: the structure of a work as a dict (for ``--json``) and as a table.

Listening time is estimated at ``WORDS_PER_MINUTE`` = 160: espeak-ng reads at
about 170-175 wpm at its default rate, and the pauses narrate inserts between
lines, paragraphs and scenes bring the effective pace down to roughly 160.
Dialogue share is the fraction of a chapter's words inside dialogue lines, as
split by ``narrate.lines.split_lines``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrate.model import Work

WORDS_PER_MINUTE = 160


def _words(text: str) -> int:
    return len(text.split())


def dialogue_words(work: Work) -> dict[int, int]:
    """Words inside dialogue lines, per chapter index."""
    from narrate.lines import split_lines

    counts: dict[int, int] = {}
    for line in split_lines(work):
        if line.kind == "dialogue":
            counts[line.chapter] = counts.get(line.chapter, 0) + _words(line.text)
    return counts


def structure_of(work: Work) -> dict[str, Any]:
    """The ``--json`` object: title, author, summary, chapters with scenes and offsets."""
    dialogue = dialogue_words(work)
    chapters: list[dict[str, Any]] = []
    for chapter in work.chapters:
        scenes = [
            {
                "index": scene.index,
                "start": scene.start,
                "end": scene.end,
                "paragraphs": len(scene.paragraphs),
                "words": sum(_words(work.text[p.start : p.end]) for p in scene.paragraphs),
            }
            for scene in chapter.scenes
        ]
        words = sum(s["words"] for s in scenes)
        chapters.append(
            {
                "index": chapter.index,
                "title": chapter.display_title,
                "heading": chapter.heading,
                "start": chapter.start,
                "end": chapter.end,
                "words": words,
                "dialogue_share": round(dialogue.get(chapter.index, 0) / words, 3)
                if words
                else 0.0,
                "minutes": round(words / WORDS_PER_MINUTE, 1),
                "scenes": scenes,
            }
        )
    total = sum(c["words"] for c in chapters)
    return {
        "title": work.meta.title,
        "author": work.meta.author,
        "summary": work.meta.summary,
        "format": work.format,
        "language": work.meta.language,
        "tags": {k: list(v) for k, v in work.meta.tags.items()},
        "has_notes": bool(work.meta.notes or work.meta.end_notes),
        "words": total,
        "minutes": round(total / WORDS_PER_MINUTE, 1),
        "chapters": chapters,
    }


def structure(path: str | Path) -> dict[str, Any]:
    """Load the work at ``path`` and describe its structure (see ``structure_of``)."""
    from narrate.ingest import load_work

    return structure_of(load_work(path))


def _duration(minutes: float) -> str:
    total = round(minutes)
    hours, mins = divmod(total, 60)
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m" if total else "<1m"


def format_structure(data: dict[str, Any]) -> str:
    """A human table: one row per chapter with scenes, words, dialogue share, time."""
    lines = [data["title"]]
    if data.get("author"):
        lines.append(f"by {data['author']}")
    if data.get("summary"):
        lines.append("")
        lines.extend(f"  {line}" if line else "" for line in str(data["summary"]).split("\n"))
    lines.append("")
    chapters = data["chapters"]
    width = min(48, max([len("Chapter")] + [len(str(c["title"])) for c in chapters]))
    header = (
        f"{'#':>4}  {'Chapter':<{width}}  {'Scenes':>6}  {'Words':>7}  {'Dialogue':>8}  {'Time':>7}"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for c in chapters:
        title = str(c["title"])
        if len(title) > width:
            title = title[: width - 1] + "…"
        lines.append(
            f"{c['index']:>4}  {title:<{width}}  {len(c['scenes']):>6}  {c['words']:>7,}  "
            f"{c['dialogue_share']:>8.0%}  {_duration(c['minutes']):>7}"
        )
    lines.append("-" * len(header))
    scenes = sum(len(c["scenes"]) for c in chapters)
    lines.append(
        f"{len(chapters)} chapter{'s' if len(chapters) != 1 else ''}, {scenes} scene{'s' if scenes != 1 else ''}, "
        f"{data['words']:,} words, about {_duration(data['minutes'])} at {WORDS_PER_MINUTE} words per minute"
    )
    return "\n".join(lines)
