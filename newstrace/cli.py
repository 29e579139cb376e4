"""The ``newstrace`` command line."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from newstrace import __version__

app = typer.Typer(
    name="newstrace",
    help="Read news about conflict and diplomacy: who did what to whom, who says so, with a source for every item.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def _fail_usage(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Article files: .txt, .jsonl (one article per line), or - for stdin.")],
    published: Annotated[str | None, typer.Option(help="Publication date for every article that lacks one: 2016-12-13, "
                                                       "\"Tue, 13 Dec 2016 09:43:00 GMT\", \"Dec 13, 2016\"...")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f",
                                                        help="json, jsonl (one line per article) or text.")] = OutputFormat.json,
    timings: Annotated[bool, typer.Option("--timings", help="Print model load and per-stage timings to stderr.")] = False,
    max_chars: Annotated[int, typer.Option(help="Refuse articles longer than this many characters.")] = 1_000_000,
) -> None:
    """Analyse articles: actors, times, places, statements, events and responsibility, with spans."""
    from newstrace.ingest import ArticleError, read_articles
    from newstrace.pipeline import InputError, Pipeline, parse_date

    started = time.perf_counter()
    try:
        parse_date(published)
    except InputError as exc:
        _fail_usage(f"--published: {exc}")
    pipeline = Pipeline(max_chars=max_chars)
    failures = 0
    results = []
    for path in paths:
        for item in read_articles(path, published):
            if isinstance(item, ArticleError):
                failures += 1
                err.print(f"[red]error:[/red] {item}")
                continue
            try:
                analysis = pipeline.analyze_article(item)
            except InputError as exc:
                failures += 1
                err.print(f"[red]error:[/red] {path}: {exc}")
                continue
            results.append(analysis)
            if output_format is OutputFormat.jsonl:
                sys.stdout.write(analysis.model_dump_json() + "\n")
            elif output_format is OutputFormat.text:
                from newstrace.report import print_report

                print_report(analysis)
            if timings:
                _print_timings(analysis.timings, path)
    if output_format is OutputFormat.json:
        payload = [r.model_dump(mode="json") for r in results]
        sys.stdout.write(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2) + "\n")
    if timings:
        err.print(f"model and dictionaries loaded in {pipeline.load_seconds:.2f} s; "
                  f"total wall time {time.perf_counter() - started:.2f} s")
    if failures:
        err.print(f"{failures} input(s) failed, {len(results)} analysed")
        raise typer.Exit(1)


def _print_timings(timings: dict[str, float], path: str) -> None:
    stages = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in timings.items())
    err.print(f"{path}: {stages}")


DbOption = Annotated[Path, typer.Option("--db", help="The DuckDB store file.")]
LockTimeout = Annotated[float, typer.Option(min=0, help="Seconds to wait while another process (a running `serve`, "
                                                        "`ingest` or `link`) has the store open.")]


def _open_shared_store(db: Path, lock_timeout: float):
    """The store for a writer that shares the file: open only while a batch is read or written, so that a
    running ``serve`` keeps answering and shows what was written (docs/store.md, "Concurrent use")."""
    from newstrace.store import Store, StoreError

    try:
        return Store(db, hold=False, lock_timeout=lock_timeout, on_wait=lambda line: err.print(line, markup=False))
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders: .txt, .html, .jsonl, RSS/Atom, WARC(.gz), "
                                                    "Reuters .sgm, TimeML .tml; - for stdin.")],
    db: DbOption = Path("newstrace.duckdb"),
    published_from_filename: Annotated[bool, typer.Option(help="Take a YYYY-MM-DD date from file names.")] = False,
    source: Annotated[str | None, typer.Option(help="Outlet name for every article.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any input failed.")] = False,
    batch: Annotated[int, typer.Option(help="Articles per transaction.")] = 50,
    cluster: Annotated[str | None, typer.Option(help="Run on Dask: a scheduler address (tcp://host:8786) or local[:N] "
                                                     "for N local worker processes (docs/scaling.md).")] = None,
    parquet: Annotated[Path | None, typer.Option(help="With --cluster: keep each shard's records as Parquet in this "
                                                      "folder (shared by all workers).")] = None,
    parquet_only: Annotated[bool, typer.Option(help="With --cluster and --parquet: leave the records as Parquet "
                                                    "instead of merging them into --db.")] = False,
    shard_files: Annotated[int, typer.Option(min=1, help="With --cluster: one-article files per shard (WARC, JSONL, "
                                                         "feed and SGML files are a shard each).")] = 100,
    lock_timeout: LockTimeout = 600.0,
) -> None:
    """Analyse a corpus into the store; re-running adds only what is new. Works while `newstrace serve` runs on
    the same store: the file is opened only to read and write each batch."""
    from newstrace.corpus import ingest as run_ingest
    from newstrace.pipeline import Pipeline
    from newstrace.store import StoreError

    if cluster is None and (parquet or parquet_only):
        _fail_usage("--parquet and --parquet-only work with --cluster")
    if parquet_only and parquet is None:
        _fail_usage("--parquet-only needs --parquet DIR")
    if cluster is not None:
        _ingest_on_cluster(paths, cluster, None if parquet_only else db, parquet, shard_files=shard_files,
                           published_from_filename=published_from_filename, source=source, batch=batch, strict=strict)
        return
    store = _open_shared_store(db, lock_timeout)
    pipeline = Pipeline()
    try:
        with store, _ingest_progress() as progress:
            summary = run_ingest(paths, store, pipeline, published_from_filename=published_from_filename,
                                 source=source, batch_size=batch, on_progress=progress)
    except StoreError as exc:  # another process kept the file past --lock-timeout; written batches stay
        err.print(f"[red]error:[/red] {exc}; what was ingested before stays, re-run to go on")
        raise typer.Exit(1) from None
    rate = summary.ingested / summary.seconds if summary.seconds else 0.0
    err.print(f"ingested {summary.ingested}, skipped (already in the store) {summary.skipped}, duplicates "
              f"{summary.duplicates}, near-duplicate links {summary.near_duplicates}, failed {summary.failed} "
              f"in {summary.seconds:.1f} s ({rate:.1f} articles/s) → {db}")
    _report_failures(summary.errors, summary.failed, strict)


def _ingest_on_cluster(paths: list[str], cluster: str, db: Path | None, parquet: Path | None, *, shard_files: int,
                       published_from_filename: bool, source: str | None, batch: int, strict: bool) -> None:
    """``ingest --cluster``: shards on Dask, Parquet per shard, merged into ``db`` unless it is None."""
    import contextlib

    from newstrace.distributed import ClusterError, cluster_ingest, open_client
    from newstrace.store import Store, StoreError

    out = parquet or Path(f"{db}.shards")
    try:
        store = Store(db) if db is not None else None
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    try:
        with store or contextlib.nullcontext(), open_client(cluster) as client, _ingest_progress() as progress:
            summary = cluster_ingest(paths, client, out=out, store=store, files_per_shard=shard_files,
                                     published_from_filename=published_from_filename, source=source, batch_size=batch,
                                     keep_parquet=parquet is not None, on_progress=progress)
    except ClusterError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    rate = summary.ingested / summary.seconds if summary.seconds else 0.0
    peaks = summary.peak_rss_by_worker()
    target = db if db is not None else f"Parquet in {out} (query it with `newstrace sql --parquet {out}`)"
    err.print(f"ingested {summary.ingested}, skipped (already in the store) {summary.skipped}, duplicates "
              f"{summary.duplicates}, near-duplicate links {summary.near_duplicates}, failed {summary.failed} "
              f"in {summary.seconds:.1f} s ({rate:.1f} articles/s) on {len(peaks)} worker(s), {summary.shards} shards "
              f"({summary.shards_failed} failed), peak worker RSS {max(peaks.values(), default=0) / 2**20:.0f} MB → {target}")
    _report_failures(summary.errors, summary.failed, strict)


def _report_failures(errors: list[str], failed: int, strict: bool) -> None:
    """The first failures as warnings; exit 1 under ``--strict`` when any input failed."""
    for problem in errors[:20]:
        err.print(f"[yellow]warning:[/yellow] {problem}")
    if len(errors) > 20:
        err.print(f"… and {len(errors) - 20} more (see the ingest_errors table)")
    if strict and failed:
        raise typer.Exit(1)


def _ingest_progress():
    """A rich progress line on a terminal, plain log lines otherwise."""
    import contextlib

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def plain():
        def report(summary) -> None:
            err.print(f"{summary.seen} inputs, {summary.ingested} ingested, {summary.failed} errors, "
                      f"{summary.ingested / max(summary.seconds, 1e-9):.1f} articles/s")
        yield report

    @contextlib.contextmanager
    def fancy():
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task("starting")

            def report(summary) -> None:
                bar.update(task, description=f"{summary.seen} inputs · {summary.ingested} ingested · "
                                             f"{summary.ingested / max(summary.seconds, 1e-9):.1f} articles/s · "
                                             f"{summary.failed} errors")
            yield report

    return fancy() if err.is_terminal else plain()


class RowFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _print_rows(columns: list[str], rows: list[tuple], fmt: RowFormat, hidden: set[str] = frozenset()) -> None:
    from newstrace.queries import write_rows

    if fmt is RowFormat.table:
        from rich.table import Table

        shown = [i for i, c in enumerate(columns) if c not in hidden]
        table = Table(*[columns[i] for i in shown])
        for row in rows:
            table.add_row(*["" if row[i] is None else str(row[i]) for i in shown])
        Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)
    else:
        write_rows(columns, rows, fmt.value)


def _checked_filters(**filters: str | None) -> dict[str, str | None]:
    """The filters checked and normalised as the API checks them (``newstrace.filters``); a malformed date or
    an unknown type, status or sector is a usage error (exit 2) naming the value."""
    from newstrace.filters import FilterError, validate_filters

    try:
        return validate_filters(**filters)
    except FilterError as exc:
        _fail_usage(str(exc))


def _open_store(db: Path):
    from newstrace.store import Store, StoreError

    try:
        return Store(db, read_only=True)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


@app.command()
def events(
    db: DbOption = Path("newstrace.duckdb"),
    actor: Annotated[str | None, typer.Option(help="Source actor: country code (IRN) or part of a name.")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor: country code or part of a name.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    status: Annotated[str | None, typer.Option(
        help="asserted, reported, alleged, planned, denied, negated, hypothetical.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date (YYYY-MM-DD, YYYY-MM or YYYY).")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date (YYYY-MM-DD, YYYY-MM or YYYY).")] = None,
    place: Annotated[str | None, typer.Option(help="Place name or country code.")] = None,
    limit: Annotated[int, typer.Option(help="At most N events.")] = 100,
    mentions: Annotated[bool, typer.Option("--mentions", help="One row per mention of each listed event (incident), "
                                                               "with its sentence.")] = False,
    output_format: Annotated[RowFormat, typer.Option("--format", "-f")] = RowFormat.table,
) -> None:
    """List events (one per incident) from the store, newest first."""
    from newstrace.queries import EventFilter, event_mention_rows, event_rows

    f = _checked_filters(type=event_type, status=status, since=since, until=until)
    with _open_store(db) as store:
        columns, rows = event_rows(store, EventFilter(actor, target, f["type"], f["status"], f["since"], f["until"],
                                                      place, limit))
        if mentions:
            ids = columns.index("doc_id"), columns.index("event_id")
            columns, rows = event_mention_rows(store, [(row[ids[0]], row[ids[1]]) for row in rows])
            _print_rows(columns, rows, output_format, hidden={"start", "end"})
            return
    _print_rows(columns, rows, output_format, hidden={"doc_id", "trigger_start", "trigger_end", "title"})


@app.command()
def statements(
    db: DbOption = Path("newstrace.duckdb"),
    speaker: Annotated[str | None, typer.Option(help="Country code or part of the speaker's name.")] = None,
    limit: Annotated[int, typer.Option(help="At most N statements.")] = 100,
    output_format: Annotated[RowFormat, typer.Option("--format", "-f")] = RowFormat.table,
) -> None:
    """List statements (who said what) from the store."""
    from newstrace.queries import statement_rows

    with _open_store(db) as store:
        columns, rows = statement_rows(store, speaker, limit)
    _print_rows(columns, rows, output_format, hidden={"doc_id", "title"})


@app.command()
def actors(
    db: DbOption = Path("newstrace.duckdb"),
    top: Annotated[int, typer.Option(help="How many actors.")] = 20,
    sector: Annotated[str | None, typer.Option(help="Only this PLOVER sector, e.g. GOV or MIL.")] = None,
    output_format: Annotated[RowFormat, typer.Option("--format", "-f")] = RowFormat.table,
) -> None:
    """The actors named in the most documents."""
    from newstrace.queries import top_actors

    checked = _checked_filters(sector=sector)
    with _open_store(db) as store:
        columns, rows = top_actors(store, top, checked["sector"])
    _print_rows(columns, rows, output_format)


@app.command()
def stats(db: DbOption = Path("newstrace.duckdb")) -> None:
    """Counts per event type, per month and per country pair."""
    from newstrace.queries import stats as compute

    with _open_store(db) as store:
        counts = store.counts()
        tables = compute(store)
    typer.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))
    for title, (columns, rows) in tables.items():
        typer.echo(f"\n{title}")
        _print_rows(columns, rows, RowFormat.table)


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help="Optional input files or folders: every record read "
                                                           "from them must be an input or an error row.")] = None,
    db: DbOption = Path("newstrace.duckdb"),
) -> None:
    """Verify a store's integrity (read-only): schema version, duplicates, orphan rows, spans, inputs, errors.
    Exit 0 when clean, 1 with the problems listed."""
    from newstrace.check import check_store

    report = check_store(db, inputs=paths or None)
    for line in report.lines():
        typer.echo(line)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def link(
    db: DbOption = Path("newstrace.duckdb"),
    rebuild: Annotated[bool, typer.Option(help="Forget all stories and link every event again.")] = False,
    lock_timeout: LockTimeout = 600.0,
) -> None:
    """Group the events of all documents into stories (one real-world event each); incremental. Works while
    `newstrace serve` or `ingest` runs on the same store (the file is open only to read and to write)."""
    from newstrace.link import LinkConflictError, link_store
    from newstrace.store import StoreError

    store = _open_shared_store(db, lock_timeout)
    try:
        with store, _link_progress() as progress:
            summary = link_store(store, rebuild=rebuild, progress=progress)
    except (StoreError, LinkConflictError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    err.print(summary.line())


def _link_progress():
    """A progress callback for linking: a rich bar on a terminal, a log line per step otherwise."""
    import contextlib

    if not err.is_terminal:
        @contextlib.contextmanager
        def plain():
            def report(step: str, done: int, total: int) -> None:
                err.print(f"{step}: {done}/{total}")
            yield report
        return plain()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def fancy():
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            tasks: dict[str, int] = {}

            def report(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)
            yield report
    return fancy()


@app.command()
def stories(
    db: DbOption = Path("newstrace.duckdb"),
    actor: Annotated[str | None, typer.Option(help="Country code (IRN) or part of an actor's name.")] = None,
    since: Annotated[str | None, typer.Option(help="Stories ending on or after this date (YYYY-MM-DD, YYYY-MM or "
                                                   "YYYY).")] = None,
    until: Annotated[str | None, typer.Option(help="Stories starting on or before this date (YYYY-MM-DD, YYYY-MM or "
                                                   "YYYY).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    disputed: Annotated[bool, typer.Option("--disputed", help="Only stories whose reports disagree.")] = False,
    limit: Annotated[int, typer.Option(help="At most N stories.")] = 50,
    output_format: Annotated[RowFormat, typer.Option("--format", "-f")] = RowFormat.table,
) -> None:
    """List stories (events merged across articles), disputed and most-reported first."""
    from newstrace.filters import first_day, last_day
    from newstrace.stories import has_stories, story_rows

    checked = _checked_filters(since=since, until=until, type=event_type)
    since, until, event_type = first_day(checked["since"]), last_day(checked["until"]), checked["type"]
    with _open_store(db) as store:
        if not has_stories(store):
            err.print("this store predates stories: run `newstrace link` on it")
            raise typer.Exit(1)
        columns, rows = story_rows(store, actor, since, until, event_type, disputed, limit)
        if not rows and not store.con.execute("SELECT count(*) FROM stories").fetchone()[0]:
            err.print("no stories in this store yet: run `newstrace link` on it")
    at = columns.index("disagreements")
    if output_format == RowFormat.table:
        actors_at = columns.index("actors")
        rows = [(*r[:actors_at], ", ".join(r[actors_at][:3]), *r[actors_at + 1:at],
                 "; ".join(d["kind"] for d in json.loads(r[at] or "[]"))) for r in rows]
    elif output_format == RowFormat.json:
        rows = [(*r[:at], json.loads(r[at] or "[]")) for r in rows]
    _print_rows(columns, rows, output_format, hidden={"mode", "date_from", "date_to", "killed_max", "summary"}
                if output_format == RowFormat.table else set())


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id from `newstrace stories`.")],
    db: DbOption = Path("newstrace.duckdb"),
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """One story: every report side by side, with each claim's source, and the disagreements."""
    from newstrace.report import story_text
    from newstrace.stories import has_stories, load_story

    with _open_store(db) as store:
        found = load_story(store, story_id) if has_stories(store) else None
    if found is None:
        err.print(f"[red]error:[/red] no story {story_id!r} in {db} (list them with `newstrace stories`)")
        raise typer.Exit(1)
    if output_format == OutputFormat.text:
        typer.echo(story_text(found))
    else:
        typer.echo(found.model_dump_json(indent=2 if output_format == OutputFormat.json else None))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A SQL query (the store is opened read-only).")],
    db: DbOption = Path("newstrace.duckdb"),
    output_format: Annotated[RowFormat, typer.Option("--format", "-f")] = RowFormat.table,
    parquet: Annotated[Path | None, typer.Option(help="Query the Parquet that `ingest --cluster --parquet DIR` wrote "
                                                      "instead of --db: one view per table (documents, events, ...).")] = None,
) -> None:
    """Run SQL on the store, read-only (read_parquet('DIR/*/*/events.parquet') works too)."""
    import duckdb

    from newstrace.queries import run_sql
    from newstrace.store import StoreError

    try:
        if parquet is not None:
            from newstrace.distributed import parquet_connection

            cursor = parquet_connection(parquet).execute(query)
            columns, rows = [d[0] for d in cursor.description or []], cursor.fetchall()
        else:
            columns, rows = run_sql(db, query)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    except (duckdb.Error, StoreError) as exc:
        err.print(f"[red]error:[/red] {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from None
    _print_rows(columns, rows, output_format)


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="Output file.")],
    db: DbOption = Path("newstrace.duckdb"),
    output_format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, parquet, plover or gdelt.")] = "jsonl",
) -> None:
    """Export every event: JSON lines, CSV, Parquet, PLOVER/POLECAT JSON lines or a GDELT 2.0 event table."""
    from newstrace.queries import EXPORT_FORMATS
    from newstrace.queries import export as run_export

    if output_format not in EXPORT_FORMATS:
        _fail_usage(f"unknown format {output_format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    with _open_store(db) as store:
        count = run_export(store, output_format, output)
    err.print(f"{count} events written to {output} ({output_format})")


@app.command()
def serve(
    db: DbOption = Path("newstrace.duckdb"),
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_ingest: Annotated[bool, typer.Option(help="Enable POST /ingest (writes to the store; needs a bearer "
                                                    "token in NEWSTRACE_TOKEN).")] = False,
    analyze_timeout: Annotated[float, typer.Option(help="Seconds a caller waits for an analysis (then 504).")] = 60.0,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (then 413).")] = 1_000_000,
    max_pending: Annotated[int, typer.Option(min=1, help="Analyses queued or running before new ones get 503.")] = 8,
    allowed_host: Annotated[list[str] | None, typer.Option(help="A Host name the server answers to (repeatable; "
                                                                "default: the loopback names when --host is loopback, "
                                                                "any name otherwise).")] = None,
    read_wait: Annotated[float, typer.Option(min=0, help="Seconds a request waits while `ingest` or `link` writes "
                                                         "a batch to the store (then 503).")] = 15.0,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json) and the web pages over the store. The server keeps no
    hold on the store between requests: `ingest` and `link` can write to it meanwhile, and pages show
    what they wrote without a restart."""
    import os

    import uvicorn

    from newstrace.api import LOOPBACK_HOSTS, create_app, limit_malloc_arenas
    from newstrace.store import StoreError

    limit_malloc_arenas()  # before the server's and DuckDB's threads start (docs/reliability.md, Load)

    token = os.environ.get("NEWSTRACE_TOKEN") or None
    if allow_ingest and not token:
        _fail_usage("--allow-ingest needs a bearer token: set NEWSTRACE_TOKEN")
    # On loopback, refuse other Host names: a DNS-rebinding page would otherwise reach the server under its own.
    hosts = allowed_host or (list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else None)
    try:
        web = create_app(db, allow_ingest=allow_ingest, token=token, analyze_timeout=analyze_timeout, max_body=max_body,
                         max_pending=max_pending, allowed_hosts=hosts, read_wait=read_wait)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    shown = f"[{host}]" if ":" in host else host
    err.print(f"newstrace serving {db} at http://{shown}:{port}/ (API description at /openapi.json; Ctrl-C stops)")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        err.print(f"[yellow]warning:[/yellow] listening on {host}: other machines can reach this server")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command("eval")
def evaluate(
    task: Annotated[str, typer.Argument(help="A task name (times, places, attribution, factuality, "
                                             "events-class, events-actors, events-type, events-precision, "
                                             "events-args, events-codes, coref) or 'all'.")],
    data: Annotated[list[Path] | None, typer.Option("--data", help="Dataset path(s) in the task's format "
                                                    "(default: its data under ../shared/eval).")] = None,
    limit: Annotated[int | None, typer.Option(help="At most N documents per task (0 = no cap; default: the task's cap).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the results as JSON here.")] = None,
    accuracy_md: Annotated[Path | None, typer.Option("--accuracy-md", help="With 'all': write the accuracy table "
                                                     "here (default docs/accuracy.md).")] = None,
) -> None:
    """Score newstrace on public gold data, with simple peers run side by side."""
    from newstrace.evaluation import TASKS, default_shared_root, render_table, run_all, run_task, write_accuracy_md, write_json
    from newstrace.pipeline import Pipeline

    out = Console(highlight=False)
    if task != "all" and task not in TASKS:
        _fail_usage(f"unknown task {task!r}; known: {', '.join(TASKS)}, all")
    pipeline = Pipeline()
    if task == "all":
        if data:
            _fail_usage("--data applies to one task; 'all' reads every task's data under ../shared/eval")
        root = default_shared_root()
        if not root.exists():
            err.print(f"[red]error:[/red] no evaluation data at {root} (set NEWSTRACE_SHARED_EVAL)")
            raise typer.Exit(1)
        results = run_all(root, limit, pipeline, on_result=lambda r: out.print(render_table(r)))
        write_accuracy_md(results, accuracy_md or Path("docs/accuracy.md"))
        err.print(f"accuracy table written to {accuracy_md or 'docs/accuracy.md'}")
    else:
        try:
            results = [run_task(task, list(data) if data else None, limit, pipeline)]
        except FileNotFoundError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        out.print(render_table(results[0]))
    for result in results:
        for problem in result.errors:
            err.print(f"[yellow]warning:[/yellow] {result.task}: {problem}")
    if json_out:
        write_json(results, json_out)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of an analysis (docs/schema.json)."""
    from newstrace.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def version() -> None:
    """Print the newstrace, schema and model versions."""
    from newstrace.model import SCHEMA_VERSION
    from newstrace.nlp import model_version

    typer.echo(f"newstrace {__version__}, schema {SCHEMA_VERSION}, model {model_version()}")


def main() -> None:
    """Entry point of the ``newstrace`` script."""
    app()


if __name__ == "__main__":
    main()
