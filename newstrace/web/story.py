"""Stories as the pages show them: one card per article (not per trigger), each report's sentence cut
around its trigger so the template can highlight it, claims with a link to their evidence and
disagreements whose report references ("doc:event (outlet), per X") become links to the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from newstrace.web.data import RequestStore
from newstrace.web.listing import TITLE_SQL, dicts

_REF = re.compile(r"^(?P<doc>[0-9a-f]{6,64}):(?P<event>\S+)(?: \((?P<outlet>[^)]*)\))?(?:, per (?P<claimant>.+))?$")


def documents_info(store: RequestStore, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title (or first line), outlet, URL and date of these documents."""
    rows = dicts(store, f"SELECT d.id, {TITLE_SQL.format(d='d')} AS title, d.source AS outlet, d.url, d.published "
                        "FROM documents d WHERE d.id IN (SELECT unnest(?))", [doc_ids])
    return {r["id"]: r for r in rows}


def sentence_parts(report: dict[str, Any]) -> tuple[str, str, str]:
    """The report's sentence as (before, trigger, after); all of it in ``before`` when offsets are missing."""
    sentence = report.get("sentence") or ""
    start, t0, t1 = report.get("sentence_start"), report.get("trigger_start"), report.get("trigger_end")
    if None in (start, t0, t1) or not 0 <= t0 - start <= t1 - start <= len(sentence):
        return sentence, "", ""
    return sentence[:t0 - start], sentence[t0 - start:t1 - start], sentence[t1 - start:]


def article_cards(story: dict[str, Any], docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The story's reports grouped by article, in the order the articles first appear."""
    cards: dict[str, dict[str, Any]] = {}
    for report in story.get("reports") or []:
        doc = report["document"]
        info = docs.get(doc, {})
        card = cards.setdefault(doc, {"document": doc, "title": info.get("title") or report.get("title") or doc,
                                      "outlet": report.get("outlet") or info.get("outlet"), "url": info.get("url"),
                                      "published": info.get("published"), "reports": []})
        before, trigger, after = sentence_parts(report)
        card["reports"].append({**report, "before": before, "highlight": trigger, "after": after})
    for card in cards.values():
        card["statuses"] = sorted({r["status"] for r in card["reports"]})
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
        seen.setdefault((ref["text"], ref.get("outlet"), ref.get("claimant")), ref)
    return list(seen.values())


def story_view(store: RequestStore, story: dict[str, Any]) -> dict[str, Any]:
    """A story dict (``data.story``) with its article cards, counts, linked claims and disagreements."""
    doc_ids = sorted({r["document"] for r in story.get("reports") or []})
    docs = documents_info(store, doc_ids)
    cards = article_cards(story, docs)
    claims = [{**c, "title": docs.get(c["document"], {}).get("title") or c["document"],
               "outlet": docs.get(c["document"], {}).get("outlet"),
               "href": (f"/ui/articles/{c['document']}#span-{c['evidence_start']}-{c['evidence_end']}"
                        if c.get("evidence_start") is not None else f"/ui/articles/{c['document']}#{c['event']}")}
              for c in story.get("responsibility") or []]
    disagreements = [{**d, "values": [{"value": v["value"], "refs": per_article(reference(r, docs) for r in v.get("reports", []))}
                                      for v in d.get("values") or []]}
                     for d in story.get("disagreements") or []]
    return {**story, "cards": cards, "counts": counts(cards), "claims": claims, "disagreement_views": disagreements}
