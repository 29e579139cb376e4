"""Linking cost at 10k and 100k events (``make bench-link``): does it grow linearly?

Synthetic stores: real-world events (a PLOVER type, a city, a day, two actors) each reported 1 to 5
times by different documents, at a constant density (a store that grows over time: 10k event records
span two years, 100k twenty), with noise: a report may give the day before or after, a month-precise
date, another city nearby, one actor fewer. Each report's sentence vector is its event's random
unit vector plus noise, stored beforehand, so the run times blocking, scoring, clustering and writing
(the sentence encoder's own rate is measured separately on real sentences and printed beside it).
Pairwise precision and recall against the synthetic truth show the linking stays sane at scale.

    .venv/bin/python bench/link.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newstrace.link import link_store
from newstrace.store import Store

TYPES = ("ASSAULT", "PROTEST", "COERCE", "CONSULT")
TRIGGERS = {"ASSAULT": ("attack", "bombing", "killed"), "PROTEST": ("protest", "rally"),
            "COERCE": ("arrested", "detained"), "CONSULT": ("met", "talks")}
COUNTRIES = [f"C{i:02d}" for i in range(60)]


def synthetic_store(db: Path, n_events: int, seed: int = 7) -> dict[tuple[str, str], int]:
    """Write about ``n_events`` event records (with documents, actors and vectors); return the truth."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    cities = [(f"City{i}", rng.uniform(-40, 60), rng.uniform(-100, 140)) for i in range(400)]
    start = dt.date(2000, 1, 1)
    span_days = int(730 * max(1.0, n_events / 10_000))
    docs, events, actors, vectors, truth = [], [], [], [], {}
    real = 0
    while len(events) < n_events:
        real += 1
        etype = rng.choice(TYPES)
        city, lat, lon = rng.choice(cities)
        day = start + dt.timedelta(days=rng.randrange(span_days))
        pair = rng.sample(COUNTRIES, 2)
        base = np_rng.normal(size=384).astype(np.float32)
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 5))):
            doc = f"d{len(docs):07d}"
            reported = day + dt.timedelta(days=rng.choice((0, 0, 0, -1, 1)))
            date = reported.isoformat() if rng.random() > 0.1 else reported.isoformat()[:7]
            sources = pair if rng.random() > 0.2 else pair[:1]
            trigger = rng.choice(TRIGGERS[etype])
            docs.append((doc, f"{trigger} in {city}", reported + dt.timedelta(days=1)))
            ids = [f"A{k + 1}" for k in range(len(sources))]
            actors.extend((doc, aid, code, code) for aid, code in zip(ids, sources, strict=True))
            events.append((doc, "E1", etype, trigger, ids[:1], ids[1:], date, city, lat, lon))
            vector = base + np_rng.normal(scale=0.6, size=384).astype(np.float32)
            vectors.append((doc, "E1", (vector / np.linalg.norm(vector)).tolist()))
            truth[(doc, "E1")] = real
    with Store(db) as store:
        con = store.con
        con.execute("INSERT INTO documents (id, text, published, source) SELECT unnest(?), unnest(?), unnest(?), 'bench'",
                    [[d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs]])
        con.execute("INSERT INTO actors (doc_id, actor_id, name, country) SELECT unnest(?), unnest(?), unnest(?), unnest(?)",
                    [list(c) for c in zip(*actors, strict=True)])
        columns = [list(c) for c in zip(*events, strict=True)]
        con.execute("INSERT INTO events (doc_id, event_id, type, trigger_text, source, target, date, place_name, lat, lon, "
                    "sent_start, sent_end, status) SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), "
                    "unnest(?), unnest(?), unnest(?), unnest(?), 0, 20, 'asserted'", columns)
        con.execute("UPDATE events SET day = TRY_CAST(date AS DATE)")
        vector_columns = [list(c) for c in zip(*vectors, strict=True)]
        con.execute("INSERT INTO event_vectors SELECT unnest(?), unnest(?), unnest(?)", vector_columns)
    return truth


def pairwise_prf(truth: dict[tuple[str, str], int], db: Path) -> tuple[float, float]:
    """Pairwise precision and recall of the stories against the synthetic events."""
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT story_id, doc_id, event_id FROM story_reports").fetchall()
    predicted = {(d, e): s for s, d, e in rows}
    both = Counter((truth[k], predicted[k]) for k in truth)
    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    tp = pairs(both)
    return tp / max(1, pairs(Counter(predicted[k] for k in truth))), tp / max(1, pairs(Counter(truth.values())))


def encoder_rate(n: int = 512) -> float:
    """Sentences per second of the MiniLM encoder (one thread) on varied sentences."""
    from newstrace.embed import encode, load_encoder

    load_encoder()
    sentences = [f"Officials said {i % 7 + 2} people were killed when a bomb exploded near a market in town {i}."
                 for i in range(n)]
    started = time.perf_counter()
    encode(sentences)
    return n / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "link.duckdb"
            truth = synthetic_store(db, size)
            with Store(db) as store:
                summary = link_store(store)
            precision, recall = pairwise_prf(truth, db)
            results.append((size, summary))
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in summary.timings.items())
            print(f"{size} events: linked in {summary.seconds:.1f} s ({size / summary.seconds:,.0f} events/s; {steps}); "
                  f"{summary.stories_total} stories for {len(set(truth.values()))} true events; "
                  f"pairwise precision {precision:.3f}, recall {recall:.3f}")
    if len(results) >= 2:
        (small, a), (large, b) = results[0], results[-1]
        print(f"cost ratio {b.seconds / a.seconds:.1f}x for {large / small:.0f}x the events")
    print(f"sentence encoder: {encoder_rate():.0f} sentences/s on one thread (the cost of new events' vectors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
