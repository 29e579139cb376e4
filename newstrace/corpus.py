"""Corpus ingest: stream articles from files, feeds and archives through the pipeline into the store.

Memory stays bounded: articles are read one at a time and written in batches (one transaction each).
Idempotent and resumable: an input already recorded (by its origin) is skipped without being
analysed again, and a text already stored (by its content hash) is recorded as a duplicate.
A failing input becomes a row of ``ingest_errors`` and the run goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from newstrace import minhash
from newstrace.pipeline import Article, InputError, Pipeline, document_id
from newstrace.sources import RawArticle, SourceError, iter_articles
from newstrace.store import Store

log = logging.getLogger("newstrace.ingest")
DEFAULT_BATCH = 50


@dataclass
class IngestSummary:
    """What one ingest run did."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        """Inputs looked at in this run."""
        return self.ingested + self.duplicates + self.skipped + self.failed


@dataclass
class _Batch:
    articles: list[RawArticle] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.errors)


def ingest(paths: list[str], store: Store, pipeline: Pipeline, *, published_from_filename: bool = False,
           source: str | None = None, batch_size: int = DEFAULT_BATCH,
           on_progress: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Ingest every article under ``paths`` into ``store``; returns the run's summary."""
    summary = IngestSummary()
    started = time.perf_counter()
    for batch in _batches(iter_articles(paths, published_from_filename=published_from_filename, source=source),
                          batch_size):
        _ingest_batch(batch, store, pipeline, summary)
        summary.seconds = time.perf_counter() - started
        if on_progress is not None:
            on_progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _batches(items: Iterator[RawArticle | SourceError], size: int) -> Iterator[_Batch]:
    batch = _Batch()
    for item in items:
        if isinstance(item, SourceError):
            batch.errors.append(item)
        else:
            batch.articles.append(item)
        if len(batch) >= size:
            yield batch
            batch = _Batch()
    if len(batch):
        yield batch


def _ingest_batch(batch: _Batch, store: Store, pipeline: Pipeline, summary: IngestSummary) -> None:
    done = store.seen_origins([a.origin for a in batch.articles])
    todo = [a for a in batch.articles if a.origin not in done]
    summary.skipped += len(batch.articles) - len(todo)
    stored = store.has_documents([document_id(a.text) for a in todo])
    items: list[tuple] = []
    errors = [(e.origin, e.path, e.offset, e.reason) for e in batch.errors]
    near: list[tuple[str, str, float]] = []
    bands: list[tuple[str, int, int]] = []
    fresh: dict[str, list[int]] = {}
    for article in todo:
        doc_id = document_id(article.text)
        if doc_id in stored or doc_id in fresh:
            items.append((article.origin, None, {"doc_id": doc_id}))
            summary.duplicates += 1
            continue
        try:
            analysis = pipeline.analyze_article(_article(article))
        except InputError as exc:
            errors.append((article.origin, *_path_and_offset(article.origin), str(exc)))
            continue
        except Exception as exc:
            log.exception("analysis failed for %s", article.origin)
            errors.append((article.origin, *_path_and_offset(article.origin),
                           f"internal error: {type(exc).__name__}: {exc}"))
            continue
        sig = minhash.signature(article.text)
        doc_bands = minhash.bands(sig)
        near += _near_duplicates(doc_id, sig, doc_bands, store, fresh)
        bands += [(doc_id, band, bucket) for band, bucket in doc_bands]
        fresh[doc_id] = sig
        items.append((article.origin, analysis, {"author": article.author, "minhash": sig}))
        summary.ingested += 1
    summary.failed += len(errors)
    summary.near_duplicates += len(near)
    summary.errors += [f"{origin}: {reason}" for origin, _, _, reason in errors]
    store.write_batch(items, errors, near, bands)


def _near_duplicates(doc_id: str, sig: list[int], doc_bands: list[tuple[int, int]], store: Store,
                     fresh: dict[str, list[int]]) -> list[tuple[str, str, float]]:
    """Links from ``doc_id`` to stored or same-batch documents whose texts are nearly the same."""
    candidates = store.band_candidates(doc_bands) + list(fresh.items())
    links = []
    for other_id, other_sig in candidates:
        if other_id == doc_id or other_sig is None:
            continue
        score = minhash.similarity(sig, list(other_sig))
        if score >= minhash.NEAR_DUPLICATE:
            links.append((doc_id, other_id, score))
    return links


def _article(raw: RawArticle) -> Article:
    return Article(text=raw.text, published=raw.published, title=raw.title, url=raw.url, source=raw.source,
                   id=raw.origin)


def _path_and_offset(origin: str) -> tuple[str, str | None]:
    """Split "path#record" (record fragments never contain '#'; paths may)."""
    path, mark, fragment = origin.rpartition("#")
    return (path, fragment) if mark else (origin, None)
