"""Shared structure helpers: blank-line blocks, scene separators, chapter assembly.

Every reader ends the same way: a list of ``ChapterDraft`` (heading, title,
paragraph spans, scene-break positions) that ``build_chapters`` turns into the
frozen model. Plain-text readers find their paragraphs with ``split_blocks``;
HTML and EPUB readers write their extracted text with ``TextBuilder`` and record
spans as they go.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from narrate.model import Chapter, Paragraph, Scene


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines: the unit that becomes a paragraph or a heading.

    ``start``/``end`` exclude leading and trailing whitespace, so the span begins
    at the first non-blank character and ends after the last one. ``gap`` is the
    number of blank lines before the block (0 at the start of the region).
    """

    start: int
    end: int
    gap: int
    nlines: int

    def lines(self, text: str) -> list[str]:
        return text[self.start : self.end].split("\n")


def split_blocks(
    text: str,
    start: int = 0,
    end: int | None = None,
    alone: Callable[[str], bool] | None = None,
) -> list[Block]:
    """Blocks of ``text[start:end]``. Lines holding only whitespace (NBSP too) are blank.

    A line for which ``alone(stripped_line)`` is true always forms a block of its
    own (AO3 markers such as ``Chapter Text`` may touch the text around them).

    Linear in the size of the region: one pass, no regex backtracking, so a 50 MB
    file with no line breaks is a single block found in one ``find``.
    """
    stop = len(text) if end is None else end
    blocks: list[Block] = []
    pos = start
    blank_run = 0
    cur_start = -1
    cur_end = -1
    cur_gap = 0
    cur_lines = 0
    while pos < stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        line = text[pos:line_end]
        stripped_left = line.lstrip()
        if not stripped_left:
            if cur_start >= 0:
                blocks.append(Block(cur_start, cur_end, cur_gap, cur_lines))
                cur_start = -1
            blank_run += 1
        elif alone is not None and alone(stripped_left.rstrip()):
            if cur_start >= 0:
                blocks.append(Block(cur_start, cur_end, cur_gap, cur_lines))
                cur_start = -1
            blocks.append(
                Block(
                    pos + len(line) - len(stripped_left),
                    pos + len(line.rstrip()),
                    blank_run if blocks else 0,
                    1,
                )
            )
            blank_run = 0
        else:
            if cur_start < 0:
                cur_start = pos + (len(line) - len(stripped_left))
                cur_gap = blank_run if blocks else 0
                cur_lines = 0
                blank_run = 0
            cur_end = pos + len(line.rstrip())
            cur_lines += 1
        pos = line_end + 1
    if cur_start >= 0:
        blocks.append(Block(cur_start, cur_end, cur_gap, cur_lines))
    return blocks


# The end of a sentence, perhaps closing a quote or an italic: "… the hill.\"", "… _Yes_."
_SENTENCE_END = re.compile(r"[.!?…:]['\"”’)_*]*$|[.!?…,]?['\"”’]$")
WRAPPED_MIN_LINES = 6  # fewer lines: a short block, nothing to gain
WRAPPED_FULL_SHARE = 0.5  # of a wrapped block's lines, at least this many are near full width
WRAP_SLACK = 2  # columns
WRAPPED_MIN_SPEECHES = 2  # back-to-back speeches that show a block is several paragraphs
_QUOTE_CLOSES = re.compile(r"[.!?,…—-]['\"”’]$")
_QUOTE_OPENS = re.compile(r"[\"“‘'][A-Za-z]")


def split_wrapped(text: str, block: Block) -> list[Block]:
    """Paragraphs of a hard-wrapped block that has no blank lines between them.

    Some texts (old e-texts, OCR) wrap every line at a fixed width and mark paragraphs
    only by ending a line early. The sure sign is dialogue: a line that ends with a
    closing quote and a next line that opens another quote are two speeches, which no
    paragraph holds back to back. A block with several such breaks is one of these
    texts; in it, a line that ends a sentence although the next line's first word
    would clearly have fitted on it was also broken by the author, not the wrapper.
    Anything else (ordinary paragraphs, verse, letters) is returned whole.
    """
    if block.nlines < WRAPPED_MIN_LINES:
        return [block]
    spans: list[tuple[int, int]] = []  # each line's stripped span
    pos = block.start
    for raw in text[block.start : block.end].split("\n"):
        left = len(raw) - len(raw.lstrip())
        spans.append((pos + left, pos + len(raw.rstrip())))
        pos += len(raw) + 1
    lengths = [end - start for start, end in spans]
    width = max(lengths)
    if width < 40 or sum(n >= 0.8 * width for n in lengths) < WRAPPED_FULL_SHARE * len(lengths):
        return [block]
    speeches: list[int] = []  # lines after which one speech ends and another begins
    early: list[int] = []  # lines ending a sentence with room to spare
    for k in range(len(spans) - 1):
        line = text[spans[k][0] : spans[k][1]]
        following = text[spans[k + 1][0] : spans[k + 1][1]]
        next_word = following.split(None, 1)[0] if following else ""
        if _QUOTE_CLOSES.search(line) and _QUOTE_OPENS.match(following):
            speeches.append(k)
        elif (
            _SENTENCE_END.search(line)
            # room for a two-space sentence gap, and for a wrapper a column or two
            # wider than the widest line seen
            and lengths[k] + 2 + len(next_word) + WRAP_SLACK <= width
            and next_word[:1] in _OPENERS
        ):
            early.append(k)
    if len(speeches) < WRAPPED_MIN_SPEECHES:
        return [block]
    out: list[Block] = []
    first = 0
    for k in sorted(speeches + early):
        out.append(Block(spans[first][0], spans[k][1], block.gap if not out else 0, k + 1 - first))
        first = k + 1
    out.append(Block(spans[first][0], spans[-1][1], 0, len(spans) - first))
    return out


_OPENERS = frozenset("\"'“‘«_(—–-ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# A separator line has no letters or digits (bar the oOo / xXx family), no quote
# marks, and is short: "* * *", "~~~", "#", "---", "…..", ". . .", "<hr>", "❦".
_QUOTES = set("\"'“”‘’«»„‚`")
# Mixed case only: "oOo", "OoO", "xXx", "oxo"-style; "ooo" or "xxx" alone may be words.
_OXO = re.compile(
    r"^(?:(?=[oO]*o)(?=[oO]*O)[oO]{3,}|(?=[xX]*x)(?=[xX]*X)[xX]{3,}|(?:[oO][xX])+[oO]|(?:[xX][oO])+[xX])$"
)
_HR = re.compile(r"^<\s*hr\s*/?\s*>$", re.IGNORECASE)


def is_separator(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 40:
        return False
    compact = re.sub(r"\s+", "", s)
    if _OXO.match(compact) or _HR.match(compact):
        return True
    if any(ch.isalnum() for ch in s) or any(ch in _QUOTES for ch in s):
        return False
    # Pure punctuation such as "?!" or "..." written alone is a (rare) line of
    # speechless text in some works; require a repeated mark or a symbol.
    return len(compact) >= 2 or compact not in {"?", "!", ",", ";", ":", "-", "(", ")"}


def usual_gap(blocks: Iterable[Block]) -> int:
    """The most common number of blank lines between paragraphs (1 when unknown)."""
    counts = Counter(b.gap for b in blocks if b.gap > 0)
    if not counts:
        return 1
    return max(1, counts.most_common(1)[0][0])


def gap_threshold(usual: int) -> int:
    """Blank-line runs at least this long are scene breaks.

    "Clearly longer than usual": 3+ when paragraphs are one blank line apart,
    4+ when they are two apart (AO3 page copies), twice the usual gap beyond.
    """
    return max(usual + 2, 2 * usual)


@dataclass
class ChapterDraft:
    heading: str | None = None
    title: str | None = None
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    # Indices into ``paragraphs`` that start a new scene (0 is implicit).
    breaks: set[int] = field(default_factory=set)
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None

    def scene_break(self) -> None:
        """Mark that the next paragraph starts a new scene (no-op before any text)."""
        if self.paragraphs:
            self.breaks.add(len(self.paragraphs))


def build_chapters(drafts: Iterable[ChapterDraft]) -> tuple[Chapter, ...]:
    """Freeze drafts into chapters; drafts without any paragraph are dropped."""
    chapters: list[Chapter] = []
    for draft in drafts:
        if not draft.paragraphs:
            continue
        scenes: list[Scene] = []
        current: list[Paragraph] = []
        for i, (start, end) in enumerate(draft.paragraphs):
            if i in draft.breaks and current:
                scenes.append(_scene(len(scenes) + 1, current))
                current = []
            current.append(Paragraph(len(current) + 1, start, end))
        scenes.append(_scene(len(scenes) + 1, current))
        chapters.append(
            Chapter(
                index=len(chapters) + 1,
                title=draft.title or None,
                heading=draft.heading or None,
                start=scenes[0].start,
                end=scenes[-1].end,
                scenes=tuple(scenes),
                summary=draft.summary or None,
                notes=draft.notes or None,
                end_notes=draft.end_notes or None,
            )
        )
    return tuple(chapters)


def _scene(index: int, paragraphs: list[Paragraph]) -> Scene:
    return Scene(index, paragraphs[0].start, paragraphs[-1].end, tuple(paragraphs))


def add_blocks(draft: ChapterDraft, text: str, blocks: Iterable[Block], threshold: int) -> None:
    """Append body blocks to ``draft``: separators and long blank gaps break scenes."""
    for block in blocks:
        if block.nlines == 1 and is_separator(text[block.start : block.end]):
            draft.scene_break()
            continue
        if block.gap >= threshold:
            draft.scene_break()
        draft.paragraphs.append((block.start, block.end))


class TextBuilder:
    """Writes extracted text (HTML, EPUB) and returns the span of each piece.

    Paragraphs are separated by one blank line, so the result reads like a plain
    text file and ``work.text[start:end]`` is exactly the paragraph.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, piece: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(piece)
        self._length += len(piece)
        return start, self._length

    def text(self) -> str:
        return "".join(self._parts) + "\n"


def smart_title(s: str) -> str:
    """Title-case an ALL-CAPS heading for players; leave mixed case alone."""
    letters = [ch for ch in s if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return s
    small = {
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "from",
        "into",
    }
    words = s.lower().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if i > 0 and word in small:
            out.append(word)
        elif re.fullmatch(r"[ivxlcdm]+\.?", word) and word.rstrip(".") not in {
            "i",
            "mix",
            "mid",
            "dim",
            "lid",
            "mild",
            "vim",
            "civil",
            "vivid",
            "did",
            "lim",
        }:
            out.append(word.upper())
        else:
            out.append(_cap(word))
    return " ".join(out)


def _cap(word: str) -> str:
    # Capitalise after leading punctuation and after hyphens/apostrophes-at-start.
    parts = re.split(r"(-)", word)
    return "".join(p[:1].upper() + p[1:] if p and p != "-" else p for p in parts)
