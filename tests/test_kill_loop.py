"""Data safety: a real ``newstrace ingest`` subprocess is killed with SIGKILL at random points, again and again,
over a real DuckDB file. After every kill ``newstrace check`` must find the store consistent (no duplicates, no
orphans, spans inside their texts, every input with an outcome); the next run resumes where the last committed
batch ended. After the last kill a resume completes, and ``newstrace check CORPUS`` must account for every input
as ingested or as an error row.

The kill points are drawn from a seeded generator (printed; set NEWSTRACE_KILL_SEED to replay a run): during
start-up and model load (at the latest right after the run's first commit), or a random fraction of a second
after the 1st or 2nd batch this run commits, which lands in the analysis of the next batch or in its transaction.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

N_KILLS = 5
N_ARTICLES = 60
BATCH = 2
STORIES = [
    "KABUL, August 16, 2021 — Taliban fighters seized the presidential palace on Sunday, officials said.",
    "BEIRUT, April 7, 2023 — Hezbollah denied responsibility for the rocket attack on northern Israel.",
    "MOGADISHU, October 30, 2022 — Al-Shabaab claimed responsibility for the bombing in Mogadishu on Saturday.",
    "KYIV, February 1, 2023 — Ukraine said Russian forces shelled a hospital in Kherson on Tuesday.",
]
PROGRESS = re.compile(r"^(\d+) inputs, (\d+) ingested")  # the plain progress line, one per committed batch


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for i in range(N_ARTICLES):
        (folder / f"a{i:03d}.txt").write_text(f"{STORIES[i % 4]} Report number {i} followed on day {i + 1}.",
                                               encoding="utf-8")
    (folder / "malformed.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 40)  # not text: an error row
    return folder


class _Ingest:
    """One ``newstrace ingest`` run, with its progress lines read as they come."""

    def __init__(self, corpus: Path, db: Path) -> None:
        command = [sys.executable, "-m", "newstrace.cli", "ingest", str(corpus), "--db", str(db), "--batch", str(BATCH)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.batches = 0  # batches this run committed with new documents (not those it skipped as done)
        self._ingested = 0
        self.progressed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.progressed:
                self.lines.append(line.rstrip())
                progress = PROGRESS.match(line)
                if progress and int(progress.group(2)) > self._ingested:
                    self._ingested = int(progress.group(2))
                    self.batches += 1
                self.progressed.notify_all()
        with self.progressed:
            self.progressed.notify_all()

    def wait_for_batches(self, n: int, timeout: float = 120) -> None:
        with self.progressed:
            self.progressed.wait_for(lambda: self.batches >= n or self.process.poll() is not None, timeout)

    def kill(self) -> bool:
        """SIGKILL this run (by its own pid); False if it had already ended."""
        if self.process.poll() is not None:
            return False
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return True


def _check(db: Path, *inputs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newstrace.cli", "check", *map(str, inputs), "--db", str(db)],
                          capture_output=True, text=True, timeout=120)


def test_store_survives_repeated_kill_9_during_ingest(tmp_path):
    seed = int(os.environ.get("NEWSTRACE_KILL_SEED", random.SystemRandom().randrange(1_000_000)))
    rng = random.Random(seed)
    print(f"\nkill seed {seed} (NEWSTRACE_KILL_SEED={seed} replays it)")
    corpus = _corpus(tmp_path / "corpus")
    db = tmp_path / "store.duckdb"
    committed: list[int] = []
    started = time.monotonic()
    for round_ in range(N_KILLS):
        run = _Ingest(corpus, db)
        # The first run must commit something, so that the store file exists to be checked.
        batches = rng.choice([1, 1, 2]) if round_ == 0 else rng.choice([0, 1, 1, 2])
        if batches:
            run.wait_for_batches(batches)
            pause = rng.uniform(0.0, 0.15)
            time.sleep(pause)
            where = f"{pause:.2f} s after batch {batches}"
        else:  # during start-up and model load: a random moment, but never past this run's first commit
            delay = rng.uniform(0.3, 4.0)
            begun = time.monotonic()
            run.wait_for_batches(1, timeout=delay)
            where = f"{time.monotonic() - begun:.1f} s after start"
        assert run.kill(), f"round {round_ + 1}: the ingest ended before the kill: {run.lines[-3:]}"
        check = _check(db)
        assert check.returncode == 0, f"after kill {round_ + 1} ({where}):\n{check.stdout}{check.stderr}"
        inputs = int(re.search(r"(\d+) inputs", check.stdout).group(1))
        committed.append(inputs)
        print(f"kill {round_ + 1}: {where}; {inputs} inputs committed; check ok")

    resumed = subprocess.run([sys.executable, "-m", "newstrace.cli", "ingest", str(corpus), "--db", str(db),
                              "--batch", str(BATCH)], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    skipped = int(re.search(r"skipped \(already in the store\) (\d+)", resumed.stderr).group(1))
    assert skipped == committed[-1] > 0  # it resumed: what the killed runs committed was not redone

    final = _check(db, corpus)
    assert final.returncode == 0, final.stdout + final.stderr
    assert f"{N_ARTICLES + 1} inputs read from paths" in final.stdout and "ok:" in final.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (N_ARTICLES, N_ARTICLES)
        assert con.execute("SELECT count(*), count(DISTINCT origin) FROM inputs").fetchone() == (N_ARTICLES, N_ARTICLES)
        errors = con.execute("SELECT path FROM ingest_errors").fetchall()
        assert [Path(p).name for (p,) in errors] == ["malformed.txt"]
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] >= N_ARTICLES
    finally:
        con.close()
    print(f"{N_KILLS} kills survived in {time.monotonic() - started:.0f} s; inputs committed after each: {committed}")
