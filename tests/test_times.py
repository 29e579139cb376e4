"""Time expressions on sentences written for these tests, normalised against a known anchor."""

from __future__ import annotations

import datetime as dt

import pytest

from newstrace.times import find_times, infer_published

ANCHOR = dt.date(2023, 3, 15)  # a Wednesday


def _one(text: str, anchor: dt.date | None = ANCHOR):
    found = find_times(text, anchor)
    assert found, f"no time expression found in {text!r}"
    return found[0], text[found[0].start:found[0].end]


@pytest.mark.parametrize(("text", "value", "precision", "extent"), [
    ("The ceasefire began on March 3, 2021 at dawn.", "2021-03-03", "day", "March 3, 2021"),
    ("Talks resumed on 4 July 2019 in Doha.", "2019-07-04", "day", "4 July 2019"),
    ("The attack came in February 2020.", "2020-02", "month", "February 2020"),
    ("Troops left in January.", "2023-01", "month", "January"),
    ("Elections are due next May.", "2023-05", "month", "next May"),
    ("The envoy arrived late on Sunday.", "2023-03-12", "day", "late on Sunday"),
    ("Officials met on Monday morning.", "2023-03-13TMO", "time", "Monday morning"),
    ("Rockets hit the base yesterday.", "2023-03-14", "day", "yesterday"),
    ("The minister will travel tomorrow.", "2023-03-16", "day", "tomorrow"),
    ("Clashes erupted earlier this month.", "2023-03", "month", "earlier this month"),
    ("Sanctions were imposed last year.", "2022", "year", "last year"),
    ("The deal was signed last week.", "2023-W10", "week", "last week"),
    ("The town fell two days ago.", "2023-03-13", "day", "two days ago"),
    ("The war began three years ago.", "2020", "year", "three years ago"),
    ("Fighting lasted for three weeks.", "P3W", "duration", "three weeks"),
    ("The siege has lasted 18 months.", "P18M", "duration", "18 months"),
    ("Patrols run every week.", "P1W", "set", "every week"),
    ("The blast happened at 3:30 p.m.", "2023-03-15T15:30", "time", "3:30 p.m."),
    ("The group was founded in 1987.", "1987", "year", "1987"),
    ("Relations soured in the 1990s.", "199", "decade", "the 1990s"),
    # TempEval-3 extents keep "the" of a time noun phrase
    ("An offensive is planned for the summer of 2024.", "2024-SU", "season", "the summer of 2024"),
    ("Profits rose in the first quarter of 2022.", "2022-Q1", "quarter", "the first quarter of 2022"),
    ("The ministry is currently reviewing the case.", "PRESENT_REF", "ref", "currently"),
    ("Talks held on 2022-11-30 failed.", "2022-11-30", "day", "2022-11-30"),
])
def test_normalises(text, value, precision, extent):
    found, matched = _one(text)
    assert (found.value, found.precision) == (value, precision)
    assert matched == extent


def test_a_year_that_is_a_count_is_not_a_date():
    assert find_times("Some 2000 troops and 1500 police were deployed.", ANCHOR) == []


def test_date_without_year_takes_the_nearest_year():
    found, _ = _one("The talks on December 28 collapsed.", dt.date(2021, 1, 2))
    assert found.value == "2020-12-28"


def test_no_anchor_leaves_relative_dates_unresolved():
    found = find_times("The strike happened yesterday.", None)
    assert found == []
    found, _ = _one("The strike happened on 3 January 2020.", None)
    assert found.value == "2020-01-03"


def test_publication_date_inferred_from_latest_full_date():
    text = "The attack of 3 January 2020 was recalled.\n— A. Writer (@writer) January 2, 2021"
    assert infer_published(text) == dt.date(2021, 1, 2)
    assert infer_published("No dates in this text at all.") is None


def test_invalid_calendar_dates_are_ignored():
    assert all(f.value != "2021-02-30" for f in find_times("Nothing happened on February 30, 2021.", ANCHOR))


@pytest.mark.parametrize(("text", "value", "extent"), [
    ("In January, the talks resumed.", "2023-01", "January"),
    ("Late December saw heavy fighting.", "2022-12", "Late December"),
    ("Last Wednesday the envoy left.", "2023-03-08", "Last Wednesday"),
])
def test_sentence_initial_modifiers(text, value, extent):
    found, matched = _one(text)
    assert (found.value, matched) == (value, extent)


def test_entity_fallback_keeps_counts_out(pipeline):
    analysis = pipeline.analyze("The army sent 2000 soldiers to the border.", published="2023-03-15")
    assert [t.value for t in analysis.times] == []
