"""Ingest on a real Dask LocalCluster (2 worker processes) writes the same store as single-process ingest.

The articles are short texts written for this test. Faults are real: a worker plugin kills the
worker process (``os._exit``) while it runs a chosen shard, once or every time.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import duckdb
import pytest
from distributed.diagnostics.plugin import WorkerPlugin

from newstrace.corpus import ingest
from newstrace.distributed import SHARD_FAILED, cluster_ingest, open_client, parquet_tables, plan_shards
from newstrace.store import Store

# The workers unpickle the plugins below: ship this module by value, since they cannot import it.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

ARTICLES = {
    "a01.txt": "ADEN, March 4, 2024 — Houthi rebels fired two missiles at a cargo ship in the Red Sea on Monday, "
               "the US military said. Nobody was hurt.",
    "a02.txt": "GENEVA, May 9, 2023 — Iran and France held talks on prisoner releases, the Iranian foreign ministry said.",
    "a03.txt": "KHARTOUM, June 2, 2023 — Sudan's army accused the Rapid Support Forces of shelling a market in Omdurman, "
               "killing at least 12 people. The RSF denied the accusation.",
    "a04.txt": "ABUJA, January 15, 2022 — Gunmen kidnapped 30 villagers in Zamfara state on Saturday, police said. "
               "No group has claimed responsibility.",
    "a05.txt": "CAIRO, April 20, 2024 — Egypt and Qatar urged both sides to agree a ceasefire, officials in Cairo said.",
    "a06.txt": "KYIV, August 8, 2023 — Russian drones struck a grain terminal in Odesa overnight, Ukraine's air force said. "
               "Two workers were injured and a warehouse burned down.",
    "a07.txt": "KYIV, August 8, 2023 — Russian drones struck a grain terminal in Odesa overnight, Ukraine's air force said. "
               "Two workers were injured and a warehouse burned down. Reporting by our staff.",
    "a08.txt": "BAGHDAD, July 1, 2022 — Iraq's prime minister met the Turkish ambassador on Friday to protest an air strike "
               "near Duhok.",
    "empty.txt": "",
}
ARTICLES["copy_of_a02.txt"] = ARTICLES["a02.txt"]
JSONL = [
    {"text": "MANILA, May 30, 2023 — The Philippines protested to China after its coast guard used a water cannon on a "
             "supply boat, the foreign ministry said.", "id": "j1", "published": "2023-05-30"},
    # the same text as a05.txt, in another shard: the merge must call it a duplicate, as single-process ingest does
    {"text": ARTICLES["a05.txt"], "id": "j2"},
    {"text": "Seoul said North Korea launched a ballistic missile.", "published": "not a date"},
]
TIMESTAMPS = {"ingested_at", "done_at", "failed_at"}
TABLES = ("documents", "inputs", "ingest_errors", "near_duplicates", "minhash_bands", "actors", "mentions", "times",
          "places", "statements", "events", "responsibility")


def _warc_gz(records: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "corrupt.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in JSONL), encoding="utf-8")
    page = ("<html><head><title>Strike</title></head><body><article><h1>Strike</h1><p>Israeli aircraft struck a "
            "weapons depot near Damascus on Tuesday, Syrian state media said.</p><p>Syria's army said it shot down "
            "several missiles.</p></article></body></html>")
    (folder / "crawl.warc.gz").write_bytes(_warc_gz([("https://example.org/strike", page)]))
    return folder


@pytest.fixture(scope="module")
def client():
    started = time.perf_counter()
    with open_client("local:2") as dask_client:
        dask_client.wait_for_workers(2, timeout=120)
        print(f"LocalCluster with 2 worker processes up in {time.perf_counter() - started:.1f} s")
        yield dask_client


def _single(pipeline, paths: list[str], db: Path) -> None:
    with Store(db) as store:
        ingest(paths, store, pipeline, batch_size=3)


def _on_cluster(client, paths: list[str], db: Path, out: Path):
    started = time.perf_counter()
    with Store(db) as store:
        # two files a shard and batches of three: shards end mid-batch, so the merge must replay batches across them
        summary = cluster_ingest(paths, client, out=out, store=store, files_per_shard=2, batch_size=3)
    print(f"cluster ingest of {summary.shards} shards in {time.perf_counter() - started:.1f} s")
    return summary


def _contents(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, timestamps left out, in a canonical order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            columns = [c for c, in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                               "ORDER BY ordinal_position", [table]).fetchall() if c not in TIMESTAMPS]
            listed = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def _assert_same(expected: dict[str, list[tuple]], got: dict[str, list[tuple]]) -> None:
    for table in TABLES:
        assert got[table] == expected[table], f"table {table} differs"


def test_local_cluster_writes_the_same_store_as_single_process(pipeline, client, corpus, tmp_path):
    paths = [str(corpus)]
    _single(pipeline, paths, tmp_path / "single.duckdb")
    summary = _on_cluster(client, paths, tmp_path / "cluster.duckdb", tmp_path / "parquet")
    expected, got = _contents(tmp_path / "single.duckdb"), _contents(tmp_path / "cluster.duckdb")
    _assert_same(expected, got)
    # the corpus exercises what the merge decides: duplicates across shards, near-duplicates, error rows
    inputs = {Path(origin).name: outcome for origin, _, outcome in expected["inputs"]}
    assert inputs["copy_of_a02.txt"] == "duplicate" and inputs["feed.jsonl#2"] == "duplicate"
    assert expected["near_duplicates"] and len(expected["events"]) > 5
    assert {Path(row[1]).name for row in expected["ingest_errors"]} == {"empty.txt", "corrupt.txt", "feed.jsonl"}
    assert summary.shards_failed == 0 and len(summary.peak_rss_by_worker()) == 2, "both workers took shards"

    # the Parquet stays queryable by any engine, and through `newstrace sql --parquet`
    assert {"documents", "events", "inputs"} <= set(parquet_tables(tmp_path / "parquet"))
    result = subprocess.run([sys.executable, "-m", "newstrace.cli", "sql", "--parquet", str(tmp_path / "parquet"),
                             "--format", "json", "SELECT count(DISTINCT doc_id || event_id) AS n FROM events"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n"] == len(expected["events"])

    # re-running on the cluster adds nothing: every input is skipped
    again = _on_cluster(client, paths, tmp_path / "cluster.duckdb", tmp_path / "parquet")
    assert again.ingested == 0 and again.skipped == len(expected["inputs"])
    _assert_same(expected, _contents(tmp_path / "cluster.duckdb"))


class KillWorker(WorkerPlugin):
    """Kills the worker process as it starts running the shard task ``shard_key``: every time,
    or only the first time (a marker file remembers it across the worker's restarts)."""

    name = "test-kill-worker"

    def __init__(self, shard_keys: dict[str, str | None]) -> None:
        self.shard_keys = shard_keys  # shard key -> marker file for "once", None for "every time"

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing":
            return
        for shard_key, marker in self.shard_keys.items():
            if shard_key in str(key):
                if marker is not None:
                    if os.path.exists(marker):
                        return
                    Path(marker).write_text("killed once")
                # die as the shard starts: a timer raced the shard itself once ingest got fast enough to finish first
                os._exit(1)


def test_killed_worker_loses_nothing_and_a_bad_shard_becomes_error_rows(pipeline, client, corpus, tmp_path):
    paths = [str(corpus)]
    shards = plan_shards(paths, 2)
    redone, bad = shards[1], shards[3]  # (a03, a04) is killed once, (a07, a08) on every attempt
    client.register_plugin(KillWorker({redone.key: str(tmp_path / "killed-once"), bad.key: None}))
    try:
        summary = _on_cluster(client, paths, tmp_path / "cluster.duckdb", tmp_path / "parquet")
    finally:
        client.unregister_worker_plugin(KillWorker.name)
    assert (tmp_path / "killed-once").exists()
    assert summary.shards_failed == 1
    # everything but the bad shard matches a single-process ingest without its files
    kept = [str(p) for shard in shards if shard is not bad for p in shard.paths]
    _single(pipeline, kept, tmp_path / "single.duckdb")
    expected, got = _contents(tmp_path / "single.duckdb"), _contents(tmp_path / "cluster.duckdb")
    shard_errors = [row for row in got["ingest_errors"] if row[3].startswith(SHARD_FAILED)]
    assert sorted(row[0] for row in shard_errors) == sorted(bad.paths)
    got["ingest_errors"] = [row for row in got["ingest_errors"] if row not in shard_errors]
    _assert_same(expected, got)
