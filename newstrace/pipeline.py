"""The pipeline: one document flows through small stages, each adding records to an ``Analysis``.

``ingest → nlp → actors → time → places → statements → events → factuality``; storing and
linking happen over many analyses elsewhere. Stages receive what they need explicitly and talk
only through the model; the heavy resources (spaCy model, lexicons, gazetteer, matchers) are built
once per ``Pipeline``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from spacy.tokens import Doc

from newstrace import times as times_stage
from newstrace.actors import ActorFinder
from newstrace.dates import DateError, parse_published
from newstrace.events import EventFinder
from newstrace.factuality import Factuality
from newstrace.lexicon import load_lexicons
from newstrace.model import Analysis, Document
from newstrace.nlp import DEFAULT_MAX_CHARS, load_model
from newstrace.places import Gazetteer, PlaceFinder
from newstrace.responsibility import find_responsibility
from newstrace.spans import text_of
from newstrace.statements import StatementFinder

RECENT_DOCS = 8
# Per-document limits (docs/reliability.md, "Resource limits"). spaCy cannot be interrupted safely in the
# middle of a call, so the guards are on size, checked before the parse, and a time budget checked between
# stages: a document over it stops after the stage that crossed it, with an AnalysisTimeoutError.
# A run of this many characters without whitespace is refused: spaCy's tokenizer splits affixes off such a
# run one at a time, in time quadratic in its length (4,000 punctuation marks take 4 s; 1,000 take 0.02 s).
MAX_TOKEN_CHARS = 1_000
DEFAULT_MAX_SECONDS = 300.0
_RUN = re.compile(r"\S+")


class InputError(ValueError):
    """An article newstrace cannot analyse, with a one-line reason for the user."""


@dataclass
class Article:
    """Raw input: the text and whatever metadata came with it."""

    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    id: str | None = None


def document_id(text: str) -> str:
    """Content hash of the NFC-normalised text with whitespace runs collapsed."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str | None) -> dt.date | None:
    """A publication date as scraped news writes it (ISO 8601, RFC 2822, "Dec 13, 2016", "13 December 2016";
    see ``newstrace.dates``), or None for none; anything else is an InputError naming the value and why."""
    if value is None or value == "":
        return None
    try:
        return parse_published(value)
    except DateError as exc:
        raise InputError(str(exc)) from None


class AnalysisTimeoutError(InputError):
    """An analysis that ran past the pipeline's time budget; raised between stages."""


class Pipeline:
    """Loads the model and dictionaries once, then analyses any number of articles."""

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS, max_token_chars: int = MAX_TOKEN_CHARS,
                 max_seconds: float | None = DEFAULT_MAX_SECONDS) -> None:
        started = time.perf_counter()
        self.nlp = load_model()
        self.max_chars = max_chars
        self.max_token_chars = max_token_chars
        self.max_seconds = max_seconds  # None: no time budget
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)
        self.lexicons = load_lexicons()
        self.actors = ActorFinder(self.nlp, self.lexicons)
        self.places = PlaceFinder(self.nlp, self.lexicons, Gazetteer(self.lexicons))
        self.statements = StatementFinder(self.nlp, self.lexicons)
        self.factuality = Factuality(self.lexicons)
        self.events = EventFinder(self.nlp, self.lexicons, self.factuality)
        # The last few parses, so that factuality_of can score any predicate of a recent analysis.
        self._recent_docs: OrderedDict[str, Doc] = OrderedDict()
        self.load_seconds = time.perf_counter() - started

    def analyze(self, text: str, published: str | None = None, **metadata: str | None) -> Analysis:
        """Analyse one article text; ``published`` is an ISO date or None (then inferred)."""
        return self.analyze_article(Article(text=text, published=published, **metadata))

    def analyze_article(self, article: Article) -> Analysis:
        """Analyse one ``Article``; raises InputError for text it cannot take."""
        self._check(article.text)
        timings: dict[str, float] = {}
        with _timed(timings, "nlp", self.max_seconds):
            doc = self.nlp(article.text)
        return self._analyze_parsed(article, doc, timings)

    def analyze_articles(self, articles: Sequence[Article], batch_size: int = 32) -> list[Analysis | Exception]:
        """Analyse many articles with one batched parse (``nlp.pipe``), for corpus ingest.

        Returns one entry per article, in order: its ``Analysis``, or the exception that stopped it
        (an ``InputError`` for text it cannot take). The records are the same as ``analyze_article``'s:
        spaCy gives identical annotations batched or one by one; batching only saves per-call overhead.
        """
        results: list[Analysis | Exception | None] = [None] * len(articles)
        todo: list[int] = []
        for i, article in enumerate(articles):
            try:
                self._check(article.text)
                todo.append(i)
            except InputError as exc:
                results[i] = exc
        # spaCy's string store and lexeme table otherwise grow with every new word of a corpus; inside a
        # memory zone what the batch added is freed at its end (so its Docs are not kept for factuality_of)
        with self.nlp.memory_zone():
            started = time.perf_counter()
            try:
                docs = list(self.nlp.pipe([articles[i].text for i in todo], batch_size=batch_size))
            except Exception:  # one document broke the batch: fall back to one parse each, so only it fails
                docs = None
            share = round((time.perf_counter() - started) / max(len(todo), 1), 4)
            for n, i in enumerate(todo):
                try:
                    if docs is None:
                        self._check(articles[i].text)
                        with _timed(timings := {}, "nlp", self.max_seconds):
                            doc = self.nlp(articles[i].text)
                        results[i] = self._analyze_parsed(articles[i], doc, timings, remember=False)
                    else:
                        results[i] = self._analyze_parsed(articles[i], docs[n], {"nlp": share}, remember=False)
                except Exception as exc:
                    results[i] = exc
            docs = None
        return results  # type: ignore[return-value]  # every slot is filled above

    def _analyze_parsed(self, article: Article, doc: Doc, timings: dict[str, float], remember: bool = True) -> Analysis:
        """The stages after the parse; ``remember`` keeps the parse for ``factuality_of``."""
        document = self._document(article)
        # spaCy keeps the text exactly; ``doc.text`` would rebuild it from every token (see spans.text_of)
        doc.user_data["newstrace_text"] = article.text
        if remember:
            self._remember(document.id, doc)
        analysis = Analysis(document=document)
        anchor = parse_date(document.published)
        with _timed(timings, "actors", self.max_seconds):
            analysis.actors = self.actors.find(doc, document.published)
        with _timed(timings, "times", self.max_seconds):
            analysis.times = times_stage.extract_times(doc, anchor)
        with _timed(timings, "places", self.max_seconds):
            analysis.places = self.places.find(doc)
        with _timed(timings, "statements", self.max_seconds):
            analysis.statements = self.statements.find(doc, analysis)
        with _timed(timings, "events", self.max_seconds):
            analysis.events, anaphors = self.events.find(doc, analysis)
        with _timed(timings, "responsibility", self.max_seconds):
            analysis.responsibility = find_responsibility(doc, analysis, anaphors)
        analysis.timings = timings
        return analysis

    def factuality_of(self, analysis: Analysis, start: int, end: int) -> float | None:
        """Graded factuality in [-3, 3] of the predicate at ``start:end`` of a recent analysis of this
        pipeline (None when its parse is no longer kept or the offsets hold no token)."""
        doc = self._recent_docs.get(analysis.document.id)
        if doc is None or text_of(doc) != analysis.document.text:
            return None
        return self.factuality.score_at(doc, start, end, analysis.statements)

    def _remember(self, doc_id: str, doc: Doc) -> None:
        self._recent_docs[doc_id] = doc
        self._recent_docs.move_to_end(doc_id)
        while len(self._recent_docs) > RECENT_DOCS:
            self._recent_docs.popitem(last=False)

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis | InputError]:
        """Analyses in input order; an article that fails yields its InputError instead."""
        for article in articles:
            try:
                yield self.analyze_article(article)
            except InputError as exc:
                yield exc

    def _check(self, text: str) -> None:
        if not text.strip():
            raise InputError("empty text")
        if len(text) > self.max_chars:
            raise InputError(f"text is {len(text):,} characters, over the limit of {self.max_chars:,} "
                             "(raise it with --max-chars)")
        longest = max(_RUN.finditer(text), key=lambda m: m.end() - m.start())  # not empty: checked above
        if longest.end() - longest.start() > self.max_token_chars:
            raise InputError(f"text has a run of {longest.end() - longest.start():,} characters without whitespace "
                             f"at character {longest.start():,}, over the limit of {self.max_token_chars:,}")

    def _document(self, article: Article) -> Document:
        published = parse_date(article.published)
        inferred = False
        if published is None:
            published = times_stage.infer_published(article.text)
            inferred = published is not None
        return Document(
            id=document_id(article.text), text=article.text, title=article.title, url=article.url,
            source=article.source, published=published.isoformat() if published else None,
            published_inferred=inferred, input_id=article.id,
        )


@contextmanager
def _timed(timings: dict[str, float], name: str, budget: float | None = None) -> Iterator[None]:
    """Time a stage into ``timings``; past ``budget`` seconds in all, stop the analysis after it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(time.perf_counter() - started, 4)
    spent = sum(timings.values())
    if budget is not None and spent > budget:
        raise AnalysisTimeoutError(f"analysis stopped after the {name} stage: {spent:.1f} s, over the limit of {budget:g} s")
