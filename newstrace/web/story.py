"""Stories as the pages show them: one card per article (not per trigger), each report's sentence cut
around its trigger so the template can highlight it, claims with a link to their evidence and
disagreements whose report references ("doc:event (outlet), per X") become links to the sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newstrace.web.data import RequestStore, has_table
from newstrace.web.listing import TITLE_SQL, dicts, has_column

_REF = re.compile(r"^(?P<doc>[0-9a-f]{6,64}):(?P<event>\S+)(?: \((?P<outlet>[^)]*)\))?(?:, per (?P<claimant>.+))?$")


def documents_info(store: RequestStore, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title (or first line), outlet, URL and date of these documents."""
    rows = dicts(store, f"SELECT d.id, {TITLE_SQL.format(d='d')} AS title, d.source AS outlet, d.url, d.published "
                        "FROM documents d WHERE d.id IN (SELECT unnest(?))", [doc_ids])
    return {r["id"]: r for r in rows}


def incidents(store: RequestStore, refs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(document, event) → the incident's ACLED sub-event type and its mentions in text order (words, offsets,
    how each joined it). A store older than version 3 has neither: each event is then its trigger alone."""
    if not refs or not has_table(store, "event_mentions") or not has_column(store, "events", "subtype"):
        return {}
    rows = dicts(store, """
        SELECT e.doc_id, e.event_id, e.subtype, m.text, m."start", m."end", m.how
        FROM events e LEFT JOIN event_mentions m ON m.doc_id = e.doc_id AND m.event_id = e.event_id
        WHERE list_contains(?, e.doc_id || ':' || e.event_id) ORDER BY e.doc_id, e.event_id, m."start", m."end" """,
                 [[f"{doc}:{event}" for doc, event in refs]])
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        incident = out.setdefault((r["doc_id"], r["event_id"]), {"subtype": r["subtype"], "mentions": []})
        if r["start"] is not None:
            incident["mentions"].append({"text": r["text"], "start": r["start"], "end": r["end"], "how": r["how"]})
    return out


def sentence_parts(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One sentence cut around the triggers of the reports read from it: pieces of text, each with the report
    whose trigger it is (None for plain text). Without usable offsets the sentence is one plain piece."""
    sentence = reports[0].get("sentence") or ""
    start = reports[0].get("sentence_start")
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for r in sorted(reports, key=lambda r: r.get("trigger_start") or 0):
        t0, t1 = r.get("trigger_start"), r.get("trigger_end")
        if start is None or t0 is None or t1 is None or not 0 <= t0 - start <= t1 - start <= len(sentence):
            continue
        if spans and t0 - start < spans[-1][1]:
            continue  # overlapping triggers: the first one is marked
        spans.append((t0 - start, t1 - start, r))
    parts: list[dict[str, Any]] = []
    at = 0
    for a, b, report in spans:
        parts += [{"text": sentence[at:a], "report": None}, {"text": sentence[a:b], "report": report}]
        at = b
    parts.append({"text": sentence[at:], "report": None})
    return [p for p in parts if p["text"]]


def article_cards(story: dict[str, Any], docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The story's reports grouped by article (in the order the articles first appear), and within an article
    by sentence, so a sentence with two triggers of the event shows once with both marked."""
    cards: dict[str, dict[str, Any]] = {}
    for report in story.get("reports") or []:
        doc = report["document"]
        info = docs.get(doc, {})
        card = cards.setdefault(doc, {"document": doc, "title": info.get("title") or report.get("title") or doc,
                                      "outlet": report.get("outlet") or info.get("outlet"), "url": info.get("url"),
                                      "published": info.get("published"), "reports": []})
        card["reports"].append(report)
    for card in cards.values():
        card["statuses"] = sorted({r["status"] for r in card["reports"]})
        by_sentence: dict[Any, list[dict[str, Any]]] = {}
        for r in card["reports"]:
            by_sentence.setdefault((r.get("sentence_start"), r.get("sentence")), []).append(r)
        card["sentences"] = [{"parts": sentence_parts(group), "reports": group} for group in by_sentence.values()]
    return list(cards.values())


def counts(cards: list[dict[str, Any]]) -> dict[str, int]:
    """Articles, named outlets, and articles whose outlet is unknown."""
    outlets = {c["outlet"] for c in cards if c["outlet"]}
    return {"articles": len(cards), "outlets": len(outlets), "unknown_outlets": sum(1 for c in cards if not c["outlet"])}


def reference(ref: str, docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A disagreement's report reference as a link: article title, outlet, claimant and the URL of the sentence."""
    match = _REF.match(ref)
    if not match:
        return {"text": ref, "href": None}
    doc, event = match["doc"], match["event"]
    info = docs.get(doc, {})
    return {"text": info.get("title") or doc, "outlet": match["outlet"] or info.get("outlet"),
            "claimant": match["claimant"], "href": f"/ui/articles/{doc}#{event}"}


def per_article(refs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One link per article and claimant (an article's several triggers for one event say the same thing)."""
    seen: dict[tuple, dict[str, Any]] = {}
    for ref in refs:
        seen.setdefault(((ref["href"] or ref["text"]).split("#")[0], ref.get("claimant")), ref)
    return list(seen.values())


def story_view(store: RequestStore, story: dict[str, Any]) -> dict[str, Any]:
    """A story dict (``data.story``) with its article cards, counts, linked claims and disagreements."""
    doc_ids = sorted({r["document"] for r in story.get("reports") or []})
    docs = documents_info(store, doc_ids)
    found = incidents(store, [(r["document"], r["event"]) for r in story.get("reports") or []])
    reports = [{**r, **found.get((r["document"], r["event"]), {})} for r in story.get("reports") or []]
    cards = article_cards({**story, "reports": reports}, docs)
    subtypes = Counter(r["subtype"] for r in reports if r.get("subtype"))
    claims = [{**c, "title": docs.get(c["document"], {}).get("title") or c["document"],
               "outlet": docs.get(c["document"], {}).get("outlet"),
               "href": (f"/ui/articles/{c['document']}#span-{c['evidence_start']}-{c['evidence_end']}"
                        if c.get("evidence_start") is not None else f"/ui/articles/{c['document']}#{c['event']}")}
              for c in story.get("responsibility") or []]
    disagreements = [{**d, "values": [{"value": v["value"], "refs": per_article(reference(r, docs) for r in v.get("reports", []))}
                                      for v in d.get("values") or []]}
                     for d in story.get("disagreements") or []]
    return {**story, "subtype": subtypes.most_common(1)[0][0] if subtypes else None, "cards": cards,
            "counts": counts(cards), "claims": claims, "disagreement_views": disagreements}
