"""Publication dates as scraped news writes them: the forms read into a calendar date, and the values refused
(with the value and the reason in the message) because reading them would take a guess."""

from __future__ import annotations

import datetime as dt

import pytest

from newstrace.dates import DateError, parse_published
from newstrace.pipeline import InputError, parse_date

DEC_13 = dt.date(2016, 12, 13)


@pytest.mark.parametrize("value", [
    "2016-12-13",
    "20161213",
    "2016-12-13T09:43:00Z",
    "2016-12-13T09:43:00.123456789Z",
    "2016-12-13T23:30:00-05:00",  # late evening in New York: still the 13th where it was written
    "2016-12-13T00:15:00+09:00",  # early morning in Tokyo: the 13th, not UTC's 12th
    "2016-12-13 09:43:00 GMT",
    "Tue, 13 Dec 2016 09:43:00 GMT",
    "Tue, 13 Dec 2016 09:43:00 +0100",
    "13 Dec 2016 09:43 -0500",
    "Dec 13, 2016",
    "Dec 13 2016",
    "December 13th, 2016",
    "13 December 2016",
    "13 dec. 2016",
    "Tuesday, December 13, 2016 9:43 AM EST",
    "  Dec 13,\n 2016 ",
])
def test_scraped_forms_read_as_the_day_they_name(value):
    assert parse_published(value) == DEC_13
    assert parse_date(value) == DEC_13  # the pipeline's entry point keeps its interface


@pytest.mark.parametrize(("value", "reason"), [
    ("yesterday-ish", "expected a date such as"),
    ("yesterday", "expected a date such as"),
    ("soon", "expected a date such as"),
    ("12/01/2016", "ambiguous"),  # 1 December or 12 January
    ("13.12.2016", "ambiguous"),
    ("2016", "ambiguous"),
    ("13 Dec 16", "four digits"),
    ("December 2016", "lacks a day"),
    ("Tuesday", "expected a date such as"),
    ("Dec 32, 2016", "not a real date"),
    ("2016-02-30", "ISO 8601"),
    ("2016-12-13 and then some", "ISO 8601"),
    ("Published: Dec 13, 2016", "expected a date such as"),
    ("Wed, 13 Dec 2016 09:43:00 GMT", "is a Tuesday"),
    ("Monday 13 December 2016", "is a Tuesday"),
    ("13. Dezember 2016", "expected a date such as"),
    ("Dec 13, 2016 " + "x" * 100, "too long"),
    ("   ", "empty"),
])
def test_what_is_not_a_date_is_refused_with_the_value_and_why(value, reason):
    with pytest.raises(DateError) as caught:
        parse_published(value)
    message = str(caught.value)
    assert reason in message
    shown = " ".join(value.split())[:20]
    assert shown in message, "the message names the value"
    with pytest.raises(InputError, match=reason):
        parse_date(value)


def test_no_date_is_none():
    assert parse_date(None) is None and parse_date("") is None
