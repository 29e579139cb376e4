"""Corpus ingest: stream articles from files, feeds and archives through the pipeline into the store.

Memory stays bounded: articles are read one at a time and written in batches (one transaction each).
Idempotent and resumable: an input already recorded (by its origin) is skipped without being
analysed again, and a text already stored (by its content hash) is recorded as a duplicate — also when
another process stored it while this batch was being analysed (``Store.write_batch`` checks again).
A failing input becomes a row of ``ingest_errors`` and the run goes on.

The same batch logic runs inside each shard task of a Dask cluster (``newstrace.distributed``),
which is why ``ingest_batch`` reports what happened to every input item, in reading order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newstrace import minhash
from newstrace.model import Analysis
from newstrace.pipeline import Article, InputError, Pipeline, document_id
from newstrace.sources import RawArticle, SourceError, iter_articles
from newstrace.store import Store

log = logging.getLogger("newstrace.ingest")
DEFAULT_BATCH = 50

# What happened to one input item (``ItemRecord.outcome``).
ANALYSED = "analysed"  # analysed and written as a new document
DUPLICATE = "duplicate"  # its text is already stored (or was analysed earlier in the run)
SKIPPED = "skipped"  # its origin was already ingested by an earlier run
FAILED = "failed"  # read, but the analysis refused or failed it
UNREADABLE = "error"  # the source could not be read (a SourceError)


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
class ItemRecord:
    """One input item's fate, in reading order: enough to replay the run's decisions elsewhere."""

    origin: str
    doc_id: str | None
    outcome: str
    path: str | None = None  # for failures: the error row's path, offset and reason
    offset: str | None = None
    reason: str | None = None


@dataclass
class Batch:
    """A run of input items in reading order (articles and read errors interleaved)."""

    items: list[RawArticle | SourceError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)


def ingest(paths: list[str], store: Store, pipeline: Pipeline, *, published_from_filename: bool = False,
           source: str | None = None, batch_size: int = DEFAULT_BATCH,
           on_progress: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Ingest every article under ``paths`` into ``store``; returns the run's summary."""
    summary = IngestSummary()
    started = time.perf_counter()
    for batch in batches(iter_articles(paths, published_from_filename=published_from_filename, source=source),
                         batch_size):
        ingest_batch(batch, store, pipeline, summary)
        summary.seconds = time.perf_counter() - started
        if on_progress is not None:
            on_progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def batches(items: Iterable[RawArticle | SourceError], size: int) -> Iterator[Batch]:
    """Consecutive batches of ``size`` items (articles and errors count alike)."""
    batch = Batch()
    for item in items:
        batch.items.append(item)
        if len(batch) >= size:
            yield batch
            batch = Batch()
    if len(batch):
        yield batch


def ingest_batch(batch: Batch, store: Store, pipeline: Pipeline, summary: IngestSummary, *,
                 done: Collection[str] | None = None, link_near: bool = True) -> list[ItemRecord]:
    """Analyse and write one batch in one transaction; returns each item's fate in reading order.

    ``done`` names origins to skip (default: those the store's ``inputs`` already holds);
    ``link_near=False`` leaves near-duplicate links to a later merge (cluster shards).
    """
    articles = [item for item in batch.items if isinstance(item, RawArticle)]
    origins = [a.origin for a in articles]
    # The store is open for the reads before the analysis and for the writes after it, not during it: a
    # store that does not hold its connection lets other processes in meanwhile (docs/store.md).
    with store.session():
        seen = store.seen_origins(origins) if done is None else {o for o in origins if o in done}
        todo = [a for a in articles if a.origin not in seen]
        ids = [document_id(a.text) for a in todo]
        stored = store.has_documents(ids)
    results = dict(zip((a.origin for a in todo), analyse_new(todo, ids, stored, pipeline), strict=True))
    doc_ids = dict(zip((a.origin for a in todo), ids, strict=True))

    records: list[ItemRecord] = []
    writes: list[tuple] = []
    errors: list[tuple[str, str, str | None, str]] = []
    new_docs: list[tuple[str, list[int], list[tuple[int, int]]]] = []
    for item in batch.items:
        if isinstance(item, SourceError):
            errors.append((item.origin, item.path, item.offset, item.reason))
            records.append(ItemRecord(item.origin, None, UNREADABLE, item.path, item.offset, item.reason))
            continue
        if item.origin in seen:
            summary.skipped += 1
            records.append(ItemRecord(item.origin, None, SKIPPED))
            continue
        doc_id, result = doc_ids[item.origin], results[item.origin]
        if result is None:
            writes.append((item.origin, None, {"doc_id": doc_id}))
            summary.duplicates += 1
            records.append(ItemRecord(item.origin, doc_id, DUPLICATE))
        elif isinstance(result, str):
            path, offset = path_and_offset(item.origin)
            errors.append((item.origin, path, offset, result))
            records.append(ItemRecord(item.origin, doc_id, FAILED, path, offset, result))
        else:
            sig = minhash.signature(item.text)
            new_docs.append((doc_id, sig, minhash.bands(sig)))
            writes.append((item.origin, result, {"author": item.author, "minhash": sig}))
            summary.ingested += 1
            records.append(ItemRecord(item.origin, doc_id, ANALYSED))
    bands = [(doc_id, band, bucket) for doc_id, _, doc_bands in new_docs for band, bucket in doc_bands]
    with store.session():
        near = near_links(new_docs, store) if link_near else []
        late = store.write_batch(writes, errors, near, bands)
    summary.failed += len(errors)
    summary.near_duplicates += sum(1 for doc_id, _, _ in near if doc_id not in late)
    summary.errors += [f"{origin}: {reason}" for origin, _, _, reason in errors]
    for record in records:  # another process stored the same text while this batch was being analysed
        if record.outcome == ANALYSED and record.doc_id in late:
            record.outcome = DUPLICATE
            summary.ingested -= 1
            summary.duplicates += 1
    return records


def analyse_new(articles: Sequence[RawArticle], ids: Sequence[str], stored: Collection[str],
                pipeline: Pipeline) -> list[Analysis | str | None]:
    """For each article (with its document id), in order: its analysis; None for a duplicate (its text is
    stored, or an earlier article here with the same text was analysed); or the reason it failed.

    The first copy of each new text goes through one batched parse; a later copy is analysed only
    if the first one failed (it may carry other metadata), exactly as one-by-one analysis would.
    """
    first: dict[str, int] = {}
    for i, doc_id in enumerate(ids):
        if doc_id not in stored:
            first.setdefault(doc_id, i)
    wanted = sorted(first.values())
    batch = dict(zip(wanted, pipeline.analyze_articles([_article(articles[i]) for i in wanted]), strict=True))
    out: list[Analysis | str | None] = []
    analysed: set[str] = set()
    for i, (article, doc_id) in enumerate(zip(articles, ids, strict=True)):
        if doc_id in stored or doc_id in analysed:
            out.append(None)
            continue
        result = batch[i] if i in batch else _analyse_one(article, pipeline)
        if isinstance(result, Exception):
            out.append(_reason(result, article.origin))
        else:
            analysed.add(doc_id)
            out.append(result)
    return out


def _analyse_one(article: RawArticle, pipeline: Pipeline) -> Analysis | Exception:
    try:
        return pipeline.analyze_article(_article(article))
    except Exception as exc:
        return exc


def _reason(exc: Exception, origin: str) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    log.error("analysis failed for %s", origin, exc_info=exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def near_links(docs: Sequence[tuple[str, list[int], list[tuple[int, int]]]], store: Store,
               earlier: Sequence[tuple[str, list[int]]] = ()) -> list[tuple[str, str, float]]:
    """Near-duplicate links of new documents (id, signature, bands), in order: each one against the stored
    documents that share a MinHash band with it and against every earlier document of its batch
    (``earlier`` ones, already stored by a cluster merge, then those of ``docs``).

    One band query serves the whole batch (it was one query per document).
    """
    stored = store.band_candidates([b for _, _, doc_bands in docs for b in doc_bands])
    same_batch = {doc_id for doc_id, _ in earlier}
    by_band: dict[tuple[int, int], list[tuple[str, list[int]]]] = {}
    for other_id, other_sig in stored:
        if other_sig is None or other_id in same_batch:
            continue
        other_sig = list(other_sig)
        for band in minhash.bands(other_sig):  # the stored bands were computed the same way from the signature
            by_band.setdefault(band, []).append((other_id, other_sig))
    links: list[tuple[str, str, float]] = []
    fresh: list[tuple[str, list[int]]] = list(earlier)
    for doc_id, sig, doc_bands in docs:
        candidates = {other_id: other_sig for band in doc_bands for other_id, other_sig in by_band.get(band, ())}
        for other_id, other_sig in [*candidates.items(), *fresh]:
            if other_id == doc_id:
                continue
            score = minhash.similarity(sig, other_sig)
            if score >= minhash.NEAR_DUPLICATE:
                links.append((doc_id, other_id, score))
        fresh.append((doc_id, sig))
    return links


def _article(raw: RawArticle) -> Article:
    return Article(text=raw.text, published=raw.published, title=raw.title, url=raw.url, source=raw.source,
                   id=raw.origin)


def path_and_offset(origin: str) -> tuple[str, str | None]:
    """Split "path#record" (record fragments never contain '#'; paths may)."""
    path, mark, fragment = origin.rpartition("#")
    return (path, fragment) if mark else (origin, None)
