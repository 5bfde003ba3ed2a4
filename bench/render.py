"""Render benchmark: prints what it measures (wall time, peak RSS, loudness).

    python bench/render.py [WORK] [--skip-floor] [--skip-mp3]

WORK defaults to the 40k-word seed (about 4 hours of audio). Measured, in order:

* floor: the same lines synthesized in one process with one voice and streamed
  into one AAC encode (the simplest possible renderer);
* cold M4B-only render (fresh cache), with peak RSS of the narrate process;
* cold M4B + MP3 render (fresh cache);
* re-render after a one-word edit (warm cache);
* cold-cache preview of one scene (the whole command: it plays once written);
* integrated loudness and true peak (ffmpeg ebur128=peak=true) of the M4B and
  the MP3 of the M4B + MP3 render.

Renders run as subprocesses (``narrate render``) so RSS is the narrate process's own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SEED = Path("/work/shared/seeds/000_a7f0e62e8fefe710.txt")

# Runs narrate's CLI and prints its own peak RSS (KiB) on stderr at exit.
RUNNER = (
    "import resource, sys, atexit\n"
    "atexit.register(lambda: print('RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "from narrate.cli import main\n"
    "main(sys.argv[1:], prog_name='narrate')\n"
)


def run_cli(args: list[str]) -> tuple[float, int, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"narrate {' '.join(args)} failed: {done.stderr[-2000:]}")
    rss = next(
        (int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("RSS_KB")), 0
    )
    return wall, rss, done.stdout.strip().splitlines()[-1]


def floor(work: Path) -> tuple[float, float]:
    """One process, one voice, one streamed AAC encode. Returns (wall s, audio s)."""
    from narrate import audio
    from narrate.engine import get_engine
    from narrate.pipeline import analyse
    from narrate.speech import speech_text

    started = time.monotonic()
    analysis = analyse(work)
    narrator = analysis.profiles[analysis.cast.narrator_voice]
    engine = get_engine("espeak")
    out = Path(tempfile.mkdtemp()) / "floor.aac"

    def chunks() -> Iterator[bytes]:
        for line in analysis.lines:
            yield engine.synthesize(speech_text(line.text, analysis.lexicon), narrator).pcm

    samples = audio.encode_stream(chunks(), 22050, "m4b", "64k", out)
    wall = time.monotonic() - started
    shutil.rmtree(out.parent)
    return wall, samples / 22050


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", nargs="?", type=Path, default=SEED)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-mp3", action="store_true")
    opts = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="narrate-bench-"))
    work = tmp / opts.work.name
    shutil.copy(opts.work, work)
    print(f"work: {opts.work} ({len(work.read_text().split())} words)", flush=True)

    if not opts.skip_floor:
        wall, seconds = floor(work)
        print(
            f"floor (1 process, 1 voice, 1 AAC encode): {wall:.1f} s for {seconds / 3600:.2f} h of audio",
            flush=True,
        )
    else:
        wall = float("nan")
    floor_wall = wall

    cache = tmp / "cache-m4b"
    wall, rss, last = run_cli(
        ["render", str(work), "-o", str(tmp / "out"), "--cache-dir", str(cache), "--format", "m4b"]
    )
    cold = wall
    print(
        f"cold render, M4B only: {wall:.1f} s ({wall / floor_wall:.2f}x floor), peak RSS {rss / 1024:.0f} MB",
        flush=True,
    )
    print(f"  {last}", flush=True)

    if not opts.skip_mp3:
        wall2, rss2, _ = run_cli(
            [
                "render",
                str(work),
                "-o",
                str(tmp / "out2"),
                "--cache-dir",
                str(tmp / "cache-both"),
                "--format",
                "m4b,mp3",
            ]
        )
        print(
            f"cold render, M4B + MP3: {wall2:.1f} s ({wall2 / floor_wall:.2f}x floor), "
            f"peak RSS {rss2 / 1024:.0f} MB",
            flush=True,
        )
        from narrate import audio

        for path in sorted((tmp / "out2").glob("*/*.m4b")) + sorted((tmp / "out2").glob("*/*.mp3")):
            integrated, peak = audio.measure_file_loudness(path)
            print(
                f"  {path.suffix[1:].upper()}: {integrated:.1f} LUFS integrated, true peak {peak:.1f} dBTP, "
                f"{path.stat().st_size / 1e6:.1f} MB",
                flush=True,
            )

    text = work.read_text()
    index = text.index(" the ", len(text) // 2)
    work.write_text(text[:index] + " a " + text[index + 5 :])
    wall3, rss3, last3 = run_cli(
        ["render", str(work), "-o", str(tmp / "out"), "--cache-dir", str(cache), "--format", "m4b"]
    )
    print(
        f"re-render after a one-word edit: {wall3:.1f} s ({wall3 / cold:.2f}x cold), peak RSS {rss3 / 1024:.0f} MB",
        flush=True,
    )
    print(f"  {last3}", flush=True)

    from narrate.pipeline import analyse

    scene_words = sum(
        len(line.text.split())
        for line in analyse(work).lines
        if (line.chapter, line.scene) == (2, 1)
    )
    wall4, _, _ = run_cli(
        [
            "preview",
            str(work),
            "--scene",
            "2.1",
            "--no-play",
            "-o",
            str(tmp / "out"),
            "--cache-dir",
            str(tmp / "cache-preview"),
        ]
    )
    print(
        f"preview of scene 2.1 ({scene_words} words), cold cache, whole command (first audio when it plays): "
        f"{wall4:.1f} s",
        flush=True,
    )

    from narrate import audio

    manifest = json.loads(next((tmp / "out").glob("*/manifest.json")).read_text())
    m4b = next((tmp / "out").glob("*/*.m4b"))
    integrated, peak = audio.measure_file_loudness(m4b)
    print(
        f"M4B after the edit: {integrated:.1f} LUFS integrated, true peak {peak:.1f} dBTP, "
        f"{len(manifest['chapters'])} chapters, {manifest['duration'] / 3600:.2f} h",
        flush=True,
    )
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
