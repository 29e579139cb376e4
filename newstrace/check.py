"""``newstrace check``: verify a store's integrity without changing it.

The store is opened read-only and every check is a query, so a check can run on a copy of a live
store or right after a crash (DuckDB replays its write-ahead log on open). Checks:

- **schema**: the ``meta`` table records a store version this newstrace reads;
- **documents**: no duplicate or empty ids, ``n_chars`` equals the text length, every document has
  the ``inputs`` row its ingest wrote in the same transaction;
- **orphans**: no row of any table with a ``doc_id`` column (found in the catalog, so tables added
  later are checked too) points at a document that is not stored;
- **duplicates**: no record stored twice (per table key, for the record tables we know);
- **spans**: every integer ``*start``/``*end`` column pair of a ``doc_id`` table lies inside its
  document's text (0 <= start <= end <= n_chars), the matching ``*text`` column is that slice of the
  text, and sentence bounds contain nothing inverted;
- **references**: ids inside a document (a mention's actor, an event's statement, time and place,
  a responsibility record's event, the event of any other table with ``doc_id`` and ``event_id``)
  exist in that document;
- **inputs**: every input has an outcome (``ingested`` or ``duplicate``) and is not also an error;
  ``ingest_errors`` rows have an origin, a path, a reason and a time;
- optionally, against input paths: every article or record read from them is accounted for as an
  input row or an error row.

A problem is reported with its check name, a count and up to three examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newstrace.store import STORE_VERSION, StoreError, connect

# Record tables whose rows must be unique on these columns (the ids the pipeline gives out per document).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "actors": ("doc_id", "actor_id"),
    "mentions": ("doc_id", "actor_id", '"start"', '"end"'),
    "times": ("doc_id", "time_id"),
    "places": ("doc_id", "place_id"),
    "statements": ("doc_id", "statement_id"),
    "events": ("doc_id", "event_id"),
    "responsibility": ("doc_id", "resp_id"),
    "minhash_bands": ("doc_id", "band"),
    "near_duplicates": ("doc_id", "other_id"),
}
# (table, column, referenced table, referenced id column): references within one document.
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("mentions", "actor_id", "actors", "actor_id"),
    ("events", "statement_id", "statements", "statement_id"),
    ("events", "time_id", "times", "time_id"),
    ("events", "place_id", "places", "place_id"),
    ("responsibility", "event_id", "events", "event_id"),
)
# Tables whose span is a few tokens of one sentence (a statement's content may run over several).
SENTENCE_CONTAINED = ("mentions", "times", "places")
OUTCOMES = ("ingested", "duplicate")
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
EXAMPLES = 3
_CHUNK = 1000  # origins looked up per query when checking input paths


@dataclass
class Problem:
    """One failed check: which check, what is wrong, how many rows, a few examples."""

    check: str
    message: str
    count: int = 1
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        shown = f" (e.g. {', '.join(self.examples)})" if self.examples else ""
        return f"{self.check}: {self.message}{shown}"


@dataclass
class Report:
    """What ``check_store`` found: the checks run and the problems."""

    path: str
    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines (a summary line first)."""
        sizes = ", ".join(f"{n} {t}" for t, n in self.counts.items())
        head = [f"store {self.path}" + (f": {sizes}" if sizes else "")]
        if self.ok:
            return [*head, f"ok: {len(self.checks)} checks passed ({', '.join(self.checks)})"]
        return [*head, *(f"PROBLEM {p}" for p in self.problems),
                f"{len(self.problems)} problem(s) found by {len(self.checks)} checks"]


class _Checker:
    def __init__(self, con: duckdb.DuckDBPyConnection, report: Report) -> None:
        self.con = con
        self.report = report

    def run(self, check: str) -> None:
        if check not in self.report.checks:
            self.report.checks.append(check)

    def problem(self, check: str, message: str, count: int = 1, examples: Iterable[object] = ()) -> None:
        self.report.problems.append(Problem(check, message, count, [str(e) for e in list(examples)[:EXAMPLES]]))

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def count_and_examples(self, check: str, message: str, sql_from: str, example: str) -> None:
        """Report a problem when ``SELECT ... FROM <sql_from>`` has rows; ``example`` is the expression shown."""
        self.run(check)
        (n,) = self.rows(f"SELECT count(*) FROM {sql_from}")[0]
        if n:
            examples = [r[0] for r in self.rows(f"SELECT {example} FROM {sql_from} LIMIT {EXAMPLES}")]
            self.problem(check, message.format(n=n), n, examples)


def _q(name: str) -> str:
    """A quoted SQL identifier (table names come from the catalog, so quote them)."""
    return '"' + name.replace('"', '""') + '"'


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Base tables of the main schema → column name → data type."""
    rows = con.execute(
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema "
        "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position"
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, {})[column] = dtype
    return out


def span_columns(columns: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(start, end, text or None) column triples of a table: integer ``PREFIXstart``/``PREFIXend`` pairs,
    with ``PREFIXtext`` when there is one. Sentence bounds (``sent_``) come back too, without text."""
    out = []
    for name, dtype in columns.items():
        match = re.fullmatch(r"(.*?)start", name)
        if not match or dtype not in INTEGER_TYPES:
            continue
        prefix = match.group(1)
        end = f"{prefix}end"
        if columns.get(end) not in INTEGER_TYPES:
            continue
        text = f"{prefix}text"
        out.append((name, end, text if columns.get(text) == "VARCHAR" else None))
    return out


def check_store(path: str | Path, inputs: list[str] | None = None) -> Report:
    """Run every check on the store at ``path`` (opened read-only); ``inputs``: paths whose every record
    must be accounted for as an input or an error row."""
    report = Report(str(path))
    if not Path(path).exists():
        report.problems.append(Problem("open", f"no store at {path}"))
        return report
    try:  # waits, as every reader does, while another process writes a batch (docs/store.md)
        con = connect(path, read_only=True)
    except StoreError as exc:
        report.problems.append(Problem("open", str(exc)))
        return report
    try:
        _run_checks(_Checker(con, report), inputs)
    finally:
        con.close()
    return report


def _run_checks(c: _Checker, inputs: list[str] | None) -> None:
    tables = _tables(c.con)
    if not _check_schema(c, tables):
        return
    c.report.counts = {t: c.rows(f"SELECT count(*) FROM {_q(t)}")[0][0] for t in ("documents", "inputs", "ingest_errors")}
    _check_documents(c)
    children = {t: cols for t, cols in tables.items() if "doc_id" in cols}
    for table in sorted(children):
        c.count_and_examples(
            "orphans", f"{{n}} row(s) of {table} point at a document that is not stored",
            f"{_q(table)} x WHERE x.doc_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = x.doc_id)",
            "DISTINCT x.doc_id")
    if "near_duplicates" in tables and "other_id" in tables["near_duplicates"]:
        c.count_and_examples(
            "orphans", "{n} near-duplicate link(s) point at a document that is not stored",
            "near_duplicates x WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = x.other_id)", "x.other_id")
    for table, key in RECORD_KEYS.items():
        if table in tables and all(k.strip('"') in tables[table] for k in key):
            cols = ", ".join(key)
            c.count_and_examples(
                "duplicates", f"{{n}} record(s) of {table} are stored more than once",
                f"(SELECT {cols}, count(*) AS n FROM {_q(table)} GROUP BY ALL HAVING count(*) > 1) x",
                "concat_ws(' ', " + ", ".join(f"x.{k}" for k in key) + ")")
    for table, cols in sorted(children.items()):
        _check_spans(c, table, cols)
    for table in SENTENCE_CONTAINED:
        if {"start", "end", "sent_start", "sent_end"} <= set(tables.get(table, {})):
            c.count_and_examples(
                "spans", f"{{n}} {table} row(s) lie outside their sentence",
                f'{_q(table)} x WHERE x."start" < x.sent_start OR x."end" > x.sent_end',
                "x.doc_id || ' [' || x.\"start\" || ':' || x.\"end\" || ']'")
    # Any other table keyed by (doc_id, event_id), such as linking's, must name a stored event.
    event_refs = [(t, "event_id", "events", "event_id") for t, cols in sorted(children.items())
                  if "event_id" in cols and t != "events" and (t, "event_id", "events", "event_id") not in REFERENCES]
    for table, column, target, target_column in [*REFERENCES, *event_refs]:
        if column in tables.get(table, {}) and target_column in tables.get(target, {}):
            c.count_and_examples(
                "references", f"{{n}} {table}.{column} value(s) name no {target} record of the same document",
                f"{_q(table)} x WHERE x.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {_q(target)} y "
                f"WHERE y.doc_id = x.doc_id AND y.{target_column} = x.{column})",
                f"x.doc_id || ' ' || x.{column}")
    _check_inputs(c)
    if inputs:
        _check_input_paths(c, inputs)


def _check_schema(c: _Checker, tables: dict[str, dict[str, str]]) -> bool:
    """False when the file is not a store this version can check at all."""
    c.run("schema")
    if "meta" not in tables:
        c.problem("schema", "no meta table: not a newstrace store")
        return False
    row = c.rows("SELECT value FROM meta WHERE key = 'store_version'")
    if not row:
        c.problem("schema", "no store_version in the meta table")
        return False
    try:
        version = int(row[0][0])
    except (TypeError, ValueError):
        c.problem("schema", f"store_version {row[0][0]!r} is not a number")
        return False
    if not 1 <= version <= STORE_VERSION:
        c.problem("schema", f"store version {version} is not supported (this newstrace reads 1 to {STORE_VERSION})")
        return False
    missing = [t for t in ("documents", "inputs", "ingest_errors") if t not in tables]
    if missing:
        c.problem("schema", f"missing table(s): {', '.join(missing)}")
        return False
    return True


def _check_documents(c: _Checker) -> None:
    c.count_and_examples("documents", "{n} document id(s) are stored more than once",
                         "(SELECT id FROM documents GROUP BY id HAVING count(*) > 1) x", "x.id")
    c.count_and_examples("documents", "{n} document(s) have no id", "documents WHERE id IS NULL OR id = ''", "origin")
    c.count_and_examples("documents", "{n} document(s) have an n_chars other than their text's length",
                         "documents WHERE text IS NULL OR n_chars IS DISTINCT FROM length(text)", "id")
    c.count_and_examples("documents", "{n} document(s) have no inputs row recording their ingest",
                         "documents d WHERE NOT EXISTS (SELECT 1 FROM inputs i WHERE i.origin = d.origin)", "d.id")


def _check_spans(c: _Checker, table: str, cols: dict[str, str]) -> None:
    for start, end, text in span_columns(cols):
        where = f"x.{_q(start)} IS NOT NULL OR x.{_q(end)} IS NOT NULL"
        c.count_and_examples(
            "spans", f"{{n}} {table} span(s) {start}/{end} fall outside their document's text",
            f"{_q(table)} x JOIN documents d ON d.id = x.doc_id WHERE ({where}) AND (x.{_q(start)} IS NULL "
            f"OR x.{_q(end)} IS NULL OR x.{_q(start)} < 0 OR x.{_q(end)} < x.{_q(start)} OR x.{_q(end)} > d.n_chars)",
            f"x.doc_id || ' [' || coalesce(x.{_q(start)}::VARCHAR, '?') || ':' || coalesce(x.{_q(end)}::VARCHAR, '?') || ']'")
        if text is not None:
            # Python offsets count code points, and so do DuckDB's substring and length.
            c.count_and_examples(
                "spans", f"{{n}} {table} span(s) {start}/{end} do not hold the text stored in {text}",
                f"{_q(table)} x JOIN documents d ON d.id = x.doc_id WHERE x.{_q(start)} >= 0 "
                f"AND x.{_q(end)} >= x.{_q(start)} AND x.{_q(end)} <= d.n_chars AND x.{_q(text)} IS DISTINCT FROM "
                f"substring(d.text, x.{_q(start)} + 1, x.{_q(end)} - x.{_q(start)})",
                f"x.doc_id || ' [' || x.{_q(start)} || ':' || x.{_q(end)} || '] ' || coalesce(x.{_q(text)}, 'NULL')")


def _check_inputs(c: _Checker) -> None:
    outcomes = ", ".join(f"'{o}'" for o in OUTCOMES)
    c.count_and_examples("inputs", "{n} input(s) have no outcome (ingested or duplicate)",
                         f"inputs WHERE outcome IS NULL OR outcome NOT IN ({outcomes}) OR doc_id IS NULL", "origin")
    c.count_and_examples("inputs", "{n} input(s) are recorded both as done and as an error",
                         "inputs i JOIN ingest_errors e ON e.origin = i.origin", "i.origin")
    c.count_and_examples("ingest_errors", "{n} ingest_errors row(s) lack an origin, path, reason or time",
                         "ingest_errors WHERE coalesce(origin, '') = '' OR coalesce(path, '') = '' "
                         "OR coalesce(trim(reason), '') = '' OR failed_at IS NULL", "coalesce(origin, 'NULL')")


def _origins(paths: list[str]) -> Iterator[str]:
    from newstrace.sources import iter_articles  # imports the pipeline module: only when inputs are given

    for item in iter_articles(paths):
        yield item.origin


def _check_input_paths(c: _Checker, paths: list[str]) -> None:
    c.run("accounted")
    if "-" in paths:
        c.problem("accounted", "stdin cannot be checked against a store")
        return
    missing: list[str] = []
    seen = 0

    def lookup(chunk: list[str]) -> None:
        found = {r[0] for r in c.rows("SELECT origin FROM inputs WHERE origin IN (SELECT unnest(?)) UNION "
                                      "SELECT origin FROM ingest_errors WHERE origin IN (SELECT unnest(?))", [chunk, chunk])}
        missing.extend(o for o in chunk if o not in found)

    chunk: list[str] = []
    for origin in _origins(paths):
        seen += 1
        chunk.append(origin)
        if len(chunk) >= _CHUNK:
            lookup(chunk)
            chunk = []
    if chunk:
        lookup(chunk)
    c.report.counts["inputs read from paths"] = seen
    if missing:
        c.problem("accounted", f"{len(missing)} of {seen} input(s) read from the paths are neither an input row "
                               "nor an error row", len(missing), missing)
