"""The cast: the user-correctable cast file and voice casting.

The cast file (``story.cast.toml`` next to ``story.txt``) is where a listener fixes
what attribution got wrong. It is written only on request (``narrate cast WORK
--write``) and read on every run when present. It is edited by hand, so it is
handled with tomlkit: comments, ordering and formatting survive a re-write, and a
re-write only *adds* newly found characters and names and refreshes the values
narrate owns (``lines``, ``auto_voice``, ``found``); everything the user typed
stays as typed. The file is authoritative for what the user changed and changes
nothing else: see :func:`known_characters` for how attribution obeys it.

Layout::

    narrator_voice = "narrator"

    [characters."Kakashi"]      # the key is the name narrate found: keep it as is
    name = "Kakashi"            # change to rename
    aliases = ["Hatake Kakashi"]  # delete a name to split it off
    found = ["Hatake Kakashi"]  # narrate's record of the names it offered
    gender = "male"             # female / male / unknown
    voice = ""                  # empty: narrate chooses; a profile id pins one
    auto_voice = "m1"           # narrate's last choice, reused so voices stay put
    lines = 212                 # informational
    # merge_into = "Sakura"     # this character is really someone else

    [[line]]                    # per-line speaker override
    id = "2.3.14"               # or: text = "I know" (first dialogue line containing it;
    speaker = "Sakura"          #     add all = true for every match)

    [lexicon]
    Rokudaime = "Roh-koo-dye-meh"

Voice casting (:func:`assign_voices`) is deterministic and stable: characters
are served in order of importance, fixed choices first, then choices recorded in
the cast file, then everyone else, from a pool ordered so that early picks sound
as different as possible from each other and from the narrator.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from narrate.errors import InputError, OutputError
from narrate.model import REVIEW_THRESHOLD, Cast, Character, Gender, Line, VoiceProfile, Work

NARRATOR = "narrator"  # the reserved speaker name that means "read by the narrator"
_GENDERS: tuple[Gender, ...] = ("female", "male", "unknown")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_EMPTY_TITLES: Mapping[int, str] = MappingProxyType({})

HEADER = """\
narrate cast file: corrections to who speaks, and in which voice.
This file is read on every run of narrate for the work next to it, and what you
change here wins over what narrate finds. Edit freely: your values and comments
are kept when narrate re-writes it (`narrate cast WORK --write` only adds newly
found characters and names, and refreshes `lines`, `auto_voice` and `found`).

Each [characters."Key"] table is one character; the key is the name narrate
found in the text, keep it so narrate can recognise the character next time.
  rename:       name = "New Name"
  merge:        merge_into = "Other Name"   (or list this key in Other's aliases)
  split:        delete a name from aliases: it is no longer this character; its
                lines go to that name as a character of its own (it gets a table
                on the next --write). To give them to someone else, add the name
                to that character's aliases (or make a [characters."Name"] table).
  gender:       gender = "female" | "male"  (wins; picks the voice pool), or
                "unknown" to let narrate decide
  choose voice: voice = "<profile id>"   (see `narrate voices`; empty = narrate
                chooses and records its choice in auto_voice so it stays put)
`found` is narrate's record of the names it has listed in aliases: a name in
found but not in aliases is one you removed, and narrate never puts it back.
Fix a single line (ids are shown by `narrate script WORK`):
  [[line]]
  id = "2.3.14"            # or text = "a snippet of the quote": the first
  speaker = "Sakura"       # dialogue line containing it (all = true: every one)
speaker = "narrator" makes the narrator read that line.
[lexicon] entries teach pronunciations: Rokudaime = "Roh-koo-dye-meh"."""


# --------------------------------------------------------------------------- #
# Reading the cast file


@dataclass(frozen=True)
class CastEntry:
    """One ``[characters."key"]`` table as the user left it."""

    key: str  # the name narrate found; the character's identity across runs
    name: str  # the name the user wants (== key unless renamed)
    aliases: tuple[str, ...] = ()
    gender: Gender | None = None
    voice: str | None = None  # the user's choice: always wins
    auto_voice: str | None = None  # narrate's previous choice: kept when still valid
    merge_into: str | None = None
    # The names narrate has offered in ``aliases`` (its record, refreshed on write);
    # None for a table without one (typed by hand, or older narrate). A name in
    # ``found`` that the user deleted from ``aliases`` is no longer this character.
    found: tuple[str, ...] | None = None

    @property
    def removed(self) -> tuple[str, ...]:
        """Names narrate offered that the user deleted from ``aliases``."""
        if self.found is None:
            return ()
        kept = {_fold(n) for n in (self.key, self.name, *self.aliases)}
        return tuple(n for n in self.found if _fold(n) not in kept)


@dataclass(frozen=True)
class LineOverride:
    """One ``[[line]]`` table: ``id`` or ``text`` selects, ``speaker`` decides."""

    speaker: str
    id: str | None = None
    text: str | None = None
    all: bool = False  # a text snippet applies to every matching line, not the first
    chapter: int | None = None  # narrows a text snippet to one chapter


@dataclass(frozen=True)
class CastFile:
    path: Path
    exists: bool = False
    narrator_voice: str | None = None
    entries: tuple[CastEntry, ...] = ()
    lines: tuple[LineOverride, ...] = ()
    lexicon: Mapping[str, str] = field(default_factory=dict)


def read_cast_file(path: Path) -> CastFile:
    """Parse the cast file at ``path``; a missing file is an empty cast file."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    if not path.is_file():
        return CastFile(path=path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the cast file ({exc})", "fix or delete it") from None
    try:
        data = tomlkit.parse(raw).unwrap()
    except ParseError as exc:
        raise InputError(
            path, f"the cast file is not valid TOML ({exc})", "fix that line or delete the file"
        ) from None
    return _cast_file_from_data(path, data)


def _cast_file_from_data(path: Path, data: dict[str, Any]) -> CastFile:
    def bad(problem: str, fix: str) -> InputError:
        return InputError(path, problem, fix)

    def text(value: Any, where: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise bad(
                f"{where} must be a string, not {value!r}", 'write it in quotes, e.g. "Sakura"'
            )
        return value.strip() or None

    narrator_voice = text(data.get("narrator_voice"), "narrator_voice")
    characters = data.get("characters", {})
    if not isinstance(characters, dict):
        raise bad("`characters` must be a table of tables", 'use [characters."Name"] headings')
    entries: list[CastEntry] = []
    for key, table in characters.items():
        where = f'[characters."{key}"]'
        if not isinstance(table, dict):
            raise bad(f"{where} must be a table", f'write it as a heading: [characters."{key}"]')
        gender_raw = text(table.get("gender"), f"{where} gender")
        gender: Gender | None = None
        if gender_raw is not None:
            if gender_raw.lower() not in _GENDERS:
                raise bad(
                    f"{where} gender {gender_raw!r} is not one of female, male, unknown",
                    'write gender = "female", "male" or "unknown"',
                )
            gender = cast(Gender, gender_raw.lower())
        aliases = table.get("aliases", [])
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise bad(f"{where} aliases must be a list of names", 'write aliases = ["A", "B"]')
        found = table.get("found")
        if found is not None and (
            not isinstance(found, list) or not all(isinstance(a, str) for a in found)
        ):
            raise bad(
                f"{where} found must be a list of names (narrate's record)",
                "delete the found line; narrate writes it again",
            )
        entries.append(
            CastEntry(
                key=key,
                name=text(table.get("name"), f"{where} name") or key,
                aliases=tuple(a.strip() for a in aliases if a.strip()),
                gender=gender,
                voice=text(table.get("voice"), f"{where} voice"),
                auto_voice=text(table.get("auto_voice"), f"{where} auto_voice"),
                merge_into=text(table.get("merge_into"), f"{where} merge_into"),
                found=None if found is None else tuple(a.strip() for a in found if a.strip()),
            )
        )
    raw_lines = data.get("line", [])
    if isinstance(raw_lines, dict):
        raw_lines = [raw_lines]
    if not isinstance(raw_lines, list):
        raise bad(
            "`line` must be an array of tables", "write each override under a [[line]] heading"
        )
    overrides: list[LineOverride] = []
    for number, table in enumerate(raw_lines, 1):
        where = f"[[line]] #{number}"
        if not isinstance(table, dict):
            raise bad(f"{where} must be a table", "write it under a [[line]] heading")
        speaker = text(table.get("speaker"), f"{where} speaker")
        line_id = text(table.get("id"), f"{where} id")
        snippet = text(table.get("text"), f"{where} text")
        if speaker is None:
            raise bad(f"{where} has no speaker", 'add speaker = "Name" (or "narrator")')
        if (line_id is None) == (snippet is None):
            raise bad(
                f"{where} needs exactly one of id or text",
                'add id = "2.3.14" (from `narrate script`) or text = "part of the quote"',
            )
        chapter = table.get("chapter")
        if chapter is not None and (not isinstance(chapter, int) or isinstance(chapter, bool)):
            raise bad(f"{where} chapter must be a number", "write chapter = 2")
        overrides.append(
            LineOverride(
                speaker=speaker,
                id=line_id,
                text=snippet,
                all=bool(table.get("all", False)),
                chapter=chapter,
            )
        )
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in lexicon.items()
    ):
        raise bad("[lexicon] must map words to respellings", 'write Word = "respelling"')
    return CastFile(
        path=path,
        exists=True,
        narrator_voice=narrator_voice,
        entries=tuple(entries),
        lines=tuple(overrides),
        lexicon=MappingProxyType(dict(lexicon)),
    )


def known_characters(
    work: Work, cast_file: CastFile, found: Sequence[Character] | None = None
) -> tuple[Character, ...]:
    """Characters to seed attribution with: the AO3 tags, then the user's corrections.

    Attribution treats a character it is given ("known") differently from one it
    discovers (always a person, its names never re-merged), so handing it every
    table of the cast file would change lines nobody corrected. Hence two passes:

    - ``found=None`` (first pass): the AO3 "Characters" tags only, exactly what a
      run without a cast file uses.
    - ``found`` = the characters that first pass discovered: the tags plus, for
      each character the user changed in a way attribution uses, one known
      character. Changed means: an alias added (a new name, or another table's
      key: a merge), a merge_into, a gender set to female/male that differs, a
      table for a name attribution did not find, or a found alias deleted (a
      split: the deleted name becomes a known character of its own, listed
      first so that it, not the character it left, claims that name).

    When nothing was changed the result equals the first pass's, so the caller
    re-runs attribution only when it differs; an unedited cast file therefore
    changes no line. Keys, not renamed names, are passed: attribution keeps
    naming characters the same way and :func:`build_cast` applies renames.
    """
    tags: list[Character] = []
    tag_seen: set[str] = set()
    for tag in work.meta.tags.get("Characters", ()):
        name = character_tag_name(tag)
        if name and _fold(name) not in tag_seen:
            tag_seen.add(_fold(name))
            tags.append(Character(name=name))
    if found is None or not cast_file.entries:
        return tuple(tags)

    by_name = {_fold(c.name): c for c in found}
    forms_found: set[str] = {_fold(n) for c in found for n in (c.name, *c.aliases)}
    claimed: set[str] = {_fold(n) for e in cast_file.entries for n in (e.key, e.name, *e.aliases)}
    final_of_entry = _resolve_entries(cast_file, found, [])

    def edited(entry: CastEntry) -> bool:
        match = by_name.get(_fold(entry.key)) or by_name.get(_fold(entry.name))
        if match is None or entry.merge_into:
            return True
        offered = {_fold(n) for n in entry.found or ()}
        found_forms = {_fold(n) for n in (match.name, *match.aliases)}
        if any(_fold(a) not in offered | found_forms for a in entry.aliases):
            return True
        if entry.gender in ("female", "male") and entry.gender != match.gender:
            return True
        return any(_fold(r) in forms_found for r in entry.removed)

    groups: dict[str, list[CastEntry]] = defaultdict(list)
    for entry in cast_file.entries:
        groups[final_of_entry[entry.key]].append(entry)
    split_off: list[Character] = []
    plain: list[Character] = []
    splitting: list[Character] = []  # groups that lost a name: last, see above
    for final, members in groups.items():
        if not any(edited(e) for e in members):
            continue
        head = next((e for e in members if e.name == final), None)
        name = head.key if head is not None else final
        names = [n for e in members for n in (e.key, e.name, *e.aliases)]
        aliases = tuple(dict.fromkeys(n for n in names if _fold(n) != _fold(name)))
        genders = [e.gender for e in ([head] if head else []) + members if e.gender]
        character = Character(
            name=name, aliases=aliases, gender=genders[0] if genders else "unknown"
        )
        removed = [r for e in members for r in e.removed if _fold(r) in forms_found]
        (splitting if removed else plain).append(character)
        unclaimed = [r for r in dict.fromkeys(removed) if _fold(r) not in claimed]
        claimed.update(_fold(r) for r in unclaimed)
        split_off.extend(_split_off(unclaimed))
    corrections = _claim_order([*split_off, *plain, *splitting])
    covered = {_fold(n) for c in corrections for n in (c.name, *c.aliases)}
    return (*corrections, *(t for t in tags if _fold(t.name) not in covered))


def _split_off(names: Sequence[str]) -> list[Character]:
    """Names deleted from one character that nobody else claims, as characters.

    Names sharing a word ("Tamsin", "Tamsin Reed") were deleted together because
    they are one other person: they become one character, named by the first
    (narrate lists aliases most used first). Unrelated names stay apart.
    """
    groups: list[list[str]] = []
    for name in names:
        words = set(_fold(name).split())
        joined = [g for g in groups if any(words & set(_fold(n).split()) for n in g)]
        merged = [n for g in joined for n in g] + [name]
        groups = [g for g in groups if g not in joined] + [merged]
    ordered = sorted(groups, key=lambda g: names.index(g[0]))
    return [Character(name=g[0], aliases=tuple(g[1:])) for g in ordered]


def _claim_order(characters: Sequence[Character]) -> list[Character]:
    """Order known characters so each one's own one-word names are theirs.

    Attribution also files a known character under each word of a longer name
    ("Tamsin Reed" -> "Reed"), first come first served; so a character called
    "Reed" must come before one with the alias "Tamsin Reed". A stable
    topological sort on "owns a word that another's longer name contains";
    any cycle keeps the given order.
    """

    def words(name: str) -> list[str]:
        return [w for w in re.split(r"[\W_]+", _fold(name)) if w]

    owns = [
        {w for n in (c.name, *c.aliases) if len(ws := words(n)) == 1 for w in ws}
        for c in characters
    ]
    inside = [
        {w for n in (c.name, *c.aliases) if len(ws := words(n)) > 1 for w in ws} for c in characters
    ]
    before = {
        j: {i for i in range(len(characters)) if i != j and owns[i] & inside[j]}
        for j in range(len(characters))
    }
    order: list[int] = []
    while len(order) < len(characters):
        ready = [j for j in range(len(characters)) if j not in order and before[j] <= set(order)]
        if not ready:  # a cycle: the rest as given
            order.extend(j for j in range(len(characters)) if j not in order)
            break
        order.append(ready[0])
    return [characters[j] for j in order]


# AO3 character tags that are not one person.
_NOT_A_PERSON = re.compile(
    r"^(original (female |male )?characters?|original characters?|other characters?|"
    r"everyone|ensemble|.*\bcast\b.*|.*\bteam\b.*|.*\bfamily\b.*|.*\bmentioned\b.*)$",
    re.IGNORECASE,
)


def character_tag_name(tag: str) -> str | None:
    """``"Haruno Sakura (Naruto)"`` -> ``"Haruno Sakura"``; group tags -> None."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", tag).strip()
    if not name or _NOT_A_PERSON.match(name) or "/" in name or "&" in name:
        return None
    return name


# --------------------------------------------------------------------------- #
# Applying the cast file


@dataclass(frozen=True)
class CastResult:
    lines: tuple[Line, ...]
    cast: Cast
    warnings: tuple[str, ...] = ()


def build_cast(
    lines: Sequence[Line],
    characters: Sequence[Character],
    profiles: Mapping[str, VoiceProfile],
    cast_file: CastFile,
) -> CastResult:
    """Apply the user's cast file to attributed lines, then cast voices.

    Renames and merges rewrite speakers and fold characters together; ``[[line]]``
    overrides beat attribution (rule ``cast-file``, confidence 1.0); the user's
    genders pick the voice pools; the user's voices are fixed, narrate's recorded
    choices (``auto_voice``) are reused when still valid.
    """
    warnings: list[str] = []
    path = cast_file.path
    # Names as a listener reads them: one line, no sentence-initial capital on
    # "A woman"; matching the cast file ignores case and spacing, so keys
    # written before still match.
    characters = [
        replace(
            c,
            name=display_name(c.name),
            aliases=tuple(dict.fromkeys(display_name(a) for a in c.aliases)),
        )
        for c in characters
    ]
    lines = [replace(ln, speaker=display_name(ln.speaker)) if ln.speaker else ln for ln in lines]
    final_of_entry = _resolve_entries(cast_file, characters, warnings)
    by_key = {entry.key: entry for entry in cast_file.entries}

    # Detected character -> the cast-file entry it belongs to (if any).
    def entry_for(character: Character) -> CastEntry | None:
        if character.name in by_key:
            return by_key[character.name]
        folded = _fold(character.name)
        for entry in cast_file.entries:
            if folded in {_fold(n) for n in (entry.name, *entry.aliases)}:
                return entry
        aliases = {_fold(a) for a in character.aliases}
        for entry in cast_file.entries:
            if _fold(entry.key) in aliases:
                return entry
        return None

    # "Syme" and "Mr. Syme" found as two characters are one, unless the cast
    # file already places the shorter name or the user split it off.
    removed = {_fold(r) for e in cast_file.entries for r in e.removed}
    by_name = {c.name: c for c in characters}
    same = {
        short: full
        for short, full in same_person(characters).items()
        if _fold(short) not in removed and entry_for(by_name[short]) is None
    }

    rename: dict[str, str] = {}  # detected name -> final name
    groups: dict[str, list[Character]] = defaultdict(list)
    for character in characters:
        head = by_name[same.get(character.name, character.name)]
        entry = entry_for(head)
        final = final_of_entry[entry.key] if entry else head.name
        rename[character.name] = final
        groups[final].append(character)
    heads = {final_of_entry[e.key]: e for e in cast_file.entries if final_of_entry[e.key] == e.name}
    for entry in cast_file.entries:  # characters only the user knows about
        final = final_of_entry[entry.key]
        groups.setdefault(final, [])
        rename.setdefault(entry.key, final)

    # Speaker names on lines: detected name -> final name; aliases too, in case
    # attribution names a speaker it did not list as a character.
    alias_to_final: dict[str, str] = {}
    for entry in cast_file.entries:
        for n in (entry.key, entry.name, *entry.aliases):
            alias_to_final.setdefault(_fold(n), final_of_entry[entry.key])
    for character in characters:
        for n in (character.name, *character.aliases):
            alias_to_final.setdefault(_fold(n), rename[character.name])
    for final in groups:
        alias_to_final[_fold(final)] = final

    def final_speaker(name: str | None) -> str | None:
        if name is None:
            return None
        return rename.get(name) or alias_to_final.get(_fold(name), name)

    new_lines = [
        replace(line, speaker=final_speaker(line.speaker)) if line.speaker else line
        for line in lines
    ]
    for line in new_lines:  # a speaker attribution knows but never listed
        if line.speaker and line.speaker not in groups:
            groups[line.speaker] = []

    narrator_name = next(
        (final for final, members in groups.items() if any(m.narrator for m in members)), None
    )
    overrides = _apply_line_overrides(
        new_lines, cast_file, alias_to_final, set(groups), narrator_name, warnings
    )
    for name in overrides.values():
        if name != NARRATOR and name not in groups:
            groups[name] = []

    counts: dict[str, int] = defaultdict(int)
    for line in new_lines:
        if line.kind == "dialogue" and line.speaker:
            counts[line.speaker] += 1

    merged: list[Character] = []
    for final, members in groups.items():
        entry = heads.get(final)
        aliases: list[str] = []
        for m in members:
            aliases.extend((m.name, *m.aliases))
        for e in cast_file.entries:
            if final_of_entry[e.key] == final:
                aliases.extend((e.key, e.name, *e.aliases))
        gender: Gender = "unknown"
        if entry and entry.gender in ("female", "male"):
            gender = entry.gender  # "unknown" in the file lets narrate decide
        else:
            known = [m for m in sorted(members, key=lambda m: -m.lines) if m.gender != "unknown"]
            if known:
                gender = known[0].gender
        merged.append(
            Character(
                name=final,
                aliases=tuple(dict.fromkeys(a for a in aliases if a and _fold(a) != _fold(final))),
                gender=gender,
                lines=counts.get(final, 0),
                narrator=any(m.narrator for m in members),
            )
        )
    merged.sort(key=_importance)

    # Voices: validate what the user typed, then cast.
    narrator_voice = cast_file.narrator_voice or pick_narrator(profiles)
    if narrator_voice not in profiles:
        raise InputError(
            path,
            f"narrator_voice {narrator_voice!r} is not a voice profile",
            f"use one of: {', '.join(sorted(profiles))} (see `narrate voices`)",
        )
    fixed: dict[str, str] = {}
    previous: dict[str, str] = {}
    for final, entry in heads.items():
        if entry.voice:
            if entry.voice not in profiles:
                raise InputError(
                    path,
                    f'[characters."{entry.key}"] voice {entry.voice!r} is not a voice profile',
                    f"use one of: {', '.join(sorted(profiles))} (see `narrate voices`), "
                    'or voice = "" to let narrate choose',
                )
            fixed[final] = entry.voice
        elif entry.auto_voice:
            previous[final] = entry.auto_voice
    assignments, casting_warnings = assign_voices(
        merged, new_lines, profiles, previous=previous, fixed=fixed, narrator_voice=narrator_voice
    )
    warnings.extend(casting_warnings)
    final_characters = tuple(replace(c, voice=assignments.get(c.name)) for c in merged)
    return CastResult(
        lines=tuple(new_lines),
        cast=Cast(characters=final_characters, narrator_voice=narrator_voice, overrides=overrides),
        warnings=tuple(warnings),
    )


_DETERMINERS = frozenset(
    ["A", "An", "The", "My", "His", "Her", "Their", "Our", "Your", "One", "Another"]
)


def display_name(name: str) -> str:
    """A found name as the cast shows it: ``"A\nwoman"`` -> ``"a woman"``.

    Hard-wrapped text leaves line breaks inside names, and an epithet that
    opened a sentence keeps its capital ("The old lady" beside "the woman").
    """
    name = " ".join(name.split())
    first, _, rest = name.partition(" ")
    if first in _DETERMINERS and rest[:1].islower():
        return f"{first.lower()} {rest}"
    return name


_KIN = frozenset(
    ["aunt", "uncle", "mother", "father", "sister", "brother", "grandmother", "grandfather"]
)


def same_person(characters: Sequence[Character]) -> dict[str, str]:
    """Shorter names that are one other found character: name -> that character.

    Attribution sometimes lists one person twice ("Syme" and "Mr. Syme", "Sir
    Henry" and "Sir Henry Curtis", "the Mem Sahib" and "Mem Sahib", "her aunt"
    and "Aunt Hesper"). A name merges into exactly one fuller name when:
    its words (without a title) are among the fuller name's, it has no title or
    the same one, the genders do not clash, and no other candidate fits; "her
    aunt" needs exactly one character titled Aunt. "Bennet" beside "Mr. Bennet"
    and "Mrs. Bennet" with no known gender, or "Mrs. McChesney" beside "Emma
    McChesney" (maybe her mother-in-law), stay apart: the user merges those.
    """
    from narrate.attribute import TITLES

    titles = {t.rstrip(".").casefold() for t in TITLES}

    def parts(name: str) -> tuple[str | None, list[str]]:
        words = name.replace(".", ". ").split()
        words = [w.rstrip(".").casefold() for w in words]
        if len(words) > 1 and words[0] in titles:
            return words[0], words[1:]
        return None, words

    def fits(short: Character, full: Character) -> bool:
        if short is full or short.narrator or full.narrator:
            return False
        if short.gender != "unknown" and full.gender not in (short.gender, "unknown"):
            return False
        words = short.name.split()
        if words[0] == "the" and " ".join(words[1:]) == full.name:
            return True  # "the Mem Sahib" is "Mem Sahib"
        if len(words) == 2 and words[0] in ("her", "his", "my", "their", "our", "your"):
            kin = words[1].casefold()
            return kin in _KIN and parts(full.name)[0] == kin
        if not short.name[:1].isupper() or not full.name[:1].isupper():
            return False
        short_title, short_words = parts(short.name)
        full_title, full_words = parts(full.name)
        if short_title is not None and short_title != full_title:
            return False
        if short_title is None and full_title is None:
            return False  # "Emma" and "Emma Woodhouse": attribution's call
        return set(short_words) < set(full_words) or (
            short_words == full_words and short_title is None
        )

    merges: dict[str, str] = {}
    for short in characters:
        fuller = [full for full in characters if fits(short, full)]
        if len(fuller) == 1:
            merges[short.name] = fuller[0].name
    # "Kronborg" -> "Mr. Kronborg" and nothing into a name that itself merges.
    for name, target in list(merges.items()):
        seen = {name}
        while target in merges and target not in seen:
            seen.add(target)
            target = merges[target]
        merges[name] = target
    return {name: target for name, target in merges.items() if name != target}


def _resolve_entries(
    cast_file: CastFile, characters: Sequence[Character], warnings: list[str]
) -> dict[str, str]:
    """Cast-file key -> the final name after renames and merges.

    A merge is either ``merge_into = "X"`` or listing a character's key among
    another character's aliases (the table narrate wrote for it may still be
    there: the alias is the newer, deliberate edit, so it wins).
    """
    entries = {entry.key: entry for entry in cast_file.entries}
    by_name: dict[str, CastEntry] = {}
    for entry in cast_file.entries:
        for n in (entry.key, entry.name):
            by_name.setdefault(_fold(n), entry)
    alias_owner: dict[str, CastEntry] = {}
    for entry in cast_file.entries:
        for alias in entry.aliases:
            if _fold(alias) not in (_fold(entry.key), _fold(entry.name)):
                alias_owner.setdefault(_fold(alias), entry)

    def target_of(entry: CastEntry) -> str | None:
        if entry.merge_into:
            return entry.merge_into
        owner = alias_owner.get(_fold(entry.key))
        return owner.key if owner is not None and owner.key != entry.key else None

    detected = {_fold(c.name): c.name for c in characters}
    resolved: dict[str, str] = {}
    for key in entries:
        seen: list[str] = []
        entry = entries[key]
        while (target := target_of(entry)) is not None:
            if entry.key in seen:
                chain = " -> ".join([*seen, entry.key])
                raise InputError(
                    cast_file.path,
                    f"a merge goes round in a circle ({chain})",
                    "remove the merge_into or the alias from one of them",
                )
            seen.append(entry.key)
            found = by_name.get(_fold(target))
            if found is None:
                name = detected.get(_fold(target), target)
                if _fold(target) not in detected:
                    warnings.append(
                        f'{cast_file.path}: [characters."{entry.key}"] merge_into '
                        f"{target!r} is no known character; used as a new name"
                    )
                resolved[key] = name
                break
            entry = found
        else:
            resolved[key] = entry.name
    return resolved


def _apply_line_overrides(
    lines: list[Line],
    cast_file: CastFile,
    alias_to_final: Mapping[str, str],
    names: set[str],
    narrator_name: str | None,
    warnings: list[str],
) -> dict[str, str]:
    """Apply ``[[line]]`` overrides in place; returns line id -> speaker applied."""
    path = cast_file.path
    index = {line.id: i for i, line in enumerate(lines)}
    applied: dict[str, str] = {}
    normalised: list[str] | None = None
    for override in cast_file.lines:
        what = f"id {override.id!r}" if override.id else f"text {override.text!r}"
        speaker = override.speaker
        if _fold(speaker) == NARRATOR:
            speaker = NARRATOR
        elif _fold(speaker) in alias_to_final:
            speaker = alias_to_final[_fold(speaker)]
        elif speaker not in names:
            warnings.append(
                f"{path}: [[line]] {what}: speaker {speaker!r} is not in the cast; "
                "added as a new character (check the spelling)"
            )
        if override.id is not None:
            if override.id not in index:
                warnings.append(
                    f"{path}: [[line]] id {override.id!r} matches no line "
                    "(ids are shown by `narrate script`); ignored"
                )
                continue
            targets = [index[override.id]]
        else:
            assert override.text is not None
            if normalised is None:
                normalised = [_normalise_snippet(line.text) for line in lines]
            targets = _snippet_matches(lines, normalised, override)
            if not targets:
                warnings.append(f"{path}: [[line]] {what} matches no line; ignored")
                continue
            if len(targets) > 1 and not override.all:
                ids = ", ".join(lines[i].id for i in targets[:5])
                warnings.append(
                    f"{path}: [[line]] {what} matches {len(targets)} lines ({ids}"
                    f"{', ...' if len(targets) > 5 else ''}); applied to the first only: "
                    "use id = ... or all = true"
                )
                targets = targets[:1]
        for i in targets:
            lines[i] = _override_line(lines[i], speaker, narrator_name)
            applied[lines[i].id] = speaker
    return applied


def _override_line(line: Line, speaker: str, narrator_name: str | None) -> Line:
    if speaker == NARRATOR:
        if narrator_name is not None and line.kind == "dialogue":
            # A first-person narrator speaking: still their line, in the narrator voice.
            return replace(
                line, speaker=narrator_name, confidence=1.0, rule="cast-file", evidence=None
            )
        return replace(
            line, kind="narration", speaker=None, confidence=1.0, rule="cast-file", evidence=None
        )
    # A narration line given a speaker is dialogue the splitter missed.
    return replace(
        line, kind="dialogue", speaker=speaker, confidence=1.0, rule="cast-file", evidence=None
    )


def _snippet_matches(
    lines: Sequence[Line], normalised: Sequence[str], override: LineOverride
) -> list[int]:
    """Dialogue lines whose text contains the snippet; narration only if none do.

    ``normalised`` holds each line's text through :func:`_normalise_snippet`,
    computed once for all overrides (a long novel has tens of thousands of lines).
    """
    assert override.text is not None
    needle = _normalise_snippet(override.text)
    if not needle:
        return []
    found: dict[str, list[int]] = {"dialogue": [], "narration": []}
    for i, text in enumerate(normalised):
        if needle not in text:
            continue
        line = lines[i]
        if override.chapter is None or line.chapter == override.chapter:
            found[line.kind].append(i)
    return found["dialogue"] or found["narration"]


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def _normalise_snippet(text: str) -> str:
    """What a user types (straight quotes, any case, any spacing) matches the source."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.strip("\"' ").split())


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _importance(character: Character) -> tuple[int, str]:
    """Main characters first (most lines), ties by name: the casting order."""
    return (-character.lines, character.name.casefold())


# --------------------------------------------------------------------------- #
# Voice casting


def pick_narrator(profiles: Mapping[str, VoiceProfile]) -> str:
    """The default narrator: the profile with role narrator (id ``narrator`` first)."""
    if not profiles:
        raise InputError(
            None,
            "no voice profiles found",
            "reinstall narrate, or pass --voices-dir DIR with profile *.toml files",
        )
    narrators = sorted(
        (p.id for p in profiles.values() if p.role == "narrator"),
        key=lambda pid: (pid != "narrator", pid),
    )
    return narrators[0] if narrators else sorted(profiles)[0]


def profile_distance(a: VoiceProfile, b: VoiceProfile) -> float:
    """How different two profiles sound, roughly: base voice > variant > pitch > rate."""
    base_a, _, variant_a = a.voice.partition("+")
    base_b, _, variant_b = b.voice.partition("+")
    distance = 0.0
    if a.engine != b.engine:
        distance += 1.0
    if base_a != base_b:
        distance += 2.0
    if variant_a != variant_b:
        distance += 1.5
    distance += abs(_heard_pitch(a) - _heard_pitch(b)) / 20
    distance += abs(a.rate - b.rate) / 30
    return distance


def _heard_pitch(profile: VoiceProfile) -> int:
    """espeak's ``pitch`` is relative to the variant: a female variant at pitch 30
    measured 182 Hz median F0, a male one at 64 only 118 Hz. Shift female profiles
    up so pitch distances compare what a listener hears."""
    return profile.pitch + (40 if profile.gender == "female" else 0)


def distinct_order(pool: Iterable[VoiceProfile], narrator: VoiceProfile | None) -> list[str]:
    """Order ``pool`` so each next pick is farthest from the narrator and earlier picks.

    Greedy farthest-point ordering; ties broken by id so it is deterministic.
    """
    remaining = sorted(pool, key=lambda p: p.id)
    chosen: list[VoiceProfile] = [narrator] if narrator is not None else []
    order: list[str] = []
    while remaining:
        best = max(
            remaining,
            key=lambda p: (
                min((profile_distance(p, c) for c in chosen), default=0.0),
                # deterministic tie-break: earlier id wins
                [-ord(ch) for ch in p.id],
            ),
        )
        remaining.remove(best)
        chosen.append(best)
        order.append(best.id)
    return order


def scene_speakers(lines: Iterable[Line]) -> dict[tuple[int, int], set[str]]:
    """Who speaks in each (chapter, scene)."""
    speakers: dict[tuple[int, int], set[str]] = defaultdict(set)
    for line in lines:
        if line.kind == "dialogue" and line.speaker:
            speakers[(line.chapter, line.scene)].add(line.speaker)
    return speakers


def assign_voices(
    characters: Sequence[Character],
    lines: Sequence[Line],
    profiles: Mapping[str, VoiceProfile],
    *,
    previous: Mapping[str, str] = _EMPTY,
    fixed: Mapping[str, str] = _EMPTY,
    narrator_voice: str | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Give every character a voice profile id; returns (assignments, warnings).

    - ``fixed`` (the user's choices) always win, even when they clash.
    - ``previous`` (choices recorded in the cast file) are kept when the profile
      still exists, still matches the character's gender and does not clash with a
      co-speaker already served.
    - Everyone else, in order of importance (lines, then name), gets the
      gender-matched voice that no co-speaker in any of their scenes holds, the
      least used first, the most distinct first. When every candidate is taken by
      a co-speaker, the character shares with the voice whose clashing holders
      speak least, and a warning names them.
    - A first-person narrator character speaks in the narrator voice.
    """
    warnings: list[str] = []
    narrator_id = narrator_voice or pick_narrator(profiles)
    narrator_profile = profiles.get(narrator_id)
    pool = [p for p in profiles.values() if p.role == "character" and p.id != narrator_id]
    order = distinct_order(pool, narrator_profile)
    rank = {pid: i for i, pid in enumerate(order)}

    lines_of = {c.name: c.lines for c in characters}
    co_speakers: dict[str, set[str]] = defaultdict(set)
    shared_scene: dict[frozenset[str], tuple[int, int]] = {}
    for key, speakers in sorted(scene_speakers(lines).items()):
        for name in speakers:
            co_speakers[name].update(speakers - {name})
            for other in speakers - {name}:
                shared_scene.setdefault(frozenset((name, other)), key)

    assignments: dict[str, str] = {}
    holders: dict[str, list[str]] = defaultdict(list)

    def give(name: str, voice: str) -> None:
        assignments[name] = voice
        holders[voice].append(name)

    def clashes(name: str, voice: str) -> list[str]:
        return [h for h in holders[voice] if h in co_speakers[name]]

    ordered = sorted(characters, key=_importance)
    for character in ordered:
        if character.name in fixed:
            voice = fixed[character.name]
            for other in clashes(character.name, voice):
                chapter, scene = shared_scene[frozenset((character.name, other))]
                warnings.append(
                    f"{other} and {character.name} both have voice {voice} in the cast file "
                    f"and both speak in scene {chapter}.{scene}"
                )
            give(character.name, voice)
    for character in ordered:
        if character.name in assignments:
            continue
        if character.narrator:
            give(character.name, narrator_id)
            continue
        kept = previous.get(character.name)
        if (
            kept is not None
            and kept in rank
            and _gender_fits(character.gender, profiles[kept].gender)
            and not clashes(character.name, kept)
        ):
            give(character.name, kept)

    pool_use: dict[Gender, int] = defaultdict(int)
    for voice, names in holders.items():
        if voice in profiles:
            pool_use[profiles[voice].gender] += len(names)
    warned_gender: set[Gender] = set()
    warned_empty = False
    for character in ordered:
        if character.name in assignments:
            continue
        if not order:
            give(character.name, narrator_id)
            if not warned_empty:
                warnings.append(
                    "no character voice profiles: every character is read by the narrator"
                )
                warned_empty = True
            continue
        candidates = [pid for pid in order if _gender_fits(character.gender, profiles[pid].gender)]
        if not candidates:
            candidates = list(order)
            if character.gender not in warned_gender:
                warned_gender.add(character.gender)
                warnings.append(
                    f"no {character.gender} voice profiles: {character.gender} characters "
                    "get voices of another gender"
                )
        free = [pid for pid in candidates if not clashes(character.name, pid)]
        if free:
            # Least used first; for unknown gender, the less used pool; then keep
            # minor characters sharing with minor ones; then the most distinct.
            voice = min(
                free,
                key=lambda pid: (
                    len(holders[pid]),
                    pool_use[profiles[pid].gender] if character.gender == "unknown" else 0,
                    profiles[pid].gender != character.gender,
                    sum(lines_of.get(h, 0) for h in holders[pid]),
                    rank[pid],
                ),
            )
        else:
            voice = min(
                candidates,
                key=lambda pid: (
                    sum(lines_of.get(h, 0) for h in clashes(character.name, pid)),
                    len(holders[pid]),
                    rank[pid],
                ),
            )
            for other in clashes(character.name, voice):
                chapter, scene = shared_scene[frozenset((character.name, other))]
                warnings.append(
                    f"{character.name} and {other} share voice {voice} although both speak "
                    f"in scene {chapter}.{scene}: not enough {character.gender} voices "
                    "(add profiles with --voices-dir, or set voice in the cast file)"
                )
        give(character.name, voice)
        pool_use[profiles[voice].gender] += 1
    return assignments, warnings


def _gender_fits(character: Gender, profile: Gender) -> bool:
    return character == "unknown" or profile in (character, "unknown")


# --------------------------------------------------------------------------- #
# Writing the cast file


def write_cast_file(path: Path, cast_: Cast, *, title: str | None = None) -> list[str]:
    """Write ``cast_`` to ``path``, merging into the user's existing file.

    Existing tables keep every value and comment the user wrote; narrate only
    refreshes ``lines`` and ``auto_voice`` there. Characters not yet in the file
    are appended. Returns the names of the characters added. Atomic: a temp file
    in the same directory renamed over the old one.
    """
    import tomlkit
    from tomlkit.exceptions import ParseError
    from tomlkit.items import Table

    if path.is_file():
        try:
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ParseError) as exc:
            raise InputError(
                path, f"cannot update the cast file ({exc})", "fix it or delete it to start over"
            ) from None
        _cast_file_from_data(path, doc.unwrap())  # same validation as reading
    else:
        doc = _new_document(cast_, title)

    characters = doc.get("characters")
    if characters is None:
        characters = tomlkit.table(is_super_table=True)
        doc["characters"] = characters
    entries = read_cast_entries(characters)

    # Every name some table already stands for: a name listed (or once offered)
    # in one table is never offered to another.
    taken = {
        _fold(n)
        for key, table in characters.items()
        for n in (
            key,
            str(table.get("name") or key),
            *_names(table, "aliases"),
            *_names(table, "found"),
        )
    }
    added: list[str] = []
    for character in cast_.characters:
        key = _find_key(entries, character.name)
        auto = character.voice or ""
        if key is not None:
            table = characters[key]
            table["lines"] = character.lines
            if not str(table.get("voice", "")).strip() and auto:
                table["auto_voice"] = auto
            _offer_new_names(table, character, taken)
            continue
        table = tomlkit.table()
        table["name"] = character.name
        table["aliases"] = list(character.aliases)
        table["found"] = list(character.aliases)
        taken.update(_fold(n) for n in (character.name, *character.aliases))
        table["gender"] = character.gender
        table["voice"] = ""
        table["auto_voice"] = auto
        table["lines"] = character.lines
        if character.narrator:
            table["lines"].comment("the first-person narrator: read in the narrator voice")
        table.add(tomlkit.nl())
        characters[character.name] = table
        entries[character.name] = (character.name, ())
        added.append(character.name)
    assert isinstance(characters, Table)
    _atomic_write(path, tomlkit.dumps(doc))
    return added


def _names(table: Any, field_name: str) -> list[str]:
    value = table.get(field_name) or []
    return [str(v) for v in ([value] if isinstance(value, str) else value)]


def _offer_new_names(table: Any, character: Character, taken: set[str]) -> None:
    """Add the names narrate newly found for a character to its ``aliases`` and
    record every name offered in ``found``; a name the user deleted (in ``found``,
    not in ``aliases``) is not offered again."""
    import tomlkit

    found = _names(table, "found")
    fresh = [a for a in character.aliases if _fold(a) not in taken]
    if "found" in table and not fresh:
        return
    aliases = table.get("aliases")
    if isinstance(aliases, str) or aliases is None:
        table["aliases"] = [*_names(table, "aliases")]
        aliases = table["aliases"]
    for name in fresh:
        aliases.append(name)
        taken.add(_fold(name))
    record = [*found] if "found" in table else [*_names(table, "aliases")]
    record.extend(n for n in fresh if n not in record)
    if "found" in table:
        for name in record[len(found) :]:
            table["found"].append(name)
    else:
        # A table typed by hand (or by an older narrate): its aliases count as offered.
        array = tomlkit.array()
        array.extend(record)
        table["found"] = array


def read_cast_entries(characters: Any) -> dict[str, tuple[str, tuple[str, ...]]]:
    """key -> (name, aliases) for the tables already in a document."""
    entries: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, table in characters.items():
        name = str(table.get("name") or key)
        aliases = table.get("aliases") or []
        entries[key] = (name, tuple(str(a) for a in aliases))
    return entries


def _find_key(entries: Mapping[str, tuple[str, tuple[str, ...]]], name: str) -> str | None:
    folded = _fold(name)
    for key, (entry_name, _aliases) in entries.items():
        if _fold(entry_name) == folded:
            return key
    for key in entries:
        if _fold(key) == folded:
            return key
    return None


def _new_document(cast_: Cast, title: str | None) -> Any:
    import tomlkit

    doc = tomlkit.document()
    if title:
        doc.add(tomlkit.comment(f"Cast of {title!r}."))
    for line in HEADER.splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.comment(""))
    doc.add(tomlkit.nl())
    doc["narrator_voice"] = cast_.narrator_voice
    doc.add(tomlkit.nl())
    doc["characters"] = tomlkit.table(is_super_table=True)
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment("[[line]]"))
    doc.add(tomlkit.comment('id = "1.1.3"'))
    doc.add(tomlkit.comment('speaker = "narrator"'))
    doc.add(tomlkit.nl())
    lexicon = tomlkit.table()
    lexicon.add(tomlkit.comment('Rokudaime = "Roh-koo-dye-meh"'))
    doc["lexicon"] = lexicon
    return doc


def _atomic_write(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the cast file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the cast file ({exc.strerror})") from None


# --------------------------------------------------------------------------- #
# Review views: what `narrate cast` and `narrate script` print


def cast_rows(cast_: Cast) -> list[dict[str, Any]]:
    """One JSON-ready object per character, main characters first."""
    return [
        {
            "name": c.name,
            "aliases": list(c.aliases),
            "gender": c.gender,
            "lines": c.lines,
            "voice": cast_.narrator_voice if c.narrator else c.voice,
            "narrator": c.narrator,
        }
        for c in cast_.characters
    ]


def format_cast(cast_: Cast) -> str:
    """A table a person reads: name, gender, lines, voice, aliases."""
    rows = cast_rows(cast_)
    for r in rows:
        r["shown"] = r["name"] + (" (narrator)" if r["narrator"] else "")
    width = max([len("NAME"), *(len(r["shown"]) for r in rows)])
    voice_width = max([len("VOICE"), *(len(str(r["voice"] or "-")) for r in rows)])
    out = [f"narrator voice: {cast_.narrator_voice}", ""]
    out.append(f"{'NAME':<{width}}  {'GENDER':<7}  {'LINES':>5}  {'VOICE':<{voice_width}}  ALIASES")
    for r in rows:
        out.append(
            f"{r['shown']:<{width}}  {r['gender']:<7}  {r['lines']:>5}  "
            f"{r['voice'] or '-':<{voice_width}}  {', '.join(r['aliases'])}".rstrip()
        )
    if not rows:
        out.append("(no characters found)")
    return "\n".join(out)


def script_rows(
    lines: Iterable[Line],
    cast_: Cast,
    *,
    chapter: int | None = None,
    only_uncertain: bool = False,
    threshold: float = REVIEW_THRESHOLD,
    source: str | None = None,
) -> list[dict[str, Any]]:
    """The attributed script as JSON-ready rows, in order (the evaluation format).

    ``start``/``end`` index ``Work.text``; ``voice`` is the profile that reads it.
    ``evidence`` is where the words are that decided the speaker (see
    ``Line.evidence``), ``{"start", "end", "text"}`` or None; its ``text`` is
    ``source[start:end]``, so ``source`` should be ``Work.text`` (None without it).
    """
    rows: list[dict[str, Any]] = []
    for line in lines:
        if chapter is not None and line.chapter != chapter:
            continue
        if only_uncertain and not is_uncertain(line, threshold):
            continue
        speaker = line.speaker if line.kind == "dialogue" else None
        evidence = line.evidence if speaker is not None else None
        rows.append(
            {
                "id": line.id,
                "chapter": line.chapter,
                "scene": line.scene,
                "paragraph": line.paragraph,
                "kind": line.kind,
                "speaker": speaker,
                "confidence": round(line.confidence, 3),
                "rule": line.rule,
                "evidence": None
                if evidence is None
                else {
                    "start": evidence[0],
                    "end": evidence[1],
                    "text": source[evidence[0] : evidence[1]] if source is not None else None,
                },
                "text": line.text,
                "start": line.start,
                "end": line.end,
                "voice": cast_.voice_for(speaker),
            }
        )
    return rows


def _same_paragraph(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return (a["chapter"], a["scene"], a["paragraph"]) == (b["chapter"], b["scene"], b["paragraph"])


def is_uncertain(line: Line, threshold: float) -> bool:
    """A dialogue line whose speaker a person should check."""
    return line.kind == "dialogue" and (line.speaker is None or line.confidence < threshold)


def format_script(
    rows: Sequence[Mapping[str, Any]],
    *,
    threshold: float = REVIEW_THRESHOLD,
    chapter_titles: Mapping[int, str] = _EMPTY_TITLES,
    width: int = 100,
    only_uncertain: bool = False,
) -> list[tuple[str, bool]]:
    """Readable script lines as ``(text, dim)`` pairs; the CLI styles dim ones.

    Dialogue is shown whole with its speaker, and after it the rule that decided the
    speaker and the words that did ("[tag: Kakashi]"); narration is shortened (it is
    only context); a ``?`` marks a speaker to check, with its confidence too;
    the line id comes first so it can be copied into a ``[[line]]`` override.
    ``only_uncertain`` keeps the lines to check plus their neighbours in the same
    paragraph, since the evidence (a tag, a beat) is usually right beside them.
    """
    if only_uncertain:
        keep: set[int] = set()
        for i, r in enumerate(rows):
            if r["kind"] == "dialogue" and (r["speaker"] is None or r["confidence"] < threshold):
                keep.add(i)
                for j in (i - 1, i + 1):
                    if 0 <= j < len(rows) and _same_paragraph(rows[i], rows[j]):
                        keep.add(j)
        rows = [r for i, r in enumerate(rows) if i in keep]
    out: list[tuple[str, bool]] = []
    id_width = max([6, *(len(str(r["id"])) for r in rows)])
    names = [str(r["speaker"]) for r in rows if r["kind"] == "dialogue" and r["speaker"]]
    name_width = min(18, max([9, *(len(n) for n in names)]))
    where: tuple[int, int] | None = None
    for r in rows:
        if (r["chapter"], r["scene"]) != where:
            if where is None or r["chapter"] != where[0]:
                title = chapter_titles.get(r["chapter"])
                heading = f"Chapter {r['chapter']}" + (f": {title}" if title else "")
                out.extend([("", False), (f"== {heading} ==", False)])
            out.append((f"-- scene {r['chapter']}.{r['scene']} --", False))
            where = (r["chapter"], r["scene"])
        text = " ".join(str(r["text"]).split())
        if r["kind"] == "narration":
            room = max(20, width - id_width - name_width - 6)
            short = text if len(text) <= room else text[: room - 1].rstrip() + "…"
            out.append((f"{r['id']:<{id_width}}    {'':<{name_width}}  {short}", True))
            continue
        uncertain = r["speaker"] is None or r["confidence"] < threshold
        mark = "?" if uncertain else " "
        speaker = str(r["speaker"]) if r["speaker"] else "???"
        line = f"{r['id']:<{id_width}}  {mark} {speaker:<{name_width}}  {text}"
        why = str(r["rule"] or "no evidence")
        words = _evidence_words(r.get("evidence"))
        if words and r["speaker"]:
            why += f": {words}"
        if uncertain:
            line += f"   [{r['confidence']:.2f} {why}]"
        elif r["speaker"]:
            line += f"   [{why}]"
        out.append((line, False))
    return out


EVIDENCE_WIDTH = 24  # characters of the evidence's words shown in the script view


def _evidence_words(evidence: Any) -> str:
    """The evidence's words on one line, shortened: "the blonde", "Kakashi"."""
    if not isinstance(evidence, Mapping) or not evidence.get("text"):
        return ""
    words = " ".join(str(evidence["text"]).split())
    return words if len(words) <= EVIDENCE_WIDTH else words[: EVIDENCE_WIDTH - 1] + "…"
