"""The command line as a user runs it: real subprocesses, real files, clear one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = ("KABUL, August 16, 2021 — Taliban fighters seized the presidential palace on Sunday, "
           "officials said. The United Nations urged restraint.")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newstrace.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    (d / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "empty.txt").write_text("   \n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "latin.txt").write_bytes("Les négociations à Genève ont échoué, a déclaré le ministre.".encode("cp1252"))
    (d / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (d / "batch.jsonl").write_text(
        json.dumps({"id": "a1", "text": ARTICLE, "published": "2021-08-16", "title": "Kabul"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a3", "text": "Israel and Egypt agreed to reopen the crossing."}) + "\n"
        + json.dumps({"id": "a4", "text": "x", "published": "16/08/2021"}) + "\n",
        encoding="utf-8")
    (d / "huge.txt").write_text("War. " * 300_000, encoding="utf-8")
    return d


def test_json_output_is_the_model_with_exact_spans(inputs):
    result = run("analyze", str(inputs / "good.txt"))
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert analysis["schema_version"] and analysis["document"]["published"] == "2021-08-16"
    text = analysis["document"]["text"]
    for section in ("actors", "times", "places"):
        assert analysis[section], section
    for place in analysis["places"]:
        assert text[place["span"]["start"]:place["span"]["end"]] == place["span"]["text"]


def test_jsonl_batch_keeps_order_ids_and_reports_bad_lines(inputs):
    result = run("analyze", str(inputs / "batch.jsonl"), "--format", "jsonl")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["document"]["input_id"] for line in lines] == ["a1", "a3"]
    assert "batch.jsonl:2: invalid JSON" in result.stderr
    assert "batch.jsonl:4: bad published date '16/08/2021'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "empty file"),
    ("binary.txt", "binary file"),
    ("missing.txt", "no such file"),
    ("huge.txt", "over the limit"),
])
def test_bad_files_get_one_line_errors_and_the_batch_goes_on(inputs, name, reason):
    result = run("analyze", str(inputs / name), str(inputs / "good.txt"), "--format", "jsonl")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and name in errors[0] and reason in errors[0], result.stderr
    assert len(result.stdout.splitlines()) == 1  # the good file was still analysed
    assert "Traceback" not in result.stderr


def test_legacy_encodings_are_decoded(inputs):
    for name in ("latin.txt", "utf16.txt"):
        result = run("analyze", str(inputs / name))
        assert result.returncode == 0, result.stderr
        text = json.loads(result.stdout)["document"]["text"]
        assert "négociations" in text or "Taliban" in text


def test_bad_published_is_a_usage_error(inputs):
    result = run("analyze", str(inputs / "good.txt"), "--published", "yesterday")
    assert result.returncode == 2
    assert "--published" in result.stderr and "Traceback" not in result.stderr


def test_stdin_text_report_and_timings():
    result = run("analyze", "-", "--format", "text", "--timings", stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    assert "Actors" in result.stdout and "Taliban" in result.stdout
    assert "Who did what to whom" in result.stdout
    assert "nlp" in result.stderr and "loaded in" in result.stderr


def test_help_on_every_command():
    for args in (["--help"], ["analyze", "--help"], ["schema", "--help"], ["version", "--help"]):
        result = run(*args)
        assert result.returncode == 0 and "Usage" in result.stdout


def test_published_schema_is_current():
    result = run("schema")
    committed = Path(__file__).resolve().parent.parent / "docs" / "schema.json"
    assert json.loads(result.stdout) == json.loads(committed.read_text(encoding="utf-8")), \
        "docs/schema.json is stale: run `make schema`"


def test_eval_command_scores_a_given_path_and_writes_json(tmp_path):
    from conftest import SHARED

    data = SHARED / "eval" / "time" / "tempeval3" / "TBAQ-cleaned"
    if not data.exists():
        pytest.skip(f"no TempEval-3 data at {data} (tests that need ../shared skip without it)")
    out = tmp_path / "times.json"
    result = run("eval", "times", "--data", str(data), "--limit", "3", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "value_f1" in result.stdout and "dateparser" in result.stdout
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["task"] == "times" and scores["n_docs"] == 3


def test_eval_unknown_task_and_missing_data_are_clear_errors(tmp_path):
    assert run("eval", "nonsense").returncode == 2
    result = run("eval", "times", "--data", str(tmp_path / "absent"))
    assert result.returncode == 1 and "not found" in result.stderr and "Traceback" not in result.stderr


def test_scraped_publication_dates_are_read_and_non_dates_refused(tmp_path):
    """`analyze` and `ingest` read the date forms scraped news carries; a non-date is refused by name, the rest goes on."""
    forms = ["Tue, 13 Dec 2016 09:43:00 GMT", "Dec 13, 2016", "13 December 2016", "2016-12-13T23:30:00-05:00"]
    records = [{"id": f"d{i}", "text": f"{ARTICLE} Story {i}.", "published": form} for i, form in enumerate(forms)]
    records.append({"id": "bad", "text": f"{ARTICLE} Story x.", "published": "yesterday-ish"})
    corpus = tmp_path / "scraped.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    analysed = run("analyze", str(corpus), "--format", "jsonl")
    assert analysed.returncode == 1  # one input failed
    lines = [json.loads(line) for line in analysed.stdout.splitlines()]
    assert [(a["document"]["input_id"], a["document"]["published"]) for a in lines] == \
        [(f"d{i}", "2016-12-13") for i in range(len(forms))]
    assert all(not a["document"]["published_inferred"] for a in lines)
    assert "scraped.jsonl:5: bad published date 'yesterday-ish'" in analysed.stderr
    assert "Traceback" not in analysed.stderr

    db = tmp_path / "scraped.duckdb"
    ingested = run("ingest", str(corpus), "--db", str(db))
    assert ingested.returncode == 0, ingested.stderr
    assert "ingested 4" in ingested.stderr and "failed 1" in ingested.stderr
    assert "bad published date 'yesterday-ish'" in ingested.stderr
    days = run("sql", "SELECT DISTINCT published FROM documents", "--db", str(db), "--format", "csv")
    assert days.stdout.split() == ["published", "2016-12-13"]

    option = run("analyze", "-", "--published", "Dec 13, 2016", "--format", "jsonl", stdin=ARTICLE)
    assert option.returncode == 0 and json.loads(option.stdout)["document"]["published"] == "2016-12-13"
    ambiguous = run("analyze", "-", "--published", "12/01/2016", stdin=ARTICLE)
    assert ambiguous.returncode == 2 and "'12/01/2016'" in ambiguous.stderr and "ambiguous" in ambiguous.stderr


@pytest.mark.parametrize(("args", "named"), [
    (["events", "--since", "notadate"], "'notadate'"),
    (["events", "--until", "2024-02-30"], "'2024-02-30'"),
    (["events", "--type", "BOMBING"], "'BOMBING'"),
    (["events", "--status", "rumoured"], "'rumoured'"),
    (["stories", "--type", "BOMBING"], "'BOMBING'"),
    (["stories", "--since", "16/08/2021"], "'16/08/2021'"),
    (["actors", "--sector", "XYZ"], "'XYZ'"),
])
def test_malformed_filters_are_usage_errors_as_in_the_api(tmp_path, args, named):
    from newstrace.store import Store

    db = tmp_path / "empty.duckdb"
    Store(db).close()
    result = run(*args, "--db", str(db))
    assert result.returncode == 2, result.stderr
    assert named in result.stderr and "Traceback" not in result.stderr
    fine = run(args[0], "--db", str(db))
    assert fine.returncode == 0, fine.stderr
