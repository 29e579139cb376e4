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
# the article files of each corpus: Reuters ships READMEs and category lists beside its SGML
PATTERNS = {"bbc": "*", "reuters": "reut2-*.sgm"}


def article_files(root: Path, pattern: str, limit: int | None) -> list[Path]:
    """The corpus's article files, sorted, the first ``limit`` of them if given."""
    files = sorted(f for f in root.rglob(pattern) if f.is_file())
    return files[:limit] if limit else files


def raw_parse_rate(files: list[Path]) -> tuple[int, float]:
    """Articles parsed per second by ``nlp.pipe`` alone, over the same inputs."""
    from newstrace.nlp import load_model
    from newstrace.sources import RawArticle, iter_articles

    texts = [a.text for a in iter_articles([str(p) for p in files]) if isinstance(a, RawArticle)]
    nlp = load_model()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return len(texts), len(texts) / (time.perf_counter() - started)


def ingest_run(files: list[Path]) -> dict:
    """``newstrace ingest`` of ``files`` into a fresh store in a child process: wall time, peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-m", "newstrace.cli", "ingest", *map(str, files), "--db", str(db)],
                               capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if child.returncode != 0:
            raise SystemExit(child.stderr)
        summary = next((line for line in reversed(child.stderr.splitlines()) if line.startswith("ingested")), "")
        return {"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "summary": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--limit", type=int, default=None, help="files per corpus (Reuters: 1,000 wires per file)")
    parser.add_argument("--skip-raw", action="store_true", help="time the ingest only, not the raw parse")
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    for name in names:
        root = CORPORA[name]
        if not root.exists():
            print(f"{name}: no data at {root}; skipped")
            continue
        files = article_files(root, PATTERNS[name], args.limit)
        run = ingest_run(files)
        print(f"{name}: {run['summary']}")
        print(f"{name}: wall {run['seconds']:.1f} s, peak RSS {run['peak_rss_mb']:.0f} MB")
        if not args.skip_raw:
            count, raw_rate = raw_parse_rate(files)
            print(f"{name}: raw spaCy parse {raw_rate:.1f} articles/s over {count} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
