"""Who says each dialogue line: character discovery and a sieve of speaker evidence.

Characters are discovered from the text itself: capitalised words that also
appear capitalised mid-sentence and rarely in lower case are names; forms of one
name (``Hatake Kakashi``, ``Kakashi``, ``Kakashi-sensei``, ``Kakashi's``;
``Mr. Darcy``, ``Darcy``) are merged into one character; gender comes from titles
and from the pronouns that follow a name. The user's cast (``known``) wins.

Speakers are then decided paragraph by paragraph, strongest evidence first:

1. ``tag``        explicit speech tags in either order (``said Kakashi``, ``she asked``,
                  ``the blonde replied``, ``I said``), per quote;
2. ``continued``  a speech running on from the previous paragraph's open quote;
3. ``beat``       an action beat in the same paragraph (``Kakashi nodded. "Of course."``);
4. ``vocative``   the previous speaker addressed someone by name, who answers;
5. ``turns``      an untagged back-and-forth: A, B, A, B (reset at scene breaks);
6. ``other``      the most recent other character present;
and interrupted quotes in one paragraph share their speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from narrate.lines import SPEECH_VERBS
from narrate.model import Character, Gender, Line, Work


@dataclass(frozen=True)
class Attribution:
    lines: tuple[Line, ...]
    characters: tuple[Character, ...]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MALE_TITLES = _words("Mr Mr. Sir Lord King Prince Father Uncle Brother Master Monsieur Herr Don")
FEMALE_TITLES = _words(
    "Mrs Mrs. Ms Ms. Miss Lady Madam Madame Mme Mme. Mlle Queen Princess Mother Aunt Sister Dame Mistress"
)
NEUTRAL_TITLES = _words(
    "Dr Dr. Doctor Professor Prof Prof. Captain Capt Capt. Colonel Col Major General Lieutenant "
    "Sergeant Judge Reverend Rev Rev. Saint St St."
)
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
HONORIFICS = ("sensei", "sama", "san", "kun", "chan", "senpai", "sempai", "dono", "hime", "shishou")

# Capitalised words that are never names, even mid-sentence.
NOT_NAMES = _words(
    """I I'm I'll I've I'd I’m I’ll I’ve I’d A An The He She It We They You His Her Its Our Their
    Your My Me Him Us Them This That These Those There Here Then Now When Where What Who Why How
    Which While But And Or So Yet If As At In On Of To For With By From Into After Before Not No
    Yes Oh Ah Well Okay OK Ok Hey Hi Hello Goodbye Please Thank Thanks Sorry God Lord Heaven
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July
    September October November December Christmas English French German Chinese Japanese
    American British Chapter Mr Mrs Ms Miss Dr Sir Lady Madam Mister Missus Sensei Ma'am Ma’am
    Sama Chan Kun San Mom Mum Dad Mama Papa Father Mother Uncle Aunt Captain Doctor Professor
    Every Each All Some Any None Nothing Something Everything Anything Nobody Somebody
    Everyone Someone Anyone Just Even Still Only Maybe Perhaps Why Although Though Because
    Since Until Unless Once Twice Whatever Whoever However Meanwhile Instead Also Both
    Neither Either Such Very Too Again Soon Later Today Tomorrow Yesterday Tonight Good Bad
    Dear Poor Old Young Little Great Mrs. Mr. Dr. Ms. St. Ha Hah Hmm Huh Um Uh Er Eh Damn
    Shit Fuck Wow Ugh Aw Alright Right Sure Fine Never Always Sometimes Whether Let Come Go
    Look See Wait Stop Don't Don’t Can't Can’t Won't Won’t It's It’s That's That’s What's
    What’s Let's Let’s""".replace("\n", " ")
)

PRONOUN_GENDER: dict[str, Gender] = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
EPITHET_GENDER: dict[str, Gender] = {
    **{
        w: "male"
        for w in [
            "man",
            "boy",
            "gentleman",
            "lad",
            "fellow",
            "husband",
            "father",
            "son",
            "brother",
            "uncle",
            "king",
            "prince",
            "lord",
            "sir",
            "master",
            "youth",
        ]
    },
    **{
        w: "female"
        for w in [
            "woman",
            "girl",
            "lady",
            "lass",
            "wife",
            "mother",
            "daughter",
            "sister",
            "aunt",
            "queen",
            "princess",
            "blonde",
            "brunette",
            "redhead",
            "maid",
            "mistress",
        ]
    },
}

_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_CAP_RUN = re.compile(
    r"(?<![\w'’-])(?:(?P<title>(?:Mr|Mrs|Ms|Dr|St|Prof|Capt|Col|Rev|Mme|Mlle)\.?|Miss|Sir|Lady|Lord|"
    r"Madam|Madame|Mister|Doctor|Professor|Captain|Colonel|Major|General|Aunt|Uncle|King|Queen|"
    r"Prince|Princess|Father|Mother|Brother|Sister|Master|Mistress|Judge|Reverend|Monsieur)\s+)?"
    r"(?P<name>[A-Z][a-z\w'’]*(?:-[A-Za-z]+)?(?:\s+(?:[A-Z][a-z\w'’]*(?:-[A-Za-z]+)?))*)"
)
_PLACE_WORDS = _words(
    "a an the in into from near across through toward towards within inside outside around"
)
_SUBJECT_LEAD = re.compile(
    r"(?:^|\W)(?:and|but|then|when|as|while|so|until|" + "|".join(SPEECH_VERBS) + r")$",
    re.IGNORECASE,
)
_FOLLOWED_BY_VERB = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:" + "|".join(SPEECH_VERBS) + r")\b")
_PRECEDED_BY_VERB = re.compile(r"\b(?:" + "|".join(SPEECH_VERBS) + r")$")
_ABBREVIATED = _words("Mr Mrs Ms Dr St Prof Capt Col Rev Mme Mlle")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HONORIFIC = re.compile(r"-(?:" + "|".join(HONORIFICS) + r")$", re.IGNORECASE)
_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
_ADV = r"(?:[a-z]+ly\s+)?"
_SUBJ = (
    r"(?P<subj>(?:(?:Mr|Mrs|Ms|Dr|St)\.?\s+|Miss\s+|Sir\s+|Lady\s+|Lord\s+|Aunt\s+|Uncle\s+)?"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?|(?:[Tt]he|an?)\s+[a-z-]+(?:\s+[a-z]+)?|[Hh]is\s+[a-z]+|[Hh]er\s+[a-z]+)"
)
_PRON = r"(?P<pron>he|she|I|they|we|He|She|They|We)"
# Tag after a quote:  , said Kakashi | Kakashi said | she asked softly | said he
_TAG_AFTER = re.compile(
    r"^[\s,.;:!?—–-]*(?:(?:" + _PRON + r"|" + _SUBJ + r")\s+" + _ADV + r"(?P<v1>" + _VERB + r")\b"
    r"|(?P<v2>"
    + _VERB
    + r")\s+"
    + _ADV
    + r"(?:(?P<pron2>he|she|I|they|we)\b|"
    + _SUBJ.replace("subj", "subj2")
    + r"))"
)
# Tag before a quote:  Kakashi said, | She whispered: | and then he said quietly,
_TAG_BEFORE = re.compile(
    r"(?:^|[\s,.;])(?:" + _PRON + r"|" + _SUBJ + r")\s+" + _ADV + r"(?P<v1>" + _VERB + r")\b"
    r"[^.!?\"“”]{0,40}[,:—–-]\s*$"
)
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*[\"”’']*\s*")
_VOCATIVE = re.compile(
    r"(?:^[\"“”‘'—–-]*|,\s+|\b(?:[Hh]ey|[Oo]h|[Yy]es|[Nn]o|[Tt]hanks|[Dd]ear|[Mm]y dear)\s*,?\s+)"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|Miss\s+)?[A-Z][\w'’-]+)(?=\s*[,!?.]|\s*[\"”’']?$)"
)


@dataclass(eq=False)
class _Entity:
    name: str
    forms: Counter[str] = field(default_factory=Counter)
    gender_votes: Counter[str] = field(default_factory=Counter)
    fixed_gender: Gender | None = None
    speech: int = 0  # times named as the subject of a speech verb: a person, not a place
    known: bool = False
    narrator: bool = False
    lines: int = 0

    @property
    def person(self) -> bool:
        """Enough evidence that this name is someone who can speak."""
        return (
            self.known
            or self.fixed_gender is not None
            or self.speech > 0
            or sum(self.gender_votes.values()) >= 3
        )

    @property
    def gender(self) -> Gender:
        if self.fixed_gender and self.fixed_gender != "unknown":
            return self.fixed_gender
        male, female = self.gender_votes["male"], self.gender_votes["female"]
        if male > 1.5 * female and male >= 1:
            return "male"
        if female > 1.5 * male and female >= 1:
            return "female"
        return "unknown"

    def canonical(self) -> str:
        if self.known or not self.forms:
            return self.name
        # The most used form; ties go to the longer (fuller) one.
        return max(self.forms.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


def _clean(form: str) -> str:
    form = _POSSESSIVE.sub("", form.strip())
    return _HONORIFIC.sub("", form)


def _key(form: str) -> str:
    return re.sub(r"[\W_]+", " ", form.casefold()).strip()


class _Names:
    """Name mentions in the text and the characters they refer to."""

    def __init__(self, work: Work, known: Sequence[Character]) -> None:
        self.text = work.text
        self.entities: list[_Entity] = []
        self.by_key: dict[str, _Entity] = {}
        for character in known:
            entity = _Entity(name=character.name, known=True, narrator=character.narrator)
            if character.gender != "unknown":
                entity.fixed_gender = character.gender
            self.entities.append(entity)
            for form in (character.name, *character.aliases):
                self.by_key.setdefault(_key(_clean(form)), entity)
                words = _clean(form).split()
                if len(words) > 1 and words[0] not in TITLES:
                    for word in words:
                        self.by_key.setdefault(_key(word), entity)
        self._discover(work)

    def _discover(self, work: Work) -> None:
        text = self.text
        lower: Counter[str] = Counter()
        cap_mid: Counter[str] = Counter()
        # Capitalised words after an article ("a Norwegian") or a place preposition
        # ("in Manchester") are nationalities and places, not characters.
        not_person: Counter[str] = Counter()
        previous = ""
        for m in _WORD.finditer(text):
            word = m.group(0)
            before, previous = previous, word
            if word[0].islower():
                lower[_POSSESSIVE.sub("", word)] += 1
            else:
                if before in _PLACE_WORDS and not _POSSESSIVE.search(word):
                    not_person[word] += 1
                i = m.start() - 1
                while i >= 0 and text[i] != "\n" and text[i].isspace():
                    i -= 1
                if i >= 0 and text[i] not in ".!?\"“”‘’'\n:;—–-…*(":
                    cap_mid[_clean(word)] += 1
                elif _FOLLOWED_BY_VERB.match(text, m.end()):
                    cap_mid[_clean(word)] += 1  # '"Hi," Marla said': a speech tag subject
                elif (
                    i >= 0
                    and text[i] == "."
                    and text[max(0, i - 4) : i].split()[-1:] in ([t] for t in _ABBREVIATED)
                ):
                    cap_mid[_clean(word)] += 2  # "Mr. Bennet": a title, not a sentence end

        def is_name_word(word: str) -> bool:
            if word in NOT_NAMES or len(word) < 2 or not word[0].isupper() or word.endswith("ly"):
                return False
            if word.isupper() and len(word) > 1 and word not in cap_mid:
                return False
            mid = cap_mid[word]
            return mid >= 1 and lower[word.lower()] <= mid // 3 and not_person[word] * 2 <= mid

        mentions: list[tuple[int, int, str]] = []
        forms: Counter[str] = Counter()
        for m in _CAP_RUN.finditer(text):
            title = m.group("title")
            words = [_clean(w) for w in m.group("name").split()]
            # Drop capitalised non-names from either end ("Then Kakashi", "Kakashi Monday").
            start_word = 0
            while start_word < len(words) and not is_name_word(words[start_word]):
                start_word += 1
                title = None
            words = words[start_word:]
            end_word = len(words)
            while end_word > 0 and not is_name_word(words[end_word - 1]):
                end_word -= 1
            words = words[:end_word]
            if not words or len(words) > 3:
                continue
            if title is not None and title.rstrip(".") in _ABBREVIATED:
                title = title.rstrip(".") + "."
            form = " ".join([title, *words] if title else words)
            mentions.append((m.start(), m.end(), form))
            forms[form] += 1
        self._merge(forms)
        self.mentions = [
            (s, e, self.by_key[_key(f)]) for s, e, f in mentions if _key(f) in self.by_key
        ]
        self.starts = [s for s, _, _ in self.mentions]
        for _s, _e, form in mentions:
            entity = self.by_key.get(_key(form))
            if entity is not None:
                entity.forms[form] += 1
        self._genders()

    def _merge(self, forms: Counter[str]) -> None:
        def split(form: str) -> tuple[str | None, list[str]]:
            words = form.split()
            if words[0].rstrip(".") in {t.rstrip(".") for t in TITLES} and len(words) > 1:
                return words[0], words[1:]
            return None, words

        order = sorted(forms, key=lambda f: (-len(split(f)[1]), -forms[f]))
        for form in order:
            key = _key(form)
            if key in self.by_key:
                continue
            title, words = split(form)
            target: _Entity | None = None
            if title is None and len(words) == 1:
                # A single word: part of a fuller name already seen, most frequent first.
                word_key = _key(words[0])
                target = self.by_key.get(word_key)
            elif title is not None:
                # "Mr. Darcy" -> "Fitzwilliam Darcy"; "Miss Elizabeth" -> "Elizabeth Bennet"
                full = self.by_key.get(_key(" ".join(words)))
                if full is not None and not (
                    full.known is False
                    and any(split(f)[0] not in (None, title) for f in full.forms)
                ):
                    target = full
            if target is None:
                target = _Entity(name=form)
                self.entities.append(target)
                if title is not None:
                    if title in MALE_TITLES:
                        target.fixed_gender = "male"
                    elif title in FEMALE_TITLES:
                        target.fixed_gender = "female"
            self.by_key[key] = target
            if title is None and len(words) > 1:
                for word in words:
                    self.by_key.setdefault(_key(word), target)
            elif title is not None and len(words) == 1:
                self.by_key.setdefault(_key(words[0]), target)

    def _genders(self) -> None:
        """Vote a gender for each entity from the pronoun that follows its mentions."""
        text = self.text
        pronoun = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
        for k, (s, e, entity) in enumerate(self.mentions):
            # Only a name in subject position ("Kakashi nodded.", "and Sakura
            # laughed") is what the next "he"/"she" refers back to; places and
            # objects of prepositions would pick up stray pronouns.
            head = text[max(0, s - 16) : s].rstrip(" \t")
            if _FOLLOWED_BY_VERB.match(text, e) or _PRECEDED_BY_VERB.search(head):
                entity.speech += 1
            if head and head[-1] not in '.!?"“”‘’\n—;:' and not _SUBJECT_LEAD.search(head):
                continue
            limit = self.mentions[k + 1][0] if k + 1 < len(self.mentions) else e + 120
            window_end = min(limit, e + 120)
            m = pronoun.search(text, e, window_end)
            if m is not None:
                between = text[e : m.start()]
                if '"' in between or "“" in between or "”" in between:
                    continue
                entity.gender_votes[PRONOUN_GENDER[m.group(1).lower()]] += 1

    def lookup(self, form: str) -> _Entity | None:
        form = _clean(form)
        entity = self.by_key.get(_key(form))
        if entity is None:
            words = form.split()
            if len(words) > 1 and words[0].rstrip(".") in {t.rstrip(".") for t in TITLES}:
                entity = self.by_key.get(_key(" ".join(words[1:])))
        return entity

    def in_range(self, start: int, end: int) -> list[tuple[int, int, _Entity]]:
        return self.mentions[bisect_left(self.starts, start) : bisect_right(self.starts, end - 1)]


@dataclass
class _Decision:
    speaker: _Entity | None
    confidence: float
    rule: str | None


def _first_person(work: Work, lines: Sequence[Line]) -> bool:
    """A first-person narrator: "I" is common in the narration outside quotes."""
    i_count = words = 0
    for line in lines:
        if line.kind == "narration":
            i_count += len(re.findall(r"\b(?:I|me|my|myself)\b", line.text))
            words += line.text.count(" ") + 1
    return words > 0 and i_count / words > 0.012


def attribute(work: Work, lines: Sequence[Line], *, known: Sequence[Character] = ()) -> Attribution:
    """Give every dialogue line a speaker, a confidence and the rule that decided it."""
    names = _Names(work, known)
    narrator: _Entity | None = next((e for e in names.entities if e.narrator), None)
    if narrator is None and _first_person(work, lines):
        narrator = _Entity(name="Narrator", narrator=True)
        names.entities.append(narrator)

    # Group lines by paragraph, in order.
    paragraphs: list[list[int]] = []
    last_key: tuple[int, int, int] | None = None
    for i, line in enumerate(lines):
        key = (line.chapter, line.scene, line.paragraph)
        if key != last_key:
            paragraphs.append([])
            last_key = key
        paragraphs[-1].append(i)

    decisions: dict[int, _Decision] = {}
    spoken: list[tuple[_Entity | None, list[_Entity]]] = []  # dialogue paragraphs in order
    recent: list[_Entity] = []  # most recent last: mentions and speakers
    history: list[_Entity | None] = []  # speakers of recent dialogue paragraphs in this scene
    last_vocative: _Entity | None = None
    open_quote_speaker: _Entity | None = None
    scene_key: tuple[int, int] | None = None
    gap = 0  # narration-only paragraphs since the last dialogue paragraph

    def touch(entity: _Entity) -> None:
        if entity in recent:
            recent.remove(entity)
        recent.append(entity)

    not_these: list[_Entity] = []  # people addressed in the current quote

    def resolve_pronoun(pron: str, exclude: _Entity | None = None) -> _Entity | None:
        p = pron.lower()
        if p == "i":
            return narrator
        gender = PRONOUN_GENDER.get(p)
        if gender is None:
            return None
        matches = [
            e
            for e in reversed(recent)
            if e.gender == gender and not e.narrator and e not in not_these and e.person
        ]
        if exclude is not None and len(matches) > 1 and matches[0] is exclude:
            # Two people of one gender talking: "he said" on a new paragraph is
            # rarely the one who spoke last.
            return matches[1]
        return matches[0] if matches else None

    def resolve_subject(subj: str, prev: _Entity | None) -> _Entity | None:
        words = subj.split()
        if words[0].lower() in {"the", "his", "her", "a", "an"}:
            noun = words[-1].lower()
            gender = EPITHET_GENDER.get(noun)
            for entity in reversed(recent):
                if entity is prev or entity.narrator:
                    continue
                if not entity.person:
                    continue
                if entity.gender == gender or (gender is None and entity.gender != "unknown"):
                    return entity
            return None
        return names.lookup(subj)

    for para in paragraphs:
        first = lines[para[0]]
        if (first.chapter, first.scene) != scene_key:
            scene_key = (first.chapter, first.scene)
            history = []
            recent = []
            last_vocative = None
            open_quote_speaker = None
        p_start, p_end = first.start, lines[para[-1]].end
        dialogue = [i for i in para if lines[i].kind == "dialogue"]
        mentions = names.in_range(p_start, p_end)
        narration_mentions = [
            e
            for s, _, e in mentions
            if any(
                lines[i].kind == "narration" and lines[i].start <= s < lines[i].end for i in para
            )
        ]
        if not dialogue:
            for entity in narration_mentions:
                touch(entity)
            gap += 1
            if gap >= 2:
                history = []
            open_quote_speaker = None
            continue
        prev_speaker = history[-1] if history else None

        # Names in the narration before the first quote are who "he"/"she" most
        # likely points at: "Kakashi looked up. 'Hi,' he said."
        first_quote = lines[dialogue[0]].start
        lead_mentions = [e for s, _, e in mentions if s < first_quote]
        for entity in lead_mentions:
            touch(entity)
        alternate = prev_speaker if not lead_mentions else None
        wanted_gender: str | None = None

        # Whoever a quote addresses by name is not its speaker.
        quote_text = " ".join(lines[i].text for i in dialogue)
        addressed = _vocatives(quote_text, names)
        not_these[:] = addressed

        # 1. explicit tags, per quote
        tagged: dict[int, _Entity] = {}
        for pos, i in enumerate(para):
            if lines[i].kind != "dialogue":
                continue
            after = lines[para[pos + 1]].text if pos + 1 < len(para) else ""
            before = lines[para[pos - 1]].text if pos > 0 else ""
            # the narration glued onto the end of a dialogue line is part of its tail
            for source, regex in ((after, _TAG_AFTER), (before, _TAG_BEFORE)):
                if not source or (regex is _TAG_AFTER and lines[para[pos + 1]].kind != "narration"):
                    continue
                if regex is _TAG_BEFORE and lines[para[pos - 1]].kind != "narration":
                    continue
                m = regex.search(source)
                if m is None:
                    continue
                pron = m.groupdict().get("pron") or m.groupdict().get("pron2")
                subj = m.groupdict().get("subj") or m.groupdict().get("subj2")
                who = (
                    resolve_pronoun(pron, exclude=alternate)
                    if pron
                    else resolve_subject(subj or "", prev_speaker)
                )
                if who is None and pron:
                    wanted_gender = PRONOUN_GENDER.get(pron.lower())
                if who is not None:
                    tagged[i] = who
                    break
        speaker: _Entity | None = None
        conf, rule = 0.0, None
        if tagged:
            counts = Counter(tagged.values())
            speaker = counts.most_common(1)[0][0]
            conf, rule = 0.9, "tag"
        elif open_quote_speaker is not None and lines[dialogue[0]].start == p_start:
            speaker, conf, rule = open_quote_speaker, 0.85, "continued"
        else:
            # 3. action beat: the subject of the narration sentence nearest the quote
            beat = _beat_subject(lines, para, names, resolve_pronoun)
            if beat is not None:
                speaker, conf, rule = beat, 0.7, "beat"

        def fits(entity: _Entity, wanted: str | None = wanted_gender) -> bool:
            return wanted is None or entity.gender in (wanted, "unknown")

        if (
            speaker is None
            and last_vocative is not None
            and last_vocative is not prev_speaker
            and fits(last_vocative)
        ):
            speaker, conf, rule = last_vocative, 0.6, "vocative"
        if (
            speaker is None
            and len(history) >= 2
            and history[-2] is not None
            and history[-2] is not prev_speaker
            and gap == 0
            and history[-2] not in addressed
            and fits(history[-2])
        ):
            speaker, conf, rule = history[-2], 0.55, "turns"
        if speaker is None:
            for candidate in reversed(
                narration_mentions + [e for e in recent if e not in narration_mentions]
            ):
                if (
                    candidate is not prev_speaker
                    and candidate not in addressed
                    and not candidate.narrator
                    and candidate.person
                    and fits(candidate)
                ):
                    speaker, conf, rule = candidate, 0.3, "other"
                    break
        if speaker is None:
            # Last resort: whoever has spoken most in this scene, other than the
            # previous speaker; marked low-confidence for review.
            talkers = Counter(e for e in history if e is not None and e is not prev_speaker)
            for candidate, _ in talkers.most_common():
                if candidate not in addressed and fits(candidate):
                    speaker, conf, rule = candidate, 0.15, "guess"
                    break
        for i in dialogue:
            own = tagged.get(i)
            if own is not None:
                decisions[i] = _Decision(own, 0.9, "tag")
            else:
                decisions[i] = _Decision(
                    speaker, conf if speaker else 0.0, rule if speaker else None
                )
        for entity in narration_mentions:
            touch(entity)
        if speaker is not None:
            touch(speaker)
        history.append(speaker)
        spoken.append((speaker, addressed))
        gap = 0
        last_vocative = next((e for e in addressed if e is not speaker), None)
        last_line = lines[para[-1]]
        open_quote_speaker = (
            speaker if last_line.kind == "dialogue" and not _closed(last_line.text) else None
        )

    if narrator is not None and not narrator.known:
        named = _narrator_name(narrator, spoken)
        if named is not None:
            named.narrator = True
            names.entities.remove(narrator)
            for decision in decisions.values():
                if decision.speaker is narrator:
                    decision.speaker = named

    out: list[Line] = []
    for i, line in enumerate(lines):
        d = decisions.get(i)
        if d is None or line.kind != "dialogue":
            out.append(line)
            continue
        if d.speaker is not None:
            d.speaker.lines += 1
        out.append(
            replace(
                line,
                speaker=d.speaker.canonical() if d.speaker else None,
                confidence=round(d.confidence, 2),
                rule=d.rule,
            )
        )
    characters = []
    for entity in names.entities:
        if entity.lines == 0 and not entity.known and not entity.narrator:
            continue
        name = entity.canonical()
        aliases = tuple(
            sorted({f for f in entity.forms if f and f != name}, key=lambda f: -entity.forms[f])
        )
        characters.append(
            Character(
                name=name,
                aliases=aliases,
                gender=entity.gender,
                lines=entity.lines,
                narrator=entity.narrator,
            )
        )
    characters.sort(key=lambda c: -c.lines)
    return Attribution(lines=tuple(out), characters=tuple(characters))


def _narrator_name(
    narrator: _Entity, spoken: list[tuple[_Entity | None, list[_Entity]]]
) -> _Entity | None:
    """The first-person narrator's name: what the people answering them call them."""
    votes: Counter[_Entity] = Counter()
    for k, (speaker, _) in enumerate(spoken):
        if speaker is not narrator:
            continue
        for j in (k - 1, k + 1):
            if 0 <= j < len(spoken) and spoken[j][0] is not narrator:
                for entity in spoken[j][1]:
                    if entity is not spoken[j][0]:
                        votes[entity] += 1
    if not votes:
        return None
    best, count = votes.most_common(1)[0]
    return best if count >= 2 else None


def _closed(text: str) -> bool:
    stripped = text.rstrip(" .,;:!?—–-)")
    return stripped.endswith(('"', "”", "’", "'", "“", "»")) or text.lstrip()[:1] in "—―"


def _vocatives(quote: str, names: _Names) -> list[_Entity]:
    found: list[_Entity] = []
    for m in _VOCATIVE.finditer(quote):
        entity = names.lookup(m.group("name"))
        if entity is not None and entity not in found:
            found.append(entity)
    return found


def _beat_subject(
    lines: Sequence[Line], para: list[int], names: _Names, resolve_pronoun: object
) -> _Entity | None:
    resolve = resolve_pronoun  # callable(str, exclude) -> _Entity | None
    first_dialogue = next(pos for pos, i in enumerate(para) if lines[i].kind == "dialogue")
    # Narration nearest the first quote: the one before it, else the one after it.
    candidates = []
    if first_dialogue > 0:
        sentences = _SENTENCE.findall(lines[para[first_dialogue - 1]].text)
        candidates.extend(reversed(sentences))
    if first_dialogue + 1 < len(para) and lines[para[first_dialogue + 1]].kind == "narration":
        candidates.extend(_SENTENCE.findall(lines[para[first_dialogue + 1]].text))
    for sentence in candidates[:3]:
        s = sentence.strip().lstrip("\"“”'‘’,—–- ")
        m = re.match(
            r"(?:(?:Then|And|But|So|Finally|Suddenly|Slowly|Instead|Still|Now)\s*,?\s+)?"
            r"(?P<subj>(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|Miss\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)",
            s,
        )
        if m is None:
            continue
        subj = m.group("subj")
        first_word = subj.split()[0].lower()
        if first_word in PRONOUN_GENDER or first_word == "i":
            entity = resolve(first_word, None)  # type: ignore[operator]
            if entity is not None:
                return entity  # type: ignore[no-any-return]
            continue
        entity = names.lookup(subj) or names.lookup(subj.split()[0])
        if entity is not None:
            return entity
    return None
