"""Voice profiles and pronunciation lexicons, loaded from TOML.

Profiles: one ``*.toml`` per profile in the built-in ``voices/`` directory (shipped
as the ``narrate_voices`` package) and in any user directories; a user profile
with the same ``id`` replaces the built-in one. Lexicons map a word to a
respelling (``Rokudaime = "Roh-koo-dye-meh"``) or to espeak phonemes written
``"[[r'oUk@daIme]]"``; they are applied by ``narrate.speech.speech_text``.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from narrate.errors import InputError
from narrate.model import Audio, VoiceProfile

LEXICON_FILE = "lexicon.toml"
_FIELDS = {
    "id", "engine", "voice", "rate", "pitch", "volume",
    "gender", "description", "language", "role",
}  # fmt: skip
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def builtin_voices_dir() -> Path:
    """The shipped ``voices/`` directory.

    In a source checkout (and an editable install) it sits next to the package;
    a regular install maps it onto the ``narrate_voices`` package.
    """
    beside = Path(__file__).resolve().parent.parent / "voices"
    if any(beside.glob("*.toml")):
        return beside
    # A data-only (namespace) package: its folder is the spec's search location.
    spec = importlib.util.find_spec("narrate_voices")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return beside


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(path, "file not found", "check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not valid TOML ({exc})", "fix the syntax at that line") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})", "check permissions") from None


def _profile(path: Path, data: dict[str, Any]) -> VoiceProfile:
    fix = "see voices/narrator.toml for a complete example"
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise InputError(path, f"unknown key(s) {', '.join(unknown)}", f"remove them; {fix}")
    for key in ("id", "voice"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise InputError(path, f"missing or empty `{key}`", fix)
    if not _ID.match(data["id"]):
        raise InputError(
            path, f"id {data['id']!r} has spaces or symbols", "use letters, digits, - _ ."
        )

    def number(key: str, low: float, high: float, default: float, kind: type) -> Any:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(path, f"`{key}` must be a number", fix)
        if kind is int and not float(value).is_integer():
            raise InputError(path, f"`{key}` must be a whole number", fix)
        if not low <= value <= high:
            raise InputError(path, f"`{key}` = {value} is outside {low:g}-{high:g}", fix)
        return kind(value)

    gender = data.get("gender", "unknown")
    if gender not in ("female", "male", "unknown"):
        raise InputError(path, f"gender {gender!r} is not female, male or unknown", fix)
    role = data.get("role", "character")
    if role not in ("narrator", "character"):
        raise InputError(path, f"role {role!r} is not narrator or character", fix)
    for key in ("engine", "description", "language"):
        if key in data and not isinstance(data[key], str):
            raise InputError(path, f"`{key}` must be a string", fix)
    return VoiceProfile(
        id=data["id"],
        engine=data.get("engine", "espeak"),
        voice=data["voice"],
        rate=number("rate", 80, 450, 170, int),
        pitch=number("pitch", 0, 99, 50, int),
        volume=number("volume", 0.0, 1.0, 1.0, float),
        gender=gender,
        description=data.get("description", ""),
        language=data.get("language", "en"),
        role=role,
    )


def _profiles_in(folder: Path) -> dict[str, VoiceProfile]:
    if not folder.is_dir():
        raise InputError(
            folder, "is not a directory of voice profiles", "pass a folder of *.toml files"
        )
    found: dict[str, VoiceProfile] = {}
    where: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == LEXICON_FILE or path.name.endswith(".lexicon.toml"):
            continue
        profile = _profile(path, _read_toml(path))
        if profile.id in found:
            raise InputError(
                path,
                f"id {profile.id!r} is also used by {where[profile.id].name}",
                "give each profile its own id",
            )
        found[profile.id] = profile
        where[profile.id] = path
    return found


def load_profiles(extra_dirs: Sequence[Path] = ()) -> dict[str, VoiceProfile]:
    """Built-in profiles, then each user directory in order (later ids replace earlier).

    Sorted by id, narrator profiles first. Raises InputError naming the file for
    any invalid profile, so a typo never silently falls back to a default voice.
    """
    profiles = _profiles_in(builtin_voices_dir())
    for folder in extra_dirs:
        profiles.update(_profiles_in(Path(folder)))
    order = sorted(profiles.values(), key=lambda p: (p.role != "narrator", p.id))
    return {p.id: p for p in order}


# -- lexicon ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Word -> respelling or ``[[phonemes]]``; later entries win over earlier ones.

    Matching is whole-word (``Naruto`` does not touch ``Narutomaki``; it does
    touch ``Naruto's`` and ``Naruto-kun``) and case-aware: a key written all in
    lower case matches any capitalisation, a key with a capital letter matches
    only that spelling or its ALL-CAPS form (so ``US = "U S"`` leaves the pronoun
    "us" alone, while ``Sakura`` also covers a shouted ``SAKURA``).
    """

    entries: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> Lexicon:
        return cls(tuple(mapping.items()))

    def merged(self, other: Lexicon | Mapping[str, str]) -> Lexicon:
        more = other.entries if isinstance(other, Lexicon) else tuple(other.items())
        table = dict(self.entries)
        for key, value in more:
            table.pop(key, None)  # re-insert so the newer entry is also last
            table[key] = value
        return Lexicon(tuple(table.items()))

    def __bool__(self) -> bool:
        return bool(self.entries)

    @cached_property
    def _exact(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for key, value in self.entries:
            if key != key.lower():
                table.setdefault(key.upper(), value)
        for key, value in self.entries:
            if key != key.lower():
                table[key] = value  # an exact spelling beats another key's caps form
        return table

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {k.casefold(): v for k, v in self.entries if k == k.lower()}

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        keys = sorted({k for k, _ in self.entries}, key=len, reverse=True)
        alternation = "|".join(re.escape(k) for k in keys)
        return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)

    def lookup(self, word: str) -> str | None:
        """The replacement for ``word`` as it appears in text, honouring case rules."""
        if word in self._exact:
            return self._exact[word]
        return self._folded.get(word.casefold())

    def replace(self, text: str, wrap: Any = None) -> str:
        """``text`` with every entry replaced; ``wrap(value)`` may transform each value."""
        pattern = self.pattern
        if pattern is None:
            return text

        def substitute(match: re.Match[str]) -> str:
            value = self.lookup(match.group(0))
            if value is None:  # matched only case-insensitively an exact-case key
                return match.group(0)
            return wrap(value) if wrap else value

        return pattern.sub(substitute, text)


def _lexicon_entries(path: Path, data: Mapping[str, Any]) -> dict[str, str]:
    table = data.get("lexicon", data) if isinstance(data.get("lexicon"), dict) else data
    entries: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise InputError(
                path,
                f"lexicon entry {key!r} must be a non-empty string",
                'write it as word = "respelling"',
            )
        if not key.strip() or key != key.strip():
            raise InputError(
                path,
                f"lexicon key {key!r} is empty or padded",
                "write the word exactly as in the text",
            )
        if value.count("[[") != value.count("]]"):
            raise InputError(
                path, f"lexicon entry {key!r} has unbalanced [[ ]]", "write phonemes as [[...]]"
            )
        entries[key] = value
    return entries


def load_lexicon(
    paths: Iterable[Path] = (), extra: Mapping[str, str] | None = None, builtin: bool = True
) -> Lexicon:
    """The built-in lexicon, then each file in ``paths``, then ``extra`` (e.g. a cast
    file's ``[lexicon]`` table): later entries win. A file is either top-level
    ``word = "respelling"`` pairs or has them under ``[lexicon]``.
    """
    lexicon = Lexicon()
    if builtin:
        own = builtin_voices_dir() / LEXICON_FILE
        if own.is_file():
            lexicon = lexicon.merged(_lexicon_entries(own, _read_toml(own)))
    for path in paths:
        path = Path(path)
        lexicon = lexicon.merged(_lexicon_entries(path, _read_toml(path)))
    if extra:
        lexicon = lexicon.merged(_lexicon_entries(Path("<cast file>"), dict(extra)))
    return lexicon


def work_lexicon_path(work: Path) -> Path:
    """Where a work's own lexicon lives: ``story.txt`` -> ``story.lexicon.toml``."""
    return work.with_name(f"{work.stem}.lexicon.toml")


def lexicon_for_work(work: Path, cast_entries: Mapping[str, str] | None = None) -> Lexicon:
    """Built-in + ``<work>.lexicon.toml`` when present + the cast file's entries."""
    own = work_lexicon_path(work)
    return load_lexicon([own] if own.is_file() else [], extra=cast_entries)


# -- measuring a voice -----------------------------------------------------------------------


def median_pitch_hz(audio: Audio, low: float = 60.0, high: float = 450.0) -> float:
    """Median fundamental frequency of the voiced frames (autocorrelation), 0.0 if none.

    Good enough to tell voices apart and to check female voices sit above male
    ones; not a general pitch tracker.
    """
    import numpy as np

    x = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    rate = audio.sample_rate
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    shortest, longest = int(rate / high), int(rate / low)
    if len(x) < frame or not x.any():
        return 0.0
    loud = 0.05 * float(np.abs(x).max())
    found: list[float] = []
    for start in range(0, len(x) - frame, hop):
        f = x[start : start + frame]
        if np.sqrt(np.mean(f * f)) < loud:
            continue
        f = f - f.mean()
        ac = np.correlate(f, f, "full")[frame - 1 :]
        if ac[0] <= 0:
            continue
        lag = int(np.argmax(ac[shortest:longest])) + shortest
        if ac[lag] / ac[0] > 0.5:  # clearly periodic: a voiced frame
            found.append(rate / lag)
    return float(np.median(found)) if found else 0.0


# -- listing, audition, say ------------------------------------------------------------------

SAMPLE_SENTENCE = (
    "The lanterns were already lit when she reached the bridge, "
    "and nobody there would tell her why."
)


def profile_rows(profiles: Mapping[str, VoiceProfile]) -> list[dict[str, Any]]:
    """JSON-ready rows, one per profile, in listing order."""
    return [
        {
            "id": p.id,
            "gender": p.gender,
            "engine": p.engine,
            "voice": p.voice,
            "rate": p.rate,
            "pitch": p.pitch,
            "volume": p.volume,
            "role": p.role,
            "language": p.language,
            "description": p.description,
        }
        for p in profiles.values()
    ]


def format_profiles(profiles: Mapping[str, VoiceProfile]) -> str:
    header = ("ID", "GENDER", "VOICE", "RATE", "PITCH", "DESCRIPTION")
    rows = [
        (
            p.id + (" *" if p.role == "narrator" else ""),
            p.gender,
            p.voice,
            str(p.rate),
            str(p.pitch),
            p.description,
        )
        for p in profiles.values()
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
        for r in [header, *rows]
    ]
    females = sum(p.gender == "female" for p in profiles.values())
    males = sum(p.gender == "male" for p in profiles.values())
    lines.append(f"{len(profiles)} profiles ({females} female, {males} male); * = narrator")
    return "\n".join(line.rstrip() for line in lines)


def pick_profiles(profiles: Mapping[str, VoiceProfile], ids: Sequence[str]) -> list[VoiceProfile]:
    """The named profiles (all when ``ids`` is empty); an unknown id is an InputError."""
    if not ids:
        return list(profiles.values())
    missing = [i for i in ids if i not in profiles]
    if missing:
        raise InputError(
            None,
            f"no voice profile {', '.join(map(repr, missing))}",
            f"choose from: {', '.join(profiles)} (see `narrate voices`)",
        )
    return [profiles[i] for i in ids]


def say(
    text: str,
    profile: VoiceProfile,
    out: Path,
    lexicon: Lexicon | None = None,
    engine: Any = None,
) -> tuple[Path, Audio, str]:
    """Speak ``text`` (made speech-ready with ``lexicon``) into the WAV ``out``.

    Returns (path, audio, the speech-ready text actually sent to the engine).
    """
    from narrate.engine import get_engine, write_wav
    from narrate.speech import speech_text

    spoken = speech_text(text, lexicon)
    if not spoken.strip():
        raise InputError(None, "the text has nothing to pronounce", "pass words to speak")
    engine = engine or get_engine(profile.engine)
    audio = engine.synthesize(spoken, profile)
    return write_wav(audio, out), audio, spoken


def audition(
    profiles: Sequence[VoiceProfile],
    out_dir: Path,
    text: str = SAMPLE_SENTENCE,
    engine: Any = None,
) -> list[tuple[VoiceProfile, Path, Audio]]:
    """Render ``text`` with each profile into ``out_dir/<id>.wav``."""
    from narrate.engine import get_engine, write_wav
    from narrate.speech import speech_text

    spoken = speech_text(text, load_lexicon())
    done = []
    for profile in profiles:
        audio = (engine or get_engine(profile.engine)).synthesize(spoken, profile)
        done.append((profile, write_wav(audio, out_dir / f"{profile.id}.wav"), audio))
    return done
