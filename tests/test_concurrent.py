"""Serve while the corpus grows: a real `newstrace serve` process on a loopback port, real `newstrace ingest` and
`newstrace link` processes writing to the same DuckDB file meanwhile, real HTTP requests throughout; then
`newstrace check` and SQL counts show that no row was lost or stored twice."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serving import build_store

CITIES = ["Aleppo", "Mosul", "Kherson", "Goma", "Sanaa", "Mogadishu", "Tripoli", "Juba", "Kabul", "Gaza",
          "Bamako", "Khartoum"]
DEEDS = [
    "Government troops shelled rebel positions near {city}, killing four fighters, the army said.",
    "The foreign minister of Turkey met the Iraqi prime minister in {city} to discuss water rights.",
    "Police arrested twelve protesters who marched against fuel prices in {city}, witnesses said.",
    "A drone strike hit a fuel depot outside {city}; the defence ministry blamed militants.",
]


def _article(i: int) -> dict[str, str]:
    city = CITIES[i]
    text = (f"{city.upper()}, March {i + 3}, 2024 — " + DEEDS[i % len(DEEDS)].format(city=city)
            + f" Residents of {city} described report number {i} as the worst in months.")
    return {"id": f"w{i}", "title": f"Wire report {i:02d} from {city}", "text": text,
            "published": f"2024-03-{i + 3:02d}", "source": "Test Wire"}


def _jsonl(path: Path, indexes: range) -> Path:
    path.write_text("".join(json.dumps(_article(i)) + "\n" for i in indexes), encoding="utf-8")
    return path


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newstrace.cli", *args]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, pipeline):
    """A store of the examples and a `newstrace serve` process on it; yields (db, base URL)."""
    db = build_store(tmp_path, pipeline)
    port = _free_port()
    server = subprocess.Popen(_cli("serve", "--db", str(db), "--port", str(port)), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=_env())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/health", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                assert server.poll() is None, f"newstrace serve exited: {server.stderr.read()}"
                assert time.monotonic() < deadline, "newstrace serve did not come up"
                time.sleep(0.1)
        yield db, base
    finally:
        server.send_signal(signal.SIGINT)  # its own PID, as Ctrl-C would
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _sql(db: Path, query: str) -> list[list[str]]:
    result = subprocess.run(_cli("sql", query, "--db", str(db), "--format", "csv"), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return [line.split(",") for line in result.stdout.splitlines()[1:] if line]


def _poll_while(processes: list[subprocess.Popen], client: httpx.Client) -> list[tuple[str, int]]:
    """Requests a reader makes while the processes run: (path, status) of each."""
    seen = []
    while any(p.poll() is None for p in processes):
        for path in ("/health", "/events?limit=5", "/ui/articles", "/documents?q=Wire"):
            seen.append((path, client.get(path).status_code))
        time.sleep(0.05)
    return seen


def test_ingest_and_link_write_while_serve_reads_and_nothing_is_lost_or_doubled(served, tmp_path):
    db, base = served
    first = _jsonl(tmp_path / "first.jsonl", range(0, 8))
    second = _jsonl(tmp_path / "second.jsonl", range(4, 12))  # articles 4-7 in both: the same texts
    with httpx.Client(base_url=base, timeout=60) as client:
        before = client.get("/health").json()["documents"]
        assert client.get("/documents", params={"q": "Wire report"}).json()["items"] == []

        # Two writers at once (small batches: many turns on the file) and a reader polling all along.
        writers = [subprocess.Popen(_cli("ingest", str(path), "--db", str(db), "--batch", "2"), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, env=_env()) for path in (first, second)]
        statuses = _poll_while(writers, client)
        reports = [w.communicate(timeout=300)[1] for w in writers]
        assert [w.returncode for w in writers] == [0, 0], reports
        assert statuses and {status for _, status in statuses} == {200}, [s for s in statuses if s[1] != 200]

        # The running server shows the new documents, each once, without a restart.
        assert client.get("/health").json()["documents"] == before + 12
        titles = sorted(i["title"] for i in client.get("/documents", params={"q": "Wire report", "limit": 100})
                        .json()["items"])
        assert titles == sorted(_article(i)["title"] for i in range(12))
        new_events = client.get("/events", params={"limit": 1000}).json()["items"]
        assert any(e["title"] and e["title"].startswith("Wire report") for e in new_events)

        # Each text stored once; each input recorded once, the overlap as duplicates.
        assert dict(_sql(db, "SELECT outcome, count(*) FROM inputs GROUP BY ALL ORDER BY 1")) == \
            {"duplicate": "4", "ingested": str(before + 12)}
        assert sum(int(w.split("ingested ")[1].split(",")[0]) for w in reports) == 12

        # Linking while the server runs; then the stories are served.
        link = subprocess.run(_cli("link", "--db", str(db)), capture_output=True, text=True, timeout=300, env=_env())
        assert link.returncode == 0, link.stderr
        assert client.get("/stories").json()["items"]
        reports_n, events_n, distinct_n = _sql(db, "SELECT (SELECT count(*) FROM story_reports), (SELECT count(*) FROM "
                                                   "events), (SELECT count(DISTINCT (doc_id, event_id)) FROM story_reports)")[0]
        assert int(events_n) > 0 and reports_n == events_n == distinct_n  # every event in exactly one story

        # Re-running an ingest while serving adds nothing.
        again = subprocess.run(_cli("ingest", str(first), "--db", str(db)), capture_output=True, text=True,
                               timeout=300, env=_env())
        assert again.returncode == 0 and "ingested 0, skipped (already in the store) 8" in again.stderr
        assert client.get("/health").json()["documents"] == before + 12

    check = subprocess.run(_cli("check", "--db", str(db)), capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_link_run_that_another_overtook_reads_again_and_links_nothing_twice(pipeline, tmp_path):
    """Two link runs on one store: the second runs to the end while the first is embedding (holding no
    connection); the first then finds the stories changed, reads again, and writes no second story per event."""
    from newstrace.corpus import ingest
    from newstrace.link import link_store
    from newstrace.store import Store

    corpus = _jsonl(tmp_path / "corpus.jsonl", range(0, 8))
    db = tmp_path / "linked.duckdb"
    with Store(db) as store:
        assert ingest([str(corpus)], store, pipeline).ingested == 8
    first, second = Store(db, hold=False), Store(db, hold=False)
    overtaken = []

    def progress(step: str, done: int, total: int) -> None:
        if step == "embedding" and not overtaken:
            overtaken.append(link_store(second))  # the other run, start to end, between this one's read and write

    summary = link_store(first, progress=progress)
    assert overtaken and overtaken[0].events > 0
    assert summary.events == 0  # everything was linked by the other run when this one read again
    with Store(db, read_only=True) as store:
        (reports, distinct, events), = store.query(
            "SELECT (SELECT count(*) FROM story_reports), (SELECT count(DISTINCT (doc_id, event_id)) FROM story_reports), "
            "(SELECT count(*) FROM events)")[1]
        assert reports == distinct == events == overtaken[0].events


def test_the_server_lets_go_of_the_store_for_a_waiting_writer_and_reads_what_it_wrote(tmp_path):
    """In one process, as with `serve --allow-ingest`: a request in flight keeps the file; a writer waits and
    says so; new requests wait behind the writer; the writer gets in once the request ends; the next read
    sees its rows. And an idle server lets a writer in without any request coming."""
    import threading

    from newstrace.store import Store, writer_waiting
    from newstrace.web.connection import SharedReader

    db = tmp_path / "shared.duckdb"
    Store(db).close()
    store = Store(db, hold=False, lock_timeout=60)  # opened (schema checked) and closed again: holds nothing
    reader = SharedReader(db, read_wait=60)
    in_flight = reader.acquire()
    wrote, later = threading.Event(), {}

    def write(origin: str) -> None:
        store.write_batch([], [(origin, origin, None, "unreadable")])  # one session: open, write, close
        wrote.set()

    def read_later() -> None:
        cursor = reader.acquire()
        later["errors"] = cursor.execute("SELECT count(*) FROM ingest_errors").fetchone()[0]
        reader.release(cursor)

    writer = threading.Thread(target=write, args=("a.txt",))
    writer.start()
    deadline = time.monotonic() + 30
    while not writer_waiting(db):
        assert time.monotonic() < deadline, "the writer never said it was waiting"
        time.sleep(0.01)
    follower = threading.Thread(target=read_later)
    follower.start()
    assert not wrote.is_set() and "errors" not in later  # the request in flight still has the file
    assert in_flight.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 0
    reader.release(in_flight)
    writer.join(timeout=60)
    follower.join(timeout=60)
    assert wrote.is_set() and later == {"errors": 1}  # the read that waited saw the write

    cursor = reader.acquire()  # the server has the file open again, and then nothing happens
    reader.release(cursor)
    wrote.clear()
    write("b.txt")  # returns only once the idle server let go
    cursor = reader.acquire()
    assert cursor.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 2
    reader.release(cursor)
    reader.close()


def test_a_request_that_waits_too_long_for_a_writer_gets_503_with_retry_after(tmp_path):
    from serving import running

    from newstrace.api import create_app
    from newstrace.store import Store

    db = tmp_path / "busy.duckdb"
    Store(db).close()
    app = create_app(db, read_wait=0.5)
    # A writer that takes the file (the server lets go of it) and keeps it until its stdin closes.
    code = ("import sys; from newstrace.store import connect; con = connect(sys.argv[1]); print('open', flush=True); "
            "sys.stdin.read(); con.close()")
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/events").status_code == 200
        writer = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        try:
            assert writer.stdout.readline().strip() == "open"
            busy = client.get("/events")
            assert busy.status_code == 503 and busy.headers["retry-after"]
            assert "busy" in busy.json()["detail"] and f"process {writer.pid}" in busy.json()["detail"]
        finally:
            writer.stdin.close()
            writer.wait(timeout=30)
        assert client.get("/events").status_code == 200  # and back once the writer is done


def test_ingest_and_link_say_they_wait_and_give_up_after_their_lock_timeout(tmp_path):
    from newstrace.store import Store

    db = tmp_path / "held.duckdb"
    Store(db).close()
    corpus = _jsonl(tmp_path / "one.jsonl", range(1))
    # Another process that keeps the store open for writing and never lets go (not a newstrace writer).
    code = "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        for command in (["ingest", str(corpus)], ["link"]):
            result = subprocess.run(_cli(*command, "--db", str(db), "--lock-timeout", "2"), capture_output=True,
                                    text=True, timeout=120, env=_env())
            assert result.returncode == 1, result.stderr
            assert f"waiting for {db}: process {holder.pid} has it open" in result.stderr
            assert f"in use by process {holder.pid}" in result.stderr and "gave up after waiting 2 s" in result.stderr
            assert "Traceback" not in result.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert subprocess.run(_cli("ingest", str(corpus), "--db", str(db)), capture_output=True, text=True,
                          timeout=300, env=_env()).returncode == 0  # free again: it goes through
