"""Audio plumbing checked against ffmpeg itself: loudness, frame counts, limiting."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrate import audio

RATE = 22050


def _tone(seconds: float, freq: float, amp: float) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    # a warble so the signal is not a single spectral line
    x = amp * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    return audio.to_pcm(x)


def test_loudness_matches_ffmpeg_ebur128(tmp_path: Path) -> None:
    for freq, amp in ((200.0, 0.3), (2500.0, 0.1)):
        pcm = _tone(4.0, freq, amp)
        mine = audio.gated_loudness(audio.block_energies(pcm, RATE))
        wav = tmp_path / "t.wav"
        audio.run_ffmpeg(["-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0", str(wav)],
                         what="wav", stdin=pcm)
        theirs, _ = audio.measure_file_loudness(wav)
        assert mine is not None and abs(mine - theirs) < 0.3, (freq, mine, theirs)


def test_segment_frame_counts_match_decoded_length(tmp_path: Path) -> None:
    n = audio.FRAME_ALIGN * 3
    pcm = _tone(n / RATE, 300, 0.2)
    for fmt in ("m4b", "mp3"):
        dest = tmp_path / f"seg.{fmt}"
        fed = audio.encode_stream([pcm[: len(pcm) // 2], pcm[len(pcm) // 2:]], RATE, fmt, "64k", dest)
        assert fed == n
        counted = audio.count_frames(dest, fmt)
        assert counted == n + audio.ENCODED_EXTRA[fmt]
        assert audio.decoded_samples(dest, RATE) == counted


def test_joined_segments_keep_exact_length(tmp_path: Path) -> None:
    parts = []
    for k in range(3):
        dest = tmp_path / f"p{k}.mp3"
        audio.encode_stream([_tone(audio.FRAME_ALIGN * (k + 1) / RATE, 250, 0.2)], RATE, "mp3", "64k", dest)
        parts.append(dest)
    joined = tmp_path / "all.mp3"
    audio.concat_files(parts, joined)
    expected = sum(audio.FRAME_ALIGN * (k + 1) + audio.ENCODED_EXTRA["mp3"] for k in range(3))
    assert audio.decoded_samples(joined, RATE) == expected


def test_limiter_holds_threshold_without_touching_quiet_parts() -> None:
    x = np.concatenate([0.05 * np.ones(2000), 0.95 * np.sin(np.arange(4000) * 0.2), 0.05 * np.ones(2000)])
    y = audio.limit_peaks(x, 0.5)
    assert np.max(np.abs(y)) <= 0.5 + 1e-9
    assert np.allclose(y[:1500], x[:1500]) and np.allclose(y[-1500:], x[-1500:])


def test_mastering_levels_clips_to_the_same_loudness() -> None:
    quiet, loud = _tone(3.0, 220, 0.05), _tone(3.0, 220, 0.6)
    levels = []
    for pcm in (quiet, loud):
        stats = audio.measure(pcm, RATE)
        out = audio.master(pcm, RATE, stats, audio.Mastering())
        levels.append(audio.gated_loudness(audio.block_energies(out, RATE)))
        peak = float(np.max(np.abs(audio.to_array(out))))
        assert peak <= audio.Mastering().limit + 1e-3
    assert levels[0] is not None and levels[1] is not None
    assert abs(levels[0] - levels[1]) < 0.3


def test_ffmetadata_escapes_and_uses_sample_timebase() -> None:
    text = audio.ffmetadata([(0, 44100, "A=B; #1"), (44100, 88200, "Two\\")], RATE, {})
    assert "TIMEBASE=1/22050" in text and "START=44100" in text
    assert "title=A\\=B\\; \\#1" in text and "title=Two\\\\" in text
