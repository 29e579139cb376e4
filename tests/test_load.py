"""A short run of bench/load.py (the same code as ``make load``): a real ``newstrace serve`` subprocess on
127.0.0.1 over a real store, 10 read clients for 10 s, then 4 analysis clients against a queue of 2 for 10 s.
It must answer every request with a 2xx or a 503 carrying Retry-After, lose no connection, and stay alive.
Latencies are printed, never asserted (the CPU here is shared)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from serving import build_store

BENCH = Path(__file__).resolve().parent.parent / "bench" / "load.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("newstrace_bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_server_holds_a_short_load_and_sheds_analyses_with_503(tmp_path, pipeline):
    load = _bench_module()
    db = build_store(tmp_path, pipeline)
    result = load.run_load(db, read_seconds=10, read_clients=10, analyze_seconds=10, analyze_clients=4, max_pending=2,
                           rounds=1, log=lambda _: None)
    print("\n" + load.report(result))
    assert result.alive, "the server died under load"
    reads, analyses, side = result.phases
    for phase in result.phases:
        assert phase.requests > 0, phase.name
        assert phase.errors == 0, phase.error_examples  # no refused or reset connection, no timeout
        assert phase.retry_after_missing == 0, phase.name
        assert set(phase.statuses) <= {"200", "503"}, (phase.name, phase.statuses)
    assert set(reads.statuses) == {"200"} and set(side.statuses) == {"200"}  # reads are never shed
    assert analyses.statuses.get("200", 0) > 0
    assert result.server_errors == 0 and result.ok


def test_the_server_caps_malloc_arenas_unless_the_user_chose():
    probe = "from newstrace.api import limit_malloc_arenas; print(limit_malloc_arenas())"
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    capped = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    chosen = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**env, "MALLOC_ARENA_MAX": "4"})
    assert capped.stdout.strip() == ("True" if os.uname().sysname == "Linux" else "False"), capped.stderr
    assert chosen.stdout.strip() == "False"
