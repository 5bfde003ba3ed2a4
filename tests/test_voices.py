"""Voice profiles, distinctness measured from audio, lexicons, and the voices/say CLI."""

from __future__ import annotations

import itertools
import json
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import main
from narrate.engine import get_engine
from narrate.errors import InputError
from narrate.model import Audio
from narrate.voices import (
    SAMPLE_SENTENCE,
    Lexicon,
    lexicon_for_work,
    load_lexicon,
    load_profiles,
    median_pitch_hz,
    work_lexicon_path,
)

GOOD = """
id = "{id}"
engine = "espeak"
voice = "en-us+m2"
rate = 150
pitch = 40
gender = "male"
description = "A test voice."
"""


def test_shipped_profiles_cover_narrator_and_both_genders() -> None:
    profiles = load_profiles()
    assert profiles["narrator"].role == "narrator"
    assert next(iter(profiles)) == "narrator"
    characters = [p for p in profiles.values() if p.role == "character"]
    assert sum(p.gender == "female" for p in characters) >= 6
    assert sum(p.gender == "male" for p in characters) >= 6
    assert len({p.voice for p in profiles.values()}) == len(profiles)
    assert all(p.description for p in profiles.values())


def test_shipped_voices_are_distinct_by_pitch_and_pace() -> None:
    """Same yardstick as bench/voice_distinctness.py: every pair differs audibly."""
    engine = get_engine()
    measured = {}
    for profile in load_profiles().values():
        audio = engine.synthesize(SAMPLE_SENTENCE, profile)
        measured[profile.id] = (median_pitch_hz(audio), audio.seconds, profile.gender)
    for (a, (fa, ta, _)), (b, (fb, tb, _)) in itertools.combinations(measured.items(), 2):
        pitch_gap = abs(fa - fb) / max(fa, fb)
        time_gap = abs(ta - tb) / max(ta, tb)
        assert pitch_gap >= 0.06 or time_gap >= 0.08, (a, b, pitch_gap, time_gap)
    female = [f for f, _, g in measured.values() if g == "female"]
    male = [f for f, _, g in measured.values() if g == "male"]
    assert min(female) > max(male)  # not only on average: every female above every male
    assert sum(female) / len(female) > 1.5 * sum(male) / len(male)


def test_median_pitch_finds_a_pure_tone() -> None:
    import numpy as np

    t = np.arange(22_050) / 22_050
    tone = (np.sin(2 * np.pi * 150 * t) * 10_000).astype("<i2")
    assert abs(median_pitch_hz(Audio(tone.tobytes(), 22_050)) - 150) < 3
    assert median_pitch_hz(Audio(b"\x00\x00" * 1000, 22_050)) == 0.0


def test_user_directory_adds_and_replaces_profiles(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(GOOD.format(id="my-voice"))
    (tmp_path / "narrator.toml").write_text(
        GOOD.format(id="narrator").replace("gender", "role = 'narrator'\ngender")
    )
    profiles = load_profiles([tmp_path])
    assert profiles["my-voice"].rate == 150 and profiles["my-voice"].voice == "en-us+m2"
    assert profiles["narrator"].voice == "en-us+m2"
    assert len(profiles) == len(load_profiles()) + 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("pitch = 40", "pitch = 140"), "pitch` = 140 is outside 0-99"),
        (("rate = 150", "rate = 'fast'"), "`rate` must be a number"),
        (('gender = "male"', 'gender = "robot"'), "gender 'robot'"),
        (("description", "colour = 'red'\ndescription"), "unknown key(s) colour"),
        (('voice = "en-us+m2"', ""), "missing or empty `voice`"),
        (("rate = 150", "rate = = 150"), "not valid TOML"),
    ],
)
def test_invalid_profile_names_the_file(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.format(id="bad").replace(*change))
    with pytest.raises(InputError) as caught:
        load_profiles([tmp_path])
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_duplicate_ids_in_one_directory(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD.format(id="same"))
    (tmp_path / "b.toml").write_text(GOOD.format(id="same"))
    with pytest.raises(InputError, match=r"also used by a\.toml"):
        load_profiles([tmp_path])


# -- lexicon ---------------------------------------------------------------------------------


def test_lexicon_is_whole_word() -> None:
    lex = Lexicon.from_mapping({"Naruto": "Nah-roo-toh"})
    assert lex.replace("Naruto's ramen, Naruto-kun.") == "Nah-roo-toh's ramen, Nah-roo-toh-kun."
    assert lex.replace("Narutomaki and UnNaruto") == "Narutomaki and UnNaruto"


def test_lexicon_case_rules() -> None:
    lex = Lexicon.from_mapping({"US": "U S", "sensei": "sen-say", "Will": "Wil"})
    # A key with capitals matches only its own spelling or ALL CAPS.
    assert lex.replace("Tell us about the US.") == "Tell us about the U S."
    assert lex.replace("Will will go. WILL!") == "Wil will go. Wil!"
    # A lower-case key matches any capitalisation.
    assert lex.replace("Sensei, sensei, SENSEI") == "sen-say, sen-say, sen-say"


def test_lexicon_longest_entry_wins_and_later_entries_override() -> None:
    lex = Lexicon.from_mapping({"Uchiha": "Oo-chee-hah", "Uchiha Itachi": "Itachi of the clan"})
    assert (
        lex.replace("Uchiha Itachi and Uchiha Sasuke")
        == "Itachi of the clan and Oo-chee-hah Sasuke"
    )
    newer = lex.merged({"Uchiha": "Ooch"})
    assert newer.replace("Uchiha Sasuke") == "Ooch Sasuke"


def test_lexicon_files_layer_builtin_work_and_cast(tmp_path: Path) -> None:
    work = tmp_path / "story.txt"
    work.write_text("text")
    assert work_lexicon_path(work) == tmp_path / "story.lexicon.toml"
    builtin = lexicon_for_work(work)
    assert builtin.lookup("Rokudaime") == "Roh-koo-dye-meh"
    work_lexicon_path(work).write_text('Rokudaime = "Roku"\nKonoha = "Koh-noh-hah"\n')
    layered = lexicon_for_work(work, {"Konoha": "Leaf village"})
    assert layered.lookup("Rokudaime") == "Roku"
    assert layered.lookup("Konoha") == "Leaf village"


def test_lexicon_file_with_table_and_bad_entries(tmp_path: Path) -> None:
    table = tmp_path / "cast.toml"
    table.write_text('[lexicon]\nGai = "Guy"\n')
    assert load_lexicon([table], builtin=False).entries == (("Gai", "Guy"),)
    bad = tmp_path / "bad.toml"
    bad.write_text("Gai = 5\n")
    with pytest.raises(InputError, match="must be a non-empty string"):
        load_lexicon([bad])
    bad.write_text('Gai = "[[g\'aI"\n')
    with pytest.raises(InputError, match="unbalanced"):
        load_lexicon([bad])


def test_phoneme_entry_reaches_espeak(tmp_path: Path) -> None:
    from narrate.speech import speech_text

    profile = load_profiles()["narrator"]
    engine = get_engine()
    plain = engine.synthesize(speech_text("Zq"), profile)
    phonemes = Lexicon.from_mapping({"Zq": "[[z'u:k@mb,@:l@nd]]"})
    spoken = speech_text("Zq", phonemes)
    assert spoken == "[[z'u:k@mb,@:l@nd]]"
    # Read as phonemes the word is several syllables; read as text it would be letter names.
    assert engine.synthesize(spoken, profile).seconds > plain.seconds


# -- CLI -------------------------------------------------------------------------------------


def test_cli_voices_lists_and_json() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["voices"])
    assert listed.exit_code == 0
    assert "narrator *" in listed.output and "female-us-bright" in listed.output
    as_json = runner.invoke(main, ["voices", "--json"])
    rows = json.loads(as_json.output)
    assert {"id", "gender", "engine", "voice", "rate", "pitch", "description"} <= set(rows[0])
    assert len(rows) == len(load_profiles())


def test_cli_audition_writes_wavs(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["voices", "--audition", "narrator", "male-scots-deep", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["male-scots-deep.wav", "narrator.wav"]
    with wave.open(str(tmp_path / "narrator.wav")) as wav:
        assert wav.getframerate() == 22_050 and wav.getnframes() / 22_050 > 3


def test_cli_audition_unknown_id_is_one_line() -> None:
    result = CliRunner().invoke(main, ["voices", "--audition", "nobody"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no voice profile 'nobody'")
    assert "Traceback" not in result.output


def test_cli_say_uses_voice_and_lexicon(tmp_path: Path) -> None:
    lexicon = tmp_path / "fix.toml"
    lexicon.write_text('Kx = "a much longer spoken replacement for this name"\n')
    runner = CliRunner()
    plain = runner.invoke(
        main, ["say", "Kx waved.", "--voice", "female-us-bright", "-o", str(tmp_path / "a.wav")]
    )
    fixed = runner.invoke(
        main,
        [
            "say",
            "Kx waved.",
            "--voice",
            "female-us-bright",
            "-o",
            str(tmp_path / "b.wav"),
            "--lexicon",
            str(lexicon),
        ],
    )
    assert plain.exit_code == 0 and fixed.exit_code == 0, fixed.output
    assert "spoken as: a much longer spoken replacement" in fixed.output

    def seconds(name: str) -> float:
        with wave.open(str(tmp_path / name)) as wav:
            return float(wav.getnframes() / wav.getframerate())

    assert seconds("b.wav") > seconds("a.wav") + 1.0


def test_cli_say_rejects_non_wav_and_unknown_voice(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["say", "Hi", "-o", str(tmp_path / "x.mp3")])
    assert bad.exit_code == 2 and "give the output a .wav name" in bad.output
    unknown = runner.invoke(main, ["say", "Hi", "--voice", "zz", "-o", str(tmp_path / "x.wav")])
    assert unknown.exit_code == 2 and "no voice profile 'zz'" in unknown.output
    assert not list(tmp_path.iterdir())


def test_packaging_lists_every_subpackage_and_ships_the_voices() -> None:
    """pyproject lists packages by hand (to map voices/ onto narrate_voices): keep it whole."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(root).parts) for p in (root / "narrate").rglob("__init__.py")
    }
    missing = found - listed
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"
    assert config["package-dir"]["narrate_voices"] == "voices"
    assert "*.toml" in config["package-data"]["narrate_voices"]
