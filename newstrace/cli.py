"""The ``newstrace`` command line."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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


def _fail_usage(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Article files: .txt, .jsonl (one article per line), or - for stdin.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for every article that lacks one.")] = None,
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


@app.command("eval")
def evaluate(
    task: Annotated[str, typer.Argument(help="A task name (times, places, attribution, factuality, events-class, "
                                             "events-actors, events-type, events-args, coref) or 'all'.")],
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
