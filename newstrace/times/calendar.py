"""Calendar arithmetic for normalising time expressions: which year, week or day a partial or
relative expression names, given the reference date and the tense of its clause.

Tense is "past", "present", "future" or None (unknown). A past clause looks backwards from the
reference date, a future one forwards; with no tense the nearest reading wins, as before.
"""

from __future__ import annotations

import calendar
import datetime as dt

from newstrace.times.words import SMALLER_UNIT, TIME_UNITS, UNIT_CODES

# A date up to this many days after the anchor is read as coming even in a past-tense clause
# ("set Nov. 10 as the deadline"), and likewise before it in a future-tense one.
TENSE_OVERRIDE_DAYS = 90
FUTURE_BACK_DAYS = 14  # a future clause reads a date more than two weeks back as next year's
MONTHS_AHEAD_UNTENSED = 2  # a month named without tense this close ahead is the coming one


def valid_day(year: int, month: int, day: int) -> bool:
    """Whether year-month-day is a real calendar date."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def day_year(month: int, day: int | None, anchor: dt.date, tense: str | None) -> int:
    """The year of a day written without one ("Oct. 23"): the one nearest the anchor, except that a
    past clause looks back when the nearest reading is more than ``TENSE_OVERRIDE_DAYS`` ahead
    ("payable Dec. 1" in late October stays ahead), and a future one forward when it is more than
    ``FUTURE_BACK_DAYS`` back."""
    def on(year: int) -> dt.date:
        return dt.date(year, month, min(day or 15, calendar.monthrange(year, month)[1]))

    nearest = min((anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: abs((on(y) - anchor).days))
    offset = (on(nearest) - anchor).days
    if tense == "past" and offset > TENSE_OVERRIDE_DAYS:
        return nearest - 1
    if tense == "future" and offset < -FUTURE_BACK_DAYS:
        return nearest + 1
    return nearest


def month_year(month: int, which: str, anchor: dt.date, tense: str | None) -> int:
    """The year of a month named without one ("in January", "next May", "last April"): "last" is
    the latest one before the anchor's month, "next" the first after it; a future or present
    clause takes the next one from the anchor's month, and so does a clause without tense when
    that month is at most two months ahead; any other takes the latest one up to it."""
    if which == "next":
        return anchor.year if month > anchor.month else anchor.year + 1
    if which == "last":
        return anchor.year if month < anchor.month else anchor.year - 1
    if which == "this":
        return anchor.year
    ahead = (month - anchor.month) % 12
    if tense in {"future", "present"} or (tense is None and 0 < ahead <= MONTHS_AHEAD_UNTENSED):
        # "is expected in December"; an untensed "for November" in late October is the coming one
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def weekday_date(weekday: int, anchor: dt.date, which: str, tense: str | None) -> dt.date:
    """The date of a weekday: "next" looks forward, "last" strictly back; otherwise a future or
    present clause ("meet Monday", news style for plans) takes the coming one (the anchor's own day
    included) and any other the latest one on or before the anchor."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if which == "next":
        return anchor + dt.timedelta(days=ahead or 7)
    if which in {"last", "previous"}:
        return anchor - dt.timedelta(days=back or 7)
    if which in {"following", "coming"} or (tense in {"future", "present"} and which != "this"):
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


def quarter_year(quarter: int, anchor: dt.date, tense: str | None) -> int:
    """The year of "the third quarter": the latest such quarter begun by the anchor, unless the
    clause is about the future and that quarter has not begun yet this year."""
    anchor_quarter = (anchor.month - 1) // 3 + 1
    if quarter <= anchor_quarter or tense == "future":
        return anchor.year
    return anchor.year - 1


def iso_week(day: dt.date) -> str:
    """``YYYY-Www`` of a date."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def shift_month(anchor: dt.date, months: int) -> tuple[int, int]:
    """(year, month) ``months`` months from the anchor's month."""
    index = anchor.year * 12 + anchor.month - 1 + months
    return index // 12, index % 12 + 1


def shift_quarter(value: str, quarters: int) -> str:
    """``YYYY-Qn`` moved by ``quarters`` quarters."""
    year, quarter = int(value[:4]), int(value[-1])
    index = year * 4 + quarter - 1 + quarters
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def duration_value(amount: float | None, unit: str) -> str:
    """TimeML duration of ``amount`` units: P3D, PT5H, PXY (unknown amount), P20Y (two decades),
    P2Y6M (two and a half years)."""
    unit = {"centurie": "century"}.get(unit, unit)
    if unit in {"decade", "century"} and amount is not None:
        amount, unit = amount * (10 if unit == "decade" else 100), "year"
    prefix = "PT" if unit in TIME_UNITS else "P"
    if amount is None:
        return f"{prefix}X{UNIT_CODES[unit]}"
    if amount == int(amount):
        return f"{prefix}{int(amount)}{UNIT_CODES[unit]}"
    whole, fraction = int(amount), amount - int(amount)
    smaller, factor = SMALLER_UNIT.get(unit, (unit, 1))
    rest = round(fraction * factor)
    if smaller in TIME_UNITS and unit not in TIME_UNITS:  # "1 1/2 days" = P1DT12H
        return f"P{whole}{UNIT_CODES[unit]}T{rest}{UNIT_CODES[smaller]}" if whole else f"PT{rest}{UNIT_CODES[smaller]}"
    head = f"{whole}{UNIT_CODES[unit]}" if whole else ""
    return f"{prefix}{head}{rest}{UNIT_CODES[smaller]}"
