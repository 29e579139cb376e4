"""The performance budget (issue 8), measured side by side in one run on the BBC corpus (``make bench``).

1. raw ``nlp.pipe`` of the spaCy model over the texts (the floor any spaCy-based design pays);
2. ``newstrace ingest`` end to end, single process (a fresh child process, model load included);
3. the same through Dask, ``--cluster local:1`` and ``local:2``;
4. ``newstrace analyze`` of one article, cold (a fresh process).

Writes the table between the bench markers of docs/performance.md (the rest of that file is prose).

    .venv/bin/python bench/performance.py [--limit N] [--corpus DIR] [--out docs/performance.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "eval" / "corpus" / "bbc_fulltext_2004_2005"
START, END = "<!-- bench:performance:start -->", "<!-- bench:performance:end -->"
TARGETS = {"ingest_vs_raw": 0.75, "local1_vs_ingest": 0.9, "rss_mb": 1536, "analyze_cold_s": 5.0}


@dataclass
class Run:
    """One measured configuration."""

    name: str
    articles: int
    seconds: float  # wall time, end to end
    in_run_rate: float | None = None  # articles/s the command itself reports (after model load and cluster start)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # per process role

    @property
    def rate(self) -> float:
        """Articles per second, end to end."""
        return self.articles / self.seconds if self.seconds else 0.0


def article_files(root: Path, limit: int | None) -> list[Path]:
    """The BBC article files (category/NNN.txt), sorted; the first ``limit`` taken evenly across categories."""
    files = sorted(f for f in root.glob("*/*.txt") if f.name[:3].isdigit())
    if limit and limit < len(files):
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    return files


class PeakMemory:
    """Polls a process tree's resident memory (psutil) and keeps each process's peak."""

    def __init__(self, root_pid: int, interval: float = 0.2) -> None:
        self.root = psutil.Process(root_pid)
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    role = _role(proc)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                old = self.peaks.get(proc.pid, (role, 0))
                self.peaks[proc.pid] = (role, max(old[1], rss))
            self._stop.wait(self.interval)

    def stop(self) -> dict[str, float]:
        """Peak MB by role (the highest over processes of that role)."""
        self._stop.set()
        self._thread.join()
        out: dict[str, float] = {}
        for role, rss in self.peaks.values():
            out[role] = max(out.get(role, 0.0), rss / 2**20)
        return out


def _role(proc: psutil.Process) -> str:
    """main (the newstrace command), worker (a Dask worker process) or helper (nanny, resource tracker)."""
    cmdline = " ".join(proc.cmdline())
    if "newstrace.cli" in cmdline:
        return "main"
    if "multiprocessing" in cmdline and "spawn" in cmdline:
        return "worker"  # Dask's worker processes are spawned by their nannies
    return "helper"


def raw_parse(files: list[Path]) -> Run:
    """``nlp.pipe`` over the texts newstrace would read from ``files`` (batch size 32, as ingest uses)."""
    from newstrace.nlp import load_model
    from newstrace.sources import RawArticle, iter_articles

    texts = [a.text for a in iter_articles([str(p) for p in files]) if isinstance(a, RawArticle)]
    nlp = load_model()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return Run("raw spaCy `nlp.pipe` (model loaded beforehand)", len(texts), time.perf_counter() - started)


def ingest(files: list[Path], name: str, extra: list[str]) -> Run:
    """``newstrace ingest`` of ``files`` into a fresh store in a child process: wall time and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        command = [sys.executable, "-m", "newstrace.cli", "ingest", *map(str, files), "--db", str(db), *extra]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        memory = PeakMemory(child.pid)
        _, stderr = child.communicate()
        seconds = time.perf_counter() - started
        peaks = memory.stop()
    if child.returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr}")
    summary = next(line for line in reversed(stderr.splitlines()) if line.startswith("ingested "))
    print(f"  {summary}")
    ingested = int(re.search(r"ingested (\d+)", summary).group(1))
    in_run = float(re.search(r"\(([\d.]+) articles/s\)", summary).group(1))
    reported = re.search(r"peak worker RSS (\d+) MB", summary)  # the workers' own getrusage peak, exact
    if reported:
        peaks["worker"] = max(peaks.get("worker", 0.0), float(reported.group(1)))
    return Run(name, ingested, seconds, in_run, {k: v for k, v in peaks.items() if k != "helper"})


def analyze_cold(article: Path, repeats: int = 3) -> list[float]:
    """Wall seconds of ``newstrace analyze ARTICLE`` in a fresh process, ``repeats`` times."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newstrace.cli", "analyze", str(article)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def machine_note() -> str:
    """The machine and whether anything else was running on it."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    others = [" ".join(p.info["cmdline"] or [])[:80] for p in psutil.process_iter(["cmdline", "cpu_percent"])
              if p.info["cmdline"] and "bench/" in " ".join(p.info["cmdline"]) and p.pid != os.getpid()
              and "performance.py" not in " ".join(p.info["cmdline"])]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    busy = f"other benchmarks running: {'; '.join(others)}" if others else "no other benchmark running"
    return f"{os.cpu_count()} vCPUs ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB; load average {load}; {busy}"


def _mark(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def render(runs: dict[str, Run], cold: list[float], files: int, corpus: Path, before: str, after: str) -> str:
    """The markdown block for docs/performance.md."""
    raw, single, one, two = runs["raw"], runs["single"], runs["local1"], runs["local2"]
    lines = [
        START,
        f"Measured {dt.date.today().isoformat()} by `bench/performance.py` over {files} files of "
        f"`{corpus.name}` ({raw.articles} articles read; {single.articles} distinct ones ingested).",
        "",
        f"- Machine at start: {before}",
        f"- Machine at end: {after}",
        "",
        "| configuration | articles | wall s | articles/s (end to end) | in-run articles/s | ratio | peak RSS |",
        "|---|---:|---:|---:|---:|---|---|",
    ]

    def rss(run: Run) -> str:
        return ", ".join(f"{role} {mb:.0f} MB" for role, mb in sorted(run.peak_rss_mb.items())) or "–"

    lines.append(f"| (1) {raw.name} | {raw.articles} | {raw.seconds:.1f} | {raw.rate:.2f} | – | 1.00 | – |")
    for label, run, base, base_name in (("(2)", single, raw, "(1)"), ("(3)", one, single, "(2)"), ("(3)", two, single, "(2)")):
        lines.append(f"| {label} {run.name} | {run.articles} | {run.seconds:.1f} | {run.rate:.2f} | "
                     f"{run.in_run_rate:.2f} | {run.rate / base.rate:.2f} of {base_name} | {rss(run)} |")
    lines.append(f"| (4) `newstrace analyze` of one article, cold | 1 | {statistics.median(cold):.2f} (median of "
                 f"{len(cold)}; {', '.join(f'{t:.2f}' for t in cold)}) | – | – | – | – |")
    workers = [run.peak_rss_mb.get("worker", 0.0) for run in (one, two)] + [single.peak_rss_mb.get("main", 0.0)]
    lines += [
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| (2) ≥ {TARGETS['ingest_vs_raw']} of (1) | {single.rate / raw.rate:.2f} | "
        f"{_mark(single.rate / raw.rate >= TARGETS['ingest_vs_raw'])} |",
        f"| (3) `local:1` ≥ {TARGETS['local1_vs_ingest']} of (2) | {one.rate / single.rate:.2f} | "
        f"{_mark(one.rate / single.rate >= TARGETS['local1_vs_ingest'])} |",
        f"| peak RSS per worker < 1.5 GB | {max(workers):.0f} MB (highest of the single process and every Dask worker) | "
        f"{_mark(max(workers) < TARGETS['rss_mb'])} |",
        f"| `analyze` cold < {TARGETS['analyze_cold_s']:.0f} s | {max(cold):.2f} s (slowest of {len(cold)}) | "
        f"{_mark(max(cold) < TARGETS['analyze_cold_s'])} |",
        "",
        "`local:2` runs two worker processes on this machine's two vCPUs, which may behave like about one core "
        "under sustained CPU-bound load: quote its figure as this machine's, not as a scaling result.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_block(out: Path, block: str) -> None:
    """Replace the bench block of ``out`` (or append it)."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Performance\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    out.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=BBC)
    parser.add_argument("--limit", type=int, default=None, help="files, taken evenly across the categories")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no BBC corpus at {args.corpus} (it lives in ../shared); performance bench skipped")
        return 0
    files = article_files(args.corpus, args.limit)
    before = machine_note()
    print(f"{len(files)} files; {before}")
    runs: dict[str, Run] = {}
    print("(1) raw parse")
    runs["raw"] = raw_parse(files)
    print(f"  {runs['raw'].rate:.2f} articles/s")
    print("(2) ingest, single process")
    runs["single"] = ingest(files, "`newstrace ingest`, single process", [])
    for n in (1, 2):
        print(f"(3) ingest --cluster local:{n}")
        runs[f"local{n}"] = ingest(files, f"`newstrace ingest --cluster local:{n}`", ["--cluster", f"local:{n}"])
    print("(4) analyze, cold")
    cold = analyze_cold(files[0])
    block = render(runs, cold, len(files), args.corpus, before, machine_note())
    print(block)
    if not args.no_write:
        write_block(args.out, block)
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
