"""What serving while the corpus grows costs (docs/store.md, "Concurrent use").

A store of ``--base`` generated articles; a real ``newstrace serve`` process on it; page and API latencies
with the server idle, then while a real ``newstrace ingest`` process adds ``--more`` articles to the same
file (in batches of ``--batch``). Then the ingest overhead of opening the file per batch, in-process:
the same articles into copies of the base store with a held connection and with one per operation.

    .venv/bin/python bench/serve_while_ingesting.py [--base 200] [--more 100] [--batch 10]
    [--server-path DIR]   # run the server from another checkout (the idle phase only, for a before/after)

The articles are written here from templates (no copyrighted text); what they say does not matter, only
that each is a distinct news-like text with actors, places, dates and events.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CITIES = ["Aleppo", "Mosul", "Kherson", "Goma", "Sanaa", "Mogadishu", "Tripoli", "Juba", "Kabul", "Gaza", "Bamako",
          "Khartoum", "Tbilisi", "Baghdad", "Beirut", "Kyiv", "Damascus", "Tehran", "Ankara", "Cairo"]
ACTORS = ["Government troops", "Police", "Rebel fighters", "The foreign minister of Turkey", "Protesters",
          "The United Nations", "Israeli forces", "Russian forces", "The Iraqi prime minister", "Militants"]
DEEDS = ["shelled positions near {city}, killing {n} people, officials said",
         "met delegates in {city} to discuss a ceasefire",
         "arrested {n} demonstrators in {city}, witnesses said",
         "attacked a convoy outside {city}; the ministry blamed insurgents",
         "called for talks after clashes in {city} left {n} wounded",
         "protested against fuel prices in central {city}"]
PATHS = ("/ui/events", "/events?limit=50", "/ui/articles", "/health")


def article(i: int) -> dict[str, str]:
    """The i-th generated article (distinct text per i)."""
    city, actor = CITIES[i % len(CITIES)], ACTORS[(i // len(CITIES)) % len(ACTORS)]
    deed = DEEDS[(i // 7) % len(DEEDS)].format(city=city, n=3 + i % 11)
    day = 1 + i % 28
    text = (f"{city.upper()}, May {day}, 2024 — {actor} {deed} on Monday. "
            f"A spokesman said the situation in {city} remained tense. Dispatch {i}.")
    return {"id": f"g{i}", "title": f"Dispatch {i} from {city}", "text": text, "published": f"2024-05-{day:02d}",
            "source": ["Wire A", "Wire B", "Wire C"][i % 3]}


def write_corpus(path: Path, indexes: range) -> Path:
    path.write_text("".join(json.dumps(article(i)) + "\n" for i in indexes), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, server_path: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}
    if server_path:
        env["PYTHONPATH"] = server_path
    process = subprocess.Popen([sys.executable, "-m", "newstrace.cli", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               cwd=server_path or None)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{base}/health", timeout=5).raise_for_status()
            return process, base
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)


def timed_get(client: httpx.Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = client.get(path).status_code
    return (time.perf_counter() - started) * 1000, status


def summary(name: str, samples: dict[str, list[tuple[float, int]]]) -> None:
    print(f"\n{name}")
    print(f"  {'path':<20} {'n':>5} {'median ms':>10} {'p90 ms':>8} {'max ms':>8} {'non-200':>8}")
    for path, values in samples.items():
        if not values:
            continue
        ms = sorted(v for v, _ in values)
        p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
        bad = sum(1 for _, s in values if s != 200)
        print(f"  {path:<20} {len(ms):>5} {statistics.median(ms):>10.1f} {p90:>8.1f} {ms[-1]:>8.1f} {bad:>8}")


def idle_phase(base: str, rounds: int) -> dict[str, list[tuple[float, int]]]:
    samples: dict[str, list[tuple[float, int]]] = {p: [] for p in PATHS}
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in PATHS:
            client.get(path)  # warm up
        for _ in range(rounds):
            for path in PATHS:
                samples[path].append(timed_get(client, path))
    return samples


def ingest_phase(base: str, db: Path, corpus: Path, batch: int) -> tuple[dict[str, list[tuple[float, int]]], float, str]:
    samples: dict[str, list[tuple[float, int]]] = {p: [] for p in PATHS}
    started = time.perf_counter()
    writer = subprocess.Popen([sys.executable, "-m", "newstrace.cli", "ingest", str(corpus), "--db", str(db),
                               "--batch", str(batch)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with httpx.Client(base_url=base, timeout=120) as client:
        while writer.poll() is None:
            for path in PATHS:
                samples[path].append(timed_get(client, path))
    _, report = writer.communicate()
    return samples, time.perf_counter() - started, report.strip().splitlines()[-1] if report.strip() else ""


def ingest_overhead(base_db: Path, corpus: Path, batch: int, folder: Path, repeats: int) -> None:
    """The same ingest into copies of the base store: a held connection vs one per batch's reads and writes."""
    from newstrace.corpus import ingest
    from newstrace.pipeline import Pipeline
    from newstrace.store import Store

    pipeline = Pipeline()
    with Store(folder / "warm.duckdb") as warm:  # loads the model and lexicons before anything is timed
        ingest([str(write_corpus(folder / "warm.jsonl", range(10**6, 10**6 + 5)))], warm, pipeline)
    print(f"\ningest of {corpus.name} into a copy of the base store, in-process, batch {batch}, alternating:")
    seconds: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for hold in (True, False):
            db = folder / f"copy-{hold}.duckdb"
            shutil.copy(base_db, db)
            started = time.perf_counter()
            with Store(db, hold=hold) as store:
                result = ingest([str(corpus)], store, pipeline, batch_size=batch)
            seconds[hold].append(time.perf_counter() - started)
            assert result.ingested == len(corpus.read_text(encoding="utf-8").splitlines())
            db.unlink()
    for hold, runs in seconds.items():
        label = "held connection" if hold else "open per batch (hold=False)"
        print(f"  {label:<28} median {statistics.median(runs):5.2f} s  runs {', '.join(f'{r:.2f}' for r in runs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=200)
    parser.add_argument("--more", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=30, help="requests per path in the idle phase")
    parser.add_argument("--server-path", help="serve from this checkout (idle phase only)")
    parser.add_argument("--overhead-batch", type=int, default=50, help="batch size of the in-process comparison")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each in the in-process comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstrace-bench-") as tmp:
        folder = Path(tmp)
        db = folder / "store.duckdb"
        base_corpus = write_corpus(folder / "base.jsonl", range(args.base))
        more = write_corpus(folder / "more.jsonl", range(args.base, args.base + args.more))
        built = subprocess.run([sys.executable, "-m", "newstrace.cli", "ingest", str(base_corpus), "--db", str(db)],
                               capture_output=True, text=True, check=True)
        print(built.stderr.strip().splitlines()[-1])
        pristine = folder / "pristine.duckdb"
        shutil.copy(db, pristine)
        server, base = start_server(db, args.server_path)
        try:
            summary(f"server idle ({args.rounds} rounds)", idle_phase(base, args.rounds))
            if args.server_path:
                return
            samples, seconds, report = ingest_phase(base, db, more, args.batch)
            summary(f"while `newstrace ingest` adds {args.more} articles (batch {args.batch}), {seconds:.1f} s", samples)
            print(f"  ingest: {report}")
            documents = httpx.get(f"{base}/health", timeout=60).json()["documents"]
            print(f"  documents served afterwards: {documents} (expected {args.base + args.more})")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
        ingest_overhead(pristine, more, args.overhead_batch, folder, args.repeats)


if __name__ == "__main__":
    main()
