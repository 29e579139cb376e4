"""Store reads for the HTTP API and the pages: paged listings, a stored document as an ``Analysis``,
the aggregates behind the timeline, network and map, and stories.

Filters are those of the CLI: the listings run the very SQL of ``newstrace.queries`` (taken unexecuted
through ``captured``) inside an outer ``LIMIT ? OFFSET ?``, so the API and the CLI cannot drift apart.
A cursor is an opaque, encoded offset into that ordered listing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from newstrace.filters import FACTUAL_STATUSES as FACTUAL  # the charts draw the other statuses apart
from newstrace.model import Analysis
from newstrace.queries import QUAD, EventFilter, event_rows, statement_rows, top_actors
from newstrace.store import Store

UNLIMITED = 2**62  # the inner query's LIMIT when the outer query pages
MAX_NETWORK_EDGES = 80  # more edges than this make an unreadable hairball; the strongest are kept
WEEK_BUCKETS_AFTER_DAYS = 120  # the timeline switches from days to weeks for longer spans
CONFLICT_TYPES = sorted(t for t, q in QUAD.items() if q >= 3)
COOPERATION_TYPES = sorted(t for t, q in QUAD.items() if q <= 2)
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


class CursorError(ValueError):
    """A cursor that this server did not hand out."""


class RequestStore:
    """The part of ``Store`` that ``newstrace.queries`` reads (``query``), over one DuckDB cursor.

    DuckDB connections are not thread-safe, so every request gets its own cursor of the app's
    connection and wraps it in one of these.
    """

    def __init__(self, con: Any) -> None:
        self.con = con

    query = Store.query


class _Capture:
    """Stands in for a store to take the SQL a ``newstrace.queries`` function would run, unexecuted."""

    def __init__(self) -> None:
        self.sql: str = ""
        self.params: list = []

    def query(self, sql: str, params: Sequence | None = None) -> tuple[list[str], list[tuple]]:
        self.sql, self.params = sql, list(params or [])
        return [], []


def captured(function: Callable[..., Any], *args: Any) -> tuple[str, list]:
    """The SQL and parameters that ``function(store, *args)`` would run."""
    capture = _Capture()
    function(capture, *args)
    return capture.sql, capture.params


@dataclass
class Page:
    """One page of a listing: column names, rows and the cursor of the next page (None at the end)."""

    columns: list[str]
    rows: list[tuple]
    next_cursor: str | None = None

    def items(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready objects (dates as ISO strings)."""
        return [{c: _jsonable(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)  # Decimal, UUID and friends: a string loses nothing a reader needs


def encode_cursor(offset: int) -> str:
    """An opaque cursor for an offset."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset behind a cursor (0 for none); CursorError for anything else."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise CursorError("bad cursor: pass back the next_cursor of a previous page") from None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset < UNLIMITED:
        raise CursorError("bad cursor: pass back the next_cursor of a previous page")
    return offset


def paged(store: RequestStore, sql: str, params: Sequence, limit: int, offset: int) -> Page:
    """One page of an ordered query; asks for one row more than shown to know whether a next page exists."""
    columns, rows = store.query(f"SELECT * FROM ({sql}) AS listing LIMIT ? OFFSET ?", [*params, limit + 1, offset])
    more = len(rows) > limit
    return Page(columns, rows[:limit], encode_cursor(offset + limit) if more else None)


def events_page(store: RequestStore, f: EventFilter, limit: int, offset: int) -> Page:
    """Events as ``newstrace events`` lists them, one page."""
    sql, params = captured(event_rows, replace(f, limit=UNLIMITED))
    return paged(store, sql, params, limit, offset)


def statements_page(store: RequestStore, speaker: str | None, limit: int, offset: int) -> Page:
    """Statements as ``newstrace statements`` lists them, one page."""
    sql, params = captured(statement_rows, speaker, UNLIMITED)
    return paged(store, sql, params, limit, offset)


def actors_page(store: RequestStore, limit: int, offset: int, sector: str | None = None) -> Page:
    """Actors by the number of documents naming them, as ``newstrace actors`` lists them, one page."""
    sql, params = captured(top_actors, UNLIMITED, sector)
    return paged(store, sql, params, limit, offset)


def documents_page(store: RequestStore, *, source: str | None = None, since: str | None = None,
                   until: str | None = None, q: str | None = None, limit: int = 100, offset: int = 0) -> Page:
    """Documents, newest first, without their text (its length is ``n_chars``)."""
    where, params = ["TRUE"], []
    if source:
        where.append("d.source ILIKE ?")
        params.append(f"%{source}%")
    # Dates compare as ISO strings, as the events filter does: a partial date ("2024-03") works too.
    if since:
        where.append("CAST(d.published AS VARCHAR) >= ?")
        params.append(since)
    if until:
        where.append("CAST(d.published AS VARCHAR) <= ? || '~'")
        params.append(until)
    if q:
        where.append("(d.title ILIKE ? OR d.text ILIKE ?)")
        params += [f"%{q}%"] * 2
    sql = f"""
        SELECT d.id, d.title, d.url, d.source, d.author, d.published, d.published_inferred, d.n_chars, d.origin,
               (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,
               (SELECT count(*) FROM statements s WHERE s.doc_id = d.id) AS statements
        FROM documents d WHERE {' AND '.join(where)}
        ORDER BY d.published DESC NULLS LAST, d.id"""
    return paged(store, sql, params, limit, offset)


def counts(store: RequestStore) -> dict[str, int]:
    """Rows in the tables a visitor cares about; events are incidents, and their mentions are counted beside them
    (as "event mentions") where the store keeps them."""
    tables = ("documents", "events", "event_mentions", "statements", "actors", "responsibility")
    return {t.replace("_", " "): store.query(f"SELECT count(*) FROM {t}")[1][0][0] for t in tables
            if t != "event_mentions" or has_table(store, t)}


# --- one stored document as an Analysis --------------------------------------------------------------------


def _dicts(store: RequestStore, sql: str, params: Sequence) -> list[dict[str, Any]]:
    columns, rows = store.query(sql, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def stored_analysis(store: RequestStore, doc_id: str) -> Analysis | None:
    """A stored document and its records as an ``Analysis`` (None when there is no such document).

    The store keeps every record with its spans, so the result has the shape ``newstrace analyze``
    prints; what the store does not keep comes back empty: statement hedges, the place gazetteer,
    whether a time was anchored, and the per-stage timings.
    """
    docs = _dicts(store, "SELECT * FROM documents WHERE id = ?", [doc_id])
    if not docs:
        return None
    doc = docs[0]
    text: str = doc["text"]

    def span(start: int | None, end: int | None) -> dict | None:
        return None if start is None or end is None else {"start": start, "end": end, "text": text[start:end]}

    def rows(table: str, order: str) -> list[dict[str, Any]]:
        return _dicts(store, f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY {order}", [doc_id])

    event_mentions: dict[str, list[dict]] = {}
    if has_table(store, "event_mentions"):  # a store older than version 3 has one mention per event: its trigger
        for m in rows("event_mentions", "event_id, mention_no"):
            event_mentions.setdefault(m["event_id"], []).append(_event_mention(m, span))
    mentions: dict[str, list[dict]] = {}
    for m in rows("mentions", '"start"'):
        mentions.setdefault(m["actor_id"], []).append(
            {**span(m["start"], m["end"]), "sentence": span(m["sent_start"], m["sent_end"]), "how": m["how"] or ""})
    payload = {
        "document": {"id": doc["id"], "text": text, "title": doc["title"], "url": doc["url"], "source": doc["source"],
                     "published": doc["published"].isoformat() if doc["published"] else None,
                     "published_inferred": bool(doc["published_inferred"])},
        "schema_version": doc["schema_version"] or Analysis.model_fields["schema_version"].default,
        "actors": [{"id": a["actor_id"], "name": a["name"], "country": a["country"], "sector": a["sector"],
                    "kind": a["kind"], "office": a["office"], "wikidata": a["wikidata"], "known": bool(a["known"]),
                    "mentions": mentions.get(a["actor_id"], [])} for a in rows("actors", "actor_id")],
        "times": [{"id": t["time_id"], "span": span(t["start"], t["end"]), "sentence": span(t["sent_start"], t["sent_end"]),
                   "value": t["value"], "precision": t["precision"], "type": t["type"]} for t in rows("times", '"start"')],
        "places": [{"id": p["place_id"], "span": span(p["start"], p["end"]), "sentence": span(p["sent_start"], p["sent_end"]),
                    "name": p["name"], "country": p["country"], "lat": p["lat"], "lon": p["lon"],
                    "geonames_id": p["geonames_id"], "feature_class": p["feature_class"]} for p in rows("places", '"start"')],
        "statements": [_statement(s, span) for s in rows("statements", "content_start")],
        "events": [_event(e, span, event_mentions.get(e["event_id"], [])) for e in rows("events", EVENT_ORDER)],
        "responsibility": [_responsibility(r, span) for r in rows("responsibility", "evidence_start")],
    }
    return Analysis.model_validate(payload)


# E1, E2, ... E10: the order of each incident's first mention, as ``newstrace analyze`` lists them.
EVENT_ORDER = "try_cast(substr(event_id, 2) AS INTEGER), event_id"


def _statement(s: dict, span: Callable) -> dict:
    return {"id": s["statement_id"], "speaker": s["speaker"], "speaker_span": span(s["speaker_start"], s["speaker_end"]),
            "cue": span(s["cue_start"], s["cue_end"]), "content": span(s["content_start"], s["content_end"]),
            "kind": s["kind"], "channel": s["channel"], "date": s["date"], "addressee": s["addressee"],
            "certainty": s["certainty"], "sentence": span(s["sent_start"], s["sent_end"])}


def _counts(row: dict) -> dict | None:
    counts = {k: row[k] for k in ("killed", "injured", "arrested")}
    return counts if any(v is not None for v in counts.values()) else None


def _event_mention(m: dict, span: Callable) -> dict:
    """One stored mention of an incident (a row of ``event_mentions``) as an ``EventMention``."""
    return {**span(m["start"], m["end"]), "sentence": span(m["sent_start"], m["sent_end"]), "type": m["type"],
            "mode": m["mode"], "status": m["status"], "statement": m["statement_id"], "source": m["source"] or [],
            "target": m["target"] or [], "counts": _counts(m), "how": m["how"] or "main"}


def _event(e: dict, span: Callable, mentions: list[dict]) -> dict:
    """One stored incident as an ``Event``, with its mentions in text order (``subtype`` where the store has it)."""
    return {"id": e["event_id"], "type": e["type"], "mode": e["mode"], "subtype": e.get("subtype"),
            "context": e["context"] or [],
            "trigger": span(e["trigger_start"], e["trigger_end"]), "sentence": span(e["sent_start"], e["sent_end"]),
            "source": e["source"] or [], "target": e["target"] or [], "date": e["date"], "time": e["time_id"],
            "location": e["place_id"], "status": e["status"], "statement": e["statement_id"],
            "confidence": e["confidence"], "counts": _counts(e),
            "mentions": sorted(mentions, key=lambda m: (m["start"], m["end"]))}


def _responsibility(r: dict, span: Callable) -> dict:
    return {"id": r["resp_id"], "event": r["event_id"], "kind": r["kind"], "responsible": r["responsible"] or [],
            "claimant": r["claimant"], "backers": r["backers"] or [], "alleged": bool(r["alleged"]),
            "evidence": span(r["evidence_start"], r["evidence_end"]), "sentence": span(r["sent_start"], r["sent_end"])}


# --- what the timeline, network and map draw --------------------------------------------------------------


def events_overview(store: RequestStore, f: EventFilter) -> dict[str, Any]:
    """Aggregates over every event matching ``f`` (its limit ignored): events per day or week and type,
    actor-to-actor edges with cooperation/conflict counts, and events per place with coordinates."""
    sql, params = captured(event_rows, replace(f, limit=UNLIMITED))
    matched = (f"SELECT e.* FROM events e JOIN ({sql}) AS m ON m.doc_id = e.doc_id AND m.event_id = e.event_id")
    total = store.query(f"SELECT count(*) FROM ({matched})", params)[1][0][0]
    _, by_status = store.query(f"SELECT status, count(*) FROM ({matched}) GROUP BY status ORDER BY status", params)
    return {"total": total, "quad": QUAD, "quad_names": {str(k): v for k, v in QUAD_NAMES.items()},
            "statuses": dict(by_status), "timeline": _timeline(store, matched, params),
            "network": _network(store, matched, params), "map": _map(store, matched, params)}


def _timeline(store: RequestStore, matched: str, params: list) -> dict[str, Any]:
    first, last, undated = store.query(
        f"SELECT min(day), max(day), count(*) FILTER (WHERE day IS NULL) FROM ({matched})", params)[1][0]
    bucket = "week" if first and last and (last - first).days > WEEK_BUCKETS_AFTER_DAYS else "day"
    _, rows = store.query(f"""
        SELECT CAST(date_trunc('{bucket}', day) AS DATE) AS period, type, count(*) AS events,
               count(*) FILTER (WHERE NOT list_contains(?, status)) AS uncertain
        FROM ({matched}) WHERE day IS NOT NULL GROUP BY ALL ORDER BY period, type""", [list(FACTUAL), *params])
    return {"bucket": bucket, "undated": undated,
            "rows": [{"period": p.isoformat(), "type": t, "events": n, "uncertain": u} for p, t, n, u in rows]}


def _network(store: RequestStore, matched: str, params: list) -> dict[str, Any]:
    columns, rows = store.query(f"""
        SELECT s AS source, t AS target, count(*) AS events,
               count(*) FILTER (WHERE list_contains(?, type)) AS conflict,
               count(*) FILTER (WHERE list_contains(?, type)) AS cooperation,
               count(*) FILTER (WHERE NOT list_contains(?, status)) AS uncertain
        FROM (SELECT unnest(source_names) AS s, target_names, type, status FROM ({matched})) AS x,
             unnest(x.target_names) AS u(t)
        GROUP BY s, t ORDER BY events DESC, s, t LIMIT {MAX_NETWORK_EDGES}""",
        [CONFLICT_TYPES, COOPERATION_TYPES, list(FACTUAL), *params])
    return {"edges": Page(columns, rows).items(), "max_edges": MAX_NETWORK_EDGES}


def _map(store: RequestStore, matched: str, params: list) -> dict[str, Any]:
    _, rows = store.query(f"""
        SELECT place_name, place_country, lat, lon, type, count(*) AS events,
               count(*) FILTER (WHERE NOT list_contains(?, status)) AS uncertain FROM ({matched})
        WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY ALL ORDER BY place_name, type""", [list(FACTUAL), *params])
    points: dict[tuple, dict[str, Any]] = {}
    for name, country, lat, lon, event_type, n, uncertain in rows:
        point = points.setdefault((name, lat, lon), {"place": name, "country": country, "lat": lat, "lon": lon,
                                                     "events": 0, "uncertain": 0, "types": {}})
        point["events"] += n
        point["uncertain"] += uncertain
        point["types"][event_type] = n
    unplaced = store.query(f"SELECT count(*) FROM ({matched}) WHERE lat IS NULL OR lon IS NULL", params)[1][0][0]
    return {"points": list(points.values()), "unplaced": unplaced}


# --- stories (written by `newstrace link`) ---------------------------------------------------------------


def has_table(store: RequestStore, name: str) -> bool:
    """Whether the store has a table of this name."""
    _, rows = store.query("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
    return rows[0][0] > 0


STORY_COLUMNS = ["id", "type", "mode", "summary", "best_date", "date_from", "date_to", "place", "n_articles", "n_outlets",
                 "killed", "killed_max", "injured", "injured_max", "disputed", "actors", "reports", "responsibility",
                 "disagreements"]


def stories_page(store: RequestStore, limit: int, offset: int, filters: dict[str, Any] | None = None) -> Page:
    """Stories matching ``filters`` (the keyword arguments of ``stories.story_filter``), disputed and
    most-reported first, each with its reports, claims and disagreements."""
    from newstrace.stories import STORY_ORDER, build_stories, story_filter

    if not has_table(store, "stories"):
        return Page(STORY_COLUMNS, [], None)
    clause, params = story_filter(**(filters or {}))
    ids = paged(store, f"SELECT id FROM stories {clause} {STORY_ORDER}", params, limit, offset)
    order = [r[0] for r in ids.rows]
    built = {s.id: s.model_dump(mode="json") for s in build_stories(store, order)}  # type: ignore[arg-type]
    rows = [tuple(built[sid].get(c) for c in STORY_COLUMNS) for sid in order if sid in built]
    return Page(STORY_COLUMNS, rows, ids.next_cursor)


def story(store: RequestStore, story_id: str) -> dict[str, Any] | None:
    """One story with every report side by side, or None."""
    from newstrace.stories import load_story

    if not has_table(store, "stories"):
        return None
    found = load_story(store, story_id)  # type: ignore[arg-type]
    return found.model_dump(mode="json") if found else None


def story_reports(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A story's reports as a list of objects, whether stored as a list or as JSON text."""
    reports = item.get("reports") or []
    if isinstance(reports, str):
        try:
            reports = json.loads(reports)
        except ValueError:
            return []
    return [r if isinstance(r, dict) else {"report": r} for r in reports]
