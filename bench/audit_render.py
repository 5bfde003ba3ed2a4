"""Automated listening audit of a rendered audiobook (nobody here can listen).

    python bench/audit_render.py OUTPUT_DIR --work WORK
    python bench/audit_render.py WORK [--out output]

Decodes the M4B (or the MP3 when there is no M4B) with ffmpeg and, using the
render's own transcript (the VTT cues carry the line ids) and the script
(`narrate script WORK --json`: each line's kind, speaker and voice profile),
checks what a listener would notice:

(a) voices: each dialogue cue's pitch (median F0 of its voiced frames, by
    autocorrelation) is nearer its speaker's profile than the narrator's where
    the two profiles differ; each profile's expected pitch is measured the same
    way on a reference sentence synthesized with it;
(b) pauses: a silence at least as long as the scene pause at every scene break,
    and the chapter pause at every chapter break; no silence anywhere longer
    than a chapter break can produce;
(c) no cue silent or clipped;
(d) loudness: consecutive cues of different speakers within 3 LU of each other.

Prints counts and the worst offenders; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrate import audio
from narrate.model import VoiceProfile
from narrate.render import Pauses

RATE = 22050
Floats = npt.NDArray[np.float64]
REFERENCE = "Well, I did not expect to see you here tonight, but I am very glad that you came."


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    line_id: str | None
    text: str


def parse_vtt(path: Path) -> list[Cue]:
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        rows = [r for r in block.splitlines() if r.strip()]
        at = next((n for n, r in enumerate(rows) if " --> " in r), None)
        if at is None:
            continue
        start, end = (_seconds(t.split()[0]) for t in rows[at].split(" --> "))
        ident = rows[at - 1].strip() if at > 0 else None
        cues.append(Cue(start, end, ident, re.sub(r"<[^>]+>", "", " ".join(rows[at + 1 :]))))
    return cues


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.replace(",", ".").split(":")]
    return float(sum(p * 60 ** (len(parts) - 1 - n) for n, p in enumerate(parts)))


def decode(path: Path, dest: Path) -> npt.NDArray[np.int16]:
    """The whole file as 16-bit mono PCM, through a file on disk (memory-mapped:
    four hours are 600 MB)."""
    with open(dest, "wb") as out:
        subprocess.run(
            [
                audio.ffmpeg_exe(),
                "-v",
                "error",
                "-i",
                str(path),
                "-f",
                "s16le",
                "-ac",
                "1",
                "-ar",
                str(RATE),
                "-",
            ],
            stdout=out,
            check=True,
        )
    return np.memmap(dest, dtype="<i2", mode="r")


def f0(x: Floats, rate: int = RATE) -> float | None:
    """Median F0 (Hz, 40-400) of the voiced 93 ms frames of ``x``, by normalised autocorrelation."""
    frame, hop = 2048, 1024
    if len(x) < frame:
        return None
    count = 1 + (len(x) - frame) // hop
    frames = np.lib.stride_tricks.sliding_window_view(x, frame)[::hop][:count]
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = (frames**2).mean(axis=1)
    loud = energy > max(1e-7, 0.05 * float(np.percentile(energy, 90)))
    frames = frames[loud] * np.hanning(frame)
    if len(frames) == 0:
        return None
    spec = np.fft.rfft(frames, 2 * frame, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :frame]
    ac /= np.maximum(ac[:, :1], 1e-12)
    lo, hi = rate // 400, rate // 40
    lags = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(len(ac)), lags]
    voiced = strength > 0.5
    if voiced.sum() < 3:
        return None
    return float(np.median(rate / lags[voiced]))


def loudness(x: Floats) -> float | None:
    return audio.gated_loudness(
        audio.blocks_from_subs(audio._subs_of_squares(audio.k_weighted(x, RATE) ** 2, RATE))
    )


def silences(
    pcm: npt.NDArray[np.int16], floor_db: float = -60.0, step: int = RATE // 100
) -> Floats:
    """(start s, end s) of every run of 10 ms frames quieter than ``floor_db`` dBFS."""
    n = len(pcm) // step
    rms = np.empty(n)
    for a in range(0, n, 1 << 16):  # in pieces: the book is memory-mapped
        b = min(n, a + (1 << 16))
        chunk = (
            np.asarray(pcm[a * step : b * step], dtype=np.float64).reshape(b - a, step) / 32768.0
        )
        rms[a:b] = np.sqrt((chunk**2).mean(axis=1))
    quiet = np.concatenate([[False], rms < 10 ** (floor_db / 20), [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    runs = edges.reshape(-1, 2) * step / RATE
    return np.asarray(runs, dtype=np.float64)


def longest_silence(runs: Floats, start: float, end: float) -> float:
    """Longest silent run overlapping [start, end]."""
    hit = runs[(runs[:, 1] > start) & (runs[:, 0] < end)]
    return float((hit[:, 1] - hit[:, 0]).max()) if len(hit) else 0.0


def reference_pitches(profiles: dict[str, VoiceProfile]) -> dict[str, float | None]:
    from narrate.engine import get_engine

    engine = get_engine("espeak")
    out = {}
    for name, profile in profiles.items():
        clip = engine.synthesize(REFERENCE, profile)
        out[name] = f0(audio.to_array(clip.pcm), clip.sample_rate)
    return out


def script_lines(work: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "narrate", "script", str(work), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(row) for row in done.stdout.splitlines() if row.strip().startswith("{")]


def audit(book: Path, vtt: Path, work: Path, pauses: Pauses | None = None, show: int = 5) -> bool:
    from narrate.voices import load_profiles

    lines = {str(r["id"]): r for r in script_lines(work)}
    cues = parse_vtt(vtt)
    all_profiles = load_profiles()
    used = {str(r["voice"]) for r in lines.values()}
    narrator_voice = next(
        (str(r["voice"]) for r in lines.values() if r["kind"] == "narration"), "narrator"
    )
    profiles = {v: all_profiles[v] for v in used if v in all_profiles}
    expected = reference_pitches(profiles)
    with tempfile.TemporaryDirectory() as tmp:
        pcm = decode(book, Path(tmp) / "book.pcm")
        ok = _checks(pcm, cues, lines, expected, narrator_voice, pauses or Pauses(), show)
        del pcm
    return ok


def _checks(
    pcm: npt.NDArray[np.int16],
    cues: Sequence[Cue],
    lines: dict[str, dict[str, object]],
    expected: dict[str, float | None],
    narrator: str,
    pauses: Pauses,
    show: int,
) -> bool:
    total = len(pcm) / RATE
    print(
        f"audio: {total / 3600:.2f} h, {len(cues)} cues, {sum(c.line_id in lines for c in cues)} of them script lines"
    )
    print(
        "expected pitch by profile (Hz, reference sentence): "
        + ", ".join(f"{k} {v:.0f}" for k, v in sorted(expected.items()) if v)
    )

    voice_rows, level_rows, silent, clipped = [], [], [], []
    previous: tuple[str, float, Cue] | None = None
    for cue in cues:
        a, b = int(cue.start * RATE), min(len(pcm), int(cue.end * RATE))
        raw = np.asarray(pcm[a:b])
        x = raw.astype(np.float64) / 32768.0
        row = lines.get(cue.line_id or "")
        who = (
            str(row["speaker"])
            if row and row["kind"] == "dialogue" and row["speaker"]
            else "(narrator)"
        )
        # (c) silent or clipped
        rms_db = 10 * np.log10(max(float((x**2).mean()) if len(x) else 0.0, 1e-12))
        if rms_db < -50:
            silent.append((rms_db, cue))
        hard = np.abs(raw.astype(np.int32)) >= 32767
        if hard.sum() >= 3:
            clipped.append((int(hard.sum()), cue))
        # (d) loudness across a change of speaker
        level = loudness(x) if len(x) >= RATE // 2 else None
        if level is not None:
            if previous is not None and previous[0] != who:
                level_rows.append((abs(level - previous[1]), previous[2], cue, previous[1], level))
            previous = (who, level, cue)
        # (a) voice
        if row and row["kind"] == "dialogue":
            voice = str(row["voice"])
            mine, theirs = expected.get(voice), expected.get(narrator)
            got = f0(x)
            if mine and theirs and got:
                voice_rows.append((cue, who, voice, mine, theirs, got))

    ok = True
    # (a)
    differing = [r for r in voice_rows if abs(np.log(r[3] / r[4])) > np.log(1.08)]
    nearer = [r for r in differing if abs(np.log(r[5] / r[3])) < abs(np.log(r[5] / r[4]))]
    within = [r for r in voice_rows if abs(np.log(r[5] / r[3])) < np.log(1.25)]
    print(
        f"(a) voices: {len(voice_rows)} dialogue cues with a pitch; {len(differing)} whose profile differs "
        f"from the narrator's by > 8%: {len(nearer)} ({100 * len(nearer) / max(1, len(differing)):.1f}%) "
        f"nearer their own profile than the narrator's; {len(within)} "
        f"({100 * len(within) / max(1, len(voice_rows)):.1f}%) within 25% of their profile's pitch"
    )
    wrong = sorted(
        (r for r in differing if r not in nearer), key=lambda r: -abs(np.log(r[5] / r[3]))
    )
    for cue, who, voice, mine, theirs, got in wrong[:show]:
        print(
            f"    {cue.line_id} {who} ({voice}, {mine:.0f} Hz; narrator {theirs:.0f} Hz): measured {got:.0f} Hz "
            f"at {cue.start:.1f} s: {cue.text[:50]!r}"
        )
    if differing and len(nearer) < 0.9 * len(differing):
        ok = False

    # (b)
    runs = silences(pcm)
    ordered = [c for c in cues if c.line_id in lines]
    scene_short, chapter_short = [], []
    scenes = chapters = 0
    by_start = sorted(cues, key=lambda c: c.start)
    for prev, nxt in itertools.pairwise(ordered):
        p, n = lines[prev.line_id or ""], lines[nxt.line_id or ""]
        if p["chapter"] != n["chapter"]:
            chapters += 1
            title = next((c for c in by_start if prev.end <= c.start < nxt.start), None)
            end = title.start if title else nxt.start
            got = longest_silence(runs, prev.end - 0.3, end + 0.3)
            if got < pauses.chapter_tail + pauses.chapter_lead:
                chapter_short.append((got, prev, nxt))
        elif p["scene"] != n["scene"]:
            scenes += 1
            got = longest_silence(runs, prev.end - 0.3, nxt.start + 0.3)
            if got < pauses.scene:
                scene_short.append((got, prev, nxt))
    longest_allowed = pauses.chapter_tail + pauses.chapter_lead + audio.FRAME_ALIGN / RATE + 0.6
    inner = runs[(runs[:, 0] > 0.5) & (runs[:, 1] < total - 0.5)]
    long_runs = inner[(inner[:, 1] - inner[:, 0]) > longest_allowed]
    print(
        f"(b) pauses: {scenes} scene breaks, {len(scene_short)} with less than {pauses.scene:.1f} s of silence; "
        f"{chapters} chapter breaks, {len(chapter_short)} with less than "
        f"{pauses.chapter_tail + pauses.chapter_lead:.1f} s; {len(long_runs)} silences longer than "
        f"{longest_allowed:.1f} s (longest inside the book: "
        f"{float((inner[:, 1] - inner[:, 0]).max()) if len(inner) else 0.0:.2f} s)"
    )
    for got, prev, nxt in sorted(scene_short + chapter_short, key=lambda r: r[0])[:show]:
        print(f"    {prev.line_id} -> {nxt.line_id}: {got:.2f} s at {prev.end:.1f} s")
    for s, e in sorted(long_runs.tolist(), key=lambda r: r[0] - r[1])[:show]:
        print(f"    silence {e - s:.2f} s at {s:.1f} s")
    ok = ok and not scene_short and not chapter_short and not len(long_runs)

    # (c)
    print(
        f"(c) cues: {len(silent)} silent (RMS under -50 dBFS), {len(clipped)} clipped (3+ full-scale samples)"
    )
    for level, quiet in sorted(silent, key=lambda r: r[0])[:show]:
        print(
            f"    silent: {quiet.line_id} {level:.0f} dBFS at {quiet.start:.1f} s: {quiet.text[:50]!r}"
        )
    for count, hit in sorted(clipped, key=lambda r: -r[0])[:show]:
        print(f"    clipped: {hit.line_id} {count} samples at {hit.start:.1f} s")
    ok = ok and not silent and not clipped

    # (d)
    over = sorted((r for r in level_rows if r[0] >= 3.0), key=lambda r: -r[0])
    diffs = np.array([r[0] for r in level_rows]) if level_rows else np.zeros(1)
    print(
        f"(d) loudness: {len(level_rows)} changes of speaker; difference median {np.median(diffs):.2f} LU, "
        f"95th percentile {np.percentile(diffs, 95):.2f} LU, max {diffs.max():.2f} LU; {len(over)} of 3 LU or more"
    )
    for diff, before, after, la, lb in over[:show]:
        print(
            f"    {before.line_id} ({la:.1f} LUFS) -> {after.line_id} ({lb:.1f} LUFS): {diff:.1f} LU "
            f"at {after.start:.1f} s"
        )
    ok = ok and not over
    print("audit:", "PASS" if ok else "FAIL")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "target", type=Path, help="a render's output folder, or the work it was rendered from"
    )
    parser.add_argument("--work", type=Path, help="the work (when TARGET is an output folder)")
    parser.add_argument(
        "--out", type=Path, default=Path("output"), help="where renders are (TARGET a work)"
    )
    parser.add_argument("--show", type=int, default=5, help="worst offenders shown per check")
    opts = parser.parse_args(argv)
    if opts.target.is_dir():
        folder, work = opts.target, opts.work
        if work is None:
            parser.error("pass --work WORK: the script is read from the work")
    else:
        from narrate.pipeline import analyse
        from narrate.render import work_slug

        work = opts.target
        folder = opts.out / work_slug(analyse(work).work)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    book = folder / (files.get("m4b") or files["mp3"])
    print(f"auditing {book} against {work}")
    return 0 if audit(book, folder / files["vtt"], work, show=opts.show) else 1


if __name__ == "__main__":
    sys.exit(main())
