"""Split a work's paragraphs into narration and dialogue lines.

Every paragraph becomes a run of contiguous ``Line``s that cover it exactly, so
the author's text is never altered or dropped: a dialogue line runs from its
opening mark to its closing mark inclusive, and everything else is narration.
Gaps that hold no letters or digits (a space between two quotes, a full stop
after a closing mark) are glued to the line before them so that no line is pure
whitespace or punctuation.

How dialogue is marked is decided once per work (``detect_style``): double
quotes (straight, curly, mixed or mismatched), single quotes (where ``'`` and
``’`` are mostly apostrophes, so openers and closers are told apart by their
neighbours), and em-dash dialogue (a paragraph that starts with a dash).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from narrate.model import Line, LineKind, Work

QuoteMode = Literal["double", "single"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DOUBLE_MARKS = '"“”„‟«»'
SINGLE_MARKS = "'‘’‛"
DASHES = "—―"

# Words that start with an apostrophe: an elision, not an opening quote.
ELISIONS = _words(
    """em tis twas twere twill twould til till cause cos coz bout round n im er ere ow
    ave ad is e un uns ee ome eard appen alf ello fore neath nuff spose scuse gainst
    mongst midst cept kay sup ya yer ye s d ll re ve t"""
)

# Speech verbs, shared with attribution (tags like "she said", "said Kakashi").
SPEECH_VERBS = _words(
    """said says say saying asked asks ask replied replies reply answered answers
    answer cried cries shouted shouts yelled yells called calls whispered whispers
    murmured murmurs muttered mutters added adds continued continues went began begins
    exclaimed exclaims demanded demands inquired inquires enquired enquires responded
    responds remarked remarks observed observes declared declares insisted insists
    agreed agrees admitted admits explained explains suggested suggests offered offers
    repeated repeats returned returns retorted retorts snapped snaps growled growls
    hissed hisses sighed sighs laughed laughs chuckled chuckles grumbled grumbles
    groaned groans breathed breathes sobbed sobs stammered stammers stuttered stutters
    protested protests pleaded pleads begged begs warned warns ordered orders commanded
    commands announced announces interrupted interrupts interjected interjects
    teased teases joked jokes mumbled mumbles drawled drawls croaked croaks rasped
    rasps screamed screams shrieked shrieks bellowed bellows roared roars gasped gasps
    whimpered whimpers purred purrs scoffed scoffs snorted snorts huffed huffs
    chirped chirps admonished admonishes corrected corrects confirmed confirms
    conceded concedes countered counters mused muses wondered wonders urged urges
    prompted prompts pressed presses persisted persists echoed echoes told tells
    concluded concludes ventured ventures stated states noted notes quipped quips
    blurted blurts sang sings sniffed sniffs spat spits barked barks called grunted
    grunts hollered hollers thundered thunders squeaked squeaks squealed squeals
    assured assures reminded reminds promised promises complained complains
    objected objects reasoned reasons whined whines cooed coos crooned croons
    thought thinks advised advises argued argues boasted boasts chided chides
    commented comments confessed confesses confided confides moaned moans
    queried queries questioned questions scolded scolds snarled snarls
    sneered sneers spoke speaks uttered utters volunteered volunteers quoted quotes recited recites
    wailed wails praised praises supplied supplies mocked mocks taunted taunts
    greeted greets chimed chimes piped pipes resumed resumes rejoined rejoins
    faltered falters interposed interposes ejaculated remonstrated expostulated
    lisped lisps panted pants instructed instructs proposed proposes"""
)

_ALNUM = re.compile(r"\w")
_DASH_OPEN = re.compile(r"\s*(?:[—―]|--)")
# not after a title or an initial: "Mrs. Hilbery" and "J. Smith" are one sentence
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\b[A-Z]\.)"
    r"[\"”’'»)\]]*\s+"
)
_SOFT_BREAK = re.compile(r"(?<=[,;:—–])\s+|\s+(?=[—–])")
_WS = re.compile(r"\s+")

# A speech tag inside dash dialogue: ", he cried briskly." or ", said Kinch."
_NAMEISH = r"(?:he|she|I|they|we|it|[A-Z][\w'’.-]*(?: [A-Z][\w'’-]*)*|the [a-z]+(?: [a-z]+)?)"
_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
_DASH_TAG = re.compile(
    r"(?<=[,.!?])\s+(?:" + _NAMEISH + r"\s+" + _VERB + r"|" + _VERB + r"\s+" + _NAMEISH + r")"
    r"\b[^.!?:;]{0,60}?[.,:;!?](?=\s|$)"
)


@dataclass(frozen=True)
class Style:
    """How a work marks its dialogue."""

    quotes: QuoteMode = "double"
    dash: bool = False  # paragraphs opening with an em dash are speech


def detect_style(texts: Iterable[str]) -> Style:
    """Decide, once per work, whether dialogue uses double or single quotes or dashes.

    Straight and curly apostrophes are far more common than single quotes in
    double-quote works, so single-quote mode needs clear opener/closer pairs:
    a mark before a capital at a word start and a mark after sentence punctuation.
    """
    doubles = singles_open = singles_close = dash_paragraphs = 0
    for text in texts:
        doubles += sum(text.count(m) for m in DOUBLE_MARKS)
        for m in _SINGLE_OPENER_HINT.finditer(text):
            word = _word_after(text, m.end() - 1)
            if word.lower() not in ELISIONS:
                singles_open += 1
        singles_close += len(_SINGLE_CLOSER_HINT.findall(text))
        if _DASH_OPEN.match(text):
            dash_paragraphs += 1
    single_score = singles_open + singles_close
    quotes: QuoteMode = (
        "single"
        if singles_open >= 2 and singles_close >= 2 and single_score > doubles
        else "double"
    )
    dash = dash_paragraphs >= 3 and dash_paragraphs * 2 > doubles
    return Style(quotes=quotes, dash=dash)


_SINGLE_OPENER_HINT = re.compile(r"(?:^|(?<=[\s(\[—–-]))['‘](?=[A-Z])")
_SINGLE_CLOSER_HINT = re.compile(r"[,.!?—-]['’](?=\s|$|[—–-])")


def _word_after(text: str, i: int) -> str:
    m = re.match(r"[A-Za-z]+", text[i + 1 : i + 12])
    return m.group(0) if m else ""


def quote_spans(text: str, style: Style) -> list[tuple[int, int]]:
    """Half-open spans of speech in one paragraph, in order, not overlapping.

    A quote left open at the end of the paragraph runs to its end (a speech that
    continues in the next paragraph).
    """
    if style.dash and _DASH_OPEN.match(text):
        return _dash_spans(text)
    if style.quotes == "single":
        return _single_spans(text)
    return _double_spans(text)


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _double_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    seen = False
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in DOUBLE_MARKS:
            continue
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        opener_like = (_is_space(prev) or prev in "([{—–-/") and not _is_space(nxt)
        closer_like = not _is_space(prev) and (_is_space(nxt) or not nxt.isalnum())
        if start is None:
            if ch in "”»" and closer_like and not opener_like:
                # A stray closer: the opening mark was forgotten. If it is the first
                # mark and ends a sentence, the speech runs from the paragraph start.
                if not seen and prev in ".,!?…—-":
                    spans.append((0, i + 1))
                seen = True
                continue
            if ch == '"' and closer_like and not opener_like and not seen and prev in ".,!?…—-":
                spans.append((0, i + 1))
                seen = True
                continue
            start = i
        elif opener_like and ch != "”" and not closer_like and i > start + 1:
            # An opener while a quote is open: the previous quote was never closed.
            spans.append((start, i))
            start = i
        else:
            spans.append((start, i + 1))
            start = None
        seen = True
    if start is not None:
        spans.append((start, n))
    return spans


def _single_spans(text: str) -> list[tuple[int, int]]:
    marks = [i for i, ch in enumerate(text) if ch in SINGLE_MARKS]
    n = len(text)

    def prev_of(i: int) -> str:
        return text[i - 1] if i > 0 else ""

    def next_of(i: int) -> str:
        return text[i + 1] if i + 1 < n else ""

    def is_opener(i: int) -> bool:
        prev, nxt = prev_of(i), next_of(i)
        if prev.isalnum() or _is_space(nxt) or nxt.isdigit():
            return False
        if not (_is_space(prev) or prev in '([{—–-"“”/'):
            return False
        if text[i] == "’" and not nxt.isupper():
            return False
        word = _word_after(text, i)
        if word.lower() in ELISIONS and not (word[:1].isupper() and word.lower() in {"em", "is"}):
            # 'Tis, 'em, rock 'n' roll: an elision, not a quote.
            return word[:1].isupper() and word.lower() not in ELISIONS
        return True

    def is_strong_closer(i: int) -> bool:
        prev, nxt = prev_of(i), next_of(i)
        return text[i] != "‘" and prev in ".,!?…;:—–-" and not nxt.isalnum()

    nested = _nested_single_spans(text, marks, is_opener, is_strong_closer)
    if nested is not None:
        return nested
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for k, i in enumerate(marks):
        ch = text[i]
        if start is None:
            if is_opener(i):
                start = i
            continue
        prev, nxt = prev_of(i), next_of(i)
        if nxt.isalnum() and not _is_space(prev) and ch != "‘":
            continue  # don't, o'clock: an apostrophe inside a word
        if is_opener(i) and i > start + 1:
            if ch == "‘" or _is_space(prev):
                spans.append((start, i))
                start = i
            continue
        if is_strong_closer(i):
            spans.append((start, i + 1))
            start = None
            continue
        if prev.isalnum():
            # goin', the Joneses', or 'a word': a closer unless a sure closer follows
            # before the next sure opener.
            later_closer = False
            for j in marks[k + 1 :]:
                if is_strong_closer(j):
                    later_closer = True
                    break
                if is_opener(j) and _is_space(prev_of(j)):
                    break
            if not later_closer:
                spans.append((start, i + 1))
                start = None
    if start is not None:
        spans.append((start, n))
    return spans


def _nested_single_spans(
    text: str,
    marks: list[int],
    is_opener: Callable[[int], bool],
    is_strong_closer: Callable[[int], bool],
) -> list[tuple[int, int]] | None:
    """Speech that quotes someone in the same marks: ‘… to say ‘good-by,’ than ‘how do
    you do.’ But …, you know.’ One span, when every inner quote opens with a curly ‘
    and closes, and the outer one closes too; otherwise None (the usual reading, in
    which an opener inside an open quote means the first was never closed)."""
    spans: list[tuple[int, int]] = []
    depth, start, nested = 0, 0, False
    n = len(text)
    for i in marks:
        ch = text[i]
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if depth == 0:
            if is_opener(i):
                depth, start = 1, i
            continue
        if nxt.isalnum() and not _is_space(prev) and ch != "‘":
            continue  # an apostrophe inside a word
        if ch == "‘" and is_opener(i) and i > start + 1:
            depth += 1
            nested = True
            continue
        # an inner quote may end on a word ('good-by'); the outer one ends a sentence
        if is_strong_closer(i) or (depth > 1 and prev.isalnum() and not nxt.isalnum()):
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans if nested and depth == 0 else None


def _dash_spans(text: str) -> list[tuple[int, int]]:
    """Dash dialogue: the paragraph is speech except a speech tag inside it."""
    lead = len(text) - len(text.lstrip())
    tag = _DASH_TAG.search(text, lead + 1)
    if tag is None:
        return [(lead, len(text))]
    spans = [(lead, tag.start())]
    rest = tag.end()
    if _ALNUM.search(text, rest):
        while rest < len(text) and text[rest].isspace():
            rest += 1
        spans.append((rest, len(text)))
    return spans


def _segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[LineKind, int, int]]:
    """Turn speech spans into contiguous narration/dialogue segments covering text."""
    raw: list[tuple[LineKind, int, int]] = []
    pos = 0
    for s, e in spans:
        if s > pos:
            raw.append(("narration", pos, s))
        raw.append(("dialogue", s, e))
        pos = e
    if pos < len(text):
        raw.append(("narration", pos, len(text)))
    # Glue letterless narration (spaces, a stray full stop) to the line before it,
    # or to the line after it when it opens the paragraph.
    out: list[tuple[LineKind, int, int]] = []
    pending: int | None = None  # start of a letterless run that opens the paragraph
    for kind, s, e in raw:
        letterless = kind == "narration" and not _ALNUM.search(text, s, e)
        if letterless and out:
            out[-1] = (out[-1][0], out[-1][1], e)
        elif letterless and len(raw) > 1:
            pending = s
        else:
            out.append((kind, s if pending is None else pending, e))
            pending = None
    if pending is not None:
        out.append(("narration", pending, len(text)))
    return out


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) at sentence ends (then clause ends, then spaces) to <= max_chars."""
    if end - start <= max_chars:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > max_chars:
        limit = pos + max_chars
        cut = 0
        for pattern in (_SENTENCE_END, _SOFT_BREAK, _WS):
            for m in pattern.finditer(text, pos, limit + 1):
                if m.end() <= limit and m.end() > pos and m.end() < end:
                    cut = m.end()
            if cut and cut - pos >= max_chars // 4:
                break
        if not cut:
            cut = limit  # no whitespace at all: cut mid-word rather than exceed
        pieces.append((pos, cut))
        pos = cut
    pieces.append((pos, end))
    return pieces


# Before a quoted word, these name it rather than introduce speech: "what they
# called “the house”".
_NAMING_VERBS = _words("call calls called")
_WORD_BEFORE = re.compile(r"(?:^|[^\w'’-])([a-z](?:[\w'’-]*[a-z])?)\s$")
_NAME_BEFORE = re.compile(r"(?:^|[^\w'’-])[a-z][\w'’-]*\s+([A-Z][a-z][\w'’-]*)\s$")
_OBJECT_PRONOUNS = _words("him her them me us you")
_ENDS_ASKING = re.compile(r"[!?][_*]*\s*\W?\s*$")
_TAG_AFTER = re.compile(r"[\s,]*(?:[\w'’]+\s+){0,2}?(?:" + _VERB + r")\b")
# a lower-case word right after the closing mark: "“The Bottoms” succeeded to"
_NAME_SUBJECT = re.compile(r" (?!(?:he|she|I|they|we|it)\b)[a-z]")
MENTION_WORDS = 6  # longer than this, a quote inside a sentence is speech
TAG_BETWEEN = 60  # characters: the longest tag between two pieces of one speech


def _is_mention(text: str, start: int, end: int, previous_end: int) -> bool:
    """A quoted word or title inside a sentence, not speech: the inn of the “Trois
    Couronnes”, a bottle marked ‘poison,’, her “line.”. The narrator reads it.

    Such a quote follows a lower-case word with a single space, is short, does not
    exclaim or ask, and has no speech verb before it ("said “yes” and left") or
    after it. A quote right after another one's tag ("he told her “but not now.”")
    is the rest of that speech.
    """
    if end > len(text) or text[end - 1] not in DOUBLE_MARKS + SINGLE_MARKS:
        return False  # left open: a speech running into the next paragraph
    inner = text[start + 1 : end - 1]
    head = text[max(0, start - 40) : start].rstrip()
    opens_sentence = not head or head[-1] in ".!?"
    if (
        opens_sentence
        and _NAME_SUBJECT.match(text, end)
        and inner[-1:].isalnum()
        and len(inner.split()) <= 3
    ):
        # "“THE BOTTOMS” succeeded to “Hell Row”.": a quoted name that a verb follows
        # with no stop or comma between them is what the sentence is about
        return not _TAG_AFTER.match(text, end)
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        # "said he was at Geneva “studying.”": a name in mid-sentence will do too
        before = _NAME_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1)
    if word in _OBJECT_PRONOUNS:
        return False
    if word not in _NAMING_VERBS:
        # "said “yes” and left", "Mary said they were “full of lace.”": speech
        clause = re.split(r"[.!?;:,—–]|--", text[max(0, start - 40) : start])[-1]
        if any(w in SPEECH_VERBS and w not in _NAMING_VERBS for w in clause.split()[-4:]):
            return False
    if len(inner.split()) > MENTION_WORDS or _ENDS_ASKING.search(inner):
        return False
    if _TAG_AFTER.match(text, end):
        return False
    between = text[previous_end:start] if previous_end >= 0 else ""
    if len(between) > TAG_BETWEEN or re.search(r"[.!?;]\s", between):
        return True  # a speech verb far back, or sentences back, tags other speech
    return not any(w.strip(",.;:") in SPEECH_VERBS for w in between.split())


def _speech_spans(text: str, style: Style) -> list[tuple[int, int]]:
    """The quote spans that are speech: quoted words and titles are left to narration."""
    kept: list[tuple[int, int]] = []
    previous_end = -1
    for s, e in quote_spans(text, style):
        if not _is_mention(text, s, e, previous_end):
            kept.append((s, e))
        previous_end = e
    return kept


def split_paragraph(
    text: str, style: Style, *, max_chars: int = 500
) -> list[tuple[LineKind, int, int]]:
    """Segments of one paragraph as (kind, start, end) relative to the paragraph."""
    out: list[tuple[LineKind, int, int]] = []
    for kind, s, e in _segments(text, _speech_spans(text, style)):
        out.extend((kind, a, b) for a, b in _split_long(text, s, e, max_chars))
    return out


def work_style(work: Work) -> Style:
    return detect_style(work.text[p.start : p.end] for _, _, p in work.paragraphs())


def split_lines(
    work: Work, *, max_chars: int = 500, style: Style | None = None
) -> tuple[Line, ...]:
    """Every paragraph of every scene split, in order, into narration and dialogue lines."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    style = style or work_style(work)
    lines: list[Line] = []
    text = work.text
    for chapter in work.chapters:
        for scene in chapter.scenes:
            n = 0
            for paragraph in scene.paragraphs:
                body = text[paragraph.start : paragraph.end]
                for kind, s, e in split_paragraph(body, style, max_chars=max_chars):
                    n += 1
                    start, end = paragraph.start + s, paragraph.start + e
                    lines.append(
                        Line(
                            id=f"{chapter.index}.{scene.index}.{n}",
                            kind=kind,
                            start=start,
                            end=end,
                            text=text[start:end],
                            chapter=chapter.index,
                            scene=scene.index,
                            paragraph=paragraph.index,
                        )
                    )
    return tuple(lines)
