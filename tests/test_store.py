"""Corpus ingest into a real DuckDB file: idempotence, error rows, crash recovery, queries, exports."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newstrace.corpus import ingest
from newstrace.queries import EventFilter, event_rows, export
from newstrace.store import Store

STORIES = [
    "KABUL, August 16, 2021 — Taliban fighters seized the presidential palace on Sunday, officials said.",
    "BEIRUT, April 7, 2023 — Hezbollah denied responsibility for the rocket attack on northern Israel.",
    "MOGADISHU, October 30, 2022 — Al-Shabaab claimed responsibility for the bombing in Mogadishu on Saturday.",
    "KYIV, February 1, 2023 — Ukraine said Russian forces shelled a hospital in Kherson on Tuesday.",
]


def _warc_gz(records: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def _page(title: str, body: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for i, story in enumerate(STORIES[:2]):
        (d / f"story{i}.txt").write_text(story, encoding="utf-8")
    (d / "copy.txt").write_text(STORIES[0], encoding="utf-8")  # an exact duplicate
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "corrupt.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (d / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x</title", encoding="utf-8")
    (d / "lines.jsonl").write_text(json.dumps({"text": STORIES[2], "id": "j1"}) + "\n", encoding="utf-8")
    warc = _warc_gz([("https://example.org/a", _page("Shelling", STORIES[3])),
                     ("https://example.org/b", _page("Talks", "Delegates from Egypt and Qatar met in Doha."))])
    (d / "crawl.warc.gz").write_bytes(warc)
    (d / "truncated.warc.gz").write_bytes(warc[: len(warc) - 40])
    return d


def _ingest(pipeline, paths, db):
    with Store(db) as store:
        return ingest([str(p) for p in paths], store, pipeline, batch_size=3)


def test_ingest_lands_the_good_records_and_one_error_row_per_bad_input(pipeline, corpus, tmp_path):
    db = tmp_path / "store.duckdb"
    summary = _ingest(pipeline, [corpus], db)
    # 2 stories + 1 JSONL line + 2 pages; copy.txt and the truncated archive's first page are duplicates
    assert (summary.ingested, summary.duplicates, summary.failed) == (5, 2, 4)
    with Store(db, read_only=True) as store:
        _, errors = store.query("SELECT path, reason FROM ingest_errors ORDER BY path")
        by_file = {Path(p).name: reason for p, reason in errors}
        for name in ("empty.txt", "corrupt.txt", "broken.rss", "truncated.warc.gz"):
            assert name in by_file, f"no error row for {name}: {by_file}"
        _, urls = store.query("SELECT url FROM documents WHERE url IS NOT NULL ORDER BY url")
        assert ("https://example.org/a",) in urls
        assert store.counts()["events"] > 0


def test_reingest_adds_nothing(pipeline, corpus, tmp_path):
    db = tmp_path / "store.duckdb"
    _ingest(pipeline, [corpus], db)
    with Store(db, read_only=True) as store:
        before = store.counts()
    again = _ingest(pipeline, [corpus], db)
    assert again.ingested == 0 and again.skipped > 0
    with Store(db, read_only=True) as store:
        assert store.counts() == before


def test_near_duplicates_are_linked_not_merged(pipeline, tmp_path):
    base = STORIES[3] + " The governor said three people were wounded and the hospital was evacuated overnight."
    (tmp_path / "site_a.txt").write_text(base, encoding="utf-8")
    (tmp_path / "site_b.txt").write_text(base + " Reporting by staff.", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    summary = _ingest(pipeline, [tmp_path / "site_a.txt", tmp_path / "site_b.txt"], db)
    assert summary.ingested == 2 and summary.near_duplicates == 1
    with Store(db, read_only=True) as store:
        assert store.counts()["near_duplicates"] == 1


def test_killed_ingest_resumes_without_duplicates_or_losses(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i:03d}.txt").write_text(f"{STORIES[i % 4]} Report number {i} followed.", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    command = [sys.executable, "-m", "newstrace.cli", "ingest", str(folder), "--db", str(db), "--batch", "4"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if db.exists() and _committed_inputs(db) >= 8:
            break
        time.sleep(0.2)
    assert process.poll() is None, f"ingest ended before it could be killed: {process.stderr.read()}"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT count(*), count(DISTINCT origin) FROM inputs")
        assert rows[0] == (40, 40)
        _, docs = store.query("SELECT count(*), count(DISTINCT id) FROM documents")
        assert docs[0] == (40, 40)
        _, orphans = store.query("SELECT count(*) FROM events WHERE doc_id NOT IN (SELECT id FROM documents)")
        assert orphans[0][0] == 0


def _committed_inputs(db: Path) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return 0
    try:
        return con.execute("SELECT count(*) FROM inputs").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


@pytest.fixture()
def filled(pipeline, corpus, tmp_path) -> Path:
    db = tmp_path / "filled.duckdb"
    _ingest(pipeline, [corpus], db)
    return db


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "plover", "gdelt"])
def test_exports_round_trip(filled, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    with Store(filled, read_only=True) as store:
        count = export(store, fmt, out)
        _, stored = store.query("SELECT doc_id || ':' || event_id, type FROM events ORDER BY 1")
    assert count == len(stored) > 0
    if fmt == "parquet":
        back = duckdb.sql(f"SELECT doc_id || ':' || event_id, type FROM '{out}' ORDER BY 1").fetchall()
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        back = sorted((f"{r['doc_id']}:{r['event_id']}", r["type"]) for r in rows)
    elif fmt == "gdelt":
        rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter="\t"))
        back = sorted((r["GLOBALEVENTID"], r["EventCode"]) for r in rows)
    else:
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        if fmt == "plover":
            back = sorted((r["event_id"], r["event_type"]) for r in records)
        else:
            back = sorted((f"{r['doc_id']}:{r['event_id']}", r["type"]) for r in records)
    assert [tuple(r) for r in back] == [tuple(r) for r in stored]


def test_event_filters_and_read_only_sql(filled):
    with Store(filled, read_only=True) as store:
        _, assaults = event_rows(store, EventFilter(type="ASSAULT"))
        assert assaults and all(row[1] == "ASSAULT" for row in assaults)
        _, russian = event_rows(store, EventFilter(actor="RUS"))
        assert all("Russia" in row[3] or row[3] for row in russian)
    result = subprocess.run([sys.executable, "-m", "newstrace.cli", "sql", "DELETE FROM events", "--db", str(filled)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "read-only" in result.stderr.lower()


def test_cli_ingest_summary_and_queries(corpus, tmp_path):
    db = tmp_path / "cli.duckdb"
    run = [sys.executable, "-m", "newstrace.cli"]
    result = subprocess.run([*run, "ingest", str(corpus), "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ingested" in result.stderr and "failed 4" in result.stderr
    strict = subprocess.run([*run, "ingest", str(corpus / "empty.txt"), "--db", str(db), "--strict"],
                            capture_output=True, text=True, timeout=300)
    assert strict.returncode == 1
    for args in (["events", "--format", "json"], ["statements"], ["actors", "--top", "5"], ["stats"]):
        out = subprocess.run([*run, *args, "--db", str(db)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, (args, out.stderr)
        assert out.stdout.strip(), args
    missing = subprocess.run([*run, "events", "--db", str(tmp_path / "none.duckdb")], capture_output=True, text=True)
    assert missing.returncode == 1 and "no store" in missing.stderr


def test_gzip_bomb_in_warc_is_refused_without_exhausting_memory(pipeline, tmp_path):
    import tracemalloc

    bomb_html = "<html><body><p>" + "A" * 30_000_000 + "</p></body></html>"
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(_warc_gz([("https://example.org/bomb", bomb_html)]))
    assert path.stat().st_size < 200_000  # 30 MB that compresses to almost nothing
    tracemalloc.start()
    summary = _ingest(pipeline, [path], tmp_path / "bomb.duckdb")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert summary.failed == 1 and summary.ingested == 0
    assert peak < 60_000_000, f"peak {peak / 1e6:.0f} MB"


def test_gzip_module_reads_our_test_archives(corpus):
    # guards the fixture itself: the good archive is a complete gzip stream, the truncated one is not
    gzip.decompress((corpus / "crawl.warc.gz").read_bytes())
    with pytest.raises(EOFError):
        gzip.decompress((corpus / "truncated.warc.gz").read_bytes())


def test_event_filter_by_actor_name(filled):
    with Store(filled, read_only=True) as store:
        _, rows = event_rows(store, EventFilter(actor="Shabaab"))
    assert rows and all("Shabaab" in row[3] for row in rows)


# --- sharing the file with other processes (docs/store.md, "Concurrent use") ----------------------------------


def _hold_read_only(db: Path) -> subprocess.Popen:
    """Another process with the store open read-only (as `newstrace serve` has it during a request) until its
    stdin closes."""
    code = ("import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); "
            "sys.stdin.read(); con.close()")
    reader = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert reader.stdout.readline().strip() == "open"
    return reader


def test_a_writer_waits_for_a_reader_process_says_so_and_then_writes(tmp_path):
    import threading

    db = tmp_path / "shared.duckdb"
    Store(db).close()
    reader = _hold_read_only(db)
    told, lines, outcome = threading.Event(), [], {}

    def on_wait(line: str) -> None:
        lines.append(line)
        told.set()

    def write() -> None:
        store = Store(db, hold=False, lock_timeout=120, on_wait=on_wait)
        outcome["late"] = store.write_batch([], [("bad.txt", "bad.txt", None, "unreadable")])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert told.wait(60), "the writer never said it was waiting"
        assert writer.is_alive() and "late" not in outcome  # still waiting: nothing written behind the reader's back
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    writer.join(timeout=60)
    assert outcome == {"late": set()}
    assert f"process {reader.pid}" in lines[0]
    with Store(db, read_only=True) as store:
        assert store.counts()["ingest_errors"] == 1


def test_a_writer_gives_up_after_its_lock_timeout_naming_the_holder(tmp_path):
    from newstrace.store import StoreBusyError

    db = tmp_path / "shared.duckdb"
    Store(db).close()
    reader = _hold_read_only(db)
    try:
        with pytest.raises(StoreBusyError, match=f"in use by process {reader.pid}.*gave up after waiting 0.3 s"):
            Store(db, hold=False, lock_timeout=0.3)
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    Store(db, hold=False, lock_timeout=0.3)  # free again


def test_a_document_another_writer_stored_meanwhile_is_written_once(pipeline, tmp_path):
    db = tmp_path / "shared.duckdb"
    analysis = pipeline.analyze(STORIES[1], published="2023-04-07")
    doc_id = analysis.document.id
    first, second = Store(db, hold=False), Store(db, hold=False)
    # Both writers looked before either wrote, as two ingest processes of the same text do.
    assert first.has_documents([doc_id]) == second.has_documents([doc_id]) == set()
    assert first.write_batch([("a.txt", analysis, {})], [], bands=[(doc_id, 0, 7)]) == set()
    assert second.write_batch([("b.txt", analysis, {})], [], bands=[(doc_id, 0, 7)]) == {doc_id}
    with Store(db, read_only=True) as store:
        counts = store.counts()
        assert counts["documents"] == 1 and counts["events"] == len(analysis.events) > 0
        assert counts["actors"] == len(analysis.actors)
        assert store.query("SELECT origin, outcome FROM inputs ORDER BY origin")[1] == \
            [("a.txt", "ingested"), ("b.txt", "duplicate")]
        assert store.query("SELECT count(*) FROM minhash_bands")[1] == [(1,)]
