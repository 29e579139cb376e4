"""How much statements, events and responsibility add to the spaCy parse (issue 4's budget: 25%).

Runs the whole pipeline over a folder of articles (default: the BBC politics corpus in
../shared) and compares the time of the claim stages with the time of the parse itself.

    .venv/bin/python bench/stage_overhead.py [FOLDER] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from newstrace.ingest import decode_text
from newstrace.pipeline import InputError, Pipeline

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared/eval/corpus/bbc_fulltext_2004_2005/politics"
CLAIM_STAGES = ("statements", "events", "responsibility")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not args.folder.exists():
        print(f"no articles at {args.folder} (the BBC corpus lives in ../shared); nothing to measure")
        return 0
    files = sorted(args.folder.glob("*.txt"))[: args.limit]
    pipeline = Pipeline()
    totals: dict[str, float] = defaultdict(float)
    tokens = 0
    started = time.perf_counter()
    for path in files:
        try:
            analysis = pipeline.analyze(decode_text(path.read_bytes()), published="2005-01-01")
        except InputError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        for stage, seconds in analysis.timings.items():
            totals[stage] += seconds
        tokens += len(analysis.document.text.split())
    wall = time.perf_counter() - started
    claims = sum(totals[s] for s in CLAIM_STAGES)
    print(f"{len(files)} articles, {tokens:,} words, {wall:.1f} s wall, {len(files) / wall:.1f} articles/s")
    for stage, seconds in totals.items():
        print(f"  {stage:15s} {seconds:7.2f} s  {100 * seconds / totals['nlp']:6.1f}% of the parse")
    print(f"statements + events + responsibility = {100 * claims / totals['nlp']:.1f}% of the spaCy parse (budget 25%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
