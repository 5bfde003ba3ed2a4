"""Time the whole analysis (ingest -> lines -> attributed lines) of a 150,000-word novel.

    python bench/analysis_speed.py [--words N] [SOURCE ...]

The novel is built in memory by repeating the seed works (default
``../shared/seeds/*.txt``) under fresh chapter headings until it holds N words,
written to a temporary file (never into the repository) and analysed once with
``load_work``, ``split_lines`` and ``attribute``. Target: under 5 s on one core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--words", type=int, default=150_000)
    args = parser.parse_args()
    sources = args.sources or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if not sources:
        print("error: no source texts; pass some .txt files", file=sys.stderr)
        return 2
    from narrate.attribute import attribute
    from narrate.ingest import load_work
    from narrate.lines import split_lines

    # Plain novel layout built from each source's *body* as ingest reads it
    # (AO3 headers, summaries and notes left out), one blank line between
    # paragraphs, so the analysed novel holds every word we count.
    bodies = []
    for source in sources:
        seed = load_work(source)
        bodies.append("\n\n".join(seed.text[p.start : p.end] for _, _, p in seed.paragraphs()))
    parts: list[str] = []
    words = 0
    chapter = 0
    while words < args.words:
        for body in bodies:
            chapter += 1
            parts.append(f"Chapter {chapter}\n\n{body.strip()}\n")
            words += len(body.split())
            if words >= args.words:
                break
    novel = "\n\n".join(parts)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "novel.txt"
        path.write_text(novel, encoding="utf-8")
        t0 = time.perf_counter()
        work = load_work(path)
        t1 = time.perf_counter()
        lines = split_lines(work)
        t2 = time.perf_counter()
        result = attribute(work, lines)
        t3 = time.perf_counter()
    dialogue = sum(line.kind == "dialogue" for line in result.lines)
    analysed = sum(len(line.text.split()) for line in lines)
    print(f"words in file: {words}  words in analysed lines: {analysed}")
    if analysed < args.words * 0.9:
        print("warning: ingest kept fewer words than the target; the timing undercounts")
    print(f"chapters: {len(work.chapters)}  lines: {len(lines)}  dialogue: {dialogue}")
    print(f"ingest:    {t1 - t0:.2f} s")
    print(f"lines:     {t2 - t1:.2f} s")
    print(f"attribute: {t3 - t2:.2f} s")
    print(f"total:     {t3 - t0:.2f} s  (target < 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
