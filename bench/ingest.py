"""Ingest on pathological but valid inputs: prints time and peak memory per case.

    python bench/ingest.py            # all cases, each in its own process
    python bench/ingest.py seed000    # one case

Cases: a 50 MB file with no line breaks, a 2 MB paragraph inside a normal text,
10,000 chapters, 10,000 consecutive heading lines (a giant contents list), and
the seeds in ../shared/seeds when present. Inputs are generated into a temp dir.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _make(case: str, tmp: Path) -> Path:
    path = tmp / f"{case}.txt"
    if case == "no-newlines-50mb":
        word = "lantern "
        path.write_text(word * (50 * 1024 * 1024 // len(word)), encoding="utf-8")
    elif case == "paragraph-2mb":
        para = ("The oil burned white and the street was bright. " * 43000).strip()
        path.write_text(f"Opening line.\n\n{para}\n\nClosing line.\n", encoding="utf-8")
    elif case == "chapters-10000":
        path.write_text(
            "".join(
                f"Chapter {i}: Title {i}\n\nShort body of chapter {i}.\n\n* * *\n\nMore.\n\n"
                for i in range(1, 10001)
            ),
            encoding="utf-8",
        )
    elif case == "headings-10000":
        path.write_text(
            "".join(f"Chapter {i}\n\n" for i in range(1, 10001)) + "Finally some text.\n",
            encoding="utf-8",
        )
    elif case in {"seed000", "seed003"}:
        name = "000_a7f0e62e8fefe710.txt" if case == "seed000" else "003_54b7f5ba612c50cc.txt"
        return SEEDS / name
    else:
        raise SystemExit(f"unknown case {case}")
    return path


def run_one(case: str) -> None:
    from narrate.ingest import load_work

    with tempfile.TemporaryDirectory() as tmp:
        path = _make(case, Path(tmp))
        if not path.exists():
            print(f"{case:18} skipped (missing {path})")
            return
        size = path.stat().st_size
        started = time.perf_counter()
        work = load_work(path)
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    paragraphs = sum(1 for _ in work.paragraphs())
    print(
        f"{case:18} {size / 1e6:7.1f} MB  {elapsed:6.2f} s  peak RSS {peak_mb:6.0f} MB  "
        f"{len(work.chapters)} chapters, {paragraphs} paragraphs"
    )


def main() -> None:
    cases = sys.argv[1:] or [
        "seed000",
        "seed003",
        "paragraph-2mb",
        "chapters-10000",
        "headings-10000",
        "no-newlines-50mb",
    ]
    if len(cases) == 1:
        run_one(cases[0])
        return
    for case in cases:  # separate processes so each peak RSS is its own
        subprocess.run([sys.executable, __file__, case], check=False)


if __name__ == "__main__":
    main()
