"""List the events-codes misses on PETRARCH-2's validation sentences, grouped by cause, for rule work.

For each sentence whose source or target country is missed: the text, the gold codes, and our events
with their source / target actors (name, country, code). Causes:

* ``no-event``: no event found in the sentence;
* ``empty-slot``: our first event has nothing in that slot;
* ``wrong-actor``: the slot has actors, none of them with the gold country, but an actor with it exists;
* ``no-actor``: no actor of the analysis has the gold country (an actors-stage miss).

    PYTHONPATH=. python bench/codes_errors.py [--show empty-slot] [--limit N]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from newstrace.actor_codes import parse_code
from newstrace.evaluation.actor_codes import SLOTS, read_petrarch_validation
from newstrace.evaluation.tasks import _first_event
from newstrace.lexicon import load_lexicons
from newstrace.model import Analysis, Event
from newstrace.pipeline import Pipeline

DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/events/petrarch2-gsr-validation"


def _describe(analysis: Analysis, ids: list[str]) -> str:
    out = []
    for actor in (analysis.actor(i) for i in ids):
        if actor is not None:
            out.append(f"{actor.name!r}:{actor.code or '-'}")
    return ", ".join(out) or "∅"


def _cause(analysis: Analysis, event: Event | None, slot: str, gold: set[str]) -> str:
    if event is None:
        return "no-event"
    if not getattr(event, slot):
        return "empty-slot"
    if any(a.country in gold for a in analysis.actors):
        return "wrong-actor"
    return "no-actor"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=DATA)
    parser.add_argument("--show", action="append", default=[], help="only misses of these causes")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    countries = {c.code for c in load_lexicons().countries}
    sentences = [s for s in read_petrarch_validation(args.data) if s.codings]
    sentences = sentences[:args.limit] if args.limit else sentences
    pipe = Pipeline()
    causes: Counter[str] = Counter()
    for sentence in sentences:
        analysis = pipe.analyze(sentence.text, published=sentence.date)
        event = _first_event(analysis)
        misses = []
        for slot in SLOTS:
            codes = [getattr(c, slot) for c in sentence.codings if getattr(c, slot) not in ("", "---")]
            gold = {parse_code(code, countries)[0] for code in codes} - {None}
            ours = [analysis.actor(i) for i in getattr(event, slot)] if event is not None else []
            if gold and not any(a is not None and a.country in gold for a in ours):
                cause = _cause(analysis, event, slot, gold)
                causes[f"{slot}:{cause}"] += 1
                misses.append(f"{slot}:{cause}")
        if not misses or (args.show and not any(m.split(":")[1] in args.show for m in misses)):
            continue
        print(f"\n[{sentence.sent_id}] {' '.join(misses)}\n  {sentence.text}")
        print("  gold: " + "; ".join(f"{c.event} {c.source} -> {c.target}" for c in sentence.codings))
        for e in sorted(analysis.events, key=lambda e: e.trigger.start):
            mark = "*" if e is event else " "
            print(f"  {mark}{e.type:10} {e.trigger.text!r} [{e.status}] src={_describe(analysis, e.source)} "
                  f"tgt={_describe(analysis, e.target)}")
        print("  actors: " + ", ".join(f"{a.name!r}:{a.code or '-'}" for a in analysis.actors))
    print(f"\n{len(sentences)} sentences; misses by cause:")
    for cause, n in causes.most_common():
        print(f"  {cause:24} {n}")


if __name__ == "__main__":
    main()
