"""Speech engines: text + voice profile -> checked 16-bit mono PCM.

Two layers. A *backend* makes one raw synthesis call and knows nothing about
checking (``EspeakBackend``: pyttsx3's ctypes bindings to libespeak-ng in
synchronous mode; ``Pyttsx3DriverBackend``: the platform driver on Windows and
macOS). ``CheckedEngine`` wraps any backend and is what the pipeline calls: it
splits long text, checks every clip (audio present, length plausible for the
words at the profile's rate), retries a failure once after resetting the
backend, and otherwise raises ``EngineError`` naming the text and the voice.
Text is never dropped: ``split_text`` pieces always join back to the input.

Why not ``pyttsx3.Engine.save_to_file`` + ``runAndWait`` on Linux: measured on
pyttsx3 2.99 it returns before synthesis ends on first use, cancels under load
leaving empty WAVs, keeps only the last of two queued files and segfaults on
texts over ~10k characters. The synchronous ctypes path worked 1,100/1,100.

Process safety: nothing is initialised at import. ``get_engine`` builds one
engine per process on first use (keyed by pid, so a forked child that inherited
a parent's engine builds its own); spawn workers simply import and call it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import importlib.metadata
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from narrate.errors import EngineError
from narrate.model import Audio, VoiceProfile

SAMPLE_RATE = 22_050
# Longest text handed to one backend call. pyttsx3's espeak path crashed above
# ~10k characters; 1,000 keeps every call far from that, keeps a retry cheap,
# and always leaves a sentence or clause boundary to split at in real prose.
MAX_CHARS = 1_000
# Text with nothing to pronounce ("...", "—") becomes this much silence.
PAUSE_SECONDS = 0.3

_WORD = re.compile(r"\[\[.*?\]\]|[^\W_]+(?:['’][^\W_]+)*")
_DIGITS = re.compile(r"\d")
_SPEAKABLE = re.compile(r"[^\W_]")


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a speech engine (small, like piper's)."""

    name: str

    def version(self) -> str:
        """Identifies the exact synthesizer build; part of every cache key."""
        ...

    def voices(self) -> list[str]:
        """Engine voice names a profile's ``voice`` may use."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Speak ``text`` (already speech-ready) with ``profile``; checked audio."""
        ...


class Backend(Protocol):
    """One unchecked synthesis call. Implement this to plug in a new engine."""

    name: str

    def version(self) -> str: ...

    def voices(self) -> list[str]: ...

    def render(self, text: str, profile: VoiceProfile) -> Audio:
        """Synthesize ``text`` (at most ``MAX_CHARS``) in one call."""
        ...

    def reset(self) -> None:
        """Drop and rebuild native state before a retry."""
        ...


class VoiceNotFound(EngineError):
    """A profile names a voice the engine does not have: retrying cannot help."""


class EngineUnavailable(EngineError):
    """The engine itself is missing or cannot start: the fix is an install, not a retry."""


# -- text splitting and clip checks ----------------------------------------------------------

_BOUNDARIES = (
    re.compile(r"[.!?…][\"'”’)\]]*\s+"),  # sentence end
    re.compile(r"[,;:—–)][\"'”’]*\s+"),  # clause end
    re.compile(r"\s+"),  # any word gap
)


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` whose concatenation is ``text``.

    Prefers the last sentence end inside the window, then a clause end, then any
    space; only a single unbroken run longer than ``max_chars`` is cut mid-word.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    pieces: list[str] = []
    rest = text
    while len(rest) > max_chars:
        window = rest[: max_chars + 1]
        cut = 0
        for boundary in _BOUNDARIES:
            ends = [m.end() for m in boundary.finditer(window) if m.end() <= max_chars]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = max_chars
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def count_words(text: str) -> int:
    """Spoken-word estimate: words, with each digit counted as one (numbers expand)."""
    words = _WORD.findall(text)
    return len(words) + len(_DIGITS.findall(text))


def expected_seconds(text: str, rate: int) -> tuple[float, float]:
    """(shortest, longest) plausible duration of ``text`` spoken at ``rate`` wpm.

    Wide on purpose: the check exists to catch empty, truncated or runaway clips,
    not to judge pacing. espeak keeps to the requested rate within ~20%.
    """
    words = len(_WORD.findall(text))
    digits = len(_DIGITS.findall(text))
    nominal = words * 60.0 / max(rate, 1)
    shortest = 0.3 * nominal
    longest = 3.0 * (words + digits * 2) * 60.0 / max(rate, 1) + 2.0
    return shortest, longest


def _peak(pcm: bytes) -> int:
    import numpy as np

    if len(pcm) < 2:
        return 0
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2")
    return int(np.abs(samples.astype(np.int32)).max())


def check_clip(text: str, profile: VoiceProfile, audio: Audio) -> str | None:
    """Why ``audio`` is not a plausible rendering of ``text``, or None if it is."""
    if audio.sample_rate <= 0:
        return f"bad sample rate {audio.sample_rate}"
    if audio.samples == 0:
        return "no audio"
    shortest, longest = expected_seconds(text, profile.rate)
    if audio.seconds < shortest:
        return f"audio too short ({audio.seconds:.2f}s, expected at least {shortest:.2f}s)"
    if audio.seconds > longest:
        return f"audio too long ({audio.seconds:.2f}s, expected at most {longest:.2f}s)"
    if profile.volume > 0 and _peak(audio.pcm) < 100:
        return "audio is silent"
    return None


def silence(seconds: float, sample_rate: int = SAMPLE_RATE) -> Audio:
    return Audio(b"\x00\x00" * round(seconds * sample_rate), sample_rate)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


class CheckedEngine:
    """Wraps a backend: split, check, retry once, then fail loudly."""

    def __init__(self, backend: Backend, max_chars: int = MAX_CHARS) -> None:
        self.backend = backend
        self.name = backend.name
        self.max_chars = max_chars

    def version(self) -> str:
        return self.backend.version()

    def voices(self) -> list[str]:
        return self.backend.voices()

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        if not _SPEAKABLE.search(text):
            return silence(PAUSE_SECONDS)
        parts = [self._one(piece, profile) for piece in split_text(text, self.max_chars)]
        parts = [p for p in parts if p.samples]
        rates = {p.sample_rate for p in parts}
        if len(rates) != 1:
            raise EngineError(
                f'engine {self.name} returned mixed sample rates {sorted(rates)} for "{_excerpt(text)}"'
            )
        return Audio(b"".join(p.pcm for p in parts), rates.pop())

    def _one(self, text: str, profile: VoiceProfile) -> Audio:
        if not _SPEAKABLE.search(text):
            return silence(PAUSE_SECONDS)
        problem = ""
        for attempt in range(2):
            if attempt:
                self.backend.reset()
            try:
                audio = self.backend.render(text, profile)
            except (VoiceNotFound, EngineUnavailable):
                raise
            except EngineError as exc:
                problem = str(exc)
                continue
            except (OSError, RuntimeError, ValueError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            reason = check_clip(text, profile, audio)
            if reason is None:
                return audio
            problem = reason
        raise EngineError(
            f'could not synthesize "{_excerpt(text)}" with voice {profile.id} '
            f"({profile.engine} {profile.voice}) after a retry: {problem}"
        )


# -- espeak-ng through pyttsx3's ctypes bindings ----------------------------------------------

_ESPEAK_FIX = (
    "reinstall narrate's dependencies (pip install --force-reinstall espeakng-loader pyttsx3) "
    "or install espeak-ng from your package manager"
)


def _load_espeak_module() -> tuple[Any, str | None, str]:
    """Import ``pyttsx3.drivers._espeak`` bound to a working libespeak-ng.

    Returns (module, data_path, origin). A system library is preferred; otherwise
    the one bundled in espeakng-loader is loaded RTLD_GLOBAL *before* the import,
    because ``_espeak`` dlopens by soname at import time and then finds it.
    """
    if "pyttsx3.drivers._espeak" in sys.modules:
        module = sys.modules["pyttsx3.drivers._espeak"]
        return module, _ESPEAK_ORIGIN.get("data"), _ESPEAK_ORIGIN.get("origin", "system")
    origin = "system"
    data: str | None = None
    if ctypes.util.find_library("espeak-ng") is None:
        try:
            import espeakng_loader

            library = espeakng_loader.get_library_path()
            # Initialize wants the directory that *contains* espeak-ng-data.
            data = str(Path(espeakng_loader.get_data_path()).parent)
            ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
        except (ImportError, OSError, RuntimeError) as exc:
            raise EngineUnavailable(f"no espeak-ng library found ({exc}); {_ESPEAK_FIX}") from None
        origin = "bundled"
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError, RuntimeError) as exc:
        raise EngineUnavailable(
            f"cannot load espeak-ng via pyttsx3 ({exc}); {_ESPEAK_FIX}"
        ) from None
    _ESPEAK_ORIGIN.update({"origin": origin, **({"data": data} if data else {})})
    return _espeak, data, origin


# Which library the (process-wide, import-once) bindings were bound to.
_ESPEAK_ORIGIN: dict[str, str] = {}


class EspeakBackend:
    """libespeak-ng in AUDIO_OUTPUT_SYNCHRONOUS mode: ``Synth`` returns when done."""

    name = "espeak"

    def __init__(self) -> None:
        self._module: Any = None
        self._data: str | None = None
        self._origin = ""
        self._rate = 0
        self._chunks: list[bytes] = []
        self._callback: Callable[..., int] | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> Any:
        if self._module is None:
            module, data, origin = _load_espeak_module()
            self._module, self._data, self._origin = module, data, origin
            self._initialize()
        return self._module

    def _initialize(self) -> None:
        e = self._module
        path = self._data.encode() if self._data else None
        rate = e.Initialize(e.AUDIO_OUTPUT_SYNCHRONOUS, 1000, path, 0)
        if rate <= 0:
            raise EngineUnavailable(
                f"espeak-ng failed to initialise (data {self._data}); {_ESPEAK_FIX}"
            )
        self._rate = int(rate)

        def collect(wav: Any, count: int, _events: Any) -> int:
            if wav and count > 0:
                self._chunks.append(ctypes.string_at(wav, count * 2))
            return 0

        self._callback = collect

    def version(self) -> str:
        e = self._ensure()
        lib = e.Info(None).decode("ascii", "replace")
        return f"espeak-ng {lib} ({self._origin}); pyttsx3 {importlib.metadata.version('pyttsx3')}"

    def voices(self) -> list[str]:
        e = self._ensure()
        names: set[str] = set()
        with self._lock:
            for voice in e.ListVoices(None):
                # SetVoiceByName matches the voice file's name ("gmw/en-GB-scotland"
                # -> "en-gb-scotland"), not its language code ("en-gb" fails).
                identifier = (voice.identifier or b"").decode("ascii", "replace")
                if identifier:
                    names.add(identifier.rsplit("/", 1)[-1].lower())
        variants = self._variants()
        return sorted(names) + [f"+{v}" for v in variants]

    def _variants(self) -> list[str]:
        data = self._data
        if data is None:
            return []
        folder = Path(data) / "espeak-ng-data" / "voices" / "!v"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def render(self, text: str, profile: VoiceProfile) -> Audio:
        e = self._ensure()
        with self._lock:
            if e.SetVoiceByName(profile.voice.encode()) != e.EE_OK:
                raise VoiceNotFound(
                    f"voice profile {profile.id}: espeak-ng has no voice {profile.voice!r}; "
                    "use a name from `narrate voices --engine-voices`, e.g. en-us+f3"
                )
            # Pitch must be set after the voice, which resets it.
            e.SetParameter(e.RATE, int(profile.rate), 0)
            e.SetParameter(e.PITCH, int(profile.pitch), 0)
            e.SetParameter(e.VOLUME, round(profile.volume * 100), 0)
            self._chunks = []
            e.SetSynthCallback(self._callback)
            flags = e.CHARS_UTF8 | e.ENDPAUSE | e.PHONEMES  # PHONEMES: [[...]] from lexicons
            status = e.Synth(text, flags=flags)
            pcm = b"".join(self._chunks)
            self._chunks = []
        if status != e.EE_OK:
            raise EngineError(f"espeak_Synth returned {status}")
        return Audio(pcm, self._rate)

    def reset(self) -> None:
        if self._module is not None:
            with self._lock:
                self._initialize()

    def phonemes(self, text: str, voice: str = "en-us") -> str:
        """espeak's own IPA reading of ``text``: how we check what it says without listening."""
        e = self._ensure()
        fn = e.dll.espeak_TextToPhonemes
        fn.restype = ctypes.c_char_p
        fn.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        with self._lock:
            e.SetVoiceByName(voice.encode())
            buffer = ctypes.create_string_buffer(text.encode("utf-8"))
            pointer = ctypes.c_void_p(ctypes.addressof(buffer))
            clauses: list[str] = []
            while pointer.value:
                out = fn(ctypes.byref(pointer), e.CHARS_UTF8, 0x02)  # 0x02: IPA output
                clauses.append((out or b"").decode("utf-8", "replace"))
        return " | ".join(clauses)


# -- pyttsx3 platform drivers (Windows SAPI5, macOS NSSpeechSynthesizer) ---------------------


class Pyttsx3DriverBackend:
    """The platform voice through pyttsx3, one file per ``runAndWait``, each file checked.

    Cannot be exercised on the Linux CI; kept separate so its care stays local.
    espeak profiles (``en-us+f3``) are mapped onto a platform voice of the
    profile's gender, chosen deterministically from the profile id; a profile
    whose ``voice`` is a platform voice id or name uses that voice exactly.
    The file (WAV from SAPI, AIFF from macOS whatever the suffix) is decoded to
    16-bit mono 22,050 Hz with the bundled ffmpeg, so every backend returns the
    same format. Pitch is not supported by these drivers and is ignored.
    """

    name = "pyttsx3"

    def __init__(self, driver: str | None = None) -> None:
        self._driver = driver
        self._engine: Any = None

    def _ensure(self) -> Any:
        if self._engine is None:
            try:
                import pyttsx3

                self._engine = pyttsx3.init(self._driver) if self._driver else pyttsx3.init()
            except Exception as exc:  # pyttsx3 raises bare Exceptions from drivers
                raise EngineUnavailable(
                    f"cannot start the system speech driver via pyttsx3 ({exc}); "
                    "reinstall pyttsx3 or use the espeak engine"
                ) from None
        return self._engine

    def version(self) -> str:
        self._ensure()
        return f"pyttsx3 {importlib.metadata.version('pyttsx3')} ({sys.platform} driver)"

    def voices(self) -> list[str]:
        return [str(v.id) for v in self._ensure().getProperty("voices")]

    def _pick_voice(self, profile: VoiceProfile) -> str:
        available = list(self._ensure().getProperty("voices"))
        if not available:
            raise EngineError("the system speech driver lists no voices; install a system voice")
        for v in available:
            if profile.voice in (str(v.id), str(getattr(v, "name", ""))):
                return str(v.id)
        wanted = profile.gender

        def gender_of(v: Any) -> str:
            g = str(getattr(v, "gender", "") or "").lower()
            if g.startswith(("female", "vf")):
                return "female"
            if g.startswith(("male", "vm")):
                return "male"
            return "unknown"

        english = [v for v in available if "en" in " ".join(map(str, v.languages or [])).lower()]
        pool = english or available
        matching = [v for v in pool if gender_of(v) == wanted] or pool
        digest = int(hashlib.sha256(profile.id.encode()).hexdigest(), 16)
        return str(matching[digest % len(matching)].id)

    def render(self, text: str, profile: VoiceProfile) -> Audio:
        engine = self._ensure()
        engine.setProperty("voice", self._pick_voice(profile))
        engine.setProperty("rate", int(profile.rate))
        engine.setProperty("volume", float(profile.volume))
        with tempfile.TemporaryDirectory(prefix="narrate-tts-") as tmp:
            target = Path(tmp) / "clip.wav"
            engine.save_to_file(text, str(target))
            engine.runAndWait()  # exactly one file per runAndWait
            _wait_until_stable(target, timeout=max(10.0, len(text) / 5))
            return _decode_with_ffmpeg(target)

    def reset(self) -> None:
        if self._engine is not None:
            with contextlib.suppress(Exception):  # the driver is discarded either way
                self._engine.stop()
        self._engine = None


def _wait_until_stable(path: Path, timeout: float) -> None:
    """Some drivers finish writing after runAndWait returns: wait for the size to settle."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last:
            return
        last = size
        time.sleep(0.1)
    raise EngineError(f"the speech driver wrote no audio file within {timeout:.0f}s")


def _decode_with_ffmpeg(path: Path) -> Audio:
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
    command += ["-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        raise EngineError(f"could not decode the driver's audio: {done.stderr.decode()[-200:]}")
    return Audio(done.stdout, SAMPLE_RATE)


# -- choosing an engine ----------------------------------------------------------------------

ENGINES = ("espeak", "pyttsx3")
_PER_PROCESS: dict[tuple[int, str], CheckedEngine] = {}


def get_engine(name: str = "espeak") -> Engine:
    """The engine called ``name`` for this process, built on first use.

    Cheap to call repeatedly (workers call it per clip). Raises EngineError for an
    unknown name; a missing library surfaces on first use with the fix.
    On Windows and macOS, where pyttsx3's espeak bindings only find a system
    espeak-ng, "espeak" falls back to the platform driver when none is installed.
    """
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    key = (os.getpid(), name)
    engine = _PER_PROCESS.get(key)
    if engine is None:
        backend: Backend
        if name == "espeak" and sys.platform in ("win32", "darwin") and not _has_system_espeak():
            backend = Pyttsx3DriverBackend()
        elif name == "espeak":
            backend = EspeakBackend()
        else:
            backend = Pyttsx3DriverBackend()
        engine = CheckedEngine(backend)
        # Drop engines inherited from a parent process through fork.
        for stale in [k for k in _PER_PROCESS if k[0] != key[0]]:
            del _PER_PROCESS[stale]
        _PER_PROCESS[key] = engine
    return engine


def _has_system_espeak() -> bool:
    return (
        ctypes.util.find_library("espeak-ng") is not None
        or ctypes.util.find_library("espeak") is not None
    )


def write_wav(audio: Audio, path: Path) -> Path:
    """Write ``audio`` as a 16-bit mono WAV via a temp file + rename (no partial files)."""
    import wave

    from narrate.errors import OutputError

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        try:
            with wave.open(tmp, "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(audio.sample_rate)
                out.writeframes(audio.pcm)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; a WAV is meant to be shared
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror}); check the folder exists and is writable"
        ) from None
    return path
