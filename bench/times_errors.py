"""List the times stage's errors on TimeML gold data by category, for error-driven rule work.

The spaCy parses are cached (a DocBin next to ``--cache``), so a second run only re-runs the
times stage: a full pass over TBAQ then takes seconds. Categories: ``missed`` (gold with no
overlapping prediction), ``spurious`` (prediction with no overlapping gold), ``span`` (overlap
but different offsets), ``value`` and ``type`` (overlap with the wrong value or type).

    PYTHONPATH=. python bench/times_errors.py ../shared/eval/time/tempeval3/TBAQ-cleaned --show value
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin

from newstrace import times
from newstrace.evaluation.metrics import match_spans
from newstrace.evaluation.readers import TimeDoc, read_tempeval3
from newstrace.evaluation.scoring import PredTimex, score_times
from newstrace.nlp import load_model

CATEGORIES = ("missed", "spurious", "span", "value", "type")


def _parses(docs: list[TimeDoc], cache: Path) -> list:
    """spaCy parses of ``docs``, from ``cache`` when it holds exactly these texts."""
    nlp = load_model()
    key = hashlib.sha1("\x00".join(d.text for d in docs).encode()).hexdigest()[:12]
    path = cache.with_name(f"{cache.stem}-{key}.spacy")
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    parsed = list(nlp.pipe(d.text for d in docs))
    bin_ = DocBin()
    for doc in parsed:
        bin_.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(path)
    return parsed


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newstrace-times-parses.spacy"))
    parser.add_argument("--show", choices=CATEGORIES, action="append", default=[])
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    docs = [d for p in args.data for d in read_tempeval3(p)]
    docs = docs[:args.limit] if args.limit else docs
    parses = _parses(docs, args.cache)
    counts: Counter = Counter()
    lines: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    scored = []
    for doc, parsed in zip(docs, parses, strict=True):
        anchor = dt.date.fromisoformat(doc.published[:10]) if doc.published else None
        pred = [PredTimex(t.span.start, t.span.end, t.type, t.value) for t in times.extract_times(parsed, anchor)]
        gold = doc.timexes
        scored.append((gold, pred))
        pairs = match_spans([(g.start, g.end) for g in gold], [(p.start, p.end) for p in pred], "overlap")
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                counts["missed"] += 1
                lines["missed"].append(f"{doc.doc_id} {anchor} {g.type} {g.value:12} {_context(doc.text, g.start, g.end)}")
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                counts["spurious"] += 1
                lines["spurious"].append(f"{doc.doc_id} {p.type} {p.value:12} {_context(doc.text, p.start, p.end)}")
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if (g.start, g.end) != (p.start, p.end):
                counts["span"] += 1
                lines["span"].append(f"gold [{doc.text[g.start:g.end]}] ours [{doc.text[p.start:p.end]}]")
            if g.value.upper() != p.value.upper():
                counts["value"] += 1
                lines["value"].append(f"{doc.doc_id} {anchor} gold {g.value:14} ours {p.value:14} "
                                      f"{_context(doc.text, g.start, g.end, 30)} ours [{doc.text[p.start:p.end]}]")
            if g.type != p.type:
                counts["type"] += 1
                lines["type"].append(f"gold {g.type} ours {p.type} [{doc.text[g.start:g.end]}] {g.value}")
    for category in args.show:
        print(f"== {category} ({counts[category]})")
        print("\n".join(lines[category]))
    print({k: v for k, v in score_times(scored).items()})
    print(dict(counts))


if __name__ == "__main__":
    main()
