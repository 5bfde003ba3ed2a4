"""Speech-ready text: symbols become pauses, numbers and abbreviations read naturally.

Where possible the result is checked with espeak-ng's own phoneme output, so the
tests show what the listener hears rather than only what string we produced.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate import speech
from narrate.engine import EspeakBackend, get_engine
from narrate.speech import roman_value, speech_text
from narrate.voices import Lexicon


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Wait... no—never.", "Wait... no, never."),
        ("He was… fine. . . really", "He was... fine... really"),
        ("I—I don't know—\" she said", "I, I don't know,\" she said"),
        ("Well -- fine", "Well, fine"),
        ("pages 10–20", "pages 10 to 20"),
        ("He said *no* and _yes_ to snake_case.", "He said no and yes to snake_case."),
        ("Sakura-chan~ ♥ 😊", "Sakura-chan"),
        (
            "It cost $5.50, $1.01 and £3, or €20.",
            "It cost 5 dollars and 50 cents, 1 dollar and 1 cent and 3 pounds, or 20 euros.",
        ),
        ("$0.50 and $2m", "50 cents and 2 million dollars"),
        (
            "It was 5 km, 1 kg, 3 ft, 70 mph.",
            "It was 5 kilometres, 1 kilogram, 3 feet, 70 miles per hour.",
        ),
        ("25°C and 70°F", "25 degrees Celsius and 70 degrees Fahrenheit"),
        ("In 1999, 1850, 1905 and 1900.", "In 19 99, 18 50, 19 oh 5 and 19 hundred."),
        ("the 1990s and '80s", "the 19 nineties and eighties"),
        ("At 1:05 am and 3:00.", "At 1 oh 5 am and 3 o'clock."),
        ("At 3:30 p.m.", "At 3:30 p.m."),
        ("CHAPTER IV", "CHAPTER 4"),
        ("Henry VIII and World War II", "Henry the 8th and World War 2"),
        ("Prof. Oak, Sgt. Pepper and Ms. Marvel", "Professor Oak, Sergeant Pepper and Miz Marvel"),
        (
            "John Smith Jr. lives on Baker St., near St. Paul's.",
            "John Smith Junior lives on Baker Street, near St. Paul's.",
        ),
        (
            "No. 5, #1 fan, e.g. this, i.e. that, Gai vs. Kakashi",
            "Number 5, number 1 fan, for example this, that is that, Gai versus Kakashi",
        ),
        ("1/2 the pie, 3/4 of it, 24/7", "one half the pie, three quarters of it, 24/7"),
        ("a grey-\n  bearded man--\nand then", "a grey-bearded man, and then"),
    ],
)
def test_speech_text_cases(text: str, spoken: str) -> None:
    assert speech_text(text) == spoken


@pytest.mark.parametrize("separator", ["* * *", "…..", "~*~*~", "oOo", "xXx", "———", "#"])
def test_scene_separators_have_nothing_to_say(separator: str) -> None:
    assert speech_text(separator) == ""


@pytest.mark.parametrize(
    "text",
    [
        "I WILL MIX IT",  # shouting: "MIX" is a valid numeral but not a number here
        "I said I would.",
        "Mr. and Mrs. Dursley met Dr. Who at 10:45.",  # espeak reads these well already
        "She came 1st and he was 21st, 50% of the time.",
        "Team 7 had 1,000,000 ryo.",
    ],
)
def test_things_espeak_already_reads_are_left_alone(text: str) -> None:
    assert speech_text(text) == text


# Words in ordinary case and not abbreviations the rules expand on purpose: "Henry VIII"
# -> "Henry the 8th", "vs" -> "versus", "Col A" -> "Colonel A" (test_speech_text_cases).
EXPANDED = {"vs", "Jr", "Sr", "St", *speech._TITLES}
PLAIN_WORD = st.from_regex(r"[A-Za-z][a-z]{0,11}", fullmatch=True).filter(
    lambda w: w not in EXPANDED
)


@given(st.lists(PLAIN_WORD, min_size=1, max_size=30))
def test_plain_words_are_never_rewritten(words: list[str]) -> None:
    text = " ".join(words) + "."
    assert speech_text(text) == text


def test_original_text_is_not_modified() -> None:
    original = "Wait—*what*?"
    speech_text(original)
    assert original == "Wait—*what*?"


def test_lexicon_applies_before_rules_and_is_shielded_from_them() -> None:
    lex = Lexicon.from_mapping(
        {"Rokudaime": "Roh-koo-dye-meh", "R2": "[[A@tu:]]", "Gai": "Guy 1850"}
    )
    assert speech_text("The Rokudaime's R2—", lex) == "The Roh-koo-dye-meh's [[A@tu:]],"
    # A replacement is what the user wrote: no year rule applied inside it.
    assert speech_text("Gai", lex) == "Guy 1850"
    # A plain mapping (as the cast file gives) works the same.
    assert speech_text("Rokudaime", {"Rokudaime": "Roku"}) == "Roku"


def test_author_double_brackets_cannot_become_phonemes() -> None:
    assert "[[" not in speech_text("See [[note]] here")


def test_roman_values() -> None:
    assert [roman_value(r) for r in ["IV", "VIII", "XIV", "MCMXC", "IIII", "MIX", "VX", "I"]] == [
        4,
        8,
        14,
        1990,
        None,
        1009,
        None,
        1,
    ]


# -- what espeak says: measured from its phoneme output ------------------------------------


@pytest.fixture(scope="module")
def espeak() -> EspeakBackend:
    engine = get_engine()
    backend = engine.backend  # type: ignore[attr-defined]
    assert isinstance(backend, EspeakBackend)
    return backend


def test_currency_is_read_in_spoken_order(espeak: EspeakBackend) -> None:
    raw = espeak.phonemes("It cost $5.50.")
    fixed = espeak.phonemes(speech_text("It cost $5.50."))
    assert "pɔɪnt" in raw  # espeak alone: "dollar five point five zero"
    assert "pɔɪnt" not in fixed and fixed.index("fˈaɪv") < fixed.index("dˈɑːlɚz")
    assert "sˈɛnts" in fixed


def test_units_are_words_not_letters(espeak: EspeakBackend) -> None:
    assert "kˌeɪˈɛm" in espeak.phonemes("5 km")  # "K M"
    fixed = espeak.phonemes(speech_text("5 km"))
    assert "kˌeɪˈɛm" not in fixed and fixed == espeak.phonemes("five kilometres")


def test_dash_becomes_a_pause(espeak: EspeakBackend) -> None:
    # espeak marks a clause break (a pause) with " | " between clauses.
    assert "|" not in espeak.phonemes("no—never")
    assert "|" in espeak.phonemes(speech_text("no—never"))


def test_emphasis_and_tildes_are_not_spoken(espeak: EspeakBackend) -> None:
    assert "ˈæstɚɹˌɪsk" in espeak.phonemes("*no*")
    assert "ˈæstɚɹˌɪsk" not in espeak.phonemes(speech_text("*no*"))
    assert "tˈɪldə" not in espeak.phonemes(speech_text("Sakura-chan~"))


def test_roman_chapter_and_years_read_naturally(espeak: EspeakBackend) -> None:
    assert "oʊmən" in espeak.phonemes("Chapter IV")
    assert "oʊmən" not in espeak.phonemes(speech_text("Chapter IV"))
    assert "θˈaʊzənd" in espeak.phonemes("in 1850")
    assert "θˈaʊzənd" not in espeak.phonemes(speech_text("in 1850"))


def test_titles_are_not_spelled(espeak: EspeakBackend) -> None:
    assert "ˌɛsdʒˌiːtˈiː" in espeak.phonemes("Sgt. Pepper")
    assert "sˈɑːɹdʒənt" in espeak.phonemes(speech_text("Sgt. Pepper"))
