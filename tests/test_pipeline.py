"""The analysis pipeline end to end: file -> attributed lines -> cast with voices."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from narrate import cast as casting
from narrate.errors import InputError
from narrate.model import Line, Work
from narrate.pipeline import Analysis, analyse, default_cast_path

# An original two-chapter story: speech tags in both orders, an action beat,
# an interrupted quote, a scene break and a character who appears only later.
STORY = """\
Chapter 1: The Ferry

The ferry was late again, and Marla Quint had run out of patience.

"We should have walked," Marla said, kicking a pebble into the grey water.

Tobias shrugged. "Walked? Across the estuary?"

"I know," she said, "but it would have been faster."

"Nothing is faster than the ferry," said Tobias. "It only feels slow."



Later, at the landing, the ferryman counted their coins twice.

"Two fares," Tobias said. "And one for the dog."

"There is no dog," said Marla.

Chapter 2: The Island

The island smelled of salt and tar. A woman waited at the end of the jetty.

"You must be the Quints," the woman said. "I am Edda Voss."

"Only one of us is a Quint," Marla said.

Edda laughed. "Then one of you is lucky."
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "ferry.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def analysis(story: Path) -> Analysis:
    return analyse(story)


def assert_lines_cover_paragraphs(work: Work, lines: tuple[Line, ...]) -> None:
    by_paragraph: dict[tuple[int, int, int], list[Line]] = {}
    for line in lines:
        assert work.text[line.start : line.end] == line.text
        by_paragraph.setdefault((line.chapter, line.scene, line.paragraph), []).append(line)
    count = 0
    for chapter, scene, paragraph in work.paragraphs():
        count += 1
        pieces = by_paragraph[(chapter.index, scene.index, paragraph.index)]
        assert pieces[0].start == paragraph.start and pieces[-1].end == paragraph.end
        for before, after in itertools.pairwise(pieces):
            assert before.end == after.start
    assert count == len(by_paragraph)


def test_default_cast_path_sits_next_to_the_work() -> None:
    assert default_cast_path(Path("books/story.txt")) == Path("books/story.cast.toml")
    assert default_cast_path(Path("a.b.md")) == Path("a.b.cast.toml")


def test_analysis_covers_the_text_and_casts_every_speaker(story: Path, analysis: Analysis) -> None:
    assert analysis.cast_path == story.with_name("ferry.cast.toml")
    assert not analysis.cast_path.exists()  # never written unless asked
    assert_lines_cover_paragraphs(analysis.work, analysis.lines)
    names = {c.name for c in analysis.cast.characters}
    assert {"Marla", "Tobias"} <= {n.split()[0] for n in names}
    speakers = {line.speaker for line in analysis.lines if line.kind == "dialogue"}
    assert speakers - {None} <= names
    narrator = analysis.cast.narrator_voice
    assert analysis.profiles[narrator].role == "narrator"
    for character in analysis.cast.characters:
        assert character.voice in analysis.profiles
        assert character.voice != narrator
    for line in analysis.lines:
        profile = analysis.voice_for(line)
        if line.kind == "narration":
            assert profile.id == narrator


def test_cast_file_corrections_flow_through_the_pipeline(story: Path, analysis: Analysis) -> None:
    marla = next(c for c in analysis.cast.characters if c.name.startswith("Marla"))
    tobias = next(c for c in analysis.cast.characters if c.name.startswith("Tobias"))
    cast_path = story.with_name("custom.cast.toml")
    casting.write_cast_file(cast_path, analysis.cast, title="The Ferry")
    text = cast_path.read_text(encoding="utf-8")
    text = text.replace(f'name = "{tobias.name}"', 'name = "Toby"  # friends call him Toby')
    text += '\n[[line]]\ntext = "There is no dog"\nspeaker = "Toby"\n'
    text += '\n[lexicon]\nEdda = "Edd-ah"\n' if "[lexicon]" not in text else ""
    cast_path.write_text(text.replace("[lexicon]\n", '[lexicon]\nEdda = "Edd-ah"\n'), "utf-8")

    again = analyse(story, cast_path=cast_path)
    names = {c.name for c in again.cast.characters}
    assert "Toby" in names and tobias.name not in names
    dog = next(line for line in again.lines if "There is no dog" in line.text)
    assert (dog.speaker, dog.rule, dog.confidence) == ("Toby", "cast-file", 1.0)
    # Voices recorded in the file are kept, renamed or not.
    assert again.cast.voice_for("Toby") == tobias.voice
    assert again.cast.voice_for(marla.name) == marla.voice
    assert again.lexicon.get("Edda") == "Edd-ah"
    assert again.warnings == ()
    assert_lines_cover_paragraphs(again.work, again.lines)


def test_a_broken_cast_file_is_one_clear_input_error(story: Path) -> None:
    bad = story.with_name("bad.cast.toml")
    bad.write_text('[characters.Marla]\ngender = "sometimes"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.cast\.toml"):
        analyse(story, cast_path=bad)


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed works are not next to the repo")
@pytest.mark.parametrize("name", ["000_a7f0e62e8fefe710.txt", "003_54b7f5ba612c50cc.txt"])
def test_seeds_cover_and_cast_real_characters_once(name: str) -> None:
    result = analyse(SEEDS / name, cast_path=Path("/nonexistent/none.cast.toml"))
    assert_lines_cover_paragraphs(result.work, result.lines)
    folded = [c.name.casefold() for c in result.cast.characters]
    assert len(folded) == len(set(folded))
    voices = {c.name: c.voice for c in result.cast.characters}
    assert voices["Kakashi"] != voices["Sakura"]
    assert result.cast.narrator_voice not in (voices["Kakashi"], voices["Sakura"])
    genders = {c.name: c.gender for c in result.cast.characters}
    assert result.profiles[voices["Sakura"]].gender in ("female", genders["Sakura"])


TEXTS = sorted((Path(__file__).resolve().parents[1] / "texts").glob("*.*"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_sample_texts_analyse_cleanly(path: Path, tmp_path: Path) -> None:
    result = analyse(path, cast_path=tmp_path / "none.cast.toml")
    assert_lines_cover_paragraphs(result.work, result.lines)
    folded = [c.name.casefold() for c in result.cast.characters]
    assert len(folded) == len(set(folded))
    # Co-speakers never share a voice while the pool has room (it does here).
    voices = {c.name: c.voice for c in result.cast.characters}
    for speakers in casting.scene_speakers(result.lines).values():
        assert len({voices[s] for s in speakers}) == len(speakers)
    # AO3 "Characters" tags seed the cast: each tagged name is a character or alias.
    names = {n.casefold() for c in result.cast.characters for n in (c.name, *c.aliases)}
    for tag in result.work.meta.tags.get("Characters", ()):
        name = casting.character_tag_name(tag)
        assert name is None or name.casefold() in names
