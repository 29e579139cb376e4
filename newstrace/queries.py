"""Questions over a store: filtered events, statements, top actors, statistics, and exports.

Every query is parameterised SQL over the tables of ``newstrace.store``; the CLI and (later) the
HTTP API share these functions.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from newstrace.actor_codes import record_code
from newstrace.store import Store


@dataclass
class EventFilter:
    """Filters of ``newstrace events`` (all optional, combined with AND)."""

    actor: str | None = None  # a country code or part of a name, on the source side
    target: str | None = None  # the same, on the target side
    type: str | None = None  # one PLOVER type, or several separated by commas
    status: str | None = None  # one status, or several separated by commas
    since: str | None = None
    until: str | None = None
    place: str | None = None
    limit: int = 100


def _side(column: str, value: str) -> tuple[str, list]:
    """A source/target condition: a country code (IRN) or a case-insensitive part of a name."""
    if len(value) == 3 and value.isupper():
        return f"list_contains({column}_countries, ?)", [value]
    return f"len(list_filter({column}_names, lambda x: x ILIKE ?)) > 0", [f"%{value}%"]


def event_rows(store: Store, f: EventFilter) -> tuple[list[str], list[tuple]]:
    """Events (incidents) matching the filter, newest first, with their ACLED sub-event type, how many times
    the article mentions each, and their document's title and source."""
    where, params = ["TRUE"], []
    if f.actor:
        cond, p = _side("source", f.actor)
        where.append(cond)
        params += p
    if f.target:
        cond, p = _side("target", f.target)
        where.append(cond)
        params += p
    for column, value in (("type", f.type and f.type.upper()), ("status", f.status)):
        if value and "," in value:  # several values: "asserted,reported"
            where.append(f"list_contains(?, e.{column})")
            params.append([v.strip() for v in value.split(",") if v.strip()])
        elif value:
            where.append(f"e.{column} = ?")
            params.append(value)
    if f.since:
        where.append("e.date >= ?")
        params.append(f.since)
    if f.until:
        where.append("e.date <= ? || '~'")  # '~' sorts after any date suffix, so month values count too
        params.append(f.until)
    if f.place:
        where.append("(e.place_name ILIKE ? OR e.place_country = ?)")
        params += [f"%{f.place}%", f.place.upper()]
    sql = f"""
        SELECT e.date, e.type, e.mode, array_to_string(e.source_names, '; ') AS source,
               array_to_string(e.target_names, '; ') AS target, e.trigger_text AS trigger, e.place_name AS place,
               e.status, e.confidence, e.doc_id, e.event_id, d.title, d.source AS outlet,
               e.trigger_start, e.trigger_end, e.subtype, coalesce(e.n_mentions, 1) AS mentions
        FROM events e JOIN documents d ON d.id = e.doc_id
        WHERE {' AND '.join(where)}
        ORDER BY e.date DESC NULLS LAST, e.doc_id, e.event_id
        LIMIT {int(f.limit)}"""
    return store.query(sql, params)


def statement_rows(store: Store, speaker: str | None = None, limit: int = 100) -> tuple[list[str], list[tuple]]:
    """Statements, optionally of one speaker (country code or part of a name)."""
    where, params = "TRUE", []
    if speaker:
        if len(speaker) == 3 and speaker.isupper():
            where, params = "s.speaker_country = ?", [speaker]
        else:
            where, params = "(s.speaker_name ILIKE ? OR s.speaker_text ILIKE ?)", [f"%{speaker}%"] * 2
    sql = f"""
        SELECT coalesce(s.speaker_name, s.speaker_text) AS speaker, s.cue_text AS cue, s.content_text AS content,
               s.channel, s.certainty, s.date, s.doc_id, s.statement_id, d.title
        FROM statements s JOIN documents d ON d.id = s.doc_id
        WHERE {where} ORDER BY s.doc_id, s.content_start LIMIT {int(limit)}"""
    return store.query(sql, params)


def top_actors(store: Store, top: int = 20, sector: str | None = None) -> tuple[list[str], list[tuple]]:
    """The actors named in the most documents (of one PLOVER sector, e.g. GOV, when ``sector`` is given)."""
    where, params = ("WHERE sector = ?", [sector.upper()]) if sector else ("", [])
    return store.query(f"""
        SELECT name, country, sector, kind, count(DISTINCT doc_id) AS documents, sum(n_mentions) AS mentions
        FROM actors {where} GROUP BY ALL ORDER BY documents DESC, mentions DESC, name LIMIT {int(top)}""", params)


def event_mention_rows(store: Store, events: list[tuple[str, str]]) -> tuple[list[str], list[tuple]]:
    """Every mention of these incidents ((document id, event id) pairs), in text order: its span, its
    sentence, what it says by itself and how it joined its incident (table ``event_mentions``)."""
    return store.query("""
        SELECT m.doc_id, m.event_id, m.mention_no, m.how, m.text, m.type, m.mode, m.status, e.subtype,
               m."start", m."end", substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start) AS sentence
        FROM event_mentions m JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
        JOIN documents d ON d.id = m.doc_id
        WHERE list_contains(?, m.doc_id || ':' || m.event_id)
        ORDER BY m.doc_id, m."start", m.event_id""", [[f"{doc}:{event}" for doc, event in events]])


def stats(store: Store) -> dict[str, tuple[list[str], list[tuple]]]:
    """Counts per event type (incidents, their mentions, asserted incidents, with a sub-event type), per
    sub-event type, per month and per country pair. An event is an incident: one row however often an
    article mentions it."""
    return {
        "events per type": store.query("""
            SELECT type, count(*) AS events, sum(coalesce(n_mentions, 1)) AS mentions,
                   count(*) FILTER (WHERE status = 'asserted') AS asserted
            FROM events GROUP BY type ORDER BY events DESC, type"""),
        "events per sub-event type": store.query("""
            SELECT subtype, count(*) AS events, sum(coalesce(n_mentions, 1)) AS mentions
            FROM events WHERE subtype IS NOT NULL GROUP BY subtype ORDER BY events DESC, subtype"""),
        "events per month": store.query(r"""
            SELECT substr(date, 1, 7) AS month, count(*) AS events FROM events
            WHERE regexp_matches(date, '^\d{4}-\d{2}') GROUP BY month ORDER BY month"""),
        "country pairs": store.query("""
            SELECT s AS source, t AS target, count(*) AS events
            FROM (SELECT unnest(source_countries) AS s, target_countries FROM events) x, unnest(x.target_countries) AS u(t)
            GROUP BY s, t ORDER BY events DESC LIMIT 25"""),
    }


def run_sql(path: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """A query on a read-only connection: nothing a user types can change the store."""
    with Store(path, read_only=True) as store:
        return store.query(sql)


# --- output ----------------------------------------------------------------------------------------------


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out=None) -> None:
    """Rows as CSV or JSON lines to ``out`` (default: the current ``sys.stdout``; tables are printed by the CLI)."""
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False) + "\n")


# --- exports ----------------------------------------------------------------------------------------------

EXPORT_FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt")


def export(store: Store, fmt: str, out: Path) -> int:
    """Write every event to ``out`` in ``fmt``; returns the number of records written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    count = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    if fmt in {"csv", "parquet"}:
        option = "(FORMAT csv, HEADER)" if fmt == "csv" else "(FORMAT parquet)"
        store.con.execute(f"COPY (SELECT * FROM events ORDER BY doc_id, event_id) TO '{_sql_path(out)}' {option}")
        return count
    columns, rows = store.query("""
        SELECT e.*, d.url, d.source AS outlet, d.title, d.published
        FROM events e JOIN documents d ON d.id = e.doc_id ORDER BY e.doc_id, e.event_id""")
    actors = _actor_index(store)
    with out.open("w", encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            write_rows(columns, rows, "jsonl", handle)
        elif fmt == "plover":
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                handle.write(json.dumps(plover_record(record, actors), default=str, ensure_ascii=False) + "\n")
        else:
            writer = csv.writer(handle, delimiter="\t")
            writer.writerow(GDELT_COLUMNS)
            for row in rows:
                writer.writerow(gdelt_row(dict(zip(columns, row, strict=True)), actors))
    return count


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _actor_index(store: Store) -> dict[tuple[str, str], dict]:
    columns, rows = store.query("SELECT * FROM actors")
    return {(r[0], r[1]): dict(zip(columns, r, strict=True)) for r in rows}


def _plover_actor(doc_id: str, actor_id: str, actors: dict) -> dict:
    a = actors.get((doc_id, actor_id), {})
    # A store written before actors carried codes has no ``code`` column: derive it as the pipeline does.
    code = a.get("code") or (record_code(a.get("country"), a.get("sector"), a.get("kind")) if a else None)
    return {"raw_text": a.get("name"), "entity_name": a.get("name"), "wikidata_id": a.get("wikidata"),
            "country": a.get("country"), "sector_code": a.get("sector"), "other_sector_codes": "",
            "code": code, "newstrace_id": actor_id}


def plover_record(e: dict, actors: dict) -> dict:
    """A PLOVER / POLECAT-style event record: event type and mode, actor and recipient lists, date,
    location and the source document."""
    return {
        "event_id": f"{e['doc_id']}:{e['event_id']}",
        "event_type": e["type"], "event_mode": e["mode"] or "", "contexts": e["context"] or [],
        "event_date": e["date"], "story_date": str(e["published"]) if e["published"] else None,
        "actor": [_plover_actor(e["doc_id"], a, actors) for a in e["source"] or []],
        "recipient": [_plover_actor(e["doc_id"], a, actors) for a in e["target"] or []],
        "location": {"placename": e["place_name"], "country": e["place_country"], "lat": e["lat"], "lon": e["lon"]},
        "event_subtype": e.get("subtype"), "num_mentions": e.get("n_mentions") or 1,
        "event_text": e["trigger_text"], "status": e["status"], "confidence": e["confidence"],
        "source_id": e["doc_id"], "source_url": e["url"], "source_outlet": e["outlet"],
        "provenance": {"trigger": [e["trigger_start"], e["trigger_end"]], "sentence": [e["sent_start"], e["sent_end"]]},
    }


# The GDELT 2.0 event table columns (codebook order). Those we cannot fill are left blank:
# CAMEO event codes (we code PLOVER; Actor1Code / Actor2Code are our CAMEO-style actor codes), Goldstein scale,
# tone, religion/ethnic codes, FIPS/ADM1 codes and feature ids.
GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code",
    "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName",
    "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
]
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4,
        "COERCE": 4, "ASSAULT": 4}


def gdelt_row(e: dict, actors: dict) -> list:
    """One event as a GDELT 2.0 event-table row; PLOVER type in EventCode, unknown fields blank."""
    day = e["day"]
    first = _plover_actor(e["doc_id"], (e["source"] or [""])[0], actors) if e["source"] else {}
    second = _plover_actor(e["doc_id"], (e["target"] or [""])[0], actors) if e["target"] else {}
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row.update({
        "GLOBALEVENTID": f"{e['doc_id']}:{e['event_id']}",
        "SQLDATE": day.strftime("%Y%m%d") if day else "", "MonthYear": day.strftime("%Y%m") if day else "",
        "Year": day.year if day else "", "Actor1Code": first.get("code") or "", "Actor2Code": second.get("code") or "",
        "Actor1Name": first.get("entity_name") or "",
        "Actor1CountryCode": first.get("country") or "", "Actor1Type1Code": first.get("sector_code") or "",
        "Actor2Name": second.get("entity_name") or "", "Actor2CountryCode": second.get("country") or "",
        "Actor2Type1Code": second.get("sector_code") or "", "IsRootEvent": 1, "EventCode": e["type"],
        "EventRootCode": e["type"], "QuadClass": QUAD.get(e["type"], ""),
        "NumMentions": e.get("n_mentions") or 1, "NumSources": 1, "NumArticles": 1,
        "ActionGeo_FullName": e["place_name"] or "", "ActionGeo_CountryCode": e["place_country"] or "",
        "ActionGeo_Lat": e["lat"] if e["lat"] is not None else "", "ActionGeo_Long": e["lon"] if e["lon"] is not None else "",
        "SOURCEURL": e["url"] or "",
    })
    return [row[c] for c in GDELT_COLUMNS]
