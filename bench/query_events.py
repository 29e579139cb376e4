"""A per-month count for one actor pair over 1 million synthetic events (issue: under 1 s).

Builds a DuckDB store with the real schema and 1,000,000 generated event rows (20,000 documents),
then times the query `newstrace` users run most: events per month for a source/target country pair.

    .venv/bin/python bench/query_events.py [--events N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from newstrace.store import Store

COUNTRIES = ["USA", "IRN", "IRQ", "ISR", "RUS", "UKR", "CHN", "TUR", "SYR", "SAU", "YEM", "LBN", "EGY", "PSE", "AFG"]
TYPES = ["ASSAULT", "ACCUSE", "THREATEN", "CONSULT", "AGREE", "SANCTION", "REQUEST", "PROTEST", "AID", "COERCE"]


def fill(store: Store, n: int) -> None:
    """Generate ``n`` events in SQL (fast and reproducible: every column derives from the row number)."""
    c, t = len(COUNTRIES), len(TYPES)
    store.con.execute(f"""
        INSERT INTO events (doc_id, event_id, type, source_countries, target_countries, date, day, status, confidence)
        SELECT 'd' || (i // 50), 'E' || (i % 50), ({TYPES}::VARCHAR[])[1 + (i * 7) % {t}],
               [({COUNTRIES}::VARCHAR[])[1 + (i * 3) % {c}]], [({COUNTRIES}::VARCHAR[])[1 + (i * 5 + 1) % {c}]],
               strftime(DATE '2015-01-01' + INTERVAL (i % 3650) DAY, '%Y-%m-%d'),
               DATE '2015-01-01' + INTERVAL (i % 3650) DAY, 'asserted', 0.5
        FROM range({n}) r(i)""")


QUERY = """
    SELECT substr(date, 1, 7) AS month, count(*) AS events
    FROM events WHERE list_contains(source_countries, ?) AND list_contains(target_countries, ?)
    GROUP BY month ORDER BY month"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "million.duckdb"
        with Store(path) as store:
            started = time.perf_counter()
            fill(store, args.events)
            print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f} s")
        with Store(path, read_only=True) as store:
            pairs = store.query("SELECT source_countries[1], target_countries[1], count(*) FROM events "
                                "GROUP BY ALL ORDER BY 3 DESC LIMIT 1")[1][0]
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                rows = store.query(QUERY, [pairs[0], pairs[1]])[1]
                timings.append(time.perf_counter() - started)
            print(f"{pairs[0]}→{pairs[1]}: {len(rows)} months, {sum(r[1] for r in rows):,} events; "
                  f"query {min(timings) * 1000:.0f} ms best, {max(timings) * 1000:.0f} ms worst of 5 (cold file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
