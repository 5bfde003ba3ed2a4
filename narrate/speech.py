"""Speech-ready text: what the engine is given instead of the author's text.

Only the engine sees this; transcripts, captions and offsets keep the original.
The rewrite is conservative: it fixes what espeak-ng gets wrong and leaves the
rest, because every rule is a chance to misread prose. What espeak already
reads well was measured with its own phoneme output (``EspeakBackend.phonemes``)
and is left alone: Mr./Mrs./Dr., ordinals (21st), percentages, plain numbers
with commas, clock times like 3:30, "a.m."/"p.m.", "&", "etc.".

Fixed here, each because espeak reads it wrongly or speaks a symbol:
  * emphasis markers (``*word*``, ``_word_``), tildes, emoji -> removed
  * "…", "...", ". . ." -> "..." (espeak pauses); em dashes / "--" -> a comma pause
    (espeak ran "no—never" together); en dash between numbers -> "to"
  * symbol-only text (scene separators "* * *", "…..", "~~~", "oOo") -> ""
  * currency: "$5.50" is "dollar five point five zero" -> "5 dollars and 50 cents"
  * units after numbers: "5 km" is "five K M" -> "5 kilometres"; mph, kg, ft, oz, °C...
  * years 1100-1999: "1850" is "one thousand eight hundred fifty" -> "18 50"
  * decades: "1990s" is "nineteen hundred ninety z" -> "19 nineties"; "'90s"
  * times "1:05" is "one zero five" -> "1 oh 5"; "3:00" -> "3 o'clock"
  * Roman numerals: "Chapter IV" is "chapter roman four" -> "Chapter 4";
    "Henry VIII" -> "Henry the 8th"; "World War II" -> "World War 2"
  * titles espeak spells or misreads: Ms., Prof., Sgt., Capt., Lt., Col., Gen. ...;
    Jr./Sr., vs., e.g., i.e., approx., No. 5, #1, "Baker St." (street)
  * common fractions 1/2, 1/4, 3/4, 1/3, 2/3
A lexicon is applied first, to the author's words, and its replacements are
shielded from every later rule (phonemes in ``[[...]]`` must reach espeak intact).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping

from narrate.voices import Lexicon

_PUA = 0xE000  # private-use code points stand in for lexicon replacements

_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _rules(*pairs: tuple[str, str | Callable[[re.Match[str]], str]], flags: int = 0) -> list[_Rule]:
    return [(re.compile(p, flags), r) for p, r in pairs]


def _apply(text: str, rules: list[_Rule]) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


# -- symbols and punctuation -----------------------------------------------------------------

_SEPARATOR_WORDS = re.compile(r"^\s*(?:[oO0]{3,}|[xX]{3,}|(?:[oOxX]\s*){3,})\s*$")


def _drop_symbols(text: str) -> str:
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "So" and ch != "°") or ch in "\u200d\ufe0e\ufe0f~*":
            out.append(" " if category == "So" else "")
        else:
            out.append(ch)
    return "".join(out)


_PUNCTUATION = _rules(
    (r"(?<![^\W_])_+|_+(?![^\W_])", ""),  # _emphasis_ markers, not snake_case
    (r"#(?=\d)", "number "),
    (r"#", ""),
    (r"…+\.*|\.(?:\s?\.){2,}", "..."),
    (r"(?<=\d)\s?–\s?(?=\d)", " to "),
    (r"\s*(?:—|―|-{2,}|\s–\s)\s*", ", "),
    (r"–", "-"),
    (r"^[\s,]+", ""),
    (r",\s*(?=[,.!?;:])", ""),
    (r",\s+([\"”’)\]])(?=\s|$|[,.!?])", r",\1"),  # 'know—"' -> 'know,"'
    (r"([\"“”'‘’(\[])\s*,\s*", r"\1"),  # "—Wait" opening a quote: no pause symbol left
)


# -- currency, units, numbers ----------------------------------------------------------------

_MAGNITUDE = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion"}
_MONEY = {"$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
          "€": ("euro", "euros", "cent", "cents"), "¥": ("yen", "yen", "", "")}  # fmt: skip


def _money(match: re.Match[str]) -> str:
    symbol, amount, magnitude = match.group(1), match.group(2), match.group(3)
    one, many, sub_one, sub_many = _MONEY[symbol]
    if magnitude:
        word = _MAGNITUDE.get(magnitude.lower(), magnitude.lower())
        return f"{amount} {word} {many}"
    whole, _, fraction = amount.partition(".")
    unit = one if whole == "1" else many
    if len(fraction) == 2 and sub_many:
        cents = int(fraction)
        sub = sub_one if cents == 1 else sub_many
        if whole in ("", "0"):
            return f"{cents} {sub}"
        if cents == 0:
            return f"{whole} {unit}"
        return f"{whole} {unit} and {cents} {sub}"
    return f"{amount} {unit}"


_UNITS = {
    "km/h": ("kilometre per hour", "kilometres per hour"), "kph": ("kilometre per hour", "kilometres per hour"),
    "mph": ("mile per hour", "miles per hour"), "km": ("kilometre", "kilometres"),
    "kg": ("kilogram", "kilograms"), "cm": ("centimetre", "centimetres"), "mm": ("millimetre", "millimetres"),
    "mg": ("milligram", "milligrams"), "ml": ("millilitre", "millilitres"), "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"), "ft": ("foot", "feet"), "mi": ("mile", "miles"),
    "hr": ("hour", "hours"), "hrs": ("hour", "hours"), "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"), "sec": ("second", "seconds"), "secs": ("second", "seconds"),
    "m": ("metre", "metres"), "g": ("gram", "grams"), "°c": ("degree Celsius", "degrees Celsius"),
    "°f": ("degree Fahrenheit", "degrees Fahrenheit"), "°": ("degree", "degrees"),
}  # fmt: skip
_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))


def _unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2)
    one, many = _UNITS[unit.lower()]
    return f"{number} {one if number == '1' else many}"


_TENS = {"0": "hundreds", "1": "tens", "2": "twenties", "3": "thirties", "4": "forties",
         "5": "fifties", "6": "sixties", "7": "seventies", "8": "eighties", "9": "nineties"}  # fmt: skip


def _year(match: re.Match[str]) -> str:
    century, rest = match.group(1), match.group(2)
    if rest == "00":
        return f"{century} hundred"
    if rest.startswith("0"):
        return f"{century} oh {rest[1]}"
    return f"{century} {rest}"


def _time(match: re.Match[str]) -> str:
    hour, minute, tail = match.group(1), match.group(2), match.group(3) or ""
    if minute == "00":
        return f"{hour}{tail}" if tail.strip() else f"{hour} o'clock{tail}"
    if minute.startswith("0"):
        return f"{hour} oh {minute[1]}{tail}"
    return match.group(0)  # "3:30" espeak already reads as "three thirty"


_FRACTIONS = {"1/2": "one half", "1/3": "one third", "2/3": "two thirds",
              "1/4": "one quarter", "3/4": "three quarters"}  # fmt: skip

_NUMBERS = _rules(
    (
        r"([$£€¥])\s?(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|bn|mn|[kmb])\b)?",
        _money,
    ),
    (rf"(?<![\w.])(\d+(?:[.,]\d+)*)\s?((?i:{_UNIT_NAMES}))(?![\w°])", _unit),
    (r"(?<![\d:])(\d{1,2}):(\d{2})(?!\d)(\s?[ap]\.?m\.?)?", _time),
    (r"(?<![\w'’])(1[1-9]|20)(\d)0s\b", lambda m: f"{m.group(1)} {_TENS[m.group(2)]}"),
    (r"(?<![\w])['’]?([2-9])0s\b", lambda m: _TENS[m.group(1)]),
    (r"(?<![\w.,$£€¥/:])(1[1-9])(\d\d)(?![\w%°]|[.,:/]\d)", _year),
    (r"(?<![\w/])([1-3])/([234])(?![\w/])", lambda m: _FRACTIONS.get(m.group(0), m.group(0))),
)


# -- Roman numerals and abbreviations --------------------------------------------------------

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int | None:
    """The value of a strictly well-formed Roman numeral in capitals, else None."""
    if not numeral or not _ROMAN.match(numeral):
        return None
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


_COUNTED = r"Chapter|Part|Book|Volume|Vol\.|Act|Scene|Canto|Section|Appendix|Episode|Season|War"


def _counted(match: re.Match[str]) -> str:
    value = roman_value(match.group(2))
    return f"{match.group(1)} {value}" if value else match.group(0)


def _regnal(match: re.Match[str]) -> str:
    value = roman_value(match.group(2))
    if value is None or not 2 <= value <= 39:
        return match.group(0)
    return f"{match.group(1)} the {value}{_ordinal_suffix(value)}"


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


_TITLES = {"Ms": "Miz", "Prof": "Professor", "Sgt": "Sergeant", "Capt": "Captain",
           "Lt": "Lieutenant", "Col": "Colonel", "Gen": "General", "Gov": "Governor",
           "Rev": "Reverend", "Cpl": "Corporal", "Pvt": "Private", "Adm": "Admiral",
           "Cmdr": "Commander", "Insp": "Inspector", "Det": "Detective", "Mt": "Mount",
           "Ft": "Fort", "Pres": "President", "Supt": "Superintendent"}  # fmt: skip

_WORDS = _rules(
    (rf"\b((?i:{_COUNTED}))\s+([IVXLCDM]+)\b", _counted),
    (r"\b([A-Z][a-z]+)\s+([IVXL]{2,6})\b(?!['’]\w)", _regnal),
    (rf"\b({'|'.join(_TITLES)})\.?(?=\s+[A-Z])", lambda m: _TITLES[m.group(1)]),
    (r"\b([A-Z][a-z]+),? Jr\.?(?=[\s,]|$)", r"\1 Junior"),
    (r"\b([A-Z][a-z]+),? Sr\.?(?=[\s,]|$)", r"\1 Senior"),
    (r"\b([A-Z][a-z]+) St\.(?=\s+[a-z]|\s*[,;:!?)]|\s*$)", r"\1 Street"),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\be\.g\.(?=\s|,|$)", "for example"),
    (r"\bi\.e\.(?=\s|,|$)", "that is"),
    (r"\bapprox\.(?=\s)", "approximately"),
    (r"\b(N|n)o\.(?=\s?\d)", lambda m: "Number" if m.group(1) == "N" else "number"),
)


@functools.lru_cache(maxsize=8)
def _as_lexicon(entries: tuple[tuple[str, str], ...]) -> Lexicon:
    # Cached so per-line calls with the same mapping compile its regex once.
    return Lexicon(entries)


# -- the whole rewrite -----------------------------------------------------------------------


_WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z])-[ \t]*\n\s*(?=[A-Za-z])")


def speech_text(text: str, lexicon: Lexicon | Mapping[str, str] | None = None) -> str:
    """``text`` rewritten for the ear; "" when it holds nothing to pronounce.

    ``lexicon`` may be a ``Lexicon`` or a plain word -> respelling mapping (later
    keys win). Deterministic and cheap (a few regex passes); safe to call per line.
    """
    if lexicon is not None and not isinstance(lexicon, Lexicon):
        lexicon = _as_lexicon(tuple(lexicon.items()))
    shielded: list[str] = []

    def shield(value: str) -> str:
        shielded.append(value)
        return chr(_PUA + len(shielded) - 1)

    # "[[" in the author's text must not reach espeak, which would read it as phonemes.
    out = text.replace("[[", "[").replace("]]", "]")
    # "grey-\nbearded" in wrapped text is one word; read apart it gets a pause.
    out = _WRAPPED_HYPHEN.sub("-", out)
    if lexicon:
        out = lexicon.replace(out, wrap=shield)
    if _SEPARATOR_WORDS.match(out):
        return ""
    out = _drop_symbols(out)
    out = _apply(out, _PUNCTUATION)
    out = _apply(out, _NUMBERS)
    out = _apply(out, _WORDS)
    out = " ".join(out.split())
    if not re.search(r"[^\W_]", out) and not shielded:
        return ""
    if shielded:
        out = re.sub(
            f"[{chr(_PUA)}-{chr(_PUA + len(shielded) - 1)}]",
            lambda m: shielded[ord(m.group(0)) - _PUA],
            out,
        )
    return out
