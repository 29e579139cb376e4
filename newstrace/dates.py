"""Publication dates as scraped news carries them, read strictly into a calendar date.

Accepted (the calendar date is taken as written, in the value's own time zone, as ``sources`` does for
feeds: converting to UTC would move a late-evening story to the next day, and relative dates in the text
count from the writer's day):

- ISO 8601: ``2016-12-13``, ``20161213``, ``2016-12-13T09:43:00Z``, ``2016-12-13 09:43:00+01:00``;
- RFC 2822 (RSS, e-mail, HTTP): ``Tue, 13 Dec 2016 09:43:00 GMT``, ``13 Dec 2016 09:43 +0100``;
- a day, an English month name and a four-digit year in any usual order: ``Dec 13, 2016``,
  ``13 December 2016``, ``Tuesday, December 13th, 2016 9:43 AM EST``.

Refused, with a reason naming the value: anything else, and in particular what would need a guess —
an all-numeric date other than ISO (``12/01/2016`` is 1 December or 12 January depending on the
writer), a two-digit year, a date without a day (``May 2016``), extra words (``Published: Dec 13,
2016``), relative dates (``yesterday``). python-dateutil reads the named-month forms; the guards
around it are what keep it from filling in a missing part with today's.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from dateutil import parser as dateutil_parser

ISO_FORM = re.compile(r"\d{4}-?\d{2}-?\d{2}(?:[T ].*)?", re.ASCII)
RFC2822_FORM = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                          r"(?:\s+(?:[+-]\d{4}|[A-Za-z]{1,5}))?", re.ASCII)
MONTH_NAME = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                        r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
WEEKDAY_NAME = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b", re.IGNORECASE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
ALL_NUMERIC = re.compile(r"[\d\s/.\-]+", re.ASCII)
MAX_CHARS = 80  # a date written out in words with a time and zone is under 50 characters
# Two defaults that differ in every field: a part the value lacks comes out differently from each.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))
EXPECTED = "a date such as 2016-12-13, 2016-12-13T09:43:00Z, Tue, 13 Dec 2016 09:43:00 GMT or Dec 13, 2016"


class DateError(ValueError):
    """A value that is not a publication date newstrace can read without guessing; the message says why."""


def parse_published(value: str) -> dt.date:
    """The calendar date of a publication date as written (see the module docstring); DateError otherwise."""
    text = " ".join(str(value).split())
    if not text:
        raise DateError("bad published date '': empty")
    if len(text) > MAX_CHARS:
        raise DateError(f"bad published date {text[:MAX_CHARS]!r}…: too long to be a date")
    if ISO_FORM.fullmatch(text):
        return _iso(text)
    if RFC2822_FORM.fullmatch(text):
        parsed = email.utils.parsedate_tz(text)
        if parsed is not None:
            return _weekday_agrees(text, _checked_date(text, *parsed[:3]))
    if ALL_NUMERIC.fullmatch(text):
        raise DateError(f"bad published date {text!r}: an all-numeric date other than YYYY-MM-DD is ambiguous "
                        f"(day or month first?) or incomplete; write it as YYYY-MM-DD")
    return _weekday_agrees(text, _named_month(text))


def _weekday_agrees(text: str, date: dt.date) -> dt.date:
    """``date``, unless ``text`` names another day of the week (then one of the two is wrong: no guess)."""
    named = WEEKDAY_NAME.search(text)
    if named and WEEKDAYS.index(named.group(1).lower()) != date.weekday():
        raise DateError(f"bad published date {text!r}: {date.isoformat()} is a {date.strftime('%A')}, "
                        f"not a {named.group(0)}")
    return date


def _iso(text: str) -> dt.date:
    try:
        return dateutil_parser.isoparse(text).date()
    except (ValueError, OverflowError):
        pass
    # An ISO date with a time in another spelling ("2016-12-13 09:43:00 GMT"): a four-digit year first leaves
    # no doubt about the order, so dateutil may read the rest.
    try:
        return _complete(text)
    except (ValueError, OverflowError):
        raise DateError(f"bad published date {text!r}: not a valid ISO 8601 date") from None


def _complete(text: str) -> dt.date:
    """The date dateutil reads in ``text``; ValueError when a part is missing (it would come from a default)."""
    first, second = (dateutil_parser.parse(text, default=d, ignoretz=True) for d in _DEFAULTS)
    if first.date() != second.date():
        raise ValueError("incomplete")
    return first.date()


def _checked_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"bad published date {text!r}: {exc}") from None


def _named_month(text: str) -> dt.date:
    if not MONTH_NAME.search(text):
        raise DateError(f"bad published date {text!r}: expected {EXPECTED}")
    if not FOUR_DIGIT_YEAR.search(text):
        raise DateError(f"bad published date {text!r}: the year must have four digits")
    try:
        first, second = (dateutil_parser.parse(text, default=d, ignoretz=True) for d in _DEFAULTS)
    except (ValueError, OverflowError) as exc:  # dateutil's ParserError is a ValueError
        reason = "not a real date" if "out of range" in str(exc) else f"expected {EXPECTED}"
        raise DateError(f"bad published date {text!r}: {reason}") from None
    if first.date() != second.date():
        raise DateError(f"bad published date {text!r}: it lacks a day, a month or a year")
    return first.date()
