"""The actor page: one actor across documents (its Wikidata id, else its lower-case name, as stories
match actors), with its codes, its mentions per article, the events it acts in as source and as target
(listed and counted per month), and the statements it made and that were made about it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newstrace.web.data import RequestStore
from newstrace.web.listing import ACTOR_KEY_SQL, TITLE_SQL, actor_code_sql, dicts, has_column

MAX_ROWS = 200  # per section; an actor named in thousands of articles gets its first 200 and a note


def _instances_sql(store: RequestStore) -> str:
    # By key, or by lower-case name: pages that know only a name (a story's actors) link by it.
    return (f"SELECT a.*, {actor_code_sql(store)} AS code_ FROM actors a "
            f"WHERE {ACTOR_KEY_SQL} = ? OR lower(a.name) = ?")


def _subtype(store: RequestStore) -> str:
    """The events' ACLED sub-event type, where the store keeps one (version 3 on)."""
    return "e.subtype" if has_column(store, "events", "subtype") else "NULL"


def actor_profile(store: RequestStore, key: str) -> dict[str, Any] | None:
    """Everything the actor page shows, or None when no actor has this key."""
    instances = dicts(store, _instances_sql(store), [key, key])
    if not instances:
        return None
    inst = f"({_instances_sql(store)})"

    def common(name: str) -> Any:
        counted = Counter(i[name] for i in instances if i[name])
        return counted.most_common(1)[0][0] if counted else None

    names = Counter(i["name"] for i in instances)
    mentions = dicts(store, f"""
        SELECT i.doc_id, i.actor_id, i.n_mentions, {TITLE_SQL.format(d='d')} AS title, d.source AS outlet, d.published,
               (SELECT substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start) FROM mentions m
                WHERE m.doc_id = i.doc_id AND m.actor_id = i.actor_id ORDER BY m."start" LIMIT 1) AS sentence
        FROM {inst} i JOIN documents d ON d.id = i.doc_id
        ORDER BY d.published DESC NULLS LAST, i.doc_id LIMIT {MAX_ROWS}""", [key, key])
    events = dicts(store, f"""
        SELECT e.date, e.type, {_subtype(store)} AS subtype, e.status,
               CASE WHEN list_contains(e.source, i.actor_id) THEN 'source' ELSE 'target' END AS role,
               array_to_string(e.source_names, '; ') AS source, array_to_string(e.target_names, '; ') AS target,
               e.trigger_text AS trigger, e.place_name AS place, e.doc_id, e.event_id, {TITLE_SQL.format(d='d')} AS title,
               substr(CAST(coalesce(e.day, d.published) AS VARCHAR), 1, 7) AS month
        FROM {inst} i JOIN events e ON e.doc_id = i.doc_id
             AND (list_contains(e.source, i.actor_id) OR list_contains(e.target, i.actor_id))
        JOIN documents d ON d.id = e.doc_id
        ORDER BY e.date DESC NULLS LAST, e.doc_id, e.event_id LIMIT {MAX_ROWS}""", [key, key])
    said = dicts(store, f"""
        SELECT s.date, s.cue_text AS cue, s.content_text AS content, s.channel, s.certainty, s.doc_id, s.statement_id,
               {TITLE_SQL.format(d='d')} AS title
        FROM {inst} i JOIN statements s ON s.doc_id = i.doc_id AND s.speaker = i.actor_id
        JOIN documents d ON d.id = s.doc_id ORDER BY d.published DESC NULLS LAST, s.doc_id, s.content_start
        LIMIT {MAX_ROWS}""", [key, key])
    # About it: addressed to it, or naming it inside what was said (a mention within the content span).
    about = dicts(store, f"""
        SELECT DISTINCT s.date, coalesce(s.speaker_name, s.speaker_text) AS speaker, s.cue_text AS cue,
               s.content_text AS content, s.doc_id, s.statement_id, {TITLE_SQL.format(d='d')} AS title,
               d.published, s.content_start
        FROM {inst} i JOIN statements s ON s.doc_id = i.doc_id AND s.speaker IS DISTINCT FROM i.actor_id
        JOIN documents d ON d.id = s.doc_id
        WHERE s.addressee = i.actor_id OR EXISTS (
            SELECT 1 FROM mentions m WHERE m.doc_id = i.doc_id AND m.actor_id = i.actor_id
            AND m."start" >= s.content_start AND m."end" <= s.content_end)
        ORDER BY d.published DESC NULLS LAST, s.doc_id, s.content_start LIMIT {MAX_ROWS}""", [key, key])
    return {
        "key": key, "name": names.most_common(1)[0][0], "other_names": sorted(n for n in names if n != common("name")),
        "code": common("code_"), "country": common("country"), "sector": common("sector"), "kind": common("kind"),
        "wikidata": common("wikidata"), "offices": sorted({i["office"] for i in instances if i["office"]}),
        "documents": len({i["doc_id"] for i in instances}), "mentions": sum(i["n_mentions"] or 0 for i in instances),
        "articles": mentions, "events": events, "said": said, "about": about, "per_month": per_month(events),
        "max_rows": MAX_ROWS,
    }


def per_month(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events per month as source and as target, oldest first, with bar widths in percent of the busiest month."""
    counts: dict[str, Counter[str]] = {}
    for e in events:
        counts.setdefault(e["month"] or "undated", Counter())[e["role"]] += 1
    peak = max((max(c.values()) for c in counts.values()), default=1)
    return [{"month": month, "source": c["source"], "target": c["target"],
             "source_pct": round(100 * c["source"] / peak), "target_pct": round(100 * c["target"] / peak)}
            for month, c in sorted(counts.items())]
