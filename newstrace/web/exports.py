"""Downloads of what a page shows: events, statements, stories and articles as CSV, JSON or Parquet,
under the page's own filters, with the columns users of ACLED and GDELT look for.

Events carry, per row (one per incident): the date and its precision, PLOVER type, ACLED sub-event type and
PLOVER mode, status, how many times the article mentions the incident, source and target names,
codes (CAMEO-style: the actor's stored code, else country + sector) and countries, the place with its
country, latitude and longitude, fatalities (killed), injured and arrested, the trigger and its sentence,
and the article's title, URL, outlet and publication date (see docs/web.md for the ACLED/GDELT names).
Parquet is written by DuckDB itself, so no extra dependency is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from newstrace.filters import first_day, last_day
from newstrace.web.data import RequestStore, has_table
from newstrace.web.listing import (
    TITLE_SQL,
    PageFilters,
    actor_code_sql,
    articles_sql,
    event_filter,
    events_sql,
    statements_sql,
)

KINDS = ("events", "statements", "stories", "articles")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "parquet": "application/vnd.apache.parquet"}
MAX_EXPORT_ROWS = 100_000
EVENT_EXPORT_COLUMNS = [
    "event_id", "date", "date_precision", "type", "subtype", "mode", "status", "mentions", "source", "source_code",
    "source_country",
    "target", "target_code", "target_country", "place", "place_country", "latitude", "longitude", "fatalities",
    "injured", "arrested", "trigger", "sentence", "article_title", "article_url", "outlet", "published", "doc_id",
    "confidence",
]
_PRECISION = r"""CASE WHEN e.date IS NULL THEN NULL
    WHEN regexp_matches(e.date, '^\d{4}-\d{2}-\d{2}') THEN 'day' WHEN regexp_matches(e.date, '^\d{4}-W\d') THEN 'week'
    WHEN regexp_matches(e.date, '^\d{4}-\d{2}$') THEN 'month' WHEN regexp_matches(e.date, '^\d{4}$') THEN 'year'
    ELSE 'other' END"""


def _codes(store: RequestStore, side: str) -> str:
    """The codes of an event's source or target actors, in the event's order, joined by '; '."""
    return (f"(SELECT string_agg({actor_code_sql(store)}, '; ' ORDER BY list_position(e.{side}, a.actor_id)) "
            f"FROM actors a WHERE a.doc_id = e.doc_id AND list_contains(e.{side}, a.actor_id))")


def event_export_sql(store: RequestStore, filters: PageFilters) -> tuple[str, list]:
    """Every event the events page lists under ``filters``, in the export's columns."""
    matched, params = events_sql(event_filter(filters))
    sql = f"""
        SELECT e.doc_id || ':' || e.event_id AS event_id, e.date, coalesce(t.precision, {_PRECISION}) AS date_precision,
               e.type, e.subtype, e.mode, e.status, coalesce(e.n_mentions, 1) AS mentions,
               array_to_string(e.source_names, '; ') AS source,
               {_codes(store, 'source')} AS source_code, array_to_string(e.source_countries, '; ') AS source_country,
               array_to_string(e.target_names, '; ') AS target, {_codes(store, 'target')} AS target_code,
               array_to_string(e.target_countries, '; ') AS target_country, e.place_name AS place, e.place_country,
               e.lat AS latitude, e.lon AS longitude, e.killed AS fatalities, e.injured, e.arrested,
               e.trigger_text AS trigger, substr(d.text, e.sent_start + 1, e.sent_end - e.sent_start) AS sentence,
               {TITLE_SQL.format(d='d')} AS article_title, d.url AS article_url, d.source AS outlet, d.published,
               e.doc_id, e.confidence
        FROM ({matched}) AS m JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
        JOIN documents d ON d.id = e.doc_id
        LEFT JOIN times t ON t.doc_id = e.doc_id AND t.time_id = e.time_id
        ORDER BY e.date DESC NULLS LAST, e.doc_id, e.event_id"""
    return sql, params


def story_export_sql(store: RequestStore, filters: PageFilters) -> tuple[str, list]:
    """Stories under the stories page's filters, one row each, with the URLs of their articles."""
    from newstrace.stories import STORY_ORDER, story_filter

    clause, params = story_filter(**story_filter_args(filters))
    sql = f"""
        SELECT s.id AS story_id, s.type,
               (SELECT mode(e.subtype) FROM story_reports r JOIN events e ON e.doc_id = r.doc_id
                AND e.event_id = r.event_id WHERE r.story_id = s.id) AS subtype,
               s.mode, s.best_date AS date, s.date_from, s.date_to, s.place, s.place_country,
               s.lat AS latitude, s.lon AS longitude, s.n_reports,
               (SELECT sum(coalesce(e.n_mentions, 1)) FROM story_reports r JOIN events e ON e.doc_id = r.doc_id
                AND e.event_id = r.event_id WHERE r.story_id = s.id) AS mentions,
               s.n_articles, s.n_outlets, s.killed AS fatalities,
               s.killed_max AS fatalities_max, s.injured, s.injured_max, s.disputed,
               array_to_string(s.actors, '; ') AS actors, s.summary AS sentence, s.disagreements,
               (SELECT string_agg(DISTINCT d.url, ' ') FROM story_reports r JOIN documents d ON d.id = r.doc_id
                WHERE r.story_id = s.id) AS article_urls,
               (SELECT string_agg(DISTINCT d.source, '; ') FROM story_reports r JOIN documents d ON d.id = r.doc_id
                WHERE r.story_id = s.id) AS outlets
        FROM stories s {clause} {STORY_ORDER}"""
    return sql, params


def story_filter_args(filters: PageFilters) -> dict[str, Any]:
    """The page's story filters as ``stories.story_filter`` wants them (whole days for partial dates)."""
    return {"actor": filters.get("actor"), "since": first_day(filters.get("since")),
            "until": last_day(filters.get("until")), "event_type": filters.get("type"),
            "disputed": bool(filters.get("disputed"))}


def export_sql(store: RequestStore, kind: str, filters: PageFilters) -> tuple[str, list] | None:
    """The query behind an export (None for stories in a store that has none)."""
    if kind == "events":
        return event_export_sql(store, filters)
    if kind == "statements":
        return statements_sql(filters)
    if kind == "articles":
        return articles_sql(filters)
    return story_export_sql(store, filters) if has_table(store, "stories") else None


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"); news text is
# untrusted, so such text cells get a leading apostrophe, as OWASP advises. Numbers are left alone.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: ISO dates, lists joined by "; ", text that a spreadsheet would run defused."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render(store: RequestStore, kind: str, fmt: str, filters: PageFilters) -> bytes:
    """The export file's bytes."""
    query = export_sql(store, kind, filters)
    if query is None:
        columns, rows = ["story_id"], []
    else:
        sql, params = query
        sql = f"SELECT * FROM ({sql}) AS export LIMIT {MAX_EXPORT_ROWS}"
        if fmt == "parquet":
            with tempfile.TemporaryDirectory(prefix="newstrace-export-") as folder:
                path = Path(folder) / f"{kind}.parquet"
                store.con.sql(sql, params=params).write_parquet(str(path))
                return path.read_bytes()
        columns, rows = store.query(sql, params)
    if fmt == "json":
        items = [{c: v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for c, v in zip(columns, row, strict=True)}
                 for row in rows]
        return json.dumps(items, ensure_ascii=False, default=str, indent=1).encode()
    if fmt == "parquet":  # an empty stories export: an empty table with one column
        with tempfile.TemporaryDirectory(prefix="newstrace-export-") as folder:
            path = Path(folder) / f"{kind}.parquet"
            store.con.sql("SELECT NULL::VARCHAR AS story_id WHERE FALSE").write_parquet(str(path))
            return path.read_bytes()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode()
