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
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import groupby, pairwise
from typing import Literal

from narrate import given_names
from narrate.lines import SPEECH_VERBS
from narrate.model import Character, Gender, Line, Work

Span = tuple[int, int]  # [start, end) in the work's text


@dataclass(frozen=True)
class Attribution:
    lines: tuple[Line, ...]
    characters: tuple[Character, ...]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MALE_TITLES = _words(
    "Mr Mr. Sir Lord King Prince Father Uncle Brother Master Monsieur Herr Don "
    "Count Baron Duke Earl Marquis Marquess Viscount Bishop Archbishop Cardinal Abbot Parson"
)
FEMALE_TITLES = _words(
    "Mrs Mrs. Ms Ms. Miss Lady Madam Madame Mme Mme. Mlle Queen Princess Mother Aunt Sister Dame Mistress "
    "Countess Baroness Duchess Marchioness Viscountess"
)
# Titles that, once pronouns have voted, join the one man of that surname
JOINING_TITLES = _words("Mr Master Father Monsieur Herr Signor Señor")
NEUTRAL_TITLES = _words(
    "Dr Dr. Doctor Professor Prof Prof. Captain Capt Capt. Colonel Col Major General Lieutenant "
    "Sergeant Corporal Inspector Constable Detective Admiral Commander Parson Judge Reverend "
    "Rev Rev. Saint St St."
)
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
# Titles put before a surname ("Mr. Cotter", "Captain Good"), unlike "Sir Henry"
SURNAME_TITLES = _words(
    "Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Doctor Professor Prof Prof. Captain Capt Capt. "
    "Colonel Col Major General Lieutenant Sergeant Corporal Inspector Constable Detective "
    "Admiral Commander Monsieur Madame Mme Mme. Mlle Herr"
)
HONORIFICS = ("sensei", "sama", "san", "kun", "chan", "senpai", "sempai", "dono", "hime", "shishou")

# A people's name for one of them ("the dying Indian sank to his knees"), but as often
# a word for a thing of theirs ("the German army"): a person only when a verb follows.
_PEOPLE_NOUNS = _words(
    "Indian Italian German Russian Spaniard Turk Arab Greek Mexican Swede Dane Portuguese"
)
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
    What’s Let's Let’s Another Other Many Several Few Most One Two Three First Last Next""".replace(
        "\n", " "
    )
)
# a people's name ("the dying Spaniard") is a word for one of them, never a name
NOT_NAMES |= _PEOPLE_NOUNS

# Words in NOT_NAMES that are also family names ("Captain John Good", "Brigham Young").
_WORD_SURNAMES = _words("Good Young Little Long Dear Poor Great English French")

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
# Hair colours are not here: "the blonde" is as often a man as a woman in today's fiction.
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
            "stripling",
            "youngster",
            "nephew",
            "grandfather",
            "stepfather",
            "widower",
            "bridegroom",
            "duke",
            "earl",
            "baron",
            "monk",
            "priest",
            "landlord",
            "bachelor",
            "squire",
            "waiter",
            "chap",
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
            "brunette",
            "maid",
            "mistress",
            "dame",
            "matron",
            "maiden",
            "handmaiden",
            "widow",
            "nun",
            "niece",
            "grandmother",
            "stepmother",
            "spinster",
            "governess",
            "landlady",
            "bride",
            "duchess",
            "countess",
            "baroness",
            "actress",
            "hostess",
            "waitress",
            "heiress",
            "seamstress",
            "laundress",
        ]
    },
}

_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Spaces or one line break (hard-wrapped text), never a blank line: a heading's last
# word and the next paragraph's first ("Son of Beatrice" / "Amory Blaine") are no name.
_GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
_CAP_RUN = re.compile(
    # "Connecticut--Mr. Waymarsh": a dash, unlike a hyphen, does not join words
    r"(?<![\w'’])(?<!\w-)(?:(?P<title>(?:Mr|Mrs|Ms|Dr|St|Prof|Capt|Col|Rev|Mme|Mlle)\.?|Miss|Sir|Lady|Lord|"
    r"Madam|Madame|Mister|Doctor|Professor|Captain|Colonel|Major|General|Aunt|Uncle|King|Queen|"
    r"Prince|Princess|Father|Mother|Brother|Sister|Master|Mistress|Judge|Reverend|Monsieur|"
    r"Lieutenant|Sergeant|Corporal|Inspector|Constable|Detective|Admiral|Commander|Parson)"
    rf"{_GAP})?"
    rf"(?P<name>[A-Z][a-z\w'’]*(?:-[A-Za-z]+)?(?:{_GAP}(?:[A-Z][a-z\w'’]*(?:-[A-Za-z]+)?))*)"
)
_PLACE_WORDS = _words(
    "a an the in into from near across through toward towards within inside outside around"
)
_OPENING_ADVERB = re.compile(
    r"(?:^|[.!?\"”’\n]\s*)(?:Presently|Suddenly|Then|Now|Soon|Finally|Meanwhile|At last|At length|"
    # "Later that night Ada went up", "Next morning Tom", "Slowly Ada rose"
    r"Later|Afterwards|Again|Instead|Once more|(?:Later\s+)?(?:[Tt]hat|(?:[Tt]he\s+)?[Nn]ext)\s+"
    r"(?:night|day|morning|evening|afternoon)|[A-Z][a-z]+ly)"
    r",?$"
)
# "and about eight o'clock Thomas Johnson came", "At dawn Tom rose": a time before the subject
_TIME_WORDS = (
    "o'clock",
    "o’clock",
    "noon",
    "midnight",
    "dawn",
    "dusk",
    "sunset",
    "sunrise",
    "daybreak",
    "nightfall",
    "morning",
    "evening",
    "afternoon",
    "night",
)
_TIME_LEAD = re.compile(
    r"(?:^|[.!?\"”’\n]\s*|\b(?:and|but|then|when|until)\s+)"
    r"(?:[Aa]bout|[Aa]t|[Bb]y|[Aa]round|[Tt]owards?|[Aa]fter|[Bb]efore|[Uu]ntil|[Ii]n\s+the)\s+"
    rf"(?:[\w'’-]+\s+){{0,2}}?(?:{'|'.join(_TIME_WORDS)})\s*,?$"
)
_SUBJECT_LEAD = re.compile(
    r"(?:^|\W)(?:and|but|then|when|as|while|so|until|if|though|although|because|unless|whenever|whereupon|"
    + "|".join(SPEECH_VERBS)
    + r")$",
    re.IGNORECASE,
)
# "It must be Thea. I meant to look at her.": the name a sentence is about
_IT_IS = re.compile(
    r"\b(?:it|this|that)(?:['’]s|\s+(?:(?:must|may|might|will|would|should|can|could)\s+be|is|was))$",
    re.IGNORECASE,
)
_FOLLOWED_BY_VERB = re.compile(
    r"\s+(?:(?:had|has|have|would|will)\s+)?(?:[a-z]+ly\s+)?(?:" + "|".join(SPEECH_VERBS) + r")\b"
)
# "William, a boy of seven,"
_APPOSITIVE = re.compile(r",\s+(?:a|an)\s+(?:[a-z-]+\s+){0,2}?([a-z]+)\b(?:\s+of\s+[\w-]+)?,")
# "Dr Marjoribanks was too busy a man to waste his feelings": what the name is
_COPULA_KIND = re.compile(
    r"\s+(?:was|is)\s+(?:(?:too|so|such|quite|rather|still|always|never|not)\s+)*"
    r"(?:[a-z]+\s+)?an?\s+(?:[\w'’-]+\s+){0,3}?(man|woman|boy|girl|gentleman|lady|lad|lass)\b"
)
# what follows a name that only ever opens sentences: a description, or a verb of action
_OPENER_EVIDENCE = re.compile(
    r",\s+(?:a|an)\s+(?:[a-z-]+\s+){0,2}(?:boy|girl|man|woman|lad|lass|child|youth|fellow|gentleman|lady)\b"
    r"|\s+(?:[a-z]+ly\s+)?(?:[a-z]{2,}ed|went|came|sat|stood|ran|felt|knew|thought|had|was)\b"
)
# '", said Tom', '" asked old Cotter': a tag after a quote, not "I thought Vessary would"
_INVERTED_TAG = re.compile(r"[\"”’',!?—]\s*(?:" + "|".join(SPEECH_VERBS) + r")\s+(?:[a-z]+\s+)?$")
_ABBREVIATED = _words("Mr Mrs Ms Dr St Prof Capt Col Rev Mme Mlle")
# "Mrs. Bennet deigned …" is one sentence: a title's full stop ends none
_STOP_TITLES = ("Mr", "Mrs", "Ms", "Dr", "St")  # titles written with a full stop
_NOT_AFTER_TITLE = "".join(rf"(?<!\b{t})" for t in _STOP_TITLES)
_END_OF_SENTENCE = re.compile(_NOT_AFTER_TITLE + r"[.!?]")
# "her and Sasuke", "Naruto and then Sasuke": the second of two people named together
_JOINED_SUBJECT = re.compile(r"(?:\b(?:her|him|me|them|us)|\b[A-Z][\w'’-]*)\s+and(?:\s+then)?\s+$")
# "surprised to see Hinata there": someone seen or met is in the scene, though not acting
_PERCEIVED = re.compile(
    r"\b(?:see|sees|saw|seeing|spot|spots|spotted|notice|notices|noticed|greet|greets|greeted|"
    r"find|finds|found)\s+$"
)
# "the chair into which he was beckoned by Lucy": the agent of a passive acts
_PASSIVE_AGENT = re.compile(r"\b[a-z]+(?:ed|en)\s+by\s+$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HONORIFIC = re.compile(r"-(?:" + "|".join(HONORIFICS) + r")$", re.IGNORECASE)
# "went" and "began" are speech verbs in "she went on" and "he began, '…'", not in
# "Alexandra went into the store" or "Carl began to laugh"
_VERB_SENSE = {
    "went": r"went\s+on\b",  # "went on Sir Henry": the whole phrase is the verb
    "began": r"began(?!\s+to\b)",
    "begins": r"begins(?!\s+to\b)",
}
# "broke in a thin, elderly gentleman", "Katharine cut in": verbs that speak only with "in"
_INTERRUPTING = r"(?:broke|breaks|cut|cuts|struck|strikes|put|puts)\s+in\b"
_VERB = (
    r"(?:"
    + _INTERRUPTING
    + "|"
    + "|".join(_VERB_SENSE.get(v, v) for v in sorted(SPEECH_VERBS, key=len, reverse=True))
    + r")"
)
_ADV = r"(?:[a-z]+ly\s+)?"
# an adverb between a tag's subject and its verb: "she softly said", and the few common
# ones without "-ly" ('"…?" I once asked a carter', "he then asked")
_TAG_ADVERB = r"(?:(?:[a-z]+ly|once|then|again|also)\s+)?"


def _base_form(word: str) -> str | None:
    """The plain form of a present-tense speech verb: "declares" -> "declare",
    "cries" -> "cry", "hisses" -> "hiss"."""
    if not word.endswith("s") or word.endswith("ss"):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "oes")):
        return word[:-2]
    return word[:-1]


# "she would declare,", "he used to say": a habitual tag, with the verb's plain form
_HABITUAL_VERB = (
    r"(?:(?:would|used\s+to|will|could|['’]d)\s+(?:[a-z]+ly\s+)?(?:always\s+|often\s+|then\s+)?"
    r"(?:"
    + "|".join(
        sorted(
            {b for v in SPEECH_VERBS if (b := _base_form(v))} | {"say", "tell", "speak"},
            key=len,
            reverse=True,
        )
    )
    + r"))"
)
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
# a sentence: "Mrs. Hilbery deftly joined …" is one, the title's full stop ends nothing
_SENTENCE = re.compile(
    r"(?:[^.!?…]|" + "|".join(rf"(?<=\b{t})\." for t in _STOP_TITLES) + r")+"
    r"[.!?…]*[\"”’']*\s*"
)
_VOCATIVE = re.compile(
    r"(?:^[\"“”‘'—–-]*|,\s+|\b(?:[Hh]ey|[Oo]h|[Yy]es|[Nn]o|[Tt]hanks|[Dd]ear|[Mm]y dear)\s*,?\s+"
    # "Okay… Kakashi.", "Sweet dreams, Kakashi.", "Goodnight Hinata!"
    r"|\b(?:Okay|OK|Alright|All right|Well|Hi|Hello|Goodnight|Good night|Goodbye|Sweet dreams|"
    r"Thank you|Sorry|Please|Come on|Morning|Night)\s*(?:[,…]|\.\.\.)?\s+)"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|(?:Miss|Aunt|Uncle|Cousin|Captain|Colonel|"
    r"Major|General|Sergeant|Lieutenant|Doctor|Professor|Father|Sister|Brother|Bishop|Judge|"
    r"Reverend|Parson|Count|Countess|Baron|Madame|Monsieur|Master|Mistress|Granny)\s+)?"
    r"[A-Z][\w'’-]+)"
    # "But, Margaret dear, I mean": a fond word after the name; and a semicolon or a dash
    # ends the call as a comma does ("Sit up, Barnaby;", "Don't slouch, Barnaby--mind")
    r"(?:\s+(?:dear|darling|my\s+dear|my\s+love))?(?=\s*[,!?.;]|\s*(?:--|—)|\s*[\"”’']?$)"
)


_KIN_VOCATIVE = re.compile(
    # "… to me. Uncle, you agree": a new sentence may open on it too
    r"(?:^[\"“‘'\s]*|[,;!?—]\s*|\.\s+(?=[A-Z])|\b(?:[Dd]ear|[Mm]y)\s+)"
    r"(?P<kin>[Uu]ncle|[Aa]unt|[Cc]ousin)"
    r"(?![’']s\b)(?=\s*[,.!?;:—\"”’']|\s*$)"  # not "my uncle's intentions"
)

# Words a speaker calls the person they talk to ("No, papa, ...", "Yes, sir."): they name
# no one, but they give the addressee's sex, so when one of the people talking is a man
# and the other a woman they say who is *not* speaking.
ADDRESS_GENDER: dict[str, Gender] = {
    **dict.fromkeys(
        (
            *_words("sir papa pa pappa father dad daddy pop uncle grandpa grandfather sonny"),
            *("brother", "mister", "my boy", "my lord", "my son", "young man"),
        ),
        "male",
    ),
    **dict.fromkeys(
        (
            *_words("ma'am ma’am madam madame mamma mama mother mum mummy mom mommy aunt"),
            *("auntie", "grandma", "grandmother", "sister", "miss", "my girl", "my lady"),
            "my daughter",
        ),
        "female",
    ),
}
_ADDRESS = re.compile(
    r"(?:^[\"“”‘'—–-]*|,\s+|\b(?:[Oo]h|[Yy]es|[Nn]o|[Dd]ear|[Ww]ell)\s*,?\s+)"
    r"(?:(?:my\s+)?dear\s+)?(?P<word>"
    + "|".join(
        re.escape(k).replace(r"\ ", r"\s+") for k in sorted(ADDRESS_GENDER, key=len, reverse=True)
    )
    + r")(?=\s*(?:[,!?.;:—–]|--|[\"”’']?\s*$))",
    re.IGNORECASE,
)


_PARENT_WORDS = _words("papa pa pappa father dad daddy pop mamma mama mother mum mummy mom mommy")


_PARENT_HEADS = _words("mother father mamma mama papa pa ma")


def _address_gender(quote: str, parents_only: bool = False) -> Gender | None:
    """The sex of whoever a quote addresses by a kinship or courtesy word, if one."""
    found = _address_gender_at(quote, parents_only)
    return found[0] if found is not None else None


def _address_gender_at(quote: str, parents_only: bool = False) -> tuple[Gender, Span] | None:
    """The same, with where the quote first says such a word ("sir" in "Yes, sir.")."""
    words: dict[str, Span] = {}
    for m in _ADDRESS.finditer(quote):
        word = " ".join(m.group("word").lower().split())
        if not parents_only or word in _PARENT_WORDS:
            words.setdefault(word, m.span("word"))
    found = {ADDRESS_GENDER[word] for word in words}
    if len(found) != 1:
        return None
    return found.pop(), min(words.values())


_IRREGULAR_PAST = _words(
    "said saw took gave came went stood sat ran felt knew thought made held kept left began spoke rose "
    "was had did could would bent broke brought caught drew drove fell found got grew hung hid led "
    "lay lit met put rode rang shook shot shut sang sank slid sprang struck swept swung told tore "
    "threw woke wore wrote"
)
# The pronouns after a subject-position name that vote for its gender. (Object and
# possessive forms are often someone else's, "Sasuke kissed her", but leaving them out
# measured worse on LitBank and left Sakura of seed 000 without a gender.)
# "her" right after the name's verb ("saw her", "kissed her") is someone else's.
_AUXILIARIES = _words("was had did could would")
_OBJECT_OF_VERB = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:[a-z]+(?:ed|s)|"
    + "|".join(sorted(_IRREGULAR_PAST - _AUXILIARIES))
    + r")\s+"
)
# Verbs whose "his"/"her" object is the subject's own body or manner: "Kakashi shook his
# head", "Sakura bit her lip"; unlike "kissed her cheek".
_SELF_VERBS = (
    "shook|nodded|bit|raised|lifted|rolled|narrowed|closed|opened|furrowed|cleared|crossed"
    "|scratched|rubbed|ran|tilted|cocked|bowed|hung|lowered|pursed|licked|clenched|shrugged"
    "|squared|straightened|folded|averted|tucked|set|cleared|wiped|dropped|pushed|put"
    "|shifted|turned|covered|pressed|spread|stretched"
    "|stamped|waved|drummed|flexed|hunched|buttoned|swung|adjusted|smoothed|puffed"
)
# Verbs as often done to someone else ("Kakashi held her face", "took her hand"): the
# pronoun is the name's own only with what people do with themselves ("held his breath",
# "took his leave", "made her way").
_TWO_WAY_VERBS = "held|took|made|found|kept|gave"
_TWO_WAY_OWN = (
    "breath|tongue|peace|ground|word|way|leave|seat|place|voice|head|hands?|fists?|eyes"
    "|shoulders|attention|mind|feet|footing|balance|composure|hat|cap|coat"
)
# "her" as an object ("pushed her away", "turned her round") is someone else
_NOT_POSSESSIVE = (
    r"(?!\s*[.,;:!?—–]|\s+(?:to|at|with|for|and|as|in|on|from|into|by|away|back|up|down"
    r"|off|out|over|round|around|aside|close|closer|gently|forward)\b)"
)
_OWN_PRONOUN = re.compile(
    rf"(?:\s+(?:[a-z]+ly\s+)?(?:{_SELF_VERBS})\s+(?P<own>his|her{_NOT_POSSESSIVE})\b"
    rf"|\s+(?:[a-z]+ly\s+)?(?:{_TWO_WAY_VERBS})\s+(?P<own2>his|her)\s+(?:own\s+)?"
    rf"(?:{_TWO_WAY_OWN})\b"
    # "Kakashi watched her warm herself", "told her to help herself": the reflexive
    # belongs to the one told or watched
    r"|(?:(?!\b(?:watch|s[ae]w|see|help|let|made|make|heard|hear|felt|feel|told|tell|asked"
    r"|ask|left|leave|forced|allowed|begged|urged)(?:ed|es|s)?\s+(?:him|her)\b)"
    r"[^.!?;:\"“”\n—]){0,50}?\b(?P<self>himself|herself)\b)",
    re.IGNORECASE,
)
_ONLY_ONE_THERE = re.compile(r"(?:\s+[a-z]+){0,3}[.!?]\s+(He|She)\b")
# A name that takes plural agreement as the subject of its clause: "The Pollards, back
# from the fair, were tired", "The Mill Boys are late again", "The Pollards kept
# themselves apart". Not a question ("Mother, are you there?") nor a subjunctive ("if
# Harrow were here", see _PLURAL_HEAD), and not one of several joined by "and".
_PLURAL_AGREEMENT = re.compile(
    r"(?:,[^,.;:!?\"“”\n]{1,60},)?\s+(?:[a-z]+ly\s+)?"
    r"(?:(?:were|are)(?!\s+(?:you|we|they|I|he|she|it|there)\b)"
    r"|(?:(?!\b(?:watch|s[ae]w|see|help|let|made|make|heard|hear|felt|feel|told|tell|asked"
    r"|ask|left|leave|forced|allowed|begged|urged)(?:ed|es|s)?\s+them\b)"
    r"[^.!?;:\"“”\n—,]){0,40}?\bthemselves)\b"
)
_SINGULAR_AGREEMENT = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:was|is|has)\b")
# what may stand before a plural subject: a sentence's start, "the", or a word opening a
# clause of its own ("when the Pollards were …"); not "if", "as though" or "wish" (a
# subjunctive: "if Harrow were here"), nor "and" ("Ada and the Pollards were"). A line
# break alone is Gutenberg's hard wrapping, not a sentence's start.
_PLURAL_HEAD = re.compile(
    r"(?:^|[.!?\"“”‘’—;:]|\n\s*\n|\b(?:but|then|so|when|while|as|until))\s*(?:[Tt]he\s+)?$"
)
# the sentence's subject is "they", "we" or "I": no one else it could be about
_PLURAL_SUBJECT = re.compile(r"(?:^|[.!?\n]\s*)(?:They|We|I)\b[^.!?\n\"“”]*$")
_AUXILIARY_AFTER = re.compile(r"\s+(?:was|had|is|has|did|would|could|will|must)\b")
_KIN_BEFORE = re.compile(
    r"\b(?:my|his|her|our|their|your)\s+(?:(?:elder|older|younger|little|big|twin)\s+)?"
    r"(brother|sister|mother|father|uncle|aunt|wife|husband|son|daughter)\s+$",
    re.IGNORECASE,
)
OWN_VOTES = 3  # such a pronoun outweighs a few that merely follow the name
GENDER_PRONOUNS = r"\b(he|him|his|himself|she|her|hers|herself)\b"
_SEXED_PRONOUN = re.compile(GENDER_PRONOUNS, re.IGNORECASE)
# what follows "her" as an object, not a possessive: "gave it to her.", "saw her at once"
_OBJECT_HER = re.compile(
    r"\s*(?:[.,;:!?—–\"”]|$|(?:to|at|with|for|and|as|in|on|from|into|by|up|down|away|back|off|out)\b)"
)
# where a sentence of narration ends: a stop, a quote or a paragraph break
_SENTENCE_END = re.compile(_NOT_AFTER_TITLE + r"[.!?]|[\"“”‘]|\n\s*\n")
GROUP = "Everyone"  # the speaker of '"Yes!" they shouted.'
THE_SHARE = 4  # at least one use in this many after "the": not a personal name
CROSS_SENTENCE_VOTE = 0.5
CONTESTED_VOTE = 0.5  # of a pronoun that may mean someone else the paragraph named
NAME_PRIOR = 1.0  # votes a common given name is worth ("Eliza" is a woman)
PERSON_VOTES = 2  # pronouns agreeing with a name that make it a person


@dataclass(eq=False)
class _Entity:
    name: str
    forms: Counter[str] = field(default_factory=Counter)
    # pronoun votes by sex, weighted (a pronoun past a full stop counts for less)
    gender_votes: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    pronouns: int = 0  # pronouns that voted, whatever their weight: evidence of a person
    fixed_gender: Gender | None = None
    speech: int = 0  # times named as the subject of a speech verb: a person, not a place
    known: bool = False
    narrator: bool = False
    lines: int = 0
    epithet: bool = False  # named only by a description: "the saloon-keeper"
    group: bool = False  # several people speaking at once: '"Yes!" they shouted.'
    lines_here: int = 0  # dialogue paragraphs spoken in the current scene
    name_gender: Gender | None = None  # what the given name says, when the text does not
    first: int = -1  # where the text first names or describes them (-1: unknown)
    called: int = 0  # times a quote addresses them by name
    bodily: int = 0  # times the text names a part of their body: "Yamato's hands"
    # times set beside a word for a person: "Thomas Johnson, the Armstrongs' butler,"
    described: int = 0
    titled: bool = False  # called by a title: "Dr. Varley"
    # picked out by what they did just now ("the first man who came in"): someone new,
    # never a named person under a description
    picked_out: bool = False
    # what the script and the cast call someone known only by a description, when more
    # than the description itself: "a man in the crowd" for "a man" (see
    # _description_label); who they are is still decided by ``name``
    label: str | None = None

    @property
    def person(self) -> bool:
        """Enough evidence that this name is someone who can speak."""
        return (
            self.known
            or self.group
            or self.fixed_gender is not None
            or self.speech > 0
            or self.bodily > 0
            or self.described > 0
            # a title and one pronoun: "Dr. Varley put down his newspaper"
            or (self.titled and self.pronouns > 0)
            # a given name and one pronoun: "Harry was my cousin, and he was quick"
            or (self.name_gender is not None and self.pronouns > 0)
            or self.pronouns + self.called >= PERSON_VOTES
        )

    @property
    def called_person(self) -> bool:
        """A person, or a common given name someone calls out ("Well, Fred, …"): enough
        to be the name of a stranger the talk has brought in."""
        return self.person or (self.name_gender is not None and self.called > 0)

    @property
    def gender(self) -> Gender:
        if self.fixed_gender and self.fixed_gender != "unknown":
            return self.fixed_gender
        male, female = self.gender_votes["male"], self.gender_votes["female"]
        # a given name says something too: one stray "him" does not make Eliza a man
        if self.name_gender == "male":
            male += NAME_PRIOR
        elif self.name_gender == "female":
            female += NAME_PRIOR
        # pronouns undecided: "William" is a boy
        return _vote_sex(male, female) or self.name_gender or "unknown"

    def canonical(self) -> str:
        if self.epithet and self.label:
            return self.label  # "a man in the crowd": see _description_label
        if self.known or self.epithet or not self.forms:
            # An unnamed person keeps the phrase that introduced them ("a white man"),
            # however often the text later says "the man".
            return self.name
        # The most used form; ties go to the longer (fuller) one. A description the
        # tags also used ("breathed the beautiful lady" for Mrs. Blaine) is not a name.
        named = {f: n for f, n in self.forms.items() if f[:1].isupper()} or self.forms
        best = max(named.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        fuller = [form for form in self.forms if _names_surname(form, best)]
        if fuller:
            # A bare surname is how the narration refers to someone, not what a cast
            # list calls them: "Good" is Captain John Good, "Cotter" is Mr Cotter.
            return max(fuller, key=lambda form: (self.forms[form], len(form)))
        return best


def _both_sexes_after(text: str, first: re.Match[str], end: int) -> bool:
    """Whether a name's first pronoun after it is a possessive or object ("his", "her")
    and the rest of its sentence, before anyone else is named, has a subject or
    possessive pronoun of the other sex: "Ann nestled against his side, too tired to
    keep her eyes open" is about a he and a she, and either may be Ann's. A subject
    pronoun first ("Ann laughed as she ran at him") goes on with the name's subject,
    and an object after it ("at him") is someone else."""
    if first.group(1).lower() in ("he", "she", "himself", "herself"):
        return False
    stop = _SENTENCE_END.search(text, first.end(), end)
    other = _OPPOSITE[PRONOUN_GENDER[first.group(1).lower()]]
    for m in _SEXED_PRONOUN.finditer(text, first.end(), stop.start() if stop else end):
        word = m.group(1).lower()
        if PRONOUN_GENDER[word] != other or word == "him":
            continue
        if word == "her" and _OBJECT_HER.match(text, m.end()):
            continue  # "… and smiled at her.": someone else
        return True
    return False


def _vote_sex(male: float, female: float) -> Gender | None:
    """The sex that pronoun votes settle on: one side half as many again as the other."""
    if male > 1.5 * female and male > 0:
        return "male"
    if female > 1.5 * male and female > 0:
        return "female"
    return None


def _names_surname(form: str, bare: str) -> bool:
    """Whether FORM is BARE, a surname alone, with a surname title before it and
    perhaps a given name ("Mr. Cotter", "Captain John Good" for "Good"). Titles that
    go with given names ("Prince Rudolf", "Sir Henry") and forms without a title
    ("Charlotte Temple" for her father, "Temple") say nothing about a surname, and
    only a common given name counts, so "Hatake Kakashi" stays "Kakashi"."""
    if " " in bare or bare in given_names.MALE or bare in given_names.FEMALE:
        return False
    words = form.split()
    if len(words) < 2 or words[-1] != bare or words[0] not in SURNAME_TITLES:
        return False
    return all(w in given_names.MALE or w in given_names.FEMALE for w in words[1:-1])


def _name_gender(entity: _Entity) -> Gender | None:
    """The sex a character's given name usually has, if every form agrees."""
    found: set[Gender] = set()
    for form in entity.forms:
        words = [w for w in form.split() if w.rstrip(".") not in {t.rstrip(".") for t in TITLES}]
        if not words:
            continue
        if words[0] in given_names.MALE:
            found.add("male")
        elif words[0] in given_names.FEMALE:
            found.add("female")
    return found.pop() if len(found) == 1 else None


_UNMARRIED_TITLES = frozenset({"Miss", "Mlle"})
_MARRIED_TITLES = frozenset({"Mrs", "Madame", "Mme"})


def _titles_clash(title: str, titles: set[str]) -> bool:
    """Miss Marjoribanks, Mrs. Marjoribanks and Dr. Marjoribanks are three people:
    a daughter, her mother and her father. A woman's title and a title of no sex, or
    "Miss" and "Mrs.", on one surname are two people of a family."""
    bare = title.rstrip(".")
    for other in (t.rstrip(".") for t in titles):
        if other == bare:
            continue
        pair = {bare, other}
        if pair & _UNMARRIED_TITLES and pair & _MARRIED_TITLES:
            return True
        sexes = {_title_gender(bare), _title_gender(other)}
        if "female" in sexes and None in sexes:
            return True
    return False


def _husbands_name(title: str, words: Sequence[str]) -> bool:
    """Whether a married woman's title stands before a whole name that is not a woman's:
    "Mrs. Amos Quill" is Amos Quill's wife, where "Mrs. Ada Quill" and "Mr. Amos Quill"
    are Ada and Amos themselves."""
    return (
        len(words) > 1
        and title.rstrip(".") in _MARRIED_TITLES
        and words[0] not in given_names.FEMALE
    )


def _title_gender(title: str) -> Gender | None:
    if title in MALE_TITLES or title.rstrip(".") + "." in MALE_TITLES:
        return "male"
    if title in FEMALE_TITLES or title.rstrip(".") + "." in FEMALE_TITLES:
        return "female"
    return None


def _clean(form: str) -> str:
    form = _POSSESSIVE.sub("", form.strip())
    # "Mr.\nWoodhouse" in hard-wrapped text is the same name as "Mr. Woodhouse"
    return " ".join(_HONORIFIC.sub("", form).split())


def _key(form: str) -> str:
    return re.sub(r"[\W_]+", " ", form.casefold()).strip()


class _Names:
    """Name mentions in the text and the characters they refer to."""

    def __init__(self, work: Work, known: Sequence[Character]) -> None:
        self.text = work.text
        self.nouns = _nouns(_role_acronyms(self.text))
        self.entities: list[_Entity] = []
        self.by_key: dict[str, _Entity] = {}
        self._holders: dict[str, _Entity | None] = {}
        self._described: dict[str, _Entity] | None = None
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
        # "the Hokage", "the Rokudaime": a word often written after "the" is a title, a
        # clan or a thing; a person's name hardly ever is.
        after_the: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        previous = ""
        for m in _WORD.finditer(text):
            word = m.group(0)
            before, previous = previous, word
            if word[0].islower():
                lower[_POSSESSIVE.sub("", word)] += 1
            else:
                if before in _PLACE_WORDS and not _POSSESSIVE.search(word):
                    not_person[word] += 1
                capitalised[_clean(word)] += 1
                if before in ("the", "The"):
                    after_the[_clean(word)] += 1
                # Hard-wrapped text (Gutenberg) breaks lines mid-sentence: only a
                # blank line ends a paragraph.
                i = m.start() - 1
                newlines = 0
                while i >= 0 and text[i].isspace() and newlines < 2:
                    newlines += text[i] == "\n"
                    i -= 1
                if newlines >= 2:
                    i = m.start() - 1  # a paragraph's first word
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

        first_names: set[str] = set()
        # "William, a boy of seven, fled …", "William appeared at half-past twelve":
        # a word that only ever opens sentences, is never written in lower case and is
        # once followed by a description of a person or a past-tense verb is a name.
        openers_only: set[str] = set()
        evidenced = {
            m.group(1) for m in re.finditer(rf"\b([A-Z][a-z]+)(?:{_OPENER_EVIDENCE.pattern})", text)
        }
        for word in evidenced:
            count = capitalised[word]
            if (
                count < 2
                or cap_mid[word]
                or lower[word.lower()]
                or not_person[word]
                or after_the[word]
                or word in NOT_NAMES
                or len(word) < 3
                or word.isupper()
                or word.endswith("ly")
            ):
                continue
            openers_only.add(word)

        # "Captain John Good", then "said Good": an ordinary word that ends a full name
        # and stands capitalised mid-sentence again is that person's surname.
        surnames: set[str] = set()
        for m in _CAP_RUN.finditer(text):
            words = [_clean(w) for w in m.group("name").split()]
            for k in range(1, len(words)):
                word, first = words[k], words[k - 1]
                if (
                    word in _WORD_SURNAMES
                    and cap_mid[word] >= 2
                    and first not in NOT_NAMES
                    and not lower[first.lower()]
                ):
                    surnames.add(word)

        def is_name_word(word: str) -> bool:
            if word in surnames:
                return True
            if word in NOT_NAMES or len(word) < 2 or not word[0].isupper():
                return False
            if word.endswith("ly") and (lower[word.lower()] or cap_mid[word] < 2):
                return False  # "Suddenly", "Slowly"; but Polly, Emily and Sally are names
            if word.isupper() and len(word) > 1:
                return False  # an acronym ("ANBU") or a shouted word, not someone's name
            if after_the[word] >= 2 and after_the[word] * THE_SHARE >= capitalised[word]:
                return False
            if word in first_names or word in openers_only:
                return True
            mid = cap_mid[word]
            return mid >= 1 and lower[word.lower()] <= mid // 3 and not_person[word] * 2 <= mid

        def first_name(word: str, following: str) -> bool:
            """ "Winifred Penrose" opening a sentence: a word never written in lower case
            before a name word is a first name, though never seen mid-sentence."""
            return (
                is_name_word(following)
                and word not in NOT_NAMES
                and len(word) > 1
                and not word.isupper()
                and not word.endswith("ly")
                and lower[word.lower()] == 0
                and not_person[word] == 0
            )

        openers: Counter[str] = Counter()
        for m in _CAP_RUN.finditer(text):
            words = [_clean(w) for w in m.group("name").split()]
            if len(words) >= 2 and not is_name_word(words[0]) and first_name(*words[:2]):
                openers[words[0]] += 1
        for word in openers:
            # A first name is used on its own too ("Winifred did not listen"), and does
            # not open quotes: "Everywhere Naruto went", "Goodnight Sakura", "Tell Jory".
            uses = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
            alone = re.compile(rf"{re.escape(word)}(?!['’]?s?\s+[A-Z])")
            if (
                len(uses) >= 2
                and any(alone.match(text, u) for u in uses)
                and not any(text[max(0, u - 1) : u] in {'"', "“", "‘", "'"} for u in uses)
            ):
                first_names.add(word)

        pair_cache: dict[tuple[str, str], bool] = {}

        def bound_to_name(word: str, name: str) -> bool:
            """A capitalised common word seen mid-sentence that, each of at least two
            times, stands right before the same name: a nickname's first word."""
            if word in NOT_NAMES or word.isupper() or len(word) < 2 or cap_mid[word] < 1:
                return False
            if (word, name) not in pair_cache:
                next_words = [
                    text[m.end() : m.end() + len(name) + 8]
                    for m in re.finditer(rf"\b{re.escape(word)}\b", text)
                ]
                together = sum(
                    bool(re.match(rf"\s+{re.escape(name)}\b", after)) for after in next_words
                )
                # "Happy Jack" beside "the Happy Family": never a word on its own
                alone = sum(not re.match(r"\s+[A-Z]", after) for after in next_words)
                pair_cache[(word, name)] = together >= 2 and alone == 0
            return pair_cache[(word, name)]

        mentions: list[tuple[int, int, str]] = []
        forms: Counter[str] = Counter()
        for m in _CAP_RUN.finditer(text):
            title = m.group("title")
            spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group("name"))]
            words = [_clean(m.group("name")[a:b]) for a, b in spans]
            # Drop capitalised non-names from either end ("Then Kakashi", "Kakashi Monday").
            start_word = 0
            while start_word < len(words) and not is_name_word(words[start_word]):
                if (
                    start_word + 1 < len(words)
                    and is_name_word(words[start_word + 1])
                    and bound_to_name(words[start_word], words[start_word + 1])
                ):
                    break  # "Big Medicine", "Happy Jack": the word is part of the name
                start_word += 1
                title = None
            title_word = 0
            if start_word > 0 and words[start_word - 1] in TITLES and start_word < len(words):
                # "Tonight Sergeant Brisk": the run began before the title
                title, title_word = words[start_word - 1], 1
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
            # The mention starts at its first kept word: in "Like Sasuke, she" the name
            # is not the subject, and what comes before it must say so.
            begin = (
                m.start()
                if title and not title_word
                else m.start("name") + spans[start_word - title_word][0]
            )
            mentions.append((begin, m.start("name") + spans[start_word + end_word - 1][1], form))
            forms[form] += 1
        self._merge(forms)
        self._join_nicknames()
        self.mentions = [
            (s, e, self.by_key[_key(f)]) for s, e, f in mentions if _key(f) in self.by_key
        ]
        self.starts = [s for s, _, _ in self.mentions]
        for s, _e, named in reversed(self.mentions):
            named.first = s
        for _s, _e, form in mentions:
            entity = self.by_key.get(_key(form))
            if entity is not None:
                entity.forms[form] += 1
        self._genders()
        for entity in self.entities:
            entity.name_gender = _name_gender(entity)
        self._plural_names()
        self._join_titled_surnames()

    def _join_nicknames(self) -> None:
        """ "Lizzy" is Elizabeth when the text names one Elizabeth: a pet name said in
        the dialogue is the same girl the narration calls by her given name."""
        for entity in list(self.entities):
            given = given_names.NICKNAMES.get(entity.name)
            if (
                given is None
                and entity.name in given_names.SHARED_NICKNAMES
                and not self._acts_alone(entity.name)
            ):
                # "She is in the window-seat, to be sure, Jack." … "dragged forth by the
                # said Jack": a pet form that is also a name of its own ("Jack") is
                # John only when it is never someone acting in the narration
                given = given_names.SHARED_NICKNAMES.get(entity.name)
            if entity.known or given is None:
                continue
            fulls = {self.by_key[_key(full)] for full in given if _key(full) in self.by_key}
            if len(fulls) != 1:
                continue
            holder = fulls.pop()
            words = holder.name.split()
            if words[0] in TITLES and len(words) > 1:
                if words[0] in ("Lady", "Sir", "Lord"):
                    continue  # "Lady Catherine" is not Kitty
                words = words[1:]
            if holder is entity or words[0] not in given:
                continue
            if entity.fixed_gender and holder.fixed_gender not in (None, entity.fixed_gender):
                continue
            for key, named in list(self.by_key.items()):
                if named is entity:
                    self.by_key[key] = holder
            self.entities.remove(entity)

    def _acts_alone(self, name: str) -> bool:
        """Whether the narration has the name do something: "Jack laughed"."""
        return (
            re.search(rf"\b{re.escape(name)}\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b", self.text)
            is not None
        )

    def _join_titled_surnames(self) -> None:
        """ "Corwin Aske" is "Mr. Aske" when he is the only one of that surname and a man.

        At merge time a titled surname beside a first-name holder is taken for another
        member of the family ("Mr. Vell" and Ada Vell), since nobody's sex is known
        yet. Once the pronouns have voted, a man's title joins the one man of that
        surname. "Mrs." stays apart: Mrs. Lennox is as often Mary Lennox's mother.
        """
        for titled in list(self.entities):
            words = titled.name.split()
            if len(words) != 2 or titled.known or titled.narrator:
                continue
            title = words[0]
            if title.rstrip(".") not in JOINING_TITLES:
                continue
            surname = _key(words[1])
            if any(
                e is not titled
                and any(
                    len(f.split()) > 2 and f.split()[0] == title and _key(f.split()[-1]) == surname
                    for f in e.forms
                )
                for e in self.entities
            ):
                # "Mr. Peter Pett" is in the book: "Mr. Pett" is he or his brother, not
                # the "Nesta Ford Pett" whose name shares the surname
                continue
            sex = _title_gender(title)
            other_sex = _OPPOSITE[sex] if sex in ("male", "female") else None
            holders = [
                e
                for e in self.entities
                if e is not titled
                and not e.epithet
                # Georgiana Reed is not "Master Reed": only John Reed can be
                and other_sex not in (e.gender, e.name_gender)
                and any(
                    len(f.split()) > 1
                    and f.split()[0] not in TITLES
                    and _key(f.split()[-1]) == surname
                    for f in e.forms
                )
            ]
            if len(holders) != 1:
                continue
            full = holders[0]
            if full.known or full.gender != sex or full.name_gender not in (None, sex):
                continue  # Charlotte Temple is not Mr. Temple, whatever "his" came near her
            for key, entity in list(self.by_key.items()):
                if entity is titled:
                    self.by_key[key] = full
            self.mentions = [(s, e, full if x is titled else x) for s, e, x in self.mentions]
            full.forms.update(titled.forms)
            for g, votes in titled.gender_votes.items():
                full.gender_votes[g] += votes
            full.pronouns += titled.pronouns
            full.speech += titled.speech
            full.bodily += titled.bodily
            seen = [f for f in (full.first, titled.first) if f >= 0]
            full.first = min(seen) if seen else -1
            self.entities.remove(titled)

    def _merge(self, forms: Counter[str]) -> None:
        def split(form: str) -> tuple[str | None, list[str]]:
            words = form.split()
            if words[0].rstrip(".") in {t.rstrip(".") for t in TITLES} and len(words) > 1:
                return words[0], words[1:]
            return None, words

        order = sorted(forms, key=lambda f: (-len(split(f)[1]), -forms[f]))
        titled: dict[_Entity, set[str]] = {}  # the titles each person is called by
        short_forms = {_key(f) for f in forms if len(f.split()) == 2}
        for form in order:
            key = _key(form)
            if key in self.by_key:
                continue
            title, words = split(form)
            target: _Entity | None = None
            full: _Entity | None = None
            family = False
            if title is None and len(words) == 1:
                # A single word: part of a fuller name already seen, most frequent first.
                word_key = _key(words[0])
                target = self.by_key.get(word_key)
            elif title is not None:
                # "Mr. Darcy" -> "Fitzwilliam Darcy"; "Miss Elizabeth" -> "Elizabeth Bennet";
                # but never "Mrs. Bennet" -> "Mr. Bennet": a title of the other sex is
                # another person of the family.
                full = self.by_key.get(_key(" ".join(words)))
                # A gendered title before a surname shared with a first-name holder
                # ("Mr. Vell" / "Ada Vell") is another member of the family. Before a
                # whole name it is that person ("Mr. Amos Quill" is Amos Quill), unless
                # a married woman is called by her husband's: "Mrs. Amos Quill".
                family = (
                    full is not None
                    and not full.known
                    and full.fixed_gender is None
                    and _title_gender(title) is not None
                    and (
                        _husbands_name(title, words)
                        if len(words) > 1
                        else any(
                            len(f.split()) > 1 and _key(f.split()[-1]) == _key(words[-1])
                            for f in forms
                            if f.split()[0] not in TITLES
                        )
                    )
                )
                if (
                    full is not None
                    and not family
                    and (
                        full.known
                        or full.fixed_gender is None
                        or _title_gender(title) in (None, full.fixed_gender)
                    )
                    and (full.known or not _titles_clash(title, titled.get(full, set())))
                ):
                    target = full
            if target is None:
                target = _Entity(name=form)
                self.entities.append(target)
                if (
                    family
                    and full is not None
                    and _title_gender(title or "") == "male"
                    and full.name.split()[0] in given_names.FEMALE
                    and self.by_key.get(_key(words[-1])) is full
                ):
                    # "Mr. Temple" beside his daughter "Charlotte Temple": the bare
                    # surname ("Temple was the youngest son …") is the man's
                    self.by_key[_key(words[-1])] = target
            if title is not None:
                titled.setdefault(target, set()).add(title)
                target.titled = True
            if title is not None and target.fixed_gender is None and not target.known:
                target.fixed_gender = _title_gender(title)
            self.by_key[key] = target
            if title is None and len(words) > 1:
                for word in words:
                    self.by_key.setdefault(_key(word), target)
            elif title is not None and len(words) == 1:
                self.by_key.setdefault(_key(words[0]), target)
            elif title is not None:
                # "Dr. Howard Archie" is later "Dr. Archie", "Sir Henry Curtis" is "Sir
                # Henry". But "Mr. Knightley" is not "Mr. John Knightley" (his brother),
                # nor "Miss Pinkerton" her sister "Miss Jemima Pinkerton".
                self.by_key.setdefault(_key(" ".join(words)), target)
                short = _key(f"{title} {words[0]}")
                if (
                    short in short_forms
                    and not _husbands_name(title, words)
                    and (words[0] in given_names.MALE or words[0] in given_names.FEMALE)
                ):
                    # "Mrs. Rachel" is "Mrs. Rachel Lynde", "Miss Jemima" is "Miss Jemima
                    # Pinkerton": the same title before the same given name; and "Jemima",
                    # as she would be had "Miss Jemima" been the fullest form
                    self.by_key.setdefault(short, target)
                    self.by_key.setdefault(_key(words[0]), target)
                bare = title.rstrip(".").lower()
                if _TITLE_ALIASES.get(bare, bare) in RANK_TITLES:
                    self.by_key.setdefault(_key(words[-1]), target)
                elif bare in ("sir", "lady", "lord"):
                    self.by_key.setdefault(_key(words[0]), target)

    def _genders(self) -> None:
        """Vote a gender for each entity from the pronoun that follows its mentions."""
        text = self.text
        pronoun = re.compile(GENDER_PRONOUNS, re.IGNORECASE)
        following: list[tuple[_Entity, Gender, float, int, int]] = []
        for k, (s, e, entity) in enumerate(self.mentions):
            # Only a name in subject position ("Kakashi nodded.", "and Sakura
            # laughed") is what the next "he"/"she" refers back to; places and
            # objects of prepositions would pick up stray pronouns.
            head = _head(text, s)
            if _FOLLOWED_BY_VERB.match(text, e) or _INVERTED_TAG.search(text, max(0, s - 24), s):
                entity.speech += 1
            if _APPOSITIVE_PERSON.match(text, e):
                entity.described += 1
            body = _BODY_OF.match(text, e)
            if body is not None and (body.group(1) or text[e - 2 : e] in ("'s", "’s")):
                entity.bodily += 1  # "Yamato's hands": a person, not a place
            kin = _KIN_BEFORE.search(text, max(0, s - 24), s)
            if kin is not None:
                # "her brother Piet", "my aunt Polly": the relation says the sex outright
                entity.gender_votes[EPITHET_GENDER[kin.group(1).lower()]] += OWN_VOTES
                entity.pronouns += OWN_VOTES
            appositive = _APPOSITIVE.match(text, e) or _COPULA_KIND.match(text, e)
            if appositive is not None and appositive.group(1).lower() in EPITHET_GENDER:
                # "William, a boy of seven,": the description says the sex outright
                entity.gender_votes[EPITHET_GENDER[appositive.group(1).lower()]] += OWN_VOTES
                entity.pronouns += OWN_VOTES
                continue
            if (
                head
                and head[-1] not in '.!?"“”‘’\n—;:'
                and not _SUBJECT_LEAD.search(head)
                and not _IT_IS.search(head)
                and not _AUXILIARY_AFTER.match(text, e)  # "On Saturday Emrys was waiting"
            ):
                only = _ONLY_ONE_THERE.match(text, e)
                if only is not None and _PLURAL_SUBJECT.search(text, max(0, s - 80), s):
                    # "They all looked at Corwin. He looked back": the one person the
                    # sentence names is who the next one's "He" is
                    entity.gender_votes[PRONOUN_GENDER[only.group(1).lower()]] += (
                        CROSS_SENTENCE_VOTE
                    )
                    entity.pronouns += 1
                continue
            if _JOINED_SUBJECT.search(text, max(0, s - 40), s):
                continue  # "Naruto and Sasuke relax. She…": the pronoun is neither of them
            limit = self.mentions[k + 1][0] if k + 1 < len(self.mentions) else e + 120
            window_end = min(limit, e + 120)
            own = _OWN_PRONOUN.match(text, e, window_end)
            if own is not None:
                # "Sasuke ran his hand", "Ino found herself": the pronoun is the name's own
                entity.gender_votes[
                    PRONOUN_GENDER[
                        (own.group("own") or own.group("own2") or own.group("self")).lower()
                    ]
                ] += OWN_VOTES
                entity.pronouns += OWN_VOTES
                continue
            m = pronoun.search(text, e, window_end)
            if (
                m is not None
                and m.group(1).lower() in ("him", "her")
                and _OBJECT_OF_VERB.fullmatch(text, e, m.start())
            ):
                continue  # "Sasuke kissed her": the object of the name's verb is someone else
            if m is not None:
                between = text[e : m.start()]
                if '"' in between or "“" in between or "”" in between or "\n\n" in between:
                    continue  # across a quote or a paragraph break: someone else's pronoun
                if _PUZZLED_BY.search(text, e, m.end()):
                    continue  # "Philip did not know what she meant": the she is the speaker
                if re.fullmatch(r"\s*,\s*", between):
                    continue  # "As for Sasuke, she seemed content": the name was fronted
                word = m.group(1).lower()
                if word in ("him", "her") and not re.search(r"[.!?;:,—–]", between):
                    after = text[m.end() : m.end() + 12]
                    if word == "him" or re.match(
                        r"\s*(?:[.,;:!?—–]|(?:to|at|with|for|and|as|in|on|from|into|by)\b)", after
                    ):
                        # "Sasuke turned and looked at her.": in the name's own clause,
                        # him/her (not his, not herself) is somebody else.
                        continue
                weight = CROSS_SENTENCE_VOTE if re.search(r"[.!?]", between) else 1.0
                if weight == 1.0 and _both_sexes_after(text, m, window_end):
                    # "Pim dozed against his coat, too sleepy to keep her eyes open": a
                    # "his" and a "her", and nothing says which is Pim's (measured on
                    # LitBank and the seeds: 22% and 45% of such votes go against the
                    # sex the rest settle on, against 4% and 25% of the others). Pim is
                    # one of the two, so still someone a pronoun follows.
                    entity.pronouns += 1
                    continue
                entity.gender_votes[PRONOUN_GENDER[m.group(1).lower()]] += weight
                entity.pronouns += 1
                following.append((entity, PRONOUN_GENDER[m.group(1).lower()], weight, s, m.start()))
        self._discount_contested(following)

    def _plural_names(self) -> None:
        """A name that takes plural agreement as a subject ("The Pollards were out", "the
        Mill Boys kept themselves apart") names a family or a band, never one "he" or
        "she": a pronoun tag after it looks past it for the one person meant. Only a
        name nothing else makes one person: no title, no given name, no "he" or "she"
        after it, and no more "was" after it than "were"."""
        text = self.text
        plural: Counter[_Entity] = Counter()
        singular: Counter[_Entity] = Counter()
        for s, e, entity in self.mentions:
            if _PLURAL_HEAD.search(text, max(0, s - 24), s) is None:
                continue
            if _PLURAL_AGREEMENT.match(text, e):
                plural[entity] += 1
            elif _SINGULAR_AGREEMENT.match(text, e):
                singular[entity] += 1
        for entity, count in plural.items():
            if (
                count > singular[entity]
                and entity.person  # (one that is nobody at all stays so)
                and not entity.known
                and not entity.titled
                and entity.fixed_gender is None
                and entity.name_gender is None
                and entity.pronouns == 0
            ):
                entity.group = True

    def _discount_contested(self, following: list[tuple[_Entity, Gender, float, int, int]]) -> None:
        """ "Sakura stared. … Sasuke never felt compelled to and knew that, because of
        their proximity to her, …": a pronoun after a name is weaker evidence of its sex
        when the paragraph has already named someone else of the pronoun's sex, who may
        be the one it means. (Measured on LitBank and the seeds: 42% of such votes go
        against the sex the rest settle on, against 18% of the others.)"""
        settled = {
            entity: sex
            for entity in self.entities
            if (sex := _vote_sex(entity.gender_votes["male"], entity.gender_votes["female"]))
        }
        for entity, sex, weight, start, at in following:
            paragraph = self.text.rfind("\n\n", 0, start) + 1
            if any(
                other is not entity and settled.get(other) == sex
                for _, _, other in self.in_range(paragraph, at)
            ):
                entity.gender_votes[sex] -= weight * (1 - CONTESTED_VOTE)

    def lookup(self, form: str) -> _Entity | None:
        form = _clean(form)
        entity = self.by_key.get(_key(form))
        if entity is None:
            words = form.split()
            if len(words) > 1 and words[0].rstrip(".") in {t.rstrip(".") for t in TITLES}:
                entity = self.by_key.get(_key(" ".join(words[1:])))
        return entity

    def described(self, head: str) -> _Entity | None:
        """The one named person the text sets a description beside: "the artist himself,
        Basil Hallward" or "Basil Hallward, the painter," makes "the artist" Basil."""
        if self._described is None:
            found: dict[str, set[_Entity]] = {}
            for m in _APPOSITION.finditer(self.text):
                entity = self.lookup(m.group("name") or m.group("name2"))
                word = (m.group("head") or m.group("head2")).lower()
                if entity is not None:  # the description itself says it is someone
                    found.setdefault(word, set()).add(entity)
            self._described = {w: next(iter(e)) for w, e in found.items() if len(e) == 1}
        return self._described.get(head)

    def followed_by_name(self, phrase: str) -> _Entity | None:
        """The one person the text names right after a description: "my brother
        Robert", "her cousin Tom"."""
        # the words in any case, the name capitalised
        pattern = rf"(?i:{_description_pattern(phrase).pattern})\s+(?P<name>[A-Z][\w'’-]+)"
        found = {self.lookup(m.group("name")) for m in re.finditer(pattern, self.text)}
        people = [e for e in found if e is not None and e.person]
        return people[0] if len(people) == 1 else None

    def role_holder(self, role: str) -> _Entity | None:
        """The one person the text gives this role as a title or honorific ("Captain
        Yamato", "Kakashi-sensei"), so that "her former sensei" can only be him."""
        if role not in self._holders:
            pattern = re.compile(
                rf"\b(?P<before>[A-Z][\w'’]+)-{role}\b|\b{role.capitalize()}\s+(?P<after>[A-Z][\w'’]+)"
            )
            holders = {
                self.lookup(m.group("before") or m.group("after"))
                for m in pattern.finditer(self.text)
            }
            people = [e for e in holders if e is not None and e.person]
            self._holders[role] = people[0] if len(people) == 1 else None
        return self._holders[role]

    def in_range(self, start: int, end: int) -> list[tuple[int, int, _Entity]]:
        return self.mentions[bisect_left(self.starts, start) : bisect_right(self.starts, end - 1)]


@dataclass
class _Decision:
    speaker: _Entity | None
    rule: str | None  # its confidence is worked out once all are decided: _line_confidence
    evidence: Span | None = None  # the words that decided it, see Line.evidence


def _first_person(work: Work, lines: Sequence[Line]) -> bool:
    """A first-person narrator: "I" is common in the narration outside quotes."""
    i_count = words = 0
    for line in lines:
        if line.kind == "narration":
            i_count += len(re.findall(r"\b(?:I|me|my|myself)\b", line.text))
            words += line.text.count(" ") + 1
    return words > 0 and i_count / words > 0.012


# --- speech tags ---------------------------------------------------------------------------
# A tag's subject is one of three kinds: a pronoun ("she said"), a proper name
# ("said Mr. Bennet") or a descriptive noun phrase ("said the man with the basket",
# "the old horse replied"). Only the words up to the head noun are the speaker's
# name: prepositional phrases and relative clauses after it are dropped.
_TITLE_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|St|Prof|Capt|Col|Rev|Mme|Mlle)\.?|Miss|Sir|Lady|Lord|Madam|Madame|"
    r"Mister|Doctor|Professor|Captain|Colonel|Major|General|Aunt|Uncle|King|Queen|Prince|"
    r"Princess|Father|Brother|Sister|Master|Mistress|Judge|Reverend|Monsieur|Parson|Old|Little|Young|"
    r"old|little|young|poor|big)"
)
# "said old Cotter", "cried poor Mrs. Gale": a fond or familiar word, not part of the name
_NAME_ADJECTIVES = _words("old little young poor big")
_NAME_RE = rf"(?:{_TITLE_WORD}\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}}"
_APPOSITION = re.compile(
    r"\b[Tt]he\s+(?:[a-z]+\s+){0,2}?(?P<head>[a-z]{3,})(?:\s+(?:himself|herself))?,\s+"
    rf"(?P<name>{_NAME_RE})(?=[,.;])"
    rf"|(?P<name2>{_NAME_RE}),\s+the\s+(?:[a-z]+\s+){{0,2}}?(?P<head2>[a-z]{{3,}})(?=[,.;])"
)
_DETERMINER = (
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Mm]y|[Oo]ur|[Tt]heir|[Yy]our|[Aa]nother|[Tt]his|[Tt]hat|"
    r"[Oo]ne\s+of\s+(?:the\s+\w+|them|us|those|these)|[Oo]ne|[Ss]omebody|[Ss]omeone|[Ee]veryone|"
    r"[Ee]verybody|[Nn]obody)"
)
# Words that end a descriptive subject: prepositions, conjunctions, relatives, pronouns.
_NP_STOP = _words(
    """at in on with without who whom whose which that and or but of from to for by as into
    near beside behind upon under over after before again then now too also there here
    he she it they we i you him her them us me his its their our my your was were is are had
    has have did does do would could should will shall might must may can not no so just
    still only even very quite rather once when while where how what why if than a an the
    half through across along down up out outside inside toward towards round around
    beyond past""".replace("\n", " ")
)
_PRONOUN_SUBJECTS = _words("he she i they we He She I They We")
_NP_WORD = (
    r"(?!(?:" + "|".join(sorted(_NP_STOP)) + r"|" + "|".join(sorted(SPEECH_VERBS)) + r")\b)[\w'’-]+"
)
_PRONOUN_SUBJECT = r"(?P<pron>\b(?:he|she|I|they|we|He|She|They|We)\b)"
_NP_SUBJECT = rf"\b{_DETERMINER}\b(?:\s+{_NP_WORD}){{0,4}}?"
_SUBJECT_RE = rf"{_PRONOUN_SUBJECT}|(?P<np>{_NP_SUBJECT})|(?P<name>{_NAME_RE})"
_LEAD = r"^[\s,;:!?.…—–-]*"
# "… ," said she / said the old man / said Mr. Bennet quietly
# and with a particle or an aside: "spoke up another voice", "interposed, more softly, a
# young wife"
_VERB_FIRST = re.compile(
    _LEAD
    + rf"(?:{_VERB})\b"
    + r"(?:\s+(?:up|out)(?=\s+(?:[A-Z]|the\s|another\s)))?"
    + r"(?:,\s*(?:(?:more|less|very|quite|rather|too)\s+)?[a-z]+ly,)?"
    + r"\s+(?:[a-z]+ly\s+)?(?P<rest>\S.*)",
    re.DOTALL,
)
_ANY_VERB_FIRST = re.compile(
    r"^\s+(?:[a-z]+ly\s+)?[a-z]+ed\s+(?P<rest>(?:the\s+|[A-Z]).*)", re.DOTALL
)
# "The masked guard behind Kakashi asked": where a described speaker stands, between
# the description and the verb
_STANDING = (
    r"(?P<standing>\s+(?:behind|beside|near|by|at|next\s+to)\s+"
    r"(?:him|her|them|me|us|[A-Z][\w'’-]*|(?:the|his|her|their)\s+[a-z]+))"
)
# "… ," Marla asked / the old man grumbled / she, gently, said
_SUBJECT_FIRST = re.compile(
    _LEAD
    + r"(?:(?:and|then)\s+)?(?:"
    + rf"{_PRONOUN_SUBJECT}|(?P<np>{_NP_SUBJECT}{_STANDING}?)|(?P<name>{_NAME_RE})"
    # "his mother had replied", "she had finally replied": a tag told in the past perfect
    # (but "I had thought his words idle" is what I believed, not what I thought aloud)
    + r")(?:\s*,\s*[a-z]+ly\s*,)?\s+(?:had\s+(?!thought\b))?"
    + _TAG_ADVERB
    + r"(?:"
    + _VERB
    + "|"
    + _HABITUAL_VERB
    + r")\b(?!\s+of\b)"  # "the delighted screams of two toddlers": a noun, not a tag
)
# A phrase set off by commas after a subject, opening with a word that makes it an
# adverbial or a relative clause (", after a pause,", ", with a sigh,", ", turning to
# me,", ", who had been listening,"); a finite verb must follow, since in "handed the cup
# to her mother, with a smile, saying," the mother is an object and the one saying is she
_ASIDE = (
    r"(?:,\s+(?:after|before|when|while|as|though|with|without|in|on|at|for|having|who"
    r"|[a-z]+ing|[a-z]+ly)\b[^,.!?;:\"“”]{0,60},(?!\s+(?:[a-z]+ly\s+)?[a-z]+ing\b))?"
)
# Narration that introduces a quote: Mrs. Bennet said to her husband, "…" / He answered:
_TAG_BEFORE_RE = re.compile(
    r"(?:^|(?<=[\s,;(]))(?:(?:and|then)\s+)?(?:"
    + _SUBJECT_RE
    + r")"
    # "and the old man, after a long pause, said to her,": a phrase set off by commas
    # between the subject and its verb says when or how, and the subject still speaks
    + _ASIDE
    # "she bowed and said,": the subject of a first verb carries over "and" to "said"
    + r"\s+(?:(?:[\w'’]+,?\s+){1,6}?and\s+)?(?:[a-z]+ly\s+)?(?:"
    + _VERB
    # "she turned to go" is no tag, but "I said to him," is
    + r")\b(?!\s+to\b(?!\s+(?:him|her|them|me|us|the|[A-Z])))[^.!?\"“”]{0,60}?[,:—–-]?\s*$"
)
# A narration sentence that opens with a person doing something: an action beat.
_BEAT_RE = re.compile(
    r"(?:(?:Then|And|But|So|Finally|Suddenly|Slowly|Instead|Still|Now|At last|Again)\s*,?\s+"
    # "Loosening his hold on the couch, he gently pulled …": a clause before the subject
    r"|[A-Z][a-z]+ing\b[^,.;:!?\"“”]{0,60},\s+(?=(?:he|she|I|[A-Z][\w'’-]*)\s)"
    # "This time, when she managed to look at him, her smile did not waver.": the main
    # clause after a clause of time
    r"|(?:When|As|While|After|Once|This\s+time,?\s+(?:when|as|while|after|once))\b"
    r"[^,.;:!?\"“”]{0,60},\s+"
    r"(?=(?:he|she|I|his|her|my)\s))?"
    r"(?:(?P<pron>He|She|I|(?<=,\s)he|(?<=,\s)she)\b"
    r"|(?P<poss>His|Her|My|(?<=,\s)his|(?<=,\s)her|(?<=,\s)my)\s+(?P<kin>[a-z]+)|(?P<name>"
    + _NAME_RE
    + r"))(?:['’]s\s+[a-z]+)?\s+(?:[a-z]+ly\s+)?(?:[a-z]+)"
)
_I_SEE = re.compile(
    r"I\s+(?:can\s+|could\s+|still\s+)?(?:see|saw|watched|noticed|observed|remember)\s+"
    r"(?P<name>" + _NAME_RE + r")\b(?!['’])"
)
_SELF_INTRO = re.compile(
    r"\b(?:I\s+am|I['’]m|I\s+be|[Mm]y\s+name(?:\s|[.…,—–-])*\s[Ii]s|[Cc]all\s+me)\s+(?:plain\s+|only\s+|just\s+)?"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|Miss\s+|Parson\s+|Captain\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)

# "Mr. Lockwood, your new tenant, sir.": a name given with what the speaker is to the
# listener introduces the speaker; it does not address the listener
_NAME_AND_ROLE = re.compile(
    r"[\s\"“”‘'—–-]*(?P<name>" + _NAME_RE + r"),\s+your\s+(?:[a-z]+\s+){0,2}"
    r"(?:tenant|servant|neighbou?r|lodger|guest|visitor|cousin|nephew|niece|pupil|landlord)"
    r"(?=\s*[,.;!—–-])"
)


@dataclass(frozen=True)
class _Subject:
    kind: Literal["pron", "np", "name"]
    text: str
    # Where the subject's words lie in the string the parser read ("Kakashi" of ', said
    # Kakashi.', "his" of 'his voice rang out'), so the line can show the words that
    # decided it; callers shift it into the work's text. None when not known.
    span: tuple[int, int] | None = field(default=None, compare=False)

    def shifted(self, by: int) -> _Subject:
        if self.span is None or by == 0:
            return self
        return replace(self, span=(self.span[0] + by, self.span[1] + by))


# words of a phrase rebuilt from the source ("the man" of "the\nman with the basket",
# "more--I"): whitespace or a dash between them
_WORD_GAP = r"(?:\s|--|—)+"


def _phrase_span(source: str, start: int, phrase: str) -> tuple[int, int] | None:
    """Where a phrase rebuilt from the source's own words, in order, lies when it starts
    at ``start``: "the man" in "the  man with the basket"."""
    words = [re.escape(w) for w in re.split(_WORD_GAP, phrase) if w]
    if start < 0 or not words:
        return None
    m = re.compile(_WORD_GAP.join(words)).match(source, start)
    return m.span() if m is not None else None


def _group_span(m: re.Match[str], group: str | int, by: int = 0) -> tuple[int, int]:
    return m.start(group) + by, m.end(group) + by


def _np_name(text: str) -> str | None:
    """The descriptive subject up to its head noun: "the man with the basket" -> "the man"."""
    words = text.split()
    out: list[str] = []
    det = re.match(_DETERMINER + r"\b", text)
    if det is None:
        return None
    out = det.group(0).split()
    following = text[det.end() :].split()[:5]
    listed = 0  # where a list of adjectives began: "a thin, elderly gentleman"
    for k, word in enumerate(following[:4]):
        bare = word.rstrip(',.;:!?—–-"”’)')
        if not bare or bare.lower() in _NP_STOP or bare in SPEECH_VERBS:
            break
        out.append(bare)
        if (
            word == bare + ","
            and bare.lower() not in PERSON_NOUNS
            and k + 1 < len(following)
            and re.fullmatch(r"[a-z][\w'’-]*,?", following[k + 1])
        ):
            out[-1] = word
            listed = listed or len(out) - 1
            continue
        if bare != word:  # punctuation after it ends the phrase
            break
    if listed and not _PERSON_HEAD.search(out[-1]):
        # "said the younger, turning away": no word for a person after the comma, so the
        # words before it were no list of adjectives
        out = [*out[:listed], out[listed].rstrip(",")]
    while len(out) > 1 and out[-1].endswith("ly") and out[-1].lower() not in _LY_NOUNS:
        out.pop()  # "the man quietly" -> "the man"
    # a single word only if it stands for a person by itself: "said another", and "said
    # one, a stout woman" of a crowd of fishwives (one voice out of the group)
    if len(out) < 2 and not re.match(
        r"(?i)(?:somebody|someone|everyone|everybody|nobody|another|one)$", out[0]
    ):
        return None
    del words
    return " ".join(out)


_PERSON_HEAD = re.compile(
    r"(?:man|men|woman|women|gentleman|lady|ladies|girl|boy|child|fellow|person|youth|lad|lass"
    r"|maid|stranger|figure|creature|soldier|officer|servant|dame|matron)s?$",
    re.IGNORECASE,
)
_LY_NOUNS = _words("bully family ally lily holly sully belly jelly folly")


# "his voice is thick", "her lips curved": the owner speaks, as with "he said".
_BODY_OF = re.compile(
    r"(['’]s)?\s+(?:[a-z]+\s+)?(?:hands?|eyes|face|arms?|shoulders?|fingers|lips|mouth|brows?|"
    r"forehead|cheeks?|chin|hair|knees|legs)\b"
)
_OWN_PARTS = _words(
    "voice throat lips mouth tone words reply answer response breath smile expression face eyes "
    "advice question retort greeting"
)


def _np_subject(name: str | None, source: str = "", start: int = -1) -> _Subject | None:
    """A description as a subject; ``source[start:]`` opens with its words, when known."""
    if not name:
        return None
    words = name.split()
    if len(words) == 2 and words[0].lower() in {"his", "her"} and words[1].lower() in _OWN_PARTS:
        # "his voice": the "his" is who speaks
        span = (start, start + len(words[0])) if start >= 0 else None
        return _Subject("pron", "he" if words[0].lower() == "his" else "she", span)
    if len(words) > 2 and words[-1].lower() in _OWN_PARTS and _POSSESSIVE.search(words[-2]):
        # "his mother's voice interrupted": his mother speaks
        owner = " ".join([*words[:-2], _POSSESSIVE.sub("", words[-2])])
        return _Subject("np", owner, _phrase_span(source, start, owner))
    return _Subject("np", name, _phrase_span(source, start, name))


def _subject(m: re.Match[str]) -> _Subject | None:
    """The subject a tag pattern matched; its span indexes the string it matched in."""
    if m.group("pron"):
        return _Subject("pron", m.group("pron"), m.span("pron"))
    if m.group("np"):
        return _np_subject(_np_name(m.group("np")), m.string, m.start("np"))
    name = m.group("name")
    if name and name.split()[0] in _NAME_ADJECTIVES and len(name.split()) > 1:
        name = name.split(None, 1)[1]  # "old Cotter": the name is the end of it
    if (name and name.split()[0] not in (NOT_NAMES - _WORD_SURNAMES) | _PRONOUN_SUBJECTS) or (
        name and len(name.split()) > 1 and re.match(_TITLE_WORD + r"\s", name)
    ):
        return _Subject("name", name, (m.end("name") - len(name), m.end("name")))
    return None


def _parse_subject(rest: str) -> _Subject | None:
    """The subject after an inverted speech verb: "said he", "said the parson", "cried Mrs. Long"."""
    m = re.match(_SUBJECT_RE, rest)
    if m is None:
        return None
    voice_of = re.match(rf"(?:the|a)\s+(?:[a-z]+\s+)?voice\s+of\s+(?P<name>{_NAME_RE})", rest)
    if voice_of is not None and voice_of.group("name").split()[0] not in NOT_NAMES:
        # "cried the voice of John Reed"
        return _Subject("name", voice_of.group("name"), voice_of.span("name"))
    if m.group("np"):
        partitive = _PARTITIVE_RE.match(rest, m.start())
        if partitive is not None and _SUPERLATIVE_OF.match(partitive.group(0)):
            # "queried the youngest of the gang": the group is part of who it is
            phrase = " ".join(partitive.group(0).split())
            return _Subject("np", phrase, _phrase_span(rest, m.start(), phrase))
        return _np_subject(_np_name(rest[m.start() :]), rest, m.start())
    return _subject(m)


# '"Not really," she heard Kakashi sigh.', '"Is it bad?" Mary heard her say.', '"This
# son of mine," he heard her tell a room of women': the one heard speaking is the speaker.
# "grumbled" -> "grumbling", "sobbed" -> "sobbing": what someone is heard doing
_SPEAKING_FORMS = sorted(
    {v[:-2] + "ing" for v in SPEECH_VERBS if v.endswith("ed")}
    | {"saying", "crying", "replying", "telling", "talking", "speaking"},
    key=len,
    reverse=True,
)
_HEARD = re.compile(
    rf"^[\s,]*(?:he|she|I|they|we|{_NAME_RE})\s+(?:could\s+)?(?:heard|hears|hear)\s+"
    rf"(?:(?P<pron>him|her)|(?P<voice>(?:a|an|one|another|the)\s+(?:[a-z]+\s+)?voice)"
    rf"|(?P<name>{_NAME_RE})"
    # '"They're chasing us out," I heard one small boy grumbling': the one heard speaks
    r"|(?P<np>(?:a|an|one|another|the|some)(?:\s+[a-z][\w-]*){1,3}?))\s+(?:[a-z]+ly\s+)?"
    rf"(?:{_VERB}|say|sigh|ask|reply|call|cry|mutter|murmur|whisper|tell|exclaim|shout|add|"
    + "|".join(_SPEAKING_FORMS)
    + r")\b"
)

# "He heard her speak.", "He heard Henrietta Watkin's voice." just before a quote
_HEARD_SPEAK = re.compile(
    r"\bheard\s+(?:(?P<pron>her|him)\s+(?:speak|say|talk|call|cry|answer|reply|whisper)"
    rf"|(?P<poss>her|his)\s+voice|(?P<name>{_NAME_RE})['’]s\s+voice"
    rf"|the\s+voice\s+of\s+(?P<name2>{_NAME_RE}))\b[^.!?]*[.!?:]?\s*$"
)


# "Lucy mumbled that the people opposite were odd.", "He asked her whether it was far.":
# a paragraph that ends by telling what someone said, in the narrator's words
_REPORTED_SPEECH = re.compile(
    rf"(?:(?P<pron>He|She|I)|(?P<name>{_NAME_RE}))\s+(?:[a-z]+ly\s+)?"
    r"(?:said|replied|answered|remarked|observed|explained|declared|mumbled|muttered"
    r"|murmured|whispered|suggested|protested|objected|admitted|insisted|announced"
    r"|confessed|complained|asked|inquired|enquired|told|assured|informed|promised|warned"
    r"|hinted|intimated)"
    rf"\s+(?:(?:to\s+)?(?:him|her|them|me|us|{_NAME_RE})\s+)?"
    r"(?:that|whether|if|how|what|why|where|who)\b[^.!?\"“”]*[.!?]\s*$"
)


# "Tom shrugged.", "Ann sat up and shook her head.": a paragraph that ends with an
# answer given without words; after a question put to them it is their turn
_GESTURE_ANSWER = re.compile(
    rf"(?:(?P<pron>He|She)|(?P<name>{_NAME_RE}))"
    r"(?:(?:(?!\b(?:he|she|they|who|as|while|when|that|but)\b)[^.!?\"“”,;])*?\s+and)?"
    r"\s+(?:[a-z]+ly\s+)?(?:shrugged|nodded|shook\s+(?:his|her)\s+head)"
    r"(?:\s+(?:[a-z]+ly|again|once|in\s+(?:reply|answer|response|agreement)))*\s*[.!]\s*$"
)


# "the words left Sakura before she could think", "the words tumbled from his lips":
# whose words the next quote is; and so is an oath or a cry that escapes someone ("a
# smothered curse, learnt in the stables, escaped his lips"), whatever the aside in it
_WORDS_LEFT = re.compile(
    r"\b(?:[Tt]he\s+words|(?:[Tt]he|[Aa]n?)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:oath|curse|exclamation|cry|question|retort))(?:,[^,.!?;\"“”]{1,80},)?"
    r"\s+(?:had\s+)?(?:left|escaped|slipped\s+(?:out\s+of|from)|tumbled"
    r"\s+(?:out\s+of|from)|fell\s+from|came\s+out\s+of|spilled\s+from|broke\s+from"
    r"|burst\s+from)\s+"
    rf"(?:(?P<pron>her|him|his)\b|(?P<name>{_NAME_RE}(?:['’]s)?))"
)
# Someone who hears a voice or words in the paragraph of the quote: a listener
_HEARER = re.compile(
    rf"\b(?P<name>{_NAME_RE})\s+(?:heard|overheard|caught)\s+(?:(?:[\w'’]+\s+){{0,3}}?voice|"
    r"(?:him|her|them)\s+(?:say|speak|call|cry|whisper|mutter|murmur)\b)"
    rf"|\bwords\s+(?:that\s+|which\s+)?(?P<name2>{_NAME_RE})\s+(?:heard|overheard|caught)\b"
)


# '"And I too, uncle." ¶ There was a sharp edge in the voice of Roland Pike as he came in',
# '"You look half drowned." ¶ The colour left his face when he saw the stranger by the
# gate.': the narration just after a quote that stands alone names whose voice it was, or
# shows its hearer catching sight of the one who spoke. Not the one answering ("Tom's
# voice answered from the loft" is the next speaker), and not anyone found by one who
# calls out ('"I'm home!" ¶ She found her mother in the kitchen.').
_VOICE_REVEALED = re.compile(
    rf"\b(?:the\s+voice\s+of\s+(?P<name>{_NAME_RE})|(?P<name2>{_NAME_RE})['’]s\s+voice"
    r"|(?P<np>(?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*)['’]s\s+voice"
    rf"|voice\s+(?:belonged|belongs)\s+to\s+(?P<name3>{_NAME_RE}))\b"
    r"(?![^.!?\"“”]*\b(?:answer|repl|respond|call(?:ed|s)?\s+back))"
)
_SPEAKER_SEEN = re.compile(
    rf"\b(?P<who>[Hh]e|[Ss]he|I|{_NAME_RE})\s+(?:[a-z]+ly\s+)?"
    r"(?:(?:turned|turns|spun|whirled|wheeled|looked|looks|glanced|glances)"
    r"(?:\s+(?:round|around|up|back))?\s+(?:and\s+(?:saw|sees|noticed|notices|spotted|spots)"
    r"|to\s+(?:see|find))|saw|sees|noticed|notices|spotted|spots)\s+"
    rf"(?P<seen>(?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){{0,3}}[a-z][\w'’-]*|{_NAME_RE})\b(?!['’])"
)
# '"Never," was Tom's reply.' / 'was the old man's answer': the owner of the reply.
_REPLY_OF = re.compile(
    # and '"… she won't pay any more." These were the waggoner's words.'
    r"^[\s,]*(?:(?:These|Those|Such)\s+(?:were|was)|was|came)\s+(?:(?P<np>(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)"
    rf"|(?P<name>{_NAME_RE})|(?P<pron>his|her|my|their))['’]?s?\s+"
    r"(?:[a-z]+\s+)?(?:reply|answer|response|retort|rejoinder|comment|greeting|remark|words)\b"
)


def _tag_after(text: str, quote: str = "", people: frozenset[str] = frozenset()) -> _Subject | None:
    if _ENDS_SENTENCE.search(quote) and _ANSWERED_THAT.match(text):
        # '"Do you know what day it is?" I answered that it was the fourth of May.':
        # the answer told in narration is to the quote, not its tag
        return None
    heard = _HEARD.match(text)
    if heard is not None and heard.group("pron"):
        return _Subject("pron", "he" if heard.group("pron") == "him" else "she", heard.span("pron"))
    # '"What desolation!" she heard one voice say.', but not 'She heard a voice say that
    # sounded a lot like hers': that voice is more than a speaker's
    if (
        heard is not None
        and heard.group("voice")
        and re.match(r"\s*(?:[.,;:!?—–-]|$)", text[heard.end() :])
    ):
        return _Subject("np", heard.group("voice"), heard.span("voice"))
    if (
        heard is not None
        and heard.group("name")
        and heard.group("name").split()[0] not in NOT_NAMES
    ):
        return _Subject("name", heard.group("name"), heard.span("name"))
    if heard is not None and heard.group("np"):
        found = _np_subject(heard.group("np"), text, heard.start("np"))
        if found is not None:
            return found
    reply = _REPLY_OF.match(text)
    if reply is not None:
        name = _POSSESSIVE.sub("", reply.group("name") or "")
        if name and (name.split()[0] not in NOT_NAMES or re.match(_TITLE_WORD + r"\s", name)):
            return _Subject("name", name, (reply.start("name"), reply.start("name") + len(name)))
        if reply.group("np"):
            return _np_subject(reply.group("np"), text, reply.start("np"))
        if reply.group("pron"):
            return _Subject(
                "pron",
                {"his": "he", "her": "she", "my": "I"}.get(reply.group("pron"), "they"),
                reply.span("pron"),
            )
    m = _VERB_FIRST.match(text)
    if m is None and _COMMA_CLOSE.search(quote):
        # '"Aw," fleered Happy Jack': a verb put before its subject right after a quote
        # that runs on into it is a speech tag, whatever the verb.
        m = _ANY_VERB_FIRST.match(text)
    if m is not None:
        found = _parse_subject(m.group("rest"))
        if found is not None:
            return found.shifted(m.start("rest"))
    m = _SUBJECT_FIRST.match(text)
    if m is None and (
        _COMMA_CLOSE.search(quote)
        or (_OPEN_CLOSE.search(quote) and re.match(r"\s*(?:he|she|they|we)\s", text))
    ):
        # '"Sakura…" he stopped', '"…?" he gently prodded': a lower-case pronoun
        # after the quote continues its sentence, so it is the speaker.
        # '"It's okay," she encouraged': a quote that ends in a comma runs on into
        # its tag, whatever the verb.
        m = _ANY_VERB_TAG.match(text)
    if m is not None and m.groupdict().get("standing"):
        # "the blonde behind him chuckles" is no surer than "the blonde chuckles"; only a
        # word for a person ("the masked guard behind Kakashi") makes the phrase a subject
        head = m.group("np")[: m.start("standing") - m.start("np")].split()[-1]
        if head.lower() not in PERSON_NOUNS and head.upper() not in people:
            return None
    return _subject(m) if m is not None else None


# '"Be at the mill by noon," it said, "and come alone."': words of a note or letter,
# tagged by the thing that holds them, read out by someone in the talk
_READ_OUT = re.compile(
    r"\s*,?\s*(?:it\s+(?P<it>said|says)|(?:it|the\s+(?:note|letter|telegram|message|card|paper"
    r"|notice|wire))\s+(?:said|ran|read|says|runs|reads))\b"
)
# ... where "it" is a thing read: 'Read it to me.', 'The paper was damp.' just before
# (not a beast or a ghost that speaks: '"Who goes there?" it said')
_READING = re.compile(
    r"\b(?:[Rr]ead|[Rr]eading|note|letter|telegram|message|card|notice|wire|envelope)\b"
)
READING_REACH = 400  # characters before the quote that must show a thing being read
_CUT_OFF = re.compile(r"(?:—|--|–)\s*[\"”’'»]\s*$")  # '"The first vacant room--"'
# a tag saying the speaker goes on to tell something at length: "took up the tale",
# "went on to explain", "launched into"; not when the narration itself then tells what
# was said ("went on to explain that the mill had burned")
_TAKES_UP_TALE = re.compile(
    r"\b(?:took\s+up|resumed|went\s+on\s+with|continued)\s+(?:the|his|her|my)\s+"
    r"(?:tale|story|narrative|account|recital)\b"
    r"|\b(?:began|proceeded|went\s+on)\s+to\s+(?:tell|relate|explain|describe|recount|narrate)\b"
    r"|\blaunched\s+(?:forth\s+)?into\b"
)
_TALE_TOLD = re.compile(r"\s+(?:(?:him|her|them|us|me)\s+)?(?:that|how|of|about|what|why)\b")
_ENDS_SENTENCE = re.compile(r"[.?!][_*]*\s*[\"”’'»]\s*$")
_ANSWERED_THAT = re.compile(
    r"\s*(?:I|[Hh]e|[Ss]he|[A-Z][\w'’-]+)\s+(?:[a-z]+ly\s+)?(?:answered|replied|responded)\s+that\b"
)
# '"Eat your dinner," she said to Lucy', "murmured under his breath to Dusty"
_TO_WHOM = re.compile(
    r"[\s,;—–-]*[^.!?\"“”]{0,40}?\b(?:"
    + _VERB
    + rf")\b[^.!?\"“”]{{0,30}}?\bto\s+(?P<name>{_NAME_RE})"
)
# '"…?" he asked Nell', '"…," Tom told Ada': a speech verb whose object is the one spoken
# to (only after a subject: in '"Why?" asked Nell' Nell is the speaker)
_ASKS_WHOM = re.compile(
    r"[\s,;—–-]*(?:he|she|I|we|they|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:[a-z]+ly\s+)?"
    r"(?:asked|told|reminded|warned|assured|urged|begged|informed|promised|thanked|ordered"
    rf"|bade|questioned|teased|pressed|coaxed|chided|scolded)\s+(?P<name>{_NAME_RE})"
)
_ADDRESSING = re.compile(
    r"[\s,;—–-]*[^.!?\"“”]{0,40}?\b(?:addressing|turning to|to)\s+"
    r"(?P<np>the\s+(?:[a-z]+\s+){0,2}?(?:man|woman|lady|gentleman|boy|girl|fellow|stranger))\b"
    # "he cried to the man who trundled the barrow": a man picked out by what he does,
    # not the one on stage already
    r"(?!\s+(?:who|that|whom)\b)"
)
_COMMA_CLOSE = re.compile(r"[,—–-]\s*[\"”’'»]\s*$")
_OPEN_CLOSE = re.compile(r"[?!…]\s*[\"”’'»]\s*$")
_ANY_VERB_TAG = re.compile(
    r"^\s*(?:"
    + _SUBJECT_RE
    + r")\s+(?:[a-z]+ly\s+)?"
    # '"Oh," she couldn't help the flush of her cheeks': a helping verb before the verb
    + r"(?:(?:could|did|would)(?:n['’]t|\s+not)\s+[a-z]+"
    + r"|[a-z]+ed|[a-z]+s|said|told|spoke|swore|shot|bit|gave|took|sang|began)\b"
)


# "turned to Nell", "turning back to the old man", "addressed Mrs. Dunn"
_TURNS_TO = re.compile(
    r"\b(?:turn(?:ed|s|ing)(?:\s+(?:back|round|around|again|now))?\s+(?:to|towards?)"
    r"|spoke\s+to|address(?:ed|es|ing))\s+"
    r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
    r"|(?:the|his|her|their|my)\s+(?:[a-z]+\s+){0,2}[a-z]+\b)"
)
# A preposition just before a name makes it an object: "turned to Ada Lenz and said:"
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|at|towards?|upon|with|from|for|of|on|into|about|beside|behind|near)\s+$"
)


# What the one heard does, said in its plain or "-ing" form after "heard him".
_HEARD_DOING = (
    r"(?:say|speak|talk|call|cry|shout|yell|scream|shriek|whisper|murmur|mutter|mumble"
    r"|exclaim|ask|answer|reply|tell|add|declare|remark|observe|sing|sob|groan|moan|sigh"
    r"|bellow|roar|growl|hiss|gasp|grumble|plead|beg|warn|order|demand|announce|repeat"
    r"|swear|begin|" + "|".join(_SPEAKING_FORMS) + r")"
)
# The rest of a tag's clause up to the quote: no second clause ("… call, and Tom
# said:", "Having heard him call, she said:" hand the quote to Tom, to her), no
# sentence end, no quote mark.
_TAG_CLAUSE_REST = (
    rf"(?:(?!\b(?:and|but|then|so|while|before|after|until|till|when|nothing|{_VERB})\b)"
    r"[^.!?;\"“”])*?[,:—–-]?\s*$"
)
# "Then Ada heard the ferryman shout:", "I heard him say, as he turned, '…'": the one
# heard is the speaker; the hearer only listens
_HEARD_BEFORE = re.compile(
    r"\b(?:heard|hear|hears|hearing|overheard|overhear|overhears)\s+"
    rf"(?:(?P<pron>him|her)|(?P<poss>his|her)\s+voice|(?P<name>{_NAME_RE})(?:['’]s\s+voice)?"
    rf"|(?P<np>{_NP_SUBJECT}))"
    rf"\s+(?:[a-z]+ly\s+)?{_HEARD_DOING}\b" + _TAG_CLAUSE_REST
)
# "… she wrote to her uncle, who answered:", "a tall baronet, who said '…'": the one a
# relative "who" stands for speaks, not the subject of the sentence it hangs on
_WHO_SAID = re.compile(
    rf"(?:(?P<name>{_NAME_RE})|(?P<np>{_NP_SUBJECT})),\s+who\s+(?:[a-z]+ly\s+)?{_VERB}\b"
    + _TAG_CLAUSE_REST
)


# The named subject of a hearing verb: "Ida" of "Ida could only just hear"
_HEARER_BEFORE = re.compile(
    rf"(?:^|(?<=[\s,;(]))(?P<name>{_NAME_RE})\s+(?:(?:could|can|did|had)\s+)?"
    r"(?:(?:just|only|barely|scarcely|hardly|then|now|[a-z]+ly)\s+){0,3}$"
)


def _ends_hearing(text: str) -> tuple[str, Span] | None:
    """The name of whoever hears the quote that ``text`` runs into, and where it is,
    when ``text`` ends with them hearing it ("Ida heard the keeper call:")."""
    tail = text[-200:]
    heard = _HEARD_BEFORE.search(tail) or _HEARS_QUOTE.search(tail.rstrip())
    if heard is None:
        return None
    who = _HEARER_BEFORE.search(tail, 0, heard.start())
    if who is None:
        return None
    start, end = who.span("name")
    while True:
        first = re.match(r"([\w'’-]+)\s+", tail[start:end])
        if first is None or not (
            first.group(1) in NOT_NAMES | _SENTENCE_ADVERBS or first.group(1).endswith("ly")
        ):
            break
        start += first.end()  # "Then Ida", "Directly I": the words before the name
    name = tail[start:end]
    if name in NOT_NAMES | {"I"}:
        return None
    shift = len(text) - len(tail)
    return name, (start + shift, end + shift)


def _heard_or_relative(tail: str) -> _Subject | None:
    """The speaker of a tag before a quote whose sentence subject only hears the words
    or whose speaker is named through a relative "who" (see _HEARD_BEFORE, _WHO_SAID);
    spans index ``tail``."""
    heard = _HEARD_BEFORE.search(tail)
    if heard is not None:
        own = heard.group("pron") or heard.group("poss")
        if own is not None:
            whose = "pron" if heard.group("pron") else "poss"
            return _Subject(
                "pron", "he" if own.lower() in ("him", "his") else "she", heard.span(whose)
            )
    found = heard or _WHO_SAID.search(tail)
    if found is None:
        return None
    name = found.group("name")
    if name is not None:
        if name.split()[0] in NOT_NAMES and not re.match(_TITLE_WORD + r"\s", name):
            return None
        return _Subject("name", name, found.span("name"))
    phrase = " ".join(found.group("np").split())
    return _Subject("np", phrase, found.span("np"))


def _tag_before(text: str) -> _Subject | None:
    tail = text[-160:]
    heard = _heard_or_relative(tail)
    if heard is not None:
        return heard.shifted(len(text) - len(tail))
    # The last clause's subject: "Nobody spoke for a minute; then Meg said," is Meg's.
    m = None
    found = _TAG_BEFORE_RE.search(tail)
    while found is not None:
        groups = [g for g in ("pron", "np", "name") if found.group(g)]
        subject_end = max(found.end(g) for g in groups)
        subject_start = min(found.start(g) for g in groups)
        if _OBJECT_BEFORE.search(tail, 0, subject_start):
            # "The clerk turned to Ada Lenz and said:": the one turned to listens; the
            # clause reading (see _introduces_quote) finds who speaks
            m = None
        elif not re.search(r"['’]s?$", tail[:subject_end]):
            m = found  # "felt Tom's shirt, and said": a possessive is not the subject
        # search on after this subject, so "Mrs. Bennet said" never yields "Bennet said"
        found = _TAG_BEFORE_RE.search(tail, subject_end + 1)
    found_subject = _subject(m) if m is not None else None
    return found_subject.shifted(len(text) - len(tail)) if found_subject is not None else None


_INTRO_END = re.compile(r"(?:[:,]|[,:]?\s*(?:--|[—–-]))\s*$")
# Words that can open a sentence before its subject: "Then Tom said:", "Therefore I said:"
_SENTENCE_ADVERBS = _words(
    "Then And But So Finally Suddenly Presently Therefore Thus Hence Again Now Still At last "
    "length soon Pretty Soon Instead Here There Meanwhile"
)
_PARENTHETICAL = re.compile(
    r"(?:I|we)\s+(?:suppose|think|believe|fancy|fear|imagine|presume|dare\s+say|am\s+sure)\s*[,—–-]"
)
# Words opening a clause that leans on another: "when he spoke to her, and then said:"
_SUBORDINATOR = r"(?:when|as|while|till|until)"
# A clause's start: the sentence's, or after a comma, semicolon or coordinating word.
_CLAUSE_START = re.compile(r"(?:^|[,;]\s+|\s(?:and|but|then|when|as|while|till|until)\s+|--|—)")


def _owner_speaking(after: str, owner: str) -> _Subject | None:
    """The owner of a possessive that opens a subject, when what follows is their voice,
    lips or words ("Tom's voice rang out"): they speak; not when it is someone else."""
    part = re.match(r"\s+([a-z]+)", after)
    if part is None or part.group(1) not in _OWN_PARTS:
        return None
    return _Subject("name", _POSSESSIVE.sub("", owner))


def _without_adverbs(subject: _Subject | None) -> _Subject | None:
    """ "Therefore I", "Finally Tom", "a trifle more--I": the subject is the last part."""
    if subject is None:
        return None
    words = re.split(r"\s+|--|—", subject.text)
    words = [w for w in words if w]
    while len(words) > 1 and (
        words[0] in _SENTENCE_ADVERBS or (subject.kind == "np" and "--" in subject.text)
    ):
        words = words[1:]
    rest = " ".join(words)
    if rest == subject.text:
        return subject
    span = None
    if subject.span is not None:
        # the words left are the end of the subject, as written
        kept = re.search(_WORD_GAP.join(re.escape(w) for w in words) + "$", subject.text)
        if kept is not None:
            span = (subject.span[1] - (len(subject.text) - kept.start()), subject.span[1])
    if rest in _PRONOUN_SUBJECTS:
        return _Subject("pron", rest, span)
    if subject.kind == "np":
        return None
    return _Subject("name", rest, span)


# "All he said was:", "The first words she said to him … was,": the quote is what
# the subject of "said" said
_WORDS_WERE = re.compile(
    rf"\b(?:(?P<pron>he|she|I|they|we)|(?P<name>{_NAME_RE}))\s+(?:had\s+|ever\s+)?"
    r"(?:said|spoke|asked|told\s+\w+|whispered|wrote)\b[^.!?\"“”]{0,80}?\b(?:was|were|is)\s*[,:—–-]*\s*$"
)


# A speech verb's participle, which hands the floor on like the verb: "…, calling,"
_SPEAKING = (
    r"(?:saying|calling|crying|exclaiming|adding|shouting|whispering|muttering|murmuring|"
    r"answering|replying|asking|remarking|observing|declaring)"
)
# "… excitedly babbling all the phrases she knew, like,": the quotes that follow are
# examples of what the subject says
_SAYS_THINGS_LIKE = re.compile(
    r"\b(?:things|words|phrases|stuff)\b[^.;:!?\"“”]{0,40}?\blike\s*[,:]?\s*$"
)
_SPEAKING_WHEN = re.compile(
    rf"\b(?P<verb>{_SPEAKING})(?:\s+out)?\s*,\s*(?:as|when|while|before|after)\s+"
    r"[^,.;:!?\"“”]{1,60}[,:—–-]*\s*$"
)


_NON_SPACE = re.compile(r"\S+")


def _squeezed_offsets(source: str, start: int, end: int, squeezed: str) -> list[int] | None:
    """For each character of ``squeezed``, source[start:end] with its whitespace runs
    made single spaces (" ".join(part.split())), the offset it came from in ``source``;
    None if that is not what ``squeezed`` is."""
    at: list[int] = []
    for m in _NON_SPACE.finditer(source, start, end):
        if at:
            at.append(m.start() - 1)  # the space stands for the run before the word
        at.extend(range(m.start(), m.end()))
    return at if len(at) == len(squeezed) else None


def _substituted_offsets(
    pattern: re.Pattern[str], repl: str, before: str, at: list[int] | None, after: str
) -> list[int] | None:
    """The offsets of ``after`` = pattern.sub(repl, before), from those of ``before``: a
    replacement's characters take those of the words it replaces, in order ("said, as
    we entered" -> "said," keeps "said" where it was)."""
    if at is None:
        return None
    out: list[int] = []
    done = 0
    for m in pattern.finditer(before):
        out.extend(at[done : m.start()])
        last = max(m.start(), m.end() - 1)
        out.extend(at[min(m.start() + j, last)] for j in range(len(m.expand(repl))))
        done = m.end()
    out.extend(at[done:])
    return out if len(out) == len(after) else None


def _placed(subject: _Subject | None, at: list[int] | None) -> _Subject | None:
    """A subject found in a rewritten copy of the text, its span put back in the text
    the copy was made from (``at``: each copied character's offset there)."""
    if subject is None or subject.span is None:
        return subject
    s, e = subject.span
    if at is None or not 0 <= s < e <= len(at):
        return replace(subject, span=None)
    return replace(subject, span=(at[s], at[e - 1] + 1))


_HAD_ONCE = re.compile(r"\s(?:had|has)\s+(?=(?:once|often|always|just|already)\s)")
_HAD_SAID = re.compile(
    rf"\s(?:had|has|then|once|often|always|just|already)\s+(?=(?:[a-z]+ly\s+)?{_VERB}\b)"
)


def _introduces_quote(text: str, nouns: _Nouns | None = None) -> _Subject | None:
    """Who a narration paragraph ending in a colon (or a comma or dash after a speech
    verb) hands the floor to: "He came over to the gunrest and, thrusting a hand into
    his pocket, said:" introduces the next paragraph's quote as its tag would. The
    subject's span indexes ``text``."""
    stripped = text.rstrip()
    if not _INTRO_END.search(stripped):
        return None
    sentences = list(_SENTENCE.finditer(stripped))
    last_sentence = sentences[-1] if sentences else None
    sentence = " ".join((last_sentence.group(0) if last_sentence else stripped).split())
    # where each character of the sentence as read here is in ``text``
    at = _squeezed_offsets(
        stripped,
        last_sentence.start() if last_sentence else 0,
        last_sentence.end() if last_sentence else len(stripped),
        sentence,
    )
    colon = bool(re.search(r":\s*(?:--|—)?$", stripped))
    # "preceded me up the causeway, calling, as we entered the court,--": the clause
    # after the speech verb says when, and its "we" is not who calls
    said_when = sentence
    sentence = _SPEAKING_WHEN.sub(r"\g<verb>,", sentence)
    if sentence != said_when:
        at = _substituted_offsets(_SPEAKING_WHEN, r"\g<verb>,", said_when, at, sentence)
    handing_on = re.search(
        r"\b(?:before|after|while|then)\s+[a-z]+ing\s*[,:—–-]*\s*$", sentence
    ) or _SAYS_THINGS_LIKE.search(sentence)
    # "Says I," opens its sentence with the verb, capitalised
    inverted = re.match(rf"^[^\w]*(?i:{_VERB})\s+(?P<pron>he|she|I|they|we)\b", sentence)
    if (
        not colon
        and not handing_on
        and inverted is None
        and not re.search(rf"\b(?:{_VERB}|{_SPEAKING})\b", sentence)
    ):
        return None
    if inverted is not None and not re.search(r"[;:]\s*\S", sentence[inverted.end() :]):
        # "Said she:"; but '"…," thought I; and … but Eliza … said at once--' hands the
        # floor to the clause after the semicolon
        return _placed(_Subject("pron", inverted.group("pron"), inverted.span("pron")), at)
    words_were = _WORDS_WERE.search(sentence)
    if words_were is not None:
        # "The first words she said to him as she handed the dog back were,"
        if words_were.group("pron"):
            pron = _Subject("pron", words_were.group("pron"), words_were.span("pron"))
            return _placed(pron, at)
        named = [w for w in words_were.group("name").split() if w not in NOT_NAMES]
        if named:
            # "All Tom said was:": Tom
            where = re.compile(_WORD_GAP.join(map(re.escape, named))).search(
                sentence, words_were.start("name"), words_were.end("name")
            )
            span = where.span() if where is not None else None
            return _placed(_Subject("name", " ".join(named), span), at)
    # "Nasty Roche had asked:" is as good as "Nasty Roche asked:"
    # and "As a young admirer had once said of him:" as "… admirer said of him:"
    once = _HAD_ONCE.sub(" ", sentence)
    plain = _HAD_SAID.sub(" ", once)
    plain_at = at
    if once != sentence:
        plain_at = _substituted_offsets(_HAD_ONCE, " ", sentence, plain_at, once)
    if plain != once:
        plain_at = _substituted_offsets(_HAD_SAID, " ", once, plain_at, plain)
    found = _without_adverbs(_tag_before(plain))
    if found is not None and not re.search(
        rf"\b{_SUBORDINATOR}\s+{re.escape(found.text)}\s[^:;]*,\s+and\s+(?:then\s+)?"
        r"(?:[a-z]+ly\s+)?[a-z]+\s*:?\s*$",
        sentence,
    ):
        return _placed(found, plain_at)
    if (
        not colon
        and not _SAYS_THINGS_LIKE.search(sentence)
        and not re.search(
            rf"(?:\b(?:{_VERB}|{_SPEAKING})(?:\s+[a-z]+){{0,3}}"
            r"|\b(?:before|after|while|then)\s+[a-z]+ing)\s*[,:—–-]*\s*$",
            sentence,
        )
    ):
        return None  # "…, and muttered," / "…, called out to her," / "… before teasing,"
    # The subject of the last clause that has one: "Jack cracked his fingers and
    # Father Arnall looked at his copybook and said:" is Father Arnall's.
    last: _Subject | None = None
    main: _Subject | None = None  # the last subject of a clause that is not subordinate
    subordinate = False  # whether `last` is a subordinate clause's ("when he spoke")
    bare_end = False  # the last clause is ", and then said:", with no subject
    for start in _CLAUSE_START.finditer(sentence):
        # ", and Mrs. Hilbery deftly joined": the comma took the place of the "and"
        rest = re.sub(r"^(?:and|but|then|so|for|yet)\s+", "", sentence[start.end() :])
        if _PARENTHETICAL.match(rest):
            continue  # "She saw, I suppose, the doubt in my face": an aside, no clause
        bare_end = bare_end or bool(re.match(r",\s+and\s", sentence[start.start() :]))
        while True:
            words = rest.split(None, 1)
            if len(words) == 2 and words[0].rstrip(",") in _SENTENCE_ADVERBS:
                rest = words[1]
            else:
                break
        m = (nouns or _nouns(frozenset())).clause_subject.match(rest)
        if m is None:
            continue
        rest_at = len(sentence) - len(rest)  # the rest of the sentence, from here
        bare_end = False
        found_here: _Subject | None = None
        if m.group("pron"):
            found_here = _Subject("pron", m.group("pron"), _group_span(m, "pron", rest_at))
        elif m.group("np"):
            found_here = _np_subject(
                " ".join(m.group("np").split()), sentence, m.start("np") + rest_at
            )
        elif (
            next((w for w in m.group("name").split() if w not in TITLES), "")
            not in NOT_NAMES - _WORD_SURNAMES
        ):
            # "Mrs. Hilbery", not "Then"; but "Good beamed at me … and murmured," is
            # Captain Good if the book has him (see resolve)
            found_here = _Subject("name", m.group("name"), _group_span(m, "name", rest_at))
            if _POSSESSIVE.search(m.group("name")):
                # "Tom's voice rang out:" is Tom speaking, but in "Cameron's companion,
                # when …" the companion is the subject, and Cameron only whose he is
                found_here = _owner_speaking(rest[m.end("name") :], m.group("name"))
                if found_here is not None:
                    owner_at = m.start("name") + rest_at
                    found_here = replace(
                        found_here, span=(owner_at, owner_at + len(found_here.text))
                    )
        if found_here is not None:
            last = found_here
            subordinate = re.search(rf"\b{_SUBORDINATOR}\s*$", sentence[: start.end()]) is not None
            if not subordinate:
                main = found_here
    if bare_end and subordinate and main is not None:
        # "So she assumed a dazed expression when he spoke to her, and then said:":
        # the comma's "and" joins the main clause, whose subject is she
        return _placed(main, at)
    if last is None or (subordinate and main is None):
        # "Kakashi, sensing her hesitation, called out to her,", "But the old clerk,
        # when he had read it, said:": a subject set off by commas opens the sentence,
        # and the "he" of a clause inside the commas is not a subject of its own
        opening = sentence
        while (
            (words := opening.split(None, 1)) and len(words) == 2 and words[0] in _SENTENCE_ADVERBS
        ):
            opening = words[1]
        opening_at = len(sentence) - len(opening)  # the sentence from its subject on
        described = (nouns or _nouns(frozenset())).set_off.match(opening)
        m = re.match(rf"(?:{_TITLE_WORD}\s+)?[A-Z][\w'’-]*(?=,)", opening)
        owner = re.match(rf"{_NAME_RE}(?=\s)", opening)
        if described is not None:
            phrase = " ".join(described.group("np").split())
            np_at = opening_at + described.start("np")
            last = _Subject("np", phrase, _phrase_span(sentence, np_at, phrase))
        elif owner is not None and _POSSESSIVE.search(owner.group(0)):
            # "Tom's voice, low and cold, said:"
            speaking = _owner_speaking(opening[owner.end() :], owner.group(0))
            if speaking is not None:
                last = replace(speaking, span=(opening_at, opening_at + len(speaking.text)))
        elif m is not None and m.group(0).split()[0] not in NOT_NAMES | _SENTENCE_ADVERBS:
            last = _Subject("name", m.group(0), (opening_at, opening_at + len(m.group(0))))
    return _placed(last, at)


TAG_RULES = {"name": "tag", "pron": "tag-pronoun", "np": "tag-epithet"}
RECENT_PARAGRAPHS = 2  # this one and the two before it
OTHER_PARTY = _words("other")  # keys, see _epithet_key
_TITLE_ALIASES = {
    "dr": "doctor",
    "mr": "mister",
    "mrs": "missus",
    "capt": "captain",
    "col": "colonel",
    "prof": "professor",
    "rev": "reverend",
    "st": "saint",
}


RANK_TITLES = _words(
    """doctor professor captain colonel major general lieutenant sergeant corporal judge
    reverend parson vicar rector inspector detective constable admiral commander count
    countess duke duchess baron baroness king queen prince princess"""
)
# Occupations: "the doctor" is a person of their own unless someone carries the title,
# never a description of whichever named person happens to be present.
ROLE_NOUNS = RANK_TITLES | _words(
    """nurse servant officer clerk driver porter landlord landlady keeper waiter soldier
    surgeon maid housekeeper coachman footman butler cook guard lawyer clergyman priest
    minister sailor policeman farmer"""
)
# Relatives named through a spouse or parent: the title their name takes.
KIN: dict[str, tuple[str, ...]] = {
    "wife": ("mrs", "lady", "madame", "mme"),
    "lady": ("mrs", "lady", "madame", "mme"),
    "mother": ("mrs", "lady", "madame", "mme"),
    "husband": ("mr", "sir", "lord", "monsieur"),
    "father": ("mr", "sir", "lord", "monsieur"),
}


def _kin(
    head: str, possessive: str, salient: list[_Entity], weak: set[_Entity], names: _Names
) -> _Entity | None:
    """The relative a possessive epithet names: "his wife" -> "Mrs." + his surname."""
    titles = KIN[head]
    aliased = {_TITLE_ALIASES.get(t, t) for t in titles}  # as _titles_of spells them
    owner_gender = "male" if possessive == "his" else "female"
    for owner in reversed(salient):
        if owner.gender != owner_gender or owner.epithet or owner in weak:
            continue
        for form in owner.forms:
            words = form.split()
            if len(words) > 1:
                for title in titles:
                    cap = title.capitalize()
                    for candidate in (f"{cap}. {words[-1]}", f"{cap} {words[-1]}"):
                        found = names.by_key.get(_key(candidate))
                        if found is not None and found is not owner:
                            return found
        break
    # "her mother" said of a girl the text names only by her first name: when the
    # scene holds exactly one married pair (Mr. and Mrs. Vell), she is of that family.
    couples = {
        _surname(e): e for e in salient if not e.epithet and _titles_of(e) & aliased and _surname(e)
    }
    partners = {
        _TITLE_ALIASES.get(t, t) for t in (KIN["husband"] if titles == KIN["wife"] else KIN["wife"])
    }
    married = [
        e
        for surname, e in couples.items()
        if any(
            not o.epithet and _surname(o) == surname and _titles_of(o) & partners for o in salient
        )
    ]
    if len(married) == 1:
        return married[0]
    # "said her mother" with only Mr. Bennet here yet: the Mrs. Bennet named elsewhere
    here = {_surname(o) for o in salient if not o.epithet and _titles_of(o) & partners}
    spouses = [
        e
        for e in names.entities
        if not e.epithet and _titles_of(e) & aliased and _surname(e) in here
    ]
    if len(spouses) == 1:
        return spouses[0]
    present = [e for e in reversed(salient) if not e.epithet and _titles_of(e) & aliased]
    present = [e for e in present if e not in weak] or present
    talkers = [e for e in present if e.lines_here]
    if talkers:
        return talkers[0]
    return present[0] if len(present) == 1 else None


def _surname(entity: _Entity) -> str:
    """The family name of a titled form ("Mrs. Bennet" -> "bennet"), else ""."""
    for form in entity.forms:
        words = form.split()
        if len(words) > 1 and words[0] in TITLES | {t.rstrip(".") for t in TITLES}:
            return _key(words[-1])
    return ""


def _titles_of(entity: _Entity) -> set[str]:
    out: set[str] = set()
    for form in entity.forms:
        words = form.split()
        if len(words) > 1:
            first = words[0].rstrip(".").lower()
            out.add(_TITLE_ALIASES.get(first, first))
    return out


def _head_gender(head: str, phrase: str = "") -> Gender | None:
    """The sex a description gives: its head noun ("step-son", "sister-in-law"), or a
    word in front of it ("a female voice", "a man's voice")."""
    head = re.sub(r"-in-law$", "", head.lower())
    found = EPITHET_GENDER.get(head.split("-")[-1])
    if found is None:
        # compounds: "washerwoman", "housemaid", "schoolgirl"; "footman", "manservant"
        if re.search(r"(?:woman|maid|girl|maidservant)$", head):
            found = "female"
        elif re.search(r"(?:man|boy|manservant)$", head) and head not in _NOT_MEN:
            found = "male"
    if found is None:
        words = set(re.findall(r"[\w'’]+", phrase.lower()))
        if words & _FEMALE_WORDS and not words & _MALE_WORDS:
            return "female"
        if words & _MALE_WORDS and not words & _FEMALE_WORDS:
            return "male"
    return found


_NOT_MEN = _words("human german roman shaman")
_FEMALE_WORDS = _words("female feminine woman woman's woman’s girl's girl’s lady's lady’s")
_MALE_WORDS = _words("male masculine man man's man’s boy's boy’s")


# "his companion", "Kakashi's old friend": whoever is with the one named, not that one
_COMPANIONS = _words("companion friend interlocutor visitor guest host partner comrade")
# words for someone the scene has only just met: "our visitor", "the stranger"
_NEWCOMER_WORDS = _words("visitor guest stranger newcomer caller")


def _plural_description(name: str) -> bool:
    """Whether a description names several people ("all the ladies", "the footmen"):
    no one name a reply calls out can be theirs."""
    if _PARTITIVE_RE.match(name):
        return False  # "one of the men", "the oldest of the colts": one of them
    head = name.lower().split()[-1] if name.split() else ""
    if head in {"people", "children", "folk", "folks", "others"}:
        return True
    if head.endswith("men"):
        return head[:-3] + "man" in PERSON_NOUNS
    if not head.endswith("s") or head.endswith("ss"):
        return False
    singular = {head[:-1], head[:-2], head[:-3] + "y" if head.endswith("ies") else ""}
    return bool(singular & PERSON_NOUNS)


def _epithet_key(name: str) -> str:
    words = name.lower().split()
    # "another voice" is not the voice that spoke before ("a voice", "the voice")
    if (words and words[0] in {"the", "a", "an", "this", "that"}) or words == ["another"]:
        words = words[1:]
    if (
        words
        and (words[0] in {"his", "her", "their"} or words[0].endswith(("'s", "’s")))
        and words[-1] in _COMPANIONS
    ):
        return "other"
    return " ".join(words)


def attribute(work: Work, lines: Sequence[Line], *, known: Sequence[Character] = ()) -> Attribution:
    """Give every dialogue line a speaker, a confidence and the rule that decided it."""
    read = _as_read(work)
    if read is work:
        return _attribute(work, lines, known)
    found = _attribute(
        read, [replace(line, text=read.text[line.start : line.end]) for line in lines], known
    )
    moves = _hyphen_moves(work)
    return Attribution(
        lines=tuple(
            replace(
                line,
                speaker=said.speaker,
                confidence=said.confidence,
                rule=said.rule,
                evidence=_unmoved(said.evidence, moves),
            )
            for line, said in zip(lines, found.lines, strict=True)
        ),
        characters=found.characters,
    )


def _hyphen_moves(work: Work) -> list[tuple[int, int, int]]:
    """Where _as_read moved a word hyphenated across a line break: (where, length of
    the word's first part, length of the break), in order."""
    moves: list[tuple[int, int, int]] = []
    for _, _, paragraph in work.paragraphs():
        body = work.text[paragraph.start : paragraph.end]
        if "-" not in body:
            continue
        for m in _WRAPPED_HYPHEN.finditer(body):
            moves.append((paragraph.start + m.start(), len(m.group(1)), len(m.group(2))))
    return moves


def _unmoved(span: Span | None, moves: list[tuple[int, int, int]]) -> Span | None:
    """A span of the text as read, in the text as written: "grey-bearded" read where the
    break's whitespace was is "grey-\nbearded" there."""
    if span is None or not moves:
        return span

    def source(at: int) -> int:
        k = bisect_right(moves, (at, 1 << 62, 1 << 62)) - 1  # the last move at or before it
        if k < 0:
            return at
        where, first, gap = moves[k]
        if at < where + gap:  # the break's whitespace, now before the word
            return at + first
        if at < where + gap + first:  # the word's first part, now after the break
            return at - gap
        return at

    start, end = source(span[0]), source(span[1] - 1) + 1
    return (start, end) if start < end else span


# "grey-\nbearded": a hyphen between letters at the end of a wrapped line. A dash
# ("--\n") is not a hyphen, so the letter before it is required.
_WRAPPED_HYPHEN = re.compile(r"(?<=\s)([A-Za-z]+-)([ \t]*\n\s*)([A-Za-z]+)")


def _join_hyphenated(match: re.Match[str]) -> str:
    # Same length, so every offset holds: the break's whitespace moves in front of the
    # word, which then reads "grey-bearded". Only letters move, never a quote mark.
    return match.group(2) + match.group(1) + match.group(3)


def _as_read(work: Work) -> Work:
    """The work as a reader takes it in, offsets unchanged: the line breaks inside a
    paragraph (Gutenberg texts are wrapped at about 70 columns) are spaces. Otherwise
    a name that happens to start a wrapped line looks as if it opened a sentence, and
    the same novel would be read one way wrapped and another way unwrapped. A word
    hyphenated across the break ("a grey-\nbearded man") is read whole."""
    text = work.text
    parts: list[str] = []
    done = 0
    for chapter in work.chapters:
        for scene in chapter.scenes:
            for paragraph in scene.paragraphs:
                parts.append(text[done : paragraph.start])
                body = _WRAPPED_HYPHEN.sub(_join_hyphenated, text[paragraph.start : paragraph.end])
                parts.append(body.replace("\n", " "))
                done = paragraph.end
    parts.append(text[done:])
    flat = "".join(parts)
    return work if flat == text else replace(work, text=flat)


def _attribute(work: Work, lines: Sequence[Line], known: Sequence[Character]) -> Attribution:
    names = _Names(work, known)
    text = work.text
    features = _feature_sexes(text)
    feature_owners = _feature_owners(text, lines, names)
    for line in lines:
        if line.kind == "dialogue":
            # "Yes, Beatrice.": someone who is spoken to. A quote that is only a name
            # may be the answer to "What is his name?", so it does not count.
            for entity in _vocatives(line.text, names, answering=True):
                entity.called += 1
    narrator: _Entity | None = next((e for e in names.entities if e.narrator), None)
    first_person = narrator is not None or _first_person(work, lines)

    def get_narrator() -> _Entity:
        nonlocal narrator
        if narrator is None:
            narrator = _Entity(name="Narrator", narrator=True)
            names.entities.append(narrator)
        return narrator

    if first_person:
        get_narrator()

    # Group lines by paragraph, in order.
    paragraphs: list[list[int]] = []
    last_key: tuple[int, int, int] | None = None
    for i, line in enumerate(lines):
        key = (line.chapter, line.scene, line.paragraph)
        if key != last_key:
            paragraphs.append([])
            last_key = key
        paragraphs[-1].append(i)

    epithets: dict[str, _Entity] = {}
    listener_sex: Gender | None = None  # of whoever this paragraph's quotes address
    decisions: dict[int, _Decision] = {}
    spoken: list[tuple[_Entity | None, list[_Entity]]] = []  # dialogue paragraphs in order
    unheard: set[int] = set()  # of those, the ones only thought
    salient: list[_Entity] = []  # people active in the scene, most recent last
    weak: set[_Entity] = set()  # of those, people only mentioned, never acting
    history: list[_Entity | None] = []  # speakers of recent dialogue paragraphs in this scene
    open_quote_speaker: _Entity | None = None
    scene_key: tuple[int, int] | None = None
    context: tuple[int, int] | None = None  # the scene whose people are on stage
    reset_for: tuple[int, int] | None = None
    gap = 0  # narration-only paragraphs since the last dialogue paragraph
    addressed: list[_Entity] = []  # people addressed in the current paragraph's speech
    prev_speaker: _Entity | None = None
    lead_subject: _Entity | None = None
    # the one man or woman the sentence before a quote names without either sex acting
    object_lead: dict[Gender, _Entity] = {}
    # the one man or woman the quote's own paragraph names before it, ahead of any "he"/"she"
    named_lead: dict[Gender, _Entity] = {}
    carried_objects: dict[Gender, _Entity] = {}
    # who the paragraph before said, in the narrator's words, had spoken ("Lucy said that …")
    answered_teller: _Entity | None = None
    told_at: Span | None = None  # the words for them
    # this exchange has had an action paragraph leading into its actor's own quote
    # ("Tom chuckled. ¶ '…'"), a writer's habit that a nod or shrug then follows too
    lead_in_beats = False
    carried_lead: _Entity | None = None  # the last person acting in the narration before
    carried_at: Span | None = None  # the words for them there
    # whom the narration before says someone turned to, and the words for them there
    carried_to: tuple[_Entity, Span] | None = None
    acting_before: _Entity | None = None  # the same, kept for the paragraph of the quote
    # the one acting before, when a sentence about no one came after it
    weak_lead_of: _Entity | None = None
    broken_off = False  # the last paragraph's speech broke off for a gesture
    told_on = False  # the last paragraph went on narrating after its last quote
    # the narration paragraph just before, where a description may have come in
    carried_center: tuple[int, int, list[tuple[int, _Entity]]] | None = None
    carried_sex: Gender | None = None  # else the sex of the "he"/"she" acting last there
    unanswered = False  # narration since the last quote said nobody answered it
    sleeping: list[_Entity] = []  # people the narration since the last quote put to sleep
    gone: set[_Entity] = set()  # people who left the scene and have not acted since
    overhearing: _Entity | None = None  # woke to the sound of voices: listening, not talking
    calls_narrator: Counter[_Entity] = Counter()  # names only ever called out to the narrator
    introduced_by: _Subject | None = None  # a narration paragraph ending "… said:"
    # and the people named after its pronoun, with where
    introduced_objects: dict[_Entity, Span] = {}
    last_said = ""  # the previous dialogue paragraph's last quote
    said_before = ""  # while a paragraph's tags are read: the quotes of the one before
    previous_quotes = ""  # and all its quotes
    called_before: list[_Entity] = []  # and the people each of those quotes calls by name
    previous_called: list[_Entity] = []
    scene_start = para_start = 0
    para_end = len(text)  # where the paragraph being read ends
    quoted_until = 0  # where the last quote so far ends

    group: _Entity | None = None

    def get_group() -> _Entity:
        """Everyone present speaking at once: one character, voiced as such."""
        nonlocal group
        if group is None:
            group = _Entity(name=GROUP, group=True)
            names.entities.append(group)
        return group

    touched_at: dict[_Entity, int] = {}  # paragraph number each person last acted in
    mention_end: dict[int, int] = {}  # in the paragraph at hand: where each mention ends

    def mentioned_at(s: int) -> Span:
        """The words of the paragraph's mention that starts at s ("Tom", "her former
        sensei")."""
        return s, mention_end.get(s, s)

    para_no = 0

    def touch(entity: _Entity) -> None:
        touched_at[entity] = para_no
        gone.discard(entity)
        weak.discard(entity)
        if entity in salient:
            salient.remove(entity)
        salient.append(entity)

    def mention(entity: _Entity, at: int) -> None:
        """A person named outside subject position ("my friend, Master John Rolfe, was
        without", "gave Tom the letter") is present, but less salient than whoever acts:
        added only when absent, before this paragraph's subjects are touched."""
        if entity.person and (
            _PERCEIVED.search(text, max(0, at - 12), at)
            or _PASSIVE_AGENT.search(text, max(0, at - 30), at)
        ):
            touch(entity)
        elif entity.person and entity not in salient:
            salient.append(entity)
            weak.add(entity)

    def resolve_pronoun(pron: str) -> _Entity | None:
        p = pron.lower()
        if p == "they" or (p == "we" and not first_person):
            return get_group()
        if p in {"i", "we"}:
            return get_narrator() if p == "i" or first_person else None
        gender = PRONOUN_GENDER.get(p)
        if gender is None:
            return None
        people = [
            e
            for e in reversed(salient)
            if not e.narrator
            and not e.group
            and e not in addressed
            and (e.person or e.epithet)
            and not (e.epithet and (_is_voice(e.name) or _indefinite(e.name)))
        ]
        pool = [e for e in people if e.gender == gender] or [
            e for e in people if e.gender == "unknown"
        ]
        if not pool:
            return None
        if lead_subject is not None and lead_subject in pool:
            return lead_subject
        if object_lead.get(gender) in pool:
            # "… in obedience to the summons of Rose. ¶ 'Now take your tea,' said she"
            return object_lead[gender]
        if named_lead.get(gender) in pool:
            return named_lead[gender]
        if all(e in weak for e in pool) and gender in ("male", "female"):
            # Only people named in passing ("Squire Trelawney, Dr. Livesey, and the rest
            # having asked me …") against a man the text brings in after them: he is
            # the "he" ("the brown old seaman … as he came plodding to the inn door")
            last = max(
                (s for s, _, e in names.in_range(scene_start, para_start) if e in pool),
                default=scene_start,
            )
            if _gendered_introduction(text, last, para_start, gender) or _described_subject(
                text, last, para_start, gender
            ):
                return unnamed(gender, context, para_start)
        if pool[0] in weak:
            # "… her faith in Madame Roux, and she had been told …": the woman the
            # narration only names in passing is not who "she" has been all along
            strong = [e for e in pool if e not in weak]
            if strong:
                return strong[0]
        if (
            len(pool) > 1
            and pool[0] is prev_speaker
            and pool[1] not in weak
            and gap == 0
            # '"My word!" said Hollis, and he went to the door and looked out a long
            # while. ¶ "Rain," he said': the narration after his talk is narration between
            and not told_on
        ):
            # Two people of one gender talking: a new paragraph's "he said" is
            # rarely the one who spoke last (unless narration came between).
            return pool[1]
        return pool[0]

    def described_on_stage(head: str) -> _Entity | None:
        """The latest person on stage known by a description ending in this noun:
        "the man" after "a white man came up the trail"."""
        return next(
            (e for e in reversed(salient) if e.epithet and e.name.lower().split()[-1] == head),
            None,
        )

    def turned_to(start: int, end: int) -> tuple[_Entity, Span] | None:
        """The person a sentence says someone turned to or addressed: in "Tom set down
        his cup and turned to Nell. ¶ '…?'" the question is put to Nell, who answers it;
        and where the words for them are ("Nell", "the little boy")."""
        found = list(_TURNS_TO.finditer(text, start, end))
        if not found:
            return None
        m = found[-1]  # the last: "Tom turned to Nell, then turned to Ann." is to Ann
        who = m.group("who")
        entity: _Entity | None
        at: Span | None
        if who[0].isupper():
            entity, at = next(
                (
                    (e, (s, e_end))
                    for s, e_end, e in names.in_range(m.start("who"), m.end("who"))
                    if s == m.start("who")
                ),
                (None, None),
            )
        else:
            # "the little boy again": the last word for a person on stage
            words = list(re.finditer(r"\S+", who))[1:]
            entity, at = next(
                (
                    (e, (m.start("who"), m.start("who") + w.end()))
                    for w in reversed(words)
                    if (e := described_on_stage(w.group(0))) is not None
                ),
                (None, None),
            )
        if entity is None or at is None or not entity.person or entity.group:
            return None
        return entity, at

    def described_between(actor: re.Match[str] | None, gender: Gender) -> _Entity | None:
        """The relative of someone a beat between two quotes of one paragraph starts
        with, read as a tag giving that description would be: '"I'm off to the fair,"
        said Tom. His father frowned. "You are not," he said.' is the father's, not Tom's
        again. A kinsman is never the one whose kinsman he is; "The young man frowned"
        after "said Tom" may well be Tom, so only a relative counts."""
        if actor is None or not actor.group("poss") or actor.group("kin") not in PERSON_NOUNS:
            return None
        phrase = f"{actor.group('poss').lower()} {actor.group('kin')}"  # "His father's brow"
        if _head_gender(actor.group("kin"), phrase) not in (gender, None):
            return None
        return resolve(_Subject("np", phrase))

    def epithet(name: str) -> _Entity | None:
        name = " ".join(name.split())  # "a pauper old\nwoman": a line break in wrapped text
        words = name.split()
        capitalised = [w for w in words[1:] if w[:1].isupper() and w not in NOT_NAMES]
        if capitalised and words[1][:1].islower():
            # "the poet Syme", "the burly Moze": a description in front of a name
            named = names.lookup(" ".join(capitalised))
            if named is not None:
                return named
        if len(words) > 1 and words[0].lower() == "the" and len(capitalised) == len(words) - 1:
            # "cried the Head Keeper" where the text took "Head Keeper" for a name (two
            # capitalised words always together): the one person it stands for
            household = " ".join(capitalised)
            named = names.lookup(household)
            if named is not None and household in named.forms:
                return named
        key = _epithet_key(name)
        head = key.split()[-1] if key else name.lower()
        if words[0].lower() in ("the", "all") and _plural_description(name):
            # '"I will!" cried the ladies': several people, never one person on stage
            plural = epithets.get(key)
            if plural is None:
                plural = _Entity(name=name, epithet=True, first=para_start)
                plural.label = label_for(name)
                names.entities.append(plural)
                epithets[key] = plural
            plural.forms[name] += 1
            return plural
        # "the ANBU": the work's own word for a kind of person, as "the guard" is
        acronym = head.upper() in names.nouns.words
        # "said the Otter", "the Grey Owl answered": an animal's kind written with capitals
        # is what the story calls that one creature, a title of its own; it never means
        # someone the text calls by name (a named pony is "the old pony", lower case)
        creature = _creature_title(name)
        if key in OTHER_PARTY:
            # "said the other", "his companion replied": the other side of the talk,
            # and never the one whose companion it is
            first = words[0].lower()
            if first.endswith(("'s", "’s")):
                whose = names.lookup(words[0][:-2])  # "Kakashi's companion"
            elif first in ("his", "her"):
                # "Kakashi let out a sigh. ¶ His companion lounged back.": the one acting
                # just before; after talk, the one who spoke last is the "his"
                whose = acting_before
            else:
                whose = None
            for back, candidate in enumerate([*reversed(history), *reversed(salient)]):
                if candidate is None and 0 < back < len(history):
                    # '"Thank you," he said. … ¶ "I'll dry them," she said. ¶ "Leave
                    # it," said her visitor': the other party is the man whose "he said"
                    # nobody on stage fitted, the one not named yet, not the maid
                    unplaced = turns[-1 - back].gender if back < len(turns) else None
                    if unplaced in ("male", "female"):
                        return unnamed(unplaced, context, para_start)
                    return None
                if (
                    candidate is not None
                    and not candidate.group
                    # whose companion: if the text says, anyone else; if not, the one
                    # who did not speak last
                    and candidate is not (whose or prev_speaker)
                    and candidate not in addressed
                ):
                    return candidate
            return None
        if name.lower().startswith("that ") and _head_gender(head) is not None:
            # "'… don't you, Good?' ¶ 'Rather,' said that gentleman": the person the
            # quote before named, answering
            for candidate in reversed(
                _vocatives(said_before, names) + _mentions(said_before, names)
            ):
                if (
                    candidate is not prev_speaker
                    and candidate not in addressed
                    and candidate.gender in (_head_gender(head), "unknown")
                ):
                    return candidate
        entity = epithets.get(key)
        if entity is None and _PARTITIVE_RE.match(name) and _SUPERLATIVE_OF.match(name):
            # "queried the youngest of the gang": someone picked out of a group, so one
            # person of that sex in view, or "a gang" brought in, is no sign of who
            return new_epithet(name, key, _sex_in_tag(text, para_start, name))
        definite = name.lower().startswith(("the ", "his ", "her ", "their "))
        if (
            entity is None
            and name.lower().startswith("the ")
            and head not in EPITHET_GENDER
            and head not in _GENERIC_HEADS
        ):
            described = names.described(head)
            if described is not None:
                return described  # "answered the artist": "the artist himself, Basil Hallward"
        if entity is None and definite and head in RANK_TITLES:
            titled = [e for e in names.entities if not e.epithet and head in _titles_of(e)]
            if len(titled) > 1:
                # two sergeants in the book: the one most recently in this scene
                titled = [e for e in reversed(salient) if e in titled][:1]
            if len(titled) == 1:
                return titled[0]  # "the doctor" is Dr. Archie
        if entity is None and name.lower().startswith(("my ", "our ", "his ", "her ")):
            # "said my brother" where the narration has "my brother Robert": the one name
            # the text sets right after the same words
            named = names.followed_by_name(name)
            if named is not None:
                return named
        if entity is None and name.lower().startswith(("his ", "her ")) and head in KIN:
            # "his wife" while Mr. Bennet talks is Mrs. Bennet
            kin = _kin(head, name.split()[0].lower(), salient, weak, names)
            if kin is not None:
                return kin
        intro = (
            _introduction(text, scene_start, para_start, head.upper() if acronym else head)
            if entity is None and definite
            else None
        )
        if entity is None and intro is None and name.lower().startswith("the "):
            # "'George, persuade them!' ¶ 'It's so obvious,' said the son": the one the
            # quote before called by name answers, though the narration never named him
            sex = _head_gender(head)
            called = [
                e
                for e in called_before
                if sex is not None
                and gap == 0  # right after it: no narration between has moved on
                and e is not prev_speaker
                and e not in addressed
                and not e.epithet
                and not e.narrator
                and e.gender in (sex, "unknown")
            ]
            if len(called) == 1:
                epithets[key] = called[0]
                return called[0]
        if intro is None and entity is None and definite and head in _GENERIC_HEADS:
            # "a small boy came walking along the path … ¶ 'I'm an American boy,' said
            # the child": a word for anyone is whoever the scene last brought in
            intro = _latest_introduction(text, scene_start, para_start)
        if entity is None and intro is None and definite and head in _SEEN_VOICE_HEADS:
            # '"Wake up there, youngster," said a rough voice. … ¶ "Wake up!" said the
            # man': nobody was brought in as "a man", so the man is the voice now seen
            gender = _head_gender(head)
            for candidate in (prev_speaker, history[-2] if len(history) > 1 else None):
                if (
                    candidate is not None
                    and candidate.epithet
                    and _is_voice(candidate.name)
                    and candidate not in addressed
                    and candidate.gender in (gender, "unknown")
                ):
                    epithets[key] = candidate
                    return candidate
        if (
            entity is None
            and intro is None
            and definite
            and head not in ROLE_NOUNS
            and not acronym
            and not creature
            # "the Warden" holds an office: only mid-talk is it the one other person there
            and (prev_speaker is not None or not name.split()[-1][:1].isupper())
        ):
            # "said his step-son", "the blonde replied": a description of someone
            # already in the scene when exactly one person there fits it.
            gender = _head_gender(head) or _sex_in_tag(text, para_start, name)
            fitting = [
                e
                for e in reversed(salient)
                if not e.epithet
                and not e.narrator
                and not e.group
                and e.person
                and e not in addressed
                and (gender is None or e.gender == gender)
                and e not in weak  # named in passing: absent
            ]
            owner_sex = {"his": "male", "her": "female"}.get(words[0].lower())
            if owner_sex is not None and owner_sex == gender and len(fitting) == 1:
                # "His father frowned" with Tom the one man here: Tom is the "his", and
                # a man is never his own father; the father is someone not named yet
                fitting = []
            # "Cameron … kept pace with the prospector. ¶ 'Dig here,' said the
            # prospector": a sentence that names someone beside the description as
            # another participant says the description is not them
            apart = _set_apart(text, names, scene_start, para_start, name, fitting, quoted)
            fitting = [e for e in fitting if e not in apart]
            if apart and not fitting:
                # then the one described stranger who has spoken in this scene
                strangers = [
                    e
                    for e in salient
                    if e.epithet
                    and e.lines_here > 0
                    and not e.group
                    and not _is_voice(e.name)
                    and not _indefinite(e.name)
                    and not _plural_description(e.name)
                    and e not in addressed
                    and (gender is None or e.gender == gender)
                ]
                if len(strangers) == 1:
                    return strangers[0]
            present = [e for e in fitting if e is not prev_speaker]
            if not present and gap > 0:
                # "I, too, can help," said Curtis. … ¶ "Florence," said her cousin: after
                # narration, the last speaker may well be the one described
                present = fitting
            if len(present) == 1 and present[0].gender != listener_sex:
                return present[0]
            if head in KIN:
                # "said the mother" with Mrs. Morel and her daughter in the scene: the
                # one whose title a mother's name takes
                kin_titles = {_TITLE_ALIASES.get(t, t) for t in KIN[head]}
                titled = [e for e in present if _titles_of(e) & kin_titles]
                if len(titled) == 1 and titled[0].gender != listener_sex:
                    return titled[0]
            # of several people in the scene, the one other person in the last few
            # paragraphs ("the Hyuuga" while Sakura talks to Hinata at a crowded party)
            recent = [e for e in present if touched_at.get(e, -9) >= para_no - RECENT_PARAGRAPHS]
            if len(recent) == 1 and recent[0].gender != listener_sex:
                return recent[0]
        if entity is None and intro is not None:
            # "Ned Rowe, though a quiet man, was stubborn … ¶ 'No!' said the dying
            # man": the description that brought him in was set beside his name
            beside = _appositive_owner(text, scene_start, para_start, intro, para_end)
            named = names.lookup(beside) if beside is not None else None
            if (
                named is not None
                and named.person
                and not named.group
                and not named.narrator
                and _head_gender(head) in (None, named.gender)
            ):
                epithets[key] = named
                named.forms[name] += 1
                return named
        if entity is None and not name.lower().startswith(("a ", "an ", "another", "one ")):
            # "the man" after "a white man": the same person when the head matches (but
            # "one of the colts" is not "the oldest of the colts" already on stage)
            entity = described_on_stage(head)
        if entity is None and intro is None and definite and head in _OTHER_HEADS:
            # "the old lady" after "I faced a cheery-looking elderly woman", "the lad"
            # after "a youth came along the lane": two words for the one person the
            # scene brought in; the latest such introduction
            latest = -1
            for other in _OTHER_HEADS[head]:
                found = _introduction(text, scene_start, para_start, other)
                at = text.rfind(found.split()[-1], scene_start, para_start) if found else -1
                if found is not None and at > latest:
                    intro, latest = found, at
        if entity is None and intro is None and definite and head in _PLAIN_HEADS:
            # "said a young officer" … "said the young man": a plain word for a person
            # with the same telling adjective is the one the scene brought in
            intro = _introduction_sharing(
                text, scene_start, para_start, key.split()[:-1], _head_gender(head)
            )
        if entity is None and intro is not None:
            owner = _relative_owner(text, scene_start, para_start, head)
            if owner is not None:
                # "asked the man, who was a porter …" ¶ "said the porter": the man
                entity = (
                    epithets.get(_epithet_key(owner))
                    if owner[:1].islower()
                    else names.lookup(owner)
                )
        if entity is None and intro is not None:
            # "said the man" after "a white man came up the trail": the introduction
            # is the fuller description of the same person.
            entity = epithets.get(_epithet_key(intro))
            if entity is None:
                entity = _Entity(name=intro, epithet=True, first=para_start)
                entity.label = label_for(intro)
                names.entities.append(entity)
                entity.forms[intro] += 1
                epithets[_epithet_key(intro)] = entity
                gender = _head_gender(head, intro) or _head_gender(intro.split()[-1], intro)
                if gender:
                    entity.fixed_gender = gender
        if entity is None:
            gender = _head_gender(head, name) or _sex_in_tag(text, para_start, name)
            return new_epithet(name, key, gender)
        epithets[key] = entity
        entity.forms[name] += 1
        return entity

    scene_bounds = sorted(scene.start for chapter in work.chapters for scene in chapter.scenes)

    def label_for(name: str, at: int | None = None) -> str | None:
        """What to show for someone new known as NAME, named in the paragraph being read
        (or, with ``at``, by narration before ``at``): see _description_label. Only this
        scene's words count: after a break "the old man" may be anyone."""
        here, until = (para_start, para_end) if at is None else (at, at)
        k = bisect_right(scene_bounds, here) - 1
        return _description_label(
            text, name, scene_bounds[k] if k >= 0 else 0, here, until, quoted, person_named
        )

    def person_named(start: int, end: int) -> bool:
        return any(e.person and not e.epithet for _, _, e in names.in_range(start, end))

    def new_epithet(name: str, key: str, gender: Gender | None) -> _Entity:
        """Someone new known only by a description ("the youngest of the gang"), of the
        sex the text gives them, if any."""
        entity = _Entity(name=name, epithet=True, first=para_start)
        entity.label = label_for(name)
        if gender:
            entity.fixed_gender = gender
        names.entities.append(entity)
        epithets[key] = entity
        entity.forms[name] += 1
        return entity

    def described_center(
        span: tuple[int, int, list[tuple[int, _Entity]]], sex: Gender
    ) -> tuple[str, bool, bool, Span | None] | None:
        """For a "he" (or "she"): the description the narration in a span ends on,
        whether a pronoun went on with it (see _description_center), whether a clause
        picks them out ("the first man who came in"), and where it is."""
        start, end, mentions = span
        subjects = [s for s, e in mentions if e.person and _is_subject(text, s)]
        center = _description_center(text, start, end, sex, subjects, names.nouns)
        if center is None or _plural_description(center[1]):
            return None
        pos, phrase, chained = center
        words = re.compile(r"\s+".join(map(re.escape, phrase.split())), re.IGNORECASE).match(
            text, pos
        )
        picked = words is not None and _PICKED_OUT.match(text, words.end()) is not None
        det = phrase.split(" ", 1)[0]  # lower-cased there: "The woman" -> "the woman"
        return (
            phrase,
            chained,
            picked,
            _phrase_span(text, pos, text[pos : pos + len(det)] + phrase[len(det) :]),
        )

    def described_person(
        center: tuple[str, bool, bool, Span | None], sex: Gender
    ) -> _Entity | None:
        """The person a description found by described_center is, if they may be a
        "he" (or "she"): "the doctor" only when a "he" went on with him."""
        phrase = center[0]
        head = phrase.split()[-1].lower()
        entity: _Entity | None
        named_here = any(
            not e.epithet and not e.narrator and e.person and e.gender == sex and e not in weak
            for e in salient
        )
        if center[2] and phrase.startswith("the ") and _epithet_key(phrase) not in epithets:
            # "The first man who came in was a large officer. He looked tired.": the
            # clause picks out someone of this moment, not the man the scene had before
            entity = _Entity(name=phrase, epithet=True, first=para_start, picked_out=True)
            entity.label = label_for(phrase)
            entity.forms[phrase] += 1
            gender = _head_gender(head, phrase)
            if gender:
                entity.fixed_gender = gender
            names.entities.append(entity)
            epithets[_epithet_key(phrase)] = entity
        elif phrase.startswith(("a ", "an ")) or head in _NEWCOMER_WORDS or not named_here:
            # "a shabby little man", "our visitor", or "the nurse" where no woman is
            # named: someone new, or the description the scene knows them by
            entity = epithet(phrase)
        else:
            # "the clergyman" where a parson is named is someone already there, by that
            # description or by the "a …" that brought them in, or else the named man
            # it stands for: not a new person made of the description
            entity = epithets.get(_epithet_key(phrase)) or described_on_stage(head)
            # "the dying Sentinel" looks back for "a … Sentinel", capital and all
            intro = (
                _introduction(text, scene_start, para_start, phrase.split()[-1])
                if entity is None
                else None
            )
            if intro is not None:
                entity = epithet(intro)
        if (
            entity is None
            or entity.group
            or entity.narrator
            or not (entity.gender == sex or (center[1] and _may_be(entity, sex)))
        ):
            return None
        return entity

    def introduction_of(line: Line) -> tuple[_Subject | None, dict[_Entity, Span]]:
        """Who a paragraph's last narration line hands the next quote to, and the
        people it names after a pronoun subject (listeners, not the speaker)."""
        introduced = _introduces_quote(line.text, names.nouns)
        if introduced is not None:
            introduced = introduced.shifted(line.start)
        if introduced is None or introduced.kind != "pron":
            return introduced, {}
        # "He beckoned Kronborg into the living-room and said sternly:": a name in
        # the pronoun's own sentence is not who the pronoun means
        stops = [m.end() for m in _SENTENCE_STOP.finditer(line.text)]
        intro_from = line.start + (stops[-1] if stops else 0)
        # only after the pronoun: in "Tom came in, and he said:" Tom is the "he"
        pronoun_at = re.compile(rf"\b{re.escape(introduced.text)}\b").search(
            text, intro_from, line.end
        )
        intro_from = pronoun_at.end() if pronoun_at else line.end
        objects: dict[_Entity, Span] = {}
        for s, end, e in names.in_range(intro_from, line.end):
            if e.person:
                objects.setdefault(e, (s, end))
        return introduced, objects

    chapter_starts = {chapter.index: chapter.start for chapter in work.chapters}
    quote_spans = [(line.start, line.end) for line in lines if line.kind == "dialogue"]
    quote_starts = [start for start, _ in quote_spans]

    def quoted(at: int) -> bool:
        k = bisect_right(quote_starts, at) - 1
        return k >= 0 and quote_spans[k][0] <= at < quote_spans[k][1]

    def unnamed(gender: Gender, scene: tuple[int, int] | None, at: int) -> _Entity:
        """ "she said" with no woman on stage: someone not named yet, called by the phrase
        that brought them in ("a tall man in a wet coat": "a tall man", shown with its "in a
        wet coat"). One per chapter; a later self-introduction ("My name is Sakura") renames them."""
        key = f"the {'woman' if gender == 'female' else 'man'} {scene[0] if scene else 0}"
        entity = epithets.get(key)
        if entity is None:
            lo = chapter_starts.get(scene[0], 0) if scene else 0
            intro = _gendered_introduction(text, max(lo, at - 6000), at, gender)
            possessed = _possessed_subject(text, max(lo, at - 6000), at, gender, quoted)
            if possessed is not None and not (
                _gendered_introduction(text, possessed[0], at, gender)
                or _described_subject(text, possessed[0], at, gender)
            ):
                intro = possessed[1]  # "my mother whinnied to me … and then she said:"
            if intro is None:
                # "The old lady pulled her spectacles down …": the description is the
                # name she has until the narration gives her one
                intro = _described_subject(text, max(lo, at - 6000), at, gender)
            if intro is not None:
                entity = epithets.get(_epithet_key(intro))
                if entity is None:
                    entity = _Entity(name=intro, epithet=True, fixed_gender=gender)
                    entity.label = label_for(intro, at)
                    entity.forms[intro] += 1
                    names.entities.append(entity)
                    epithets[_epithet_key(intro)] = entity
                epithets[key] = entity
                return entity
            label = "the woman" if gender == "female" else "the man"
            entity = _Entity(name=label, epithet=True, fixed_gender=gender)
            entity.forms[label] += 1
            names.entities.append(entity)
            epithets[key] = entity
        return entity

    def spoken_to_before(at: int, gender: Gender) -> tuple[_Entity, Span] | None:
        """The one a narrated "I" spoke to in the sentence just before a "he said" (or
        "she said") at `at`, since the last quote, and the words for them there: "I asked
        the old porter the way. ¶ 'Left,' he said" is the porter's answer. None when that
        sentence says no such thing or the description is of the other sex."""
        k = bisect_left(quote_starts, at) - 1
        lo = max(scene_start, quote_spans[k][1] if k >= 0 else 0)
        spoken = _spoken_to(text, _last_sentence_start(text, lo, at), at, names.nouns.words)
        if spoken is None:
            return None
        span, phrase = spoken
        if _replier_sex(text, phrase, span[1]) == _OPPOSITE[gender]:
            return None
        entity = epithet(phrase)
        if entity is None or entity.group or entity.narrator:
            return None
        if entity.gender == "unknown" and entity.epithet:
            entity.fixed_gender = gender  # "our porter … 'Left,' he said": a man
        return (entity, span) if entity.gender == gender else None

    def resolve(subject: _Subject, create: bool = True) -> _Entity | None:
        if subject.kind == "pron":
            return resolve_pronoun(subject.text)
        if subject.kind == "np":
            return epithet(subject.text)
        entity = names.lookup(subject.text)
        if entity is None and subject.text in _WORD_SURNAMES:
            return None  # "Good" is only a name when the text has someone called Good
        if entity is None:
            words = [w for w in subject.text.split() if w not in NOT_NAMES]
            for word in ((words[-1:] + words[:1]) if create else words[:1]) if words else []:
                entity = names.lookup(word)
                if entity is not None:
                    break
        if entity is None and not create:
            return None
        if entity is None:
            # A speech-tag subject is a person even when discovery missed the name.
            entity = _Entity(name=_clean(subject.text))
            names.entities.append(entity)
            names.by_key[_key(_clean(subject.text))] = entity
        entity.speech += 1
        entity.forms[_clean(subject.text)] += 0
        return entity

    def departures(start: int, end: int) -> None:
        """ "Concluding thus, the parson rode on his way": who leaves, by name or by a
        description a tag has already given them. A pronoun is not trusted here."""
        found = list(_DEPARTS.finditer(text, start, end))
        if text.find("before", start, end) >= 0:
            found += _DEPARTS_BEFORE.finditer(text, start, end)
        for m in found:
            if m.group("name"):
                who = names.lookup(_POSSESSIVE.sub("", m.group("name")))
            else:
                phrase = " ".join(m.group("np").split()).lower()
                head = phrase.split()[-1]
                titled = [e for e in salient if head in _titles_of(e)]  # "the parson"
                who = (
                    epithets.get(_epithet_key(phrase))
                    or described_on_stage(head)
                    or (titled[0] if len(titled) == 1 else None)
                )
            if who is not None and (who.person or who in history) and not who.group:
                # off stage until they act again, as after "left the room": no longer
                # the one person a description on stage could mean
                if who in salient:
                    salient.remove(who)
                salient.insert(0, who)
                weak.add(who)
                gone.add(who)

    # Pass 1: per dialogue paragraph ("turn"), the evidence found in it. Names and
    # descriptions in tags, same-paragraph beats by a named person and speech run
    # on from an open quote are anchors; pronoun tags and beats only give a gender.
    turns: list[_Turn] = []
    bare_turn: _Turn | None = None  # the last turn, when its quote stands alone untold
    narrated = {
        e
        for line in lines
        if line.kind == "narration"
        for _, _, e in names.in_range(line.start, line.end)
    }
    chapter_speakers: list[_Entity] = []  # who has spoken in this chapter, latest last
    # where the text last named each person in its narration or gave them a quote, up
    # to the paragraph at hand (see _Turn.recent), and the previous paragraph's names
    named_at: dict[_Entity, int] = {}
    narration_mentions: list[tuple[int, _Entity]] = []
    chapter = 0
    for para in paragraphs:
        para_no += 1
        for s, entity in narration_mentions:
            named_at[entity] = s
        first = lines[para[0]]
        if first.chapter != chapter:
            chapter, chapter_speakers = first.chapter, []
        if (first.chapter, first.scene) != scene_key:
            opening = _CONTINUED_SCENE.match(text, first.start)
            continued = (
                scene_key is not None
                and scene_key[0] == first.chapter
                and opening is not None
                and not names.in_range(first.start, opening.end())
            )
            scene_key = (first.chapter, first.scene)
            if not continued:
                # "She couldn't quite meet his gaze.": a scene that opens on pronouns alone
                # goes on with the people of the one before
                context = scene_key
        if context != reset_for:
            reset_for = context
            scene_start = first.start
            history = []
            for entity in salient:
                entity.lines_here = 0
            salient = []
            weak = set()
            open_quote_speaker = None
            gap = CONVERSATION_GAP
            lead_in_beats = False
            bare_turn = None
            carried_lead = None
            carried_center = None
            introduced_by = None
            unanswered = False
            sleeping = []
            gone = set()
            overhearing = None
        p_start, p_end = first.start, lines[para[-1]].end
        para_start, para_end = p_start, p_end
        named_lead = {}
        dialogue = [i for i in para if lines[i].kind == "dialogue"]
        # "… from you all, miss," sobbed the attendant: the sex of whoever the quotes
        # here call "miss" or "sir", who is listening, not speaking
        listener_sex = (
            _address_gender(" ".join(lines[i].text for i in dialogue)) if dialogue else None
        )
        mentions = names.in_range(p_start, p_end)
        epithet_actor: tuple[int, _Entity] | None = None  # "The doctor bent down."
        epithet_end = 0  # where its description ends
        narration_mentions = [
            (s, e)
            for s, _, e in mentions
            if any(
                lines[i].kind == "narration" and lines[i].start <= s < lines[i].end for i in para
            )
        ]
        mention_end = {s: end for s, end, _ in mentions}  # see mentioned_at
        for i in para:
            if lines[i].kind == "narration":
                for m in _ROLE_REFERENCE.finditer(text, lines[i].start, lines[i].end):
                    holder = names.role_holder(m.group("role").lower())
                    if holder is not None and holder.person:
                        # "Her former sensei offered …": Kakashi-sensei, acting
                        narration_mentions.append((m.start(), holder))
                        mention_end.setdefault(m.start(), m.end())

        narration_mentions.sort(key=lambda pair: pair[0])
        for i in para:
            if lines[i].kind == "narration":
                for m in names.nouns.person_np.finditer(lines[i].text):
                    if not _subject_position(text, lines[i].start + m.start()) and not (
                        # "By the window sat an elderly man": brought in all the same
                        m.group(0).split()[0].lower() in {"a", "an"}
                        and _INVERTED_ENTRY.search(lines[i].text, max(0, m.start() - 30), m.start())
                    ):
                        continue
                    if _ROLE_AS.search(lines[i].text, 0, m.start()):
                        continue  # "claiming him as a fellow countryman": a role, not someone new
                    phrase = m.group(0)
                    if phrase.split()[0].lower() in {"a", "an"}:
                        if _GENERIC_MODAL.match(lines[i].text, m.end()) or _generic(
                            lines[i].text, m.start(), m.end()
                        ):
                            # "A woman should some day write …", "When a girl leaves her
                            # home at eighteen, she …": anyone, not someone
                            continue
                        introduced = epithets.get(_epithet_key(phrase)) or epithet(phrase)
                        if introduced is not None:
                            touch(introduced)
                    else:
                        candidate = described_on_stage(phrase.split()[-1].lower())
                        if candidate is not None:
                            touch(candidate)
                            s = lines[i].start + m.start()
                            if _EPITHET_ACTS.match(text, lines[i].start + m.end()):
                                epithet_actor = (s, candidate)
                                epithet_end = lines[i].start + m.end()
                for m in _OWN_RELATION.finditer(lines[i].text):
                    # "My aunt turned to the vicar. ¶ '…'": the narrator's aunt, known by
                    # that description since a tag ("said my aunt"), acts as a name would
                    known_as = epithets.get(_epithet_key(m.group(0)))
                    s = lines[i].start + m.start()
                    if (
                        known_as is not None
                        and known_as.person
                        and not known_as.group
                        and _subject_position(text, s)
                        and _EPITHET_ACTS.match(text, lines[i].start + m.end())
                    ):
                        touch(known_as)
                        if epithet_actor is None or epithet_actor[0] < s:
                            epithet_actor = (s, known_as)
                            epithet_end = lines[i].start + m.end()
        if not dialogue:
            if bare_turn is not None and gap == 0 and bare_turn.scene == context:
                revealed = _revealed_speaker(text, p_start, p_end, resolve, names)
                if revealed is not None and revealed[0] not in bare_turn.addressed:
                    bare_turn.speaker, bare_turn.anchor = revealed[0], True
                    bare_turn.rule = "beat"
                    bare_turn.evidence = revealed[1]  # "Roland Pike" of "the voice of Roland Pike"
                    bare_turn.gender = None
            bare_turn = None
            carried_lead, lead_at = None, -1  # only the paragraph just before a quote counts
            answered_teller = None
            weak_lead_of = None
            introduced_by, introduced_objects = introduction_of(lines[para[-1]])
            for s, entity in narration_mentions:
                if not _is_subject(text, s):
                    mention(entity, s)
            for s, entity in narration_mentions:
                if _is_subject(text, s) and entity.person:
                    if _hypothetical(text, s) or _said_before(text, s):
                        # "Ino would've laughed", "But Ino had warned her …": talked
                        # about, not here
                        if entity not in salient:
                            salient.insert(0, entity)
                            weak.add(entity)
                    else:
                        touch(entity)
                if entity.person and _is_subject(text, s) and _LEAVES.match(text, s):
                    # "John Linden … left the room": off stage until he acts again
                    if entity in salient:
                        salient.remove(entity)
                    salient.insert(0, entity)
                    weak.add(entity)
                    continue
                if (
                    entity.person
                    and _acting(text, s)
                    and _still_acting(text, s, p_end, past_no_one=True)
                    and not _SILENT.search(text, s, p_end)
                ):
                    # The last person acting in narration just before a quote is who a
                    # following "he said" (or an untagged quote) most likely belongs to;
                    # less surely with a sentence about nothing in particular between.
                    carried_lead, lead_at, carried_at = entity, s, mentioned_at(s)
                    weak_lead_of = None if _still_acting(text, s, p_end) else entity
            if carried_lead is None:
                actors = [(s, e) for s, e in narration_mentions if e.person and _acting(text, s)]
                if actors and _pronoun_chain(
                    text, *actors[-1], p_end, narration_mentions, names.nouns
                ):
                    # "But Tom did not wait. As he went out at the door he said: ¶ '…'"
                    carried_lead, lead_at = actors[-1][1], actors[-1][0]
                    carried_at = mentioned_at(lead_at)
            if epithet_actor is not None and _still_acting(text, epithet_actor[0], p_end):
                # "She shook her head. The doctor bent down. ¶ 'Let me take him.'"
                carried_lead, lead_at = epithet_actor[1], epithet_actor[0]
                carried_at = (lead_at, epithet_end)
            # "A stout little man stopped at the gate. He lifted his hat. ¶ '…,' he
            # said": the stranger the last sentences are about, not a man named before
            carried_center = (p_start, p_end, narration_mentions)
            if carried_lead is None and p_end - p_start <= SHORT_BEAT:
                pronoun_beat = _PRONOUN_BEAT.match(text, p_start, p_end)
                if pronoun_beat is not None:
                    lead_gender = PRONOUN_GENDER[pronoun_beat.group("pron").lower()]
                    others = {
                        PRONOUN_GENDER[w.lower()]
                        for w in _GENDER_WORD.findall(text, p_start, p_end)
                    }
                    same = [
                        e
                        for e in salient
                        if e.person
                        and not e.group
                        and not e.narrator
                        and e not in weak
                        and e.gender == lead_gender
                    ]
                    if others == {lead_gender} and len(same) == 1:
                        # "Now she was ready. ¶ 'Your mamma is quite well.'": the one woman
                        # in the scene, readying herself, speaks next
                        carried_lead, lead_at = same[0], pronoun_beat.start("pron")
                        carried_at = pronoun_beat.span("pron")
            carried_sex = None
            last_sentence = _last_sentence_start(text, p_start, p_end)
            if carried_lead is None:
                acts = _PRONOUN_BEAT.match(text, last_sentence, p_end)
                if acts is not None:
                    # "… she turned just in time to seize a small boy. ¶ 'There!'"
                    carried_sex = PRONOUN_GENDER[acts.group("pron").lower()]
                else:
                    # "… Green eyes bright with unshed tears looked up at him. ¶ 'Why?'"
                    carried_sex = _feature_beat_sex(
                        text[last_sentence:p_end].strip(), features, resolve
                    )
            # "He takes her hand and leads her wordlessly into the shadows. ¶ 'Where are
            # we going?'", "He … watched curiously as a series of expressions crossed her
            # face. ¶ 'I was beginning to think …'": he says nothing; the one he acts on
            # or watches speaks next
            mute = carried_lead.gender if carried_lead is not None else carried_sex
            watching = _WATCHES_OTHER.match(text[last_sentence:p_end].strip())
            if mute in ("male", "female") and (
                _WORDLESS.search(text, last_sentence, p_end)
                or (watching is not None and not watching.group("name"))
            ):
                acted_sex = _OPPOSITE[mute]
                whom = r"\bher\b" if acted_sex == "female" else r"\bhim\b"
                acted_word = re.search(whom, text[last_sentence:p_end])
                if acted_word is not None:
                    acted_on = resolve_pronoun("she" if acted_sex == "female" else "he")
                    if acted_on is not None and acted_on.gender == acted_sex:
                        carried_lead, carried_sex, lead_at = acted_on, None, last_sentence
                        # the "her" he takes by the hand
                        carried_at = _group_span(acted_word, 0, last_sentence)
                    else:
                        carried_lead, carried_sex = None, acted_sex
            if first_person:
                for m in _I_ACTS.finditer(text, p_start, p_end):
                    if m.start() > lead_at and _still_acting(text, m.start(), p_end):
                        # "… such a ring in his voice that I glanced up. ¶ 'How can you…?'"
                        carried_lead, lead_at = get_narrator(), m.start()
                        carried_at = (m.start(), m.start() + 1)  # "I"
            carried_objects = _only_objects(text, last_sentence, p_end, names)
            carried_to = turned_to(last_sentence, p_end)
            heard = _HEARD_SPEAK.search(text, last_sentence, p_end)
            if heard is not None:
                # "He heard her speak. ¶ '…'", "He heard Henrietta Watkin's voice. ¶ '…'":
                # the one heard is speaking; the hearer is listening
                name = heard.group("name") or heard.group("name2")
                if name is not None:
                    voice = names.lookup(_POSSESSIVE.sub("", name))
                else:
                    pron = heard.group("pron") or heard.group("poss")
                    voice = resolve_pronoun("she" if pron == "her" else "he")
                if voice is not None and not voice.group:
                    carried_lead, lead_at = voice, heard.start()
                    heard_as = next(
                        g for g in ("name", "name2", "pron", "poss") if heard.group(g) is not None
                    )
                    carried_at = heard.span(heard_as)
            blurted = _WORDS_LEFT.search(text, last_sentence, p_end)
            if blurted is not None:
                # "… the words left Sakura before she could even think. ¶ '…'": hers
                pron = blurted.group("pron")
                if pron is not None:
                    speaker = resolve_pronoun("she" if pron.lower() == "her" else "he")
                else:
                    speaker = names.lookup(_POSSESSIVE.sub("", blurted.group("name")))
                if speaker is not None and speaker.person and not speaker.group:
                    carried_lead, lead_at = speaker, blurted.start()
                    carried_at = blurted.span("pron" if pron is not None else "name")
                    if pron is None and (owner := _POSSESSIVE.search(blurted["name"])):
                        carried_at = (carried_at[0], carried_at[1] - len(owner[0]))  # "Sakura"
            told_sentence = text[last_sentence:p_end]
            reported = _REPORTED_SPEECH.match(told_sentence.strip())
            if reported is not None:
                # "Lucy mumbled that they seemed odd people.": her turn, told indirectly
                pron = reported.group("pron")
                if pron is not None:
                    teller = resolve_pronoun(pron) if pron != "I" or first_person else None
                else:
                    teller = names.lookup(reported.group("name"))
                if teller is not None and teller.person and not teller.group:
                    carried_lead, answered_teller = None, teller
                    told_from = last_sentence + len(told_sentence) - len(told_sentence.lstrip())
                    told_at = _group_span(reported, "pron" if pron else "name", told_from)
            gesture = _GESTURE_ANSWER.match(told_sentence.strip())
            if (
                gesture is not None
                and gap == 0
                and not lead_in_beats
                and last_said.rstrip(" \"”’'").endswith("?")
            ):
                # '"Is it far?" ¶ Tom shrugged. ¶ "Then we walk."': the shrug answers
                # the question, so the quote after it is the asker's again; had Tom gone
                # on to speak, his words would sit in the shrug's own paragraph
                pron = gesture.group("pron")
                if pron is not None:
                    answerer = resolve_pronoun(pron.lower())
                else:
                    answerer = names.lookup(gesture.group("name"))
                if (
                    answerer is not None
                    and answerer.person
                    and not answerer.group
                    and answerer is not (history[-1] if history else None)
                ):
                    carried_lead, answered_teller = None, answerer
                    told_from = last_sentence + len(told_sentence) - len(told_sentence.lstrip())
                    told_at = _group_span(gesture, "pron" if pron else "name", told_from)
            if gap == 0 and turns and turns[-1].scene == context:
                # '"You should write to her." ¶ Col leaned on his broom. He said
                # nothing.': who says nothing right after a quote is the one it was said
                # to, not its speaker (nor the one to answer it)
                last = turns[-1]
                for m in _SAID_NOTHING.finditer(text, p_start, p_end):
                    pron = m.group("pron")
                    silent = resolve_pronoun(pron) if pron else names.lookup(m.group("name"))
                    if (
                        silent is not None
                        and silent.person
                        and not silent.group
                        and not (last.anchor and last.speaker is silent)
                        and silent not in last.addressed
                    ):
                        # new lists: the turn's list is still the running ``addressed``
                        last.addressed = [*last.addressed, silent]
                        last.bystanders = [*last.bystanders, silent]
                # '"Hold the lamp higher." ¶ Ned did so.': who does what a quote bade right
                # after it is the one it was said to, as one who says nothing is (though
                # he may well answer next)
                obeyed = _COMPLIED.match(text, p_start)
                doer: _Entity | None = None
                if obeyed is not None and obeyed.group("name"):
                    doer = names.lookup(obeyed.group("name"))
                elif obeyed is not None and (obeyed.group("pron") != "I" or first_person):
                    doer = resolve_pronoun(obeyed.group("pron"))
                if doer is not None and (doer.group or not (doer.person or doer.narrator)):
                    doer = None
                if (
                    doer is not None
                    and obeyed is not None
                    and obeyed.group("pron") in (None, "I")
                    and last.anchor
                    and last.speaker is doer
                    and last.rule == "beat-before"
                ):
                    # '"Fetch the lamp." ¶ I crossed the room. ¶ "Now hold it higher." ¶
                    # I did so.': the one acting just before the quote was told to, so did
                    # not say it (a "he" might be either man: a name or the "I" telling
                    # the story cannot)
                    last.speaker, last.anchor, last.rule, last.evidence = None, False, None, None
                if (
                    doer is not None
                    and not (last.anchor and last.speaker is doer)
                    and doer not in last.addressed
                ):
                    last.addressed = [*last.addressed, doer]
            gap += 1
            if _TIME_SKIP.match(text, p_start):
                gap = max(gap, CONVERSATION_GAP)  # "Half an hour later found them …"
            unanswered = unanswered or bool(_NO_ANSWER.search(text, p_start, p_end))
            departures(p_start, p_end)
            for m in _ASLEEP.finditer(text, p_start, p_end):
                # "… and watched him succumb to sleep.", "Orrin rolled onto his side and
                # drifted off to sleep.": the sleeper is not the next to speak
                if re.search(r"\bas\s+(?:if|though)\b|pretend|feign", m.group(0)):
                    continue  # "tried to lie quiet as if asleep"
                who = m.group("pron")
                if who is None:
                    sleeper = names.lookup(m.group("name"))
                else:
                    sex: Gender = "male" if who.lower() in ("he", "him") else "female"
                    if _gendered_introduction(text, p_start, m.start(), sex):
                        continue  # "a little boy … soothe him to sleep": the boy, not anyone here
                    sleeper = resolve_pronoun("he" if sex == "male" else "she")
                if sleeper is not None and sleeper.person and sleeper not in sleeping:
                    sleeping.append(sleeper)
            hears = _OVERHEARS.search(text, p_start, p_end)
            if hears is not None:
                who = hears.group("who")
                if who.lower() in ("he", "she"):
                    overhearing = resolve_pronoun(who)
                elif who not in NOT_NAMES:
                    overhearing = names.lookup(who)
            open_quote_speaker = None
            continue
        if gap >= CONVERSATION_GAP:
            lead_in_beats = False  # a new exchange; its writer's habits are read afresh
        prev_speaker = history[-1] if history else None

        # Whoever a quote addresses by name is not its speaker.
        quote_text = " ".join(lines[i].text for i in dialogue)
        asked_name = last_said.rstrip(" \"”’'").endswith("?") and bool(
            re.search(r"\bname\b|^\W*who\b", last_said, re.IGNORECASE)
        )
        called_in_quotes = _vocatives_at(quote_text, names, asked_name)
        addressed = list(called_in_quotes)
        # "isn't it odd, mamma?": said to the one the narrator calls "my mother"
        parents = [e for e in _parent_called(quote_text, names) if e not in addressed]
        addressed += parents
        quotes = [lines[i] for i in dialogue]
        # where the words are that put each one there: "Hester" of "Hester, do you …?"
        called_at = {e: _in_quotes(quotes, span) for e, span in called_in_quotes.items()}
        if parents:
            parent_word = _address_gender_at(quote_text, parents_only=True)
            if parent_word is not None:
                for e in parents:
                    called_at[e] = _in_quotes(quotes, parent_word[1])
        hearers: list[_Entity] = []
        # only a quote that opens its paragraph answers the one told of just before
        told = answered_teller if lines[dialogue[0]].start == p_start else None
        answered_teller = None
        for i in para:
            if lines[i].kind != "narration":
                continue
            for m in _HEARER.finditer(lines[i].text):
                # "'I have spared no expense,' were the next words Margaret heard",
                # "Margaret heard her aunt's voice again … 'Edith!' cried she": the one
                # hearing the voice is listening to it
                hearer = names.lookup(m.group("name") or m.group("name2"))
                if hearer is not None and hearer.person and hearer not in addressed:
                    addressed.append(hearer)
                    hearers.append(hearer)
                    who_heard = "name" if m.group("name") else "name2"
                    called_at[hearer] = _group_span(m, who_heard, lines[i].start)
            ends_hearing = _ends_hearing(lines[i].text) if i + 1 in dialogue else None
            if ends_hearing is not None:
                hearer = names.lookup(ends_hearing[0])
                if hearer is not None and hearer.person and hearer not in addressed:
                    # "Ida heard the keeper call:", "Ida could just hear a '…'": she listens
                    addressed.append(hearer)
                    hearers.append(hearer)
                    where = ends_hearing[1]
                    called_at[hearer] = (lines[i].start + where[0], lines[i].start + where[1])
        if (
            first_person
            and not asked_name
            and not _ASKS_NAME.search(previous_quotes)  # "What do they call you?" "Tam, sir."
            and any(e not in narrated and e.called >= 2 for e in addressed)
        ):
            # "Don't move, I beg you, Watson.": a name the narration never uses for
            # anyone is most likely what people call the narrator
            addressed.append(get_narrator())
            for entity in addressed:
                if entity not in narrated and entity.called >= 2:
                    calls_narrator[entity] = entity.called
                    if entity in called_at:
                        called_at.setdefault(get_narrator(), called_at[entity])
        said_before, called_before = previous_quotes, previous_called
        # each quote on its own: "“But why?” … saying, “George, persuade them!”"
        previous_called = list(
            dict.fromkeys(e for i in dialogue for e in _vocatives(lines[i].text, names))
        )
        last_said = lines[dialogue[-1]].text
        previous_quotes = quote_text
        snapshot = [
            e
            for e in reversed(salient)
            if (e.person or e.epithet) and not e.group and e not in weak
        ][:6]
        passing = [e for e in reversed(salient) if e in weak]
        for entity in addressed:
            touch(entity)  # present, and "his"/"her" may point at them

        # The person doing something in the narration before the first quote is
        # who a following "he said" most likely points at.
        first_quote = lines[dialogue[0]].start
        lead_subject = None
        lead_subject_at: Span | None = None  # the words for them
        present: list[_Entity] = []
        for s, entity in narration_mentions:
            if s < first_quote and not _is_subject(text, s):
                mention(entity, s)
        for s, entity in narration_mentions:
            if entity.person and _is_subject(text, s):
                if s < first_quote:
                    touch(entity)
                    lead_subject, lead_subject_at = entity, mentioned_at(s)
                if entity not in present:
                    present.append(entity)
        # "Tom held the gate. A stout little man came up the lane. He lifted his hat.
        # '…,' he said": the newcomer the sentences before the quote are about
        center_span = (
            (p_start, first_quote, narration_mentions) if first_quote > p_start else carried_center
        )
        carried_center = None
        carried = None
        lead_sex = None
        weak_lead = False
        if lead_subject is None and first_quote == p_start:
            carried = carried_lead  # "Kakashi interrupted with a sigh. ¶ “Want to …?”"
            weak_lead = carried is not None and carried is weak_lead_of
            lead_subject, lead_subject_at = carried, carried_at if carried is not None else None
            lead_sex = carried_sex if carried is None else None
            object_lead = carried_objects
        else:
            object_lead = {}
        # "The mind of Hollis was calmed by the quiet. 'I will go home,' said he", "It
        # struck Wenlo that he was expected. He rose. 'Good evening,' he said": the one
        # man the paragraph names before its quote, in whatever role, is the "he" of its
        # tag; not when a "he" comes first ("He passed Wenlo the salt": he is not Wenlo)
        named_lead = _named_antecedents(text, p_start, first_quote, narration_mentions)
        acting_before = carried_lead
        if first_quote == p_start:
            narrated_to = carried_to
        else:
            narrated_to = turned_to(_last_sentence_start(text, p_start, first_quote), first_quote)
        carried_lead, carried_sex, carried_objects, carried_to = None, None, {}, None

        turn = _Turn(lines=dialogue, start=p_start, scene=context, gap=gap, addressed=addressed)
        turn.called_at = called_at
        turn.lead_at = lead_subject_at
        turn.told_on = told_on and gap == 0
        # overheard, not spoken to: Margaret, catching the ladies' talk, is not the one
        # to answer it
        turn.bystanders.extend(hearers)
        turn.end = p_end
        turn.unanswered, unanswered = unanswered, False
        # '"Mother gave it to me," said Ogden. … Mr. Pett grunted, but made no verbal
        # comment.': the narration after the last quote says the other let it go
        unanswered = bool(_NO_ANSWER.search(text, lines[dialogue[-1]].end, p_end))
        turn.sleeping, sleeping = sleeping, []
        turn.slept = list(turn.sleeping)
        turn.sleeping.extend(e for e in gone if e not in turn.sleeping and e not in present)
        addressed_as = _address_gender_at(quote_text)
        if addressed_as is not None:
            turn.address_gender, turn.address_at = (
                addressed_as[0],
                _in_quotes(quotes, addressed_as[1]),
            )
        turn.mentioned = [e for e in _mentions(quote_text, names) if e not in addressed]
        turn.claimed = _claimed_names(quote_text, names)
        turn.calls = list(called_in_quotes)
        turn.opens = lines[dialogue[0]].start == p_start
        turn.asks = bool(re.search(r"\?[\"”’'»]*\s*$", lines[dialogue[-1]].text))
        # '"What is it?" asked Pontellier. It was some nonsense they tried to relate.':
        # narration past the tag may hold the answer
        tail = text[lines[dialogue[-1]].end : p_end].strip()
        turn.waits = turn.asks and len(_SENTENCE.findall(tail)) <= 1
        turn.present = present
        turn.salient = snapshot
        turn.passing = passing
        turn.lead = lead_subject
        turn.lead_weak = weak_lead
        turn.lead_sex = lead_sex
        named_before = {e for s, e in narration_mentions if s < first_quote and e.person}
        if lead_subject is None and len(named_before) == 1:
            # "Now it was Sakura's turn to need clarification. 'Me staring?'": the one
            # person the paragraph names before its quote, in whatever form
            turn.named = next(iter(named_before))
        # the one the text named or heard last first: '"Papa!" shouted Pim. ¶ Teodor took
        # the basket from Marit. ¶ * * * ¶ "Don't go out tonight," she said': a scene
        # that opens on a "she" nobody in it can be is Marit, named after the child spoke
        turn.recent = sorted(
            (e for e in reversed(chapter_speakers) if not e.narrator),
            key=lambda e: -named_at.get(e, -1),
        )[:8]
        turn.continues = broken_off and gap == 0 and turn.opens
        # pronoun tags of the one "I" spoke to (see spoken_to_before), by where the tag is,
        # and the lines they tag
        replies: dict[Span, tuple[_Entity, Span]] = {}
        replied: dict[int, tuple[_Entity, Span]] = {}
        for pos, i in enumerate(para):
            if lines[i].kind != "dialogue":
                continue
            found: _Subject | None = None
            if pos + 1 < len(para) and lines[para[pos + 1]].kind == "narration":
                found = _tag_after(lines[para[pos + 1]].text, lines[i].text, names.nouns.words)
                if found is not None:
                    found = found.shifted(lines[para[pos + 1]].start)
                if i == dialogue[0] and _CONTINUATION.match(lines[para[pos + 1]].text):
                    turn.continues = True  # '"You are burnt," he added': still the last speaker
                read_out = _READ_OUT.match(lines[para[pos + 1]].text)
                if read_out is not None and (
                    not read_out.group("it")
                    or _READING.search(text, max(0, lines[i].start - READING_REACH), lines[i].start)
                ):
                    turn.reads = True
            tag_follows = found is not None
            if found is None and pos > 0 and lines[para[pos - 1]].kind == "narration":
                interrupter = lines[para[pos - 1]].text
                if (
                    pos >= 2
                    and lines[para[pos - 2]].kind == "dialogue"
                    and not _END_OF_SENTENCE.search(interrupter)
                ):
                    # '"Soon," he promised, smiling as she groaned, "I want …"': one
                    # sentence between the pieces is the first piece's tag, whatever
                    # other clause it ends with.
                    found = _tag_after(interrupter, lines[para[pos - 2]].text, names.nouns.words)
                if found is None and interrupter.rstrip().endswith(":"):
                    # "… when he spoke to her, and then said: “A view?”": the colon's
                    # clause reading, which knows a subordinate clause's subject
                    found = _introduces_quote(interrupter, names.nouns)
                if found is None:
                    found = _tag_before(interrupter) or _introduces_quote(interrupter, names.nouns)
                if found is not None:
                    found = found.shifted(lines[para[pos - 1]].start)
            if (
                found is None
                and pos == 0
                and introduced_by is not None
                and (introduced_by.kind != "name" or resolve(introduced_by, False) is not None)
            ):
                found = introduced_by  # "… and said to me: ¶ “Well, …”"
                for other in introduced_objects:
                    if other not in turn.addressed:
                        turn.addressed.append(other)
                        turn.called_at.setdefault(other, introduced_objects[other])
            if found is None:
                continue
            if pos + 1 < len(para) and lines[para[pos + 1]].kind == "narration":
                # '"Eat your dinner," she said to Lucy': Lucy is spoken to, not speaking
                to_whom = _TO_WHOM.match(lines[para[pos + 1]].text) or _ASKS_WHOM.match(
                    lines[para[pos + 1]].text
                )
                listener = names.lookup(to_whom.group("name")) if to_whom else None
                listener_at = (
                    _group_span(to_whom, "name", lines[para[pos + 1]].start) if to_whom else None
                )
                to_one = _ADDRESSING.match(lines[para[pos + 1]].text)
                if listener is None and to_one is not None:
                    # "said he, addressing the old man": the old man on stage listens
                    listener = described_on_stage(to_one.group("np").split()[-1].lower())
                    listener_at = _group_span(to_one, "np", lines[para[pos + 1]].start)
                if listener is not None and listener not in turn.addressed:
                    turn.addressed.append(listener)
                    if listener_at is not None:
                        turn.called_at.setdefault(listener, listener_at)
                if found.kind == "pron" and tag_follows:
                    # '"Salt keeps," he said, when Piet complained': a name later in the
                    # pronoun's own sentence is never the one the pronoun means. Only
                    # when the tag follows the quote: in '"Yes," he said, "my friend. Do
                    # you know him?" Hollis asked.' the narration after it is no tag's.
                    tag = lines[para[pos + 1]]
                    stop = _END_OF_SENTENCE.search(tag.text)
                    end = tag.start + (stop.start() if stop else len(tag.text))
                    for _, _, other in names.in_range(tag.start, end):
                        if other.person and other not in turn.addressed:
                            turn.addressed.append(other)
                            turn.bystanders.append(other)
                        elif other is listener and other in turn.bystanders:
                            turn.bystanders.remove(other)
            gender = PRONOUN_GENDER.get(found.text.lower()) if found.kind == "pron" else None
            who = resolve(found)
            if gender in _SUBJECT_PRONOUN and found.span is not None:
                # '"Is it far?" I once asked a carter, who was watering his horse.
                # "Far enough," he said': the one "I" spoke to answers, and the "he" is
                # never the "I" (a quote after the tag is his too: '"No," he said, "…"')
                reply = replies.get(found.span) or spoken_to_before(
                    min(found.span[0], lines[i].start), gender
                )
                if reply is not None:
                    replies[found.span] = reply
                    replied[i] = reply
                    who = reply[0]
            if gender is not None and pos >= 2 and lines[para[pos - 1]].kind == "narration":
                # '"… a swell rig!" Weary paid generous tribute. "Only …" He sighed.':
                # the name acting between the two quotes is the pronoun's antecedent,
                # as good as the name in the tag
                between = _SENTENCE.findall(lines[para[pos - 1]].text)
                actor = _BEAT_RE.match(between[-1].strip()) if between else None
                named = (
                    resolve(_Subject("name", actor.group("name")), False)
                    if actor is not None and actor.group("name")
                    else None
                )
                if (
                    named is None
                    and between
                    and any(lines[j].kind == "dialogue" for j in para[: pos - 1])
                ):
                    named = described_between(actor, gender)
                if (
                    named is not None
                    and named not in turn.addressed
                    and (named.gender == gender or _may_be(named, gender))
                ):
                    if named.gender == "unknown":
                        named.gender_votes[gender] += 1  # and says the name's sex
                        named.pronouns += 1
                    who, gender = named, None  # rule: still "tag-pronoun"
                    if any(lines[j].kind == "dialogue" for j in para[: pos - 1]):
                        turn.taken_over.add(i)
            if gender is not None:
                turn.pronoun[i] = gender
                turn.guess[i] = who
            elif who is not None:
                turn.own[i] = who
                turn.kind[i] = TAG_RULES[found.kind]
            if (gender is not None or who is not None) and found.span is not None:
                # "Tom" of "Finally Tom said,": the name without the words before it
                turn.tag_at[i] = (_without_adverbs(found) or found).span or found.span
        # Someone acting between two quotes of the paragraph holds the floor from there
        # until a tag names someone ('"…," said Ann. Tom frowned. "Why?" "…"': Tom's twice).
        floor: _Entity | None = None
        floor_at: int | None = None  # where the text names them acting
        for pos, i in enumerate(para):
            if lines[i].kind != "dialogue" or i in turn.own:
                floor = None if lines[i].kind == "dialogue" else floor
                continue
            if pos >= 2 and lines[para[pos - 1]].kind == "narration":
                floor = None
                if not turn.own or any(j in turn.own for j in dialogue if j < i):
                    # a quote before the paragraph's first tag still takes that tag
                    previous_line = lines[para[pos - 2]]
                    acts_between = _acting_between(
                        text,
                        lines[para[pos - 1]],
                        narration_mentions,
                        # '"Perhaps." Tom shook his head. "…"': no tag, a sentence already
                        previous_line.kind == "dialogue"
                        and para[pos - 2] not in turn.pronoun
                        and para[pos - 2] not in turn.own
                        and bool(_ENDS_SENTENCE.search(previous_line.text)),
                    )
                    floor, floor_at = acts_between if acts_between is not None else (None, None)
            if floor is not None and (
                floor in _vocatives(lines[i].text, names)
                # '… Ann pulled it away. "…," he observed': not hers
                or (i in turn.pronoun and floor.gender != turn.pronoun[i])
            ):
                floor = None
            if floor is not None:
                turn.acted[i] = floor
                if floor_at is not None:
                    turn.acted_at[i] = mentioned_at(floor_at)
        if turn.taken_over:
            # '"…," said Will. His father frowned. "…," he said.': the father has the
            # floor at the end, and the next untagged quote answers him, not Will
            taker = max(turn.taken_over)
            who = turn.own[taker]
            if not any(
                j > taker and (j in turn.own or turn.pronoun.get(j, who.gender) != who.gender)
                for j in dialogue
            ):
                # (no acted_at: the line is the taker's tagged one or follows it, and that
                # tag decides it)
                turn.acted.setdefault(dialogue[-1], who)
        last_quote_line = dialogue[-1]
        tagged_before = [j for j in dialogue if j < last_quote_line and j in turn.own]
        if (
            tagged_before
            and last_quote_line not in turn.own
            and last_quote_line not in turn.pronoun
            and last_quote_line not in turn.acted
            # '"…," said Ann. "…?" he asked. "…"': the "he" is the nearer tag
            and not any(tagged_before[-1] < j < last_quote_line for j in turn.pronoun)
        ):
            tag_speaker = turn.own[tagged_before[-1]]
            called = _called(lines[last_quote_line].text, names)
            if tag_speaker in called:
                turn.not_last = [tag_speaker, *(e for e in called if e is not tag_speaker)]

        looked_to = narrated_to[0] if narrated_to is not None else None
        if (
            looked_to is not None
            and narrated_to is not None
            and looked_to not in addressed
            and looked_to not in turn.own.values()
            # '… turned to Nell. "…?" she asked.': the "she" may be Nell answering the look
            and looked_to.gender not in turn.pronoun.values()
        ):
            addressed.append(looked_to)
            # the words that made them the one spoken to: "Nell" of "turned to Nell"
            turn.called_at.setdefault(looked_to, narrated_to[1])
        center = None
        by_topic = False  # the center is who the narration before has been about
        if turn.pronoun:
            first_tagged = next(i for i in dialogue if i in turn.pronoun)
            sex = turn.pronoun[first_tagged]
            # "I asked the porter the way. ¶ 'Left,' he said": the one spoken to answers,
            # as surely as if the tag named him
            reply = replied.get(first_tagged)
            described: tuple[str, bool, bool, Span | None] | None
            if reply is not None:
                center, described = reply[0], (reply[0].name, True, False, reply[1])
            else:
                described = described_center(center_span, sex) if center_span is not None else None
                center = described_person(described, sex) if described is not None else None
            if (
                center is None
                # "The Pollards muttered among themselves. ¶ '…,' he said": a family or
                # band acting last is no "he", so the narration is read back for one
                and (lead_subject is None or lead_subject.group)
                and sex in _SUBJECT_PRONOUN
            ):
                # Nobody acts just before the tag: the one the narration since the last
                # quote has been about, going on as "she" ("Ann stirred her tea. She saw
                # that he was nervous. ¶ '…,' she said"), however long ago she was named
                # ("The youth lay down. ¶ He had dreamed of battles. ¶ … he said:")
                narrated_from = max(scene_start, quoted_until, first_quote - TOPIC_REACH)
                topic = _sex_topic(text, narrated_from, first_quote, names, sex)
                by_topic = topic is not None
                if topic is not None and isinstance(topic[1], _Entity):
                    center = topic[1]
                    described = (center.name, True, False, topic[0])
                elif topic is not None and not any(
                    not e.epithet and not e.narrator and e.person and e.gender == sex
                    for e in salient
                    if e not in weak
                ):
                    # a description only where no man is named on stage: with William
                    # there, "the boy" may be William ("William, a boy of seven, …")
                    det, rest = str(topic[1]).split(" ", 1)
                    described = (f"{det.lower()} {rest}", True, False, topic[0])
                    center = described_person(described, sex)
            if center is not None and center in addressed:
                center = None
            if center is not None:
                first_guess = turn.guess[next(i for i in dialogue if i in turn.pronoun)]
                for i in turn.pronoun:
                    if turn.guess[i] is first_guess and turn.pronoun[i] == sex:
                        turn.guess[i] = center
                lead_subject = turn.lead = center
                turn.lead_at = described[3] if described is not None else None
                touch(center)
        if (
            turn.pronoun
            and lead_subject is not None
            and not lead_subject.known
            and not lead_subject.group
            # the name leads the quote's paragraph, or acts just before it and nothing
            # has settled its sex ("Moze returned. ¶ '…,' he said")
            and (
                lines[dialogue[0]].start > p_start
                or (lead_subject.gender == "unknown" and not lead_subject.narrator)
            )
            and not lead_subject.gender_votes[_OPPOSITE[next(iter(turn.pronoun.values()))]]
        ):
            # "Holmes rose. 'Quite so,' he said.": the pronoun agrees with the name.
            lead_subject.gender_votes[next(iter(turn.pronoun.values()))] += 1
            lead_subject.pronouns += 1
        if turn.own:
            turn.speaker = Counter(turn.own.values()).most_common(1)[0][0]
            turn.anchor, turn.rule = True, "tag"
            turn.evidence = next(
                (turn.tag_at.get(j) for j in dialogue if turn.own.get(j) is turn.speaker), None
            )
        elif open_quote_speaker is not None and lines[dialogue[0]].start == p_start:
            turn.speaker, turn.anchor = open_quote_speaker, True
            turn.rule = "continued"
        elif turn.pronoun:
            first_tag = next(i for i in dialogue if i in turn.pronoun)
            turn.gender, turn.speaker = turn.pronoun[first_tag], turn.guess[first_tag]
            turn.rule = "tag-pronoun"
            turn.evidence = turn.tag_at.get(first_tag)
            if (
                turn.speaker is not None
                and turn.gender is not None
                and turn.speaker in (object_lead.get(turn.gender), named_lead.get(turn.gender))
                and (turn.lead is None or turn.lead.gender != turn.gender)
            ):
                turn.lead = turn.speaker  # as good as acting: the one woman just named
                turn.lead_at = turn.evidence  # known by the "she" of the tag
        else:
            if told is not None and told not in addressed:
                # "Lucy mumbled that they seemed odd people. ¶ 'Eat your dinner, dear.'":
                # she has had her turn; an untagged quote after it answers her ("She
                # said that she was tired. ¶ 'I'll go up,' she said." is hers again)
                addressed.append(told)
                if told_at is not None:
                    turn.called_at.setdefault(told, told_at)
            # whose "green eyes" a beat means, if that person is here and acting
            owners = {key: e for key, e in feature_owners.items() if e in salient and e not in weak}
            beat, beat_gender, beat_after, beat_at = _beat_subject(
                lines, para, resolve, features, owners, names.nouns
            )
            if beat_after:
                turn.reacting = beat
            lead_in = [lines[i].text for i in para if i < dialogue[0]]
            sensed = _SENTENCE.findall(lead_in[-1]) if lead_in else []
            if (
                beat is None
                and beat_gender is None
                and sensed
                and _senses_while_another_acts(sensed[-1].strip(), resolve, names.nouns)
            ):
                # "She felt her cheeks burn as he laughed. 'Stop it!'" is hers, "She felt
                # the bed dip as he sat down. 'Can't sleep?'" his: the one acting there has
                # the floor no more than the one feeling; the turn-taking decides
                turn.lead, turn.lead_at = None, None
            if beat_gender is not None:
                turn.gender, turn.speaker = beat_gender, beat
                turn.rule = "beat"
                turn.evidence = beat_at
            elif beat is not None and beat not in addressed:
                turn.speaker, turn.anchor = beat, True
                turn.rule = "beat"
                turn.evidence = beat_at
            elif (
                carried is not None
                and carried not in addressed
                and carried.gender != _address_gender(quote_text, parents_only=True)
                # a sentence about nothing in particular since: unless the quote names them
                and not (weak_lead and carried in _mentions(quote_text, names))
            ):
                # "Kakashi interrupted with a sigh. ¶ “Want to cut to the chase?”", but
                # "Her father frowned. ¶ “Is it raining, papa?”" is said to him ("miss"
                # or "sir" could be said to anyone of that sex on stage)
                turn.speaker, turn.anchor = carried, True
                turn.rule = "beat-before"
                turn.evidence = carried_at
                lead_in_beats = True
        if (
            turn.gender is not None
            and not turn.anchor
            and lead_subject is not None
            and lines[dialogue[0]].start > p_start
            and lead_subject not in addressed
            and lead_subject.gender == turn.gender
            and not any(
                e is not lead_subject and e.person and e.gender != _OPPOSITE[turn.gender]
                for s, e in narration_mentions
                if s < first_quote
            )
        ):
            # "Kakashi watches her. … He walks over and kneels. 'Let me.'": the only
            # person of that sex named in the paragraph before the quote is its "he",
            # however much someone else has talked in this conversation.
            turn.speaker, turn.anchor = lead_subject, True
        if center is not None and not turn.anchor and turn.speaker is center and not by_topic:
            # the stranger the sentences before are about is as good as named in the tag
            # (not one named long before and since only "he": the talk may still say
            # otherwise)
            turn.anchor = True
        if turn.speaker is not None and turn.speaker not in present:
            present.append(turn.speaker)
        provisional: _Entity | None
        if turn.speaker is None and turn.unanswered and prev_speaker is not None:
            provisional = prev_speaker  # '"TOM!" ¶ No answer. ¶ "TOM!"': the same again
        elif (
            turn.speaker is None
            and len(history) >= 2
            and history[-2] is not prev_speaker
            and (
                turn.gender is None
                or history[-2] is None
                or history[-2].gender == turn.gender
                or _may_be(history[-2], turn.gender)
            )
        ):
            # only for the running state; pass 2 decides. A "he said" nobody on stage
            # fits is not the woman who spoke two turns ago.
            provisional = history[-2]
        else:
            provisional = turn.speaker
        turns.append(turn)
        # a quote standing alone, nobody told of: the narration after it may say whose
        bare_turn = (
            turn
            if all(lines[i].kind == "dialogue" for i in para)
            and not turn.own
            and not turn.pronoun
            and turn.rule in (None, "beat-before")
            else None
        )
        introduced_by = None
        if lines[para[-1]].kind == "narration" and lines[para[-1]].text.rstrip().endswith(
            (":", "--", "—")
        ):
            # '"Oh, yes! I know that!" On my saying that I did not understand, she went
            # on: ¶ "It is the eve …"': a colon after the talk hands the floor on too, as
            # does a dash after a speech verb ("… but Eliza … said at once--")
            introduced_by, introduced_objects = introduction_of(lines[para[-1]])
        last_quote = quoted_until = lines[dialogue[-1]].end
        talk_end = last_quote
        closer = turn.own.get(dialogue[-1])
        if provisional is not None and closer is not None and closer is not provisional:
            # 'Hal swore, "…!" He knew horses as no one did; a groom once said of him:
            # "…" ¶ "Look there," he said': a quote tagged as someone else's closes the
            # paragraph, and after Hal's own last quote the narration told on
            talk_end = max(
                (lines[j].end for j in dialogue if turn.own.get(j) is provisional),
                default=last_quote,
            )
        told_on = _told_on(text, talk_end, p_end)
        closing = _last_sentence_start(text, last_quote, p_end)
        if closing > last_quote:
            # '"…," he said. … Then Ann turned to the boy. ¶ "…"'; not the quote's own
            # tag: after '"…?" said Tom, turning to Nell. ¶ "…"' Nell answers
            carried_to = turned_to(closing, p_end)
        for s, entity in narration_mentions:
            if s >= first_quote and entity.person and _is_subject(text, s):
                touch(entity)
            if (
                s > last_quote
                and entity.person
                and text[max(0, s - 3) : s].rstrip()[-1:] in {".", "!", "?"}
                and _acting(text, s)
            ):
                # '"Go," said Tom. Jack looked up.': Jack is next to act
                carried_lead, carried_at = entity, mentioned_at(s)
        # '"But the way I see it --" He pointed at the woman …': a speech broken off for a
        # gesture, nobody else acting after it, goes on in the next paragraph
        # '"Ha!" Tom broke in, and took up the story himself. ¶ "…"': the tag says the
        # speaker goes on at length, and the next paragraph is that telling
        broken_off = (
            lines[para[-1]].kind == "narration"
            and (
                bool(_CUT_OFF.search(lines[dialogue[-1]].text))
                or (
                    (taken_up := _TAKES_UP_TALE.search(text, lines[dialogue[-1]].end, p_end))
                    is not None
                    and _TALE_TOLD.match(text, taken_up.end()) is None
                )
            )
            and carried_lead is None
        )
        if turn.anchor and turn.speaker is not None:
            if turn.speaker in chapter_speakers:
                chapter_speakers.remove(turn.speaker)
            chapter_speakers.append(turn.speaker)
            named_at[turn.speaker] = max(named_at.get(turn.speaker, -1), turn.start)
        if provisional is not None:
            touch(provisional)
            provisional.lines_here += 1
        # '"Yes, Hokage-sama." Shikamaru and the ANBU bowed before exiting through the
        # balcony.': whoever speaks or acts in the paragraph, leaving is the last of it
        departures(last_quote, p_end)
        history.append(provisional)
        gap = 0
        if overhearing is not None:
            if turn.own or turn.pronoun or overhearing in addressed:
                overhearing = None  # a tag, or a name called out, brings the listener in
            elif overhearing not in turn.sleeping:
                turn.sleeping.append(overhearing)
        last_line = lines[para[-1]]
        open_quote_speaker = (
            provisional if last_line.kind == "dialogue" and not _closed(last_line.text) else None
        )

    # Whoever a tag or description already names is on stage from that turn on, even
    # before the text first calls them by name ("said his lady" is Mrs. Bennet).
    for turn in turns:
        for on_stage in (turn.speaker if turn.anchor else None, *turn.own.values()):
            if on_stage is not None and (on_stage.first < 0 or on_stage.first > turn.start):
                on_stage.first = turn.start
    # Pass 2: conversations, decided from their anchors outwards.
    saved = [_saved_state(turn) for turn in turns]
    _decide_conversations(turns, first_person, get_narrator if first_person else None, unnamed)

    def decide_lines(only: set[int] | None = None) -> None:
        """Each dialogue line's decision from its turn: its own tag, else the turn's.
        With ``only``, again for just the turns starting there."""
        for k, turn in enumerate(turns):
            if only is not None and turn.start not in only:
                continue
            for i in turn.lines:
                own = turn.own.get(i)
                if own is not None:
                    decisions[i] = _Decision(own, turn.kind[i], turn.tag_at.get(i))
                    continue
                if (
                    i in turn.pronoun
                    and turn.own
                    and all(
                        o.narrator or o.gender == _OPPOSITE[turn.pronoun[i]]
                        for o in turn.own.values()
                    )
                ) or (
                    # '"Let me know when dinner is ready," he said … "Them men would eat …,"
                    # said the indignant cook': the only tag comes later and is not a man's
                    i in turn.pronoun
                    and turn.own
                    and all(j > i for j in turn.own)
                    and (guess := turn.guess.get(i)) is not None
                    and guess.gender == turn.pronoun[i]
                    and (
                        all(o.gender != turn.pronoun[i] for o in turn.own.values())
                        # or every later tag is someone taking over from the talk before
                        or (set(turn.own) <= turn.taken_over and guess not in turn.own.values())
                    )
                ):
                    # 'she bowed and said, "The Herr Englishman?" "Yes," I said': two
                    # speakers in one paragraph; her "she" is not the narrator's "I"
                    guess = turn.guess.get(i) or unnamed(
                        turn.pronoun[i], turn.scene, lines[i].start
                    )
                    decisions[i] = _Decision(guess, "tag-pronoun", turn.tag_at.get(i))
                    continue
                if turn.own:
                    # an untagged quote in a tagged paragraph: the nearest tag before it, else after
                    before = [j for j in turn.lines if j < i and j in turn.own]
                    after = [j for j in turn.lines if j > i and j in turn.own]
                    tag_line = before[-1] if before else after[0]
                    who, who_at = turn.own[tag_line], turn.tag_at.get(tag_line)
                    prior = max((j for j in turn.lines if j < i and j in turn.pronoun), default=-1)
                    said = decisions.get(prior)
                    if (
                        said is not None
                        and said.speaker is not None
                        and prior > max((j for j in turn.own if j < i), default=-1)
                    ):
                        # '"To-morrow?" he said. "There is no speedier delivery?" and seemed
                        # quite disappointed when she answered, "No."': his, as the "he" before
                        # it, not hers, whose tag comes after
                        who, who_at = said.speaker, said.evidence
                    acting = turn.acted.get(i)
                    if acting is not None and acting is not who:
                        # '"Let us go," said Ann. Tom, however, wanted to know more. "Go
                        # where?"': someone else acting after the tag takes the quote, as a
                        # beat does in a paragraph with no tag
                        decisions[i] = _Decision(acting, "beat", turn.acted_at.get(i))
                        continue
                    if (
                        not before
                        and i + 1 in turn.own
                        and _CUT_OFF.search(lines[i].text)
                        and turn.lead is not None
                        and turn.lead is not who
                        and turn.lead not in turn.addressed
                    ):
                        # 'Lucy felt that she had been selfish. "… The first vacant room
                        # in the front--" "You must have it," said Miss Bartlett': cut off
                        # by the tagged speaker, the one acting before it was talking
                        decisions[i] = _Decision(turn.lead, "beat", turn.lead_at)
                        continue
                    called = _called(lines[i].text, names)
                    if who in called and turn.answerer is not None and i == turn.lines[-1]:
                        # the paragraph's last quote, which the turn-taking has given to
                        # whoever answers the tagged speaker (see _Turn.not_last)
                        decisions[i] = _Decision(
                            turn.answerer, "vocative", _call_at(lines[i], who, names)
                        )
                        continue
                    if who in called:
                        # '"…," observed Fergus. "Nonsense, Fergus!"': a second speaker in
                        # the paragraph, the last one talking who is not called here
                        answerer = next(
                            (
                                p
                                for p, _ in reversed(spoken[:k])
                                if p is not None and p is not who and p not in called
                            ),
                            None,
                        )
                        if answerer is not None:
                            decisions[i] = _Decision(
                                answerer, "vocative", _call_at(lines[i], who, names)
                            )
                            continue
                    decisions[i] = _Decision(who, "tag", who_at)
                    continue
                if i in turn.pronoun and turn.speaker is not None:
                    decisions[i] = _Decision(turn.speaker, "tag-pronoun", turn.tag_at.get(i))
                    continue
                acting = turn.acted.get(i)
                if acting is not None and acting is not turn.speaker:
                    # '"I must be off." He went up to bed, whereupon Mrs. Dale spoke.
                    # "Well!"': no tag, and the second quote is hers, not his
                    decisions[i] = _Decision(acting, "beat", turn.acted_at.get(i))
                    continue
                decisions[i] = _Decision(
                    turn.speaker,
                    turn.rule if turn.speaker else None,
                    turn.evidence if turn.speaker else None,
                )
            last = decisions[turn.lines[-1]].speaker
            if only is not None:
                spoken[k] = (last, turn.addressed)
                continue
            if any(
                i + 1 < len(lines) and _THOUGHT_TAG.match(lines[i + 1].text)
                for i in turn.lines
                if lines[i].kind == "dialogue"
            ):
                unheard.add(len(spoken))  # '"It is well I drew the curtain," thought I'
            spoken.append((last, turn.addressed))

    decide_lines()
    renames = _self_introductions(lines, decisions, names)
    for old_entity, new_entity in _described_as(lines, decisions, names).items():
        renames.setdefault(old_entity, new_entity)
    for old_entity, new_entity in _named_in_narration(text, lines, decisions, names).items():
        renames.setdefault(old_entity, new_entity)
    for old_entity, new_entity in _voice_seen_as(text, lines, decisions).items():
        renames.setdefault(old_entity, new_entity)
    if narrator is not None and not narrator.known and narrator not in renames:
        named = _narrator_name(narrator, spoken, unheard, calls_narrator)
        if named is None:
            named = _answer_calls_narrator(lines, decisions, names, narrator, narrated)
            if named is not None and named not in names.entities:
                names.entities.append(named)  # "Jane", a name said only to the narrator
        if named is not None:
            renames[narrator] = named
    for old_entity, new_entity in _answered_by_name(lines, decisions, names).items():
        if new_entity not in renames.values():  # "Pip" is the narrator's name
            renames.setdefault(old_entity, new_entity)
    for old_entity, new_entity in _called_between(lines, decisions, names).items():
        if new_entity not in renames.values():
            renames.setdefault(old_entity, new_entity)
    for old_entity, new_entity in _called_on_stage(turns, lines, decisions).items():
        if new_entity not in renames.values():
            renames.setdefault(old_entity, new_entity)
    # "a grey-bearded man … ¶ '… when I am only Amos Pettigrew?'": while the talk was
    # decided they were two people, and when the girl later answered Pettigrew her lines
    # went to the grey-bearded man, the other person there. A talk that had both of them
    # in it is decided again with the two as one; who is whom stays as first found.
    merged = {
        old: new
        for old, new in renames.items()
        if old is not new and not old.narrator and not new.narrator
    }
    again = {
        turn.start
        for conversation in (_conversations(turns) if merged else [])
        if _split_in(conversation, merged)
        for turn in conversation
    }
    if again:
        for old, new in merged.items():
            # on stage from the first time either was: "the old lady" from her first
            # line, though the narration names Aunt Polly only later
            since = [lines[i].start for i, d in decisions.items() if d.speaker is old]
            since += [f for f in (old.first, new.first) if f >= 0]
            new.first = min(since, default=-1)
            if new.gender == "unknown" and old.fixed_gender in ("male", "female") and not new.known:
                new.fixed_gender = old.fixed_gender
        for turn, state in zip(turns, saved, strict=True):
            if turn.start in again:
                _merge_into(turn, state, merged)
            else:
                # as decided: who spoke last in the talk before is carried into the next
                turn.speaker = turn.speaker and merged.get(turn.speaker, turn.speaker)
                turn.answerer = turn.answerer and merged.get(turn.answerer, turn.answerer)

        def unnamed_merged(gender: Gender, scene: tuple[int, int] | None, at: int) -> _Entity:
            found = unnamed(gender, scene, at)
            return merged.get(found, found)

        _decide_conversations(
            turns,
            first_person,
            get_narrator if first_person else None,
            unnamed_merged,
            only=again,
        )
        spoken[:] = [(p and merged.get(p, p), a) for p, a in spoken]
        decide_lines(again)
    for old, new in renames.items():
        if old.narrator:
            new.narrator = True
        if new.gender == "unknown" and old.fixed_gender in ("male", "female") and not new.known:
            new.fixed_gender = old.fixed_gender  # "my sister-in-law" is a woman
        if old in names.entities:
            names.entities.remove(old)
        for decision in decisions.values():
            if decision.speaker is old:
                decision.speaker = new

    _reactions(turns, decisions, renames)

    if first_person:
        # An epistolary book has an "I" per journal or letter: under "MINA MURRAY'S
        # JOURNAL" the narrator's lines are hers, though "I" was Jonathan before.
        for i, writer in _section_writers(work, lines, names).items():
            d = decisions.get(i)
            if d is not None and d.speaker is not None and d.speaker.narrator:
                d.speaker = writer

    # "'…,' he said" tells the sex of whoever it turned out to be, which the voice needs
    # even when the narration never did ("the doctor", "Deb")
    tagged: dict[_Entity, Counter[Gender]] = defaultdict(Counter)
    for turn in turns:
        for i, sex in turn.pronoun.items():
            d = decisions.get(i)
            if d is not None and d.speaker is not None and sex in ("male", "female"):
                tagged[d.speaker][sex] += 1
    for entity, sexes in tagged.items():
        if (
            entity.gender == "unknown"
            and not entity.group
            and len(sexes) == 1
            # only where nothing said a sex at all: a name the text gives both "he" and
            # "she" (a father and daughter merged as "Reed") stays unknown
            and not any(entity.gender_votes.values())
            and entity.name_gender is None
        ):
            entity.fixed_gender = next(iter(sexes))

    _turn_taking_evidence(turns, decisions)
    facts = _line_facts(turns, saved, decisions)
    speakers = {d.speaker for d in decisions.values() if d.speaker is not None}
    _unique_labels([e for e in names.entities if e in speakers or e.known or e.narrator])
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
                confidence=_line_confidence(facts.get(i)),
                rule=d.rule,
                evidence=d.evidence if d.speaker else None,
            )
        )
    characters = []
    seen: set[str] = set()
    # "a man", shown as "a man in the crowd", is not an alias when someone else speaking
    # is "a man" (a cast file's "a man" of no lines, written before, may well be them)
    taken = {e.canonical().lower() for e in names.entities if e.lines > 0 and not e.label}
    for entity in names.entities:
        if entity.lines == 0 and not entity.known and not entity.narrator:
            continue
        name = entity.canonical()
        if name in seen:
            continue
        seen.add(name)
        # most used first, ties by the form itself: a set's order changes from run to
        # run (string hashing), and the cast file and `narrate cast` must not
        aliases = tuple(
            sorted(
                {
                    f
                    for f in entity.forms
                    if f and f != name and not (entity.label and f.lower() in taken)
                },
                key=lambda f: (-entity.forms[f], f),
            )
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


def _unique_labels(people: Sequence[_Entity]) -> None:
    """Drop a description's fuller label (see _description_label) that would be what
    someone else is called: two people are never shown as one."""
    plain = Counter(e.name.lower() if e.epithet else e.canonical().lower() for e in people)
    labels = Counter(e.label.lower() for e in people if e.epithet and e.label)
    for e in people:
        if e.epithet and e.label and (plain[e.label.lower()] or labels[e.label.lower()] > 1):
            e.label = None


TURN_TAKING = frozenset({"turns", "continued", "other"})  # rules that count from an anchor
# the rules of a line that is an anchor of its own: its tag or beat names its speaker
ANCHOR_RULES = frozenset({"tag", "tag-pronoun", "tag-epithet", "beat", "beat-before"})


def _turn_taking_evidence(turns: list[_Turn], decisions: dict[int, _Decision]) -> None:
    """A line the turn-taking gives someone (A, B, A, B; or a speech run on from an open
    quote) shows the evidence of the anchor it counts from: the nearest line of the same
    conversation whose own tag or beat names the same person ('"…," said Ann. ¶
    "…" ¶ "Quite."': the last is Ann's by the "Ann" of "said Ann"); none if no line does."""
    for conversation in _conversations(turns):
        order = [i for turn in conversation for i in turn.lines]
        anchored: dict[_Entity, list[int]] = defaultdict(list)  # places in order, by speaker
        for k, i in enumerate(order):
            d = decisions[i]
            if d.speaker is not None and d.evidence is not None and d.rule in ANCHOR_RULES:
                anchored[d.speaker].append(k)
        for k, i in enumerate(order):
            d = decisions[i]
            if d.rule not in TURN_TAKING:
                continue
            places = anchored.get(d.speaker) if d.speaker is not None else None
            if not places:
                d.evidence = None
                continue
            n = bisect_left(places, k)
            # the nearer of the anchors either side; on a tie, the one before
            nearest = min(places[max(0, n - 1) : n + 1], key=lambda j: (abs(j - k), j > k))
            d.evidence = decisions[order[nearest]].evidence


def _reactions(
    turns: list[_Turn], decisions: dict[int, _Decision], renames: dict[_Entity, _Entity]
) -> None:
    """'"Quite right," said the clergyman. ¶ "Oh, how glad I am!" Mr. Beebe bowed.': a
    quote that opens a new paragraph after someone's tagged speech, and after which that
    same person acts, is the answer that gesture acknowledges, not more of their talk: it
    goes to whoever spoke before them. Only after the renames, which tell that the
    clergyman of the tag is the Mr. Beebe of the beat."""
    for k in range(2, len(turns)):
        turn, before, earlier = turns[k], turns[k - 1], turns[k - 2]
        decided = decisions.get(turn.lines[0])
        if (
            turn.reacting is None
            or decided is None
            or decided.rule != "beat"
            or turn.gap
            or not turn.opens
            or not before.anchor
            or before.gap >= CONVERSATION_GAP
            or turn.scene != earlier.scene
        ):
            continue
        reactor = renames.get(turn.reacting, turn.reacting)
        spoke = decisions[before.lines[-1]].speaker
        answered = decisions[earlier.lines[-1]].speaker
        if decided.speaker is reactor and spoke is reactor and answered not in (None, reactor):
            for i in turn.lines:
                if decisions[i].speaker is reactor and decisions[i].rule == "beat":
                    decisions[i] = _Decision(answered, "turns")


# --- confidence ----------------------------------------------------------------------------
# A dialogue line's confidence is the chance that its speaker is right, so that `narrate
# script --only-uncertain` shows the lines most worth checking and a line at 0.7 is right
# about seven times in ten. It is worked out in one place, after every speaker is decided:
# the rule that decided the line gives a base chance, and each factor below says what made
# that rule harder or easier there by multiplying the odds of a mistake (x2: a mistake is
# about twice as likely). The numbers were measured on the LitBank quotes with even ids
# and checked on the odd ones.

# The chance of being right, by what decided the line, before the factors.
RULE_CHANCE: dict[str, float] = {
    "tag": 0.96,  # its own tag names the speaker: '"…," said Ann'
    "shared-tag": 0.85,  # untagged, in a paragraph where another quote is: '"…," said Ann. "…"'
    "tag-epithet": 0.90,  # a description in the tag: '"…," said the carter'
    "own-pronoun": 0.92,  # "said I", or the one "she said" in a paragraph tagged with a man
    "tag-pronoun": 0.88,  # '"…," he said', the "he" found among the people around
    "continued": 0.85,  # a speech running on into the next paragraph
    "beat": 0.80,  # someone acting in the quote's paragraph: 'Tom shrugged. "…"'
    "beat-before": 0.80,  # ... at the end of the paragraph before
    "turns": 0.87,  # the turn-taking of a talk that has tagged turns
    "vocative": 0.88,  # the one the quote before called by name, answering
    "other": 0.40,  # the turn-taking of a talk where no turn is tagged
}
# The speaker is known only by a description ("the old man", "a voice"): often a person the
# text names elsewhere, or another of that description.
DESCRIBED = 2.5
# The speaker has ESTABLISHED_LINES lines or more in this talk: a long exchange between
# people the tags keep confirming is rarely misread.
ESTABLISHED = 0.15
ESTABLISHED_LINES = 10
# A "he said": the reading of the text before it tied the pronoun to nobody, so the talk as
# a whole had to guess ('"…," she said' with no woman named yet). Not for a beat that tells
# only the sex ('"…" Her grey eyes met his.'): the paragraph is the actor's own, and the
# talk gives it to the one person of that sex. All seven such LitBank beats name the right
# person (six under a label the gold does not list), and the seed audits found the seeds'
# such beats right about as often as other beats.
UNRESOLVED = 4.0
# ... someone else of that sex would have fitted the talk nearly as well (the best
# sequence giving the line to another beats the chosen one by less than CLOSE_MARGIN).
CLOSE_CALL = 3.0
CLOSE_MARGIN = 1.0
# ... two or more others of that sex speak in the same talk: "he" has three men to choose
# from, not one.
CROWDED = 1.5
# An untagged turn whose best speaker sequence beats the best one giving it to anyone else
# by less than TURNS_MARGIN: the alternation barely decided it.
TURNS_CLOSE = 1.7
TURNS_MARGIN = 3.0
# ... and it is next to a tagged turn: the answer to a tagged speaker may come from anyone
# else present ('"…," said Ann. ¶ "…" ¶': Tom or Kit), while a turn deep in an untagged run
# is held by the alternation on both sides.
BESIDE_TAG = 2.7
NO_SPEAKER = 0.0


@dataclass(frozen=True)
class _LineFacts:
    """What is known, once everyone is decided, about how a dialogue line's speaker was
    found (see _line_confidence)."""

    rule: str  # the RULE_CHANCE key
    described: bool  # the speaker is known only by a description
    talk_lines: int  # lines the speaker has in the line's talk
    sex_only: bool  # a pronoun tag or a beat that tells only the speaker's sex
    unresolved: bool  # ... whose pronoun the reading before it tied to nobody
    rivals: int  # ... others of that sex who speak in the same talk
    margin: float | None  # how clearly the talk's turn-taking chose the speaker
    beside_tag: bool  # its turn is untagged and next to a tagged turn of the talk


def _line_facts(
    turns: list[_Turn], saved: list[_Saved], decisions: dict[int, _Decision]
) -> dict[int, _LineFacts]:
    """What is known about how each decided dialogue line with a speaker was found, by
    line index (see _line_confidence)."""
    out: dict[int, _LineFacts] = {}
    index = {id(turn): k for k, turn in enumerate(turns)}
    for conversation in _conversations(turns):
        tagged = [j for j, turn in enumerate(conversation) if turn.anchor or turn.own]
        said = Counter(
            speaker
            for turn in conversation
            for i in turn.lines
            if i in decisions and (speaker := decisions[i].speaker) is not None
        )
        for j, turn in enumerate(conversation):
            for i in turn.lines:
                d = decisions.get(i)
                if d is None or d.speaker is None or d.rule is None:
                    continue
                rule = d.rule
                if rule == "tag" and i not in turn.own:
                    rule = "shared-tag"
                elif rule == "tag-pronoun" and i in turn.own:
                    rule = "own-pronoun"
                sex = turn.pronoun.get(i) or (turn.gender if i not in turn.own else None)
                sex_only = sex is not None and rule in ("tag-pronoun", "beat")
                # pass 1's referent: the pronoun's own, or a beat's subject
                first = turn.guess.get(i) if i in turn.pronoun else saved[index[id(turn)]][0]
                out[i] = _LineFacts(
                    rule=rule,
                    described=d.speaker.epithet and not d.speaker.narrator,
                    talk_lines=said[d.speaker],
                    sex_only=sex_only,
                    unresolved=sex_only and first is None and rule != "beat",
                    rivals=sum(
                        1
                        for e in said
                        if e is not d.speaker
                        and not e.group
                        and e.gender == sex
                        and e not in turn.addressed
                    )
                    if sex_only
                    else 0,
                    margin=turn.margin,
                    beside_tag=j not in tagged and any(abs(j - t) == 1 for t in tagged),
                )
    return out


def _line_confidence(facts: _LineFacts | None) -> float:
    """The chance that a line's speaker is right: its rule's RULE_CHANCE, with the odds
    of a mistake multiplied by each factor that applies (see the constants above)."""
    if facts is None:
        return NO_SPEAKER
    chance = RULE_CHANCE.get(facts.rule, 0.5)
    odds = (1 - chance) / chance  # of a mistake
    if facts.described:
        odds *= DESCRIBED
    if facts.talk_lines >= ESTABLISHED_LINES:
        odds *= ESTABLISHED
    if facts.sex_only:
        if facts.unresolved:
            odds *= UNRESOLVED
        if facts.margin is not None and facts.margin < CLOSE_MARGIN:
            odds *= CLOSE_CALL
        if facts.rivals >= 2:
            odds *= CROWDED
    elif (
        facts.rule in ("turns", "vocative", "other")
        and facts.margin is not None
        and facts.margin < TURNS_MARGIN
    ):
        odds *= TURNS_CLOSE
        if facts.beside_tag:
            odds *= BESIDE_TAG
    return round(1 / (1 + odds), 2)


# Headings that say whose writing follows: "JONATHAN HARKER'S JOURNAL", "Dr. Seward's
# Diary", "Letter, Mina Murray to Lucy Westenra", "LADY HOWARD TO THE REV. MR. VILLARS"
_OWN_HEADING = re.compile(
    r"(?i)^[\W_]*(?P<name>[a-z][\w.'’ -]{2,40}?)['’]s\s+(?:journal|diary|narrative|statement"
    r"|memorandum|note-?book|log|phonograph\s+diary)\b"
)
_LETTER_HEADING = re.compile(
    r"(?i)^[\W_]*(?:letter|telegram|note)\b[,.:]?\s+(?:\(\w+\)\s+)?(?:from\s+)?"
    r"(?P<name>[a-z][\w.'’ -]{2,40}?)\s+to\s+\S"
)
# "LADY HOWARD TO THE REV. MR. VILLARS", "Mr. Ormsby to Miss Lane": a letter's writer and
# the one it is sent to ("HARRY TO THE RESCUE" sends nothing to anyone)
_ADDRESSED_LETTER = re.compile(
    r"^(?P<name>[A-Z][A-Z.'’ -]{2,40}?)\s+TO\s+(?:THE\s+)?(?P<to>[A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z'’-]*)?)"
    r"|^(?P<name2>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}?)\s+to\s+(?:the\s+)?"
    r"(?P<to2>[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)
HEADING_CHARS = 100  # a paragraph longer than this is prose, not a heading


def _revealed_speaker(
    text: str,
    start: int,
    end: int,
    resolve: Callable[[_Subject, bool], _Entity | None],
    names: _Names,
) -> tuple[_Entity, Span] | None:
    """Whose voice the first sentence of a narration paragraph says the quote just before
    it was, or whom its hearer sees there (see _VOICE_REVEALED); and where the text names
    them ("Roland Pike" of "the voice of Roland Pike")."""
    opening = _SENTENCE.search(text, start, end)
    if opening is None:
        return None
    first, at = opening.group(0), opening.start()
    voice = _VOICE_REVEALED.search(first)
    if voice is not None:
        group = next(g for g in ("name", "name2", "name3", "np") if voice.group(g) is not None)
        name = voice.group(group) if group != "np" else None
        if name is not None:
            if name.split()[0] in NOT_NAMES:
                return None  # "Her voice", "His voice": only a sex
            owner = resolve(_Subject("name", _POSSESSIVE.sub("", name)), False)
            if owner is None or not owner.person or owner.group:
                return None
            whose = _POSSESSIVE.search(name)  # "Roland" of "Roland's voice"
            span = _group_span(voice, group, at)
            return owner, (span[0], span[1] - (len(whose[0]) if whose else 0))
        np = " ".join(voice.group("np").split())
        if not names.nouns.person_np.fullmatch(np):
            return None  # "the wind's voice"
        found_np = resolve(_Subject("np", np), False)
        return (found_np, _group_span(voice, "np", at)) if found_np is not None else None
    seen = _SPEAKER_SEEN.search(first)
    if seen is None:
        return None
    who, what = seen.group("who"), seen.group("seen")
    if what.split()[0] in ("the", "a", "an"):
        # "saw the stranger leaning on the gate": the longest run of words naming a
        # person; none in "saw the lamp still burning"
        words = what.split()
        phrase = next(
            (
                " ".join(words[:k])
                for k in range(len(words), 1, -1)
                if names.nouns.person_np.fullmatch(" ".join(words[:k]))
            ),
            None,
        )
        if phrase is None:
            return None
        found = resolve(_Subject("np", phrase), False)
        span = _phrase_span(text, at + seen.start("seen"), phrase) or _group_span(seen, "seen", at)
    elif what.split()[0] in NOT_NAMES:
        return None
    else:
        found = resolve(_Subject("name", what), False)
        if found is None or not found.person:
            return None
        span = _group_span(seen, "seen", at)
    if found is None or found.group:
        return None
    hearer = resolve(_Subject("pron" if who.lower() in ("he", "she", "i") else "name", who), False)
    return None if found is hearer else (found, span)


def _heading_writer(heading: str, names: _Names) -> _Entity | None:
    """The person a journal or letter heading names as its writer, if it names one."""
    own = _OWN_HEADING.match(heading) or _LETTER_HEADING.match(heading)
    if own is not None:
        name = own.group("name")
    else:
        m = _ADDRESSED_LETTER.match(heading)
        if m is None:
            return None
        name, to = (m["name"], m["to"]) if m["name"] else (m["name2"], m["to2"])
        to = " ".join(w.capitalize() if w.isupper() else w for w in to.split())
        receiver = names.lookup(to)
        if to.split()[0] not in TITLES and (receiver is None or not receiver.person):
            return None
    words = [w.capitalize() if w.isupper() else w for w in name.split()]
    while words and words[0].lower() in ("the", "from"):
        words = words[1:]
    form = " ".join(words)
    if not form or form.split()[-1].rstrip(".") in TITLES:
        return None
    sex = _title_gender(words[0]) if words[0] in TITLES else None
    found = names.lookup(form)
    if found is None and len(words) > 1 and sex is not None:
        # "Miss Mina Murray": the text calls her "Mina Murray"
        found = names.lookup(" ".join(words[1:]))
    if found is not None and sex is not None and found.gender == _OPPOSITE[sex]:
        found = None  # "Mr. Villars" is not the Mrs. Villars the text talks of
    if found is None:
        found = _Entity(name=form)
        found.forms[form] += 1
        found.fixed_gender = sex
        found.name_gender = _name_gender(found)
        names.entities.append(found)
    return found


def _section_writers(work: Work, lines: Sequence[Line], names: _Names) -> dict[int, _Entity]:
    """Dialogue line -> the writer of the journal or letter it is in, where a heading
    names one. A chapter without such a heading goes on with the last writer."""
    writer: _Entity | None = None
    found: dict[int, _Entity] = {}
    chapter_no: int | None = None
    by_paragraph = groupby(
        range(len(lines)), key=lambda i: (lines[i].chapter, lines[i].scene, lines[i].paragraph)
    )
    for (chapter_index, _, _), group in by_paragraph:
        para = list(group)
        if chapter_index != chapter_no:
            chapter_no = chapter_index
            chapter = work.chapters[chapter_index - 1]
            for heading in (chapter.title, chapter.heading):
                named = _heading_writer(heading, names) if heading else None
                if named is not None:
                    writer = named
                    break
        start, end = lines[para[0]].start, lines[para[-1]].end
        if end - start <= HEADING_CHARS and all(lines[k].kind == "narration" for k in para):
            writer = _heading_writer(work.text[start:end].strip(), names) or writer
        if writer is not None:
            found.update((k, writer) for k in para if lines[k].kind == "dialogue")
    return found


# Words for a person; ranks and trades too ("The captain glared at him … and at last
# broke out with a low oath,")
PERSON_NOUNS = (
    frozenset(EPITHET_GENDER)
    | ROLE_NOUNS
    | _words(
        """child stranger person figure servant soldier officer clerk nurse doctor urchin
    driver porter landlord landlady keeper waiter stranger traveller traveler visitor
    guide messenger beggar peddler pedlar hunter trapper scout sentry sentinel pilgrim
    prisoner convict jailer gaoler gardener valet attendant steward conductor shepherd
    miner blacksmith carpenter tailor baker butcher grocer merchant trader pilot skipper
    warrior peasant labourer laborer undertaker physician apothecary barber attorney
    solicitor magistrate sheriff warder turnkey passenger neighbour neighbor villager
    innkeeper shopkeeper"""
    )
)
# "my uncle", "our landlady": a first-person narrator's word for someone close
_OWN_RELATION = re.compile(r"\b(?:[Mm]y|[Oo]ur)\s+[a-z]+(?:-in-law)?\b")
# "Thomas Johnson, the Armstrongs' colored butler,": a name with a word for a person
# set beside it
_APPOSITIVE_PERSON = re.compile(
    r",\s+(?:the|a|an|his|her|my|our|their|[A-Z][\w]+['’]s?)\s+(?:[\w'’-]+\s+){0,3}?(?:"
    + "|".join(sorted(PERSON_NOUNS))
    + r"|[a-z]+(?<!hu)(?<!wo)(?<!fore)man|[a-z]+woman)\b(?!['’])"
)
# Ways of leaving a scene: "left the room", "rode on", "withdrew", "was helped out"
_LEAVE_VERBS = (
    r"(?:left\s+(?:the\s+(?:room|house|hall|library|parlou?r|kitchen|table|shop|office)|"
    r"him|her|them|us|me)|went\s+(?:out|away|upstairs|home|off|up\s+to\s+bed|to\s+bed)|"
    r"rode\s+(?:on|off|away)|drove\s+(?:on|off|away)|walked\s+(?:off|away|out)|withdrew|"
    r"departed|disappeared|exited|took\s+(?:his|her)\s+leave|retired\s+(?:to|for)|"
    r"was\s+(?:assisted|helped|carried|led)\s+(?:to|out|up|from))\b"
)
# "Shikamaru and the remaining ANBU bowed before also exiting through the balcony": kept
# apart, and only tried where "before" is, since it scans on from every name
_LEAVE_BEFORE = (
    r"[^.!?;\"“”]{0,50}?\bbefore\s+(?:also\s+)?(?:exiting|leaving|departing|disappearing)\b"
)
_LEAVES = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)*[^.!?;\"“”]{0,80}?\b"
    + _LEAVE_VERBS
    + r"|[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)*"
    + _LEAVE_BEFORE
)
# "In an arm-chair, his head on his hand, sat an aged man", "In came a tall soldier": the
# verb before its subject, which is someone the scene brings in
_INVERTED_ENTRY = re.compile(
    r"(?:^|[,;:]\s+|\b(?:[Tt]here|[Hh]ere|[Ii]n|[Oo]ut|[Uu]p|[Dd]own|[Ff]orth|[Bb]y)\s+)"
    r"(?:sat|stood|lay|knelt|leaned|lounged|waited|came|walked|stepped|strode|rode|appeared"
    r"|entered)\s+$"
)
_ROLE_AS = re.compile(r"\b(?:as|like)\s+$")
_GENERIC_WHEN = re.compile(r"\b(?:[Ww]hen|[Ii]f|[Ww]henever|[Uu]nless)\s+$")
_PRESENT_ACT = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+[^s\W]s\b")


def _generic(text: str, start: int, end: int) -> bool:
    """ "When a girl leaves her home …": the noun phrase at text[start:end] is anyone of
    that kind, a present tense in a when/if clause, not someone in the story."""
    return (
        _GENERIC_WHEN.search(text, max(0, start - 12), start) is not None
        and _PRESENT_ACT.match(text, end) is not None
    )


_GENERIC_MODAL = re.compile(r"\s+(?:should|must|ought|can|cannot|may|might|will|would)\b")


def _person_np(extra: frozenset[str]) -> re.Pattern[str]:
    """ "a fellow countryman", "the ANBU": a description ending in a word for a person."""
    nouns = "|".join(sorted(PERSON_NOUNS | extra))
    return re.compile(
        rf"\b(?:[Aa]n?|[Tt]he)\s+(?:[a-z][\w'’-]*\s+){{0,2}}?(?:{nouns}"
        r"|[a-z]+(?<!hu)(?<!wo)(?<!fore)man|[a-z]+woman|" + _PEOPLE_ACTING + r")\b(?!['’-])"
        # "a fellow countryman", "a fellow passenger": the first noun only describes the second
        rf"(?!\s+(?:{nouns}|[a-z]+m[ae]n|passengers?|creatures?|students?|citizens?|lodgers?)\b)"
    )


def _introduction(text: str, start: int, end: int, head: str) -> str | None:
    """The last "a/an ... HEAD" in text[start:end]: where an unnamed person came in."""
    found = None
    # a lookahead, so that matches may overlap: in "a little while a youth" the first
    # "a" does not hide the second
    pattern = re.compile(
        r"\b(?=((?:[Aa]n?|[Oo]ne)\s+(?:[\w'’-]+,?\s+){0,3}?" + re.escape(head) + r"\b))"
    )
    for m in pattern.finditer(text, max(start, end - 6000), end):
        before = text[max(0, m.start() - 20) : m.start()].split()[-2:]
        if before and before[-1].lower() in ("is", "are", "am") and before[0].lower() != "there":
            # "You are a kind man": said of someone in speech, not someone coming in
            # (but "the man, who was a porter" is how the narration names his trade)
            continue
        words = m.group(1).replace(",", "").split()
        if not any(w.lower() in _NP_STOP for w in words[1:-1]):
            found = " ".join(m.group(1).split())  # wrapped text: "a\nsolitary man"
    return found


# The name a person known only by a description goes by in the script and the cast: the
# words that first described them, with what follows the noun and belongs to it ("a dame
# of fifty", "a man in the crowd", "the first man who came in"), as a reader would call
# them. Only what is shown changes: who is who is decided by the plain description.
_LABEL_MAX_WORDS = 6  # at most this many words after the noun: a label stays short
_LABEL_TOKEN = re.compile(r"\n|[A-Za-z0-9][\w'’-]*|[^\w\s]")
_LABEL_PREPOSITIONS = _words("of in at on by near behind beside from under outside inside with")
_LABEL_DEFINITE = _words("the his her their its my our your this that")
# A preposition's noun that tells how something was said or when, not who: "said the man
# in a low voice", "cried the girl at the same moment", "said he under his breath", "I
# met a man in the morning"
_MANNER_NOUNS = _words(
    """voice voices tone tones whisper whispers undertone undertones way manner fashion turn
    time times moment instant meantime end breath sleep surprise astonishment amazement hurry
    haste reply answer return course sudden rage anger earnest part opinion view same usual
    least last first length once all mind heart ear ears sort kind own accord presence
    morning evening night afternoon day days week year years hour minute"""
)
# Finite verbs of a main clause that end the noun phrase before them: "The man at the
# gate was", "the man who came in looked"
_LABEL_AUX = _words(
    "was were is are be been being had has have would could should will shall did does do "
    "must may might can cannot"
)
_LABEL_NOT_VERB = _words("he she it they we i you the a an his her their my our your its this")


def _verb_like(word: str) -> bool:
    """A word that may well be a main clause's verb ("marveled", "stood", "said")."""
    w = word.lower()
    return w in _LABEL_AUX or w in SPEECH_VERBS or w in _IRREGULAR_PAST or w.endswith("ed")


def _label_words(tokens: list[str], start: int, after_tag: bool) -> int:
    """How many tokens from ``start`` are a post-modifier of a description: a phrase with
    a preposition ("of fifty", "in the crowd", "at the gate") and/or a short relative
    clause ("who came in", "whose horse had gone lame"). 0 when there is none, or when it
    goes on past what can be told apart from the rest of the sentence."""
    taken = 0
    i = start
    if i < len(tokens) and tokens[i] in _LABEL_PREPOSITIONS:
        prep = tokens[i]
        j = i + 1
        det = tokens[j].lower() if j < len(tokens) else ""
        if det in _LABEL_DEFINITE or (det in ("a", "an") and (prep == "of" or not after_tag)):
            j += 1
        elif prep != "of":
            return 0  # "at last", "in surprise": how, not who
        if prep == "with" and after_tag:
            return 0  # "said the man with a laugh"
        noun: list[str] = []
        while j < len(tokens):
            word = tokens[j]
            if not word[:1].isalpha() or word in ("who", "whose"):
                break
            if noun and _verb_like(word):
                break  # "The other boys in the class laughed"
            if len(noun) == 3 or not word.islower() or word in _NP_STOP:
                return 0
            noun.append(word)
            j += 1
        if not noun or any(w in _MANNER_NOUNS for w in noun):
            return 0
        taken = i = j
    if i < len(tokens) and tokens[i] in ("who", "whose"):
        clause = _relative_words(tokens, i)
        if clause:
            taken = i + clause
    if taken - start > _LABEL_MAX_WORDS:
        return 0
    return max(0, taken - start)


def _relative_words(tokens: list[str], start: int) -> int:
    """How many tokens from ``start`` ("who" or "whose") a short relative clause holds:
    to punctuation, or to the main clause's verb after its own ("who came in | was"). 0
    when it runs on ("who came in and sat down") or is a question ("asked who he was")."""
    whose = tokens[start] == "whose"
    verb = False  # the clause's own verb seen
    prev_aux = False
    j = start + 1
    while j < len(tokens):
        word = tokens[j]
        if not word[:1].isalpha():
            break
        low = word.lower()
        if j == start + 1 and (low in _LABEL_NOT_VERB or (whose and _verb_like(low))):
            return 0  # "asked the man who he was"
        if low in ("and", "or", "but") or j - start > _LABEL_MAX_WORDS:
            return 0
        if verb and not prev_aux and _verb_like(low) and (low in _LABEL_AUX or not whose):
            break  # "who came in | was a large officer"
        if not verb and (not whose or low in _LABEL_AUX or low.endswith("ed")):
            verb = not low.endswith("ly")  # "who slowly rose": the verb after the adverb
        prev_aux = low in _LABEL_AUX
        j += 1
    else:
        return 0
    if not verb or j == start + 1:
        return 0
    return j - start


def _after_speech_verb(text: str, at: int) -> bool:
    """Whether the words at ``at`` follow a speech verb, as a tag's subject does ("cried
    a man", "interposed, more softly, a young wife"): a phrase after them is as often how
    it was said as who said it."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text[max(0, at - 40) : at])
    while words and words[-1].endswith("ly") and words[-1] not in SPEECH_VERBS:
        words.pop()
    while words and words[-1] in ("more", "less", "very", "quite", "rather", "up", "out"):
        words.pop()
    return bool(words) and words[-1].lower() in SPEECH_VERBS


def _with_post_modifier(text: str, start: int, end: int) -> str:
    """The description at text[start:end] with a short post-modifier that belongs to it
    ("a man" + " in the crowd"), as written; the bare description when none."""
    window = text[end : end + 200]
    matches = list(_LABEL_TOKEN.finditer(window))
    count = _label_words([m.group(0) for m in matches], 0, _after_speech_verb(text, start))
    stop = end + matches[count - 1].end() if count else end
    words = " ".join(text[start:stop].split())
    first, _, rest = words.partition(" ")
    return f"{first.lower()} {rest}" if first.lower() in _LABEL_DET_WORDS and rest else words


_LABEL_DET_WORDS = _words("the a an his her their my our")


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<![\w'’-]){words}(?![\w'’-])", re.IGNORECASE)


def _description_label(
    text: str,
    name: str,
    lo: int,
    here: int,
    until: int,
    quoted: Callable[[int], bool],
    named: Callable[[int, int], bool],
) -> str | None:
    """What to call someone known by the description ``name``: its words where the text
    first gives them, with a post-modifier (see _with_post_modifier); None when that is
    just ``name``. The words are looked for first in text[here:until] (the paragraph whose
    tag named them), then, last first, in text[lo:here] (a narration that brought them in).

    Two earlier mentions are preferred: "a parish doctor" after "the parish doctor" in
    the same scene (the same words, two or more, said before) and "said the sergeant"
    after narration a little before about "her loyal sergeant" (the same noun with more
    words of its own)."""
    if _creature_title(name):
        return _fuller_title(text, name.split()[1:], lo, until, quoted)
    pattern = _phrase_pattern(name)
    found = next((m for m in pattern.finditer(text, here, until) if not quoted(m.start())), None)
    if found is None:
        before = [m for m in pattern.finditer(text, lo, here) if not quoted(m.start())]
        found = before[-1] if before else None
    if found is None:
        return None
    start, end = found.span()
    words = name.lower().split()
    key = words[1:]
    if words[0] in ("a", "an") and len(key) >= 2:
        # only where nothing else in the scene before used the noun: "the old man" said
        # of someone earlier does not make "an old man" who comes in later the same man
        # (nor in a sentence that names someone: "Voss slept, and the old man snored")
        noun = [m.end() for m in _phrase_pattern(key[-1]).finditer(text, lo, start)]
        same = [m for m in _phrase_pattern("the " + " ".join(key)).finditer(text, lo, start)]
        if len(noun) == 1 and len(same) == 1 and not quoted(same[0].start()):
            opens = max(text.rfind(stop, lo, same[0].start()) for stop in ".!?\n")
            closes = [at for stop in ".!?\n" if (at := text.find(stop, same[0].end())) >= 0]
            if not named(max(lo, opens + 1), min(closes, default=len(text))):
                start, end = same[0].span()
    label = _with_post_modifier(text, start, end)
    plain = " ".join(text[start:end].split()).lower()
    if words[0] == "the" and key and label.lower() == plain:
        richer = _richer_mention(text, key, max(lo, start - RICHER_REACH), start, quoted)
        if richer is not None:
            label = _with_post_modifier(text, *richer)
    return label if label.lower() != " ".join(name.split()).lower() else None


RICHER_REACH = 1500  # how far back a fuller description of "the sergeant" may be


def _creature_title(name: str) -> bool:
    """Whether a description is an animal's kind written with capitals, as a fable or a
    children's book names its one creature of that kind: "the Otter", "the Grey Owl"."""
    words = name.split()
    return (
        len(words) > 1
        and words[0].lower() == "the"
        and all(w[:1].isupper() for w in words[1:])
        and words[-1].lower() in ANIMAL_NOUNS
    )


def _fuller_title(
    text: str, title: list[str], lo: int, hi: int, quoted: Callable[[int], bool]
) -> str | None:
    """The fullest form of a creature's title (see _creature_title) the narration in
    text[lo:hi] gives: "the Owl" is "the Grey Owl" after "a Grey Owl flew down", as a
    reader would call it: a title is a name, so "the" and no words after it. None when
    the narration has no more capitals for it."""
    pattern = re.compile(
        r"(?<![\w'’-])(?i:the|an?)\s+((?:[A-Z][\w'’-]*\s+){1,3}?)"
        + re.escape(title[-1])
        + r"(?![\w'’-])"
    )
    best: list[str] = []
    for m in pattern.finditer(text, lo, hi):
        words = m.group(1).split()
        if quoted(m.start()) or not set(title[:-1]) <= set(words) or len(words) < len(best):
            continue
        best = words
    if len(best) < len(title):
        return None
    return " ".join(["the", *best, title[-1]])


def _richer_mention(
    text: str, key: list[str], lo: int, hi: int, quoted: Callable[[int], bool]
) -> Span | None:
    """The latest narration in text[lo:hi] naming the noun of "the " + KEY with its other
    words and more: "her loyal sergeant" or "the sergeant at the gate" for "the sergeant".
    "The other girls" may be "the girls", but "the other woman" is not "the woman"."""
    head = key[-1]
    plural = _plural_description(" ".join(key))
    pattern = re.compile(
        r"(?<![\w'’-])(?i:the|his|her|their|my|our|a|an)\s+((?:[a-z][\w'’-]*\s+){0,3}?)"
        + f"(?i:{re.escape(head)})"
        + r"(?![\w'’-])"
    )
    found: Span | None = None
    for m in pattern.finditer(text, lo, hi):
        mods = m.group(1).split()
        if quoted(m.start()) or any(w.lower() in _NP_STOP for w in mods):
            continue
        if not set(key[:-1]) <= {w.lower() for w in mods}:
            continue
        if not plural and {"other", "another"} & {w.lower() for w in mods}:
            continue
        found = m.span()
    if found is None:
        return None
    plain = " ".join(text[found[0] : found[1]].split()).lower()
    if plain == "the " + " ".join(key) and _with_post_modifier(text, *found).lower() == plain:
        return None  # the same words, nothing more
    return found


_RELATIVE_OWNER = (
    r"(?P<owner>the\s+[a-z]+|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?),"
    r"\s+who\s+(?:was|is|had\s+been)\s+an?\s+(?:[\w'’-]+\s+){0,3}?"
)


# "Tom Pike, though a poor man, was", "Ann Hale, a quiet woman, said": a name and the
# "a/an …" description set beside it in one clause, with at most a short aside between
# ("on the other hand"); the description must close with a comma and not go on as a
# list ("Tom, a woman, and a boy" is three people)
_APPOSITIVE_OWNER = (
    r"(?<![\w'’])(?P<owner>(?:" + _TITLE_WORD + r"\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?),"
    r"(?:\s+[a-z]+(?:\s+[a-z]+){0,3},)?\s+(?:(?:though|although|then|once|still|always)\s+)?"
)
_NOT_APPOSITIVE_AFTER = re.compile(r",\s+(?:and|or|nor|a|an|the)\b")


def _appositive_owner(text: str, start: int, end: int, intro: str, until: int) -> str | None:
    """The name the last "NAME, though INTRO," in text[start:end] sets the description
    beside: "Ned Rowe, though a quiet man, was stubborn" makes "a quiet man" Ned Rowe;
    None when the same words come again before ``until`` (the tag's paragraph's end)."""
    words = r"\s+".join(re.escape(w) for w in intro.split())
    found = None
    pattern = re.compile(_APPOSITIVE_OWNER + words + r"(?=,)")
    for m in pattern.finditer(text, max(start, end - 6000), end):
        if _NOT_APPOSITIVE_AFTER.match(text, m.end()) is None:
            found = m
    if found is None or re.compile(r"\b" + words + r"\b").search(text, found.end(), until):
        # "… when a tall man came in" after "Hale, a tall man, …": the same words
        # bringing in someone new later
        return None
    return " ".join(found.group("owner").split())


# words for the same person: a polite one and a plain one, or ones for a young man
_SAME_PERSON_HEADS = (
    _words("lady woman"),
    _words("gentleman man"),
    _words("lad youth boy stripling youngster"),
    _words("girl lass maiden"),
)
_OTHER_HEADS = {
    head: tuple(sorted(group - {head})) for group in _SAME_PERSON_HEADS for head in group
}


def _relative_owner(text: str, start: int, end: int, head: str) -> str | None:
    """Who the last "X, who was a … HEAD" in text[start:end] says is one: "asked the
    man, who was a porter in the employ of a firm" makes the porter the man."""
    found = None
    pattern = re.compile(_RELATIVE_OWNER + re.escape(head) + r"\b")
    for m in pattern.finditer(text, max(start, end - 6000), end):
        found = m.group("owner")
    return found


# Heads that introduce an unnamed person of one sex ("a tall man", "a young girl");
# kinship and rank words name a relation, not a newcomer.
_NEWCOMER_HEADS: dict[Gender, tuple[str, ...]] = {
    # "a ferryman", "a washerwoman": trades named by a compound are people too
    "male": (r"[a-z]*(?<!wo)(?<!hu)man", "boy", "gentleman", "lad", "fellow", "youth", "stranger"),
    "female": (r"[a-z]*woman", "girl", "lady", "lass", "maid"),
}


def _head_pattern(gender: Gender, before: str, after: str) -> re.Pattern[str] | None:
    """A noun phrase ending in a word for a person of that sex, between two patterns."""
    heads = _NEWCOMER_HEADS.get(gender)
    if not heads:
        return None
    return re.compile(before + "(?:" + "|".join(heads) + ")" + after, re.MULTILINE)


# Words before "a man" that make it a comparison or a predicate ("like a man of stone",
# "he was a young man of excellent character"), not someone coming in
_NOT_INTRODUCING = _words("as like than such what quite was were is are been be being became")
# before "one man", "one girl": not one brought in out of a group ("One girl stood
# apart from the rest"), but the only one, or none, or each
_NOT_ONE = _words("the no any every each that this which his her their my our your")


_PLAIN_HEADS = _words("man woman gentleman lady fellow person")
_PLAIN_ADJECTIVES = _words("other same first second last next little")  # tell nobody apart


def _introduction_sharing(
    text: str, start: int, end: int, adjectives: list[str], gender: Gender | None
) -> str | None:
    """The last "a/an … PERSON" in text[start:end] with one of these adjectives and no
    other sex: "a young officer" for "the young man"."""
    wanted = {a for a in adjectives if a not in _PLAIN_ADJECTIVES and a not in _NP_STOP}
    if not wanted:
        return None
    found = None
    for m in _nouns(frozenset()).person_np.finditer(text, max(start, end - 6000), end):
        words = " ".join(m.group(0).split()).split()
        if words[0].lower() not in ("a", "an") or not wanted & {w.lower() for w in words[1:-1]}:
            continue
        if gender is not None and _head_gender(words[-1].lower()) not in (gender, None):
            continue
        found = " ".join([words[0].lower(), *words[1:]])
    return found


def _gendered_introduction(text: str, start: int, end: int, gender: Gender) -> str | None:
    """The last "a/an [up to four modifiers] man|woman|…" in text[start:end] that brings
    someone in (not "as a boy", "like a man of stone", "he was a young man")."""
    pattern = _head_pattern(
        gender,
        r"(?<![\w'’])(?P<np>(?:[Aa]n?|[Oo]ne)\s+(?:[a-z][\w'’-]*,?\s+){0,4}?",
        r")\b(?![-'’])",
    )
    if pattern is None or end <= start:
        return None
    found = None
    for m in pattern.finditer(text, start, end):
        before = text[max(0, m.start() - 20) : m.start()].split()[-2:]
        words = m.group("np").replace(",", "").split()
        if (
            before
            and before[-1].lower() in _NOT_INTRODUCING
            and before[0].lower() not in {"there", "here"}  # "There was a ferryman"
        ):
            continue
        if any(w.lower() in _NP_STOP for w in words[1:-1]):
            continue
        if words[0].lower() == "one" and before and before[-1].lower() in _NOT_ONE:
            continue  # "the one man I trusted", "no one man could lift it": nobody new
        if _generic(text, m.start(), m.end()):
            continue  # "When a girl leaves her home at sixteen": any girl
        found = " ".join(words)
    if found is not None and found.split()[0] == "A":
        found = "a " + found.split(" ", 1)[1]
    if found is not None and found.split()[0] == "An":
        found = "an " + found.split(" ", 1)[1]
    if found is not None and found.split()[0] == "One":
        found = "one " + found.split(" ", 1)[1]
    return found


def _described_subject(text: str, start: int, end: int, gender: Gender) -> str | None:
    """The last "The [two modifiers] woman|lady|…" that opens a sentence in text[start:end]
    and acts ("The old lady pulled her spectacles down"): someone on stage the narration
    has not named yet."""
    pattern = _head_pattern(
        gender,
        r"(?:^|(?<=[.!?;]\s)|(?<=[.!?]\s\s)|(?<=\n))(?P<np>The\s+(?:[a-z][\w'’-]*\s+){0,2}?",
        r")\s+(?P<verb>[a-z]+)",
    )
    if pattern is None or end <= start:
        return None
    found = None
    for m in pattern.finditer(text, start, end):
        words = m.group("np").split()
        if any(w.lower() in _NP_STOP for w in words[1:-1]) or m.group("verb") in _NP_STOP - {
            "had",
            "was",
        }:
            continue
        found = "the " + " ".join(words[1:])
    return found


def _possessed_subject(
    text: str, start: int, end: int, gender: Gender, quoted: Callable[[int], bool]
) -> tuple[int, str] | None:
    """The last "my mother", "our master" that acts in text[start:end] ("my mother whinnied
    to me", "Our master was a good, kind man"): someone the narrator knows by what they are
    to them, who may be the only one of that sex there."""
    found = None
    for m in _POSSESSED_SUBJECT.finditer(text, start, end):
        if EPITHET_GENDER.get(m.group("head")) != gender:
            continue
        if m.group("verb") in _NP_STOP - {"had", "was", "would"} or quoted(m.start()):
            continue  # '"My father was a sailor," she said' speaks of him; he is not here
        found = (m.start(), f"{m.group('det').lower()} {m.group('head')}")
    return found


_POSSESSED_SUBJECT = re.compile(
    r"(?<![\w'’])(?P<det>[Mm]y|[Oo]ur)\s+(?P<head>[a-z]+)\s+(?P<verb>[a-z]+)\b"
)

_GENERIC_HEADS = _words("child infant youngster figure person")
_SEEN_VOICE_HEADS = _words("man woman stranger speaker")


def _latest_introduction(text: str, start: int, end: int) -> str | None:
    """The last "a [young] man|woman|boy|girl…" that brought someone into text[start:end]."""
    found: tuple[int, str] | None = None
    for gender in ("male", "female"):
        intro = _gendered_introduction(text, start, end, gender)
        if intro is not None:
            at = text.rfind(intro.split(" ", 1)[1], start, end)
            if found is None or at > found[0]:
                found = (at, intro)
    return found[1] if found else None


def _indefinite_article(name: str) -> bool:
    """ "a shabby little man": a description that brings someone in."""
    return name.lower().startswith(("a ", "an "))


def _indefinite(name: str) -> bool:
    """ "somebody", "one of the women", "another": a one-off voice, not someone to refer back to."""
    return (
        re.match(r"(?i)(?:somebody|someone|one\b|another|everyone|everybody|nobody)", name)
        is not None
    )


def _is_voice(name: str) -> bool:
    """ "a harsh voice": someone unseen, not a person "he" or "she" can point back to."""
    return name.lower().rstrip().endswith(("voice", "voices"))


def _acting(text: str, start: int) -> bool:
    """A name as the subject of a clause ("Kakashi nodded", "…, and Sakura turned"),
    not an object or a possessive ("observed Durbeyfield's name")."""
    m = _ACTOR.match(text, start, start + 80)
    if m is not None and _POSSESSIVE.search(m.group("name")):
        # "John Linden's face brightened": his face, so he is the one acting
        own = _FEATURE_ACTS.match(text, start + len(_POSSESSIVE.sub("", m.group("name"))))
        return own is not None and _subject_position(text, start)
    if m is None:
        # "Curtis, screened from his uncle's view, darted a glance …"
        aside = _ACTOR_ASIDE.match(text, start, start + 120)
        return aside is not None and _subject_position(text, start)
    verb = m.group("verb")
    if verb.endswith("ed") or verb in _IRREGULAR_PAST:
        return True
    head = _head(text, start)
    return not head or head[-1] in '.!?"“”‘’\n—;:' or _CLAUSE_LEAD.search(head) is not None


_SENTENCE_STOP = re.compile(_NOT_AFTER_TITLE + r"[.!?…]+[\"”’')]*\s+")


_AS_PRONOUN = re.compile(r"\b(?:as|while)\s+(?P<pronoun>she|he)\b")


def _sex_in_tag(text: str, start: int, description: str) -> Gender | None:
    """The sex the tag's own sentence gives a description whose noun gives none:
    '"Stay," the newcomer begged, as she pulled off her gloves' is a woman's line."""
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end  # the tag's own paragraph
    m = _description_pattern(description).search(text, start, end)
    if m is None:
        return None
    stop = _SENTENCE_STOP.search(text, m.end(), end)
    sentence = text[m.end() : stop.start() if stop else end]
    said = _AS_PRONOUN.search(sentence)
    if said is None:
        return None
    return "female" if said.group("pronoun") == "she" else "male"


def _set_apart(
    text: str,
    names: _Names,
    start: int,
    end: int,
    description: str,
    people: list[_Entity],
    quoted: Callable[[int], bool],
) -> list[_Entity]:
    """Those of the people whom a sentence of the narration in text[start:end] names
    while it uses the description for someone else: "Cameron kept pace with the
    prospector" (not "Cameron, the prospector," or "the prospector Cameron", which join
    them). The description's mentions are found once for all of them: a long scene has
    many."""
    found: list[_Entity] = []
    if not people:
        return found
    for m in _description_pattern(description).finditer(text, start, end):
        if quoted(m.start()):
            continue
        # the sentence around it, within its paragraph
        lo = max(start, text.rfind("\n\n", start, m.start()) + 1)
        lo = max([lo, *(s.end() for s in _SENTENCE_STOP.finditer(text, lo, m.start()))])
        hi = text.find("\n\n", m.end(), end)
        stop = _SENTENCE_STOP.search(text, m.end(), end if hi < 0 else hi)
        hi = stop.start() if stop else (end if hi < 0 else hi)
        for at, to, who in names.in_range(lo, hi):
            if who not in people or who in found or quoted(at):
                continue
            if at < m.end() and to > m.start():
                continue
            between = text[to : m.start()] if to <= m.start() else text[m.end() : at]
            if _SET_APART.search(between):
                found.append(who)
    return found


# Between a name and a description, what makes them two people: "Cameron and the
# prospector", or the later one governed by a preposition in the same sentence ("Cameron
# … kept pace with the prospector", "the prospector looked at Cameron"). Not a comma
# ("Cameron, the prospector"), a copula ("Cameron was the prospector") or a new clause
# ("Cameron woke, and the prospector …"), which may well be the same person.
_SET_APART = re.compile(
    r"(?:^\s*(?:and|or|nor)|\b(?:with|to|at|from|beside|behind|before|after|toward|towards"
    r"|for|upon|on|near|past|by|beyond|under|over|into|onto|against|among|around|about|of))"
    r"\s+$"
)


def _about_no_one(text: str) -> bool:
    """Sentences with no pronoun for a person and no name ("There was only one answer.")."""
    if _ANYONE.search(text):
        return False
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        words = sentence.split()
        if words and words[0][:1].isupper() and words[0].strip(",;:") not in NOT_NAMES:
            return False  # "Sakura smiled."
        if any(w[:1].isupper() for w in words[1:]):
            return False  # "Then Sakura smiled."
    return True


# "Sakura burst into laughter. They continued forward.": the group she is part of goes on,
# so she is still the last one seen acting (the sentence names no one else)
_ALL_GO_ON = re.compile(r"They\s+(?:[a-z]+ly\s+)?[a-z]+ed\b[^.!?\"“”A-Z]*[.!?]")


def _still_acting(text: str, start: int, end: int, past_no_one: bool = False) -> bool:
    """The name acts in the paragraph's last sentence, and that sentence is not about
    hearing someone else ("Kakashi awoke to the sound of voices."). With ``past_no_one``,
    sentences after it about no one do not count ("Kakashi ran his fingers through her
    hair. There was only one answer.")."""
    stop = _SENTENCE_STOP.search(text, start, end)
    after = text[stop.end() : end] if stop is not None else ""
    moving_on = _about_no_one(after) or _ALL_GO_ON.fullmatch(after.strip()) is not None
    if after.strip() and not (past_no_one and moving_on):
        return False  # another sentence follows: the point of view may have moved on
    opening = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", "\n\n"))
    sentence = text[opening + 1 : end]
    # "his voice that I glanced up" is not someone else heard speaking
    return re.search(r"\b(?:voices|a voice|sound|heard|hear|listened)\b", sentence) is None


_ANYONE = re.compile(
    r"\b(?:he|she|they|him|her|his|hers|them|their|I|me|my|we|us|our|you|your)\b", re.IGNORECASE
)
# "He leads her wordlessly into the shadows.": the one acting says nothing (see _attribute)
_WORDLESS = re.compile(r"\b(?:wordlessly|silently|without a word|in silence)\b")
# "Kakashi lay back and closed his eyes. He said nothing.": whoever speaks next, not him
_SILENT = re.compile(
    r"\b(?:said nothing|made no (?:answer|reply)|(?:did not|didn['’]t|does not|doesn['’]t) "
    r"(?:answer|reply|respond|speak)|(?:was|is|remained|kept) silent|to sleep|into sleep|asleep|dozed off)\b"
)
# "TOM!" ¶ No answer. ¶ "TOM!"; "… had her pinned in their locker!" ¶ It didn't ring
# a bell. ¶ "Seriously, she was …": the listener gave nothing back, the talker goes on
_NO_ANSWER = re.compile(
    r"(?i)\bno (?:(?:verbal|spoken)\s+)?(?:answer|reply|response|comment|remark)\b|\b(?:didn['’]t|did not) ring a bell\b"
    r"|\brang no bells?\b|\bmeant nothing to (?:him|her|me)\b|\bdrew a blank\b"
)
_COUNTERFACTUAL = re.compile(
    r"\b(?:would|could|might|should)(?:['’]ve|\s+have|\s+not\s+have|n['’]t\s+have)\b"
)
# "But Hugh had warned him the wick would smoke": talk told in the past perfect is
# remembered, from before the story's now; the one who said it is talked about, not
# brought on stage. Only verbs of telling: "Rosalind had piloted the ferry for years",
# "Tom had returned from the war" may well be there, and so may whoever "had answered
# the door"
_TELLING_PARTICIPLES = _words(
    """said told spoken asked promised warned explained insisted assured reminded advised
    suggested declared announced confided confessed mentioned replied urged claimed sworn
    vowed taught"""
)
_SAID_BEFORE = re.compile(
    _NAME_RE
    + r"\s+had\s+(?:(?:already|once|always|never|just|often|[a-z]+ly)\s+)?(?:"
    + "|".join(sorted(_TELLING_PARTICIPLES))
    + r")\b"
)
# "When Ada had asked her, she rose": a clause of time orders two things she does now
_TIME_CLAUSE_BEFORE = re.compile(
    r"\b(?:[Ww]hen|[Aa]fter|[Bb]efore|[Uu]ntil|[Tt]ill|[Oo]nce|[Ss]ince|[Aa]s\s+soon\s+as)\s*$"
)
# 'He said nothing.', 'Mr. Pell made no answer.': someone silent after a quote (not "said
# nothing more", which may be its speaker stopping)
_SAID_NOTHING = re.compile(
    r"(?:\b(?P<pron>[Hh]e|[Ss]he)|(?P<name>\b[A-Z][\w'’-]+))\s+(?:[a-z]+ly\s+)?"
    r"(?:said\s+nothing|made\s+no\s+(?:answer|reply)|(?:did\s+not|didn['’]t)\s+(?:answer|reply|respond))"
    r"\b(?!\s+(?:more|else|further))"
)

# 'I did so.', 'Ned obeyed.', 'She did as she was told.' opening the paragraph after a
# quote: the one who did what it bade. Only at the start ("As he did so, the door opened"
# tells of no bidding), and not the "did so" that stresses a verb ("I did so want to go")
_COMPLIED = re.compile(
    rf"\s*(?:(?P<pron>I|He|She)|(?P<name>{_NAME_RE}))\s+(?:[a-z]+ly\s+)?"
    r"(?:did\s+so(?=\s*[,.;:!—–-]|\s+(?:and|but|at|with|without|in|as|[a-z]+ly)\b)"
    r"|obeyed|complied|did\s+as\s+(?:I|he|she)\s+(?:was|had\s+been)\s+(?:told|bid|bidden|asked))\b"
)

_CLAUSE_STOP = re.compile(r"[.;!?\n]")


def _hypothetical(text: str, at: int) -> bool:
    """The sentence around a mention says what would have happened, not what does."""
    start = max(text.rfind(".", 0, at), text.rfind("\n", 0, at), text.rfind(";", 0, at)) + 1
    stop = _CLAUSE_STOP.search(text, at)
    return _COUNTERFACTUAL.search(text, start, stop.start() if stop else len(text)) is not None


_ROLE_REFERENCE = re.compile(
    r"\b(?:[Hh]er|[Hh]is|[Tt]heir)\s+(?:(?:former|old|beloved|dear)\s+)?"
    r"(?P<role>sensei|senpai|sempai|captain|taichou|teacher|master|mistress|doctor)\b"
)
_CONTINUED_SCENE = re.compile(r"[\"“‘']?(?:He|She|His|Her|Him)\b[^.!?\n]*")
# "Kakashi awoke to the sound of familiar voices in a heated exchange.": whoever wakes to
# voices listens to the talk that follows rather than joining it (but "He heard the sound
# of voices in the study." may be about to speak to someone else)
_OVERHEARS = re.compile(
    r"(?P<who>[A-Z][\w'’-]+|[Hh]e|[Ss]he)\s+(?:[a-z]+ly\s+)?"
    r"(?:awoke|awakened|woke(?:\s+up)?|came\s+to)\s+"
    r"(?:to\s+)?(?:the\s+)?(?:(?:sound|murmur|hum|rise\s+and\s+fall)\s+of\s+)?(?:[a-z]+\s+){0,2}?"
    r"voices\b"
)
_SLEEP_WORDS = r"(?:asleep|to\s+sleep|into\s+sleep|off\s+to\s+sleep|dozed\s+off)\b"
# "… watched him succumb to sleep", "Orrin rolled onto his side and drifted off to sleep"
# (a name: then only lower-case words, so "Margaret saw Edith fall asleep" is Edith)
_ASLEEP = re.compile(
    r"\b(?:(?P<pron>he|she|him|her|He|She)\s+(?:[a-z]+\s+){0,3}?"
    r"|(?P<name>[A-Z][\w'’-]+)\s+(?:[a-z][\w'’-]*\s+){0,12}?)" + _SLEEP_WORDS
)
_CONTINUATION = re.compile(
    r"\s*(?:(?:he|she|I)\s+(?:[a-z]+ly\s+)?(?:added|continued|went on|resumed|pursued|persisted)"
    r"|(?:added|continued|went on|resumed|pursued|persisted)\s+(?:he|she|I)\b)\b"
)
# "the parson rode on his way", "Mrs. Reed withdrew": someone leaves the scene
_LEAVER = (
    r"(?:(?P<np>\b[Tt]he\s+(?:[a-z][\w'’-]*\s+){0,2}?[a-z]+)|(?P<name>\b[A-Z][\w'’-]+"
    r"(?:\s+[A-Z][\w'’-]+)?))\s+"
)
_DEPARTS = re.compile(_LEAVER + r"(?:[a-z]+ly\s+)?(?:then\s+)?" + _LEAVE_VERBS)
_DEPARTS_BEFORE = re.compile(_LEAVER + _LEAVE_BEFORE)
_SUBJECT_PRONOUN = {"male": re.compile(r"\b[Hh]e\b"), "female": re.compile(r"\b[Ss]he\b")}


# characters: how far back the narration since the last quote is read for who its
# "he" (or "she") has been all along (see _sex_topic)
TOPIC_REACH = 6000
_POSSESSIVE_END = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")
_SENTENCE_OR_PARAGRAPH = re.compile(_SENTENCE_STOP.pattern + r"|\n\s*\n")


@cache
def _someone_described(extra: frozenset[str]) -> re.Pattern[str]:
    """A description of a person in any role: "the nurse", "a shabby little man", "his
    comrade", "her old nurse"."""
    nouns = "|".join(sorted(PERSON_NOUNS | _COMPANIONS | extra))
    return re.compile(
        rf"{_center_np(extra).pattern}|\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur)\s+"
        rf"(?:[a-z][\w'’-]*\s+){{0,2}}?(?:{nouns})\b(?!['’-])"
    )


def _sentence_bounds(
    text: str, start: int, end: int, stops: re.Pattern[str]
) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of text[start:end], split after each of
    ``stops``, with a last piece that has no stop when it holds any words."""
    bounds: list[tuple[int, int]] = []
    at = start
    for stop in stops.finditer(text, start, end):
        bounds.append((at, stop.end()))
        at = stop.end()
    if text[at:end].strip():
        bounds.append((at, end))
    return bounds


def _sex_topic(
    text: str, start: int, end: int, names: _Names, gender: Gender
) -> tuple[Span, _Entity | str] | None:
    """Who the narration text[start:end] has been about, for a "he" (or "she") tag after
    it: read back sentence by sentence, every subject "he" goes on with someone, until a
    sentence opens with a name or a description that may be a "he" (the one meant).
    Sentences about others of the other sex, or "they" and "I", neither end the run nor
    start it: in "Ann stirred her tea. She saw that he was nervous; he had come out of
    curiosity. ¶ '…,' she replied" the "she" is Ann, though the man acts last. Anyone
    else who may be a "she" named or described after her, in any role, leaves it open
    ("Ann looked at the nurse. She …"). Gives the words of the name or description, and
    the person named or the description ("The youth")."""
    pronoun = _SUBJECT_PRONOUN.get(gender)
    if pronoun is None:
        return None
    bounds = _sentence_bounds(text, start, end, _SENTENCE_OR_PARAGRAPH)
    chained = False
    for s, e in reversed(bounds):
        found = names.in_range(s, e)
        # "Pakkun's only response was …" is about the dog's response, not him
        owners = {m for m, m_end, _ in found if _POSSESSIVE_END.match(text, m_end)}
        refs: list[tuple[int, int, _Entity | str]] = [
            (m, m_end, who)
            for m, m_end, who in found
            if who.person
            and not who.narrator
            and not who.group
            and who.gender in (gender, "unknown")
        ]
        for d in _someone_described(names.nouns.words).finditer(text, s, e):
            phrase = " ".join(d.group(0).split())
            if _head_gender(phrase.split()[-1], phrase) != _OPPOSITE[gender] and not any(
                d.start() <= m < d.end() for m, _, _ in refs
            ):
                refs.append((d.start(), d.end(), phrase))
        refs.sort(key=lambda ref: ref[0])
        own = pronoun.search(text, s, e)
        if refs and (own is None or refs[0][0] < own.start()):
            first_at, first_end, first = refs[0]
            subject = (
                _is_subject(text, first_at) and first.gender == gender and first_at not in owners
                if isinstance(first, _Entity)
                else _OPENING_WORD.match(text[s:first_at]) is not None
                or _subject_position(text, first_at)
            )
            if not chained or not subject or _hypothetical(text, first_at):
                return None  # "He looked at Tom", "Tom, who …": either may be meant
            if any(who is not first or isinstance(first, str) for _, _, who in refs[1:]):
                return None  # "Tom told the boy …": the boy may be the "he" too
            return (first_at, first_end), first
        if refs:
            return None  # "He looked at the old man. ¶ '…,' he said": which of them
        if own is not None:
            chained = True
    return None


def _said_before(text: str, at: int) -> bool:
    """The name at ``at`` tells, in the past perfect, of talk before the story's now ("But
    Hugh had warned him …"), not in a clause of time ("When Ada had asked her, she rose")."""
    return _SAID_BEFORE.match(text, at) is not None and not _TIME_CLAUSE_BEFORE.search(
        text, max(0, at - 20), at
    )


def _pronoun_chain(
    text: str,
    start: int,
    entity: _Entity,
    end: int,
    mentions: list[tuple[int, _Entity]],
    nouns: _Nouns,
) -> bool:
    """After the sentence where the entity acts, the paragraph goes on about them alone:
    no one else is named or described, and every "he"/"she" is of their sex."""
    gender = entity.gender
    if gender not in _SUBJECT_PRONOUN:
        return False
    stop = _SENTENCE_STOP.search(text, start, end)
    if stop is None:
        return False  # the entity acts in the last sentence: _still_acting's case
    rest = text[stop.end() : end]
    if _SILENT.search(text, start, end):
        return False
    if any(s > start and e is not entity for s, e in mentions):
        return False
    if nouns.person_np.search(rest) or re.search(r"\b(?:we|they|We|They)\b", rest):
        return False
    if re.search(r"\bI\b", rest) and not _SUBJECT_PRONOUN[gender].match(
        rest[_last_sentence_start(rest, 0, len(rest)) :].lstrip()
    ):
        # "Mr. Hobbs eyed me. I looked at my plate. He stood up.": the narrator's "I"
        # between is no one else taking the floor, so long as "he" acts last
        return False
    pronouns = {p.lower() for p in re.findall(GENDER_PRONOUNS, rest, re.IGNORECASE)}
    own = _GENDER_WORDS[gender]
    return bool(pronouns) and pronouns <= own and _SUBJECT_PRONOUN[gender].search(rest) is not None


_GENDER_WORDS = {g: {p for p, pg in PRONOUN_GENDER.items() if pg == g} for g in ("male", "female")}

# A subject pronoun: "he" and "she" go on with someone; "I", "we", "they" are others.
_CENTER_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)\b")
# "When she looked up, …", "As the door opened, …": a clause in front of the main one,
# whose subject is not the sentence's
_FRONTED_CLAUSE = re.compile(
    r"\s*(?:When|As|While|After|Before|Though|Although|If|Since|Until|Whenever)\b"
    r"[^,.;:!?\"“”]{0,80},\s+"
)
# "Once a certain tall soldier went …", "Then the old woman rose": one opening word
_OPENING_WORD = re.compile(r"\s*(?:[A-Z][a-z]+,?\s+)?$")


@cache
def _center_np(extra: frozenset[str]) -> re.Pattern[str]:
    """A description of someone that may open a sentence: "a shabby little traveling
    man", "our visitor", "the coffin-maker" (more modifiers than a tag's description)."""
    nouns = "|".join(sorted(PERSON_NOUNS | _COMPANIONS | extra))
    stops = "|".join(sorted(_NP_STOP))
    return re.compile(
        rf"\b(?:[Aa]n?|[Tt]he|[Oo]ur)\s+(?:(?!(?:{stops})\b)[a-z][\w'’-]*,?\s+){{0,3}}?"
        rf"(?:{nouns}|[a-z]+(?<!hu)(?<!wo)(?<!fore)man|[a-z]+woman|[a-z]+-maker"
        rf"|{_PEOPLE_ACTING})\b(?!['’-])"
        rf"(?!\s+(?:{nouns}|[a-z]+m[ae]n)\b)"
    )


def _description_center(
    text: str, start: int, end: int, gender: Gender, name_subjects: Sequence[int], nouns: _Nouns
) -> tuple[int, str, bool] | None:
    """The description of a person that the last sentences of text[start:end] are about,
    for a "he" (or "she") that follows: the subject of the latest sentence that opens
    with a description, when every sentence after it goes on with "he" (or "she") alone.
    "A stout little man in a grey coat stopped at the gate. He lifted his hat." is about
    the stout little man, though the scene has named other men: his "he said" is the
    stranger's. Sentences about no one ("The rain had stopped.") neither end the run
    nor start it; a name, "I", "they" or the other sex as a sentence's subject ends it
    with nobody. Gives where the description is, its words, and whether a pronoun went
    on with it (which tells the sex of "the doctor")."""
    bounds = _sentence_bounds(text, start, end, _SENTENCE_STOP)
    chained = False
    for s, e in reversed(bounds):
        fronted = _FRONTED_CLAUSE.match(text, s, e)
        main = fronted.end() if fronted is not None else s
        first: tuple[int, str, str] | None = None
        m = _CENTER_PRONOUN.search(text, main, e)
        if m is not None:
            first = (m.start(), "pron", m.group(0).lower())
        named = [p for p in name_subjects if main <= p < e]
        if named and (first is None or named[0] < first[0]):
            first = (named[0], "name", "")
        for d in _center_np(nouns.words).finditer(text, main, e):
            if first is not None and d.start() > first[0]:
                break
            if d.group(0)[:2].lower() in ("a ", "an") and (
                _GENERIC_MODAL.match(text, d.end()) or _generic(text, d.start(), d.end())
            ):
                continue  # "A woman should never tell a stranger …": anyone, not someone
            if (
                _OPENING_WORD.match(text[main : d.start()])
                or _subject_position(text, d.start())
                # "In a moment the nurse came back", "a man, who …, stopped"
                or _CENTER_ACTS.match(text, d.end()) is not None
            ):
                first = (d.start(), "np", " ".join(d.group(0).split()))
                break
        if first is None:
            continue  # "The rain had stopped."
        pos, kind, word = first
        if kind == "pron" and PRONOUN_GENDER.get(word) == gender:
            chained = True
            continue
        if kind != "np":
            return None
        head_gender = _head_gender(word.split()[-1], word)
        own = _GENDER_WORD.search(text, pos + len(word), e)
        if head_gender == _OPPOSITE[gender] or (
            # "The stranger stood with his back to her. She set the tray down.": a
            # description of no sex whose own sentence gives it the other one
            head_gender is None
            and own is not None
            and PRONOUN_GENDER.get(own.group(0).lower()) == _OPPOSITE[gender]
        ):
            return None
        if (
            head_gender is None
            and own is not None
            and own.group(0).lower() in _OWN_SEX_WORDS
            and PRONOUN_GENDER.get(own.group(0).lower()) == gender
        ):
            # "The dying sentry sank to his knees": his own "his" gives the sex, as a
            # "he" going on with him would
            chained = True
        det, rest = word.split(" ", 1)
        return pos, f"{det.lower()} {rest}", chained  # "The woman" -> "the woman"
    return None


# Ways of putting words to someone: "said to", "spoke of the weather to", and verbs whose
# object is the one spoken to ("asked the porter")
_SPOKE_TO_VERB = (
    r"(?:(?:said|say|spoke|speak|talked|talk|mentioned|mention|explained|explain|remarked"
    r"|called|whispered|shouted|cried|complained|put\s+it|put\s+the\s+question)\b"
    r"[^.!?;:\"“”]{0,50}?\bto|asked|ask|told|tell|questioned|question|begged|informed)"
)
# a description set beside the one spoken to: "our driver, a silent man"
_BESIDE_SPOKEN_TO = re.compile(r",\s+(?:a|an)\s+(?:[a-z][\w'’-]*\s+){0,3}?([a-z]+)\b")


@cache
def _spoken_to_re(extra: frozenset[str]) -> re.Pattern[str]:
    """A sentence in which "I" (or "we") put words to someone described: "I once asked a
    carter, who …", "We mentioned the flood to our driver, a silent man", "I said to the
    young woman that …". Their answer is the next "he said" (or "she said")."""
    nouns = "|".join(sorted(PERSON_NOUNS | extra))
    return re.compile(
        r"\s*(?:[A-Z][a-z]+,?\s+)?(?:I|[Ww]e)\s+(?:[a-z]+\s+){0,3}?"
        + _SPOKE_TO_VERB
        + rf"\s+(?P<np>(?:[Aa]n?|[Tt]he|[Oo]ur|[Mm]y)\s+(?:[a-z][\w'’-]*,?\s+){{0,3}}?"
        rf"(?:{nouns}|[a-z]+(?<!hu)(?<!wo)(?<!fore)man|[a-z]+woman))\b(?!['’-])"
    )


def _spoken_to(text: str, start: int, end: int, extra: frozenset[str]) -> tuple[Span, str] | None:
    """The description of the one "I" spoke to in the sentence at text[start:end] (see
    _spoken_to_re), and where it is; None if that sentence says no such thing."""
    m = _spoken_to_re(extra).match(text, start, end)
    if m is None or _plural_description(m.group("np")):
        return None
    return m.span("np"), " ".join(m.group("np").split())


def _replier_sex(text: str, np: str, np_end: int) -> Gender | None:
    """The sex the description of someone spoken to gives, by its own head ("a carter"
    none, "the young woman" hers) or a description set beside it ("our driver, a silent
    man")."""
    found = _head_gender(np.split()[-1], np)
    if found is None:
        beside = _BESIDE_SPOKEN_TO.match(text, np_end)
        if beside is not None:
            found = _head_gender(beside.group(1))
    return found


_ACTOR = re.compile(
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)*)\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+(?:-[a-z]+)?)\b"
)
_CLAUSE_LEAD = re.compile(r"(?:^|\W)(?:and|but|then|when|as|while|so|until)$", re.IGNORECASE)
# an optional adverb and a verb in the past tense: "bent down", "slowly turned"
_PAST_ACT = r"(?:[a-z]+ly\s+)?(?:[a-z]+ed|" + "|".join(sorted(_IRREGULAR_PAST)) + r")\b"
# "the Indian" as one of them: set off by a comma, or doing something
_PEOPLE_ACTING = (
    r"(?:" + "|".join(sorted(_PEOPLE_NOUNS)) + r")(?=,|\s+(?:[a-z]+ly\s+)?"
    r"(?:[a-z]+ed|was|had|did|could|would|" + "|".join(sorted(_IRREGULAR_PAST)) + r")\b)"
)
# a clause right after a description that says which one it is: "the first man who
# came in" (but not "the man who had spoken", someone the scene already has)
_PICKED_OUT = re.compile(r"\s+(?:who|that)\s+(?!had\b|['’]d\b)(?:[a-z]+ly\s+)?" + _PAST_ACT)
# after a description, its verb: "came back", "was", or after a clause set off by commas
_CENTER_ACTS = re.compile(
    r"(?:,[^,.;:!?\"“”]{3,90},)?\s+(?:(?:was|had|did|could|would)\b|" + _PAST_ACT + ")"
)
# the same in the present tense: "appears", "slowly turns", "is"
_PRESENT_VERB = r"(?:[a-z]+ly\s+)?(?:[a-z]+[^s\W]s|is)\b"


def _np_beat(extra: frozenset[str]) -> re.Pattern[str]:
    """ "The lath-like stripling frowned.": a description acting, as a name would."""
    nouns = "|".join(sorted(PERSON_NOUNS | extra))
    # "An ANBU appears instantly beside him": a work told in the present tense, and
    # someone who comes in as they act
    return re.compile(
        rf"(?:The|An?)\s+(?P<np>(?:[a-z][\w'’-]*\s+){{0,2}}?(?:{nouns}))\s+"
        rf"(?:{_PAST_ACT}|{_PRESENT_VERB})"
    )


SHORT_BEAT = 160  # characters: a paragraph of one short beat between quotes
_PRONOUN_BEAT = re.compile(r"\s*(?:(?:Now|Then|At last|Again)\s+)?(?P<pron>[Hh]e|[Ss]he)\s+[a-z]")
_GENDER_WORD = re.compile(GENDER_PRONOUNS, re.IGNORECASE)
# the first gendered word after a subject that is its own: "sank to his knees", "rose
# herself" (not "him" or "her" as an object, which is someone else)
_OWN_SEX_WORDS = _words("his himself herself")
_I_ACTS = re.compile(r"\bI\s+" + _PAST_ACT)
_FEATURE_ACTS = re.compile(
    r"['’]s\s+(?:[a-z]+\s+)?(?:face|eyes|voice|lips|mouth|brows?|expression|smile|cheeks?)\s+"
    + _PAST_ACT
)
_ACTOR_ASIDE = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)*,\s+[^,.;:!?\"“”‘’]{3,70},\s+" + _PAST_ACT
)
_EPITHET_ACTS = re.compile(r"\s+" + _PAST_ACT)


def _only_objects(text: str, start: int, end: int, names: _Names) -> dict[Gender, _Entity]:
    """The one person of each sex named in text[start:end] (a sentence) when nobody of
    that sex acts in it: "… and we took our seats, in obedience to the summons of Rose."
    Rose is the woman a "she" in the next paragraph's tag means."""
    found: dict[Gender, list[_Entity]] = {"male": [], "female": []}
    acting: set[Gender] = set()
    for s, _, entity in names.in_range(start, end):
        gender = entity.gender
        if not entity.person or entity.group or entity.narrator or gender not in found:
            continue
        if _is_subject(text, s):
            acting.add(gender)
        elif entity not in found[gender]:
            found[gender].append(entity)
    for gender, pronoun in (("male", r"\b[Hh]e\b"), ("female", r"\b[Ss]he\b")):
        if re.search(pronoun, text[start:end]):
            acting.add(gender)  # "he growled" or "she said": someone of that sex acts
    first_named = {e: s for s, _, e in reversed(names.in_range(start, end))}
    for gender, people in found.items():
        if len(people) == 1 and _pronoun_before(text, start, first_named[people[0]], gender):
            # "… having caught his question, she asked whether it was Mr. Vane he meant":
            # another man is in the sentence, and he is the one asked
            acting.add(gender)
    return {g: people[0] for g, people in found.items() if len(people) == 1 and g not in acting}


def _acting_between(
    text: str, between: Line, mentions: list[tuple[int, _Entity]], own_sentence: bool = False
) -> tuple[_Entity, int] | None:
    """The person named acting in the last sentence of the narration between two quotes
    of one paragraph, when that sentence is one of its own, not the tag of the quote
    before: '"We can go tomorrow," said Ann. Tom shook his head. "…"' is Tom; '"…,"
    said Ann, and Tom shook his head' is no such sentence. With where they are named."""
    last = _last_sentence_start(text, between.start, between.end)
    if (last == between.start and not own_sentence) or _SILENT.search(text, last, between.end):
        return None  # "Tom said nothing.": the one to speak next is someone else
    actor: tuple[_Entity, int] | None = None
    for s, entity in mentions:
        if not (last <= s < between.end and entity.person and not entity.group):
            continue
        if not _is_subject(text, s) or not _acting(text, s) or _hypothetical(text, s):
            continue
        named = _ACTOR.match(text, s, s + 80)
        if named is not None and _POSSESSIVE.search(named.group("name")):
            continue  # "Tom's face fell.": a reaction to what was said, as often as not
        actor = entity, s
    return actor


def _pronoun_before(text: str, start: int, end: int, gender: Gender) -> bool:
    """Whether text[start:end] has a "he", "him" or "his" (of that sex)."""
    return any(p.lower() in _GENDER_WORDS[gender] for p in _GENDER_WORD.findall(text, start, end))


def _named_antecedents(
    text: str, start: int, end: int, mentions: list[tuple[int, _Entity]]
) -> dict[Gender, _Entity]:
    """The one person of each sex named in text[start:end] (the narration before a
    paragraph's first quote), when no pronoun of that sex comes before the name."""
    found: dict[Gender, list[tuple[int, _Entity]]] = {"male": [], "female": []}
    done_to: set[Gender] = set()
    for s, entity in mentions:
        if not (start <= s < end and entity.person) or entity.group or entity.narrator:
            continue
        found.get(entity.gender, []).append((s, entity))
        passive = _PASSIVE.match(text, s)
        if passive is not None and entity.gender in _SUBJECT_PRONOUN:
            stop = _SENTENCE_STOP.search(text, passive.end(), end)
            after = _SUBJECT_PRONOUN[entity.gender].search(
                text, passive.end(), stop.start() if stop else end
            )
            if after is not None:
                # "… and Tilda had been hurried along by a few sharp words, she carried
                # the tray up": the "she" is whoever hurried her
                done_to.add(entity.gender)
    named: dict[Gender, _Entity] = {}
    for gender, people in found.items():
        if (
            len({e for _, e in people}) == 1
            and gender not in done_to
            and not _pronoun_before(text, start, people[0][0], gender)
        ):
            named[gender] = people[0][1]
    return named


# '"…," said he, and turned to go', '"…," he said; but …': the narration after a quote
# goes on past its tag
_MORE_CLAUSES = re.compile(
    r";\s*\w|,\s+(?:and|but|then|while|when)\s+(?:[a-z]+\s+){0,2}?[a-z]+ed\b"
)


def _told_on(text: str, start: int, end: int) -> bool:
    """The narration text[start:end] after a paragraph's last quote tells more than its
    tag: another sentence, or another clause ('said he, and turned to leave')."""
    stop = _SENTENCE_STOP.search(text, start, end)
    if stop is not None and text[stop.end() : end].strip():
        return True
    return _MORE_CLAUSES.search(text, start, stop.start() if stop else end) is not None


def _last_sentence_start(text: str, start: int, end: int) -> int:
    """Where the last sentence of text[start:end] begins."""
    # a stop starts a sentence only if something other than whitespace follows it before
    # end: before the last such character (found once, not by slicing after each stop)
    filled = start + len(text[start:end].rstrip())
    last = start
    for m in _SENTENCE_STOP.finditer(text, start, end):
        if m.end() < filled:
            last = m.end()
    return last


def _is_subject(text: str, start: int) -> bool:
    """A name that starts a clause or is followed by its verb ("…, Katharine Hilbery was
    pouring out tea"): someone in the scene, not only talked about."""
    if _ABSOLUTE.match(text, start) or _PASSIVE.match(text, start):
        return False  # "Kakashi being too sick to come in …": said of him, not done by him
    if _subject_position(text, start):
        return True
    # only after a comma: "the eye Naruto gave him" is a relative clause about
    # someone who need not be there
    return text[max(0, start - 16) : start].rstrip()[-1:] == "," and _acting(text, start)


_ABSOLUTE = re.compile(_NAME_RE + r"\s+(?:being|having)\b")
# "Millie, her maid, had been brisked up a bit by a few words": done to her by someone
_PASSIVE = re.compile(
    _NAME_RE + r"(?:,[^,.;:!?\"“”]{3,70},)?\s+(?:was|were|had\s+been|has\s+been)\s+"
    r"(?:[a-z]+ly\s+)?[a-z]+ed\s+(?:[a-z]+\s+){0,4}?by\s+(?:a|an|the|some|his|her|their)\b"
)


# "when old Pontifex was scolding his boy": an epithet is part of the name's phrase
_NAME_EPITHET = re.compile(r"\sold\s*$")


def _head(text: str, start: int) -> str:
    """The few characters before a name, less an epithet of its own."""
    head = text[max(0, start - 24) : start]
    m = _NAME_EPITHET.search(head)
    return (head[: m.start()] if m else head)[-16:].rstrip(" \t\xa0")


def _subject_position(text: str, start: int) -> bool:
    """A mention that starts a sentence or clause: someone acting, not an object."""
    head = _head(text, start)
    return (
        not head
        or head[-1] in '.!?"“”‘’\n—;:'
        or _SUBJECT_LEAD.search(head) is not None
        # "Presently a small boy came …", "Later that night Ada went up": the opener
        # read whole, not cut to the few characters before the name
        or _OPENING_ADVERB.search(text[max(0, start - 40) : start].rstrip(" \t\xa0")) is not None
        or (
            text[max(0, start - 12) : start].rstrip(" \t\xa0,").endswith(_TIME_WORDS)
            and _TIME_LEAD.search(text[max(0, start - 50) : start].rstrip(" \t\xa0")) is not None
        )
    )


def _self_introductions(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names
) -> dict[_Entity, _Entity]:
    """An unnamed speaker who says "I am Jack Durbeyfield" is Jack Durbeyfield."""
    renames: dict[_Entity, _Entity] = {}
    # '"Good-night, Deb," said one': whoever calls someone by a name is not that person
    calls: dict[_Entity, set[_Entity]] = defaultdict(set)
    for i, d in decisions.items():
        if d.speaker is not None and (d.speaker.epithet or d.speaker.narrator):
            calls[d.speaker].update(_vocatives(lines[i].text, names))
    first_lines: set[_Entity] = set()  # strangers whose first line has been looked past
    for i, d in decisions.items():
        who = d.speaker
        if who is None or not (who.epithet or (who.narrator and not who.known)) or who in renames:
            continue
        said = lines[i].text
        following = i + 1
        while (
            following < len(lines)
            and lines[following].paragraph == lines[i].paragraph
            and lines[following].scene == lines[i].scene
            and following - i < 4
        ):
            if lines[following].kind == "dialogue":
                # "My name…" she rasped, "Is Sakura.": one sentence over two quotes
                said += " " + lines[following].text
                break
            following += 1
        # quote marks go, apostrophes stay: "I’m Emrys"
        m = _SELF_INTRO.search(
            re.sub(r"[\"“”‘]|’(?![A-Za-z])|(?<![A-Za-z])’", " ", said)
        ) or _NAME_AND_ROLE.match(said)
        asked = _previous_quote(lines, i)
        if m is None and asked >= 0 and _ASKS_NAME.search(lines[asked].text):
            asker = decisions.get(asked)
            if asker is not None and asker.speaker is not who:
                m = _NAME_ANSWER.match(lines[i].text)
        if m is None and who.narrator:
            m = _narrator_gives_name(lines, decisions, i, who)
        if m is None:
            greeted = _greeted_as(lines, decisions, names, i, who)
            if greeted is None and who not in first_lines:
                first_lines.add(who)  # named after their first line, or not at all
                greeted = _revealed_as(lines, decisions, names, i, who, calls[who])
                if greeted is None:
                    greeted = _recognised_as(lines, decisions, names, i, who)
            if greeted is not None:
                renames[who] = greeted
            continue
        named = _named_entity(m.group("name"), names)
        if named is not None and named is not who:
            renames[who] = named
    return renames


def _greeted_as(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names, i: int, who: _Entity
) -> _Entity | None:
    """ "'Kakashi,' the dark avenger greets. ¶ 'Sasuke.'": a described speaker whom the
    reply greets by name is that person, when all their lines are in this one scene."""
    said = decisions[i]
    # "my uncle", "my brother's wife": a lasting description of one person, relative to
    # someone, not a stranger described in passing
    relative = who.name.lower().startswith(("my ", "his ", "her ", "our ", "their ", "your "))
    if (
        not who.epithet
        # renamed only from a line of its own tag, never from a guess that may be wrong
        or (relative and said.rule not in ("tag", "tag-epithet"))
        # the same passing description in another scene may be someone else
        or (
            not relative
            and any(
                d.speaker is who and lines[j].scene != lines[i].scene for j, d in decisions.items()
            )
        )
    ):
        return None
    for j in range(i + 1, min(len(lines), i + 8)):
        reply = lines[j]
        if reply.scene != lines[i].scene or reply.chapter != lines[i].chapter:
            return None
        if reply.kind != "dialogue" or reply.paragraph == lines[i].paragraph:
            continue
        answer = decisions.get(j)
        if any(_ASKS_NAME.search(lines[k].text) for k in range(max(0, i - 6), i + 1)):
            return None  # "Tell us your name!" "Pip, sir.": the answer names its speaker
        greeted = [
            e
            for e in _vocatives(reply.text, names)
            if not e.epithet
            and not e.narrator
            and e.called_person
            and not _title_unfit(who.name, e, reply.text)
            # someone already speaking in the scene is not the newcomer described; but
            # "my sister-in-law" may well be the Rose who spoke a page ago
            and (
                relative
                or not any(
                    d.speaker is e and lines[k].scene == lines[i].scene and k < i
                    for k, d in decisions.items()
                )
            )
        ]
        if (
            len(greeted) == 1
            and answer is not None
            and answer.speaker is not who
            and answer.speaker is not greeted[0]
            and reply.paragraph <= lines[i].paragraph + GREETING_REACH
            and not _named_before_newcomer(lines, decisions, names, i, who, greeted[0])
        ):
            return greeted[0]
        return None
    return None


def _title_unfit(description: str, named: _Entity, said: str) -> bool:
    """Whether a title the name bears, in its forms or where the quote calls it, rules
    out the description: "my mother" is never a "Miss Reed" or a "Mr. Reed", nor "his
    uncle" a "Mrs. Hale"."""
    titles = {form.split()[0] for form in named.forms if len(form.split()) > 1}
    for form in named.forms:
        titles.update(re.findall(rf"\b([A-Z][a-z]+\.?)\s+{re.escape(form)}\b", said))
    head = description.lower().split()[-1] if description.split() else ""
    sex = _head_gender(head)
    if (sex == "female" and titles & MALE_TITLES) or (sex == "male" and titles & FEMALE_TITLES):
        return True
    # a wife or mother is married: not a "Miss"
    return head in _MARRIED and bool(titles & {"Miss", "Mlle", "Mlle."})


_MARRIED = _words("wife mother widow grandmother stepmother step-mother mother-in-law")


def _named_before_newcomer(
    lines: Sequence[Line],
    decisions: dict[int, _Decision],
    names: _Names,
    i: int,
    who: _Entity,
    named: _Entity,
) -> bool:
    """ "Mr. Orde, the novelist, was in the middle of a story … '…,' broke in a thin,
    elderly gentleman": someone "a"/"an" brings in is new to the scene, so not a person
    the scene had already named before their first line."""
    if not who.name.lower().startswith(("a ", "an ")):
        return False
    scene = (lines[i].chapter, lines[i].scene)
    k = i
    while k > 0 and (lines[k - 1].chapter, lines[k - 1].scene) == scene:
        k -= 1
    first = min(lines[j].start for j, d in decisions.items() if d.speaker is who)
    return any(e is named for _, _, e in names.in_range(lines[k].start, first))


def _described_as(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names
) -> dict[_Entity, _Entity]:
    """ "said the old lady" in a scene whose narration names one woman, Aunt Polly, who
    never answers the old lady: the description is Aunt Polly's."""
    by_speaker: dict[_Entity, list[int]] = {}
    for i, d in decisions.items():
        if d.speaker is not None:
            by_speaker.setdefault(d.speaker, []).append(i)
    scene_bounds: dict[tuple[int, int], tuple[int, int]] = {}
    for k, line in enumerate(lines):
        key = (line.chapter, line.scene)
        lo, hi = scene_bounds.get(key, (k, k))
        scene_bounds[key] = (min(lo, k), max(hi, k))
    out: dict[_Entity, _Entity] = {}
    for who, said in by_speaker.items():
        name = who.name.lower()
        if not who.epithet or not name.startswith("the ") or who.picked_out:
            continue
        scenes = {(lines[i].chapter, lines[i].scene) for i in said}
        if len(scenes) != 1:
            continue
        lo, hi = scene_bounds[next(iter(scenes))]
        if who.fixed_gender in ("male", "female"):
            named = {
                e
                for k in range(lo, hi + 1)
                if lines[k].kind == "narration"
                for _, _, e in names.in_range(lines[k].start, lines[k].end)
                if e.person and not e.epithet and not e.narrator and e.gender == who.fixed_gender
            }
        else:
            # "… lands beside Yamato. ¶ 'Hold it,' the former captain explains": a
            # description of no sex is the one person named just before it who has no
            # line of their own in the scene
            # (not the point-of-view character, the one the scene's narration names most)
            first = min(said)
            # who has spoken by then: Dr Marjoribanks, who talks only later, may still be
            # the one named, and then the description is nobody's for sure
            speaking = {d.speaker for i, d in decisions.items() if lo <= i <= first}
            in_scene = Counter(
                e
                for k in range(lo, hi + 1)
                if lines[k].kind == "narration"
                for _, _, e in names.in_range(lines[k].start, lines[k].end)
            )
            viewpoint = in_scene.most_common(1)[0][0] if in_scene else None
            named = {
                e
                for k in range(lo, first)
                if lines[k].kind == "narration" and lines[first].paragraph - lines[k].paragraph <= 1
                for _, _, e in names.in_range(lines[k].start, lines[k].end)
                if e.person
                and not e.epithet
                and not e.narrator
                and not e.group
                and e not in speaking
                and e is not viewpoint
            }
            # "old Taylor, the gardener": someone the narration calls by another word
            # for a person is not "the captain"
            head = name.split()[-1]
            named -= {
                e
                for k in range(lo, first)
                if lines[k].kind == "narration"
                for s, end, e in names.in_range(lines[k].start, lines[k].end)
                if (role := _APPOSITIVE_PERSON.match(names.text, end)) is not None
                and role.group(0).split()[-1].lower() != head
            }
        if len(named) != 1:
            continue
        (person,) = named
        # two people who answer each other are two people
        talking = [
            decisions[i].speaker
            for i in sorted(decisions)
            if lo <= i <= hi and decisions[i].speaker is not None
        ]
        if any({a, b} == {who, person} for a, b in pairwise(talking)):
            continue
        out[who] = person
    return out


# "Her name was Duchess", "His Christian name was Gabriel": the narration naming someone
# it has only described. "The officer, whose name was Blakeney": the same, after the noun.
_NAMED_AS = re.compile(
    r"\b(?P<pron>[Hh]er|[Hh]is)\s+(?:real\s+|Christian\s+|first\s+|proper\s+)?name\s+was\s+"
    r"[\"“‘]?(?P<name>" + _NAME_RE + r")"
)
_WHOSE_NAME = re.compile(
    r"\b[Tt]he\s+(?:[a-z][\w'’-]*\s+){0,2}?(?P<head>[a-z][\w'’-]*),\s+whose\s+name\s+was\s+"
    r"[\"“‘]?(?P<name>" + _NAME_RE + r")"
)
# "replied another voice, which Margaret knew to be that of Mrs. Gibson"
_VOICE_KNOWN_AS = re.compile(
    r"\b(?P<voice>(?:[Aa]nother|[Aa]|[Tt]he)\s+(?:[a-z]+\s+){0,2}?voice),?\s+(?:which|that)\s+"
    r"[^.;:!?\"“”]{0,50}?\b(?:to\s+be|was|as)\s+(?:that\s+of\s+)?(?P<name>" + _NAME_RE + r")"
)
NAMED_AS_REACH = 400  # characters before "Her name was" in which she must be mentioned


def _named_in_narration(
    text: str, lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names
) -> dict[_Entity, _Entity]:
    """A described speaker ("my mother", "a young officer") whom the narration then names:
    "I knew she was a wise old horse … Her name was Duchess"."""
    speakers = {
        d.speaker
        for d in decisions.values()
        if d.speaker is not None
        and d.speaker.epithet
        and not d.speaker.narrator
        and not d.speaker.group
    }
    if not speakers:
        return {}
    out: dict[_Entity, _Entity | None] = {}
    for line in lines:
        if line.kind != "narration":
            continue
        for m in _NAMED_AS.finditer(line.text):
            gender: Gender = "female" if m.group("pron").lower() == "her" else "male"
            at = line.start + m.start()
            lo = max(0, at - NAMED_AS_REACH)
            before = text[lo:at].lower()
            mentioned = {
                e: max(before.rfind(f.lower()) for f in e.forms)
                for e in speakers
                if e.gender == gender
                and any(re.search(rf"\b{re.escape(f.lower())}\b", before) for f in e.forms)
            }
            if len(mentioned) != 1 or any(
                e.person and not e.narrator and e.gender == gender
                for _, _, e in names.in_range(lo, at)
            ):
                continue
            ((who, since),) = mentioned.items()
            between = text[lo + since : at]
            pronouns = {"she", "her"} if gender == "female" else {"he", "him", "his"}
            if (
                # "I knew she was a wise old horse …": she is still the one talked of
                not pronouns & set(re.findall(r"[a-z]+", between.lower()))
                # "My aunt sat by the fire. A girl came in. Her name was Hetty"
                or _gendered_introduction(text, lo + since, at, gender)
                or _described_subject(text, lo + since, at, gender)
            ):
                continue
            out.setdefault(who, _named_entity(m.group("name"), names))
        for m in _WHOSE_NAME.finditer(line.text):
            head = m.group("head").lower()
            fitting = [e for e in speakers if e.name.lower().split()[-1] == head]
            if len(fitting) == 1:
                out.setdefault(fitting[0], _named_entity(m.group("name"), names))
        for m in _VOICE_KNOWN_AS.finditer(line.text) if "voice" in line.text else ():
            voice = " ".join(m.group("voice").lower().split())
            fitting = [e for e in speakers if e.name.lower() == voice]
            if len(fitting) == 1:
                out.setdefault(
                    fitting[0], _named_entity(_POSSESSIVE.sub("", m.group("name")), names)
                )
    return {old: new for old, new in out.items() if new is not None and new is not old}


VOICE_SEEN_REACH = 3  # paragraphs after an unseen voice's last line in which it is seen


def _description_pattern(name: str) -> re.Pattern[str]:
    """Where the text uses a description, however it is wrapped or capitalised."""
    return re.compile(r"\b" + r"\s+".join(re.escape(w) for w in name.split()) + r"\b", re.I)


ANSWER_REACH = 300  # characters of narration between a line and the answer naming its speaker


def _answered_by_name(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names
) -> dict[_Entity, _Entity]:
    """ "'I've lost the best missus as ever was,' said the weeping handmaiden … 'Ah,
    Ellis,' cried Miss Marjoribanks": someone known only by a description is the name
    the answer calls out, when that name never speaks under its own."""
    order = [i for i in sorted(decisions) if decisions[i].speaker is not None]
    speaking = {decisions[i].speaker for i in order}
    found: dict[_Entity, set[_Entity]] = defaultdict(set)
    for a, b in pairwise(order):
        said, answer = decisions[a].speaker, decisions[b].speaker
        if (
            said is None
            or not said.epithet
            or said.group
            or _plural_description(said.name)
            or answer is said
            or (lines[a].chapter, lines[a].scene) != (lines[b].chapter, lines[b].scene)
            or lines[b].start - lines[a].end > ANSWER_REACH
        ):
            continue
        for called in _vocatives(lines[b].text, names):
            if (
                called not in speaking
                and called is not answer
                and not called.epithet
                and not called.narrator
                and not called.group
                and ("unknown" in (said.gender, called.gender) or said.gender == called.gender)
                and not _title_unfit(said.name, called, lines[b].text)
                and not _named_before_newcomer(lines, decisions, names, a, said, called)
            ):
                found[said].add(called)
    return {said: next(iter(c)) for said, c in found.items() if len(c) == 1}


_QUESTION_END = re.compile(r"\?[\"”’'»]*\s*$")


def _only_after_the(entity: _Entity, names: _Names) -> bool:
    """Whether the text writes a name only ever after "the" ("the Head Keeper"): a title
    the household uses for someone, not their own name."""
    starts = [s for s, _, e in names.mentions if e is entity]
    return bool(starts) and all(
        re.search(r"\b[Tt]he\s+$", names.text[max(0, s - 5) : s]) is not None for s in starts
    )


def _called_between(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names
) -> dict[_Entity, _Entity]:
    """ "'Will the bridge hold?' asked the Head Keeper. ¶ 'Not till dawn, Mrs. Pike.' ¶
    'Then we wait,' she said. … 'Listen!' cried Mrs. Pike": someone known by a description
    or a household title whose question is answered with a name, and who answers back, is
    that name, when the scene had not named it before the call (in its narration or its
    talk) and it speaks, if at all, only after it and only in this scene."""
    order = [i for i in sorted(decisions) if decisions[i].speaker is not None]
    first_line: dict[_Entity, int] = {}
    scenes: dict[_Entity, set[tuple[int, int]]] = defaultdict(set)
    # the talk as turns: one speaker's lines in a row ("'Very,' he said. 'Very, Mrs. Pike.'")
    runs: list[tuple[_Entity, list[int]]] = []
    for i in order:
        who = decisions[i].speaker
        assert who is not None
        first_line.setdefault(who, i)
        scenes[who].add((lines[i].chapter, lines[i].scene))
        if runs and runs[-1][0] is who:
            runs[-1][1].append(i)
        else:
            runs.append((who, [i]))
    scene_first: dict[tuple[int, int], int] = {}  # the index of each scene's first line
    for k, line in enumerate(lines):
        scene_first.setdefault((line.chapter, line.scene), k)
    titles: dict[_Entity, bool] = {}  # whether each name is only written after "the"

    def title_only(entity: _Entity) -> bool:
        if entity not in titles:
            titles[entity] = _only_after_the(entity, names)
        return titles[entity]

    found: dict[_Entity, set[_Entity]] = defaultdict(set)
    for (said, before), (answer, reply), (back, after) in zip(
        runs, runs[1:], runs[2:], strict=False
    ):
        scene = (lines[before[-1]].chapter, lines[before[-1]].scene)
        if (
            back is not said
            or said.group
            or said.narrator
            or _plural_description(said.name)
            # the name in an answer to a question is the asker's: "'Will it hold?' ¶
            # 'Not till dawn, Mrs. Pike.'"; after anything else it may call a newcomer
            or _QUESTION_END.search(lines[before[-1]].text) is None
            or not (said.epithet or title_only(said))
            # "What name?" ¶ "Hale.": the answer gives a name; it calls no one
            or any(_ASKS_NAME.search(lines[k].text) for k in before)
            or {(lines[k].chapter, lines[k].scene) for k in (reply[0], after[0])} != {scene}
            or lines[reply[0]].start - lines[before[-1]].end > ANSWER_REACH
            or lines[after[0]].start - lines[reply[-1]].end > ANSWER_REACH
        ):
            continue
        called = {e for k in reply for e in _vocatives(lines[k].text, names, answering=True)}
        if len(called) != 1:
            continue
        (who,) = called
        b = reply[0]
        if (
            who is said
            or who is answer
            or who.epithet
            or who.narrator
            or who.group
            or not who.person
            or said.gender not in ("unknown", who.gender)
            or _title_unfit(said.name, who, lines[b].text)
            # speaking before it was called, or elsewhere: someone in their own right
            or (who in first_line and first_line[who] < b)
            or scenes.get(who, {scene}) != {scene}
            # named before, in the narration or the talk: someone there beside the one
            # described, or someone talked of ("we must ask Mr. Hale to dine")
            or any(
                e is who
                for _, _, e in names.in_range(lines[scene_first[scene]].start, lines[b].start)
            )
            or any(
                who in _mentions(lines[k].text, names)
                for k in range(scene_first[scene], b)
                if lines[k].kind == "dialogue"
            )
        ):
            continue
        found[said].add(who)
    return {said: next(iter(c)) for said, c in found.items() if len(c) == 1}


def _called_on_stage(
    turns: Sequence[_Turn], lines: Sequence[Line], decisions: dict[int, _Decision]
) -> dict[_Entity, _Entity]:
    """ "The lad was rolling a hoop along the quay. ¶ 'Tobin, put that down,' said the
    skipper. ¶ 'It's mine,' answered Tobin.": someone the talk has known only by a
    description, acting just before a quote that calls out a name the text has never
    used, is that name when its bearer answers straight away under it; unless the
    description speaks again once the name has (then they are two people), or the name
    spoke before the call."""
    found: dict[_Entity, set[_Entity]] = defaultdict(set)
    for call, answer in pairwise(turns):
        described = call.lead
        if (
            described is None
            or not described.epithet
            or described.group
            or described.narrator
            or _plural_description(described.name)
            or _is_voice(described.name)
            or len(call.calls) != 1
            or answer.gap != 0
            or answer.scene != call.scene
        ):
            continue
        (name,) = call.calls
        first = lines[call.lines[0]]
        said = decisions.get(call.lines[0])
        replied = decisions.get(answer.lines[0])
        if (
            name.epithet
            or name.narrator
            or name.group
            or said is None
            or said.speaker in (name, described)
            # the name answers under its own tag ("answered Tobin"), not a guess
            or replied is None
            or replied.speaker is not name
            or replied.rule != "tag"
            # a name the text had used before the call may be anyone it had named
            or not first.start <= name.first <= call.end
            or (
                "unknown" not in (described.gender, name.gender) and described.gender != name.gender
            )
        ):
            continue
        here = [
            i
            for i in decisions
            if (lines[i].chapter, lines[i].scene) == (first.chapter, first.scene)
        ]
        spoke = [i for i in here if decisions[i].speaker is described]
        if (
            not spoke
            or max(spoke) > call.lines[-1]
            or any(decisions[i].speaker is name for i in here if i < call.lines[0])
        ):
            continue
        found[described].add(name)
    return {who: next(iter(called)) for who, called in found.items() if len(called) == 1}


def _voice_seen_as(
    text: str, lines: Sequence[Line], decisions: dict[int, _Decision]
) -> dict[_Entity, _Entity]:
    """ "'Hold your noise!' cried a terrible voice, as a man started up from among the
    graves", "'That,' said a voice in her ear … She had been conscious of a man
    behind.": the unseen voice is the one stranger the narration then brings in, who
    speaks on after it."""
    by_speaker: dict[_Entity, list[int]] = {}
    for i, d in sorted(decisions.items()):
        if d.speaker is not None:
            by_speaker.setdefault(d.speaker, []).append(i)

    def stranger(e: _Entity) -> bool:
        return e.epithet and not e.group and e.name.lower().startswith(("a ", "an "))

    talking = [decisions[i].speaker for i in sorted(decisions) if decisions[i].speaker]
    out: dict[_Entity, _Entity] = {}
    for voice, said in by_speaker.items():
        if not stranger(voice) or not _is_voice(voice.name):
            continue
        scene = (lines[said[0]].chapter, lines[said[0]].scene)
        if any((lines[i].chapter, lines[i].scene) != scene for i in said):
            continue
        reach = lines[said[-1]].paragraph + VOICE_SEEN_REACH
        seen: list[Line] = []  # the narration from its first line to the reach
        for line in lines[said[0] :]:
            if (line.chapter, line.scene) != scene or line.paragraph > reach:
                break
            if line.kind == "narration":
                seen.append(line)
        found = [
            e
            for e, own in by_speaker.items()
            if stranger(e)
            and not _is_voice(e.name)
            and own[0] > said[0]
            and (lines[own[0]].chapter, lines[own[0]].scene) == scene
            and voice.fixed_gender in (None, "unknown", e.fixed_gender)
            and any(_description_pattern(e.name).search(text, n.start, n.end) for n in seen)
        ]
        if len(found) != 1:
            continue
        # two voices that answer each other are two people
        if any({a, b} == {voice, found[0]} for a, b in pairwise(talking)):
            continue
        out[voice] = found[0]
    return out


def _named_entity(found: str, names: _Names) -> _Entity | None:
    """The person a name given in the text stands for, made up when nobody has it yet."""
    found = _clean(found)
    named = names.lookup(found)
    titled = found.split()[0] in TITLES and len(found.split()) > 1
    # "I am Sorry" names no one; "Mr. Pryce, your new lodger" does
    if named is None and found.split()[titled] not in NOT_NAMES:
        named = _Entity(name=found)
        named.forms[found] += 1
        names.entities.append(named)
    return None if named is not None and named.narrator else named


def _same_paragraph(a: Line, b: Line) -> bool:
    return (a.chapter, a.scene, a.paragraph) == (b.chapter, b.scene, b.paragraph)


REVEAL_WINDOW = 6  # quotes after a stranger's first line in which their name may come


def _stranger_scene_start(
    lines: Sequence[Line], decisions: dict[int, _Decision], i: int, who: _Entity
) -> int | None:
    """The first line of the scene of line i, when WHO is a stranger ("a dark-haired
    man") whose lines are all in it; None otherwise."""
    if not who.epithet or not who.name.lower().startswith(("a ", "an ")):
        return None
    scene = (lines[i].chapter, lines[i].scene)
    if any(
        d.speaker is who and (lines[j].chapter, lines[j].scene) != scene
        for j, d in decisions.items()
    ):
        return None  # the same passing description in another scene may be someone else
    start = i
    while start > 0 and (lines[start - 1].chapter, lines[start - 1].scene) == scene:
        start -= 1
    return start


def _revealed_as(
    lines: Sequence[Line],
    decisions: dict[int, _Decision],
    names: _Names,
    i: int,
    who: _Entity,
    called: set[_Entity],
) -> _Entity | None:
    """ "'Looks good,' a dark-haired man said." … "'Obito,' he murmured.": someone
    brought in by a description and named a few quotes later is that person, when the
    name is new to the scene (not anyone there before the stranger spoke)."""
    start = _stranger_scene_start(lines, decisions, i, who)
    if start is None:
        return None
    scene = (lines[i].chapter, lines[i].scene)
    before = {e for _, _, e in names.in_range(lines[start].start, lines[i].start)}
    before |= {d.speaker for j, d in decisions.items() if start <= j < i and d.speaker}

    def _newcomer(e: _Entity) -> bool:
        return not (
            e is who
            or e in called  # the stranger called them by this name: someone else
            or e.epithet
            or e.narrator
            or not e.called_person
            or e in before
            or (who.fixed_gender is not None and e.gender not in ("unknown", who.fixed_gender))
        )

    quotes = 0
    talking = {who}  # the stranger and whoever answers them
    replier: _Entity | None = None
    for j in range(i + 1, len(lines)):
        if (lines[j].chapter, lines[j].scene) != scene or quotes >= REVEAL_WINDOW:
            return None
        if lines[j].kind == "narration" and lines[j].paragraph == lines[i].paragraph + 1:
            # "… a soft voice says behind her." ¶ "Sakura turns, surprised to see Hinata."
            for at, _, e in names.in_range(lines[j].start, lines[j].end):
                if _PERCEIVED.search(names.text, max(0, at - 12), at) and _newcomer(e):
                    return e
                if _is_subject(names.text, at):
                    # "Ragged Dick opened his eyes … in the face of the speaker": the
                    # one who reacts to the stranger is listening, not the stranger
                    before.add(e)
        if lines[j].kind != "dialogue" or lines[j].paragraph == lines[i].paragraph:
            continue
        quotes += 1
        d = decisions.get(j)
        tag = lines[j + 1] if j + 1 < len(lines) else None
        if (
            tag is not None
            and tag.kind == "narration"
            and tag.paragraph == lines[j].paragraph
            and _THIRD_PERSON.search(lines[j].text)
            and not _SECOND_PERSON.search(lines[j].text)
        ):
            # '"He's some gaudy to look at," Cole murmured under his breath to Dusty.':
            # the one told about the stranger is someone else
            to_whom = _TO_WHOM.match(tag.text)
            listener = names.lookup(to_whom.group("name")) if to_whom else None
            if listener is not None:
                before.add(listener)
        if quotes == 1 and d is not None and d.speaker is not None:
            before.add(d.speaker)  # who answers the stranger was spoken to, not revealed
            talking.add(d.speaker)
            replier = d.speaker
        if (
            d is not None
            and d.speaker is not None
            and d.rule in ("tag", "beat")
            and _newcomer(d.speaker)
        ):
            return d.speaker  # "'Keeper for a week!' Pell exclaimed"
        prev = _previous_quote(lines, j)
        asked = prev >= 0 and _ASKS_NAME.search(lines[prev].text) is not None
        for e in [] if asked else _vocatives(lines[j].text, names):
            if _newcomer(e):
                if (
                    d is not None
                    and d.speaker is who
                    and replier is not None
                    and replier.epithet
                    and replier.gender in ("unknown", e.gender)
                ):
                    # "It is over, Mrs. Pellow." to the old woman who answered: the
                    # name is hers, the listener's, not the stranger's
                    return None
                if d is not None and d.speaker is who and replier is not None:
                    # "'Obito,' he murmured" was taken for the stranger: it is the
                    # one who answered him, naming him (the only change made here)
                    for k, other in decisions.items():
                        if other.speaker is who and _same_paragraph(lines[k], lines[j]):
                            other.speaker = replier
                return e
        if d is not None and d.speaker is not None and d.speaker not in talking:
            return None  # a third voice joined: a crowd, where names come and go
    return None


_THIRD_PERSON = re.compile(r"\b(?:[Hh]e|[Ss]he|him|her)\b")
_SECOND_PERSON = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]e)\b")


# "Why, it's Mr. Beebe!", "It is Tom!": a quote recognising someone who has just come in
_RECOGNISED = re.compile(r"\b(?:[Ii]t\s+is|[Ii]t['’]s|['’][Tt]is)\s+(?P<name>" + _NAME_RE + r")")


def _recognised_as(
    lines: Sequence[Line], decisions: dict[int, _Decision], names: _Names, i: int, who: _Entity
) -> _Entity | None:
    """ "The curtains parted and revealed a clergyman … Lucy rose, exclaiming: 'Why, it's
    Mr. Beebe!'": the description the narration brings in and the name the others
    greet before he speaks are one person, when that name is new to the scene."""
    start = _stranger_scene_start(lines, decisions, i, who)
    if start is None:
        return None
    text = names.text
    intros = list(_description_pattern(who.name).finditer(text, lines[start].start, lines[i].start))
    if not intros:
        return None
    at = intros[-1].start()
    k = next(k for k in range(start, i + 1) if lines[k].end > at)
    before = {e for _, _, e in names.in_range(lines[start].start, at)}
    recognised: set[_Entity] = set()
    greeted: set[_Entity] = set()
    for j in range(k, i):
        if lines[j].kind != "dialogue" or lines[j].paragraph > lines[k].paragraph + GREETING_REACH:
            continue
        d = decisions.get(j)
        if d is not None and d.speaker is who:
            continue
        greeted.update(_vocatives(lines[j].text, names))
        for m in _RECOGNISED.finditer(lines[j].text):
            named = names.lookup(_clean(m.group("name")))
            if named is not None:
                recognised.add(named)
    # "Oh, Charlotte, we must stay now" calls the one she is talking to: a name said
    # in recognition is better evidence than one said in address
    for found in (recognised, greeted):
        fitting = {
            e
            for e in found
            if not (e.epithet or e.narrator or e.group or e in before)
            and (who.fixed_gender is None or e.gender in ("unknown", who.fixed_gender))
            # someone who spoke before the newcomer did is not the newcomer
            and not any(d.speaker is e and start <= j < i for j, d in decisions.items())
        }
        if fitting:
            return next(iter(fitting)) if len(fitting) == 1 else None
    return None


_ASKS_NAME = re.compile(
    r"\b(?:(?:your|yer|thy)\s+name|(?:they|folks|people)\s+call\s+(?:you|ye|thee)|who\s+are\s+(?:you|ye)|what\s+name)\b",
    re.IGNORECASE,
)
_NAME_ANSWER = re.compile(r"[\"“‘'—-]*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s*[,.!]")


_FULL_NAME_ONLY = re.compile(
    r"[\"“‘'—-]*(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)\s*[.!]?[\"”’']?\s*"
)
_ASKS_OTHERS_NAME = re.compile(
    r"\b(?:his|her|their|its)\s+name\b|\bwho(?:m|se)?\b(?!\s+(?:are|art)\s+(?:you|ye|thou)\b)",
    re.IGNORECASE,
)


def _narrator_gives_name(
    lines: Sequence[Line], decisions: dict[int, _Decision], i: int, narrator: _Entity
) -> re.Match[str] | None:
    """ "The Herr Englishman?" "Yes," I said, "Jonathan Harker.": a full name and nothing
    else, said by the narrator in answer to someone's question, is the narrator's own."""
    m = _FULL_NAME_ONLY.fullmatch(lines[i].text)
    if m is None or m.group("name").split()[0] in NOT_NAMES:
        return None
    for j in range(i - 1, max(-1, i - 6), -1):
        if lines[j].kind != "dialogue" or lines[j].scene != lines[i].scene:
            continue
        asker = decisions.get(j)
        if asker is None or asker.speaker is narrator:
            continue
        asked = lines[j].text.rstrip(" \"”’'")
        if asked.endswith("?") and not _ASKS_OTHERS_NAME.search(asked):
            return m
        return None
    return None


def _previous_quote(lines: Sequence[Line], i: int) -> int:
    """The quote before line i that asks a name, else the nearest quote before it.

    The question may be any quote of the previous speech ("Tell us your name!" said the
    man. "Quick!"), so all of that paragraph's quotes are looked at."""
    nearest = -1
    paragraph: tuple[int, int, int] | None = None
    for j in range(i - 1, max(-1, i - 8), -1):
        if lines[j].kind != "dialogue":
            continue
        key = (lines[j].chapter, lines[j].scene, lines[j].paragraph)
        if paragraph is None:
            paragraph, nearest = key, j
        elif key != paragraph:
            break
        if _ASKS_NAME.search(lines[j].text):
            return j
    return nearest


def _narrator_name(
    narrator: _Entity,
    spoken: list[tuple[_Entity | None, list[_Entity]]],
    unheard: set[int],
    calls_narrator: Counter[_Entity],
) -> _Entity | None:
    """The first-person narrator's name: what the people answering them call them."""
    votes: Counter[_Entity] = Counter()
    # Someone with lines of their own is a person the narrator talks to, not the narrator.
    speakers = {speaker for speaker, _ in spoken}
    for k, (speaker, _) in enumerate(spoken):
        if speaker is not narrator or k in unheard:
            continue  # nobody answers a thought: the name said next is someone else's
        for j in (k - 1, k + 1):
            if 0 <= j < len(spoken) and spoken[j][0] is not narrator:
                for entity in spoken[j][1]:
                    if entity not in speakers and not entity.narrator:
                        votes[entity] += 1
    for entity, calls in calls_narrator.items():
        if entity not in speakers:
            # "it's a thousand pities you didn't go with me, Gilbert": a name the
            # narration never uses, called out to the narrator wherever the talk stands
            votes[entity] += calls
    if not votes:
        return None
    best, count = votes.most_common(1)[0]
    return best if count >= 2 else None


# '"…?" I asked.', '"…," said I': the narrator's own words, told as theirs
_I_TAG = re.compile(
    r"[\s,]*(?:I\s+(?:[a-z]+ly\s+)?(?:"
    + "|".join(SPEECH_VERBS)
    + r")|(?:"
    + "|".join(SPEECH_VERBS)
    + r")\s+I)\b"
)


def _answer_calls_narrator(
    lines: Sequence[Line],
    decisions: dict[int, _Decision],
    names: _Names,
    narrator: _Entity,
    narrated: set[_Entity],
) -> _Entity | None:
    """ "Where did you put the key?" I asked. ¶ "Nell, you know quite well where.": the
    one answering the narrator's own words speaks to the narrator, so a name they call
    out there is the narrator's. One such call is enough when nobody else can have the
    name: it never stands in the narration ("Nell ran in" would make Nell someone
    else) and nobody who speaks bears it. Every such answer must agree."""
    narration = " ".join(line.text for line in lines if line.kind == "narration")
    everything = " ".join(line.text for line in lines)
    speakers = {d.speaker for d in decisions.values() if d.speaker is not None}
    paragraphs: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        paragraphs[(line.chapter, line.scene, line.paragraph)].append(i)

    def spoken_by(i: int) -> _Entity | None:
        d = decisions.get(i)
        return d.speaker if d is not None else None

    def near(line: Line) -> list[int]:
        """The lines of a quote's paragraph and the paragraphs either side of it."""
        return [
            k
            for p in (line.paragraph - 1, line.paragraph, line.paragraph + 1)
            for k in paragraphs.get((line.chapter, line.scene, p), [])
        ]

    found: dict[str, _Entity] = {}
    for (chapter, scene, paragraph), members in paragraphs.items():
        quotes = [i for i in members if lines[i].kind == "dialogue"]
        if not quotes or any(spoken_by(i) is not narrator for i in quotes):
            continue
        if not any(
            i + 1 in members
            and lines[i + 1].kind == "narration"
            and _I_TAG.match(lines[i + 1].text)
            for i in quotes
        ):
            continue  # the narrator's turn only by the run of the talk: not sure enough
        asked = " ".join(lines[i].text for i in quotes)
        if _ASKS_NAME.search(asked) or _ASKS_WHICH.search(asked):
            continue  # "Who knocked?" I asked. ¶ "Harry, I think.": an answer, not a call
        answer = paragraphs.get((chapter, scene, paragraph + 1), [])
        if not answer or lines[answer[0]].kind != "dialogue":
            continue  # the answer must come at once, its paragraph opening with it
        if spoken_by(answer[0]) in (None, narrator):
            continue
        told = " ".join(lines[k].text for k in answer if lines[k].kind == "narration")
        if any(p.search(told) for p in (_TO_WHOM, _ASKS_WHOM, _TURNS_TO, _ADDRESSING)):
            continue  # '"Meg, the lamp," said my aunt to the maid': said to someone else
        called = _people_called(lines[answer[0]].text, names)
        if called is None or len(called) != 1:
            continue  # "Tom, tell Ann…": which of them is the narrator is not said
        name = called[0]
        entity = names.lookup(name)
        if entity is None:
            if re.search(rf"\b{re.escape(name)}\b", narration) or re.search(
                rf"\b{re.escape(name.lower())}\b", everything
            ):
                continue  # "Will", "Rose": a word as well as a name
            entity = found.get(name) or _Entity(name=name)
            if not entity.forms:
                entity.forms[name] += 1
                entity.name_gender = _name_gender(entity)
        elif not entity.called_person:
            continue  # "Trafalgar, mother.": a place or a thing, the answer to a question
        elif (
            entity in narrated
            or entity in speakers
            or entity.narrator
            or entity.group
            or entity.epithet
        ):
            continue  # someone the narration or the talk shows as another person
        if not all(
            any(spoken_by(k) is narrator for k in near(lines[i]))
            for i, line in enumerate(lines)
            if line.kind == "dialogue" and re.search(rf"\b{re.escape(name)}\b", line.text)
        ):
            continue  # the name is also said in talk the narrator has no part in
        found[entity.name] = entity
    return next(iter(found.values())) if len(found) == 1 else None


# "Which of you took it?", "And who knocked?", "What was her name?": the answer may
# well be a name (not "the one which I lost?", where "which" asks nothing)
_ASKS_WHICH = re.compile(
    r"(?:^|[.!?;:—–-])[\s\"“‘']*(?:(?:and|but|then|so|now|well),?\s+)?(?:who(?:m|se)?|which)\b[^.!?]*\?"
    r"|\b(?:his|her|their|its)\s+name\b",
    re.IGNORECASE,
)


def _people_called(quote: str, names: _Names) -> list[str] | None:
    """The names a quote calls out: a known name or a common given name ("Jane, I don't
    …"). None when it opens with a name and a full stop or question mark ("Harry." or
    "Harry?"), which is how an answer or an echo starts, not a call."""
    called: list[str] = []
    for m in _vocative_calls(quote):
        name = m.group("name")
        if names.lookup(name) is None and name not in given_names.MALE | given_names.FEMALE:
            continue  # "Nonsense!", "Hush!": no one's name
        opening = not quote[: m.start("name")].strip("\"“”‘'’—–- ")
        if opening and not re.match(r"\s*[,!]", quote[m.end("name") :]):
            return None
        if name not in called:
            called.append(name)
    return called


_THOUGHT_TAG = re.compile(
    r"[\s,]*(?:(?:I|he|she|[A-Z][a-z]+)\s+)?(?:thought|reflected|mused)\b(?!\s+(?:of|about|that)\b)"
)


def _closed(text: str) -> bool:
    stripped = text.rstrip(" .,;:!?—–-)")
    return stripped.endswith(('"', "”", "’", "'", "“", "»")) or text.lstrip()[:1] in "—―"


def _vocatives(quote: str, names: _Names, answering: bool = False) -> list[_Entity]:
    """People a quote addresses by name. When it answers a question about a name, a
    quote that is only a name ("What is his name?" "Bingley.") is the answer."""
    return list(_vocatives_at(quote, names, answering))


def _vocatives_at(quote: str, names: _Names, answering: bool = False) -> dict[_Entity, Span]:
    """The same, each with where the quote first calls them ("Hester" in "Do you think
    so, Hester?"), in order."""
    found: dict[_Entity, Span] = {}
    for m in _vocative_calls(quote, answering):
        entity = names.lookup(m.group("name"))
        if entity is not None and entity not in found:
            found[entity] = m.span("name")
    for m in _KIN_VOCATIVE.finditer(quote):
        # "Yes, uncle.": the one person the text calls "Uncle John"
        entity = names.role_holder(m.group("kin").lower())
        if entity is not None and entity not in found:
            found[entity] = m.span("kin")
    return found


def _vocative_calls(quote: str, answering: bool = False) -> list[re.Match[str]]:
    """Where a quote calls out a capitalised word as a name, whoever it may be."""
    calls: list[re.Match[str]] = []
    introduced = _NAME_AND_ROLE.match(quote)
    nested = _nested_quotes(quote)
    for m in _VOCATIVE.finditer(quote):
        if introduced is not None and m.group("name") in introduced.group("name"):
            continue  # "Mr. Lockwood, your new tenant, sir.": the speaker's own name
        if any(a <= m.start() < b for a, b in nested):
            # "Say, 'What do you want, Master Reed?'": words put in someone else's
            # mouth call the speaker, if anyone, not the one spoken to
            continue
        before = quote[max(0, m.start() - 12) : m.start()]
        after = quote[m.end() : m.end() + 6]
        if re.search(r"[A-Z][\w'’-]*,\s*$", before) or re.match(r"\s*,?\s*(?:and|or)\b", after):
            continue  # "Tom, Dick, and Harry": a list of names, not someone addressed
        if answering and re.fullmatch(
            r"[\"“”‘'—–\s-]*" + re.escape(m.group("name")) + r"\s*[.…]?[\"”’']?\s*", quote
        ):
            continue
        calls.append(m)
    return calls


def _in_quotes(quotes: list[Line], span: Span) -> Span:
    """A span of the quotes' texts joined by a space, in the text."""
    offset = 0
    for quote in quotes:
        if span[0] < offset + len(quote.text):
            return quote.start + span[0] - offset, quote.start + span[1] - offset
        offset += len(quote.text) + 1
    return span  # not reached: a span of the joined text lies in one of the quotes


def _call_at(line: Line, who: _Entity, names: _Names) -> Span | None:
    """Where a quote calls someone by name or as its parent ("Fergus" of "Nonsense,
    Fergus!"), in the text."""
    at = _vocatives_at(line.text, names).get(who)
    if at is None and who in _parent_called(line.text, names):
        parent = _address_gender_at(line.text, parents_only=True)
        at = parent[1] if parent is not None else None
    return (line.start + at[0], line.start + at[1]) if at is not None else None


def _parent_called(quote: str, names: _Names) -> list[_Entity]:
    """The parent a child calls "mamma" or "papa", when the text names that parent by a
    description: "isn't it odd, mamma?" is said to the one the narrator calls "my
    mother"."""
    parent = _address_gender(quote, parents_only=True)
    if parent is None:
        return []
    return [
        e
        for e in names.entities
        if e.epithet and e.gender == parent and e.name.lower().split()[-1] in _PARENT_HEADS
    ]


def _called(quote: str, names: _Names) -> list[_Entity]:
    """People a quote calls by name or as their child ("mamma")."""
    called = _vocatives(quote, names)
    return called + [e for e in _parent_called(quote, names) if e not in called]


def _claimed_names(quote: str, names: _Names) -> list[_Entity]:
    """ "Say, 'What do you want, Master Reed?'": the one who tells the listener what to
    say wants to be called by the name in it."""
    m = _SAY_THIS.search(quote)
    if m is None:
        return []
    spans = [(a, b) for a, b in _nested_quotes(quote) if a >= m.end() - 1]
    return _vocatives(quote[spans[0][0] + 1 : spans[0][1] - 1], names) if spans else []


_SAY_THIS = re.compile(r"(?:^|[.!?]\s+|[\"“‘'])(?:Say|Call\s+me)\s*[,:]?\s*['‘\"“]")


def _nested_quotes(quote: str) -> list[tuple[int, int]]:
    """Spans of quotes inside a quote: the 'What do you want, Master Reed?' of
    "Say, 'What do you want, Master Reed?'"."""
    inner = _NESTED_IN_DOUBLE if quote[:1] in '"“' else _NESTED_IN_SINGLE
    return [m.span() for m in inner.finditer(quote, 1)]


# the words quoted may hold an apostrophe ("'We don't sell it to boys, Mrs. Alder.'"), but
# then they end on a stop before the closing mark, so that a dialect's dropped letters
# ("'tain't one thing an' 'tain't another") are no quotation
_NESTED_IN_DOUBLE = re.compile(
    r"(?<![\w])['‘](?:[^'‘’\"“”]+?|(?:[^'‘’\"“”]|[’'](?=\w))+?[.,!?;:—-])[’'](?![\w])"
)
_NESTED_IN_SINGLE = re.compile(r"[\"“][^\"“”]+?[\"”]")


_NAME_IN_QUOTE = re.compile(
    r"(?<![\w'’])(?:(?:Mr|Mrs|Ms|Dr)\.?\s+|Miss\s+)?[A-Z][\w'’-]*[a-z][\w'’-]*"
)


def _mentions(quote: str, names: _Names) -> list[_Entity]:
    """People a quote names ("Miss Watkin will be cross"): speakers rarely name themselves."""
    found: list[_Entity] = []
    for m in _NAME_IN_QUOTE.finditer(quote):
        form = _POSSESSIVE.sub("", m.group(0))
        if form in NOT_NAMES:
            continue
        entity = names.lookup(form)
        if entity is not None and entity.person and entity not in found:
            found.append(entity)
    return found


def _feature_beat_sex(
    sentence: str,
    features: dict[str, Gender],
    resolve: Callable[[_Subject, bool], _Entity | None],
) -> Gender | None:
    """The sex of whoever "Grey eyes narrowed." is about, in a book where only his eyes
    are grey (see _feature_sexes)."""
    found = _feature_beat(sentence, features, resolve)
    return found[0] if found is not None else None


def _feature_beat(
    sentence: str,
    features: dict[str, Gender],
    resolve: Callable[[_Subject, bool], _Entity | None],
) -> tuple[Gender, Span] | None:
    """The same, with where the feature is in the sentence ("Grey eyes")."""
    feature = _FEATURE_BEAT.match(sentence)
    if feature is None:
        return None
    sexes = {
        g
        for w in re.findall(r"[\w-]+", feature.group("words"))
        if (g := features.get(w.lower())) is not None
    }
    if len(sexes) != 1:
        return None
    sex = sexes.pop()
    target = _LOOK_AT.search(sentence, feature.end())
    if target is not None:
        # "Dark eyes shoot a look at the Rokudaime": unless the one looked at is a woman,
        # one man may be looking at another, and the eyes being a man's tell nothing
        # ("Grey eyes looked at her" still do)
        seen_sex = PRONOUN_GENDER.get(target.group("who").lower())
        if seen_sex is None:
            looked_at = resolve(_Subject("name", target.group("who")), False)
            seen_sex = looked_at.gender if looked_at is not None else None
        if seen_sex != _OPPOSITE[sex]:
            return None
    # the words and the part: "Grey eyes" of "Grey eyes narrowed"
    return sex, (feature.start("words"), feature.end("part"))


def _gender_of(entity: _Entity | None) -> Gender | None:
    return entity.gender if entity is not None and entity.gender != "unknown" else None


def _senses_while_another_acts(
    sentence: str, resolve: Callable[[_Subject, bool], _Entity | None], nouns: _Nouns
) -> bool:
    """ "She felt the deck tilt as the old sailor swung the wheel.": one person senses
    while someone else acts (see _SENSES_AS_OTHER_ACTS)."""
    senses = _SENSES_AS_OTHER_ACTS.match(sentence)
    if senses is None:
        return False
    who, other = senses.group("who"), senses.group("other")
    senser = resolve(_Subject("pron" if who.lower() in ("he", "she", "i") else "name", who), False)
    if other in ("he", "she"):
        # "She felt the bed dip as he sat down": the other sex
        return who.lower() != other and (senser is None or senser.gender != PRONOUN_GENDER[other])
    if other[:1].isupper():
        doer = resolve(_Subject("name", other), False)
        return doer is not None and doer.person and doer is not senser
    doer = resolve(_Subject("np", other), False)
    # "as the door creaked": no one; "as the old sailor swung", "as the Colonel turned" (a
    # title standing for a name): someone
    return (
        bool(nouns.person_np.fullmatch(other))
        or other.split()[-1][:1].isupper()
        or (doer is not None and doer.person and doer is not senser)
    )


def _beat_subject(
    lines: Sequence[Line],
    para: list[int],
    resolve: Callable[[_Subject, bool], _Entity | None],
    features: dict[str, Gender],
    owners: Mapping[_FeatureKey, _Entity],
    nouns: _Nouns,
) -> tuple[_Entity | None, Gender | None, bool, Span | None]:
    """The person acting in the narration sentence nearest the first quote, their sex
    where only that is known, whether that sentence comes after the quote, and where
    the words for them are ("Kakashi" of "Kakashi nodded.", "He" of "He shrugged.")."""
    first_dialogue = next(pos for pos, i in enumerate(para) if lines[i].kind == "dialogue")
    candidates: list[str] = []
    starts: list[int] = []  # where each is in the text
    if first_dialogue > 0:
        before = lines[para[first_dialogue - 1]]
        for piece in reversed(list(_SENTENCE.finditer(before.text))):
            candidates.append(piece.group(0))
            starts.append(before.start + piece.start())
    leading = len(candidates)  # the sentences before the quote, nearest first
    if first_dialogue + 1 < len(para) and lines[para[first_dialogue + 1]].kind == "narration":
        after = lines[para[first_dialogue + 1]]
        for piece in _SENTENCE.finditer(after.text):
            candidates.append(piece.group(0))
            starts.append(after.start + piece.start())
    feature_sex: Gender | None = None  # of the one whose eyes or hair act ("Grey eyes narrowed")
    feature_at: Span | None = None  # and where they are

    def stripped(k: int) -> tuple[str, int]:
        """Candidate k without the space (and for the nearest, the quote marks and
        commas) around it, and where that starts in the text."""
        sentence = candidates[k].strip()
        return sentence, starts[k] + len(candidates[k]) - len(candidates[k].lstrip())

    def fits(entity: _Entity | None, gender: Gender | None = None) -> bool:
        return feature_sex is None or (gender or (entity.gender if entity else None)) in (
            feature_sex,
            "unknown",
        )

    def just_seen(k: int, gender: Gender | None) -> tuple[_Entity, Span] | None:
        """ "Sakura turns, surprised to see Hinata there. Her pale eyes squint in a
        smile.": the "her" is the one just seen, who is about to speak."""
        if k + 1 >= leading:
            return None
        sentence, at = stripped(k + 1)
        seen = _SEES_SOMEONE.search(sentence)
        if seen is None or gender is None:
            return None
        found = resolve(_Subject("name", seen.group("name")), False)
        if found is not None and found.gender == gender and fits(found):
            return found, _group_span(seen, "name", at)
        return None

    for k, sentence in enumerate(candidates[:3]):
        s = sentence.strip().lstrip("\"“”'‘’,.—–- ")
        # where s starts in the text
        at = starts[k] + len(sentence) - len(sentence.lstrip()) + len(sentence.strip()) - len(s)
        after_quote = k >= leading
        if k == 0 and not after_quote and _HEARS_QUOTE.search(s):
            # the one hearing the quote is listening, not acting: no beat names its speaker
            return None, None, False, None
        puzzled = _PUZZLED_BY.search(s)
        if puzzled is not None:
            # "'You won't ever see her any more.' Philip did not know what she meant.":
            # Philip is listening; the speaker is the "she"
            return (
                None,
                PRONOUN_GENDER[puzzled.group("pron").lower()],
                after_quote,
                _group_span(puzzled, "pron", at),
            )
        arrival = _ARRIVES_WHEN.search(s)
        if arrival is not None:
            # "Sakura was about to call it a night when three ANBU suddenly appeared in
            # her kitchen.": whoever comes in at that moment speaks (one of them, if many)
            head = arrival.group("head")
            if head.endswith("s") and not nouns.person_np.fullmatch(f"the {head}"):
                head = head[:-1]  # "two guards": one guard
            if nouns.person_np.fullmatch(f"the {head}"):
                article = "an" if head[:1].lower() in "aeiou" else "a"
                entity = resolve(_Subject("np", f"{article} {head}"), False)  # someone new
                if entity is not None and fits(entity):
                    # "three ANBU" of "when three ANBU suddenly appeared"
                    who = re.match(r"when\s+", arrival.group(0))
                    begin = arrival.start() + (who.end() if who is not None else 0)
                    return entity, None, after_quote, (at + begin, at + arrival.end("head"))
        watched = _WATCHES_OTHER.search(s)
        if watched is not None:
            # "She … is surprised to see a smile … gracing his face.": the one watched,
            # not the watcher, is about to speak
            watcher = watched.group("watcher").lower()
            if watched.group("name"):
                if watched.group("verb") not in _NP_STOP:  # "saw Kakashi at the door"
                    entity = resolve(_Subject("name", watched.group("name")), False)
                    if entity is not None and fits(entity):
                        return entity, None, after_quote, _group_span(watched, "name", at)
            else:
                own = watched.group("pron") or watched.group("obj")
                watched_sex = PRONOUN_GENDER["he" if own in ("his", "him") else "she"]
                if PRONOUN_GENDER.get(watcher) not in (watched_sex, None) and fits(
                    None, watched_sex
                ):
                    whose = "pron" if watched.group("pron") else "obj"
                    return None, watched_sex, after_quote, _group_span(watched, whose, at)
        seen = _I_SEE.match(s)
        if seen is not None and seen.group("name").split()[0] not in NOT_NAMES:
            # "I can see Douglas there before the fire, … 'Nobody but me …'": the
            # one watched is the one acting
            entity = resolve(_Subject("name", seen.group("name")), False)
            if entity is not None and fits(entity):
                return entity, None, after_quote, _group_span(seen, "name", at)
        owner = _VOICE_OF.search(s)
        if owner is not None:
            # '"Were you injured?" Alarm clear in the guard's tone.': the voice's owner
            np, name = owner.group("np"), owner.group("name")
            if np is not None and nouns.person_np.fullmatch(np):
                entity = resolve(_Subject("np", np), False)
            elif name is not None and name.split()[0] not in NOT_NAMES:
                entity = resolve(_Subject("name", name), False)
            else:
                entity = None
            if entity is not None and fits(entity):
                return entity, None, after_quote, _group_span(owner, "np" if np else "name", at)
        described = nouns.np_beat.match(s)
        if described is not None:
            # "A guard appears beside him": someone new, never a person already there
            article = described.group(0).split()[0].lower()
            entity = resolve(_Subject("np", f"{article} {described.group('np')}"), False)
            if entity is not None and fits(entity):
                return entity, None, after_quote, (at + described.start(), at + described.end("np"))
            continue
        eyes_of = _feature_beat_owner(s, owners, resolve)
        if eyes_of is not None and fits(eyes_of[0]):
            # "Green eyes narrowed." with two women on stage: the one the text gives
            # green eyes, not whichever woman acted last
            return eyes_of[0], None, after_quote, (at + eyes_of[1][0], at + eyes_of[1][1])
        feature = _feature_beat(s, features, resolve)
        if feature is not None:
            sex = feature[0]
            seen_one = just_seen(k, sex)
            if seen_one is not None:
                return seen_one[0], None, after_quote, seen_one[1]
            if feature_sex is None:
                feature_sex, feature_at = sex, (at + feature[1][0], at + feature[1][1])
            continue
        companion = _COMPANION_BEAT.match(s) or _COMPANION_FACE.search(s)
        if companion is not None:
            # "His companion lounged back.", "Kakashi's companion turned and smiled.":
            # whoever is with him, not he
            entity = resolve(_Subject("np", " ".join(companion.group("np").split())), False)
            if entity is not None and fits(entity):
                return entity, None, after_quote, _group_span(companion, "np", at)
            continue
        acting = _THING_AS_ONE_ACTS.match(s)
        if acting is not None:
            # "The door closed quietly behind them as he pulled away from her and lifted
            # a hand in greeting.": the door is no one; he is the one acting
            acting_sex = PRONOUN_GENDER[acting.group("pron")]
            if fits(None, acting_sex):
                return (
                    resolve(_Subject("pron", acting.group("pron")), False),
                    acting_sex,
                    after_quote,
                    _group_span(acting, "pron", at),
                )
            continue
        m = _BEAT_RE.match(s)
        if m is None or _ABSOLUTE.match(s):
            continue  # "Kakashi being too sick to come in was unprecedented."
        if _senses_while_another_acts(s, resolve, nouns):
            return None, feature_sex, False, feature_at if feature_sex is not None else None
        reply = _THEN_OTHER_SEX_ACTS.search(s, m.end())
        if reply is not None:
            # "He raised a brow in question, to which she batted her lashes and smiled
            # evasively.": she answers him, acting last, nearest the quote
            other = PRONOUN_GENDER[reply.group("pron")]
            first_sex = (
                PRONOUN_GENDER.get(m.group("pron").lower())
                if m.group("pron")
                else _gender_of(resolve(_Subject("name", m.group("name")), False))
                if m.group("name")
                else None
            )
            if first_sex == _OPPOSITE[other] and fits(None, other):
                return (
                    resolve(_Subject("pron", reply.group("pron")), False),
                    other,
                    after_quote,
                    _group_span(reply, "pron", at),
                )
        then = _THEN_ANOTHER_ACTS.search(s, m.end())
        if then is not None:
            # "Sakura stood from the table and her friend gasped, shaking her head.":
            # the one acting last, nearest the quote
            if then.group("np"):
                np = " ".join(then.group("np").split())
                first_actor = (
                    resolve(_Subject("name", m.group("name")), False)
                    if m.group("name")
                    else resolve(_Subject("pron", m.group("pron").lower()), False)
                    if m.group("pron")
                    else None
                )
                if first_actor is not None and np.split()[0].lower() in ("his", "her"):
                    # her friend: the friend of the one who acted first in the sentence
                    np = f"{first_actor.name}'s {np.split(None, 1)[1]}"
                entity = resolve(_Subject("np", np), False)
            else:
                entity = resolve(_Subject("name", then.group("name")), False)
            if entity is not None and entity.person and fits(entity):
                whose = "np" if then.group("np") else "name"
                return entity, None, after_quote, _group_span(then, whose, at)
        if m.group("poss") and m.group("kin").lower() in EPITHET_GENDER:
            # "His mother sobbed.": the one acting is his mother, a person of her own sex
            if fits(None, EPITHET_GENDER[m.group("kin").lower()]):
                kin = EPITHET_GENDER[m.group("kin").lower()]
                return None, kin, after_quote, (at + m.start("poss"), at + m.end("kin"))
            continue
        if m.group("poss") and _LOOKS.match(s, m.end("kin")):
            continue  # "His face looks drawn and tired.": how he looks to the one speaking
        if m.group("pron") or m.group("poss"):
            word = (m.group("pron") or m.group("poss")).lower()
            pron = {"his": "he", "her": "she", "my": "i"}.get(word, word)
            gender = PRONOUN_GENDER.get(pron)
            entity = resolve(_Subject("pron", pron), False)
            word_at = _group_span(m, "pron" if m.group("pron") else "poss", at)
            newcomer = nouns.np_beat.match(stripped(k + 1)[0]) if k + 1 < leading else None
            if gender is not None and newcomer is not None and newcomer.group(0)[0] == "A":
                # "A nurse stepped closer to him. She batted her eyes.": the "she" is
                # the one who has just come in, unless the description says otherwise
                head = newcomer.group("np").split()[-1]
                if _head_gender(head, newcomer.group("np")) in (None, gender):
                    found = resolve(_Subject("np", f"a {newcomer.group('np')}"), False)
                    if found is not None and fits(found, gender):
                        if found.gender == "unknown":
                            found.gender_votes[gender] += 1.0  # the pronoun tells their sex
                        # "A nurse" of "A nurse stepped closer to him."
                        came = stripped(k + 1)[1]
                        return found, None, after_quote, (came, came + newcomer.end("np"))
            seen_one = just_seen(k, gender)
            if seen_one is not None:
                return seen_one[0], None, after_quote, seen_one[1]
            if gender is not None and fits(None, gender):
                # "He shrugged.": only the speaker's gender
                return entity, gender, after_quote, word_at
            if gender is not None:
                continue
        else:
            name = m.group("name")
            if name.split()[0] in NOT_NAMES and not re.match(_TITLE_WORD + r"\s", name):
                continue
            entity = resolve(_Subject("name", name), False)
            owner = _POSSESSIVE.search(name)  # "Tom" of "Tom's face fell"
            word_at = (at + m.start("name"), at + m.end("name") - (len(owner[0]) if owner else 0))
        if entity is not None and fits(entity):
            return entity, None, after_quote, word_at
    return None, feature_sex, False, feature_at if feature_sex is not None else None


_SEES_SOMEONE = re.compile(
    r"\b(?:see|sees|saw|seeing|notice|notices|noticed|noticing|find|finds|found|finding)\s+"
    rf"(?P<name>{_NAME_RE})(?:\s+(?:there|here|behind\s+(?:him|her)|beside\s+(?:him|her)))?"
    r"[.!]?$"
)
# a narration paragraph that moves time on ("Half an hour later found them …", "The next
# morning"): the talk after it is a new one, however short the narration
_TIME_SKIP = re.compile(
    r"(?:(?:Half\s+an|An|A\s+few|Two|Three|Several|Many|Some)\s+(?:minutes?|hours?|days?|weeks?|months?)"
    r"\s+later|Later\s+that|The\s+next\s+(?:morning|day|evening|night)|That\s+night)\b"
)
# "He raised a brow, to which she smiled": the other sex acting after the subject, and
# no one else after them
_THEN_OTHER_SEX_ACTS = re.compile(
    r"(?:,\s+to\s+which|,?\s+and|,\s+and\s+then)\s+(?P<pron>he|she)\s+"
    + _PAST_ACT
    + r"(?![^.!?\"“”]*\b(?:and|as|while|when)\s+(?:he|she)\b)"
)
_THEN_ANOTHER_ACTS = re.compile(
    rf"\s+and\s+(?:(?P<np>(?:his|her|{_NAME_RE}['’]s)\s+(?:[a-z]+\s+)?(?:{'|'.join(sorted(_COMPANIONS))}))"
    rf"|(?P<name>{_NAME_RE}))\s+(?:[a-z]+ly\s+)?" + _PAST_ACT
)
_THING_AS_ONE_ACTS = re.compile(
    r"(?:The|A|An|Its|This|That)\s+[a-z]+\s+(?:[a-z]+ly\s+)?[a-z]+ed\b[^,;:.!?\"“”]{0,40}?"
    r"\b(?:as|when|while)\s+(?P<pron>he|she)\s+(?:[a-z]+ly\s+)?" + _PAST_ACT
)
# "She felt the deck tilt as the old sailor swung the wheel.", "He heard the gate creak
# when Nell came back.": one person senses while another acts; either may speak next
# ("… as he sat down beside her. 'Can't sleep?'", "… as he laughed. 'Stop it!'"), so the
# sentence gives neither the sex nor the person of the speaker
_SENSES_AS_OTHER_ACTS = re.compile(
    rf"(?:[A-Z][^,.;:!?\"“”]{{0,60}},\s+)?(?P<who>He|She|I|(?<=,\s)he|(?<=,\s)she|{_NAME_RE})\s+"
    r"(?:[a-z]+ly\s+)?(?:could\s+|can\s+)?"
    r"(?:felt|feels?|heard|hears?|sensed|senses?|saw|sees?|noticed|notices?)\b"
    r"[^,;:.!?\"“”]{0,60}?\b(?:as|when|while)\s+"
    rf"(?P<other>(?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){{0,2}}?[\w'’-]+|he|she|{_NAME_RE})\s+"
    r"(?:[a-z]+ly\s+)?(?:(?:[a-z]+ed|" + "|".join(sorted(_IRREGULAR_PAST)) + r")\b|"
    r"[a-z]+[^s\W]s\b)"
)
_COMPANION_BEAT = re.compile(
    rf"(?P<np>(?:His|Her|{_NAME_RE}['’]s)\s+(?:[a-z]+\s+)?(?:{'|'.join(sorted(_COMPANIONS))}))"
    r"\s+(?:[a-z]+ly\s+)?[a-z]+"
)
# "He could feel the grin on his companion's face.": the companion, about to speak
_COMPANION_FACE = re.compile(
    rf"\b(?P<np>(?:[Hh]is|[Hh]er|{_NAME_RE}['’]s)\s+(?:[a-z]+\s+)?"
    rf"(?:{'|'.join(sorted(_COMPANIONS))}))['’]s\s+(?:face|grin|smile|lips|mouth|eyes|voice)\b"
)
_LOOKS = re.compile(r"\s+(?:looks|looked|seems|seemed|appears|appeared)\b")
_VOICE_OF = re.compile(
    r"\b(?:in|of|from)\s+(?:(?P<np>the\s+(?:[a-z][\w'’-]*\s+){0,2}?[\w'’-]+)"
    rf"|(?P<name>{_NAME_RE}))['’]s\s+(?:voice|tone)\b"
)
_ARRIVES_WHEN = re.compile(
    r"\bwhen\s+(?:a|an|the|two|three|four|five|several|some)\s+(?:[a-z][\w'’-]*\s+){0,2}?"
    r"(?P<head>[\w'’-]+)\s+(?:suddenly\s+)?"
    r"(?:appeared|arrived|entered|burst|came|stepped|walked|ran|rushed|showed)\b"
)
_WATCHES_OTHER = re.compile(
    r"^(?:[A-Z][\w ,'’-]{0,40},\s+)?(?P<watcher>[Hh]e|[Ss]he|I)\b[^.!?\"“”]{0,60}?\b"
    r"(?:see|sees|saw|notice|notices|noticed|watch|watches|watched)\s+"
    # "watched curiously as a series of expressions crossed her face"
    r"(?:(?:[a-z]+ly\s+)?(?:as|while)\s+)?"
    r"(?:(?:a|an|the)\s+[^.!?\"“”]{0,60}?\b(?P<pron>his|her)\s+(?:face|lips|mouth|eyes)\b"
    r"|(?P<name>[A-Z][\w'’-]+)\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)(?<!ed)(?<!ing)\b(?!['’])"
    r"|(?P<obj>him|her)\s+(?:smile|grin|frown|nod|smirk|sigh|laugh|shrug|wince)\b)"
)
_PUZZLED_BY = re.compile(
    r"\b(?:did not|didn['’]t|could not|couldn['’]t|wondered|asked (?:himself|herself))\s+"
    r"(?:(?:know|understand|guess|tell|see)\s+)?what\s+(?P<pron>he|she)\s+(?:meant|was talking about)"
)

# "Out in the dark I could just hear a '…'", "she caught the words '…'": the quote is
# what the sentence's subject hears, so it is someone else's, whoever that is
_HEARS_QUOTE = re.compile(
    r"(?:\b(?:heard|hear|hears|overheard|overhear)(?:\s+(?:a|an|the|some|this|that)"
    r"(?:\s+[a-z]+){0,2}?)?|\b(?:caught|catch)\s+(?:the|a|an|some)(?:\s+[a-z]+)?"
    r"\s+(?:voice|voices|cry|call|shout|whisper|words?|sound))"
    r"(?:\s+(?:of|say|saying))?\s*[,:—–-]?$"
)
_OPPOSITE: dict[Gender, Gender] = {"male": "female", "female": "male", "unknown": "unknown"}

# "his grey eyes", "her long pink hair": what the text says a man's or a woman's eyes,
# brows and hair look like, so that "Grey eyes narrowed." before a quote is his beat
_FEATURE_PARTS = r"(?:eyes|brows|eyebrows|lashes|hair|locks|bangs|gaze)"
_FEATURE_OF = re.compile(
    r"\b(?P<poss>[Hh]is|[Hh]er)\s+(?P<words>(?:[a-z][a-z-]*,?\s+){1,3})" + _FEATURE_PARTS + r"\b"
)
# a sentence that opens with such a feature acting: "Silver-white brows raised.",
# "Wide, green eyes looked up at him."
_FEATURE_BEAT = re.compile(
    r"(?P<words>(?:[A-Z][a-z-]*,?\s+)(?:[a-z][a-z-]*,?\s+){0,2})(?P<part>"
    + _FEATURE_PARTS
    + r")\s+[a-z]+"
)
_LOOK_AT = re.compile(r"\bat\s+(?:the\s+)?(?P<who>him|her|[A-Z][\w'’-]*)\b")
# colours only: "wide", "soft" or "tired" eyes say nothing about whose they are
_COLOURS = _words(
    """grey gray green blue brown hazel amber black dark pale silver white pink red blond
    blonde golden gold auburn violet purple emerald sapphire onyx obsidian chocolate copper
    ginger raven sandy teal turquoise lavender crimson scarlet platinum ebony jade"""
)


def _feature_sexes(text: str) -> dict[str, Gender]:
    """Colours the text gives only a man's features, or only a woman's ("silver-white"
    when it says "his silver-white hair" and never "her silver-white …")."""
    seen: dict[str, Counter[Gender]] = defaultdict(Counter)
    for m in _FEATURE_OF.finditer(text):
        sex: Gender = "male" if m.group("poss").lower() == "his" else "female"
        words = re.findall(r"[a-z][a-z-]*", m.group("words"))
        if set(words) & _NP_STOP:
            continue  # "his shoulder as emerald-dark eyes": not his eyes
        for word in words:
            if set(word.split("-")) & _COLOURS:
                seen[word][sex] += 1
    return {
        word: sex
        for word, counts in seen.items()
        for sex in ("male", "female")
        if counts[sex] and not counts[_OPPOSITE[sex]]
    }


# "Rhona's copper hair", or "her copper hair" where Rhona is the one woman named around
# it: the person whose features the text gives that colour. Eyes and hair are told
# apart ("dark eyes" may be one man's and "dark hair" another's).
_FeatureKey = tuple[str, str]  # (colour, "eyes" or "hair")
_FEATURE_NOUN = re.compile(rf"\b(?P<part>{_FEATURE_PARTS})\b")
_BEFORE_FEATURE = re.compile(r"(?:[\w'’-]+,?\s+){1,4}$")
_EYE_PARTS = frozenset({"eyes", "lashes", "gaze"})
# votes the one owner of a colour needs, and how many times any rival's
FEATURE_OWNER_VOTES = 2
FEATURE_OWNER_MARGIN = 2
FEATURE_WORDS_REACH = 120  # characters before a feature's noun that can hold its words


def _feature_keys(before: str, part: str) -> tuple[str | None, list[_FeatureKey]]:
    """Whose a feature is said to be by the words before its noun ("Rhona's long copper"
    -> "Rhona", "her" -> "her", "Wide, green" -> None) and its colours."""
    # only the last few words can belong to the feature; searching a whole paragraph's
    # prefix for a pattern anchored at its end would try every start in it
    tail = _BEFORE_FEATURE.search(before[-FEATURE_WORDS_REACH:])
    words = re.findall(r"[\w'’-]+", tail.group(0)) if tail else []
    owner: str | None = None
    colours: list[str] = []
    for word in reversed(words):
        if word.lower() in ("his", "her"):
            owner = word.lower()
            break
        if word[:1].isupper() and _POSSESSIVE.search(word):
            owner = _POSSESSIVE.sub("", word)
            break
        if word.lower() in _NP_STOP or len(colours) == 3:
            break
        colours.extend(c for c in word.lower().split("-") if c in _COLOURS)
    kind = "eyes" if part in _EYE_PARTS else "hair"
    return owner, [(colour, kind) for colour in colours]


def _feature_owners(text: str, lines: Sequence[Line], names: _Names) -> dict[_FeatureKey, _Entity]:
    """The one person the text gives each coloured feature: by a name ("Rhona's copper
    hair"), or by "her copper hair" and "copper hair" in a paragraph that names one woman
    and no other (the colour being said only of a woman's hair elsewhere). A colour two
    people share, or that the text gives no one clearly, has no owner."""
    paragraphs: dict[tuple[int, int, int], list[Line]] = defaultdict(list)
    for line in lines:
        if line.kind == "narration":
            paragraphs[(line.chapter, line.scene, line.paragraph)].append(line)
    found: list[tuple[str | None, list[_FeatureKey], list[_Entity]]] = []
    sex_of: dict[_FeatureKey, Counter[Gender]] = defaultdict(Counter)
    for narration in paragraphs.values():
        people = list(
            {
                e: None
                for line in narration
                for _, _, e in names.in_range(line.start, line.end)
                if e.person and not e.narrator and not e.group
            }
        )
        for line in narration:
            for m in _FEATURE_NOUN.finditer(line.text):
                owner, keys = _feature_keys(line.text[: m.start()], m.group("part"))
                if keys:
                    found.append((owner, keys, people))
                if owner in ("his", "her"):
                    for key in keys:
                        sex_of[key]["male" if owner == "his" else "female"] += 1
    votes: dict[_FeatureKey, Counter[_Entity]] = defaultdict(Counter)
    for owner, keys, people in found:
        for key in keys:
            if owner is not None and owner not in ("his", "her"):
                who = names.lookup(owner)
                fitting = [who] if who is not None and who.person else []
            else:
                sexes = sex_of[key]
                sex: Gender | None = (
                    ("male" if owner == "his" else "female")
                    if owner is not None
                    else next((g for g in sexes if not sexes[_OPPOSITE[g]]), None)
                )
                fitting = [e for e in people if sex is not None and e.gender == sex]
            if len(fitting) == 1:
                votes[key][fitting[0]] += 1
    owners: dict[_FeatureKey, _Entity] = {}
    for key, counts in votes.items():
        ranked = counts.most_common(2)
        best, n = ranked[0]
        rival = ranked[1][1] if len(ranked) > 1 else 0
        if n >= FEATURE_OWNER_VOTES and n >= FEATURE_OWNER_MARGIN * rival:
            owners[key] = best
    return owners


def _feature_beat_owner(
    sentence: str,
    owners: Mapping[_FeatureKey, _Entity],
    resolve: Callable[[_Subject, bool], _Entity | None],
) -> tuple[_Entity, Span] | None:
    """Whose eyes "Green eyes narrowed." means, when the text gives green eyes to one
    person (see _feature_owners) and that person is on stage, and where the words for
    them are in the sentence ("Green eyes")."""
    feature = _FEATURE_BEAT.match(sentence)
    if feature is None:
        return None
    part = _FEATURE_NOUN.match(sentence, feature.end("words"))
    if part is None:
        return None
    owner, keys = _feature_keys(feature.group("words"), part.group("part"))
    if owner is not None:
        return None  # "Her pale eyes squint": the pronoun says whose
    found = {owners[key] for key in keys if key in owners}
    if len(found) != 1:
        return None
    who = found.pop()
    target = _LOOK_AT.search(sentence, feature.end())
    if (
        target is not None
        and target.group("who")[:1].isupper()
        and resolve(_Subject("name", target.group("who")), False) is who
    ):
        return None  # "Green eyes looked at Rhona": not Rhona's, then
    return who, (feature.start("words"), part.end("part"))


# --- conversations -------------------------------------------------------------------------
# Narration-only paragraphs that end a conversation: after this many, the next quote
# starts a new exchange whose participants must be found again.
CONVERSATION_GAP = 2
FORESIGHT_GAP = 3  # paragraphs: a scene's untagged opening talk and the talk after it


@dataclass(eq=False)
class _Turn:
    """One dialogue paragraph and the evidence about who speaks in it."""

    lines: list[int]  # its dialogue lines
    start: int  # where its paragraph starts in the text
    scene: tuple[int, int] | None
    gap: int  # narration-only paragraphs since the previous dialogue paragraph
    addressed: list[_Entity]  # named in a vocative: not the speaker
    # of those, named in the narration of a "he said" ('"…" He pointed … locked eyes with
    # Kakashi'): not the "he", but not spoken to either, so not the one to answer
    bystanders: list[_Entity] = field(default_factory=list)
    unanswered: bool = False  # the narration before says "No answer."
    continues: bool = False  # its tag says "he added", "she went on": the last speaker again
    reads: bool = False  # a quote of it is words read out ('"…," it said'): see READ_ON
    sleeping: list[_Entity] = field(default_factory=list)  # fell asleep just before
    # of those, the ones the narration put to sleep (not gone, not overhearing)
    slept: list[_Entity] = field(default_factory=list)
    mentioned: list[_Entity] = field(default_factory=list)  # named in the quote otherwise
    # "Say, 'What do you want, Master Reed?'": the name the speaker asks to be called
    claimed: list[_Entity] = field(default_factory=list)
    calls: list[_Entity] = field(default_factory=list)  # named in a vocative; see SAME_CALLER
    address_gender: Gender | None = None  # "Yes, sir.": the addressee's sex
    opens: bool = True  # its paragraph opens with the quote (no narration before it)
    # the paragraph before went on narrating after its last quote ("said he, and turned")
    told_on: bool = False
    asks: bool = False  # its last quote is a question
    waits: bool = False  # ... with nothing after it but a tag: the answer is still to come
    own: dict[int, _Entity] = field(default_factory=dict)  # lines with a name/description tag
    kind: dict[int, str] = field(default_factory=dict)  # their rule
    pronoun: dict[int, Gender] = field(default_factory=dict)  # lines with a "he/she said" tag
    guess: dict[int, _Entity | None] = field(default_factory=dict)  # pass-1 referent
    # lines whose "he said" means someone acting between them and an earlier quote of
    # the paragraph ('"…," he said. His father frowned. "…," he said'): that person
    # takes over there, and the quotes before are not theirs
    taken_over: set[int] = field(default_factory=set)
    present: list[_Entity] = field(default_factory=list)  # people acting in its narration
    passing: list[_Entity] = field(default_factory=list)  # named in the scene, never acting
    salient: list[_Entity] = field(default_factory=list)  # people active before it, latest first
    # who spoke earlier in the chapter, the one the text named or heard last first
    recent: list[_Entity] = field(default_factory=list)
    lead: _Entity | None = None  # the person acting in the narration just before its first quote
    # a later quote's line -> the person who acts in a sentence of its own between it and
    # the quote before ('"…," said Ann. Tom shrugged. "…"'): Tom, see _acting_between
    acted: dict[int, _Entity] = field(default_factory=dict)
    # '"…," observed Fergus. "Nonsense, Fergus! Isn't it odd, mamma?"': its last quote,
    # untagged, calls its tagged speaker by name, so someone else says it; not any of
    # these (the tagged speaker and whoever it calls). Who does (``answerer``) is the
    # last person heard in the talk who is none of them, and the floor is theirs after it
    # (see _decide_sequence).
    not_last: list[_Entity] = field(default_factory=list)
    answerer: _Entity | None = None
    lead_weak: bool = False  # ... with a sentence about no one after it
    named: _Entity | None = None  # else the one person named there
    lead_sex: Gender | None = None  # else the sex of the "he" or "she" acting last there
    speaker: _Entity | None = None
    gender: Gender | None = None  # a pronoun tag or beat: the speaker's gender only
    anchor: bool = False
    rule: str | None = None
    # how much better the chosen speaker's best sequence scores than the best sequence
    # giving the turn to anyone else (see _decide_sequence); None: not weighed there
    margin: float | None = None
    end: int = 0  # where its paragraph ends
    reacting: _Entity | None = None  # its beat, when told after its first quote
    # Where the words are that give the evidence above (see Line.evidence):
    tag_at: dict[int, Span] = field(default_factory=dict)  # own/pronoun lines: the tag's subject
    acted_at: dict[int, Span] = field(default_factory=dict)  # acted lines: the one acting
    lead_at: Span | None = None  # the lead's mention
    # the words that put each addressed person there: "Hester" of "Do you think so,
    # Hester?", "Lucy" of 'she said to Lucy'; and the "sir" or "mamma" of address_gender
    called_at: dict[_Entity, Span] = field(default_factory=dict)
    address_at: Span | None = None
    evidence: Span | None = None  # for the turn's own speaker and rule


def _conversations(turns: list[_Turn]) -> list[list[_Turn]]:
    out: list[list[_Turn]] = []
    for turn in turns:
        if (
            out
            and turn.scene == out[-1][-1].scene
            and turn.gap < CONVERSATION_GAP
            and not _starts_afresh(turn, out[-1])
        ):
            out[-1].append(turn)
        else:
            out.append([turn])
    return out


def _starts_afresh(turn: _Turn, talk: list[_Turn]) -> bool:
    """Whether a turn close after ``talk`` still begins a conversation of its own: talk
    after narration in which one of the people of ``talk`` fell asleep ('… and Col
    drifted off to sleep on the bench. ¶ "Wake up, you idle boy."': whoever wakes him
    opens a new exchange, no reply in the old one). Not for someone who left, nor for one
    who wakes to voices: the others may talk on."""
    if turn.gap == 0 or not turn.slept:
        return False
    people = {t.speaker for t in talk if t.speaker is not None}
    people.update(e for t in talk for e in t.addressed)
    return any(e in people for e in turn.slept)


def _decide_conversations(
    turns: list[_Turn],
    first_person: bool,
    narrator: Callable[[], _Entity] | None,
    unnamed: Callable[[Gender, tuple[int, int] | None, int], _Entity],
    only: set[int] | None = None,
) -> None:
    """Decide every turn that has no anchor, conversation by conversation.

    Anchors keep their speaker. A pronoun tag or beat takes the one participant of
    its gender, or, when several share it, whoever the turn-taking around it
    predicts. The remaining turns alternate between the two people talking,
    propagated forwards and backwards from the nearest anchors. With ``only``, just
    the conversations that hold a turn starting there are decided (again).
    """
    previous: list[_Entity] = []  # the last speakers of the previous conversation
    previous_scene: tuple[int, int] | None = None
    conversations = _conversations(turns)
    openings: list[tuple[int, list[_Turn]]] = []  # undecided as they stand
    for index, conversation in enumerate(conversations):
        scene = conversation[0].scene
        carried = previous if scene == previous_scene else []
        following = conversations[index + 1] if index + 1 < len(conversations) else None
        if only is not None and not any(turn.start in only for turn in conversation):
            previous, previous_scene = _last_speakers(conversation), scene
            continue  # as it was decided
        if (
            not carried
            and len(conversation) > 1  # one quote alone may be a voice off: a call, a radio
            and not any(turn.anchor for turn in conversation)
            and following is not None
            and following[0].scene == scene
            and following[0].gap <= FORESIGHT_GAP
        ):
            openings.append((index, [_copy_turn(turn) for turn in conversation]))
        _decide_sequence(conversation, carried, first_person, narrator, unnamed)
        previous, previous_scene = _last_speakers(conversation), scene
    for index, saved in openings:
        # '"TOM!" ¶ No answer. ¶ "TOM!" ¶ … ¶ The old lady pulled her spectacles down':
        # a scene that opens on quotes nobody is tagged in is most likely the talk of
        # whoever the narration brings on right after
        conversation = conversations[index]
        ahead = _last_speakers(list(reversed(conversations[index + 1])))
        if not ahead or all(turn.speaker is not None for turn in conversation):
            continue  # only where the talk itself left someone unknown
        for turn, before in zip(conversation, saved, strict=True):
            turn.__dict__.update(before.__dict__)
        _decide_sequence(conversation, ahead, first_person, narrator, unnamed, foresight=True)


def _copy_turn(turn: _Turn) -> _Turn:
    """A turn as it stands, with its own copies of what deciding it changes."""
    return replace(turn, addressed=list(turn.addressed), own=dict(turn.own), kind=dict(turn.kind))


# What deciding a turn changes, as pass 1 left it: speaker, rule, addressed, own tags and
# their rules (see _decide_sequence), and the evidence for the speaker
_Saved = tuple[
    _Entity | None, str | None, list[_Entity], dict[int, _Entity], dict[int, str], Span | None
]


def _saved_state(turn: _Turn) -> _Saved:
    return (
        turn.speaker,
        turn.rule,
        list(turn.addressed),
        dict(turn.own),
        dict(turn.kind),
        turn.evidence,
    )


def _split_in(conversation: list[_Turn], merged: dict[_Entity, _Entity]) -> bool:
    """Whether a decided conversation took someone in ``merged`` for two people: both
    the description and the name speak or take part in it."""
    involved = {
        e
        for turn in conversation
        for e in (
            turn.speaker,
            turn.answerer,
            turn.lead,
            turn.named,
            *turn.own.values(),
            *turn.guess.values(),
            *turn.acted.values(),
            *turn.present,
            *turn.addressed,
            *turn.mentioned,
        )
        if e is not None
    }
    return any(old in involved and new in involved for old, new in merged.items())


def _merge_into(turn: _Turn, saved: _Saved, merged: dict[_Entity, _Entity]) -> None:
    """Put a decided turn back as pass 1 left it, with each person in ``merged`` replaced
    by who they turned out to be."""
    decided = turn.speaker
    speaker, rule, addressed, own, kind, evidence = saved

    def one(entity: _Entity | None) -> _Entity | None:
        return None if entity is None else merged.get(entity, entity)

    # '"… when I am only Amos Pettigrew?"', said by "a grey-bearded man" who is Amos:
    # the name he says is his own, not someone he talks to or about
    own_name = merged.get(decided) if decided is not None else None

    def many(entities: list[_Entity], drop: _Entity | None = None) -> list[_Entity]:
        return [e for e in dict.fromkeys(merged.get(e, e) for e in entities) if e is not drop]

    turn.speaker, turn.rule = one(speaker), rule
    turn.evidence = evidence
    turn.addressed = many(addressed, own_name)
    # where each was called, now under who they are (the first such words kept)
    called_at: dict[_Entity, Span] = {}
    for e, span in turn.called_at.items():
        called_at.setdefault(merged.get(e, e), span)
    turn.called_at = called_at
    turn.mentioned = many(turn.mentioned, own_name)
    turn.own = {i: merged.get(e, e) for i, e in own.items()}
    turn.kind = dict(kind)
    turn.answerer = None
    turn.bystanders = many(turn.bystanders)
    turn.sleeping = many(turn.sleeping)
    turn.claimed = many(turn.claimed)
    turn.calls = many(turn.calls)
    turn.guess = {i: one(e) for i, e in turn.guess.items()}
    turn.acted = {i: merged.get(e, e) for i, e in turn.acted.items()}
    turn.present = many(turn.present)
    turn.passing = many(turn.passing)
    turn.salient = many(turn.salient)
    turn.recent = many(turn.recent)
    turn.not_last = many(turn.not_last)
    turn.lead = one(turn.lead)
    turn.named = one(turn.named)


def _last_speakers(conversation: list[_Turn]) -> list[_Entity]:
    """The two people who spoke last in a conversation, the latest first."""
    speakers: list[_Entity] = []
    for turn in reversed(conversation):
        for speaker in (turn.answerer, turn.speaker):
            if speaker is not None and speaker not in speakers:
                speakers.append(speaker)
    return speakers[:2]


def _participants(
    conversation: list[_Turn],
    carried: list[_Entity],
    first_person: bool,
    narrator: Callable[[], _Entity] | None,
) -> list[_Entity]:
    """Who takes part, most involved first: anchors, addressees, people acting."""
    weight: dict[_Entity, float] = {}
    order: list[_Entity] = []

    def add(entity: _Entity | None, w: float) -> None:
        if (
            entity is None
            or entity.group
            or (entity.epithet and (_is_voice(entity.name) or _indefinite(entity.name)))
        ):
            return
        if entity not in weight:
            order.append(entity)
        weight[entity] = weight.get(entity, 0.0) + w

    for turn in conversation:
        if turn.anchor:
            add(turn.speaker, 3)
        for entity in turn.present:
            add(entity, 1.5)
        for entity in turn.addressed:
            add(entity, 1)  # addressed, but maybe absent: "Dinah, my dear, I wish you were here"
    if not conversation[0].anchor:
        for entity in carried:
            add(entity, 2)  # they were just talking: more than someone merely acting
    for entity in conversation[0].salient[:3]:
        add(entity, 0.5)
    if first_person and narrator is not None:
        add(narrator(), 1)
    return sorted(order, key=lambda e: -weight[e])


# --- deciding a conversation as a whole ---------------------------------------------------
# Every speaker sequence of a conversation is scored at once: evidence about each turn
# (tags, pronoun genders, beats, who is addressed) against how people take turns (a new
# paragraph is rarely the same speaker; A, B, A is likelier than a third voice). The best
# sequence is found exactly (second-order Viterbi), so one misread anchor cannot flip a
# whole exchange the way walking the alternation out from the nearest anchor could.
_IMPOSSIBLE = -1e9
SEQUENCE_STATES = 6  # people considered per conversation, most involved first
SAME_AGAIN = -2.5  # the next paragraph is the same speaker, nothing between
SAME_AFTER_NARRATION = -0.4  # ... with narration between
SAME_UNANSWERED = -4.0  # ... after their own question, which nothing after it answered
SAME_AFTER_QUESTION = -1.5  # ... after their own question, which the next paragraph answers
CONTINUES = 2.0  # "he added", "she went on" after the same person's quote
SAME_CALLER = 1.0  # ... calling the listener by the same name, someone not on stage
READ_ON = 0.0  # the same person after reading words out ('"…," it said'), see transition
GOES_ON = 1.0  # the same person again after narration saying nobody answered
FOLLOW_UP = 3.0  # the one who asked someone by name speaks again after their answer
THIRD_VOICE = -2.0  # someone other than the last two speaks
THIRD_AFTER_NARRATION = -0.5
THIRD_ASKED = -0.5  # ... who was just asked a question by name
NARRATOR_THIRD = -1.0  # ... who is the first-person narrator, always there listening
AFTER_REPEAT = -1.0  # anyone but the speaker after someone spoke twice running
WRONG_GENDER = -8.0
UNSETTLED_GENDER = -1.5  # a person whose gender the text has not settled
ADDRESSED = -6.0  # named in the quote: rarely its speaker
MENTIONED = -2.0  # named in the quote otherwise: "Miss Watkin will be cross with you"
ANSWERS = 1.5  # the person the previous quote addressed, answering
ANSWERS_AFTER_NARRATION = 1.0  # ... after a paragraph of narration
ASKED = 1.0  # more when the quote before was a question
LEAD = 4.0  # the person acting just before a pronoun-tagged quote
CLAIMED = 3.0  # the name a quote tells the listener to call its speaker
LEAD_UNTAGGED = 1.5  # the person acting in the narration just before an untagged quote
LEAD_SEX = 0.8  # of the sex of the "he"/"she" acting just before an untagged quote
NAMED_BEFORE = 0.8  # the one person named (not acting) in the narration before an untagged quote
REFERENT = 0.5  # where the running pronoun resolution pointed
RANK = -0.8  # per place down the list of participants
RECENT_ANCHOR = 3  # turns: no RANK for someone tagged this recently
GREETING_REACH = 3  # paragraphs: a reply greeting a described speaker by name, after narration
NOT_YET_TAGGED = -4.0
NOT_YET = -2.0  # the text has not named or described them yet: not on stage


def _may_be(entity: _Entity, gender: Gender) -> bool:
    """Someone whose gender is unsettled but never mostly the other one (and never a
    family or band: "the Pollards" are no one's "he")."""
    return (
        entity.gender == "unknown"
        and not entity.narrator
        and not entity.group
        and entity.gender_votes[gender] >= entity.gender_votes[_OPPOSITE[gender]]
        and entity.gender_votes[_OPPOSITE[gender]] <= 1  # one stray pronoun is noise
    )


def _decide_sequence(
    conversation: list[_Turn],
    carried: list[_Entity],
    first_person: bool,
    narrator: Callable[[], _Entity] | None,
    unnamed: Callable[[Gender, tuple[int, int] | None, int], _Entity],
    *,
    foresight: bool = False,
) -> None:
    """Choose the speaker sequence of one conversation. ``carried`` are the people
    talking just before it, or with ``foresight`` just after it (and so not yet on
    stage when it begins)."""
    participants = _participants(conversation, carried, first_person, narrator)
    pair = participants[:2]
    for turn in conversation:
        # "No, papa": between a man and a woman, the one addressed as a man is not speaking.
        # A first-person narrator whose sex the book never gave may be the one called
        # "sir" ('"Surely, sir, a few ink blots are forgivable."' to the "I" who scolded)
        addressee = [
            e
            for e in pair
            if turn.address_gender is not None
            and (e.gender == turn.address_gender or (e.narrator and e.gender == "unknown"))
        ]
        if (
            len(pair) == 2
            and len(addressee) == 1
            and addressee[0] is not turn.speaker
            and not turn.addressed
        ):
            turn.addressed.append(addressee[0])

    states: list[_Entity] = []

    def add(entity: _Entity | None) -> None:
        if entity is not None and entity not in states:
            states.append(entity)

    for turn in conversation:
        if turn.anchor:
            add(turn.speaker)
    # Every pronoun tag or beat needs someone of its gender: the participants, else
    # someone else in the scene, else a person not named yet.
    for turn in conversation:
        g = turn.gender
        if turn.anchor or g is None:
            continue
        if turn.speaker is not None and (turn.speaker.gender == g or _may_be(turn.speaker, g)):
            add(turn.speaker)  # where the running pronoun resolution pointed
        # only people already on stage: Wenlo, named a paragraph later, cannot be the
        # "he" of the toll-keeper's tag
        # (nor a stranger brought in later as "a shabby little man": "a" says where he
        # first comes in)
        pool = [
            e
            for e in [*states, *participants]
            if e.first <= turn.end or (e.epithet and not _indefinite_article(e.name))
        ]
        if any(e.gender == g and e not in turn.addressed for e in pool) or any(
            _may_be(e, g) and e not in turn.addressed for e in pool
        ):
            if turn.lead is not None and (turn.lead.gender == g or _may_be(turn.lead, g)):
                add(turn.lead)
            continue
        others = [
            e
            for e in [*turn.present, *turn.salient, *turn.recent, *turn.passing]
            if e.gender == g and e not in turn.addressed and not e.narrator
        ]
        if others:
            add(others[0])
        elif turn.speaker is not None and turn.speaker.gender == g:
            add(turn.speaker)
        else:
            add(unnamed(g, turn.scene, turn.start))
    # '"…," cried the guests. Mrs. Dale, however, wanted more. "Which one?"': a turn
    # whose last quote someone else takes (see _acting_between) hands the floor on from
    # her, not from its tagged speaker: the next untagged quote answers her
    hands_on = [turn.acted.get(turn.lines[-1]) for turn in conversation]
    for k, turn in enumerate(conversation):
        if turn.not_last and turn.anchor:
            # '"…," observed Fergus. "Nonsense, Fergus!"': the retort is by the last
            # person heard in this talk who is neither him nor anyone it calls by name
            # (most often the one he was answering), and the floor is theirs after it
            heard = [
                e
                for j in range(k - 1, -1, -1)
                for e in (hands_on[j], conversation[j].speaker if conversation[j].anchor else None)
                if e is not None
            ]
            turn.answerer = next(
                (e for e in [*heard, *carried] if e not in turn.not_last and not e.group), None
            )
            hands_on[k] = turn.answerer
    for actor in hands_on:
        add(actor)
    for entity in participants:
        if len(states) >= SEQUENCE_STATES:
            break
        add(entity)
    if not states:
        return
    rank = {e: i for i, e in enumerate(participants)}
    # a pronoun tag's speaker is ranked only among the people of its sex: a woman who
    # talks a lot does not push back a man who has just arrived
    gender_rank = {
        g: {e: i for i, e in enumerate(p for p in participants if p.gender == g or _may_be(p, g))}
        for g in ("male", "female")
    }
    n, size = len(conversation), len(states)

    def emission(k: int, p: _Entity) -> float:
        turn = conversation[k]
        if turn.anchor and turn.speaker is not None:
            return 0.0 if p is turn.speaker else _IMPOSSIBLE
        ranks = gender_rank.get(turn.gender, rank) if turn.gender else rank
        place = ranks.get(p, len(participants))
        if any(
            (t.anchor and t.speaker is p)
            # "Mr. Dunn set down his cup. ¶ '…?' he asked Nell.": the man acting before
            # the "he" is as good as tagged, so his follow-up to her answer is likely his
            or (t.gender is not None and t.lead is p and p.gender == t.gender)
            for t in conversation[max(0, k - RECENT_ANCHOR) : k]
        ):
            place = 0  # tagged a turn or two ago: in this talk, however new to the book
        elif turn.gender is not None and p is turn.lead:
            place = min(place, 1)  # "Miguel swung over to them. ¶ '…?' he inquired"
        score = RANK * place
        if p.first > turn.end and not (foresight and p in carried):
            # Mr. Knightley, introduced two paragraphs later, cannot be the one
            # talking with Emma now; still less the "he" of a tag.
            score += NOT_YET if turn.gender is None else NOT_YET_TAGGED
        if (
            p in turn.addressed
            or p in turn.sleeping
            or (
                # "I don't know, aunt." to "the old lady" before the narration has named
                # Aunt Polly: the description on stage is who is called by that name
                p.epithet
                and p.fixed_gender is not None
                and any(a.first > turn.end and a.gender == p.fixed_gender for a in turn.addressed)
            )
        ):
            score += ADDRESSED
        elif p in turn.mentioned:
            score += MENTIONED
        if p in turn.claimed:
            score += CLAIMED
        if turn.gender is None and p is turn.lead:
            # "Grey eyes twinkle. Kakashi grinned. 'You look well.'"
            score += LEAD_UNTAGGED / 2 if turn.lead_weak else LEAD_UNTAGGED
        elif turn.gender is None and p is turn.named:
            score += NAMED_BEFORE
        elif turn.gender is None and turn.lead_sex is not None and p.gender == turn.lead_sex:
            score += LEAD_SEX
        if turn.gender is not None:
            if p.gender == turn.gender:
                pass
            elif _may_be(p, turn.gender):
                score += UNSETTLED_GENDER
            else:
                score += WRONG_GENDER
            if p is turn.lead:
                score += LEAD
            elif p is turn.speaker:
                score += REFERENT
        if k > 0 and turn.gap <= 1:
            before = conversation[k - 1]
            if (
                p in before.addressed
                and p not in before.bystanders
                and p is not before.speaker
                and not turn.unanswered
            ):
                score += ANSWERS if turn.gap == 0 else ANSWERS_AFTER_NARRATION
                if before.asks and turn.gap == 0:
                    score += ASKED  # "Do you think so, Hester?": Hester answers
        return score

    def transition(a: int, b: int, c: int, k: int) -> float:
        """Speaker c at turn k after b at k-1 and a at k-2 (a = -1: none)."""
        gap = conversation[k].gap
        last = hands_on[k - 1]
        if last is not None and states[b] is not last:
            b = states.index(last)
        if k >= 2 and a >= 0 and (earlier := hands_on[k - 2]) is not None:
            a = states.index(earlier)
        if c == b and conversation[k].continues:
            return CONTINUES
        if c == b and same_call[k]:
            return SAME_CALLER
        if c == b and conversation[k - 1].reads:
            # '"Read it to me." ¶ "The tide turns at four," it said. ¶ "Someone wants you
            # on the water," said Nell.': words read out are not the reader's own turn in
            # the talk, so the reader's remark on them next is no one speaking twice
            return READ_ON
        if c == b and conversation[k].unanswered:
            return GOES_ON  # '"TOM!" ¶ No answer. ¶ "TOM!"': nobody took the floor
        if c == b and gap == 0 and conversation[k - 1].asks and not conversation[k].opens:
            return SAME_AFTER_QUESTION  # '"Do you want me to come again?" … "I'd like that."'
        if c == b and gap == 0 and conversation[k].opens and conversation[k - 1].waits:
            # '"Why?" asked the fisherman. ¶ "Because the tide is wrong."': a question
            # with nothing after it but its tag is answered by someone else, not followed
            # by the asker's own next paragraph
            return SAME_UNANSWERED
        if c == b:
            turn = conversation[k]
            # '"I will go," said he, and turned to leave; but as he turned he saw two women
            # come out. ¶ "Who are these?" said he': the "he" acting last goes on. Not for an
            # untagged quote: after '"No," he replied, and went back to his book.' the next
            # line is still most often the other's.
            told = turn.told_on and turn.gender is not None
            after = gap > 0 or not turn.opens or told
            return SAME_AFTER_NARRATION if after else SAME_AGAIN
        if (
            k >= 2
            and c == a
            and gap == 0
            and conversation[k - 1].gap == 0
            and conversation[k - 2].asks
            and states[b] in conversation[k - 2].addressed
            and states[b] not in conversation[k - 2].bystanders
        ):
            # '"Did you see him, Nell?" ¶ "Only once." ¶ "Where?"': a question put to
            # someone by name, their answer, then the asker again, however many others
            # are in the room (the third voice waits for its own tag)
            return FOLLOW_UP
        if a < 0 or c == a or states[a].group:
            # after "they all said", anyone may answer: a crowd is no third voice
            return 0.0
        if a == b:
            return AFTER_REPEAT  # after someone spoke twice running: someone else
        before = conversation[k - 1]
        if before.asks and states[c] in before.addressed and states[c] not in before.bystanders:
            # '"… Uncle, you agree with me, do you not?" ¶ "Yes, Tobias; …"': a question
            # put to someone by name brings them into the talk
            return THIRD_ASKED
        if states[c].narrator and gap == 0:
            # the "I" telling the story is in every scene, listening: after Ned and then
            # Hester, who calls out to the narrator, the narrator's reply is no stranger's
            return NARRATOR_THIRD
        return THIRD_VOICE if gap == 0 else THIRD_AFTER_NARRATION

    # '"Don't sulk, Sprout." ¶ Amos stared at the water. ¶ "Come on, Sprout!"': two
    # paragraphs running that call the listener by the same name are most likely one
    # speaker's, for whoever is called so does not call themselves so. Only where the one
    # called is no one the talk shows on stage (a nickname the narration never uses):
    # when ADDRESSED already keeps a known listener from speaking, a second caller may be
    # anyone else there
    on_stage = {
        e
        for turn in conversation
        for e in (
            turn.speaker if turn.anchor else None,
            turn.lead,
            *turn.present,
            *turn.acted.values(),
        )
        if e is not None
    } | set(carried)
    calls = [
        turn.calls
        if not any(e in on_stage for e in turn.addressed)
        # nor where two voices share the paragraph ('"Ma, I've enlisted," he said. … "The
        # Lord's will be done, Henry," she replied'): whose call it is would be unknown
        and len(set(turn.own.values())) <= 1
        and len(set(turn.pronoun.values())) <= 1
        and not turn.acted
        and not turn.taken_over
        else []
        for turn in conversation
    ]
    same_call = [False] + [any(e in calls[k - 1] for e in calls[k]) for k in range(1, n)]
    emit = [[emission(k, p) for p in states] for k in range(n)]
    # forward[k][(a, b)]: best score of turns 0..k with b speaking at k and a at k-1
    forward: list[dict[tuple[int, int], float]] = [{(-1, b): emit[0][b] for b in range(size)}]
    came_from: list[dict[tuple[int, int], int]] = [{}]
    for k in range(1, n):
        row: dict[tuple[int, int], float] = {}
        back: dict[tuple[int, int], int] = {}
        for (a, b), score in forward[-1].items():
            for c in range(size):
                value = score + transition(a, b, c, k) + emit[k][c]
                if value > row.get((b, c), _IMPOSSIBLE * 10):
                    row[(b, c)] = value
                    back[(b, c)] = a
        forward.append(row)
        came_from.append(back)
    # the best sequence, traced back (independent per-turn choices could mix two
    # equally good alternations into one that is not)
    step = max(forward[-1], key=lambda key: forward[-1][key])
    path = [step[1]]
    for k in range(n - 1, 0, -1):
        path.append(step[0])
        step = (came_from[k][step], step[0])
    path.reverse()
    backward: list[dict[tuple[int, int], float]] = [dict.fromkeys(forward[-1], 0.0)]
    for k in range(n - 2, -1, -1):
        later = backward[0]
        row = {}
        for a, b in forward[k]:
            row[(a, b)] = max(
                transition(a, b, c, k + 1) + emit[k + 1][c] + later[(b, c)] for c in range(size)
            )
        backward.insert(0, row)
    anchors = any(t.anchor for t in conversation)
    for k, turn in enumerate(conversation):
        best: dict[int, float] = {}
        for (a, b), score in forward[k].items():
            total = score + backward[k][(a, b)]
            if total > best.get(b, _IMPOSSIBLE * 10):
                best[b] = total
        choice: _Entity | None = states[path[k]]
        rivals = [v for b, v in best.items() if b != path[k]]
        margin = best[path[k]] - max(rivals) if rivals else 10.0
        if turn.anchor and turn.speaker is not None:
            continue
        turn.margin = margin
        if choice in turn.addressed:
            choice = None  # everyone here is being spoken to: the speaker is not known
        if turn.gender is not None:
            turn.speaker = choice  # keeps its rule ("tag-pronoun" or "beat")
        else:
            before = conversation[k - 1] if k > 0 else None
            if (
                before is not None
                and turn.gap == 0
                and choice in before.addressed
                and choice not in before.bystanders
            ):
                rule = "vocative"
                # the words of the turn before that called them ("Hester" of "Do you
                # think so, Hester?"), or its "sir" when that said who was spoken to
                turn.evidence = before.called_at.get(choice, before.address_at)
            else:
                rule = "turns" if anchors else "other"
                turn.evidence = None  # the anchor it counts from: see _turn_taking_evidence
            turn.speaker, turn.rule = choice, rule
        for i in turn.pronoun:
            if turn.pronoun[i] != turn.gender:
                others = [
                    e for e in states if e.gender == turn.pronoun[i] and e is not turn.speaker
                ]
                if others:
                    turn.own[i] = others[0]
                    turn.kind[i] = "tag-pronoun"


# Animals that talk in fables and children's books: only where a clause that hands the
# floor to a quote has one as its subject ("The grey mare tossed her head and said:")
ANIMAL_NOUNS = _words(
    """horse colt mare pony foal donkey mule dog hound puppy cat kitten rabbit hare fox wolf
    bear mouse rat pig cow bull goat sheep lamb bird owl crow raven parrot frog toad duck
    goose hen cock rooster lion tiger monkey squirrel mole badger otter beaver"""
)
# "The oldest of the colts", "one of the horses": one of a group, whatever the group
# (a superlative, not a noun that only ends like one: "the rest of the men")
_PARTITIVE = (
    r"(?:[Tt]he\s+(?:(?!(?:rest|guest|priest|chest|west|quest|crest|breast|beast|feast|forest"
    r"|interest|request|conquest|contest|protest)\s)[a-z]+est|first|last|elder|younger)|[Oo]ne)"
    r"\s+of\s+(?:the|those|these)\s+(?:[a-z]+s|[a-z]*men|children|people|folk|gang|band|crew|party|group|company|crowd"
    r"|family|household|pack|lot|three|four|five|six|seven|eight|nine|ten)\b"
)
_PARTITIVE_RE = re.compile(_PARTITIVE)
# "the youngest of …", "the tallest of …": a superlative picks one person out of a group
_SUPERLATIVE_OF = re.compile(r"[Tt]he\s+[a-z]+est\s+of\s")


def _clause_subject(extra: frozenset[str]) -> re.Pattern[str]:
    """A clause's subject followed by its verb: "he suddenly addressed", "the old lady
    reached", "Father Arnall looked". Descriptions must end in a word for a person (or an
    animal, or name one of a group)."""
    # "the Old Man": a nickname made of a description, capitals and all
    nouns = "|".join(
        sorted(PERSON_NOUNS | ANIMAL_NOUNS | extra | {n.title() for n in PERSON_NOUNS})
    )
    return re.compile(
        r"\s*(?:(?P<pron>(?:he|she|I|they|we|He|She|They|We))"
        rf"|(?P<np>{_PARTITIVE}|{_DETERMINER}\s+(?:[\w'’-]+\s+){{0,2}}?(?:{nouns}))"
        rf"|(?P<name>{_NAME_RE}))"
        r"(?:\s+[a-z]+ly)?\s+(?:had\s+|did\s+)?[a-z]+\b"
    )


def _set_off_subject(extra: frozenset[str]) -> re.Pattern[str]:
    """A description opening a sentence and closed by a comma: "The old clerk, …",
    "Cameron's companion, …" (a name's companion, friend or servant, not the name)."""
    nouns = "|".join(sorted(PERSON_NOUNS | ANIMAL_NOUNS | _COMPANIONS | extra))
    return re.compile(
        rf"(?P<np>{_PARTITIVE}|(?:{_DETERMINER}|{_NAME_RE}['’]s)\s+(?:[a-z][\w'’-]*\s+){{0,2}}?(?:{nouns}))"
        r"(?=\s*,)"
    )


@dataclass(frozen=True)
class _Nouns:
    """The patterns that pick out a description of a person, with the work's own words
    for people added ("the ANBU")."""

    words: frozenset[str]
    person_np: re.Pattern[str]
    np_beat: re.Pattern[str]
    clause_subject: re.Pattern[str]
    set_off: re.Pattern[str]


@cache  # built once for the plain words, once per work's own set
def _nouns(extra: frozenset[str]) -> _Nouns:
    return _Nouns(
        extra, _person_np(extra), _np_beat(extra), _clause_subject(extra), _set_off_subject(extra)
    )


# "The ANBU bowed deeply.", "the remaining ANBU bowed": capitals that are not a name (an
# acronym is never taken for one) but a kind of person, as "the guard" would be
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_ACRONYM_AFTER = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Ee]ach)\s+(?:[a-z]+\s+){0,2}?$"
)
_ACRONYM_ACTS = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:bow|nod|shrug|smil|grinn?|frown|sigh|laugh|salut|wink|kneel"
    r"|knelt|said|ask|repl|answer|whisper|mutter|murmur)(?:ed|s|ied|es)?\b"
)
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


def _role_acronyms(text: str) -> frozenset[str]:
    """Acronyms the work uses for a kind of person, seen doing what people do."""
    # from each acronym outwards: most texts have few, and a pass over every "the"
    # would cost more than the rest of this
    return frozenset(
        m.group(0)
        for m in _ACRONYM.finditer(text)
        if not _ROMAN_NUMERAL.fullmatch(m.group(0))
        and _ACRONYM_ACTS.match(text, m.end())
        and _ACRONYM_AFTER.search(text, max(0, m.start() - 40), m.start())
    )
