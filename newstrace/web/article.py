"""The article view: the text cut into segments, each carrying the items (actor, time, place, statement
speaker/cue/content, event trigger) whose spans cover it, and one display record per item with its links.

Spans overlap (a speaker inside a sentence that is also a statement's content, an actor inside a
trigger's sentence), so the text is split at every span boundary and each piece lists all the items
covering it, innermost first. The template renders segments with autoescaping; records travel to the
page's JavaScript as a JSON data block whose ``<``, ``>`` and ``&`` are escaped (``json_for_html``).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from newstrace.model import Analysis, Event, Span

ROLES = ("actor", "time", "place", "speaker", "cue", "content", "trigger")
# Which item a click on a stretch shows first when two spans are equally short (a speaker is also an
# actor mention): the more specific record.
ROLE_PRIORITY = {role: i for i, role in enumerate(("trigger", "speaker", "cue", "time", "place", "actor", "content"))}


@dataclass
class Mark:
    """One highlighted span: which item, in which role."""

    start: int
    end: int
    item: str
    role: str
    label: str
    event_type: str | None = None


@dataclass
class Segment:
    """A stretch of text and the marks covering it (innermost first); no marks for plain text."""

    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def classes(self) -> str:
        """CSS classes: ``hl`` and one ``hl-ROLE`` per role present."""
        roles = [r for r in ROLES if any(m.role == r for m in self.marks)]
        return " ".join(["hl", *(f"hl-{r}" for r in roles)])

    @property
    def items(self) -> str:
        """Item ids, innermost first, space-separated (for ``data-items``)."""
        return " ".join(dict.fromkeys(m.item for m in self.marks))

    @property
    def title(self) -> str:
        """A tooltip naming what the segment is part of."""
        return "; ".join(dict.fromkeys(m.label for m in self.marks))

    @property
    def event_types(self) -> str:
        """PLOVER types of the events triggered here, space-separated."""
        return " ".join(dict.fromkeys(m.event_type for m in self.marks if m.event_type))


def marks(analysis: Analysis) -> list[Mark]:
    """Every highlighted span of an analysis."""
    out: list[Mark] = []
    for actor in analysis.actors:
        out += [Mark(m.start, m.end, actor.id, "actor", f"actor {actor.name}") for m in actor.mentions]
    out += [Mark(t.span.start, t.span.end, t.id, "time", f"time {t.value}") for t in analysis.times]
    out += [Mark(p.span.start, p.span.end, p.id, "place", f"place {p.name}") for p in analysis.places]
    for s in analysis.statements:
        for role, span in (("speaker", s.speaker_span), ("cue", s.cue), ("content", s.content)):
            if span is not None:
                out.append(Mark(span.start, span.end, s.id, role, f"{role} of statement {s.id}"))
    for e in analysis.events:  # every mention of an incident, each a mark of the same event record
        spans = event_spans(e)
        out += [Mark(span.start, span.end, e.id, "trigger", _mention_label(e, number, len(spans)), e.type)
                for number, span in enumerate(spans, start=1)]
    return [m for m in out if m.end > m.start]


def event_spans(event: Event) -> list[Span]:
    """Every mention of an incident in the text, in text order; an event without mention records (made before
    incidents) is mentioned once, by its trigger."""
    return sorted(event.mentions, key=lambda m: (m.start, m.end)) if event.mentions else [event.trigger]


def _mention_label(event: Event, number: int, total: int) -> str:
    label = f"{event.type} event {event.id} ({event.status})"
    return f"{label}, mention {number} of {total}" if total > 1 else label


def segments(text: str, all_marks: list[Mark]) -> list[Segment]:
    """The text split at every mark boundary, each piece with the marks covering it."""
    cuts = sorted({0, len(text), *(m.start for m in all_marks), *(m.end for m in all_marks)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    by_start = sorted(all_marks, key=lambda m: m.start)
    active: list[Mark] = []
    out: list[Segment] = []
    i = 0
    for a, b in itertools.pairwise(cuts):
        while i < len(by_start) and by_start[i].start <= a:
            active.append(by_start[i])
            i += 1
        active = [m for m in active if m.end > a]
        covering = sorted((m for m in active if m.start <= a and m.end >= b),
                          key=lambda m: (m.end - m.start, ROLE_PRIORITY[m.role]))
        out.append(Segment(text[a:b], covering))
    return out


def _span(span: Span | None) -> str | None:
    return None if span is None else f"{span.text} [{span.start}:{span.end}]"


def records(analysis: Analysis) -> dict[str, dict[str, Any]]:
    """One display record per item id: kind, label, fields (name, value pairs) and links to other items."""
    actors = {a.id: a for a in analysis.actors}
    places = {p.id: p for p in analysis.places}

    def name(actor_id: str | None) -> str | None:
        return actors[actor_id].name if actor_id in actors else actor_id

    def names(ids: list[str]) -> str:
        return ", ".join(name(i) or "" for i in ids)

    def link(rel: str, item: str | None) -> dict[str, str] | None:
        return {"rel": rel, "id": item} if item else None

    out: dict[str, dict[str, Any]] = {}
    for a in analysis.actors:
        said = [s.id for s in analysis.statements if s.speaker == a.id]
        acts = [e.id for e in analysis.events if a.id in e.source]
        targeted = [e.id for e in analysis.events if a.id in e.target]
        out[a.id] = {"kind": "actor", "label": f"{a.id} · {a.name}", "fields": [
            ["name", a.name], ["country", a.country], ["sector", a.sector], ["kind", a.kind], ["office", a.office],
            ["wikidata", a.wikidata], ["in dictionaries", a.known], ["mentions", len(a.mentions)]],
            "links": [*(link("says", s) for s in said), *(link("acts in", e) for e in acts),
                      *(link("is targeted in", e) for e in targeted)]}
    for t in analysis.times:
        out[t.id] = {"kind": "time", "label": f"{t.id} · {t.span.text}", "fields": [
            ["text", t.span.text], ["value", t.value], ["precision", t.precision], ["type", t.type]],
            "links": [link("dates", e.id) for e in analysis.events if e.time == t.id]}
    for p in analysis.places:
        out[p.id] = {"kind": "place", "label": f"{p.id} · {p.name}", "fields": [
            ["text", p.span.text], ["name", p.name], ["country", p.country], ["lat", p.lat], ["lon", p.lon],
            ["GeoNames id", p.geonames_id], ["feature class", p.feature_class]],
            "links": [link("locates", e.id) for e in analysis.events if e.location == p.id]}
    for s in analysis.statements:
        out[s.id] = {"kind": "statement", "label": f"{s.id} · {name(s.speaker) or 'unknown speaker'}", "fields": [
            ["speaker", name(s.speaker)], ["speaker text", _span(s.speaker_span)], ["cue", _span(s.cue)],
            ["content", _span(s.content)], ["kind", s.kind], ["channel", s.channel], ["date", s.date],
            ["addressee", name(s.addressee)], ["certainty", s.certainty],
            ["hedges", ", ".join(h.text for h in s.hedges) or None]],
            "links": [link("speaker", s.speaker), link("addressee", s.addressee),
                      *(link("reports event", e.id) for e in analysis.events if e.statement == s.id)]}
    for e in analysis.events:
        place = places.get(e.location) if e.location else None
        counts = e.counts.model_dump(exclude_none=True) if e.counts else {}
        out[e.id] = {"kind": "event", "label": f"{e.id} · {e.type} · {e.trigger.text}", "fields": [
            ["type", e.type], ["subtype", e.subtype], ["mode", e.mode], ["context", ", ".join(e.context) or None],
            ["trigger", _span(e.trigger)], ["mentions", len(event_spans(e))],
            ["source", names(e.source) or None], ["target", names(e.target) or None], ["date", e.date],
            ["place", place.name if place else None], ["status", e.status], ["confidence", e.confidence],
            ["counts", ", ".join(f"{k} {v}" for k, v in counts.items()) or None]],
            "links": [link("reported by statement", e.statement), *(link("source", a) for a in e.source),
                      *(link("target", a) for a in e.target), link("place", e.location), link("time", e.time),
                      *(link(f"responsibility: {r.kind}", r.id) for r in analysis.responsibility if r.event == e.id)],
            "mentions": _mention_records(e)}
    for r in analysis.responsibility:
        out[r.id] = {"kind": "responsibility", "label": f"{r.id} · {r.kind} · event {r.event}", "fields": [
            ["kind", r.kind], ["event", r.event], ["responsible", names(r.responsible) or None],
            ["claimant", name(r.claimant)], ["backers", names(r.backers) or None], ["alleged", r.alleged],
            ["evidence", _span(r.evidence)]],
            "links": [link("event", r.event), *(link("responsible", a) for a in r.responsible),
                      link("claimant", r.claimant), *(link("backer", a) for a in r.backers)]}
    for record in out.values():
        record["fields"] = [[k, v] for k, v in record["fields"] if v is not None and v != ""]
        record["links"] = [item for item in record["links"] if item is not None]
    return out


def _mention_records(event: Event) -> list[dict[str, Any]]:
    """What the record panel lists for each mention of an incident: its words and offsets, how it joined the
    incident, its own type and status where they differ from the incident's, and its sentence."""
    if not event.mentions:
        return [{"start": event.trigger.start, "end": event.trigger.end, "text": event.trigger.text, "how": "main",
                 "note": "", "sentence": event.sentence.text, "sentence_start": event.sentence.start}]
    out = []
    for m in sorted(event.mentions, key=lambda m: (m.start, m.end)):
        note = [m.type] if m.type != event.type else []
        note += [m.status] if m.status != event.status else []
        out.append({"start": m.start, "end": m.end, "text": m.text, "how": m.how, "note": ", ".join(note),
                    "sentence": m.sentence.text, "sentence_start": m.sentence.start})
    return out


def json_for_html(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` survive, so
    article text such as ``</script><script>`` cannot close the block."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # escaped above; autoescaping would turn its quotes into entities


@dataclass
class ArticleView:
    """What the article template needs."""

    analysis: Analysis
    segments: list[Segment]
    records_json: Markup
    counts: dict[str, int]

    @property
    def title(self) -> str:
        """The document's title or, for an untitled text, its first line."""
        return display_title(self.analysis.document.title, self.analysis.document.text)


def display_title(title: str | None, text: str, limit: int = 120) -> str:
    """``title``, or the first non-empty line of ``text`` (cut to ``limit`` characters)."""
    if title and title.strip():
        return title.strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[:limit - 1] + "…"


def article_view(analysis: Analysis) -> ArticleView:
    """Segments, records and counts for one analysis."""
    counts = {"actors": len(analysis.actors), "times": len(analysis.times), "places": len(analysis.places),
              "statements": len(analysis.statements), "events": len(analysis.events),
              "event mentions": sum(len(event_spans(e)) for e in analysis.events),
              "responsibility": len(analysis.responsibility)}
    return ArticleView(analysis, segments(analysis.document.text, marks(analysis)), json_for_html(records(analysis)),
                       counts)
