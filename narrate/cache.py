"""Content-addressed cache of synthesized clips and encoded segments.

A clip's key hashes everything that changes its audio (engine name and version,
every voice-profile value, the speech-ready text, the lexicon entries that apply),
so an unchanged re-render synthesizes nothing, a one-word edit re-synthesizes one
line and recasting a character only that character's lines. Encoded segments are
keyed on the hash of their clip list, pauses and encoder settings.

Every write goes to a temporary file in the same directory and is renamed into
place (``os.replace`` is atomic), so a render killed at any instant — SIGKILL
included — leaves only whole entries behind; leftover ``*.tmp`` files are
ignored and pruned. Reads touch the file's mtime so pruning by age drops the
least recently *used* entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrate.audio import DEFAULT_MASTERING, ClipStats, Floats32, Mastering, prepare_clip
from narrate.errors import OutputError
from narrate.model import Audio, VoiceProfile

# Bump when the entry layout changes: old entries are re-synthesized. NRC4: the
# PCM is the prepared clip (band-limited, levelled, limited) and its block peaks
# are stored before it.
_MAGIC = b"NRC4"
CACHE_ENV = "NARRATE_CACHE_DIR"


def default_cache_dir(explicit: Path | None = None) -> Path:
    """``explicit``, else $NARRATE_CACHE_DIR, else the platform's user cache dir.

    This is the one place in the library that reads the environment (documented
    in the README): defaults for where the cache lives.
    """
    if explicit is not None:
        return explicit
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "narrate"


def clip_key(
    engine: str,
    engine_version: str,
    profile: VoiceProfile,
    speech_text: str,
    lexicon: Mapping[str, str] | None = None,
    mastering: Mastering = DEFAULT_MASTERING,
) -> str:
    """Hash of everything that changes a clip's audio.

    Clips are stored prepared (levelled and limited, see audio.prepare_clip), so
    the mastering settings that shape them are part of the key too.

    The profile's ``id`` and ``description`` do not change the sound, so two
    profiles with the same values share clips; lexicon entries are included only
    when their word occurs in the text, so adding a pronunciation re-synthesizes
    only the lines that use it.
    """
    values = asdict(profile)
    values.pop("id", None)
    values.pop("description", None)
    lowered = speech_text.lower()
    entries = sorted((k, v) for k, v in (lexicon or {}).items() if k.lower() in lowered)
    payload = json.dumps(
        {
            "engine": engine,
            "version": engine_version,
            "profile": values,
            "text": speech_text,
            "lexicon": entries,
            "prepared": mastering.fingerprint(),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class CachedClip:
    pcm: bytes  # prepared: band-limited, levelled, limited
    sample_rate: int
    stats: ClipStats
    peaks: Floats32  # per audio.BLOCK samples: bound of the 4x oversampled peak

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2


@dataclass(frozen=True)
class ClipInfo:
    """A clip's header without its PCM: enough to lay out the timeline."""

    samples: int
    sample_rate: int
    stats: ClipStats


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            (root / "clips").mkdir(parents=True, exist_ok=True)
            (root / "segments").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create cache directory {root}: {exc.strerror}; pass --cache-dir DIR"
            ) from None

    def clip_path(self, key: str) -> Path:
        return self.root / "clips" / key[:2] / f"{key}.clip"

    def segment_path(self, key: str, fmt: str) -> Path:
        ext = "aac" if fmt == "m4b" else fmt
        return self.root / "segments" / key[:2] / f"{key}.{ext}"

    def has_clip(self, key: str) -> bool:
        try:
            with open(self.clip_path(key), "rb") as src:
                return src.read(4) == _MAGIC
        except OSError:
            return False

    def store_clip(
        self, key: str, audio: Audio, mastering: Mastering = DEFAULT_MASTERING
    ) -> ClipInfo:
        """Prepare a synthesized clip for ``mastering`` and store it under ``key``
        (which must come from clip_key with the same ``mastering``)."""
        prepared = prepare_clip(audio.pcm, audio.sample_rate, mastering)
        peaks = prepared.peaks.astype("<f4").tobytes()
        header = json.dumps(
            {
                "rate": audio.sample_rate,
                "samples": len(prepared.pcm) // 2,
                "peaks": len(peaks) // 4,
                **asdict(prepared.stats),
            }
        ).encode()
        atomic_write(
            self.clip_path(key),
            _MAGIC + struct.pack("<I", len(header)) + header + peaks + prepared.pcm,
        )
        return ClipInfo(len(prepared.pcm) // 2, audio.sample_rate, prepared.stats)

    def _read(self, key: str, with_pcm: bool) -> tuple[dict[str, Any], bytes]:
        path = self.clip_path(key)
        with open(path, "rb") as src:
            head = src.read(8)
            if len(head) < 8 or head[:4] != _MAGIC:  # has_clip() already filtered old versions
                raise OutputError(f"corrupt cache entry {path}; run `narrate cache --clear`")
            (size,) = struct.unpack("<I", head[4:])
            meta = json.loads(src.read(size))
            pcm = src.read() if with_pcm else b""
        with contextlib.suppress(OSError):
            os.utime(path)
        return meta, pcm

    def clip_info(self, key: str) -> ClipInfo:
        meta, _ = self._read(key, False)
        return ClipInfo(int(meta["samples"]), int(meta["rate"]), _stats(meta))

    def load_clip(self, key: str) -> CachedClip:
        meta, data = self._read(key, True)
        split = 4 * int(meta["peaks"])
        peaks = np.frombuffer(data[:split], dtype="<f4")
        return CachedClip(data[split:], int(meta["rate"]), _stats(meta), peaks)

    def find_segment(self, key: str, fmt: str) -> Path | None:
        path = self.segment_path(key, fmt)
        if path.is_file():
            with contextlib.suppress(OSError):
                os.utime(path)
            return path
        return None


def _stats(meta: Mapping[str, Any]) -> ClipStats:
    loudness = meta.get("loudness")
    subs = meta.get("subs") or ()
    assert isinstance(subs, (list, tuple))
    return ClipStats(
        None if loudness is None else float(loudness),
        float(meta["peak"] or 0.0),
        float(meta["true_peak"] or 0.0),
        float(meta.get("level") or 0.0),
        tuple(float(v) for v in subs),
    )


# --- maintenance (``narrate cache``) ---------------------------------------------------


def _entries(root: Path) -> Iterator[tuple[Path, os.stat_result]]:
    for sub in ("clips", "segments"):
        base = root / sub
        if not base.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                path = Path(dirpath) / name
                with contextlib.suppress(OSError):
                    yield path, path.stat()


@dataclass(frozen=True)
class Usage:
    clips: int
    segments: int
    bytes: int


def usage(root: Path) -> Usage:
    clips = segments = total = 0
    for path, st in _entries(root):
        total += st.st_size
        if path.suffix == ".clip":
            clips += 1
        elif not path.name.endswith(".tmp"):
            segments += 1
    return Usage(clips, segments, total)


def prune(
    root: Path,
    *,
    older_than_days: float | None = None,
    max_bytes: int | None = None,
    now: float | None = None,
) -> tuple[int, int]:
    """Remove stale temp files, entries unused for ``older_than_days``, then the
    least recently used entries until the cache fits in ``max_bytes``.
    Returns (files removed, bytes freed)."""
    now = time.time() if now is None else now
    removed = freed = 0
    kept: list[tuple[float, int, Path]] = []
    for path, st in _entries(root):
        stale_tmp = path.name.endswith(".tmp") and now - st.st_mtime > 3600
        too_old = older_than_days is not None and now - st.st_mtime > older_than_days * 86400
        if stale_tmp or too_old:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                freed += st.st_size
        else:
            kept.append((st.st_mtime, st.st_size, path))
    if max_bytes is not None:
        total = sum(size for _, size, _ in kept)
        for _mtime, size, path in sorted(kept):
            if total <= max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                freed += size
                total -= size
    return removed, freed


def clear(root: Path) -> tuple[int, int]:
    removed = freed = 0
    for path, st in list(_entries(root)):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
            freed += st.st_size
    return removed, freed


def parse_size(text: str) -> int:
    """``500M``, ``2G``, ``1.5GB``, ``800k``, ``1000`` -> bytes."""
    units = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    cleaned = text.strip().lower().removesuffix("ib").removesuffix("b")
    number = cleaned.rstrip("kmgt")
    unit = cleaned[len(number) :]
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (use e.g. 500M or 2G)") from None
    if unit not in units or value < 0:
        raise ValueError(f"not a size: {text!r} (use e.g. 500M or 2G)")
    return int(value * units[unit])


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
