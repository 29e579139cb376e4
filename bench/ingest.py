"""Ingest throughput and memory on the shared corpora (``make bench-ingest``).

For each corpus: ``newstrace ingest`` end to end into a fresh DuckDB file in a child process
(articles/s, peak RSS from the OS), and the raw spaCy parse of the same texts (the floor any
spaCy-based design pays), so the ratio shows what newstrace adds.

    .venv/bin/python bench/ingest.py [--corpus bbc|reuters|all] [--limit N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "corpus"
CORPORA = {"bbc": SHARED / "bbc_fulltext_2004_2005", "reuters": SHARED / "reuters21578"}


def raw_parse_rate(paths: list[Path], limit: int | None) -> tuple[int, float]:
    """Articles parsed per second by ``nlp.pipe`` alone, over the same inputs."""
    from newstrace.nlp import load_model
    from newstrace.sources import RawArticle, iter_articles

    texts = [a.text for a in iter_articles([str(p) for p in paths]) if isinstance(a, RawArticle)]
    texts = texts[:limit] if limit else texts
    nlp = load_model()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return len(texts), len(texts) / (time.perf_counter() - started)


def ingest_run(paths: list[Path], limit: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = paths
        if limit:  # a folder of the first N inputs keeps the child's run the same shape
            inputs = [_first_files(paths, limit, Path(tmp) / "inputs")]
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-m", "newstrace.cli", "ingest", *map(str, inputs), "--db", str(db)],
                               capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if child.returncode != 0:
            raise SystemExit(child.stderr)
        summary = child.stderr.strip().splitlines()[-1]
        return {"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "summary": summary}


def _first_files(paths: list[Path], limit: int, target: Path) -> Path:
    target.mkdir(parents=True)
    files = sorted(f for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file())[:limit]
    for i, f in enumerate(files):
        (target / f"{i:06d}{''.join(f.suffixes)}").write_bytes(f.read_bytes())
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--limit", type=int, default=None, help="files per corpus (Reuters: 1,000 wires per file)")
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    for name in names:
        root = CORPORA[name]
        if not root.exists():
            print(f"{name}: no data at {root}; skipped")
            continue
        run = ingest_run([root], args.limit)
        count, raw_rate = raw_parse_rate([root], args.limit)
        print(f"{name}: {run['summary']}")
        print(f"{name}: wall {run['seconds']:.1f} s, peak RSS {run['peak_rss_mb']:.0f} MB; "
              f"raw spaCy parse {raw_rate:.1f} articles/s over {count} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
