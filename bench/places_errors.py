"""Places errors on the dev geoparsing sets (LGL, GeoWebNews, GeoVirus), grouped by kind.

Runs only the places stage on the same articles as ``newstrace eval places --limit N`` (the parses are
cached as a spaCy DocBin, so a second run after a change to ``newstrace/places`` takes seconds) and prints:

- the per-set table (span P/R/F1, acc@161 and exact GeoNames id of the found toponyms, end-to-end
  acc@161), computed with the same scorer as ``newstrace eval places``;
- resolution errors: found gold toponyms placed more than 161 km away (our place, gold place, distance),
  grouped by our gazetteer source;
- misses (gold toponyms no prediction overlaps), grouped by whether the gazetteer knows the name;
- spurious predictions (no gold toponym overlaps them), grouped by gazetteer source.

Usage: ``PYTHONPATH=. python bench/places_errors.py --limit 300 [--show 40] [--set LGL] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import DocBin

from newstrace.evaluation import readers
from newstrace.evaluation.metrics import haversine_km
from newstrace.evaluation.readers import GeoDoc
from newstrace.evaluation.scoring import PredPlace, score_places
from newstrace.evaluation.tasks import PLACES_PER_CORPUS, _take_balanced, country_alpha3
from newstrace.model import Place
from newstrace.pipeline import Pipeline
from newstrace.places.towns import cache_dir

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "geo" / "gritta_geoparsing"


def load_docs(limit: int) -> list[GeoDoc]:
    """The articles ``newstrace eval places --limit`` scores, in the same order."""
    return _take_balanced((d for d in readers.read_gritta(DATA)), lambda d: d.corpus, limit)


def parses(pipeline: Pipeline, docs: list[GeoDoc]) -> list:
    """spaCy parses of the articles, from a DocBin cache keyed by the texts and the model."""
    key = hashlib.sha1("\0".join(d.text for d in docs).encode()).hexdigest()[:12]
    path = cache_dir() / f"bench-places-{pipeline.nlp.meta['name']}-{pipeline.nlp.meta['version']}-{key}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(pipeline.nlp.vocab))
    parsed = list(pipeline.nlp.pipe([d.text for d in docs], batch_size=16))
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=parsed).to_disk(path)
    return parsed


def predictions(pipeline: Pipeline, parsed: list) -> tuple[list[list[Place]], float]:
    """Places of every parse and the places stage's mean cost per article (ms)."""
    started = time.perf_counter()
    out = [pipeline.places.find(doc) for doc in parsed]
    return out, 1000 * (time.perf_counter() - started) / max(len(parsed), 1)


def table(docs: list[GeoDoc], places: list[list[Place]]) -> dict[str, dict]:
    """Per-set and overall metrics with the eval's scorer."""
    by_set: dict[str, list] = defaultdict(list)
    for doc, found in zip(docs, places, strict=True):
        pred = [PredPlace(p.span.start, p.span.end, p.lat, p.lon, p.geonames_id, p.country) for p in found]
        by_set[doc.corpus].append((doc.toponyms, pred))
    out = {name: score_places(pairs, country_alpha3) for name, pairs in sorted(by_set.items())}
    out["all"] = score_places([p for pairs in by_set.values() for p in pairs], country_alpha3)
    return out


def print_table(metrics: dict[str, dict]) -> None:
    keys = [k for k in PLACES_PER_CORPUS if k != "n_gold"]
    print("set        " + " ".join(f"{k:>14}" for k in keys) + "   n_gold")
    for name, m in metrics.items():
        cells = " ".join(f"{m[k]:>14.3f}" if m[k] is not None else f"{'—':>14}" for k in keys)
        print(f"{name:<10} {cells}   {m['n_gold']}")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def errors(docs: list[GeoDoc], places: list[list[Place]], only: str | None) -> tuple[list, list, list]:
    """(resolution errors, misses, spurious) over the articles."""
    wrong, missed, spurious = [], [], []
    for doc, found in zip(docs, places, strict=True):
        if only and doc.corpus != only:
            continue
        used: set[int] = set()
        for g in doc.toponyms:
            match = next((i for i, p in enumerate(found) if i not in used
                          and _overlaps((g.start, g.end), (p.span.start, p.span.end))), None)
            if match is None:
                missed.append((doc, g))
                continue
            used.add(match)
            p = found[match]
            if None not in (g.lat, g.lon, p.lat, p.lon):
                km = haversine_km(g.lat, g.lon, p.lat, p.lon)
                if km > 161:
                    wrong.append((doc, g, p, km))
            elif g.lat is not None and p.lat is None:
                wrong.append((doc, g, p, float("inf")))
        spurious += [(doc, p) for i, p in enumerate(found) if i not in used]
    return wrong, missed, spurious


def context(doc: GeoDoc, start: int, end: int, width: int = 50) -> str:
    left = doc.text[max(0, start - width):start].replace("\n", " ")
    right = doc.text[end:end + width].replace("\n", " ")
    return f"{left}[[{doc.text[start:end]}]]{right}"


def report(docs: list[GeoDoc], places: list[list[Place]], pipeline: Pipeline, show: int, only: str | None) -> None:
    wrong, missed, spurious = errors(docs, places, only)
    gaz = pipeline.places.gazetteer
    print(f"\n== resolution errors (>161 km or no coordinates): {len(wrong)}")
    by_source = Counter(p.gazetteer for _, _, p, _ in wrong)
    print("   by our source:", dict(by_source.most_common()))
    names = Counter((g.name, p.name, p.country) for _, g, p, _ in wrong)
    print("   most frequent:", ", ".join(f"{g}→{n} ({c}) ×{k}" for (g, n, c), k in names.most_common(25)))
    for doc, g, p, km in sorted(wrong, key=lambda w: (w[3], w[1].name))[:show]:
        print(f"  {doc.corpus:<10} {g.name!r:<24} ours {p.name} {p.country} {p.lat},{p.lon} id={p.geonames_id} "
              f"[{p.gazetteer}]  gold {g.lat},{g.lon} id={g.geonames_id}  {km:.0f} km")
    print(f"\n== misses: {len(missed)}")
    known = Counter("known" if gaz.knows(g.name) else ("lower" if g.name[:1].islower() else "unknown")
                    for _, g in missed)
    print("   gazetteer:", dict(known), " by kind:", dict(Counter(g.kind or "-" for _, g in missed).most_common(12)))
    print("   most frequent:", ", ".join(f"{n} ×{k}" for n, k in Counter(g.name for _, g in missed).most_common(40)))
    for doc, g in missed[:show]:
        print(f"  {doc.corpus:<10} {g.kind:<12} {'K' if gaz.knows(g.name) else '-'} {context(doc, g.start, g.end)}")
    print(f"\n== spurious: {len(spurious)}")
    print("   by source:", dict(Counter(p.gazetteer or "-" for _, p in spurious).most_common()))
    print("   by set:", dict(Counter(d.corpus for d, _ in spurious).most_common()))
    print("   most frequent:", ", ".join(f"{n} ×{k}" for n, k in Counter(p.span.text for _, p in spurious).most_common(40)))
    for doc, p in spurious[:show]:
        print(f"  {doc.corpus:<10} {p.gazetteer:<10} {context(doc, p.span.start, p.span.end)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--show", type=int, default=40, help="examples listed per group")
    parser.add_argument("--set", dest="only", help="list errors of one set only (GeoWebNews, GeoVirus, LGL)")
    parser.add_argument("--out", type=Path, help="write the report here instead of stdout")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA}: dev geoparsing data not found")
    docs = load_docs(args.limit)
    pipeline = Pipeline()
    parsed = parses(pipeline, docs)
    places, ms = predictions(pipeline, parsed)
    if args.out:
        sys.stdout = args.out.open("w", encoding="utf-8")
    print(f"{len(docs)} articles; places stage {ms:.1f} ms per article")
    print_table(table(docs, places))
    report(docs, places, pipeline, args.show, args.only)


if __name__ == "__main__":
    main()
