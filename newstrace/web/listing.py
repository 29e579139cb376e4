"""What the workbench pages list: filters read from a page's query string (checked by
``newstrace.filters``), and the SQL behind the articles, events, statements and actors pages.

Each listing is one ordered query (``sql``, ``params``); the page shows one page of it through
``data.paged`` and the export routes stream all of it in another shape (``exports``), so what a page
shows and what its export buttons download cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from newstrace.actor_codes import record_code_sql
from newstrace.filters import FACTUAL_STATUSES, FilterError, validate_filters
from newstrace.queries import EventFilter, event_rows
from newstrace.web.data import UNLIMITED, RequestStore, captured

MAX_FILTER_CHARS = 200
EVENT_FIELDS = ("actor", "target", "type", "status", "since", "until", "place", "scope")
STATEMENT_FIELDS = ("speaker", "channel", "certainty", "since", "until")
STORY_FIELDS = ("actor", "type", "since", "until", "disputed")
ARTICLE_FIELDS = ("q", "source", "since", "until")
ACTOR_FIELDS = ("q", "sector")
SCOPES = ("factual", "all")  # events counted: asserted and reported only (the default), or every status
ORDERS = ("asc", "desc")
# The columns each listing sorts by (``?sort=KEY&order=asc|desc``), as SQL over the listing's own output
# columns, and the columns that break ties so that paging through a sorted listing is stable.
SORTS: dict[str, dict[str, str]] = {
    "events": {"date": "date", "type": "type", "subtype": "subtype", "source": "lower(source)",
               "target": "lower(target)", "trigger": "lower(trigger)", "mentions": "mentions",
               "place": "lower(place)", "status": "status", "article": "lower(display_title)"},
    "statements": {"date": "date", "speaker": "lower(speaker)", "said": "lower(content)", "channel": "channel",
                   "certainty": "certainty", "article": "lower(title)"},
    "articles": {"published": "published", "title": "lower(title)", "outlet": "lower(outlet)", "events": "events",
                 "statements": "statements"},
    "actors": {"name": "lower(name)", "code": "code", "country": "country", "sector": "sector", "kind": "kind",
               "articles": "documents", "mentions": "mentions", "source": "as_source", "target": "as_target"},
}
TIEBREAKS = {"events": "doc_id, event_id", "statements": "doc_id, statement_id", "articles": "id", "actors": "key"}

# A document's title, or for an untitled text its first non-empty line (cut to 120 characters).
TITLE_SQL = ("coalesce(nullif(trim({d}.title), ''), "
             "left(trim(regexp_extract({d}.text, '^\\s*([^\\n]*)', 1)), 120))")


@dataclass
class PageFilters:
    """A page's filters: the values as given (to show back in the form), the valid ones, and a message per
    field in error."""

    given: dict[str, str] = field(default_factory=dict)
    values: dict[str, str | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """A checked value (None when absent or in error)."""
        return self.values.get(name)

    def query(self, **changes: str | None) -> str:
        """The query string of these filters (as given), with ``changes`` applied (None removes a key)."""
        merged = {**self.given, **changes}
        return urlencode({k: v for k, v in merged.items() if v})


def read_filters(params: Mapping[str, str], fields: tuple[str, ...], listing: str | None = None) -> PageFilters:
    """The filters named in ``fields`` from a query string, checked by ``validate_filters``; with a
    ``listing`` (a key of ``SORTS``) also its ``sort`` column and ``order``."""
    names = (*fields, "sort", "order") if listing else fields
    given = {name: params.get(name, "").strip()[:MAX_FILTER_CHARS] for name in names}
    given = {k: v for k, v in given.items() if v}
    checked = {k: v for k, v in given.items() if k not in ("scope", "disputed", "sort", "order")}
    errors: dict[str, str] = {}
    try:
        values: dict[str, str | None] = validate_filters(**checked)
    except FilterError as exc:
        errors = exc.errors
        values = {k: v for k, v in checked.items() if k not in errors}
    if "scope" in given:
        if given["scope"] in SCOPES:
            values["scope"] = given["scope"]
        else:
            errors["scope"] = f"scope: {given['scope']!r} is not one of {', '.join(SCOPES)}"
    if "disputed" in given:
        values["disputed"] = "1" if given["disputed"].lower() in ("1", "true", "on", "yes") else None
    if listing:
        _read_sort(given, SORTS[listing], values, errors)
    return PageFilters(given, values, errors)


def _read_sort(given: dict[str, str], columns: Mapping[str, str], values: dict[str, str | None],
               errors: dict[str, str]) -> None:
    """Check ``sort`` (a column of the listing) and ``order`` (asc or desc, asc by default)."""
    if "sort" in given:
        if given["sort"] in columns:
            values["sort"] = given["sort"]
        else:
            errors["sort"] = f"sort: {given['sort']!r} is not one of {', '.join(columns)}"
    if "order" in given:
        if given["order"] in ORDERS:
            values["order"] = given["order"]
        else:
            errors["order"] = f"order: {given['order']!r} is not one of {', '.join(ORDERS)}"


def sorted_by(sql: str, filters: PageFilters, listing: str) -> str:
    """The listing's query in the order the page's ``sort`` and ``order`` ask for (all its rows, not one
    page of them), ties broken stably; the listing's own order where no sort is given."""
    key = filters.get("sort")
    if not key:
        return sql
    direction = "DESC" if filters.get("order") == "desc" else "ASC"
    return (f"SELECT * FROM ({sql}) AS listed ORDER BY {SORTS[listing][key]} {direction} NULLS LAST, "
            f"{TIEBREAKS[listing]}")


# --- events ----------------------------------------------------------------------------------------------


def event_filter(filters: PageFilters) -> EventFilter:
    """The events filter of a page: unless a status is chosen, asserted and reported events only, or
    every status with ``scope=all``."""
    status = filters.get("status")
    if not status and filters.get("scope") != "all":
        status = ",".join(FACTUAL_STATUSES)
    return EventFilter(filters.get("actor"), filters.get("target"), filters.get("type"), status,
                       filters.get("since"), filters.get("until"), filters.get("place"))


def events_sql(f: EventFilter) -> tuple[str, list]:
    """Every event matching ``f``, newest first, with the columns of the events table (see queries.event_rows)
    and the article's display title."""
    sql, params = captured(event_rows, replace(f, limit=UNLIMITED))
    return (f"SELECT m.*, {TITLE_SQL.format(d='d')} AS display_title FROM ({sql}) AS m "
            "JOIN documents d ON d.id = m.doc_id", params)


# --- statements --------------------------------------------------------------------------------------------


def statements_sql(filters: PageFilters) -> tuple[str, list]:
    """Statements matching the page's filters (speaker, channel, certainty, dates), newest first."""
    where, params = ["TRUE"], []
    speaker = filters.get("speaker")
    if speaker and len(speaker) == 3 and speaker.isupper():
        where.append("s.speaker_country = ?")
        params.append(speaker)
    elif speaker:
        where.append("(s.speaker_name ILIKE ? OR s.speaker_text ILIKE ?)")
        params += [f"%{speaker}%"] * 2
    for column in ("channel", "certainty"):
        if filters.get(column):
            where.append(f"s.{column} = ?")
            params.append(filters.get(column))
    date = "coalesce(s.date, CAST(d.published AS VARCHAR))"
    if filters.get("since"):
        where.append(f"{date} >= ?")
        params.append(filters.get("since"))
    if filters.get("until"):
        where.append(f"{date} <= ? || '~'")
        params.append(filters.get("until"))
    sql = f"""
        SELECT {date} AS date, coalesce(s.speaker_name, s.speaker_text) AS speaker, s.speaker_name AS speaker_actor,
               s.speaker_country,
               s.cue_text AS cue, s.content_text AS content, s.channel, s.certainty, s.kind,
               a.name AS addressee, s.doc_id, s.statement_id, {TITLE_SQL.format(d='d')} AS title, d.source AS outlet,
               d.url, substr(d.text, s.sent_start + 1, s.sent_end - s.sent_start) AS sentence
        FROM statements s JOIN documents d ON d.id = s.doc_id
        LEFT JOIN actors a ON a.doc_id = s.doc_id AND a.actor_id = s.addressee
        WHERE {' AND '.join(where)}
        ORDER BY {date} DESC NULLS LAST, s.doc_id, s.content_start"""
    return sql, params


# --- articles ----------------------------------------------------------------------------------------------


def articles_sql(filters: PageFilters) -> tuple[str, list]:
    """Documents matching the page's filters, newest first, titled (without their text)."""
    where, params = ["TRUE"], []
    if filters.get("source"):
        where.append("d.source ILIKE ?")
        params.append(f"%{filters.get('source')}%")
    if filters.get("since"):
        where.append("CAST(d.published AS VARCHAR) >= ?")
        params.append(filters.get("since"))
    if filters.get("until"):
        where.append("CAST(d.published AS VARCHAR) <= ? || '~'")
        params.append(filters.get("until"))
    if filters.get("q"):
        where.append("(d.title ILIKE ? OR d.text ILIKE ?)")
        params += [f"%{filters.get('q')}%"] * 2
    sql = f"""
        SELECT d.id, {TITLE_SQL.format(d='d')} AS title, d.title IS NULL OR trim(d.title) = '' AS untitled,
               d.url, d.source AS outlet, d.author, d.published, d.n_chars,
               (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,
               (SELECT count(*) FROM statements s WHERE s.doc_id = d.id) AS statements
        FROM documents d WHERE {' AND '.join(where)}
        ORDER BY d.published DESC NULLS LAST, d.id"""
    return sql, params


# --- actors ------------------------------------------------------------------------------------------------

# One actor across documents: its Wikidata id, else its lower-case name (as stories compare them).
ACTOR_KEY_SQL = "coalesce(a.wikidata, lower(a.name))"


def has_column(store: RequestStore, table: str, column: str) -> bool:
    """Whether ``table`` has ``column`` (newer stores carry more, e.g. actors.code)."""
    _, rows = store.query("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                          [table, column])
    return rows[0][0] > 0


def actor_code_sql(store: RequestStore, alias: str = "a") -> str:
    """An actor's CAMEO-style code: the stored ``code`` (store version 4), else what its country, sector and
    kind give (USAGOV; a state is its bare country code), as the pipeline derives it."""
    derived = record_code_sql(alias)
    return f"coalesce({alias}.code, {derived})" if has_column(store, "actors", "code") else derived


def actors_sql(store: RequestStore, filters: PageFilters) -> tuple[str, list]:
    """Actors across documents (one row per key), most documents first."""
    where, params = ["TRUE"], []
    if filters.get("q"):
        where.append("(a.name ILIKE ? OR a.country = upper(?))")
        params += [f"%{filters.get('q')}%", filters.get("q")]
    if filters.get("sector"):
        where.append("a.sector = ?")
        params.append(filters.get("sector"))
    sql = f"""
        WITH inst AS (SELECT {ACTOR_KEY_SQL} AS key, a.*, {actor_code_sql(store)} AS code_
                      FROM actors a WHERE {' AND '.join(where)}),
        acts AS (SELECT i.key, count(*) FILTER (WHERE list_contains(e.source, i.actor_id)) AS as_source,
                        count(*) FILTER (WHERE list_contains(e.target, i.actor_id)) AS as_target
                 FROM inst i JOIN events e ON e.doc_id = i.doc_id GROUP BY i.key)
        SELECT i.key, mode(i.name) AS name, mode(i.code_) AS code, mode(i.country) AS country,
               mode(i.sector) AS sector, mode(i.kind) AS kind, max(i.wikidata) AS wikidata,
               count(DISTINCT i.doc_id) AS documents, sum(i.n_mentions) AS mentions,
               coalesce(max(acts.as_source), 0) AS as_source, coalesce(max(acts.as_target), 0) AS as_target
        FROM inst i LEFT JOIN acts ON acts.key = i.key
        GROUP BY i.key ORDER BY documents DESC, mentions DESC, name, i.key"""
    return sql, params


def dicts(store: RequestStore, sql: str, params: list) -> list[dict[str, Any]]:
    """Rows as dicts."""
    columns, rows = store.query(sql, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]
