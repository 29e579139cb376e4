"""``newstrace check`` on a real DuckDB store: a clean store passes, and each kind of damage, made through SQL on
a copy, is reported under the right check with the right message (and exit code 1 from the command)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newstrace.check import check_store, span_columns
from newstrace.corpus import ingest
from newstrace.store import Store

ARTICLES = {
    "kabul.txt": "KABUL, August 16, 2021 — Taliban fighters seized the presidential palace on Sunday, officials said.",
    "beirut.txt": "BEIRUT, April 7, 2023 — Hezbollah denied responsibility for the rocket attack on northern Israel, "
                  "Israeli officials said. Israel blamed Hamas for the attack.",
    "mogadishu.txt": "MOGADISHU, October 30, 2022 — Al-Shabaab claimed responsibility for the bombing in Mogadishu on "
                     "Saturday, the Somali government said.",
    "broken.txt": "",  # an empty file: an error row
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("check-corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory, corpus, pipeline) -> Path:
    db = tmp_path_factory.mktemp("check") / "clean.duckdb"
    with Store(db) as store:
        summary = ingest([str(corpus)], store, pipeline)
    assert (summary.ingested, summary.failed) == (3, 1)
    with Store(db, read_only=True) as store:
        counts = store.counts()
    assert all(counts[t] for t in ("events", "mentions", "statements", "responsibility", "ingest_errors")), counts
    return db


def _damaged(clean: Path, tmp_path: Path, *sql: str) -> Path:
    db = tmp_path / "damaged.duckdb"
    shutil.copy(clean, db)
    con = duckdb.connect(str(db))
    for statement in sql:
        con.execute(statement)
    con.close()
    return db


def test_a_clean_store_passes_every_check(clean, corpus):
    before = clean.stat().st_mtime_ns
    report = check_store(clean, inputs=[str(corpus)])
    assert report.ok, report.lines()
    assert {"schema", "documents", "orphans", "duplicates", "spans", "references", "inputs", "ingest_errors",
            "accounted"} <= set(report.checks)
    assert report.counts == {"documents": 3, "inputs": 3, "ingest_errors": 1, "inputs read from paths": 4}
    assert clean.stat().st_mtime_ns == before  # read-only: checking changes nothing


def test_the_command_exits_0_on_a_clean_store_and_1_with_the_problems(clean, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "newstrace.cli", "check", "--db", str(clean)],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ok: " in ok.stdout and "3 documents" in ok.stdout
    db = _damaged(clean, tmp_path, "INSERT INTO events (doc_id, event_id, type) VALUES ('ghost-doc', 'E1', 'ASSAULT')")
    bad = subprocess.run([sys.executable, "-m", "newstrace.cli", "check", "--db", str(db)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "PROBLEM orphans: 1 row(s) of events point at a document that is not stored (e.g. ghost-doc)" in bad.stdout


FIRST = "(SELECT min(rowid) FROM {})"
DAMAGE = {
    "orphan event": (["INSERT INTO events (doc_id, event_id, type) VALUES ('ghost', 'E1', 'ASSAULT')"],
                     "orphans", "row(s) of events point at a document that is not stored"),
    "orphan in a table added later": (["CREATE TABLE added_later (thing VARCHAR, doc_id VARCHAR)",
                                       "INSERT INTO added_later VALUES ('s1', 'ghost')"],
                                      "orphans", "row(s) of added_later point at a document"),
    "event reference in a table added later": (["CREATE TABLE added_later (doc_id VARCHAR, event_id VARCHAR)",
                                                "INSERT INTO added_later SELECT doc_id, 'E999' FROM events LIMIT 1"],
                                               "references", "added_later.event_id value(s) name no events record"),
    "document deleted under its records": (["DELETE FROM documents WHERE id = (SELECT doc_id FROM events LIMIT 1)"],
                                           "orphans", "row(s) of mentions point at a document that is not stored"),
    "duplicate document id": (["CREATE TABLE docs2 AS SELECT * FROM documents",
                               "INSERT INTO docs2 SELECT * FROM documents LIMIT 1", "DROP TABLE documents",
                               "ALTER TABLE docs2 RENAME TO documents"],
                              "documents", "1 document id(s) are stored more than once"),
    "event stored twice": ([f"INSERT INTO events SELECT * FROM events WHERE rowid = {FIRST.format('events')}"],
                           "duplicates", "1 record(s) of events are stored more than once"),
    "event span past the text": ([f"UPDATE events SET trigger_end = 100000 WHERE rowid = {FIRST.format('events')}"],
                                 "spans", "events span(s) trigger_start/trigger_end fall outside their document's text"),
    "negative span": ([f"UPDATE times SET \"start\" = -3 WHERE rowid = {FIRST.format('times')}"],
                      "spans", "times span(s) start/end fall outside"),
    "inverted sentence": ([f"UPDATE events SET sent_end = sent_start - 1 WHERE rowid = {FIRST.format('events')}"],
                          "spans", "events span(s) sent_start/sent_end fall outside"),
    "span text not in the document": ([f"UPDATE mentions SET text = 'Atlantis' WHERE rowid = {FIRST.format('mentions')}"],
                                      "spans", "mentions span(s) start/end do not hold the text stored in text"),
    "mention outside its sentence": ([f'UPDATE mentions SET sent_start = "end" WHERE rowid = {FIRST.format("mentions")}'],
                                     "spans", "1 mentions row(s) lie outside their sentence"),
    "n_chars wrong": (["UPDATE documents SET n_chars = n_chars + 1 WHERE id = (SELECT min(id) FROM documents)"],
                      "documents", "1 document(s) have an n_chars other than their text's length"),
    "document without its input row": (["DELETE FROM inputs WHERE origin = (SELECT min(origin) FROM documents)"],
                                       "documents", "1 document(s) have no inputs row recording their ingest"),
    "mention of an unknown actor": ([f"UPDATE mentions SET actor_id = 'A999' WHERE rowid = {FIRST.format('mentions')}"],
                                    "references", "mentions.actor_id value(s) name no actors record"),
    "claim about an unknown event": (["UPDATE responsibility SET event_id = 'E999'"],
                                     "references", "responsibility.event_id value(s) name no events record"),
    "input without outcome": (["UPDATE inputs SET outcome = NULL WHERE origin = (SELECT min(origin) FROM inputs)"],
                              "inputs", "1 input(s) have no outcome"),
    "input done and failed": (["INSERT INTO ingest_errors SELECT origin, origin, NULL, 'bad', now() FROM inputs LIMIT 1"],
                              "inputs", "1 input(s) are recorded both as done and as an error"),
    "error row without a reason": (["UPDATE ingest_errors SET reason = '  '"],
                                   "ingest_errors", "1 ingest_errors row(s) lack an origin, path, reason or time"),
    "no schema version": (["DELETE FROM meta WHERE key = 'store_version'"], "schema", "no store_version"),
    "unsupported schema version": (["UPDATE meta SET value = '99' WHERE key = 'store_version'"],
                                   "schema", "store version 99 is not supported"),
    "garbled schema version": (["UPDATE meta SET value = 'one' WHERE key = 'store_version'"],
                               "schema", "is not a number"),
    "missing table": (["DROP TABLE ingest_errors"], "schema", "missing table(s): ingest_errors"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_each_kind_of_damage_is_reported(clean, tmp_path, damage):
    sql, check, message = DAMAGE[damage]
    report = check_store(_damaged(clean, tmp_path, *sql))
    assert not report.ok
    found = [str(p) for p in report.problems if p.check == check and message in p.message]
    assert found, f"{damage}: expected {check}: {message!r}, got {report.lines()}"


def test_inputs_missing_from_the_store_are_named(clean, corpus, tmp_path):
    folder = tmp_path / "more"
    shutil.copytree(corpus, folder)
    (folder / "new.txt").write_text("Protesters marched in Tbilisi on Monday.", encoding="utf-8")
    report = check_store(clean, inputs=[str(folder)])
    (problem,) = report.problems  # the copies have other paths, so every input is unaccounted for
    assert problem.check == "accounted" and problem.count == 5 and problem.message.startswith("5 of 5 input(s)")
    report = check_store(clean, inputs=[str(corpus), str(folder / "new.txt")])
    assert [(p.check, p.examples) for p in report.problems] == [("accounted", [str(folder / "new.txt")])]


def test_files_that_are_not_stores(tmp_path):
    assert check_store(tmp_path / "absent.duckdb").problems[0].message.startswith("no store at")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database" * 100)
    assert check_store(junk).problems[0].check == "open"
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (doc_id VARCHAR)").close()
    assert [str(p) for p in check_store(other).problems] == ["schema: no meta table: not a newstrace store"]


def test_span_columns_are_found_by_name_and_type():
    columns = {"doc_id": "VARCHAR", "start": "INTEGER", "end": "INTEGER", "text": "VARCHAR", "cue_start": "INTEGER",
               "cue_end": "INTEGER", "date_start": "DATE", "date_end": "DATE", "sent_start": "INTEGER", "sent_end": "BIGINT"}
    assert span_columns(columns) == [("start", "end", "text"), ("cue_start", "cue_end", None),
                                     ("sent_start", "sent_end", None)]
