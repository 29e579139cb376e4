"""List the events stage's errors on hand-coded CAMEO sentences (ConfliBERT classes), for error-driven
rule work: spurious events by trigger and type, and the gold classes missed, sentence by sentence.

Each sentence codes one event with a ConfliBERT class (0 statement/appeal, 1 verbal cooperation,
2 material cooperation, 3 verbal conflict, 4 material conflict). An output event whose class differs
from the gold one is *spurious*; a sentence where no output event has the gold class is *missed*.
Analyses are cached as JSONL (``--cache``) so the listing can be re-cut without re-running the pipeline.

    PYTHONPATH=. python bench/events_errors.py ../shared/eval/events/conflibert-cameo/cameo_class_train.tsv \\
        --limit 400 --show spurious
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from newstrace.evaluation import mappings
from newstrace.evaluation.readers import read_conflibert_class


def _analyse(path: Path, limit: int, cache: Path) -> list[dict]:
    """One record per sentence: gold class and each output event (type, class, trigger, status)."""
    sentences = list(read_conflibert_class(path))
    sentences = sentences[:limit] if limit else sentences
    if cache.exists():
        rows = [json.loads(line) for line in cache.read_text().splitlines()]
        if [r["text"] for r in rows] == [s.text for s in sentences]:
            return rows
    from newstrace.pipeline import Pipeline  # loading the model is slow: only when needed

    pipe = Pipeline()
    rows = []
    for s in sentences:
        analysis = pipe.analyze(s.text)
        events = [{"type": e.type, "class": mappings.conflibert_class(e.type, e.trigger.text),
                   "trigger": e.trigger.text.lower(), "status": e.status, "mode": e.mode,
                   "mentions": [m.text.lower() for m in e.mentions]} for e in analysis.events]
        rows.append({"text": s.text, "gold": s.label, "events": events})
    cache.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def _report(rows: list[dict], show: list[str], top: int) -> None:
    n_events = sum(len(r["events"]) for r in rows)
    right = sum(1 for r in rows for e in r["events"] if e["class"] == r["gold"])
    found = sum(1 for r in rows if any(e["class"] == r["gold"] for e in r["events"]))
    print(f"{len(rows)} sentences, {n_events} events: precision {right / max(n_events, 1):.3f}, "
          f"found {found / max(len(rows), 1):.3f}, events/sentence {n_events / max(len(rows), 1):.2f}")
    spurious: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        for e in r["events"]:
            if e["class"] != r["gold"]:
                key = (e["trigger"], e["type"])
                spurious[key] += 1
                examples[key].append(f"gold {r['gold']}: {r['text'][:160]}")
    print(f"\nspurious events by trigger and type (top {top}):")
    for (trigger, type_), n in spurious.most_common(top):
        print(f"{n:4d}  {type_:9s} {trigger}")
        if "spurious" in show:
            for line in examples[(trigger, type_)][:3]:
                print("        ", line)
    missed = [r for r in rows if not any(e["class"] == r["gold"] for e in r["events"])]
    by_gold = Counter(r["gold"] for r in missed)
    print(f"\nmissed gold classes: {dict(sorted(by_gold.items()))} (of {dict(sorted(Counter(r['gold'] for r in rows).items()))})")
    if "missed" in show:
        for r in missed:
            got = ", ".join(f"{e['type']}:{e['trigger']}" for e in r["events"]) or "-"
            print(f"  gold {r['gold']} | got {got} | {r['text'][:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newstrace-events-errors.jsonl"))
    parser.add_argument("--show", choices=("spurious", "missed"), action="append", default=[])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--rerun", action="store_true", help="ignore the cache")
    args = parser.parse_args()
    if args.rerun and args.cache.exists():
        args.cache.unlink()
    _report(_analyse(args.data, args.limit, args.cache), args.show, args.top)


if __name__ == "__main__":
    main()
