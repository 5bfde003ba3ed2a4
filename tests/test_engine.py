"""The speech engine: real espeak-ng audio, checks, retry, splitting, processes."""

from __future__ import annotations

import multiprocessing
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.engine import (
    MAX_CHARS,
    CheckedEngine,
    Engine,
    VoiceNotFound,
    check_clip,
    get_engine,
    split_text,
    write_wav,
)
from narrate.errors import EngineError, OutputError
from narrate.model import Audio, VoiceProfile
from narrate.voices import load_profiles

SENTENCE = "She folded the letter twice and slid it under the door."
PROFILE = VoiceProfile(id="test-voice", engine="espeak", voice="en-us+f3", rate=170, pitch=60)


def peak(audio: Audio) -> int:
    return int(np.abs(np.frombuffer(audio.pcm, dtype="<i2").astype(np.int32)).max())


def test_every_shipped_profile_speaks_a_sentence() -> None:
    engine = get_engine()
    for profile in load_profiles().values():
        audio = engine.synthesize(SENTENCE, profile)
        assert audio.sample_rate == 22_050
        # 11 words at 138-192 wpm is 3.4-4.8 s of speech, plus espeak's end pause.
        assert 2.5 < audio.seconds < 8.0, (profile.id, audio.seconds)
        assert peak(audio) > 2000, profile.id


def test_engine_satisfies_protocol_and_reports_versions() -> None:
    engine = get_engine()
    assert isinstance(engine, Engine)
    version = engine.version()
    assert "espeak-ng 1." in version and "pyttsx3 " in version
    names = engine.voices()
    assert {"en-us", "en-gb-scotland", "en-029", "+f3", "+m3"} <= set(names)


def test_rate_changes_duration() -> None:
    engine = get_engine()
    slow = engine.synthesize(SENTENCE, replace(PROFILE, rate=120))
    fast = engine.synthesize(SENTENCE, replace(PROFILE, rate=240))
    assert slow.seconds > 1.6 * fast.seconds


def test_unknown_voice_fails_once_with_the_fix() -> None:
    with pytest.raises(VoiceNotFound, match=r"no voice 'xx-nope\+f3'.*narrate voices"):
        get_engine().synthesize("Hello.", replace(PROFILE, voice="xx-nope+f3"))


def test_unknown_engine_name() -> None:
    with pytest.raises(EngineError, match="unknown engine 'festival'"):
        get_engine("festival")


class FakeBackend:
    """A backend that fails the first ``failures`` calls in a chosen way."""

    name = "fake"

    def __init__(self, failures: int, how: str = "empty") -> None:
        self.failures = failures
        self.how = how
        self.calls: list[str] = []
        self.resets = 0

    def version(self) -> str:
        return "fake 1"

    def voices(self) -> list[str]:
        return ["fake"]

    def render(self, text: str, profile: VoiceProfile) -> Audio:
        self.calls.append(text)
        if len(self.calls) <= self.failures:
            if self.how == "raise":
                raise RuntimeError("backend crashed")
            if self.how == "truncated":
                return Audio(b"\x10\x10" * 100, 22_050)
            return Audio(b"", 22_050)
        # A loud tone as long as the text would take at the profile's rate.
        seconds = max(1, len(text.split())) * 60 / profile.rate
        n = int(seconds * 22_050)
        tone = (np.sin(np.arange(n) * 0.05) * 8000).astype("<i2")
        return Audio(tone.tobytes(), 22_050)

    def reset(self) -> None:
        self.resets += 1


@pytest.mark.parametrize("how", ["empty", "raise", "truncated"])
def test_failure_is_retried_once_then_succeeds(how: str) -> None:
    backend = FakeBackend(failures=1, how=how)
    audio = CheckedEngine(backend).synthesize(SENTENCE, PROFILE)
    assert audio.seconds > 2
    assert backend.calls == [SENTENCE, SENTENCE]
    assert backend.resets == 1


@pytest.mark.parametrize("how", ["empty", "raise", "truncated"])
def test_second_failure_raises_naming_line_and_voice(how: str) -> None:
    backend = FakeBackend(failures=2, how=how)
    with pytest.raises(EngineError) as caught:
        CheckedEngine(backend).synthesize(SENTENCE, PROFILE)
    message = str(caught.value)
    assert '"She folded the letter twice and slid it under the door."' in message
    assert "test-voice" in message and "en-us+f3" in message
    assert len(backend.calls) == 2


def test_error_names_only_first_sixty_characters() -> None:
    text = "word " * 100
    with pytest.raises(EngineError) as caught:
        CheckedEngine(FakeBackend(failures=99)).synthesize(text, PROFILE)
    quoted = str(caught.value).split('"')[1]
    assert len(quoted) == 60 and quoted.endswith("…")


def test_check_clip_rejects_silence_and_runaway_audio() -> None:
    assert check_clip(SENTENCE, PROFILE, Audio(b"", 22_050)) == "no audio"
    silent = Audio(b"\x00\x00" * 22_050 * 4, 22_050)
    assert check_clip(SENTENCE, PROFILE, silent) == "audio is silent"
    long = Audio(b"\x00\x40" * 22_050 * 60, 22_050)
    assert "too long" in (check_clip(SENTENCE, PROFILE, long) or "")


def test_symbol_only_text_is_a_pause_without_calling_the_backend() -> None:
    backend = FakeBackend(failures=0)
    audio = CheckedEngine(backend).synthesize("…  —", PROFILE)
    assert 0.2 < audio.seconds < 0.5 and backend.calls == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab .,;!?\n—…’'\"")), max_size=600),
    st.integers(min_value=1, max_value=80),
)
def test_split_text_covers_all_text(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= limit for p in pieces) or text == ""


def test_split_text_prefers_sentence_then_clause_boundaries() -> None:
    text = "One two three. Four five, six seven eight nine."
    assert split_text(text, 33) == ["One two three. ", "Four five, six seven eight nine."]
    assert split_text("aaaa, bbbb cccc dddd", 12) == ["aaaa, ", "bbbb cccc ", "dddd"]


def test_long_text_is_split_and_every_piece_spoken() -> None:
    sentences = [f"Sentence number {i} rolls along the quiet lane." for i in range(120)]
    text = " ".join(sentences)
    assert len(text) > 5 * MAX_CHARS
    engine = get_engine()
    assert isinstance(engine, CheckedEngine)
    seen: list[str] = []
    inner = engine.backend

    class Recording:
        name = inner.name

        def version(self) -> str:
            return inner.version()

        def voices(self) -> list[str]:
            return inner.voices()

        def render(self, piece: str, profile: VoiceProfile) -> Audio:
            seen.append(piece)
            return inner.render(piece, profile)

        def reset(self) -> None:
            inner.reset()

    audio = CheckedEngine(Recording()).synthesize(text, PROFILE)
    assert "".join(seen) == text and max(map(len, seen)) <= MAX_CHARS and len(seen) >= 6
    words = len(text.split())
    assert audio.seconds > 0.6 * words * 60 / PROFILE.rate


def _child_synth(text: str) -> float:
    return get_engine().synthesize(text, PROFILE).seconds


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_engine_works_in_worker_processes(method: str) -> None:
    get_engine().synthesize("Warm the parent first.", PROFILE)  # state a fork inherits
    context = multiprocessing.get_context(method)
    with context.Pool(2) as pool:
        durations = pool.map(_child_synth, [SENTENCE, "A short one.", SENTENCE, "Another."])
    assert all(d > 0.5 for d in durations)
    assert abs(durations[0] - durations[2]) < 0.05 * durations[0]


def test_write_wav_round_trips(tmp_path: Path) -> None:
    audio = get_engine().synthesize(SENTENCE, PROFILE)
    path = write_wav(audio, tmp_path / "deep" / "clip.wav")
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        assert wav.readframes(wav.getnframes()) == audio.pcm
    assert [p.name for p in path.parent.iterdir()] == ["clip.wav"]


def test_write_wav_to_unwritable_place_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write"):
        write_wav(Audio(b"\x00\x00", 22_050), blocker / "clip.wav")


def test_missing_espeak_library_is_one_line_with_the_fix(tmp_path: Path) -> None:
    """No system libespeak-ng and espeakng-loader unusable: one Error line, exit 3."""
    import subprocess
    import sys

    script = (
        "import sys, ctypes.util\n"
        "sys.modules['espeakng_loader'] = None  # its import now fails\n"
        "ctypes.util.find_library = lambda name: None  # and no system library\n"
        "from narrate.cli import main\n"
        f"main(['say', 'Hello there.', '-o', {str(tmp_path / 'x.wav')!r}], prog_name='narrate')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no espeak-ng library found")
    assert "pip install --force-reinstall espeakng-loader" in lines[0]
    assert not (tmp_path / "x.wav").exists()
