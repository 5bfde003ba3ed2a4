"""Audio plumbing checked against ffmpeg itself: loudness, frame counts, limiting."""

from __future__ import annotations

from dataclasses import replace
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
        audio.run_ffmpeg(
            ["-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0", str(wav)],
            what="wav",
            stdin=pcm,
        )
        theirs, _ = audio.measure_file_loudness(wav)
        assert mine is not None and abs(mine - theirs) < 0.3, (freq, mine, theirs)


def test_segment_frame_counts_match_decoded_length(tmp_path: Path) -> None:
    n = audio.FRAME_ALIGN * 3
    pcm = _tone(n / RATE, 300, 0.2)
    for fmt in ("m4b", "mp3"):
        dest = tmp_path / f"seg.{fmt}"
        fed = audio.encode_stream(
            [pcm[: len(pcm) // 2], pcm[len(pcm) // 2 :]], RATE, fmt, "64k", dest
        )
        assert fed == n
        counted = audio.count_frames(dest, fmt)
        assert counted == n + audio.ENCODED_EXTRA[fmt]
        assert audio.decoded_samples(dest, RATE) == counted


def test_joined_segments_keep_exact_length(tmp_path: Path) -> None:
    parts = []
    for k in range(3):
        dest = tmp_path / f"p{k}.mp3"
        audio.encode_stream(
            [_tone(audio.FRAME_ALIGN * (k + 1) / RATE, 250, 0.2)], RATE, "mp3", "64k", dest
        )
        parts.append(dest)
    joined = tmp_path / "all.mp3"
    audio.concat_files(parts, joined)
    expected = sum(audio.FRAME_ALIGN * (k + 1) + audio.ENCODED_EXTRA["mp3"] for k in range(3))
    assert audio.decoded_samples(joined, RATE) == expected


def test_limiter_holds_threshold_without_touching_quiet_parts() -> None:
    x = np.concatenate(
        [0.05 * np.ones(2000), 0.95 * np.sin(np.arange(4000) * 0.2), 0.05 * np.ones(2000)]
    )
    y = audio.limit_peaks(x, 0.5)
    assert np.max(np.abs(y)) <= 0.5 + 1e-9
    assert np.allclose(y[:1500], x[:1500]) and np.allclose(y[-1500:], x[-1500:])


def _buzz(seconds: float, amp: float) -> bytes:
    """Speech-like test signal: a 120 Hz pulse train under a syllable-rate
    envelope, its peaks ~15.5 dB above its loudness (like espeak's voicing: more
    than the 13 dB between the level and the limiter, so the limiter works)."""
    t = np.arange(int(seconds * RATE)) / RATE
    pulses = np.zeros(len(t))
    pulses[:: RATE // 120] = 1.0
    voiced = np.convolve(pulses, np.hanning(40), mode="same")
    voiced -= voiced.mean()
    return audio.to_pcm(amp * voiced * (0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)))


def _oversampled_peak(pcm: bytes) -> float:
    x = audio.to_array(pcm)
    return float(np.max(np.abs(np.fft.irfft(np.fft.rfft(x), 8 * len(x)) * 8)))


def test_prepared_clips_are_levelled_limited_and_measure_so_in_ffmpeg(tmp_path: Path) -> None:
    m = audio.Mastering()
    for pcm in (_tone(3.0, 220, 0.05), _tone(3.0, 220, 0.6), _buzz(4.0, 0.15), _buzz(4.0, 0.9)):
        prepared = audio.prepare_clip(pcm, RATE, m)
        assert len(prepared.pcm) == len(pcm)
        wav = tmp_path / "p.wav"
        audio.run_ffmpeg(
            ["-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0", str(wav)],
            what="wav",
            stdin=prepared.pcm,
        )
        loudness, _ = audio.measure_file_loudness(wav)
        assert abs(loudness - (m.target + m.pause_allowance)) < 0.3, loudness
        # the limiter works on the 4x oversampled signal, and the stored block
        # peaks bound it (to the 16-bit rounding)
        peak = _oversampled_peak(prepared.pcm)
        assert peak <= m.limit * 1.01, (20 * np.log10(peak), 20 * np.log10(m.limit))
        assert float(prepared.peaks.max()) >= peak * 0.995
    # the buzz needs its limiter: otherwise the test above would prove little
    raw = audio.prepare_clip(_buzz(4.0, 0.9), RATE, audio.Mastering(ceiling=20.0))
    assert _oversampled_peak(raw.pcm) > 1.15 * m.limit


def test_master_applies_the_offset_and_limits_only_what_it_pushes_over() -> None:
    m = audio.Mastering()
    prepared = audio.prepare_clip(_buzz(4.0, 0.5), RATE, m)
    level = audio.gated_loudness(audio.block_energies(prepared.pcm, RATE))
    assert level is not None
    # no offset: the prepared clip as it is
    assert audio.master(prepared.pcm, prepared.stats, prepared.peaks, m) == prepared.pcm
    quieter = audio.master(prepared.pcm, prepared.stats, prepared.peaks, replace(m, offset=-1.5))
    got = audio.gated_loudness(audio.block_energies(quieter, RATE))
    assert got is not None and abs(got - (level - 1.5)) < 0.05
    # a positive offset or a lowered limiter (trim) is limited again, on the stored peaks
    for louder in (replace(m, offset=2.0), replace(m, trim=1.5)):
        out = audio.master(prepared.pcm, prepared.stats, prepared.peaks, louder)
        assert _oversampled_peak(out) <= louder.limit * 1.02, louder
    louder_out = audio.master(prepared.pcm, prepared.stats, prepared.peaks, replace(m, offset=2.0))
    got = audio.gated_loudness(audio.block_energies(louder_out, RATE))
    assert got is not None and level + 0.1 < got < level + 2.05


def test_voices_are_level_matched_after_preparing() -> None:
    levels = []
    for pcm in (_tone(3.0, 220, 0.05), _tone(3.0, 220, 0.6), _buzz(3.0, 0.15), _buzz(3.0, 0.8)):
        prepared = audio.prepare_clip(pcm, RATE)
        levels.append(audio.gated_loudness(audio.block_energies(prepared.pcm, RATE)))
    assert all(v is not None for v in levels)
    assert max(levels) - min(levels) < 0.3, levels  # type: ignore[type-var, operator]


def test_ffmetadata_escapes_and_uses_sample_timebase() -> None:
    text = audio.ffmetadata([(0, 44100, "A=B; #1"), (44100, 88200, "Two\\")], RATE, {})
    assert "TIMEBASE=1/22050" in text and "START=44100" in text
    assert "title=A\\=B\\; \\#1" in text and "title=Two\\\\" in text


def test_gain_curve_is_linear_between_block_centres() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 16, 31, 32, 33, 100, 4097):
        gains = rng.random(-(-n // audio.BLOCK))
        centres = np.arange(len(gains)) * audio.BLOCK + audio.BLOCK / 2
        assert np.allclose(audio._gain_curve(gains, n), np.interp(np.arange(n), centres, gains)), n
    # the per-block maximum used to bound the limited clip's peaks is the curve's own
    gains = rng.random(50)
    n = 50 * audio.BLOCK
    per_sample = audio._gain_curve(gains, n).reshape(50, audio.BLOCK).max(axis=1)
    assert np.allclose(audio._curve_block_max(gains), per_sample, atol=1.5 / audio.BLOCK)
    assert np.all(audio._curve_block_max(gains) >= per_sample - 1e-12)
