"""Helpers for the API and browser tests: a real store built from the examples, and a real uvicorn server
on a free port of 127.0.0.1, started in a thread and stopped when the block ends."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from newstrace.corpus import ingest
from newstrace.pipeline import Pipeline
from newstrace.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

# Untrusted text as an article might carry it: markup that must show as text and never run.
HOSTILE_TEXT = ("<script>alert(1)</script> Iran's foreign minister said on Monday that <img src=x onerror=alert(2)> "
                "the strike near Baghdad was a provocation. </script><script>alert(3)</script> "
                "\"quotes\" & 'apostrophes' \u2028 stay text.")


def build_store(folder: Path, pipeline: Pipeline, extra: dict[str, str] | None = None) -> Path:
    """A DuckDB store of the bundled examples plus ``extra`` articles (file name → text)."""
    inputs = [str(EXAMPLES)]
    if extra:
        more = folder / "extra"
        more.mkdir(parents=True, exist_ok=True)
        for name, text in extra.items():
            (more / name).write_text(text, encoding="utf-8")
        inputs.append(str(more))
    db = folder / "web.duckdb"
    with Store(db) as store:
        summary = ingest(inputs, store, pipeline)
    assert summary.failed == 0, summary.errors
    return db


@contextmanager
def running(app, timeout: float = 15.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 and a free port; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the kernel picks a free port; passing the socket avoids a race for it
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
