"""Matching an analysis against an analyst's expected reading (the seed's *.expected.json format).

Each expected item is a matcher: ``*_contains`` fields are case-insensitive substrings of the
cited text, other fields must be equal, ``note``-like fields are commentary. An item passes when
at least one extracted record satisfies every field it gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from newstrace.model import Actor, Analysis, Event, Place, Responsibility, Statement, TimeExpr

IGNORED = {"note", "about"}


def _has(haystack: str | None, needle: str) -> bool:
    return haystack is not None and needle.lower() in haystack.lower()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _actors(analysis: Analysis, ids: list[str] | str | None) -> list[Actor]:
    if ids is None:
        return []
    ids = [ids] if isinstance(ids, str) else ids
    return [a for a in (analysis.actor(i) for i in ids) if a is not None]


def _actor_has(actor: Actor, needle: str) -> bool:
    return _has(actor.name, needle) or any(_has(m.text, needle) for m in actor.mentions)


def actor_matches(item: dict, actor: Actor, analysis: Analysis) -> bool:
    checks = {
        "name_contains": lambda v: _has(actor.name, v),
        "country": lambda v: actor.country == v,
        "role": lambda v: actor.sector == v,
        "aliases_seen": lambda v: all(any(_has(alias, m.text) or _has(m.text, alias) for m in actor.mentions)
                                      for alias in v),
    }
    return _all(item, checks)


def statement_matches(item: dict, st: Statement, analysis: Analysis) -> bool:
    speaker = analysis.actor(st.speaker)
    checks = {
        "speaker_contains": lambda v: _has(st.speaker_span.text if st.speaker_span else None, v)
        or (speaker is not None and _has(speaker.name, v)),
        "speaker_resolves_to": lambda v: speaker is not None and _has(speaker.name, v),
        "cue_contains": lambda v: _has(st.cue.text if st.cue else None, v),
        "content_contains": lambda v: _has(st.content.text, v),
        "channel": lambda v: st.channel == v,
        "date": lambda v: st.date == v,
    }
    return _all(item, checks)


def _event_date_precision(event: Event, analysis: Analysis) -> str | None:
    time = next((t for t in analysis.times if t.id == event.time), None)
    if time is not None:
        return time.precision
    if event.date is None:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(event.date))


def event_matches(item: dict, ev: Event, analysis: Analysis) -> bool:
    place = next((p for p in analysis.places if p.id == ev.location), None)
    sources, targets = _actors(analysis, ev.source), _actors(analysis, ev.target)
    checks = {
        "type": lambda v: ev.type == v,
        "trigger_contains": lambda v: _has(ev.trigger.text, v),
        "source_country": lambda v: any(a.country == v for a in sources),
        "source_contains": lambda v: any(_actor_has(a, v) for a in sources),
        "target_country": lambda v: any(a.country == v for a in targets),
        "target_contains": lambda v: any(_actor_has(a, v) for a in targets),
        "date": lambda v: ev.date == v,
        "date_precision": lambda v: _event_date_precision(ev, analysis) == v,
        "location_country": lambda v: place is not None and place.country == v,
        "location_contains": lambda v: place is not None and (_has(place.name, v) or _has(place.span.text, v)),
        "status": lambda v: ev.status == v,
    }
    return _all(item, checks)


def responsibility_matches(item: dict, r: Responsibility, analysis: Analysis) -> bool:
    event = next((e for e in analysis.events if e.id == r.event), None)
    responsible = _actors(analysis, r.responsible)
    claimant = _actors(analysis, r.claimant)
    checks = {
        "attack_contains": lambda v: event is not None and _has(event.trigger.text, v),
        "responsible_contains": lambda v: any(_actor_has(a, v) for a in responsible),
        "responsible_country": lambda v: any(a.country == v for a in responsible),
        "claimant_contains": lambda v: any(_actor_has(a, v) for a in claimant),
        "claimant_country": lambda v: any(a.country == v for a in claimant),
        "kind": lambda v: r.kind == v,
    }
    return _all(item, checks)


def time_matches(item: dict, t: TimeExpr, analysis: Analysis) -> bool:
    checks = {
        "text_contains": lambda v: _has(t.span.text, v),
        "value": lambda v: t.value == v,
        "precision": lambda v: t.precision == v,
    }
    return _all(item, checks)


def place_matches(item: dict, p: Place, analysis: Analysis) -> bool:
    tolerance = item.get("tolerance_km", 25)
    checks = {
        "text_contains": lambda v: _has(p.span.text, v),
        "country": lambda v: p.country == v,
        "lat": lambda v: p.lat is not None and p.lon is not None
        and _km(p.lat, p.lon, item["lat"], item.get("lon", p.lon)) <= tolerance,
        "lon": lambda v: True,  # checked together with lat
        "tolerance_km": lambda v: True,
    }
    return _all(item, checks)


def _all(item: dict, checks: dict[str, Callable]) -> bool:
    for key, value in item.items():
        if key in IGNORED:
            continue
        if key not in checks:
            raise KeyError(f"unknown matcher field {key!r}")
        if not checks[key](value):
            return False
    return True


MATCHERS: dict[str, tuple[Callable[[Analysis], list], Callable]] = {
    "actors": (lambda a: a.actors, actor_matches),
    "statements": (lambda a: a.statements, statement_matches),
    "events": (lambda a: a.events, event_matches),
    "responsibility": (lambda a: a.responsibility, responsibility_matches),
    "times": (lambda a: a.times, time_matches),
    "places": (lambda a: a.places, place_matches),
}


def misses(expected: dict, analysis: Analysis, sections: list[str]) -> list[str]:
    """A readable line for every expected item of ``sections`` that no record satisfies."""
    out = []
    for section in sections:
        records, matches = MATCHERS[section]
        for item in expected.get(section, []):
            if not any(matches(item, record, analysis) for record in records(analysis)):
                shown = {k: v for k, v in item.items() if k not in IGNORED}
                out.append(f"{section}: no record matches {shown}")
    return out


def all_spans(analysis) -> list:
    """Every Span in an analysis, wherever it sits in the record tree."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys():
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(analysis.model_dump())
    return found
