"""Bounded load test of ``newstrace serve``: a real server subprocess on 127.0.0.1, asyncio + httpx clients.

Phases (each stops by itself after its duration):

1. reads: ``--read-clients`` clients (default 50) loop over the read endpoints (JSON listings, one document,
   the events overview, CSV, the HTML pages, a static file) for ``--read-seconds``;
2. analyses: ``--analyze-clients`` clients (default 4) post articles to ``POST /analyze`` for
   ``--analyze-seconds`` while a tenth of the read clients go on reading. The server runs with
   ``--max-pending`` (default 2, under the client count on purpose) so that overload is shed: an
   analysis is answered (200) or refused at once with 503 and a Retry-After; nothing piles up;
3. cool-down: wait until no analysis is pending, then measure the server's RSS again.

``--rounds`` (default 3) repeats phases 1-3: RSS after each round tells caches that fill once (DuckDB's
buffer pool, the allocator's per-thread arenas, spaCy's string store) from a leak, which would grow on.

Reported: requests, requests/s, p50/p95/p99 latency and status counts per phase, errors (transport
failures), whether the server is still alive, and its RSS at start (cold), after warm-up (baseline: the
model loaded), at peak and after the cool-down. Exit status 1 if the server died or answered a 5xx
other than 503. Latencies are reported, never judged: this machine's CPU is shared.

    .venv/bin/python bench/load.py [--db STORE] [--json results.json]      # make load
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
START_TIMEOUT = 120.0  # seconds for the server to answer /health (it imports spaCy)
REQUEST_TIMEOUT = 60.0
MB = 1024 * 1024


@dataclass
class PhaseResult:
    """What the clients of one phase saw."""

    name: str
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0  # transport failures: refused or reset connections, timeouts
    statuses: dict[str, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    rps: float = 0.0
    retry_after_missing: int = 0  # 503 answers without a Retry-After header
    error_examples: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """The whole run."""

    phases: list[PhaseResult]
    rss_cold_mb: float
    rss_baseline_mb: float
    rss_peak_mb: float
    rss_after_mb: float
    alive: bool
    server_errors: int  # 5xx answers other than 503
    rss_after_rounds_mb: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The server lived and never failed a request with a 5xx other than 503."""
        return self.alive and self.server_errors == 0


class _Recorder:
    def __init__(self, name: str, clients: int) -> None:
        self.result = PhaseResult(name, clients, 0.0)
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()

    def record(self, response: httpx.Response, seconds: float) -> None:
        self.latencies.append(seconds)
        self.statuses[str(response.status_code)] += 1
        if response.status_code == 503 and not response.headers.get("retry-after"):
            self.result.retry_after_missing += 1

    def failed(self, exc: Exception) -> None:
        self.result.errors += 1
        if len(self.result.error_examples) < 5:
            self.result.error_examples.append(f"{type(exc).__name__}: {exc}"[:200])

    def finish(self, seconds: float) -> PhaseResult:
        r = self.result
        r.seconds = round(seconds, 1)
        r.requests = len(self.latencies)
        r.statuses = dict(sorted(self.statuses.items()))
        r.rps = round(r.requests / seconds, 1) if seconds else 0.0
        if self.latencies:
            ordered = sorted(self.latencies)

            def pick(q: float) -> float:
                return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

            r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms = pick(0.50), pick(0.95), pick(0.99), round(ordered[-1] * 1000, 1)
        return r


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path) -> Path:
    """A store of the bundled examples, made by ``newstrace ingest`` as a user would."""
    db = folder / "load.duckdb"
    subprocess.run([sys.executable, "-m", "newstrace.cli", "ingest", str(EXAMPLES), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return db


def start_server(db: Path, port: int, max_pending: int) -> subprocess.Popen:
    """``newstrace serve`` as its own process (so its RSS is its own), ingest off."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}
    return subprocess.Popen([sys.executable, "-m", "newstrace.cli", "serve", "--db", str(db), "--port", str(port),
                             "--max-pending", str(max_pending)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def stop_server(server: subprocess.Popen) -> None:
    """Ctrl-C, then a kill if it does not stop (by its own pid only)."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def wait_until_up(client: httpx.AsyncClient, server: subprocess.Popen) -> None:
    """Poll /health until the server answers (or give up)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if (await client.get("/health", timeout=5)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"newstrace serve exited with {server.returncode} before answering")
        if time.monotonic() > deadline:
            raise RuntimeError("newstrace serve did not answer /health in time")
        await asyncio.sleep(0.2)


async def read_paths(client: httpx.AsyncClient) -> list[str]:
    """The read requests the clients choose from, with ids and an actor taken from the store itself."""
    docs = (await client.get("/documents", params={"limit": 20})).json()["items"]
    actors = (await client.get("/actors", params={"limit": 5})).json()["items"]
    paths = ["/health", "/documents?limit=20", "/events?limit=50", "/events/overview", "/statements?limit=50",
             "/actors?limit=20", "/events?format=csv&limit=100", "/events?status=asserted&limit=20",
             "/ui/articles", "/ui/events", "/ui/stories", "/", "/static/viz.js"]
    for doc in docs[:5]:
        paths += [f"/documents/{doc['id']}", f"/ui/articles/{doc['id']}"]
    for actor in actors[:2]:
        name = next((v for k, v in actor.items() if k in {"name", "actor"} and v), None)
        if name:
            paths.append(f"/events?actor={name}")
    return paths


def articles() -> list[dict[str, str]]:
    """Bodies for POST /analyze: the bundled example articles."""
    return [{"text": p.read_text(encoding="utf-8")} for p in sorted(EXAMPLES.glob("*.txt"))]


async def _reader(client: httpx.AsyncClient, paths: list[str], rec: _Recorder, stop: float, rng: random.Random) -> None:
    while time.monotonic() < stop:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            response = await client.get(path)
            rec.record(response, time.perf_counter() - started)
        except httpx.TransportError as exc:
            rec.failed(exc)
            await asyncio.sleep(0.1)  # a refused connection returns at once: do not spin


async def _analyst(client: httpx.AsyncClient, bodies: list[dict], rec: _Recorder, stop: float, rng: random.Random) -> None:
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            response = await client.post("/analyze", json=rng.choice(bodies))
            rec.record(response, time.perf_counter() - started)
            if response.status_code == 503:
                # Shorter than the Retry-After a polite client would wait: keep the pressure on the server.
                await asyncio.sleep(0.25)
        except httpx.TransportError as exc:
            rec.failed(exc)
            await asyncio.sleep(0.1)


async def _sample_rss(process: psutil.Process, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], process.memory_info().rss / MB)
        except psutil.Error:
            return
        await asyncio.sleep(0.2)


def _rss(process: psutil.Process) -> float:
    return round(process.memory_info().rss / MB, 1)


async def _round(client: httpx.AsyncClient, paths: list[str], bodies: list[dict], rng: random.Random, label: str,
                 read_seconds: float, read_clients: int, analyze_seconds: float, analyze_clients: int,
                 log: Any) -> list[PhaseResult]:
    """One round: the read phase, then the analysis phase with a few readers beside it, then the cool-down."""
    rec = _Recorder(f"reads{label}", read_clients)
    started = time.monotonic()
    stop = started + read_seconds
    await asyncio.gather(*(_reader(client, paths, rec, stop, random.Random(rng.random())) for _ in range(read_clients)))
    phases = [rec.finish(time.monotonic() - started)]
    log(f"reads{label} done: {phases[-1].requests} requests")

    side_clients = max(1, read_clients // 10)
    analyses, side = _Recorder(f"analyze{label}", analyze_clients), _Recorder(f"reads during analyses{label}", side_clients)
    started = time.monotonic()
    stop = started + analyze_seconds
    await asyncio.gather(
        *(_analyst(client, bodies, analyses, stop, random.Random(rng.random())) for _ in range(analyze_clients)),
        *(_reader(client, paths, side, stop, random.Random(rng.random())) for _ in range(side_clients)))
    elapsed = time.monotonic() - started
    phases += [analyses.finish(elapsed), side.finish(elapsed)]
    log(f"analyses{label} done: {phases[-2].requests} requests")

    # Cool-down: analyses whose callers left may still run on the worker; wait for them to end.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if (await client.get("/health")).json()["pending_analyses"] == 0:
                break
        except httpx.TransportError:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)
    return phases


async def _run(base_url: str, server: subprocess.Popen, read_seconds: float, read_clients: int,
               analyze_seconds: float, analyze_clients: int, rounds: int, seed: int, log: Any) -> LoadResult:
    rng = random.Random(seed)
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout would close them under the client:
    # a request sent on a connection the server is closing fails in transit (the HTTP/1.1 keep-alive race).
    limits = httpx.Limits(max_connections=read_clients + analyze_clients + 5, max_keepalive_connections=read_clients + 5,
                          keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        await wait_until_up(client, server)
        process = psutil.Process(server.pid)
        cold = _rss(process)
        paths = await read_paths(client)
        bodies = articles()
        for path in paths:  # warm-up: every page once, and one analysis, which loads the model
            await client.get(path)
        warm = await client.post("/analyze", json=bodies[0])
        if warm.status_code != 200:
            raise RuntimeError(f"warm-up analysis answered {warm.status_code}: {warm.text[:200]}")
        baseline = _rss(process)
        log(f"server pid {server.pid}: RSS {cold} MB cold, {baseline} MB after warm-up; {len(paths)} read paths")

        peak = [baseline]
        sampling = asyncio.Event()
        sampler = asyncio.create_task(_sample_rss(process, peak, sampling))
        phases: list[PhaseResult] = []
        after_rounds: list[float] = []
        for n in range(rounds):
            label = f" #{n + 1}" if rounds > 1 else ""
            phases += await _round(client, paths, bodies, rng, label, read_seconds, read_clients, analyze_seconds,
                                   analyze_clients, log)
            if server.poll() is not None:
                break
            after_rounds.append(_rss(process))
            log(f"RSS after round {n + 1}: {after_rounds[-1]} MB")
        sampling.set()
        await sampler
        alive = server.poll() is None
        if alive:
            try:
                alive = (await client.get("/health")).status_code == 200
            except httpx.TransportError:
                alive = False
        after = _rss(process) if server.poll() is None else 0.0
    server_errors = sum(n for p in phases for s, n in p.statuses.items() if s.startswith("5") and s != "503")
    return LoadResult(phases, cold, baseline, round(peak[0], 1), after, alive, server_errors, after_rounds)


def run_load(db: Path, *, read_seconds: float = 30, read_clients: int = 50, analyze_seconds: float = 30,
             analyze_clients: int = 4, max_pending: int = 2, rounds: int = 3, seed: int = 9,
             log: Any = print) -> LoadResult:
    """Start ``newstrace serve`` on ``db``, run the phases, stop the server; returns what was measured."""
    port = free_port()
    server = start_server(db, port, max_pending)
    try:
        return asyncio.run(_run(f"http://127.0.0.1:{port}", server, read_seconds, read_clients, analyze_seconds,
                                analyze_clients, rounds, seed, log))
    finally:
        stop_server(server)


def report(result: LoadResult) -> str:
    """The results as a plain-text table."""
    lines = [f"{'phase':24} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
             f"{'max ms':>8} {'errors':>6}  statuses"]
    for p in result.phases:
        lines.append(f"{p.name:24} {p.clients:>7} {p.requests:>8} {p.rps:>7} {p.p50_ms!s:>8} {p.p95_ms!s:>8} "
                     f"{p.p99_ms!s:>8} {p.max_ms!s:>8} {p.errors:>6}  {json.dumps(p.statuses)}")
    lines.append(f"server RSS: {result.rss_cold_mb} MB cold, {result.rss_baseline_mb} MB baseline (model loaded), "
                 f"{result.rss_peak_mb} MB peak, {result.rss_after_mb} MB after the cool-down "
                 f"({result.rss_after_mb - result.rss_baseline_mb:+.1f} MB); after each round: "
                 f"{', '.join(f'{v} MB' for v in result.rss_after_rounds_mb)}")
    lines.append(f"server alive at the end: {result.alive}; 5xx other than 503: {result.server_errors}; "
                 f"503 without Retry-After: {sum(p.retry_after_missing for p in result.phases)}")
    return "\n".join(lines)


def main() -> int:
    """Command line: ``python bench/load.py --help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="store to serve (default: the examples, ingested into a temp folder)")
    parser.add_argument("--read-seconds", type=float, default=30)
    parser.add_argument("--read-clients", type=int, default=50)
    parser.add_argument("--analyze-seconds", type=float, default=30)
    parser.add_argument("--analyze-clients", type=int, default=4)
    parser.add_argument("--max-pending", type=int, default=2, help="the server's analysis queue bound")
    parser.add_argument("--rounds", type=int, default=3, help="repeat reads + analyses + cool-down this many times")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstrace-load-") as folder:
        db = args.db or build_store(Path(folder))
        result = run_load(db, read_seconds=args.read_seconds, read_clients=args.read_clients,
                          analyze_seconds=args.analyze_seconds, analyze_clients=args.analyze_clients,
                          max_pending=args.max_pending, rounds=args.rounds, seed=args.seed,
                          log=lambda m: print(m, file=sys.stderr, flush=True))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps({**asdict(result), "ok": result.ok}, indent=2) + "\n", encoding="utf-8")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
