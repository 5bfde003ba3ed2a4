"""Measure how distinct the shipped voice profiles are, from their audio.

For one fixed sentence, synthesize it with every profile and measure the median
fundamental frequency (autocorrelation pitch) and the speaking time. Prints a
table, the female/male pitch means, and for every pair of profiles how far apart
they are; flags pairs that differ by less than 6% in median pitch AND less than
8% in speaking time (a listener hears pitch and pace first; accent, the base
voice, is a further difference this does not count).

    python bench/voice_distinctness.py [--voices-dir DIR ...]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from narrate.engine import get_engine
from narrate.voices import SAMPLE_SENTENCE, load_profiles, median_pitch_hz

PITCH_STEP = 0.06
TIME_STEP = 0.08


def base_voice(voice: str) -> str:
    return voice.split("+", 1)[0]


def measure(voice_dirs: list[Path]) -> dict[str, tuple[float, float, str, str]]:
    engine = get_engine()
    rows: dict[str, tuple[float, float, str, str]] = {}
    for profile in load_profiles(voice_dirs).values():
        audio = engine.synthesize(SAMPLE_SENTENCE, profile)
        rows[profile.id] = (median_pitch_hz(audio), audio.seconds, profile.gender, profile.voice)
    return rows


def close_pairs(
    rows: dict[str, tuple[float, float, str, str]],
) -> list[tuple[str, str, float, float]]:
    close = []
    for (a, (fa, ta, _, _va)), (b, (fb, tb, _, _vb)) in itertools.combinations(rows.items(), 2):
        dp = abs(fa - fb) / max(fa, fb)
        dt = abs(ta - tb) / max(ta, tb)
        if dp < PITCH_STEP and dt < TIME_STEP:
            close.append((a, b, dp, dt))
    return close


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices-dir", action="append", type=Path, default=[])
    args = parser.parse_args()
    rows = measure(args.voices_dir)
    print(f"sentence: {SAMPLE_SENTENCE!r}")
    print(f"{'profile':22} {'gender':7} {'voice':24} {'F0 Hz':>7} {'secs':>6}")
    for pid, (f0, secs, gender, voice) in sorted(rows.items(), key=lambda r: r[1][0]):
        print(f"{pid:22} {gender:7} {voice:24} {f0:7.1f} {secs:6.2f}")
    for gender in ("female", "male"):
        values = [r[0] for r in rows.values() if r[2] == gender]
        if values:
            print(
                f"{gender:6} mean F0 {sum(values) / len(values):6.1f} Hz over {len(values)} voices"
            )
    pitches = sorted(r[0] for r in rows.values())
    gaps = [b / a - 1 for a, b in itertools.pairwise(pitches)]
    print(f"smallest pitch step between neighbours: {min(gaps):.1%}")
    close = close_pairs(rows)
    total = len(rows) * (len(rows) - 1) // 2
    print(
        f"pairs too close (<{PITCH_STEP:.0%} pitch and <{TIME_STEP:.0%} time): "
        f"{len(close)} of {total}"
    )
    for a, b, dp, dt in close:
        same = " (same base voice)" if base_voice(rows[a][3]) == base_voice(rows[b][3]) else ""
        print(f"  {a} ~ {b}: pitch {dp:.1%}, time {dt:.1%}{same}")
    return 1 if close else 0


if __name__ == "__main__":
    sys.exit(main())
