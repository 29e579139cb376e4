"""Story records: what the reports of one real-world event say, side by side, and where they disagree.

A story is written from its reports (the event records ``link`` grouped): canonical type and mode,
actors, date range and best date, place, counts of articles and outlets, casualty figures per report
with the conservative aggregate (the lowest figure reported, as ACLED's coders do), who claims, who is
blamed and by whom, who denies, and the disagreements between reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.events.vocabulary import VAGUE_COUNTS
from newstrace.model import Claim, Disagreement, DisagreementValue, Report, Story
from newstrace.store import Store
from newstrace.times.words import NUMBER_WORDS

PLACE_APART_KM = 50.0
# Words before a head count: "at least 12 people", "more than a dozen civilians".
COUNT_QUALIFIERS = ("at least ", "more than ", "about ", "some ", "nearly ", "over ", "up to ", "around ")
DENYING = {"alleged", "denied", "negated"}
AFFIRMING = {"asserted", "reported"}

_REPORT_SQL = """
SELECT r.story_id, e.doc_id, e.event_id, e.type, e.mode, e.trigger_text, e.source, e.target, e.source_names,
    e.target_names, e.source_countries, e.target_countries,
    e.date, e.day, e.time_id, e.place_name, e.place_country, e.lat, e.lon, e.status, e.killed, e.injured,
    coalesce(d.source, nullif(regexp_extract(d.url, '^[a-z]+://([^/]+)', 1), '')) AS outlet, d.title,
    substr(d.text, e.sent_start + 1, e.sent_end - e.sent_start) AS sentence, e.sent_start, e.sent_end,
    e.trigger_start, e.trigger_end, d.published
FROM story_reports r JOIN events e ON e.doc_id = r.doc_id AND e.event_id = r.event_id
JOIN documents d ON d.id = e.doc_id
WHERE r.story_id IN (SELECT unnest(?))
ORDER BY r.story_id, e.doc_id, e.event_id
"""

_RESPONSIBILITY_SQL = """
SELECT r.story_id, x.doc_id, x.event_id, x.kind, x.responsible, x.responsible_names, x.claimant, x.claimant_name,
    x.alleged, x.evidence_text, x.evidence_start, x.evidence_end
FROM story_reports r JOIN responsibility x ON x.doc_id = r.doc_id AND x.event_id = r.event_id
WHERE r.story_id IN (SELECT unnest(?))
ORDER BY x.doc_id, x.resp_id
"""


@dataclass
class _Row:
    values: dict[str, Any]
    claims: list[dict[str, Any]] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def refresh_stories(store: Store, story_ids: Iterable[str], progress: Callable[[str, int, int], None] | None = None,
                    chunk: int = 5000) -> int:
    """Rewrite the ``stories`` rows (and report status/outlet) of these stories from their reports."""
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        stories = build_stories(store, part)
        _write(store, stories)
        if progress:
            progress("stories", min(start + chunk, len(ids)), len(ids))
    return len(ids)


def build_stories(store: Store, story_ids: Sequence[str]) -> list[Story]:
    """Story records for these ids, read from the store."""
    cursor = store.con.execute(_REPORT_SQL, [list(story_ids)])
    columns = [d[0] for d in cursor.description]
    grouped: dict[str, list[_Row]] = defaultdict(list)
    by_ref: dict[tuple[str, str], _Row] = {}
    for values in cursor.fetchall():
        row = _Row(dict(zip(columns, values, strict=True)))
        grouped[row["story_id"]].append(row)
        by_ref[(row["doc_id"], row["event_id"])] = row
    cursor = store.con.execute(_RESPONSIBILITY_SQL, [list(story_ids)])
    columns = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        claim = dict(zip(columns, values, strict=True))
        by_ref[(claim["doc_id"], claim["event_id"])].claims.append(claim)
    doc_ids = sorted({doc for doc, _ in by_ref})
    keys, countries = _actor_keys(store, doc_ids), _actor_countries(store, doc_ids)
    return [story_from_reports(sid, rows, keys, countries) for sid, rows in grouped.items()]


def _actor_keys(store: Store, doc_ids: Sequence[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(document, actor id) → (cross-document key, display name)."""
    rows = store.con.execute(
        "SELECT doc_id, actor_id, name, country, sector, wikidata FROM actors WHERE doc_id IN (SELECT unnest(?))",
        [list(doc_ids)]).fetchall()
    return {(doc, actor): (wikidata or _name_key(name or actor), name or actor)
            for doc, actor, name, _country, _sector, wikidata in rows}


def _actor_countries(store: Store, doc_ids: Sequence[str]) -> dict[tuple[str, str], str]:
    """(document, actor id) → the actor's country code, where it has one."""
    rows = store.con.execute("SELECT doc_id, actor_id, country FROM actors WHERE doc_id IN (SELECT unnest(?)) "
                             "AND country IS NOT NULL", [list(doc_ids)]).fetchall()
    return {(doc, actor): country for doc, actor, country in rows}


def _name_key(name: str) -> str:
    """A name compared across documents: lower case, without a leading article."""
    key = " ".join(name.lower().split())
    return key[4:] if key.startswith("the ") else key


def _counted_people(name: str) -> bool:
    """Whether an actor's name is a head count ("12 people", "dozens of civilians", "three soldiers"): a
    count of victims is a casualty figure of the story (killed / injured), not one of its actors."""
    words = name.lower()
    qualifier = next((q for q in COUNT_QUALIFIERS if words.startswith(q)), "")
    words = words[len(qualifier):]
    first, _, rest = words.partition(" ")
    if not rest:
        return False
    first = first.split("-")[0]  # "12-year-old"
    if first.replace(",", "").replace(".", "").isdigit() or words.startswith(("a few ", "a dozen ", "a hundred ")):
        return True
    return (first in NUMBER_WORDS and first not in {"a", "an"}) or first in VAGUE_COUNTS


def story_from_reports(sid: str, rows: list[_Row], keys: dict[tuple[str, str], tuple[str, str]],
                       countries: dict[tuple[str, str], str] | None = None) -> Story:
    """One story from its report rows (with their responsibility claims attached). Its actor keys cover
    the events' sources and targets and whoever claims, is blamed for or denies it."""
    reports = [_report(row) for row in rows]
    etype = _most_common(r["type"] for r in rows)
    actor_counts: Counter[str] = Counter()
    actor_keys: Counter[str] = Counter()
    for row in rows:
        for name in [*(row["source_names"] or []), *(row["target_names"] or [])]:
            if not _counted_people(name):
                actor_counts[name] += 1
        for code in [*(row["source_countries"] or []), *(row["target_countries"] or [])]:
            actor_keys[code] += 1
        held = [a for claim in row.claims for a in claim["responsible"] or []]
        for actor in [*(row["source"] or []), *(row["target"] or []), *held]:
            actor_keys[keys.get((row["doc_id"], actor), (actor, actor))[0]] += 1
        for actor in held:
            if (countries or {}).get((row["doc_id"], actor)):
                actor_keys[countries[(row["doc_id"], actor)]] += 1  # type: ignore[index]
    days = [r["day"] for r in rows if r["day"] is not None]
    placed = [r for r in rows if r["place_name"]]
    place_row = None
    if placed:
        name = _most_common(r["place_name"] for r in placed)
        place_row = next(r for r in placed if r["place_name"] == name)
    claims = [_claim(c, keys) for row in rows for c in row.claims]
    killed = [r["killed"] for r in rows if r["killed"] is not None]
    injured = [r["injured"] for r in rows if r["injured"] is not None]
    story = Story(
        id=sid, type=etype, mode=_most_common(r["mode"] for r in rows if r["mode"]),
        summary=_summary(rows), actors=[name for name, _ in actor_counts.most_common(8)],
        actor_keys=[key for key, _ in actor_keys.most_common()],
        date_from=min(days).isoformat() if days else None, date_to=max(days).isoformat() if days else None,
        best_date=_best_date(days), place=place_row["place_name"] if place_row else None,
        place_country=place_row["place_country"] if place_row else None,
        lat=place_row["lat"] if place_row else None, lon=place_row["lon"] if place_row else None,
        reports=reports, n_reports=len(rows), n_articles=len({r["doc_id"] for r in rows}),
        n_outlets=len({r["outlet"] for r in rows if r["outlet"]}),
        killed=min(killed) if killed else None, killed_max=max(killed) if killed else None,
        injured=min(injured) if injured else None, injured_max=max(injured) if injured else None,
        responsibility=claims,
    )
    story.disagreements = disagreements(rows, claims, keys)
    story.disputed = bool(story.disagreements)
    return story


def _report(row: _Row) -> Report:
    return Report(document=row["doc_id"], event=row["event_id"], status=row["status"], outlet=row["outlet"],
                  title=row["title"], trigger=row["trigger_text"], date=row["date"], place=row["place_name"],
                  killed=row["killed"], injured=row["injured"], sentence=row["sentence"],
                  sentence_start=row["sent_start"], sentence_end=row["sent_end"],
                  trigger_start=row["trigger_start"], trigger_end=row["trigger_end"])


def _claim(claim: dict[str, Any], keys: dict[tuple[str, str], tuple[str, str]]) -> Claim:
    doc = claim["doc_id"]
    responsible = [keys.get((doc, a), (a, a)) for a in claim["responsible"] or []]
    claimant = keys.get((doc, claim["claimant"])) if claim["claimant"] else None
    return Claim(document=doc, event=claim["event_id"], kind=claim["kind"],
                 responsible=[name for _, name in responsible] or list(claim["responsible_names"] or []),
                 responsible_keys=[key for key, _ in responsible],
                 claimant=claimant[1] if claimant else claim["claimant_name"],
                 alleged=bool(claim["alleged"]), evidence=claim["evidence_text"],
                 evidence_start=claim["evidence_start"], evidence_end=claim["evidence_end"])


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None


def _best_date(days: list[dt.date]) -> str | None:
    """The date most reports give; ties go to the earliest."""
    if not days:
        return None
    counts = Counter(days)
    top = max(counts.values())
    return min(d for d, n in counts.items() if n == top).isoformat()


def _summary(rows: list[_Row]) -> str:
    """The sentence of the first report, as a caption (stories are listed by it)."""
    sentence = " ".join((rows[0]["sentence"] or rows[0]["trigger_text"] or "").split())
    return sentence if len(sentence) <= 240 else sentence[:237] + "..."


# --------------------------------------------------------------------------- disagreements


def _ref(row: _Row, claimant: str | None = None) -> str:
    outlet = f" ({row['outlet']})" if row["outlet"] else ""
    by = f", per {claimant}" if claimant else ""
    return f"{row['doc_id']}:{row['event_id']}{outlet}{by}"


def _across_documents(groups: dict[str, list[str]]) -> bool:
    """Whether the values come from more than one document (one article revising itself is not a dispute)."""
    docs = {ref.split(":", 1)[0] for refs in groups.values() for ref in refs}
    return len(groups) >= 2 and len(docs) >= 2


def _values(groups: dict[str, list[str]]) -> list[DisagreementValue]:
    return [DisagreementValue(value=value, reports=refs) for value, refs in sorted(groups.items())]


def disagreements(rows: list[_Row], claims: list[Claim], keys: dict[tuple[str, str], tuple[str, str]]) -> list[Disagreement]:
    """Where the reports of one story contradict each other."""
    found = [d for d in (_perpetrators(rows, claims, keys), _denials(rows, claims), _casualties(rows, "killed"),
                         _casualties(rows, "injured"), _dates(rows), _places(rows), _statuses(rows)) if d]
    return found


def _perpetrators(rows: list[_Row], claims: list[Claim], keys: dict[tuple[str, str], tuple[str, str]]) -> Disagreement | None:
    """Reports (or claimants within them) that name different, non-overlapping perpetrators."""
    named: list[tuple[frozenset[str], str, str]] = []  # (keys, names, where)
    by_ref = {(r["doc_id"], r["event_id"]): r for r in rows}
    for claim in claims:
        if claim.kind in ("blamed", "claimed") and claim.responsible_keys:
            row = by_ref[(claim.document, claim.event)]
            named.append((frozenset(claim.responsible_keys), ", ".join(claim.responsible), _ref(row, claim.claimant)))
    for row in rows:
        if row["type"] == "ASSAULT" and row["source"] and row["status"] in AFFIRMING:
            found = [keys.get((row["doc_id"], a), (a, a)) for a in row["source"]]
            named.append((frozenset(k for k, _ in found), ", ".join(n for _, n in found), _ref(row)))
    if len(named) < 2:
        return None
    disjoint = any(not (a[0] & b[0]) for i, a in enumerate(named) for b in named[i + 1:])
    if not disjoint:
        return None
    groups: dict[str, list[str]] = defaultdict(list)
    for _, names, where in named:
        groups[names].append(where)
    if len(groups) < 2:
        return None
    return Disagreement(kind="perpetrator", summary="blamed on different actors: " + "; ".join(sorted(groups)),
                        values=_values(groups))


def _denials(rows: list[_Row], claims: list[Claim]) -> Disagreement | None:
    """Someone denies what another report blames or claims on them."""
    denied = [c for c in claims if c.kind == "denied"]
    accused = {k for c in claims if c.kind in ("blamed", "claimed") for k in c.responsible_keys}
    if not denied or not accused:
        return None
    contested = [c for c in denied if set(c.responsible_keys) & accused or not c.responsible_keys]
    if not contested:
        return None
    by_ref = {(r["doc_id"], r["event_id"]): r for r in rows}
    groups: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        if c.kind in ("blamed", "claimed", "denied") and (c.kind != "denied" or c in contested):
            groups[f"{c.kind}: {', '.join(c.responsible) or '?'}"].append(_ref(by_ref[(c.document, c.event)], c.claimant))
    names = ", ".join(sorted({n for c in contested for n in c.responsible} or {"?"}))
    return Disagreement(kind="denial", summary=f"responsibility denied: {names}", values=_values(groups))


def _casualties(rows: list[_Row], field_name: str) -> Disagreement | None:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row[field_name] is not None:
            groups[str(row[field_name])].append(_ref(row))
    if not _across_documents(groups):
        return None
    figures = sorted(int(v) for v in groups)
    return Disagreement(kind="casualties", field=field_name,
                        summary=f"{field_name}: reports give {', '.join(map(str, figures))}; conservative figure {figures[0]}",
                        values=_values(groups))


def _dates(rows: list[_Row]) -> Disagreement | None:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        # only dates read from a time expression: an undated report falls back on its publication day
        if row["day"] is not None and row["time_id"] and row["date"] and len(row["date"]) >= 10:
            groups[row["day"].isoformat()].append(_ref(row))
    if not _across_documents(groups):
        return None
    return Disagreement(kind="date", summary=f"dates differ: {', '.join(sorted(groups))}", values=_values(groups))


def _places(rows: list[_Row]) -> Disagreement | None:
    from newstrace.link import haversine_km

    located = [r for r in rows if r["lat"] is not None and r["lon"] is not None and r["place_name"]]
    apart = any(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) > PLACE_APART_KM
                for i, a in enumerate(located) for b in located[i + 1:])
    if not apart:
        return None
    groups: dict[str, list[str]] = defaultdict(list)
    for row in located:
        groups[row["place_name"]].append(_ref(row))
    if not _across_documents(groups):
        return None
    return Disagreement(kind="place", summary=f"places differ: {', '.join(sorted(groups))}", values=_values(groups))


def _statuses(rows: list[_Row]) -> Disagreement | None:
    statuses = {r["status"] for r in rows}
    if not (statuses & AFFIRMING and statuses & DENYING):
        return None
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        groups[row["status"]].append(_ref(row))
    affirming = {ref.split(":", 1)[0] for s in statuses & AFFIRMING for ref in groups[s]}
    denying = {ref.split(":", 1)[0] for s in statuses & DENYING for ref in groups[s]}
    if not (affirming - denying or denying - affirming) or len(affirming | denying) < 2:
        return None
    return Disagreement(kind="status", summary="asserted by some reports, " + "/".join(sorted(statuses & DENYING))
                        + " by others", values=_values(groups))


# --------------------------------------------------------------------------- writing


def _write(store: Store, stories: list[Story]) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [(s.id, s.type, s.mode, s.summary, s.actors, s.actor_keys, s.date_from, s.date_to, s.best_date, s.place,
             s.place_country, s.lat, s.lon, s.n_reports, s.n_articles, s.n_outlets, s.killed, s.killed_max, s.injured,
             s.injured_max, s.disputed, json.dumps([d.model_dump(exclude_none=True) for d in s.disagreements]),
             json.dumps([c.model_dump(exclude_none=True) for c in s.responsibility]), now) for s in stories]
    reports = [(s.id, r.document, r.event, r.status, r.outlet) for s in stories for r in s.reports]
    store.con.execute("BEGIN")
    try:
        ids = [s.id for s in stories]
        store.con.execute("DELETE FROM stories WHERE id IN (SELECT unnest(?))", [ids])
        if rows:
            columns = list(zip(*rows, strict=True))
            marks = ", ".join("unnest(?)" for _ in columns)
            store.con.execute(f"INSERT INTO stories SELECT {marks}", [list(c) for c in columns])
        if reports:
            store.con.execute(
                "UPDATE story_reports SET status = q.status, outlet = q.outlet FROM (SELECT unnest(?) AS story_id, "
                "unnest(?) AS doc_id, unnest(?) AS event_id, unnest(?) AS status, unnest(?) AS outlet) q "
                "WHERE story_reports.story_id = q.story_id AND story_reports.doc_id = q.doc_id "
                "AND story_reports.event_id = q.event_id", [list(c) for c in zip(*reports, strict=True)])
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise


# --------------------------------------------------------------------------- reading


def has_stories(store: Store) -> bool:
    """Whether the store has a stories table (store version 2 or later)."""
    row = store.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'stories'").fetchone()
    return bool(row and row[0])


STORY_LIST_COLUMNS = ("id", "type", "mode", "best_date", "date_from", "date_to", "place", "n_articles", "n_outlets",
                      "killed", "killed_max", "disputed", "actors", "summary", "disagreements")


def story_filter(actor: str | None = None, since: str | None = None, until: str | None = None,
                 event_type: str | None = None, disputed: bool = False) -> tuple[str, list]:
    """A ``WHERE`` clause (or "") over ``stories`` and its parameters; shared by the CLI and the API.

    ``actor`` matches a country code or cross-document key exactly, or part of an actor name."""
    where, params = [], []
    if actor:
        where.append("(list_contains(actor_keys, ?) OR list_contains(actor_keys, lower(?)) "
                     "OR len(list_filter(actors, lambda a: contains(lower(a), lower(?)))) > 0)")
        params += [actor.upper(), actor, actor]
    if since:
        where.append("coalesce(date_to, best_date) >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append("coalesce(date_from, best_date) <= CAST(? AS DATE)")
        params.append(until)
    if event_type:
        where.append("type = ?")
        params.append(event_type.upper())
    if disputed:
        where.append("disputed")
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


STORY_ORDER = "ORDER BY disputed DESC, n_articles DESC, best_date DESC NULLS LAST, id"


def story_rows(store: Store, actor: str | None = None, since: str | None = None, until: str | None = None,
               event_type: str | None = None, disputed: bool = False, limit: int = 100) -> tuple[list[str], list[tuple]]:
    """Stories matching the filters (see ``story_filter``), disputed and most-reported first."""
    clause, params = story_filter(actor, since, until, event_type, disputed)
    columns = ", ".join(STORY_LIST_COLUMNS)
    cursor = store.con.execute(f"SELECT {columns} FROM stories {clause} {STORY_ORDER} LIMIT ?", [*params, limit])
    return [d[0] for d in cursor.description], cursor.fetchall()


def load_story(store: Store, sid: str) -> Story | None:
    """One story with every report and claim, read fresh from the store; None if there is no such story."""
    stories = build_stories(store, [sid])
    return stories[0] if stories else None
