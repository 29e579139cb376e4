"""The readable text report of an analysis (``newstrace analyze --format text``)."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from newstrace.model import Analysis, Span, Story

# Piped or captured output gets a fixed, generous width instead of rich's 80-column default.
console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _quote(span: Span | None, limit: int = 90) -> str:
    if span is None:
        return ""
    text = " ".join(span.text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(span: Span) -> str:
    return f"{span.start}-{span.end}"


def _actor_name(analysis: Analysis, actor_id: str | None) -> str:
    actor = analysis.actor(actor_id)
    if actor is None:
        return "?"
    return f"{actor.name} ({actor.country or '?'})"


def print_report(analysis: Analysis, out: Console = console) -> None:
    """Print every section of the analysis with each item's source sentence."""
    doc = analysis.document
    out.rule(f"[bold]{doc.title or 'Article'}[/bold] · id {doc.id}")
    inferred = " (inferred from the text)" if doc.published_inferred else ""
    out.print(f"published: {doc.published or 'unknown'}{inferred} · {len(doc.text):,} characters")
    _actors(analysis, out)
    _times(analysis, out)
    _places(analysis, out)
    _statements(analysis, out)
    _events(analysis, out)
    _responsibility(analysis, out)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _actors(analysis: Analysis, out: Console) -> None:
    table = _table("Actors", "id", "name", "country", "sector", "kind", "office", "mentions")
    for actor in analysis.actors:
        mentions = ", ".join(f"{m.text!r}@{m.start}" for m in actor.mentions[:6])
        if len(actor.mentions) > 6:
            mentions += f" … (+{len(actor.mentions) - 6})"
        table.add_row(actor.id, actor.name, actor.country or "", actor.sector or "", actor.kind,
                      actor.office or "", mentions)
    out.print(table)


def _times(analysis: Analysis, out: Console) -> None:
    table = _table("Times", "id", "text", "value", "precision", "type", "at", "sentence")
    for t in analysis.times:
        table.add_row(t.id, t.span.text, t.value, t.precision, t.type, _at(t.span), _quote(t.sentence, 60))
    out.print(table)


def _places(analysis: Analysis, out: Console) -> None:
    table = _table("Places", "id", "text", "place", "country", "lat, lon", "geonames", "sentence")
    for p in analysis.places:
        coords = f"{p.lat:.2f}, {p.lon:.2f}" if p.lat is not None and p.lon is not None else ""
        table.add_row(p.id, p.span.text, p.name, p.country or "", coords, str(p.geonames_id or ""),
                      _quote(p.sentence, 60))
    out.print(table)


def _statements(analysis: Analysis, out: Console) -> None:
    if not analysis.statements:
        return
    table = _table("Who said what", "id", "speaker", "cue", "content", "channel", "certainty")
    for s in analysis.statements:
        speaker = _actor_name(analysis, s.speaker) if s.speaker else (s.speaker_span.text if s.speaker_span else "?")
        table.add_row(s.id, speaker, s.cue.text if s.cue else "", _quote(s.content), s.channel, s.certainty)
    out.print(table)


def _events(analysis: Analysis, out: Console) -> None:
    if not analysis.events:
        return
    table = _table("Who did what to whom", "id", "type", "mode", "subtype", "source", "target", "trigger",
                   "mentions", "date", "where", "status")
    places = {p.id: p for p in analysis.places}
    for e in analysis.events:
        where = places[e.location].name if e.location in places else ""
        # the incident's other mentions, so that one attack reported five ways reads as one row
        others = [m.text for m in e.mentions if (m.start, m.end) != (e.trigger.start, e.trigger.end)]
        table.add_row(e.id, e.type, e.mode or "", e.subtype or "", "; ".join(_actor_name(analysis, a) for a in e.source),
                      "; ".join(_actor_name(analysis, a) for a in e.target), e.trigger.text, "; ".join(others),
                      e.date or "", where, e.status + (f" ({e.statement})" if e.statement else ""))
    out.print(table)


def _responsibility(analysis: Analysis, out: Console) -> None:
    if not analysis.responsibility:
        return
    events = {e.id: e for e in analysis.events}
    for event_id in dict.fromkeys(r.event for r in analysis.responsibility):
        event = events.get(event_id)
        title = f"Responsibility for {event_id}: {event.trigger.text!r}" if event else f"Responsibility for {event_id}"
        table = _table(title, "kind", "responsible", "backed by", "claimant", "evidence")
        for r in analysis.responsibility:
            if r.event != event_id:
                continue
            table.add_row(r.kind + (" (alleged)" if r.alleged else ""),
                          "; ".join(_actor_name(analysis, a) for a in r.responsible),
                          "; ".join(_actor_name(analysis, a) for a in r.backers),
                          _actor_name(analysis, r.claimant) if r.claimant else "", _quote(r.evidence, 60))
        out.print(table)


def story_text(story: Story) -> str:
    """A story as plain text: what it is, every report with its source sentence, claims, disagreements."""
    when = story.best_date or story.date_from or "undated"
    if story.date_from and story.date_to and story.date_from != story.date_to:
        when += f" (reports range {story.date_from} to {story.date_to})"
    lines = [f"story {story.id}: {story.type}{' / ' + story.mode if story.mode else ''}, {when}"
             f"{', ' + story.place if story.place else ''}",
             f"  {story.n_articles} articles, {story.n_outlets} outlets, {story.n_reports} reports"]
    if story.actors:
        lines.append(f"  actors: {', '.join(story.actors)}")
    for label, low, high in (("killed", story.killed, story.killed_max), ("injured", story.injured, story.injured_max)):
        if low is not None:
            spread = f" (reports range {low} to {high})" if high != low else ""
            lines.append(f"  {label}: {low}, the conservative figure{spread}")
    lines.append("reports:")
    for r in story.reports:
        facts = ", ".join(f"{k} {v}" for k, v in (("date", r.date), ("place", r.place), ("killed", r.killed),
                                                   ("injured", r.injured)) if v is not None)
        lines.append(f"  - {r.document}:{r.event} [{r.outlet or 'unknown outlet'}] {r.status}: {r.trigger}"
                     f"{' (' + facts + ')' if facts else ''}")
        lines.append(f"    \"{' '.join((r.sentence or '').split())}\" @{r.sentence_start}-{r.sentence_end}")
    if story.responsibility:
        lines.append("responsibility:")
        for c in story.responsibility:
            by = f" by {c.claimant}" if c.claimant else ""
            lines.append(f"  - {c.kind}{by}: {', '.join(c.responsible) or '?'}{' (alleged)' if c.alleged else ''} "
                         f"[{c.document}:{c.event}] \"{' '.join((c.evidence or '').split())}\"")
    if story.disagreements:
        lines.append("disagreements:")
        for d in story.disagreements:
            lines.append(f"  - {d.kind}: {d.summary}")
            for v in d.values:
                lines.append(f"      {v.value}: {'; '.join(v.reports)}")
    return "\n".join(lines)
