"""Editing the cast file by hand, as a user does: `narrate cast --write`, edit, re-run.

The cast file is authoritative for what the user changed (a deleted alias stays
deleted, a split sticks) and changes nothing the user did not touch (an unedited
cast file gives exactly the script of a run without one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from narrate import cast as casting
from narrate.cli import main
from narrate.model import Character, Metadata, VoiceProfile, Work

SEEDS = Path("/work/shared/seeds")

# Tamsin Reed and her father, whom everyone calls Reed: attribution merges the
# two under one character (one surname), the user has to split them.
INN = """\
The Reed Inn

At first light Tamsin Reed came down the stairs. The common room was cold and the fire was out.

"Somebody let the fire die," Tamsin said.

Reed looked up from the ledger. He was her father, and he ran the inn the way he kept his accounts, slowly and without mistakes.

"Somebody was asleep," Reed said. "Fetch the kindling."

Tamsin fetched it. She knelt at the hearth and built the fire again, stick by stick.

"The carter comes today," she said.

"He comes every Thursday," said Reed. "Tell Jory to ready the stable."

Jory was already at the door, stamping snow from his boots. He grinned at Tamsin.

"The stable's ready," Jory said. "I did it last night."

"Then you can do the yard," Reed said.

Jory groaned, and Tamsin Reed laughed at him.

"Don't laugh," Jory said. "You'll be carrying the water."

"I always carry the water," Tamsin said.
"""

# Dialogue line -> who really says it (from the tags in INN).
TRUTH = {
    "Somebody let the fire die,": "Tamsin",
    "Somebody was asleep,": "Reed",
    "Fetch the kindling.": "Reed",
    "He comes every Thursday,": "Reed",
    "Then you can do the yard,": "Reed",
    "I always carry the water,": "Tamsin",
    "The stable's ready,": "Jory",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def script(work: Path, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("script", str(work), "--json", *extra)
    assert code == 0, err
    return [json.loads(row) for row in out.splitlines()]


def cast_json(work: Path) -> dict[str, dict[str, Any]]:
    code, out, err = run("cast", str(work), "--json")
    assert code == 0, err
    return {row["name"]: row for row in json.loads(out)}


def said(rows: list[dict[str, Any]]) -> dict[str, str | None]:
    return {r["text"].strip('"“”'): r["speaker"] for r in rows if r["kind"] == "dialogue"}


@pytest.fixture
def inn(tmp_path: Path) -> Path:
    path = tmp_path / "inn.txt"
    path.write_text(INN, encoding="utf-8")
    return path


def write_cast(work: Path) -> Path:
    code, _out, err = run("cast", str(work), "--write")
    assert code == 0, err
    return work.with_name(f"{work.stem}.cast.toml")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the cast file:\n{text}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_story_needs_splitting(inn: Path) -> None:
    """The premise of the tests below: narrate merges daughter and father."""
    cast = cast_json(inn)
    reed = cast["Reed"]
    assert {"Tamsin", "Tamsin Reed"} <= set(reed["aliases"])
    assert "Tamsin" not in cast
    assert said(script(inn))["I always carry the water,"] == "Reed"


def test_deleting_aliases_splits_them_off_and_the_deletion_sticks(inn: Path) -> None:
    path = write_cast(inn)
    edit(path, 'aliases = ["Tamsin", "Tamsin Reed"]', "aliases = []  # Tamsin is his daughter")

    cast = cast_json(inn)
    # The deleted names did not vanish: they are one character of their own.
    assert "Tamsin" in cast and cast["Tamsin"]["aliases"] == ["Tamsin Reed"]
    assert cast["Reed"]["aliases"] == []
    lines = said(script(inn))
    for text, speaker in TRUTH.items():
        assert lines[text] == speaker, text

    # Re-writing keeps the deletion (and the comment), records what was offered,
    # and gives the split-off character its own table.
    code, _out, err = run("cast", str(inn), "--write")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    reed = text[text.index("[characters.Reed]") :].split("\n\n")[0]
    assert "aliases = []  # Tamsin is his daughter" in reed
    assert 'found = ["Tamsin", "Tamsin Reed"]' in reed
    assert "[characters.Tamsin]" in text
    again = script(inn)
    assert said(again) == lines  # stable from now on
    assert cast_json(inn)["Reed"]["aliases"] == []


def test_moving_a_name_to_a_new_table_gives_it_those_lines(inn: Path) -> None:
    path = write_cast(inn)
    edit(path, 'aliases = ["Tamsin", "Tamsin Reed"]', "aliases = []")
    edit(
        path,
        "[characters.Jory]",
        '[characters.Tamsin]\naliases = ["Tamsin Reed"]\ngender = "female"\n\n[characters.Jory]',
    )
    cast = cast_json(inn)
    assert cast["Tamsin"]["gender"] == "female" and cast["Tamsin"]["aliases"] == ["Tamsin Reed"]
    assert cast["Reed"]["gender"] == "male"
    assert cast["Tamsin"]["voice"] != cast["Reed"]["voice"]
    lines = said(script(inn))
    for text, speaker in TRUTH.items():
        assert lines[text] == speaker, text
    # A hand-typed table is adopted on re-write: its aliases count as offered.
    run("cast", str(inn), "--write")
    entries = {e.key: e for e in casting.read_cast_file(path).entries}
    assert entries["Tamsin"].found == ("Tamsin Reed",)
    assert entries["Reed"].aliases == ()


def test_moving_a_name_into_another_characters_aliases(inn: Path) -> None:
    """The other way to split: give the name to someone who is already in the file."""
    path = write_cast(inn)
    edit(path, 'aliases = ["Tamsin", "Tamsin Reed"]', 'aliases = ["Tamsin Reed"]')
    text = path.read_text(encoding="utf-8")  # whatever narrate found for Jory, add Tamsin
    start = text.index("aliases = [", text.index("[characters.Jory]")) + len("aliases = [")
    path.write_text(text[:start] + '"Tamsin", ' + text[start:], encoding="utf-8")
    lines = said(script(inn))
    assert lines["I always carry the water,"] == "Jory"  # the user said so
    assert lines["Somebody was asleep,"] == "Reed"
    assert "Tamsin" in cast_json(inn)["Jory"]["aliases"]


def test_names_found_after_the_file_was_written_join_their_character(inn: Path) -> None:
    """A name narrate finds later (a new chapter, a better narrate) is not a deletion."""
    path = write_cast(inn)
    # As if the file were written when narrate knew only "Tamsin".
    edit(
        path,
        'aliases = ["Tamsin", "Tamsin Reed"]\nfound = ["Tamsin", "Tamsin Reed"]',
        'aliases = ["Tamsin"]  # mine\nfound = ["Tamsin"]',
    )
    assert said(script(inn)) == said(script(inn, "--cast", str(path.with_name("none.toml"))))
    run("cast", str(inn), "--write")
    entries = {e.key: e for e in casting.read_cast_file(path).entries}
    assert entries["Reed"].aliases == ("Tamsin", "Tamsin Reed")
    assert entries["Reed"].found == ("Tamsin", "Tamsin Reed")
    assert "# mine" in path.read_text(encoding="utf-8")


def round_trip(work: Path) -> None:
    without = script(work, "--cast", str(work.with_name("absent.cast.toml")))
    path = write_cast(work)
    written = path.read_text(encoding="utf-8")
    with_file = script(work)
    assert with_file == without  # every key of every line, not only speakers
    run("cast", str(work), "--write")  # re-write: nothing to add, nothing moves
    assert path.read_text(encoding="utf-8") == written
    assert script(work) == without


def test_an_unedited_cast_file_changes_no_line(inn: Path) -> None:
    round_trip(inn)


@pytest.mark.parametrize("name", ["000_a7f0e62e8fefe710.txt", "003_54b7f5ba612c50cc.txt"])
def test_seeds_round_trip_through_the_cast_file(name: str, tmp_path: Path) -> None:
    if not (SEEDS / name).is_file():
        pytest.skip("seed texts not available")
    work = tmp_path / "work.txt"
    work.write_bytes((SEEDS / name).read_bytes())
    round_trip(work)


# --------------------------------------------------------------------------- #
# The library rules behind it


def test_deleted_aliases_nobody_else_claims_become_characters_grouped_by_shared_words() -> None:
    work = Work(text="", meta=Metadata(title="T"), chapters=())
    path = Path("x.cast.toml")
    entry = casting.CastEntry(
        key="Reed",
        name="Reed",
        aliases=(),
        found=("Tamsin", "Hokage", "Tamsin Reed", "Gone"),
    )
    cast_file = casting.CastFile(path=path, exists=True, entries=(entry,))
    found = [Character("Reed", ("Tamsin", "Hokage", "Tamsin Reed"), "male", 7)]
    known = casting.known_characters(work, cast_file, found=found)
    # "Gone" is no longer found in the text: nothing to split off. Reed keeps
    # his own name: he comes before the alias "Tamsin Reed" that contains it.
    assert [(k.name, k.aliases) for k in known] == [
        ("Hokage", ()),
        ("Reed", ()),
        ("Tamsin", ("Tamsin Reed",)),
    ]
    # Not deleted, not edited: the first pass is all attribution needs.
    same = casting.CastFile(path=path, exists=True, entries=(entry.__class__(
        key="Reed", name="Reed", aliases=("Tamsin", "Hokage", "Tamsin Reed"), gender="male",
        found=("Tamsin", "Hokage", "Tamsin Reed"),
    ),))  # fmt: skip
    assert casting.known_characters(work, same, found=found) == ()


def test_own_one_word_names_come_before_longer_names_that_contain_them() -> None:
    tamsin = Character("Tamsin", ("Tamsin Reed",))
    reed = Character("Reed")
    jory = Character("Jory")
    order = casting._claim_order([tamsin, jory, reed])
    assert order.index(reed) < order.index(tamsin)
    assert order.index(jory) < order.index(reed)  # otherwise as given
    loop = [Character("A", ("A B",)), Character("B", ("B A",))]
    assert casting._claim_order(loop) == loop


# --------------------------------------------------------------------------- #
# One person listed once


def test_names_are_shown_on_one_line_without_a_sentence_capital() -> None:
    assert casting.display_name("a pauper old\nwoman") == "a pauper old woman"
    assert casting.display_name("The old lady") == "the old lady"
    assert casting.display_name("A woman") == "a woman"
    assert casting.display_name("The Hyuuga") == "The Hyuuga"  # a name follows: keep
    assert casting.display_name("Mr.  Bennet") == "Mr. Bennet"


def people(*spec: tuple[str, str]) -> list[Character]:
    return [Character(name, gender=gender, lines=1) for name, gender in spec]  # type: ignore[arg-type]


def test_split_title_and_surname_duplicates_are_one_character() -> None:
    found = people(
        ("Syme", "unknown"),
        ("Mr. Syme", "male"),
        ("Gregory", "male"),
        ("Mr. Lucian Gregory", "male"),
        ("Sir Henry", "male"),
        ("Sir Henry Curtis", "male"),
        ("the Mem Sahib", "unknown"),
        ("Mem Sahib", "female"),
        ("her aunt", "female"),
        ("Aunt Hesper", "female"),
        ("Kronborg", "male"),
        ("Mr. Kronborg", "male"),
        ("Mrs. Kronborg", "female"),
    )
    assert casting.same_person(found) == {
        "Syme": "Mr. Syme",
        "Gregory": "Mr. Lucian Gregory",
        "Sir Henry": "Sir Henry Curtis",
        "the Mem Sahib": "Mem Sahib",
        "her aunt": "Aunt Hesper",
        "Kronborg": "Mr. Kronborg",
    }


def test_ambiguous_or_different_people_stay_apart() -> None:
    found = people(
        ("Bennet", "unknown"),  # Mr. or Mrs.?
        ("Mr. Bennet", "male"),
        ("Mrs. Bennet", "female"),
        ("Mrs. McChesney", "female"),  # perhaps Emma's mother-in-law
        ("Emma McChesney", "female"),
        ("Elizabeth", "female"),  # first names: attribution's call
        ("Elizabeth Bennet", "female"),
        ("my aunt", "female"),  # nobody is titled Aunt
        ("my uncle", "male"),
        ("Mr. Darcy", "male"),
        ("Mrs. Darcy", "female"),
    )
    assert casting.same_person(found) == {}


def test_cast_lists_a_duplicate_once_unless_the_user_split_it(tmp_path: Path) -> None:
    from narrate.model import Line

    lines = [
        Line("1.1.1", "dialogue", 0, 5, '"Hi."', 1, 1, 1, speaker="Syme", confidence=0.9),
        Line("1.1.2", "dialogue", 5, 10, '"No."', 1, 1, 2, speaker="Gregory", confidence=0.9),
        Line("1.1.3", "dialogue", 10, 15, '"So."', 1, 1, 3, speaker="Mr. Syme", confidence=0.9),
    ]
    found = people(("Syme", "unknown"), ("Mr. Syme", "male"), ("Gregory", "male"))
    empty = casting.CastFile(path=tmp_path / "x.cast.toml")
    result = casting.build_cast(lines, found, PROFILES_FOR_TESTS, empty)
    names = {c.name: c for c in result.cast.characters}
    assert set(names) == {"Mr. Syme", "Gregory"}
    assert names["Mr. Syme"].lines == 2 and "Syme" in names["Mr. Syme"].aliases
    assert [ln.speaker for ln in result.lines] == ["Mr. Syme", "Gregory", "Mr. Syme"]
    # The user deleted "Syme" from Mr. Syme's aliases: two characters again.
    split = tmp_path / "split.cast.toml"
    split.write_text('[characters."Mr. Syme"]\naliases = []\nfound = ["Syme"]\n', encoding="utf-8")
    result = casting.build_cast(lines, found, PROFILES_FOR_TESTS, casting.read_cast_file(split))
    assert {c.name for c in result.cast.characters} == {"Mr. Syme", "Syme", "Gregory"}


PROFILES_FOR_TESTS = {
    p.id: p
    for p in [
        VoiceProfile("narrator", "espeak", "en-us", pitch=45, role="narrator"),
        VoiceProfile("f1", "espeak", "en-us+f3", pitch=70, gender="female"),
        VoiceProfile("m1", "espeak", "en-us+m3", pitch=30, gender="male"),
        VoiceProfile("m2", "espeak", "en-gb+m2", pitch=40, gender="male"),
    ]
}


def test_unknown_gender_in_the_cast_file_lets_narrate_decide(inn: Path) -> None:
    path = write_cast(inn)
    table = path.read_text(encoding="utf-8")
    jory = table[table.index("[characters.Jory]") :].split("\n\n")[0]
    assert 'gender = "male"' in jory
    unknown = jory.replace('gender = "male"', 'gender = "unknown"')
    edit(path, jory, unknown)
    assert cast_json(inn)["Jory"]["gender"] == "male"  # what the text says
    edit(path, unknown, jory.replace('gender = "male"', 'gender = "female"'))
    assert cast_json(inn)["Jory"]["gender"] == "female"  # the user's word wins
