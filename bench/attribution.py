"""Score speaker attribution against LitBank's gold quotations, read in place.

    python bench/attribution.py [DATASET_DIR] [--per-work] [--errors N] [--work NAME]

DATASET_DIR defaults to ``../shared/datasets/litbank-quotes`` relative to the
repository root. Nothing from the dataset is copied into the repository.

A gold quote is correct when the dialogue line overlapping it most names the gold
speaker or one of its aliases, compared with the dataset's ``name_key``
normalisation. The lenient score follows the dataset's ``score.py``: it also
accepts descriptions, "narrator"/"I" for narrator entities, and unambiguous
partial names. Prints overall accuracy, the macro average over works, accuracy by
quote style, and how many gold quotes no dialogue line overlaps. Last, how well the
confidence tells right from wrong (lenient): accuracy per confidence band, and at
``--threshold`` (``narrate script``'s default) the share of gold quotes that would be
marked for checking and the share of the errors among them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrate.attribute import attribute  # noqa: E402
from narrate.lines import split_lines  # noqa: E402
from narrate.model import (  # noqa: E402
    REVIEW_THRESHOLD,
    Chapter,
    Line,
    Metadata,
    Paragraph,
    Scene,
    Work,
)

TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "the", "madame", "mme"}


def name_key(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"[\W_]+", " ", s).strip()


def blank_line_work(path: Path) -> Work:
    """A fallback Work: paragraphs separated by blank lines, one scene."""
    text = path.read_text(encoding="utf-8")
    paragraphs: list[Paragraph] = []
    for m in re.finditer(r"\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", text):
        body = m.group(0).rstrip()
        paragraphs.append(Paragraph(len(paragraphs) + 1, m.start(), m.start() + len(body)))
    scene = Scene(1, paragraphs[0].start, paragraphs[-1].end, tuple(paragraphs))
    chapter = Chapter(1, None, None, scene.start, scene.end, (scene,))
    return Work(text=text, meta=Metadata(title=path.stem), chapters=(chapter,), source=path)


def load(path: Path, use_ingest: bool) -> Work:
    if use_ingest:
        try:
            from narrate.ingest import load_work
        except ImportError:
            pass
        else:
            return load_work(path)
    return blank_line_work(path)


def best_line(lines: list[Line], start: int, end: int) -> Line | None:
    best, best_overlap = None, 0
    for line in lines:
        if line.end <= start:
            continue
        if line.start >= end:
            break
        overlap = min(end, line.end) - max(start, line.start)
        if overlap > best_overlap:
            best, best_overlap = line, overlap
    return best


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "dataset",
        nargs="?",
        type=Path,
        default=ROOT.parent / "shared" / "datasets" / "litbank-quotes",
    )
    parser.add_argument("--per-work", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="show N wrong quotes per work")
    parser.add_argument("--work", default=None, help="only works whose name contains this")
    parser.add_argument("--no-ingest", action="store_true", help="split paragraphs at blank lines")
    parser.add_argument(
        "--threshold",
        type=float,
        default=REVIEW_THRESHOLD,
        help="confidence below which a line is checked",
    )
    args = parser.parse_args()
    data: Path = args.dataset
    if not (data / "quotes.jsonl").is_file():
        print(f"error: {data}: no quotes.jsonl; pass the litbank-quotes directory", file=sys.stderr)
        return 2

    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        json.loads(x) for x in (data / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        quotes[row["work"]].append(row)
    chars: dict[tuple[str, str], dict[str, Any]] = {}
    for row in (
        json.loads(x) for x in (data / "characters.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        chars[(row["work"], row["speaker_id"])] = row

    total = correct = lenient = unmatched = 0
    by_style: Counter[str] = Counter()
    by_style_ok: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_rule_ok: Counter[str] = Counter()
    macro: list[float] = []
    # Even Gutenberg ids are for development, odd ids are held out.
    by_parity: Counter[str] = Counter()
    by_parity_ok: Counter[str] = Counter()
    seconds = 0.0
    # (confidence, lenient hit) per gold quote; None: no dialogue line, nothing to show
    judged: list[tuple[float | None, bool]] = []
    for work_name in sorted(quotes):
        if args.work and args.work not in work_name:
            continue
        path = data / "texts" / f"{work_name}.txt"
        t0 = time.perf_counter()
        work = load(path, not args.no_ingest)
        result = attribute(work, split_lines(work))
        seconds += time.perf_counter() - t0
        dialogue = [line for line in result.lines if line.kind == "dialogue"]
        ok_here = 0
        errors: list[str] = []
        speakers_here = {q["speaker_id"] for q in quotes[work_name]}
        for q in quotes[work_name]:
            total += 1
            by_style[q["style"]] += 1
            line = best_line(dialogue, q["start"], q["end"])
            gold = chars[(work_name, q["speaker_id"])]
            keys = {name_key(gold["name"]), *(name_key(a) for a in gold["aliases"])}
            predicted = line.speaker if line is not None else None
            rule = (line.rule or "none") if line is not None else "unmatched"
            by_rule[rule] += 1
            if line is None:
                unmatched += 1
            pkey = name_key(predicted) if predicted else ""
            hit = bool(pkey) and pkey in keys
            loose = hit or _lenient(pkey, gold, work_name, speakers_here, chars)
            if hit:
                correct += 1
                ok_here += 1
                by_style_ok[q["style"]] += 1
                by_rule_ok[rule] += 1
            elif len(errors) < args.errors:
                errors.append(
                    f"    {q['id']} gold={gold['name']!r} got={predicted!r} ({rule}) {q['text'][:70]!r}"
                )
            lenient += loose
            if line is None:
                judged.append((None, loose))
            else:
                judged.append((line.confidence if line.speaker is not None else 0.0, loose))
        parity = "even" if int(work_name.split("_")[0]) % 2 == 0 else "odd"
        by_parity[parity] += len(quotes[work_name])
        by_parity_ok[parity] += ok_here
        share = ok_here / len(quotes[work_name])
        macro.append(share)
        if args.per_work or errors:
            print(f"{share:6.1%}  {len(quotes[work_name]):3d}  {work_name}")
            for e in errors:
                print(e)
    if not total:
        print("no works matched")
        return 1
    print(f"quotes: {total}  works: {len(macro)}  analysis time: {seconds:.2f}s")
    print(f"accuracy (standard): {correct / total:.3f}  ({correct} of {total})")
    print(f"accuracy (lenient):  {lenient / total:.3f}  ({lenient} of {total})")
    print(f"macro over works:    {sum(macro) / len(macro):.3f}")
    for parity in ("even", "odd"):
        if by_parity[parity]:
            print(
                f"{parity} ids (standard):  {by_parity_ok[parity] / by_parity[parity]:.3f}"
                f"  ({by_parity[parity]})"
            )
    print(f"gold quotes with no overlapping dialogue line: {unmatched}")
    print("by quote style:")
    for style, n in by_style.most_common():
        print(f"  {style:7s} {by_style_ok[style] / n:.3f}  ({n})")
    print("by rule (share of gold quotes, accuracy):")
    for rule, n in by_rule.most_common():
        print(f"  {rule:10s} {n:5d}  {by_rule_ok[rule] / n:.3f}")
    _calibration(judged, args.threshold)
    return 0


BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _calibration(judged: list[tuple[float | None, bool]], threshold: float) -> None:
    """Whether a line's confidence is the chance it is right, and what checking the lines
    below ``threshold`` would catch. A line with no speaker counts as confidence 0, as
    `narrate script` marks it too; a gold quote no line overlaps cannot be marked."""
    print("calibration (lenient): accuracy by confidence band")
    for lo, hi in pairwise(BANDS):
        band = [ok for c, ok in judged if c is not None and lo <= c < hi]
        if band:
            print(f"  {lo:.1f}-{min(hi, 1.0):.1f}  {len(band):5d}  {sum(band) / len(band):.3f}")
    errors = sum(1 for _, ok in judged if not ok)
    marked = [ok for c, ok in judged if c is not None and c < threshold]
    caught = sum(1 for ok in marked if not ok)
    print(
        f"below {threshold:g}: {len(marked) / len(judged):.1%} of gold quotes marked, "
        f"{caught} of {errors} lenient errors caught ({caught / max(1, errors):.1%})"
    )


def _lenient(
    pkey: str,
    gold: dict[str, Any],
    work: str,
    speakers: set[str],
    chars: dict[tuple[str, str], dict[str, Any]],
) -> bool:
    """score.py's lenient match: descriptions, narrator, unambiguous partial names."""
    if not pkey:
        return False
    if pkey in {name_key(d) for d in gold.get("descriptions", [])}:
        return True
    if gold.get("narrator") and pkey in {"narrator", "the narrator", "i"}:
        return True
    words = [w for w in pkey.split() if w not in TITLES]
    if not words:
        return False

    def partial(entity: dict[str, Any]) -> bool:
        for name in (entity["name"], *entity["aliases"]):
            if set(words) <= set(name_key(name).split()):
                return True
        return False

    if not partial(gold):
        return False
    others = [chars[(work, s)] for s in speakers if s != gold["speaker_id"] and (work, s) in chars]
    return not any(partial(o) for o in others)


if __name__ == "__main__":
    sys.exit(main())
