"""The clip cache: keys, atomic entries, pruning, and the `narrate cache` command."""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate import cache
from narrate.audio import Mastering, prepare_clip, to_pcm
from narrate.cli import main
from narrate.model import Audio, VoiceProfile

NARRATOR = VoiceProfile("narrator", "espeak", "en-us", role="narrator")


def test_key_changes_with_everything_that_changes_audio() -> None:
    base = cache.clip_key("espeak", "1.52", NARRATOR, "Hello there.")
    assert base == cache.clip_key("espeak", "1.52", NARRATOR, "Hello there.")
    assert base != cache.clip_key("espeak", "1.53", NARRATOR, "Hello there.")
    assert base != cache.clip_key("espeak", "1.52", NARRATOR, "Hello there!")
    faster = VoiceProfile("narrator", "espeak", "en-us", rate=200, role="narrator")
    assert base != cache.clip_key("espeak", "1.52", faster, "Hello there.")
    # renaming a profile or editing its description does not change the sound
    renamed = VoiceProfile("other", "espeak", "en-us", description="x", role="narrator")
    assert base == cache.clip_key("espeak", "1.52", renamed, "Hello there.")
    # lexicon entries count only when their word is in the text
    assert base == cache.clip_key("espeak", "1.52", NARRATOR, "Hello there.", {"Aske": "Ask"})
    assert base != cache.clip_key("espeak", "1.52", NARRATOR, "Hello there.", {"there": "thair"})
    # clips are stored levelled and limited: the settings that shape them count,
    # the book offset and the limiter trim (applied at encode time) do not
    assert base == cache.clip_key("espeak", "1.52", NARRATOR, "Hello there.", None, Mastering())
    assert base != cache.clip_key(
        "espeak", "1.52", NARRATOR, "Hello there.", None, Mastering(target=-16.0)
    )
    assert base != cache.clip_key(
        "espeak", "1.52", NARRATOR, "Hello there.", None, Mastering(encoder_headroom=0.0)
    )
    assert base == cache.clip_key(
        "espeak", "1.52", NARRATOR, "Hello there.", None, Mastering(offset=-0.4, trim=1.0)
    )


def test_store_and_load_roundtrip(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path)
    t = np.arange(30000) / 22050
    pcm = to_pcm(0.3 * np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)))
    info = store.store_clip("ab" * 20, Audio(pcm, 22050))
    assert store.has_clip("ab" * 20) and info.samples == len(pcm) // 2
    clip = store.load_clip("ab" * 20)
    prepared = prepare_clip(pcm, 22050)  # what is stored: the clip ready for the book
    assert clip.pcm == prepared.pcm and clip.pcm != pcm
    assert np.array_equal(clip.peaks, prepared.peaks) and len(clip.peaks) == -(-len(t) // 32)
    assert clip.sample_rate == 22050 and clip.stats == prepared.stats == info.stats
    assert store.clip_info("ab" * 20) == info
    assert not list(tmp_path.rglob("*.tmp"))


def test_entries_of_the_raw_clip_format_are_not_hits(tmp_path: Path) -> None:
    # NRC3 entries held the raw clip: reusing one now would skip its levelling
    store = cache.Cache(tmp_path)
    path = store.clip_path("aa" * 20)
    path.parent.mkdir(parents=True)
    header = b'{"rate": 22050, "samples": 2, "loudness": null, "peak": 0, "true_peak": 0}'
    path.write_bytes(b"NRC3" + struct.pack("<I", len(header)) + header + b"\0" * 4)
    assert not store.has_clip("aa" * 20)


def test_partial_or_foreign_file_is_not_a_hit(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path)
    path = store.clip_path("cd" * 20)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage")
    assert not store.has_clip("cd" * 20)


def test_default_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path / "env"))
    assert cache.default_cache_dir(tmp_path / "flag") == tmp_path / "flag"
    assert cache.default_cache_dir() == tmp_path / "env"
    monkeypatch.delenv("NARRATE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_cache_dir() == tmp_path / "xdg" / "narrate"


def test_prune_by_age_and_size(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path)
    now = time.time()
    for i in range(4):
        store.store_clip(f"{i:02d}" * 20, Audio(b"\x01\x00" * 10000, 22050))
        os.utime(store.clip_path(f"{i:02d}" * 20), (now - i * 86400 * 10, now - i * 86400 * 10))
    removed, _ = cache.prune(tmp_path, older_than_days=15, now=now)
    assert removed == 2 and cache.usage(tmp_path).clips == 2
    size = cache.usage(tmp_path).bytes
    removed, freed = cache.prune(tmp_path, max_bytes=size // 2 + 1, now=now)
    assert removed == 1 and freed > 0
    assert store.has_clip("00" * 20)  # the most recently used entry stays


def test_parse_size() -> None:
    assert cache.parse_size("500M") == 500 << 20
    assert cache.parse_size("2GB") == 2 << 30
    assert cache.parse_size("1.5g") == int(1.5 * (1 << 30))
    with pytest.raises(ValueError):
        cache.parse_size("lots")


def test_cache_command(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path)
    store.store_clip("ef" * 20, Audio(b"\x01\x00" * 1000, 22050))
    shown = CliRunner().invoke(main, ["cache", "--cache-dir", str(tmp_path)])
    assert shown.exit_code == 0 and "1 clips" in shown.output
    bad = CliRunner().invoke(
        main, ["cache", "--cache-dir", str(tmp_path), "--prune", "--max-size", "lots"]
    )
    assert bad.exit_code == 2 and "not a size" in bad.output
    cleared = CliRunner().invoke(main, ["cache", "--cache-dir", str(tmp_path), "--clear"])
    assert cleared.exit_code == 0 and "0 clips" in cleared.output
