"""Stress the speech engine: N consecutive syntheses in one process, then N in a pool.

Texts vary in length (a word to a long paragraph) and cycle through every shipped
voice profile. Every clip is validated independently of the engine's own check:
non-empty, not silent, and a duration plausible for its words at the profile's
rate. Prints counts, failures and throughput (seconds of audio per second of
wall clock, i.e. "x real time").

    python bench/synth_stress.py [-n 1000] [--workers 2] [--method fork|spawn]
                                 [--source FILE]   # take sentences from a text file
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from narrate.engine import get_engine
from narrate.model import VoiceProfile
from narrate.speech import speech_text
from narrate.voices import load_profiles

SEED = Path("/work/shared/seeds/000_a7f0e62e8fefe710.txt")
WORDS = [
    "the",
    "lamp",
    "river",
    "quietly",
    "counted",
    "seven",
    "bridges",
    "before",
    "morning",
    "while",
    "a",
    "grey",
    "cat",
    "watched",
    "from",
    "under",
    "the",
    "stall",
    "and",
    "nobody",
    "asked",
    "why",
    "the",
    "bells",
    "had",
    "stopped",
    "at",
    "noon",
]


def texts(count: int, source: Path | None) -> list[str]:
    """Varied texts: sentences from ``source`` when readable, else generated ones."""
    rng = random.Random(7)
    pool: list[str] = []
    if source is not None and source.is_file():
        body = source.read_text(encoding="utf-8", errors="replace")
        pool = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.strip()) > 1]
    out = []
    for i in range(count):
        shape = i % 4
        if pool:
            start = rng.randrange(len(pool))
            take = (1, 2, 5, 12)[shape]  # a sentence ... a long paragraph
            out.append(" ".join(pool[start : start + take]) or pool[start])
        else:
            n = (1, 8, 30, 120)[shape]
            out.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
    return out


def validate(text: str, profile: VoiceProfile, pcm: bytes, rate: int) -> str | None:
    """Our own check, stricter on silence than the engine's: why a clip is bad, or None."""
    if not pcm:
        return "empty"
    samples = np.frombuffer(pcm, dtype="<i2")
    seconds = len(samples) / rate
    words = len(re.findall(r"[^\W_]+", text))
    if words and int(np.abs(samples.astype(np.int32)).max()) < 1000:
        return "silent"
    nominal = words * 60 / profile.rate
    if seconds < 0.3 * nominal:
        return f"too short: {seconds:.2f}s for {words} words"
    if seconds > 4 * nominal + 3:
        return f"too long: {seconds:.2f}s for {words} words"
    return None


def job(item: tuple[str, VoiceProfile]) -> tuple[str, float, str | None]:
    text, profile = item
    spoken = speech_text(text)
    try:
        audio = get_engine(profile.engine).synthesize(spoken, profile)
    except Exception as exc:  # counted and reported, never hidden
        return text, 0.0, f"{type(exc).__name__}: {exc}"
    problem = validate(spoken, profile, audio.pcm, audio.sample_rate) if spoken else None
    return text, audio.seconds, problem


def report(label: str, results: list[tuple[str, float, str | None]], wall: float) -> int:
    bad = [(t, p) for t, _, p in results if p]
    audio = sum(s for _, s, _ in results)
    print(
        f"{label}: {len(results) - len(bad)}/{len(results)} valid clips, {len(bad)} bad; "
        f"{audio / 60:.1f} min of audio in {wall:.1f}s wall = {audio / wall:.0f}x real time"
    )
    for text, problem in bad[:10]:
        print(f"  BAD {problem}: {text[:60]!r}")
    return len(bad)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--method", choices=["fork", "spawn", "forkserver"], default="spawn")
    parser.add_argument("--source", type=Path, default=SEED)
    args = parser.parse_args()
    profiles = list(load_profiles().values())
    items = [(t, profiles[i % len(profiles)]) for i, t in enumerate(texts(args.n, args.source))]
    chars = sum(len(t) for t, _ in items)
    print(
        f"{args.n} texts, {chars} characters, {len(profiles)} voices, engine {get_engine().version()}"
    )

    start = time.perf_counter()
    single = [job(item) for item in items]
    failures = report("one process", single, time.perf_counter() - start)

    context = multiprocessing.get_context(args.method)
    start = time.perf_counter()
    with context.Pool(args.workers) as pool:
        pooled = pool.map(job, items, chunksize=8)
    failures += report(
        f"{args.workers}-process pool ({args.method})", pooled, time.perf_counter() - start
    )
    same = sum(
        abs(a[1] - b[1]) < 0.05 * max(a[1], 0.01) for a, b in zip(single, pooled, strict=True)
    )
    print(f"clips with the same duration (within 5%) in both runs: {same}/{args.n}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
