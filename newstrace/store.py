"""The store: analyses in a DuckDB file, one row per record, every row tied to its document and spans.

One schema module: ``SCHEMA`` creates every table, ``MIGRATIONS`` upgrades older files step by step,
and the schema version is kept in the ``meta`` table. Writes happen in batches inside transactions,
so a process killed mid-batch leaves the file as it was after the last committed batch; re-running
an ingest skips what is already there (documents are keyed by the hash of their text, inputs by
their origin).

Sharing a file between processes (docs/store.md, "Concurrent use"): DuckDB lets one process open a file
for writing, or many open it read-only, never both. A ``Store(hold=False)`` holds no connection: each
operation, or each ``session()`` block, opens one and closes it again, so a writer (``ingest``, ``link``)
and readers (``serve``'s requests) take turns on the file. Opening waits, with backoff, while another
process holds a conflicting lock (``connect``), up to ``lock_timeout`` seconds; then ``StoreBusyError``.
A writer that waits leaves a mark (``writer_waiting``) so that a server reading the file lets go of it.
``write_batch`` checks again, inside its transaction, which documents are already stored, so two writers
that analysed the same text in turn still store it once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import duckdb

from newstrace import __version__
from newstrace.actor_codes import record_code_sql
from newstrace.model import Analysis, Event, EventMention

STORE_VERSION = 4
DEFAULT_DB = "newstrace.duckdb"
DEFAULT_LOCK_TIMEOUT = 120.0  # seconds an open waits for another process to let go of the file
MAX_BACKOFF = 0.1  # seconds between two tries at most: a reader's request is over in milliseconds
WRITER_WAITING_FRESH = 1.0  # seconds a writer's "waiting" mark counts (it renews it at every try)
TELL_AFTER = 1.0  # seconds of waiting before ``on_wait`` is told (short waits are normal and silent)
# DuckDB's messages for a lock another process holds, and for a connection of this process that has the file
# open in the other mode (read-only vs read-write) or is opening or closing it; all clear when the other side
# closes.
_LOCK_CONFLICT = re.compile(r"Could not set lock|Conflicting lock|different configuration|Unique file handle conflict")
_HOLDER_PID = re.compile(r"\(PID (\d+)\)")

# Version 2: cross-document linking (newstrace link): stories, their reports, and what linking keeps per
# event to stay incremental (sentence vectors, blocking keys).
STORY_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, type VARCHAR, mode VARCHAR, summary VARCHAR, actors VARCHAR[], actor_keys VARCHAR[],
    date_from DATE, date_to DATE, best_date DATE, place VARCHAR, place_country VARCHAR, lat DOUBLE, lon DOUBLE,
    n_reports INTEGER, n_articles INTEGER, n_outlets INTEGER, killed INTEGER, killed_max INTEGER, injured INTEGER,
    injured_max INTEGER, disputed BOOLEAN, disagreements VARCHAR, responsibility VARCHAR, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS story_reports (
    story_id VARCHAR, doc_id VARCHAR, event_id VARCHAR, status VARCHAR, outlet VARCHAR, score DOUBLE,
    linked_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS event_vectors (doc_id VARCHAR, event_id VARCHAR, vector FLOAT[384]);
CREATE TABLE IF NOT EXISTS link_keys (key VARCHAR, doc_id VARCHAR, event_id VARCHAR);
"""

# Version 3: incidents. One events row per incident (an event record), with its ACLED sub-event type and
# how many mentions it has; each mention of it in the text is a row of event_mentions.
EVENT_MENTIONS_SQL = """
CREATE TABLE IF NOT EXISTS event_mentions (
    doc_id VARCHAR, event_id VARCHAR, mention_no INTEGER, "start" INTEGER, "end" INTEGER, text VARCHAR,
    sent_start INTEGER, sent_end INTEGER, type VARCHAR, mode VARCHAR, status VARCHAR, statement_id VARCHAR,
    source VARCHAR[], target VARCHAR[], killed INTEGER, injured INTEGER, arrested INTEGER, how VARCHAR);
"""
# A store of version 2 gains the columns and the table; each of its events becomes an incident of one
# mention (its trigger), which is what version 2 stored.
INCIDENTS_MIGRATION = EVENT_MENTIONS_SQL + """
ALTER TABLE events ADD COLUMN IF NOT EXISTS subtype VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS n_mentions INTEGER;
UPDATE events SET n_mentions = 1 WHERE n_mentions IS NULL;
INSERT INTO event_mentions SELECT e.doc_id, e.event_id, 1, e.trigger_start, e.trigger_end, e.trigger_text, e.sent_start,
    e.sent_end, e.type, e.mode, e.status, e.statement_id, e.source, e.target, e.killed, e.injured, e.arrested, 'main'
    FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.doc_id = e.doc_id AND m.event_id = e.event_id);
"""

# Version 4: each actor's CAMEO-style code (``Actor.code``, e.g. USAGOV, IGOUNO). Rows of older stores get
# the code their country, sector and kind give, as the pipeline derives it for actors without a dictionary code.
ACTOR_CODES_MIGRATION = f"""
ALTER TABLE actors ADD COLUMN IF NOT EXISTS code VARCHAR;
UPDATE actors SET code = {record_code_sql("actors")} WHERE code IS NULL;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, origin VARCHAR, title VARCHAR, url VARCHAR, source VARCHAR, author VARCHAR,
    published DATE, published_inferred BOOLEAN, text VARCHAR, n_chars INTEGER, schema_version VARCHAR,
    ingested_at TIMESTAMP, minhash UBIGINT[]);
CREATE TABLE IF NOT EXISTS inputs (
    origin VARCHAR PRIMARY KEY, doc_id VARCHAR, outcome VARCHAR, done_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS ingest_errors (
    origin VARCHAR PRIMARY KEY, path VARCHAR, "offset" VARCHAR, reason VARCHAR, failed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS near_duplicates (doc_id VARCHAR, other_id VARCHAR, similarity DOUBLE);
CREATE TABLE IF NOT EXISTS minhash_bands (doc_id VARCHAR, band INTEGER, bucket UBIGINT);
CREATE TABLE IF NOT EXISTS actors (
    doc_id VARCHAR, actor_id VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR, kind VARCHAR,
    office VARCHAR, wikidata VARCHAR, known BOOLEAN, n_mentions INTEGER, code VARCHAR);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR, actor_id VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR, sent_start INTEGER,
    sent_end INTEGER, how VARCHAR);
CREATE TABLE IF NOT EXISTS times (
    doc_id VARCHAR, time_id VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR, value VARCHAR,
    precision VARCHAR, type VARCHAR, sent_start INTEGER, sent_end INTEGER);
CREATE TABLE IF NOT EXISTS places (
    doc_id VARCHAR, place_id VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR, name VARCHAR,
    country VARCHAR, lat DOUBLE, lon DOUBLE, geonames_id BIGINT, feature_class VARCHAR, sent_start INTEGER,
    sent_end INTEGER);
CREATE TABLE IF NOT EXISTS statements (
    doc_id VARCHAR, statement_id VARCHAR, speaker VARCHAR, speaker_name VARCHAR, speaker_country VARCHAR,
    speaker_start INTEGER, speaker_end INTEGER, speaker_text VARCHAR, cue_start INTEGER, cue_end INTEGER,
    cue_text VARCHAR, content_start INTEGER, content_end INTEGER, content_text VARCHAR, kind VARCHAR,
    channel VARCHAR, date VARCHAR, addressee VARCHAR, certainty VARCHAR, sent_start INTEGER, sent_end INTEGER);
CREATE TABLE IF NOT EXISTS events (
    doc_id VARCHAR, event_id VARCHAR, type VARCHAR, mode VARCHAR, context VARCHAR[], trigger_start INTEGER,
    trigger_end INTEGER, trigger_text VARCHAR, sent_start INTEGER, sent_end INTEGER, source VARCHAR[],
    target VARCHAR[], source_names VARCHAR[], target_names VARCHAR[], source_countries VARCHAR[],
    target_countries VARCHAR[], date VARCHAR, day DATE, time_id VARCHAR, place_id VARCHAR, place_name VARCHAR,
    place_country VARCHAR, lat DOUBLE, lon DOUBLE, status VARCHAR, statement_id VARCHAR, confidence DOUBLE,
    killed INTEGER, injured INTEGER, arrested INTEGER, subtype VARCHAR, n_mentions INTEGER);
CREATE TABLE IF NOT EXISTS responsibility (
    doc_id VARCHAR, resp_id VARCHAR, event_id VARCHAR, kind VARCHAR, responsible VARCHAR[],
    responsible_names VARCHAR[], claimant VARCHAR, claimant_name VARCHAR, backers VARCHAR[], alleged BOOLEAN,
    evidence_start INTEGER, evidence_end INTEGER, evidence_text VARCHAR, sent_start INTEGER, sent_end INTEGER);
""" + STORY_TABLES_SQL + EVENT_MENTIONS_SQL

# version → SQL that upgrades a store of the previous version to it
MIGRATIONS: dict[int, str] = {2: STORY_TABLES_SQL, 3: INCIDENTS_MIGRATION, 4: ACTOR_CODES_MIGRATION}

RECORD_TABLES = ("actors", "mentions", "times", "places", "statements", "events", "event_mentions", "responsibility")


class StoreError(RuntimeError):
    """A store file newstrace cannot use, with the reason."""


class StoreBusyError(StoreError):
    """Another process kept the store locked for longer than the caller would wait."""


def connect(path: str | Path, read_only: bool = False, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
            memory_limit: str = "1GB", on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path``, waiting while another process (or another mode of this one) holds
    the file: tries again with growing, jittered pauses until ``lock_timeout`` seconds have passed, then
    raises StoreBusyError. ``on_wait`` gets one line once a wait passes a second. Other failures: StoreError.

    A writer that waits says so (``writer_waiting``), so that a server sharing the file lets go of it
    instead of starting new reads."""
    started = time.monotonic()
    pause, told, marked = 0.005, False, False
    try:
        while True:
            try:
                return duckdb.connect(str(path), read_only=read_only,
                                      config={"memory_limit": memory_limit, "threads": 2})
            except duckdb.Error as exc:
                if not _LOCK_CONFLICT.search(str(exc)):
                    raise StoreError(f"cannot open {path}: {exc}") from None
                holder = _HOLDER_PID.search(str(exc))
                who = f"process {holder.group(1)}" if holder else "another connection"
                waited = time.monotonic() - started
                if waited >= lock_timeout:
                    raise StoreBusyError(f"{path} is in use by {who} (a running `newstrace ingest`, `link` or "
                                         f"`serve`?); gave up after waiting {lock_timeout:g} s") from None
                if not read_only:
                    marked = _mark_writer_waiting(path) or marked
                if on_wait is not None and not told and waited >= TELL_AFTER:
                    on_wait(f"waiting for {path}: {who} has it open; trying again for up to {lock_timeout:g} s")
                    told = True
                # Jitter: two writers that collide once should not collide again at every retry.
                time.sleep(min(pause * random.uniform(0.5, 1.5), max(lock_timeout - waited, 0.0)))
                pause = min(pause * 2, MAX_BACKOFF)
    finally:
        if marked:
            with contextlib.suppress(OSError):
                os.unlink(_waiting_mark(path))


def _waiting_mark(path: str | Path) -> str:
    return f"{path}.writer-waiting"


def _mark_writer_waiting(path: str | Path) -> bool:
    """Create or renew the mark next to the store file (nothing if its folder is not writable)."""
    try:
        Path(_waiting_mark(path)).touch()
        return True
    except OSError:
        return False


def writer_waiting(path: str | Path) -> bool:
    """Whether a writer is waiting for the store at ``path`` (its mark was renewed within the last second;
    a mark left by a killed writer goes stale on its own)."""
    try:
        return time.time() - os.stat(_waiting_mark(path)).st_mtime < WRITER_WAITING_FRESH
    except OSError:
        return False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store:
    """A DuckDB file of analyses. Use as a context manager, or call ``close``.

    ``hold=True`` (the default) keeps one connection open until ``close``: the fastest, and the file is
    this process's alone meanwhile. ``hold=False`` opens a connection per operation or ``session()``
    block, so that other processes get their turn between them (see the module docstring); ``con`` is
    then only valid inside a session. Opening waits up to ``lock_timeout`` seconds for the file.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, memory_limit: str = "1GB", *,
                 hold: bool = True, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path} (create one with `newstrace ingest`)")
        self.read_only = read_only
        self.hold = hold
        self.lock_timeout = lock_timeout
        self.memory_limit = memory_limit
        self.on_wait = on_wait
        self._con: duckdb.DuckDBPyConnection | None = None
        self._depth = 0
        self._con = self._open()
        try:
            if not read_only:
                self._create_or_migrate()
            else:
                self._check_version()
        finally:
            if not hold:
                self._con.close()
                self._con = None

    def _open(self) -> duckdb.DuckDBPyConnection:
        return connect(self.path, self.read_only, lock_timeout=self.lock_timeout, memory_limit=self.memory_limit,
                       on_wait=self.on_wait)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (with ``hold=False``, only inside ``session()``)."""
        if self._con is None:
            raise StoreError(f"{self.path} is not open here: use `with store.session():`")
        return self._con

    @con.setter
    def con(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._con = connection

    @contextlib.contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection for the block: the held one, the enclosing session's, or one opened for the block
        and closed after it (which hands the file to the next process in line)."""
        if self._con is not None:
            self._depth += 1
            try:
                yield self._con
            finally:
                self._depth -= 1
            return
        self._con = self._open()
        try:
            yield self._con
        finally:
            con, self._con = self._con, None
            con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (checkpointing the write-ahead log); nothing to do between sessions."""
        if self._con is not None:
            self._con.close()
            self._con = None

    # --- schema -------------------------------------------------------------------------------------

    def _create_or_migrate(self) -> None:
        self.con.execute(SCHEMA)
        version = self.version()
        if version is None:
            self._set_meta("store_version", str(STORE_VERSION))
            self._set_meta("created_by", f"newstrace {__version__}")
            return
        if version > STORE_VERSION:
            raise StoreError(f"{self.path} was written by a newer newstrace (store version {version}, "
                             f"this one reads up to {STORE_VERSION})")
        for target in range(version + 1, STORE_VERSION + 1):
            self.con.execute("BEGIN")
            self.con.execute(MIGRATIONS[target])
            self._set_meta("store_version", str(target))
            self.con.execute("COMMIT")

    def _check_version(self) -> None:
        version = self.version()
        if version is None:
            raise StoreError(f"{self.path} is not a newstrace store")
        if version > STORE_VERSION:
            raise StoreError(f"{self.path} was written by a newer newstrace (store version {version})")

    def version(self) -> int | None:
        """The store's schema version, or None for a file without one."""
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
        except duckdb.CatalogException:
            return None
        return int(row[0]) if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # --- writing ------------------------------------------------------------------------------------

    def seen_origins(self, origins: Sequence[str]) -> set[str]:
        """Which of ``origins`` were already ingested (or found to be duplicates)."""
        if not origins:
            return set()
        with self.session() as con:
            rows = con.execute("SELECT origin FROM inputs WHERE origin IN (SELECT unnest(?))", [list(origins)]).fetchall()
        return {r[0] for r in rows}

    def has_documents(self, ids: Sequence[str]) -> set[str]:
        """Which of the document ids are already stored."""
        if not ids:
            return set()
        with self.session() as con:
            rows = con.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def write_batch(self, items: Iterable[tuple[str, Analysis | None, dict]], errors: Iterable[tuple[str, str, str | None, str]],
                    near: Iterable[tuple[str, str, float]] = (), bands: Iterable[tuple[str, int, int]] = ()) -> set[str]:
        """Write analyses (origin, analysis or None for a duplicate, extra document fields), error rows
        (origin, path, offset, reason), near-duplicate links and MinHash bands in one transaction.

        Returns the ids of analysed documents that were stored meanwhile (by another process since the
        caller checked): they are recorded as duplicates, and their records, links and bands are not
        written twice."""
        items, near, bands = list(items), list(near), list(bands)
        now = _now()
        error_rows = [(o, p, off, r, now) for o, p, off, r in errors]
        with self.session() as con:
            con.execute("BEGIN")
            try:
                late = self.has_documents([a.document.id for _, a, _ in items if a is not None])
                rows = _batch_rows(items, late, now)
                for table, table_rows in rows.items():
                    insert_rows(con, table, table_rows, "INSERT OR IGNORE" if table in {"documents", "inputs"} else "INSERT")
                if error_rows:
                    con.executemany("INSERT OR REPLACE INTO ingest_errors VALUES (?, ?, ?, ?, ?)", error_rows)
                done = [r[0] for r in rows["inputs"]]
                if done:  # an input that now succeeds is no longer an error
                    con.execute("DELETE FROM ingest_errors WHERE origin IN (SELECT unnest(?))", [done])
                insert_rows(con, "near_duplicates", [link for link in near if link[0] not in late])
                insert_rows(con, "minhash_bands", [band for band in bands if band[0] not in late])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return late

    def band_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, list[int]]]:
        """Stored documents sharing a MinHash band bucket with ``bands``, with their signatures."""
        if not bands:
            return []
        with self.session() as con:
            rows = con.execute(
                "SELECT DISTINCT d.id, d.minhash FROM (SELECT unnest(?) AS band, unnest(?) AS bucket) q "
                "JOIN minhash_bands b ON b.band = q.band AND b.bucket = q.bucket JOIN documents d ON d.id = b.doc_id",
                [[b for b, _ in bands], [k for _, k in bands]]).fetchall()
        return [(r[0], r[1]) for r in rows]

    # --- reading --------------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence | None = None) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a query."""
        cursor = self.con.execute(sql, params or [])
        return [d[0] for d in cursor.description], cursor.fetchall()

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        tables = ("documents", "inputs", "ingest_errors", "near_duplicates", *RECORD_TABLES)
        with self.session() as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _batch_rows(items: list[tuple[str, Analysis | None, dict]], late: set[str], now: dt.datetime) -> dict[str, list[tuple]]:
    """The rows of ``write_batch`` per table; an analysis of a document in ``late`` counts as a duplicate."""
    rows: dict[str, list[tuple]] = {t: [] for t in ("documents", "inputs", *RECORD_TABLES)}
    for origin, analysis, extra in items:
        if analysis is None or analysis.document.id in late:
            doc_id = extra.get("doc_id") if analysis is None else analysis.document.id
            rows["inputs"].append((origin, doc_id, "duplicate", now))
            continue
        rows["inputs"].append((origin, analysis.document.id, "ingested", now))
        rows["documents"].append(_document_row(analysis, origin, extra, now))
        for table, table_rows in analysis_rows(analysis).items():
            rows[table].extend(table_rows)
    return rows


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple], verb: str = "INSERT") -> None:
    """Insert ``rows`` (tuples in the table's column order) with one statement: each column goes in as
    one list parameter and is unnested. DuckDB's ``executemany`` runs one statement per row, which
    took a fifth of corpus ingest time."""
    if not rows:
        return
    types = [r[0] for r in con.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position", [table]).fetchall()]
    columns = [list(column) for column in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i}::{kind}[])" for i, kind in enumerate(types, start=1))
    con.execute(f"{verb} INTO {table} SELECT {select}", columns)


def _document_row(analysis: Analysis, origin: str, extra: dict, now: dt.datetime) -> tuple:
    doc = analysis.document
    return (doc.id, origin, doc.title, doc.url, doc.source, extra.get("author"), doc.published,
            doc.published_inferred, doc.text, len(doc.text), analysis.schema_version, now, extra.get("minhash"))


def _day(value: str | None) -> dt.date | None:
    if value and len(value) >= 10 and value[:4].isdigit():
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def analysis_rows(analysis: Analysis) -> dict[str, list[tuple]]:
    """One tuple per record, per table, in the column order of ``SCHEMA``."""
    doc_id = analysis.document.id
    actors = {a.id: a for a in analysis.actors}
    places = {p.id: p for p in analysis.places}

    def names(ids: list[str]) -> list[str]:
        return [actors[i].name for i in ids if i in actors]

    def countries(ids: list[str]) -> list[str]:
        return [actors[i].country for i in ids if i in actors and actors[i].country]

    out: dict[str, list[tuple]] = {t: [] for t in RECORD_TABLES}
    for a in analysis.actors:
        out["actors"].append((doc_id, a.id, a.name, a.country, a.sector, a.kind, a.office, a.wikidata, a.known,
                              len(a.mentions), a.code))
        for m in a.mentions:
            out["mentions"].append((doc_id, a.id, m.start, m.end, m.text, m.sentence.start, m.sentence.end, m.how))
    for t in analysis.times:
        out["times"].append((doc_id, t.id, t.span.start, t.span.end, t.span.text, t.value, t.precision, t.type,
                             t.sentence.start, t.sentence.end))
    for p in analysis.places:
        out["places"].append((doc_id, p.id, p.span.start, p.span.end, p.span.text, p.name, p.country, p.lat, p.lon,
                              p.geonames_id, p.feature_class, p.sentence.start, p.sentence.end))
    for s in analysis.statements:
        speaker = actors.get(s.speaker) if s.speaker else None
        out["statements"].append((
            doc_id, s.id, s.speaker, speaker.name if speaker else None, speaker.country if speaker else None,
            *(_span_cols(s.speaker_span)), *(_span_cols(s.cue)), s.content.start, s.content.end, s.content.text,
            s.kind, s.channel, s.date, s.addressee, s.certainty, s.sentence.start, s.sentence.end))
    for e in analysis.events:
        place = places.get(e.location) if e.location else None
        counts = e.counts
        out["events"].append((
            doc_id, e.id, e.type, e.mode, e.context, e.trigger.start, e.trigger.end, e.trigger.text,
            e.sentence.start, e.sentence.end, e.source, e.target, names(e.source), names(e.target),
            countries(e.source), countries(e.target), e.date, _day(e.date), e.time, e.location,
            place.name if place else None, place.country if place else None, place.lat if place else None,
            place.lon if place else None, e.status, e.statement, e.confidence,
            counts.killed if counts else None, counts.injured if counts else None, counts.arrested if counts else None,
            e.subtype, len(e.mentions) or 1))
        out["event_mentions"].extend(_mention_rows(doc_id, e))
    for r in analysis.responsibility:
        claimant = actors.get(r.claimant) if r.claimant else None
        out["responsibility"].append((
            doc_id, r.id, r.event, r.kind, r.responsible, names(r.responsible), r.claimant,
            claimant.name if claimant else None, r.backers, r.alleged, r.evidence.start, r.evidence.end,
            r.evidence.text, r.sentence.start, r.sentence.end))
    return out


def _mention_rows(doc_id: str, event: Event) -> list[tuple]:
    """The rows of an incident's mentions; an event without mention records has its trigger as its one mention."""
    mentions = event.mentions or [EventMention(
        start=event.trigger.start, end=event.trigger.end, text=event.trigger.text, sentence=event.sentence,
        type=event.type, mode=event.mode, status=event.status, statement=event.statement, source=event.source,
        target=event.target, counts=event.counts)]
    rows = []
    for number, m in enumerate(mentions, start=1):
        counts = m.counts
        rows.append((doc_id, event.id, number, m.start, m.end, m.text, m.sentence.start, m.sentence.end, m.type,
                     m.mode, m.status, m.statement, m.source, m.target, counts.killed if counts else None,
                     counts.injured if counts else None, counts.arrested if counts else None, m.how))
    return rows


def _span_cols(span) -> tuple:
    return (span.start, span.end, span.text) if span is not None else (None, None, None)


def dumps_row(columns: list[str], row: tuple) -> str:
    """One row as a JSON object (dates and decimals as strings)."""
    return json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False)
