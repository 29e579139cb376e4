"""Run the fuzz targets of ``fuzz/targets.py`` for a fixed time each (``make fuzz``).

    python -m fuzz.run [--seconds 60] [--engine auto|atheris|hypothesis] [TARGET ...]

With atheris (coverage-guided libFuzzer; the ``fuzz`` extra) each target runs in a child process from the
seed corpus; where atheris is not installed, hypothesis generates structure-aware inputs
(``fuzz/strategies.py``) for the same time. An input that takes over ``--hang-seconds`` counts as a hang.
Crashing inputs are written to ``build/fuzz/crashes/``; a summary (inputs, seconds, crashes per target) is
printed and written to ``build/fuzz/summary.json``. Exit status 1 if any target crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "fuzz"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every target, print and save the summary."""
    from fuzz.targets import TARGETS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"targets to run (default all: {', '.join(TARGETS)})")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 60)))
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--hang-seconds", type=int, default=30)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: one atheris target in this process
    args = parser.parse_args(argv)
    if args.child:
        return _atheris_child(args.child, args.seconds, args.hang_seconds)
    names = args.targets or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown targets: {', '.join(unknown)}")
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _has_atheris() else "hypothesis"
        if engine == "hypothesis":
            print("atheris is not installed (pip install -e '.[fuzz]'; it builds only on some platforms): "
                  "fuzzing with hypothesis only", flush=True)
    (OUT / "crashes").mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        run = _run_atheris if engine == "atheris" else _run_hypothesis
        result = run(name, args.seconds, args.hang_seconds)
        results.append(result)
        print(f"{name:10} {result['engine']:10} {result['inputs']:>9,} inputs {result['seconds']:7.1f} s  "
              f"{result['crashes']} crashes {result.get('detail', '')}", flush=True)
    (OUT / "summary.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"total: {sum(r['inputs'] for r in results):,} inputs, {sum(r['crashes'] for r in results)} crashes "
          f"(summary in {OUT / 'summary.json'})")
    return 1 if any(r["crashes"] for r in results) else 0


def _has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- atheris


def _run_atheris(name: str, seconds: float, hang_seconds: int) -> dict:
    """One target in a child process (libFuzzer never returns), its stats read from its output."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "fuzz.run", "--child", name, "--seconds", str(seconds),
               "--hang-seconds", str(hang_seconds)]
    # Model loading and imports come before the clock starts; the margin covers them and the final stats.
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=seconds + hang_seconds + 300,
                          check=False)
    output = done.stdout + done.stderr
    units = re.findall(r"stat::number_of_executed_units:\s*(\d+)", output)
    runs = re.findall(r"Done (\d+) runs", output)
    inputs = int(units[-1]) if units else int(runs[-1]) if runs else 0
    crashed = done.returncode != 0
    detail = ""
    if crashed:
        log = OUT / "crashes" / f"{name}.log"
        log.write_text(output[-20_000:], encoding="utf-8")
        detail = f"(exit {done.returncode}; log {log})"
    return {"target": name, "engine": "atheris", "inputs": inputs, "seconds": round(time.perf_counter() - started, 1),
            "crashes": int(crashed), "detail": detail}


def _atheris_child(name: str, seconds: float, hang_seconds: int) -> int:
    import atheris

    with atheris.instrument_imports(include=["newstrace", "fuzz"]):
        from fuzz.targets import TARGETS, pipeline, seeds
    check = TARGETS[name]
    if name == "analyze":
        pipeline()  # load the model before the clock starts
    corpus = Path(tempfile.mkdtemp(prefix=f"newstrace-fuzz-{name}-"))
    for number, seed in enumerate(seeds()[name]):
        (corpus / f"seed{number}").write_bytes(seed)
    argv = [sys.argv[0], f"-max_total_time={int(seconds)}", f"-timeout={hang_seconds}", "-rss_limit_mb=3072",
            "-max_len=65536", "-print_final_stats=1", f"-artifact_prefix={OUT / 'crashes'}/{name}-", str(corpus)]
    atheris.Setup(argv, check)
    atheris.Fuzz()
    return 0


# --------------------------------------------------------------------------- hypothesis


class HangError(AssertionError):
    """One input ran past the hang limit."""


def _run_hypothesis(name: str, seconds: float, hang_seconds: int) -> dict:
    """Generate inputs with hypothesis until ``seconds`` are up, in rounds of 100 random examples."""
    from hypothesis import HealthCheck, given, settings

    from fuzz.strategies import inputs
    from fuzz.targets import TARGETS, pipeline

    if name == "analyze":
        pipeline()
    check = TARGETS[name]
    count = 0

    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        raise HangError(f"one input took over {hang_seconds} s")

    @settings(max_examples=100, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs(name))
    def one(data: bytes) -> None:
        nonlocal count
        count += 1
        signal.setitimer(signal.ITIMER_REAL, hang_seconds)
        try:
            check(data)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.perf_counter()
    crashes, detail = 0, ""
    try:
        while time.perf_counter() - started < seconds:
            try:
                one()
            except Exception as exc:  # a contract violation, or a bug in the target itself: record it and go on
                crashes += 1
                report = OUT / "crashes" / f"{name}-{crashes}.txt"
                report.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
                detail = f"(see {report})"
    finally:
        signal.signal(signal.SIGALRM, previous)
    return {"target": name, "engine": "hypothesis", "inputs": count, "seconds": round(time.perf_counter() - started, 1),
            "crashes": crashes, "detail": detail}


if __name__ == "__main__":
    sys.exit(main())
