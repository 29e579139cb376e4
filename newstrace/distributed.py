"""Scale-out ingest: the same per-document pipeline on a Dask distributed cluster.

``newstrace ingest PATH... --cluster ADDRESS|local[:N]`` cuts the inputs into **shards** (a WARC,
JSONL, feed or SGML file each; runs of up to ``files_per_shard`` one-article files), runs one Dask
task per shard, and writes each shard's records as Parquet, partitioned by ingest date and shard::

    DIR/ingest_date=2026-11-25/shard=000012-3f9a0c1d2e/{documents,inputs,events,...,shard_items}.parquet

Each worker process loads the spaCy model and dictionaries once (``PipelinePlugin`` preloads them
when the worker starts; ``worker_pipeline`` builds them lazily otherwise). Inside a task the shard
goes through exactly the batch code of single-process ingest (``newstrace.corpus.ingest_batch``),
into a scratch store file, so every row is built by the same store code; the scratch tables are then
copied out as Parquet into a temporary folder that is renamed into place only when complete. A
worker killed mid-shard therefore leaves nothing behind: Dask runs the task again elsewhere.

The client then **merges** the shards into the DuckDB store in shard order, one transaction per
shard, replaying single-process decisions from each shard's ``shard_items`` (every input item, in
reading order, with its fate): an origin already stored is skipped, a text already stored (or
merged earlier in the run) is a duplicate, near-duplicate links are computed over the same virtual
batches a single-process run would use. The merged store is row for row the store a single-process
ingest of the same inputs writes (timestamps aside); ``tests/test_distributed.py`` checks it.
With ``--parquet-only`` the Parquet stays as it is for any engine (``newstrace sql --parquet DIR``).

A task that raises is retried once (``retries=1``); a shard whose worker dies twice is given up
(``distributed.scheduler.allowed-failures = 1`` on local clusters). Either way each file of the
shard gets an ``ingest_errors`` row and the batch goes on; re-running retries those files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import resource
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newstrace import minhash
from newstrace.corpus import (
    ANALYSED,
    DEFAULT_BATCH,
    FAILED,
    SKIPPED,
    UNREADABLE,
    IngestSummary,
    batches,
    ingest_batch,
    near_links,
)
from newstrace.nlp import DEFAULT_MAX_CHARS
from newstrace.pipeline import Pipeline
from newstrace.sources import STDIN, list_inputs
from newstrace.store import RECORD_TABLES, Store, insert_rows

log = logging.getLogger("newstrace.distributed")

DEFAULT_FILES_PER_SHARD = 100
# Formats holding one article per file: these are grouped into shards; every other file is a shard of its own.
SINGLE_RECORD_FORMATS = {"text", "html", "timeml", None}
ITEMS_TABLE = "shard_items"
ITEMS_SQL = (f"CREATE TABLE IF NOT EXISTS {ITEMS_TABLE} (seq INTEGER, origin VARCHAR, doc_id VARCHAR, outcome VARCHAR, "
             'path VARCHAR, "offset" VARCHAR, reason VARCHAR)')
# The tables a shard exports (near-duplicate links need the whole corpus: the merge computes them).
SHARD_TABLES = ("documents", "inputs", "ingest_errors", "minhash_bands", *RECORD_TABLES, ITEMS_TABLE)
SUCCESS = "_SUCCESS"
SHARD_FAILED = "shard failed on the cluster"
_LOCAL = re.compile(r"local(?::(\d+))?")


class ClusterError(RuntimeError):
    """A cluster newstrace cannot use (bad address, unreachable scheduler, stdin input), with the reason."""


@dataclass(frozen=True)
class Shard:
    """One task's worth of input files, in reading order."""

    index: int
    paths: tuple[str, ...]
    single_record: bool  # every file holds one article: its origin is its path

    @property
    def key(self) -> str:
        """A stable name for the shard: its position and a hash of its files."""
        digest = hashlib.sha1("\n".join(self.paths).encode("utf-8", "surrogateescape")).hexdigest()[:10]
        return f"{self.index:06d}-{digest}"


@dataclass(frozen=True)
class ShardOptions:
    """What every shard task needs besides its files."""

    out: str  # the Parquet root (on a filesystem every worker and the client share)
    ingest_date: str
    published_from_filename: bool = False
    source: str | None = None
    batch_size: int = DEFAULT_BATCH
    max_chars: int = DEFAULT_MAX_CHARS


@dataclass
class ShardResult:
    """What a shard task reports back."""

    index: int
    folder: str
    counts: dict[str, int]  # items per outcome
    seconds: float
    worker: str  # host:pid of the worker process
    peak_rss: int  # bytes: the worker process's peak resident memory so far


@dataclass
class ClusterSummary(IngestSummary):
    """An ingest summary plus what the cluster did."""

    shards: int = 0
    shards_failed: int = 0
    results: list[ShardResult] = field(default_factory=list)

    def peak_rss_by_worker(self) -> dict[str, int]:
        """The highest peak RSS each worker process reported, in bytes."""
        peaks: dict[str, int] = {}
        for r in self.results:
            peaks[r.worker] = max(peaks.get(r.worker, 0), r.peak_rss)
        return peaks


# --------------------------------------------------------------------------- planning


def plan_shards(paths: Sequence[str], files_per_shard: int = DEFAULT_FILES_PER_SHARD) -> list[Shard]:
    """Shards over the files behind ``paths``, in the order single-process ingest reads them."""
    if STDIN in paths:
        raise ClusterError("stdin cannot be split into shards: save it to a file first")
    shards: list[Shard] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            shards.append(Shard(len(shards), tuple(run), True))
            run.clear()

    for item in list_inputs(paths).files:
        if item.format in SINGLE_RECORD_FORMATS:
            run.append(item.path)
            if len(run) >= files_per_shard:
                close_run()
        else:
            close_run()
            shards.append(Shard(len(shards), (item.path,), False))
    close_run()
    return shards


def shard_folder(options: ShardOptions, shard: Shard) -> Path:
    """Where a shard's Parquet files go (hive-style partitions: ingest date, then shard)."""
    return Path(options.out) / f"ingest_date={options.ingest_date}" / f"shard={shard.key}"


# --------------------------------------------------------------------------- on the workers

_PIPELINES: dict[int, Pipeline] = {}
_PIPELINE_LOCK = threading.Lock()


def worker_pipeline(max_chars: int = DEFAULT_MAX_CHARS) -> Pipeline:
    """This process's pipeline, built on first use (the model and dictionaries load once per worker)."""
    with _PIPELINE_LOCK:  # the preloading plugin and a first task may ask at the same time
        if max_chars not in _PIPELINES:
            _PIPELINES[max_chars] = Pipeline(max_chars=max_chars)
        return _PIPELINES[max_chars]


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - distributed is a pinned dependency
    WorkerPlugin = object  # type: ignore[assignment,misc]


class PipelinePlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the pipeline when a worker starts (also on workers that join or restart later)."""

    name = "newstrace-pipeline"

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.max_chars = max_chars

    def setup(self, worker) -> None:
        """Start building the pipeline in the background and return at once: the worker's event loop keeps
        answering heartbeats, and the client is not held up waiting for every worker to finish loading
        (a task that starts meanwhile waits for the model in ``worker_pipeline``)."""
        threading.Thread(target=worker_pipeline, args=(self.max_chars,), name="newstrace-preload", daemon=True).start()


def run_shard(shard: Shard, options: ShardOptions, done: frozenset[str] = frozenset()) -> ShardResult:
    """The Dask task: ingest one shard into Parquet; ``done`` holds origins already in the target store."""
    from newstrace.sources import iter_articles

    started = time.perf_counter()
    pipeline = worker_pipeline(options.max_chars)
    final = shard_folder(options, shard)
    scratch = Path(options.out) / "_tmp" / f"{shard.key}-{uuid.uuid4().hex[:8]}"
    scratch.mkdir(parents=True)
    counts: dict[str, int] = {}
    try:
        with Store(scratch / "shard.duckdb") as store:
            store.con.execute(ITEMS_SQL)
            summary = IngestSummary()
            seq = 0
            articles = iter_articles(list(shard.paths), published_from_filename=options.published_from_filename,
                                     source=options.source)
            for batch in batches(articles, options.batch_size):
                records = ingest_batch(batch, store, pipeline, summary, done=done, link_near=False)
                insert_rows(store.con, ITEMS_TABLE, [(seq + i, r.origin, r.doc_id, r.outcome, r.path, r.offset, r.reason)
                                                     for i, r in enumerate(records)])
                seq += len(records)
                for r in records:
                    counts[r.outcome] = counts.get(r.outcome, 0) + 1
            for table in SHARD_TABLES:
                store.con.execute(f"COPY {table} TO {_sql_string(scratch / f'{table}.parquet')} (FORMAT parquet)")
        for leftover in scratch.glob("shard.duckdb*"):
            leftover.unlink()
        (scratch / SUCCESS).write_text(json.dumps({"shard": shard.key, "paths": list(shard.paths), "counts": counts}))
        _move_into_place(scratch, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    return ShardResult(shard.index, str(final), counts, time.perf_counter() - started,
                       f"{socket.gethostname()}:{os.getpid()}", peak)


def _move_into_place(scratch: Path, final: Path) -> None:
    """Publish a finished shard folder in one rename (replacing an older copy of the same shard)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        old = final.with_name(f"{final.name}.old-{uuid.uuid4().hex[:8]}")
        final.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    try:
        scratch.rename(final)
    except OSError:
        if not (final / SUCCESS).exists():  # another run of this very task published first: keep its copy
            raise


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _shard_file(folder: Path, table: str) -> str:
    """``read_parquet`` of one shard file without the partition columns (DuckDB adds them by itself
    for paths that look like hive partitions)."""
    return f"read_parquet({_sql_string(folder / f'{table}.parquet')}, hive_partitioning = false)"


# --------------------------------------------------------------------------- on the client


@contextmanager
def open_client(cluster: str) -> Iterator:
    """A Dask client: ``local`` or ``local:N`` starts a local cluster of N single-threaded worker processes
    (N defaults to the CPU count); anything else is a scheduler address such as tcp://host:8786."""
    import dask
    from distributed import Client, LocalCluster

    match = _LOCAL.fullmatch(cluster)
    if match:
        workers = int(match.group(1)) if match.group(1) else (os.cpu_count() or 1)
        if workers < 1:
            raise ClusterError(f"bad cluster {cluster!r}: local:N needs N >= 1")
        # One task per worker at a time (a worker death then implicates only its own shard), and a
        # shard whose worker dies twice is given up rather than tried a third time.
        with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                              "distributed.scheduler.worker-saturation": 1.0}), \
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                             silence_logs=logging.ERROR) as local, Client(local) as client:
            yield client
        return
    try:
        client = Client(cluster, timeout="30s")
    except (OSError, ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {cluster!r}: {exc}") from None
    with client:
        yield client


def cluster_ingest(paths: Sequence[str], client, *, out: str | Path, store: Store | None = None,
                   files_per_shard: int = DEFAULT_FILES_PER_SHARD, published_from_filename: bool = False,
                   source: str | None = None, batch_size: int = DEFAULT_BATCH, max_chars: int = DEFAULT_MAX_CHARS,
                   keep_parquet: bool = True,
                   on_progress: Callable[[IngestSummary], None] | None = None) -> ClusterSummary:
    """Ingest ``paths`` on the cluster behind ``client``: shards as Parquet under ``out``, then merged into
    ``store`` in shard order (or, with ``store=None``, left as Parquet). ``keep_parquet=False`` deletes
    each shard's Parquet once it is merged."""
    from distributed import as_completed

    started = time.perf_counter()
    summary = ClusterSummary()
    shards = plan_shards(paths, files_per_shard)
    summary.shards = len(shards)
    options = ShardOptions(out=str(Path(out).resolve()), ingest_date=dt.date.today().isoformat(),
                           published_from_filename=published_from_filename, source=source, batch_size=batch_size,
                           max_chars=max_chars)
    done = _done_origins(store, shards) if store is not None else {}
    merger = _Merger(store, batch_size, summary) if store is not None else None

    local: dict[int, list[tuple]] = {}  # shards answered without a task: their items
    ready: dict[int, ShardResult | BaseException] = {}  # finished shards waiting for their turn to merge
    futures = {}
    run_id = uuid.uuid4().hex[:8]
    client.register_plugin(PipelinePlugin(max_chars))
    for shard in shards:
        shard_done = done.get(shard.index, frozenset())
        if shard.single_record and all(p in shard_done for p in shard.paths):
            local[shard.index] = [(i, p, None, SKIPPED, None, None, None) for i, p in enumerate(shard.paths)]
            continue
        if store is None and (previous := _published_copy(options, shard)) is not None:
            ready[shard.index] = previous  # parquet-only and already written: resumable by shard
            continue
        future = client.submit(run_shard, shard, options, frozenset(shard_done), key=f"newstrace-{run_id}-{shard.key}",
                               retries=1, pure=False)
        futures[future] = shard

    next_index = 0

    def merge_ready() -> None:
        nonlocal next_index
        while next_index < len(shards) and (next_index in ready or next_index in local):
            shard = shards[next_index]
            outcome = ready.pop(next_index, None)
            if next_index in local:
                if merger is not None:
                    merger.merge_items(shard, local.pop(next_index), folder=None)
                else:
                    summary.skipped += len(local.pop(next_index))
            elif isinstance(outcome, BaseException):
                _record_failure(shard, outcome, merger, summary)
            elif outcome is not None:
                if merger is not None:
                    merger.merge_folder(shard, Path(outcome.folder))
                    if not keep_parquet:
                        shutil.rmtree(outcome.folder, ignore_errors=True)
                else:
                    _count(summary, outcome.counts)
            next_index += 1
            summary.seconds = time.perf_counter() - started
            if on_progress is not None:
                on_progress(summary)

    merge_ready()
    for future in as_completed(list(futures)):
        shard = futures[future]
        try:
            result = future.result()
        except Exception as exc:  # the task failed twice, or its worker died twice
            ready[shard.index] = exc
        else:
            summary.results.append(result)
            ready[shard.index] = result
        merge_ready()
    merge_ready()
    with contextlib.suppress(OSError):  # the scratch folder, once no task uses it
        (Path(out) / "_tmp").rmdir()
    if not keep_parquet:
        shutil.rmtree(Path(out), ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: IngestSummary, counts: dict[str, int]) -> None:
    summary.ingested += counts.get(ANALYSED, 0)
    summary.duplicates += counts.get("duplicate", 0)
    summary.skipped += counts.get(SKIPPED, 0)
    summary.failed += counts.get(FAILED, 0) + counts.get(UNREADABLE, 0)


def _record_failure(shard: Shard, exc: BaseException, merger: _Merger | None, summary: ClusterSummary) -> None:
    reason = f"{SHARD_FAILED} after a retry: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    log.warning("shard %s (%s) failed: %s", shard.key, shard.paths[0], reason)
    summary.shards_failed += 1
    summary.failed += len(shard.paths)
    summary.errors += [f"{path}: {reason}" for path in shard.paths]
    if merger is not None:
        merger.record_failed_shard(shard, reason)


def _published_copy(options: ShardOptions, shard: Shard) -> ShardResult | None:
    """A complete Parquet copy of this shard from an earlier parquet-only run into the same folder."""
    for marker in Path(options.out).glob(f"ingest_date=*/shard={shard.key}/{SUCCESS}"):
        meta = json.loads(marker.read_text())
        if meta.get("paths") == list(shard.paths):
            return ShardResult(shard.index, str(marker.parent), {SKIPPED: sum(meta.get("counts", {}).values())},
                               0.0, "", 0)
    return None


def _done_origins(store: Store, shards: Sequence[Shard]) -> dict[int, frozenset[str]]:
    """Per shard, the origins of its files already in the store's inputs (a file, or its records path#n)."""
    by_path = {path: shard.index for shard in shards for path in shard.paths}
    if not by_path:
        return {}
    rows = store.con.execute(
        "SELECT origin FROM inputs WHERE origin IN (SELECT unnest($1)) "
        "OR (contains(origin, '#') AND left(origin, length(origin) - strpos(reverse(origin), '#')) IN (SELECT unnest($1)))",
        [list(by_path)]).fetchall()
    found: dict[int, set[str]] = {}
    for (origin,) in rows:
        index = by_path.get(origin)
        if index is None:
            index = by_path.get(origin.rpartition("#")[0])
        if index is not None:
            found.setdefault(index, set()).add(origin)
    return {index: frozenset(origins) for index, origins in found.items()}


class _Merger:
    """Merges shard Parquet into the store in shard order, replaying single-process ingest decisions."""

    def __init__(self, store: Store, batch_size: int, summary: IngestSummary) -> None:
        self.store = store
        self.batch_size = batch_size
        self.summary = summary
        self.position = 0  # items seen so far in the run: single-process batch boundaries fall on multiples of batch_size
        self.fresh: list[tuple[str, list[int]]] = []  # documents of the current (virtual) batch, in order

    def merge_folder(self, shard: Shard, folder: Path) -> None:
        """Merge one shard's Parquet folder in one transaction."""
        con = self.store.con
        items = con.execute(f"SELECT seq, origin, doc_id, outcome, path, \"offset\", reason FROM "
                            f"{_shard_file(folder, ITEMS_TABLE)} ORDER BY seq").fetchall()
        self.merge_items(shard, items, folder)

    def merge_items(self, shard: Shard, items: list[tuple], folder: Path | None) -> None:
        """Merge a shard's items (and, where ``folder`` is given, its records) in one transaction."""
        con = self.store.con
        signatures: dict[str, list[int]] = {}
        if folder is not None:
            signatures = {doc_id: list(sig) for doc_id, sig in con.execute(
                f"SELECT id, minhash FROM {_shard_file(folder, 'documents')}").fetchall()}
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        accepted: list[str] = []
        con.execute("BEGIN")
        try:
            # earlier failures of this shard as a whole are superseded by what it says now
            con.execute("DELETE FROM ingest_errors WHERE origin IN (SELECT unnest(?)) AND starts_with(reason, ?)",
                        [list(shard.paths), SHARD_FAILED])
            start = 0
            while start < len(items):
                room = self.batch_size - self.position % self.batch_size
                group = items[start:start + room]
                if self.position % self.batch_size == 0:
                    self.fresh = []
                accepted += self._merge_group(group, signatures, folder, now)
                self.position += len(group)
                start += len(group)
            if folder is not None and accepted:
                for table in RECORD_TABLES:
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM "
                                f"{_shard_file(folder, table)} WHERE doc_id IN (SELECT unnest(?))",
                                [accepted])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _merge_group(self, group: list[tuple], signatures: dict[str, list[int]], folder: Path | None,
                     now: dt.datetime) -> list[str]:
        """Items that fall in one single-process batch: the same duplicate, error and near-duplicate decisions."""
        con, summary = self.store.con, self.summary
        ids = [doc_id for _, _, doc_id, outcome, *_ in group if doc_id is not None and outcome not in (SKIPPED, UNREADABLE)]
        present = self.store.has_documents(ids) | {doc_id for doc_id, _ in self.fresh}
        inputs: list[tuple] = []
        errors: list[tuple] = []
        new_docs: list[tuple[str, list[int], list[tuple[int, int]]]] = []
        for _, origin, doc_id, outcome, path, offset, reason in group:
            if outcome == UNREADABLE:
                errors.append((origin, path, offset, reason, now))
            elif outcome == SKIPPED:
                summary.skipped += 1
            elif doc_id in present:  # stored before, or merged earlier in this run (the worker may not know)
                inputs.append((origin, doc_id, "duplicate", now))
                summary.duplicates += 1
            elif outcome == FAILED:
                errors.append((origin, path, offset, reason, now))
            elif outcome == ANALYSED:
                sig = signatures[doc_id]
                new_docs.append((doc_id, sig, minhash.bands(sig)))
                present.add(doc_id)
                inputs.append((origin, doc_id, "ingested", now))
                summary.ingested += 1
            else:  # a worker-side duplicate is always of a text merged before it
                raise RuntimeError(f"shard item {origin} is a duplicate of nothing merged")
        near = near_links(new_docs, self.store, earlier=self.fresh)
        self.fresh += [(doc_id, sig) for doc_id, sig, _ in new_docs]
        accepted = [doc_id for doc_id, _, _ in new_docs]
        if accepted and folder is not None:
            for table, column in (("documents", "id"), ("minhash_bands", "doc_id")):
                verb = "INSERT OR IGNORE" if table == "documents" else "INSERT"
                con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM "
                            f"{_shard_file(folder, table)} WHERE {column} IN (SELECT unnest(?))",
                            [accepted])
        insert_rows(con, "inputs", inputs, "INSERT OR IGNORE")
        if errors:
            con.executemany("INSERT OR REPLACE INTO ingest_errors VALUES (?, ?, ?, ?, ?)", errors)
            summary.errors += [f"{origin}: {reason}" for origin, _, _, reason, _ in errors]
        if inputs:  # an input that now succeeds is no longer an error
            con.execute("DELETE FROM ingest_errors WHERE origin IN (SELECT unnest(?))", [[r[0] for r in inputs]])
        insert_rows(con, "near_duplicates", near)
        summary.failed += len(errors)
        summary.near_duplicates += len(near)
        return accepted

    def record_failed_shard(self, shard: Shard, reason: str) -> None:
        """One error row per file of a shard the cluster gave up on (re-running the ingest retries them)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con = self.store.con
        con.execute("BEGIN")
        try:
            con.executemany("INSERT OR REPLACE INTO ingest_errors VALUES (?, ?, ?, ?, ?)",
                            [(path, path, None, reason, now) for path in shard.paths])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


# --------------------------------------------------------------------------- reading Parquet output


def parquet_tables(root: str | Path) -> dict[str, str]:
    """Table name → a ``read_parquet`` expression over every shard's file of it under ``root``."""
    root = Path(root)
    names = sorted({p.stem for p in root.glob("ingest_date=*/shard=*/*.parquet")})
    pattern = root / "ingest_date=*" / "shard=*"
    return {name: f"read_parquet({_sql_string(pattern / f'{name}.parquet')}, hive_partitioning = true, "
                  "union_by_name = true)" for name in names}


def parquet_connection(root: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table over the Parquet under ``root``
    (with the partition columns ``ingest_date`` and ``shard``)."""
    tables = parquet_tables(root)
    if not tables:
        raise FileNotFoundError(f"no newstrace Parquet under {root} (expected ingest_date=*/shard=*/TABLE.parquet)")
    con = duckdb.connect()
    for name, source in tables.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
    return con
