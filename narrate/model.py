"""The data model shared by every pipeline stage.

Every stage is a plain function from one of these frozen dataclasses to the next
(ingest -> Work, chunk -> Lines, cast -> Cast, render -> files). Offsets are
half-open ``[start, end)`` ranges of code points into ``Work.text``, the decoded
source text, so ``work.text[x.start:x.end]`` is always the exact source of ``x``.
For plain text, AO3 page text and Markdown, ``Work.text`` is the decoded file
(newlines normalised to ``\\n``, BOM removed). For HTML and EPUB, it is the text
extracted from the markup, and offsets index into that extraction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal


class NotesPolicy(StrEnum):
    """Where author notes are read. Podfic convention is to skip them."""

    SKIP = "skip"  # read no notes (the default)
    INTRO = "intro"  # work notes after the summary; each chapter's notes after its title
    END = "end"  # each chapter's notes and end notes after it; the work's after the last


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based within its scene
    start: int
    end: int


@dataclass(frozen=True)
class Scene:
    index: int  # 1-based within its chapter
    start: int  # start of the first paragraph
    end: int  # end of the last paragraph
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Chapter:
    index: int  # 1-based
    title: str | None  # the real heading text, without "Chapter N:"; None when absent
    heading: str | None  # the heading as written, e.g. "CHAPTER XII. THE STORM"
    start: int  # start of the first paragraph of the body (after the heading)
    end: int
    scenes: tuple[Scene, ...]
    summary: str | None = None  # AO3 per-chapter summary
    notes: str | None = None  # AO3 per-chapter notes (never part of the body)
    end_notes: str | None = None

    @property
    def display_title(self) -> str:
        """What a player shows and the narrator announces."""
        if self.title:
            return self.title
        return self.heading or f"Chapter {self.index}"

    def paragraphs(self) -> Iterator[tuple[Scene, Paragraph]]:
        for scene in self.scenes:
            for paragraph in scene.paragraphs:
                yield scene, paragraph


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str | None = None
    summary: str | None = None
    notes: str | None = None  # work-level beginning notes
    end_notes: str | None = None
    language: str | None = None  # BCP 47 when known ("en")
    # Tag groups as on AO3: "Rating", "Fandom", "Characters", "Relationship",
    # "Additional Tags", "Series", ... Values keep the site's order.
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def rating(self) -> str | None:
        values = self.tags.get("Rating")
        return values[0] if values else None


@dataclass(frozen=True)
class Work:
    text: str  # decoded source text: all offsets index into it
    meta: Metadata
    chapters: tuple[Chapter, ...]
    source: Path | None = None
    format: str = "text"  # "text", "gutenberg", "ao3-text", "ao3-html", "epub", "markdown"

    def slice(self, start: int, end: int) -> str:
        return self.text[start:end]

    def paragraphs(self) -> Iterator[tuple[Chapter, Scene, Paragraph]]:
        for chapter in self.chapters:
            for scene, paragraph in chapter.paragraphs():
                yield chapter, scene, paragraph


LineKind = Literal["narration", "dialogue"]


@dataclass(frozen=True)
class Line:
    """One unit of speech: a stretch of narration or one quoted speech.

    The lines of a paragraph are contiguous and cover it exactly:
    ``lines[0].start == paragraph.start``, ``lines[i].end == lines[i+1].start``,
    ``lines[-1].end == paragraph.end``. Whitespace between a quote and the
    narration around it belongs to one of the two lines; nothing is dropped.
    """

    id: str  # "chapter.scene.n", n 1-based within the scene: "2.3.14"
    kind: LineKind
    start: int
    end: int
    text: str  # == work.text[start:end], the author's text unaltered
    chapter: int
    scene: int
    paragraph: int  # 1-based paragraph index within the scene
    speaker: str | None = None  # canonical character name; None: unknown (narration: None)
    confidence: float = 0.0
    rule: str | None = None  # which evidence decided the speaker
    # Where the words are that decided it, as [start, end) offsets into Work.text like
    # start/end; by rule:
    #   tag, tag-pronoun, tag-epithet: the speaker's mention in the speech tag ("Ann" of
    #     'said Ann', "she" of 'she asked softly', "the blonde" of 'the blonde replied');
    #   beat, beat-before: the subject of the action beat ("Tom" of 'Tom frowned.',
    #     "Green eyes" of 'Green eyes narrowed.' where only one person has them),
    #     or whose a lone quote turned out to be ("Roland Pike" of 'the voice of
    #     Roland Pike', "his" of 'a curse escaped his lips');
    #   vocative: the name in the neighbouring quote that called the speaker ("Hester"
    #     of "Do you think so, Hester?"; or the "sir" that told who was spoken to; or
    #     the narration that made them the one answered: "Tom" of 'Tom shrugged.',
    #     "Nell" of 'Ann turned to Nell.' or of '"…?" he asked Nell');
    #   turns, continued, other (turn-taking): the evidence of the anchoring line the
    #     alternation counts from, the nearest line of the same conversation whose own
    #     evidence names the same person; None if there is none;
    #   cast-file overrides and lines with no speaker: None.
    evidence: tuple[int, int] | None = None


# Dialogue lines below this confidence are the ones `narrate script --only-uncertain` asks
# a person to check. Confidence is the chance the speaker is right (see
# narrate.attribute._line_confidence); on the LitBank quotes, below 0.75 marks about one
# line in nine and holds about two in five of the errors (bench/attribution.py).
REVIEW_THRESHOLD = 0.75


Gender = Literal["female", "male", "unknown"]


@dataclass(frozen=True)
class Character:
    name: str  # canonical name
    aliases: tuple[str, ...] = ()
    gender: Gender = "unknown"
    lines: int = 0  # dialogue lines attributed to this character
    voice: str | None = None  # VoiceProfile.id
    narrator: bool = False  # the first-person narrator


@dataclass(frozen=True)
class Cast:
    characters: tuple[Character, ...]
    narrator_voice: str = "narrator"
    # Per-line speaker overrides from the cast file: line id -> character name.
    overrides: dict[str, str] = field(default_factory=dict)

    def voice_for(self, speaker: str | None) -> str:
        if speaker is not None:
            for character in self.characters:
                if character.name == speaker and character.voice:
                    return character.voice
        return self.narrator_voice


@dataclass(frozen=True)
class VoiceProfile:
    id: str
    engine: str  # "espeak" (pyttsx3's espeak bindings) or "pyttsx3" (platform driver)
    voice: str  # engine voice name, e.g. "en-us+f3"
    rate: int = 170  # words per minute
    pitch: int = 50  # 0-99 for espeak
    volume: float = 1.0  # 0.0-1.0
    gender: Gender = "unknown"
    description: str = ""
    language: str = "en"
    role: Literal["narrator", "character"] = "character"


@dataclass(frozen=True)
class Audio:
    """16-bit signed little-endian mono PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate
