"""The ``events-codes`` task: the CAMEO actor codes of each sentence's event, against PETRARCH-2's
validation records (``events/petrarch2-gsr-validation``), with and without the Phoenix lexicons.

Per sentence, our event is the earliest one that is not negated, denied or hypothetical (as in
``events-class``); its source and target actors are compared with the gold records' source and
target codes (a sentence may code two events; matching any one of them counts):

* ``source_country`` / ``target_country``: some actor of ours has a gold record's country
  (``parse_code``: "USAGOV" → USA, "IGOUNO" → UNO, "IGOMEAARL" → IGO); gold with no country
  ("---LEG") is left out;
* ``code``: our code and the gold code agree on the country and first role code (their first six
  letters: "PSEREBHMS" and "PSEREB" agree; "USA" only matches "USA"), over both slots;
* ``sector``: our sector equals the gold code's first sector, over slots whose gold code has one.

Each metric has its ``_n`` (sentences or slots scored) and ``_correct`` counts beside it. The peer
``no-phoenix`` is the same pipeline with ``ActorFinder(phoenix=False)``.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.actor_codes import parse_code
from newstrace.evaluation import readers
from newstrace.evaluation.readers import ReadError
from newstrace.evaluation.tasks import _first_event, _Outcome, _Run, _take, _track
from newstrace.model import Actor, Analysis, Event

_SENTENCE = re.compile(r"<Sentence\b([^>]*)/?>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
SLOTS = ("source", "target")


@dataclass
class GoldCoding:
    """One gold event: CAMEO event code and the source and target actor codes."""

    event: str
    source: str
    target: str


@dataclass
class CodedSentence:
    """A validation sentence: its text (line breaks joined), date and gold codings."""

    sent_id: str
    text: str
    date: str | None
    codings: list[GoldCoding] = field(default_factory=list)


def parse_petrarch_validation(data: str) -> list[CodedSentence]:
    """Sentences of a PETRARCH validation file (not well-formed XML: read record by record)."""
    out = []
    for attrs, body in _SENTENCE.findall(data):
        meta = dict(_ATTR.findall(attrs))
        text = _TEXT.search(body)
        if text is None or not text.group(1).strip():
            continue
        codings = []
        for coding in _CODING.findall(body):
            values = dict(_ATTR.findall(coding))
            if values.get("noevents", "").lower() == "true" or "sourcecode" not in values:
                continue
            codings.append(GoldCoding(values.get("eventcode", ""), values["sourcecode"], values.get("targetcode", "")))
        date = meta.get("date", "")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if re.fullmatch(r"\d{8}", date) else None
        out.append(CodedSentence(meta.get("id", ""), " ".join(html.unescape(text.group(1)).split()), iso, codings))
    return out


def read_petrarch_validation(path: Path, errors: list[ReadError] | None = None) -> Iterator[CodedSentence]:
    """Coded sentences from a validation file, or the ``*.xml`` files under a folder."""
    for file in readers.find_files(path, ["*.xml"], prefer_split=False):
        yield from readers._guarded(file, errors, lambda p: parse_petrarch_validation(readers._read_text(p)))


# --------------------------------------------------------------------------- scoring


def _slot_actors(analysis: Analysis | None, event: Event | None, slot: str) -> list[Actor]:
    if analysis is None or event is None:
        return []
    return [a for a in (analysis.actor(i) for i in getattr(event, slot)) if a is not None]


class _Tally:
    """Correct / scored counts per metric."""

    def __init__(self) -> None:
        self.correct: dict[str, int] = {}
        self.n: dict[str, int] = {}

    def add(self, metric: str, right: bool) -> None:
        self.n[metric] = self.n.get(metric, 0) + 1
        self.correct[metric] = self.correct.get(metric, 0) + int(right)

    def metrics(self, names: tuple[str, ...]) -> dict[str, float | int | None]:
        out: dict[str, float | int | None] = {}
        for name in names:
            n = self.n.get(name, 0)
            out[f"{name}_accuracy"] = round(self.correct.get(name, 0) / n, 4) if n else None
            out[f"{name}_correct"] = self.correct.get(name, 0)
            out[f"{name}_n"] = n
        return out


METRICS = ("source_country", "target_country", "code", "sector")


def score_sentence(tally: _Tally, sentence: CodedSentence, analysis: Analysis | None, countries: set[str]) -> None:
    """Add one sentence's outcome to ``tally`` (see the module docstring)."""
    event = _first_event(analysis)
    tally.add("event_found", event is not None)
    for slot in SLOTS:
        gold_codes = [getattr(c, slot) for c in sentence.codings if getattr(c, slot) not in ("", "---")]
        if not gold_codes:
            continue
        ours = _slot_actors(analysis, event, slot)
        gold_countries = {parse_code(code, countries)[0] for code in gold_codes} - {None}
        if gold_countries:
            tally.add(f"{slot}_country", any(a.country in gold_countries for a in ours))
        tally.add("code", any((a.code or "")[:6] == code[:6] for a in ours for code in gold_codes))
        gold_sectors = {parse_code(code, countries)[1] for code in gold_codes} - {None}
        if gold_sectors:
            tally.add("sector", any(a.sector in gold_sectors for a in ours))


def _without_phoenix(pipe: object) -> object | None:
    """The same pipeline with the Phoenix lexicons off (None when ``pipe`` is not a Pipeline)."""
    from newstrace.actors import ActorFinder

    real = getattr(pipe, "_pipe", pipe)  # a CachingAnalyzer keeps the pipeline here
    if not isinstance(getattr(real, "actors", None), ActorFinder):
        return None
    other = copy.copy(real)
    other.actors = ActorFinder(real.nlp, real.lexicons, phoenix=False)
    return other


def evaluate_codes(paths: list[Path], limit: int | None, run: _Run) -> _Outcome:
    """The events-codes task (registered in ``tasks.TASKS``)."""
    sentences = _take((s for p in paths for s in read_petrarch_validation(p, run.errors)), limit)
    sentences = [s for s in sentences if s.codings]
    countries = {c.code for c in _lexicon_countries()}
    ours = _Tally()
    for s in _track(sentences, "events-codes"):
        score_sentence(ours, s, run.analyze(s.text, s.date, s.sent_id), countries)
    result = _Outcome(ours.metrics(("event_found", *METRICS)), {}, len(sentences),
                      sum(len(s.codings) for s in sentences))
    plain = _without_phoenix(run.pipe)
    if plain is None:
        result.notes.append("peer 'no-phoenix' skipped: the analyzer is not a newstrace Pipeline")
        return result
    theirs = _Tally()
    other = _Run(plain, run.task)  # type: ignore[arg-type]
    for s in _track(sentences, "events-codes (no Phoenix)"):
        score_sentence(theirs, s, other.analyze(s.text, s.date, s.sent_id), countries)
    result.peers["no-phoenix"] = theirs.metrics(("event_found", *METRICS))
    result.notes.append("no-phoenix: the same pipeline with the Phoenix / PETRARCH-2 lexicons switched off "
                        "(ActorFinder(phoenix=False), or NEWSTRACE_PHOENIX=0)")
    return result


def _lexicon_countries():
    from newstrace.lexicon import load_lexicons

    return load_lexicons().countries
