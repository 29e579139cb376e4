"""A short, deterministic run of every fuzz target (fuzz/targets.py), and the crashes fuzzing found, as regressions.

The long runs are ``make fuzz``; here each target gets a few dozen derandomized hypothesis examples, with no
example database, so that CI sees the same inputs every time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # fuzz/ sits beside newstrace/, not inside it

from fuzz import targets  # needs the path above
from fuzz.strategies import inputs, news_text
from newstrace.pipeline import InputError, Pipeline
from newstrace.sources import RawArticle, SourceError

CI = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
READERS = ["html", "feed", "xml", "warc", "warc_gz", "jsonl", "reuters", "timeml", "text"]


@pytest.mark.parametrize("name", READERS)
def test_reader_contract_on_fuzzed_input(name: str) -> None:
    @settings(CI, max_examples=40)
    @given(inputs(name))
    def run(data: bytes) -> None:
        targets.TARGETS[name](data)

    run()


@settings(CI, max_examples=150)
@given(inputs("dates"))
def test_date_normaliser_contract_on_fuzzed_text(data: bytes) -> None:
    targets.check_dates(data)


def test_pipeline_contract_on_fuzzed_text(pipeline: Pipeline) -> None:
    @settings(CI, max_examples=25)
    @given(news_text(), st.sampled_from([None, "2021-01-02", "0001-01-01", "9999-12-31"]))
    def run(text: str, published: str | None) -> None:
        targets.check_analysis_of(pipeline, text, published)

    run()


def test_the_contract_checker_catches_a_broken_span(pipeline: Pipeline) -> None:
    # The checker must be able to fail: a span whose text does not match its offsets is reported.
    analysis = pipeline.analyze("Iran's foreign minister said on Monday that Iraq attacked the base.")
    assert analysis.actors
    analysis.actors[0].mentions[0].text += "x"
    with pytest.raises(targets.ContractViolation, match="span text"):
        targets.check_analysis(analysis, analysis.document.text)


# --------------------------------------------------------------------------- adversarial pipeline input


ADVERSARIAL = {
    "zero_width_and_controls": "Iran\u200b attacked\u200d Iraq\x01 on\u2060 Monday,\x0b the\ufeff minister\u202e said. " * 20,
    "mixed_scripts": "Президент Ирана said 伊朗 attacked طهران on Monday 🇮🇷, officials \u0301said. " * 20,
    "nested_parens_and_quotes": "( [ \u201c ' " * 300 + "Iran attacked Iraq, the minister said" + " ' \u201d ] )" * 300,
    "unbalanced_quotes": '"The minister said ' * 400 + "hello",
    "long_token_at_the_limit": "Iran said " + "a" * 1000 + " on Monday.",
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_pipeline_contract_on_adversarial_text(pipeline: Pipeline, name: str) -> None:
    text = ADVERSARIAL[name]
    analysis = targets.check_analysis_of(pipeline, text)
    assert analysis is not None, "short adversarial text is analysed, not refused"


def test_a_100k_character_sentence_is_analysed_with_every_span_in_place(pipeline: Pipeline) -> None:
    # One sentence, no full stop: the sentence cap splits it so that the stages stay linear (docs/reliability.md).
    text = " ".join(["and the long grey road near the old river of Baghdad"] * 2000) + " , the minister said"
    assert len(text) > 100_000
    analysis = targets.check_analysis_of(pipeline, text)
    assert analysis is not None and analysis.places


# --------------------------------------------------------------------------- regressions: crashes fuzzing found


def test_regression_relative_dates_from_the_first_and_last_days_of_the_calendar(pipeline: Pipeline) -> None:
    # OverflowError / ValueError: "two days ago" counted from 0001-01-01, "next year" from 9999-12-31.
    for published in ("0001-01-01", "9999-12-31"):
        analysis = pipeline.analyze("He left two days ago and returns tomorrow, next week and next year.", published)
        targets.check_analysis(analysis, analysis.document.text)
    targets.check_date_text("last month, 2 days ago, tomorrow")


def test_regression_feed_with_a_bogus_byte_in_its_encoding_declaration() -> None:
    # feedparser raised UnicodeDecodeError; the guard turned it into an "unexpected error".
    data = (b'<?xml version="1.0" encoding="\x80utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>'
            b"<entry><title>T</title><content>Talks resumed.</content></entry></feed>")
    items = targets.read_as(data, ".xml")
    assert [type(i) for i in items] in ([SourceError], [RawArticle])


def test_regression_jsonl_file_of_a_byte_order_mark_only() -> None:
    # Gave nothing at all: the file was neither ingested nor an error row.
    items = targets.read_as(b"\xff\xfe", ".jsonl")
    assert len(items) == 1 and isinstance(items[0], SourceError) and "no articles" in items[0].reason


def test_regression_text_file_of_one_no_break_space() -> None:
    # Gave an article whose text was whitespace only (b"\xa0" is a no-break space in Windows-1252).
    for data in (b"\xa0", b"\xa0\r\n\xa0"):
        items = targets.read_as(data, ".txt")
        assert len(items) == 1 and isinstance(items[0], SourceError) and "whitespace" in items[0].reason


def test_regression_quotations_nested_thousands_deep_finish(pipeline: Pipeline) -> None:
    # 3,000 nested "The minister said ... " in one sentence took 9 minutes (2,000: minutes) in the statements stage;
    # the sentence cap makes it seconds. A pytest-independent deadline guards against a hang.
    text = '"The minister said ' * 2000 + "hello" + ' "' * 2000
    script = ("import sys; from fuzz.targets import check_analysis_of, pipeline; "
              "text = sys.stdin.read(); assert check_analysis_of(pipeline(), text) is not None; print('ok')")
    done = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_input_error_is_the_documented_refusal(pipeline: Pipeline) -> None:
    for text in (" \n\t ", "(" * 5000 + "x"):
        assert targets.check_analysis_of(pipeline, text) is None
    with pytest.raises(InputError):
        pipeline.analyze(" \n\t ")
