"""The rules of the times stage: regular expressions over the text, each with a normaliser that
turns a match into a TimeML value given the reference date and the tense of the clause.

Rules are ordered from most to least specific; a later match never overrides an earlier
overlapping one. Extents follow the TempEval-3 data: "the" belongs to a time noun phrase ("the
third quarter", "the past two months") but not to a date used as a modifier ("the Oct. 23
attack"); "nearly", "more than", "less than", "at least", "up to" belong to a duration.

A value ``REF:...`` depends on an earlier expression of the text (the quarter last talked about,
the date last named) and is filled in by ``newstrace.times.find_times``; ``REF:C...|value`` and
``REF:T...|value`` carry the value to use when the text named no date before them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from newstrace.model import Precision, TimeType
from newstrace.times import calendar as cal
from newstrace.times.words import (
    CLOCK,
    DAY,
    DAY_PARTS,
    HALVES,
    MONTH,
    NAMED_CLOCK,
    NUM,
    NUMBER,
    ORDINALS,
    PART,
    SEASONS,
    TENS_WORDS,
    TIMEZONE,
    UNIT,
    UNITS_WORDS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    month_number,
    number_value,
)


@dataclass(frozen=True)
class Context:
    """What a normaliser knows besides the match: the reference date and the clause's tense."""

    anchor: dt.date | None
    tense: str | None = None


Result = tuple[str, Precision, TimeType, bool]


class _Adjective:
    """A match of the adjectival duration rule seen as one of the general rule."""

    def __init__(self, match: re.Match) -> None:
        self._match = match
        self.string = match.string

    def start(self) -> int:
        return self._match.start()

    def end(self) -> int:
        return self._match.end()

    def __getitem__(self, name: str) -> str | None:
        if name in {"num", "unit"} and self._match[name] is None:
            return self._match[name + "2"]
        return self._match[name]


Normaliser = Callable[[re.Match, Context], Result | None]
SEASON_START_MONTH = {"WI": 1, "SP": 3, "SU": 6, "FA": 9}
SEASON_END_MONTH = {"WI": 2, "SP": 5, "SU": 8, "FA": 11}

# --- dates ----------------------------------------------------------------------------------------


def _n_iso(m: re.Match, ctx: Context) -> Result | None:
    y, mo, d = int(m["year"]), int(m["mo"]), int(m["day"])
    return (f"{y:04d}-{mo:02d}-{d:02d}", "day", "DATE", False) if cal.valid_day(y, mo, d) else None


def _n_numeric(m: re.Match, ctx: Context) -> Result | None:
    y, mo, d = int(m["year"]), int(m["mo"]), int(m["day"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    if not cal.valid_day(y, mo, d):
        mo, d = d, mo  # day-first writers
    return (f"{y:04d}-{mo:02d}-{d:02d}", "day", "DATE", False) if cal.valid_day(y, mo, d) else None


def _full_date(month: int, day: int, year_text: str | None, ctx: Context) -> Result | None:
    if year_text:
        year = int(year_text)
    elif ctx.anchor is None:
        return (f"XXXX-{month:02d}-{day:02d}", "day", "DATE", False) if 1 <= day <= 31 else None
    else:
        year = cal.day_year(month, day, ctx.anchor, ctx.tense)
    if not cal.valid_day(year, month, day):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day", "DATE", not year_text


def _n_full_date(m: re.Match, ctx: Context) -> Result | None:
    month, day = month_number(m["month"]), int(m["day"])
    if m["weekday"] and not m["year"] and ctx.anchor is not None:
        # "Monday, Oct. 26": the year in which that day is a Monday, the nearest if several
        weekday = WEEKDAYS[m["weekday"].lower()]
        fits = [y for y in range(ctx.anchor.year - 1, ctx.anchor.year + 2)
                if cal.valid_day(y, month, day) and dt.date(y, month, day).weekday() == weekday]
        if fits:
            year = min(fits, key=lambda y: abs((dt.date(y, month, day) - ctx.anchor).days))
            return f"{year:04d}-{month:02d}-{day:02d}", "day", "DATE", True
    return _full_date(month, day, m["year"], ctx)


def _n_week_of(m: re.Match, ctx: Context) -> Result | None:
    day = _full_date(month_number(m["month"]), int(m["day"]), m["year"], ctx)
    if day is None or day[0].startswith("X"):
        return None
    return cal.iso_week(dt.date.fromisoformat(day[0])), "week", "DATE", day[3]


def _n_month_year(m: re.Match, ctx: Context) -> Result | None:
    return f"{int(m['year']):04d}-{month_number(m['month']):02d}", "month", "DATE", False


def _n_month(m: re.Match, ctx: Context) -> Result | None:
    """A month without its year: "in January", "next May", "early March"."""
    month = month_number(m["month"])
    which = (m["which"] or "").lower()
    if ctx.anchor is None:
        return f"XXXX-{month:02d}", "month", "DATE", False
    year = cal.month_year(month, which, ctx.anchor, ctx.tense)
    return f"{year:04d}-{month:02d}", "month", "DATE", True


def _n_year(m: re.Match, ctx: Context) -> Result | None:
    return f"{int(m['year']):04d}", "year", "DATE", False


def _n_decade(m: re.Match, ctx: Context) -> Result | None:
    if m["decade2"]:  # the '90s
        digits = m["decade2"]
        century = 19 if int(digits) > (ctx.anchor.year % 100 if ctx.anchor else 30) else 20
        return f"{century}{digits[0]}", "decade", "DATE", ctx.anchor is not None
    return m["decade"][:3], "decade", "DATE", False


def _n_season(m: re.Match, ctx: Context) -> Result | None:
    season = SEASONS[m["season"].lower()]
    which = " ".join((m["which"] or "").lower().split())
    if m["season"].lower() == "fall" and which in {"", "the"} and not m["year"]:
        return None  # "the fall of the city": only "last/this/next fall" or "fall 2024" are seasons
    if m["year"]:
        return f"{int(m['year']):04d}-{season}", "season", "DATE", False
    if ctx.anchor is None:
        return None
    year, month = ctx.anchor.year, ctx.anchor.month
    started, over = SEASON_START_MONTH[season] <= month, SEASON_END_MONTH[season] < month
    if which == "last":
        year -= 0 if over else 1
    elif which == "next":
        year += 1 if started else 0
    elif which in {"this past", "past"}:
        year -= 0 if started else 1
    elif which == "this coming":
        year += 1 if started else 0
    elif which == "this":
        pass
    elif ctx.tense == "future" and over:
        year += 1
    elif not started and (ctx.tense == "past" or (ctx.tense is None and SEASON_START_MONTH[season] - month > 2)):
        year -= 1  # "was hit in the summer", or an untensed summer still far off: last year's
    return f"{year:04d}-{season}", "season", "DATE", True


def _n_quarter(m: re.Match, ctx: Context) -> Result | None:
    quarter = ORDINALS[m["ordinal"].lower()]
    year_text = m["qyear"] or m["oyear"]
    if year_text:
        return f"{int(year_text):04d}-Q{quarter}", "quarter", "DATE", False
    if ctx.anchor is None:
        return None
    which = (m["which"] or "").lower()
    if which:
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[which]
    else:
        year = cal.quarter_year(quarter, ctx.anchor, ctx.tense)
        if m["yearago"]:
            year -= 1
    return f"{year:04d}-Q{quarter}", "quarter", "DATE", True


def _n_half(m: re.Match, ctx: Context) -> Result | None:
    half = 1 if m["two"] else HALVES[m["half"].lower()]
    if m["year"]:
        return f"{int(m['year']):04d}-H{half}", "quarter", "DATE", False
    if ctx.anchor is None:
        return None
    year = ctx.anchor.year + {"last": -1, "next": 1}.get((m["which"] or "").lower(), 0)
    return f"{year:04d}-H{half}", "quarter", "DATE", True


def _n_quarter_reference(m: re.Match, ctx: Context) -> Result | None:
    """The quarter the text is about ("the latest quarter"), or a year before it ("the year-ago
    period"): resolved against the last quarter named earlier in the text."""
    if ctx.anchor is None:
        return None
    text = m.group(0).lower()
    if m["refyear"]:
        return f"REF:QY{m['refyear']}", "quarter", "DATE", True
    if any(word in text for word in ("year-ago", "year-earlier", "year-before", "year ago", "year earlier",
                                     "last year")):
        return "REF:Q-4", "quarter", "DATE", True
    anchor_quarter = f"{ctx.anchor.year}-Q{(ctx.anchor.month - 1) // 3 + 1}"
    if "current" in text:
        return anchor_quarter, "quarter", "DATE", True
    if "latest" in text or "recent" in text:  # results are reported for the quarter just ended
        return cal.shift_quarter(anchor_quarter, -1), "quarter", "DATE", True
    return "REF:Q+0", "quarter", "DATE", True


def _n_year_ago_adjective(m: re.Match, ctx: Context) -> Result | None:
    return ("REF:Y-1", "year", "DATE", True) if ctx.anchor else None


def _n_the_year(m: re.Match, ctx: Context) -> Result | None:
    """"for the year ended Sept. 30" is a span of a year; "for the year" the current one."""
    if re.match(r"\s+(?:ended|ending)\b", m.string[m.end():m.end() + 12]):
        return "P1Y", "duration", "DURATION", False
    if ctx.anchor is None:
        return None
    return f"{ctx.anchor.year:04d}", "year", "DATE", True


def _n_month_relative_year(m: re.Match, ctx: Context) -> Result | None:
    """"January this year", "June last year"."""
    if ctx.anchor is None:
        return None
    year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[m["which"].lower()]
    return f"{year:04d}-{month_number(m['month']):02d}", "month", "DATE", True


def spelled_year(words: str) -> int | None:
    """1994 for "nineteen ninety-four", 2000 for "two thousand", 2003 for "two thousand and three"."""
    words = " ".join(words.lower().replace("-", " ").split())
    head, _, rest = words.partition(" ")
    if head == "two" and rest.startswith("thousand"):
        tail = rest[len("thousand"):].strip().removeprefix("and").strip()
        return 2000 + (int(number_value(tail) or 0) if tail else 0)
    century = number_value(head)
    if century not in (17, 18, 19) or not rest:
        return None
    rest = rest.removeprefix("hundred").strip()
    tail = number_value(rest) if rest else 0
    return None if tail is None or tail >= 100 else int(century) * 100 + int(tail)


def _n_spelled_year(m: re.Match, ctx: Context) -> Result | None:
    year = spelled_year(m["spelled"])
    if year is None:
        return None
    if m["month"]:
        return f"{year:04d}-{month_number(m['month']):02d}", "month", "DATE", False
    return f"{year:04d}", "year", "DATE", False


def _n_century(m: re.Match, ctx: Context) -> Result | None:
    return f"{int(m['nth']) - 1:02d}", "century", "DATE", False


def _n_anaphoric(m: re.Match, ctx: Context) -> Result | None:
    """"that year", "later that day", "the following month": the date last mentioned, at the unit."""
    which = (m["which"] or "that").lower()
    step = {"following": 1, "next": 1, "previous": -1, "preceding": -1}.get(which, 0)
    return f"REF:D{m['unit'].lower()[0]}{step:+d}", "day", "DATE", True


def _n_period_end(m: re.Match, ctx: Context) -> Result | None:
    """"the end of the month", "by year-end": the month or year it ends."""
    if ctx.anchor is None:
        return None
    if (m["unit"] or m["unit2"]).lower() == "month":
        return f"{ctx.anchor.year:04d}-{ctx.anchor.month:02d}", "month", "DATE", True
    return f"{ctx.anchor.year:04d}", "year", "DATE", True


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "independence day": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas": lambda y: dt.date(y, 12, 25),
    "boxing day": lambda y: dt.date(y, 12, 26),
    "easter sunday": _easter,
    "easter": _easter,
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
}


def _n_holiday(m: re.Match, ctx: Context) -> Result | None:
    """US and Christian holidays news dates events by, in the year the tense implies."""
    name = " ".join(m["holiday"].lower().replace("’", "'").split())
    rule = HOLIDAYS[name]
    if m["year"]:
        return rule(int(m["year"])).isoformat(), "day", "DATE", False
    if ctx.anchor is None:
        return None
    which = (m["which"] or "").lower()
    this_year = rule(ctx.anchor.year)
    if which == "last" or (which != "next" and ctx.tense == "past" and this_year > ctx.anchor):
        day = rule(ctx.anchor.year - 1) if this_year >= ctx.anchor else this_year
    elif which == "next" or (ctx.tense == "future" and this_year < ctx.anchor):
        day = rule(ctx.anchor.year + 1) if this_year <= ctx.anchor else this_year
    else:
        day = min((rule(ctx.anchor.year + k) for k in (-1, 0, 1)), key=lambda d: abs((d - ctx.anchor).days))
    if m["week"]:
        return cal.iso_week(day), "week", "DATE", True
    return day.isoformat(), "day", "DATE", True


# --- days and times of day ---------------------------------------------------------------------------


def _weekday_value(weekday: str, which: str, ctx: Context) -> dt.date | None:
    if ctx.anchor is None:
        return None
    return cal.weekday_date(WEEKDAYS[weekday.lower()], ctx.anchor, which, ctx.tense)


def _n_weekday(m: re.Match, ctx: Context) -> Result | None:
    which = " ".join((m["which"] or "").lower().split()).replace("this coming", "coming").replace("this past", "last")
    day = _weekday_value(m["weekday"], which, ctx)
    if day is None:
        return None
    part = (m["part"] or "").lower()
    if part:  # TempEval-3 types "Friday night" as a DATE
        return f"{day.isoformat()}T{DAY_PARTS[part]}", "time", "DATE", True
    return day.isoformat(), "day", "DATE", True


def _n_weekday_set(m: re.Match, ctx: Context) -> Result | None:
    day = WEEKDAYS[m["weekday"].lower()] + 1
    part = (m["part"] or "").lower()
    return f"XXXX-WXX-{day}" + (f"T{DAY_PARTS[part]}" if part else ""), "set", "SET", False


def _n_calendar_set(m: re.Match, ctx: Context) -> Result | None:
    if m["month"]:
        return f"XXXX-{month_number(m['month']):02d}", "set", "SET", False
    return f"XXXX-{SEASONS[m['season'].lower()]}", "set", "SET", False


def _deictic_day(word: str, anchor: dt.date) -> dt.date:
    return anchor + dt.timedelta(days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word])


def _n_deictic_day(m: re.Match, ctx: Context) -> Result | None:
    word = m["deictic"].lower()
    if ctx.anchor is None:
        return ("PRESENT_REF", "ref", "DATE", False) if word in {"today", "tonight"} else None
    day = _deictic_day(word, ctx.anchor)
    part = "night" if word == "tonight" else (m["part"] or "").lower()
    if part:
        return f"{day.isoformat()}T{DAY_PARTS[part]}", "time", "DATE", True
    return day.isoformat(), "day", "DATE", True


def _n_part_of_today(m: re.Match, ctx: Context) -> Result | None:
    """"this morning", "last night"."""
    if ctx.anchor is None:
        return None
    day = ctx.anchor - dt.timedelta(days=1 if m["which"].lower() == "last" else 0)
    return f"{day.isoformat()}T{DAY_PARTS[m['part'].lower()]}", "time", "TIME", True


def _clock(m: re.Match) -> str | None:
    if m["named"]:
        return NAMED_CLOCK[m["named"].lower()]
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    meridiem = m["ampm"].lower().replace(".", "")
    if not 1 <= hour <= 12 or minute > 59:
        return None
    if meridiem == "pm" and hour != 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _clock_day(m: re.Match, ctx: Context) -> str | None:
    """The day a clock time is on: the one written after it ("10 p.m. Wednesday"), else the anchor."""
    if m["cweekday"]:
        day = _weekday_value(m["cweekday"], "", ctx)
        return day.isoformat() if day else None
    if m["cdeictic"]:
        return _deictic_day(m["cdeictic"].lower(), ctx.anchor).isoformat() if ctx.anchor else None
    if m["cmonth"]:
        found = _full_date(month_number(m["cmonth"]), int(m["cday"]), None, ctx)
        return found[0] if found else None
    return ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"


def _n_clock(m: re.Match, ctx: Context) -> Result | None:
    clock = _clock(m)
    day = _clock_day(m, ctx)
    if clock is None or day is None:
        return None
    if not (m["cweekday"] or m["cdeictic"] or m["cmonth"]) and ctx.anchor is not None:
        return f"REF:T{clock}|{day}T{clock}", "time", "TIME", True  # on the day last named nearby
    return f"{day}T{clock}", "time", "TIME", ctx.anchor is not None


# --- relative and fuzzy ---------------------------------------------------------------------------


def _n_relative_unit(m: re.Match, ctx: Context) -> Result | None:
    """last/this/next week|month|year|quarter|decade, with "earlier this month" kept at the month."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    which, unit = m["which"].lower(), m["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        return cal.iso_week(anchor + dt.timedelta(weeks=step)), "week", "DATE", True
    if unit == "weekend":
        return cal.iso_week(anchor + dt.timedelta(weeks=step)) + "-WE", "week", "DATE", True
    if unit == "month":
        year, month = cal.shift_month(anchor, step)
        return f"{year:04d}-{month:02d}", "month", "DATE", True
    if unit == "quarter":
        return cal.shift_quarter(f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}", step), "quarter", "DATE", True
    if unit == "year":
        return f"{anchor.year + step:04d}", "year", "DATE", True
    return f"{(anchor.year // 10 + step):03d}", "decade", "DATE", True


def _n_the_weekend(m: re.Match, ctx: Context) -> Result | None:
    """"over the weekend": the last one in a past clause, the coming one in a future clause."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    in_weekend = anchor.weekday() >= 5
    if ctx.tense == "future" and not in_weekend:
        return cal.iso_week(anchor) + "-WE", "week", "DATE", True
    return cal.iso_week(anchor if in_weekend else anchor - dt.timedelta(weeks=1)) + "-WE", "week", "DATE", True


def count_from(day: dt.date, unit: str, n: int) -> tuple[str, Precision] | None:
    """The date ``n`` units from ``day``, at the unit's precision."""
    if unit in {"day", "night"}:
        return (day + dt.timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return cal.iso_week(day + dt.timedelta(weeks=n)), "week"
    if unit == "month":
        year, month = cal.shift_month(day, n)
        return f"{year:04d}-{month:02d}", "month"
    if unit == "quarter":
        return cal.shift_quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}", n), "quarter"
    if unit in {"year", "decade", "century", "centurie"}:
        return f"{day.year + n * {'year': 1, 'decade': 10}.get(unit, 100):04d}", "year"
    return None


def _n_ago(m: re.Match, ctx: Context) -> Result | None:
    """"three days ago" counted from the anchor; "two weeks later", "a year earlier" from the date
    the text last named (``REF:C``, resolved by ``find_times``; the anchor when there is none)."""
    unit = m["unit"].lower()
    n = number_value(m["num"])
    anchor = ctx.anchor
    direction = m["dir"].lower()
    if anchor is None or n is None or n != int(n):
        return ("PAST_REF", "ref", "DATE", anchor is not None) if direction not in FORWARD else None
    n = int(n) * (1 if direction in FORWARD else -1)
    if unit == "year" and n == -1:
        # a year-ago quarter in a results report; "a year earlier" may also follow the text's last date
        return ("REF:Y-1" if direction == "ago" else "REF:YE-1"), "year", "DATE", True
    counted = count_from(anchor, unit, n)
    if counted is None:
        return ("PAST_REF", "ref", "DATE", True) if n < 0 else None
    if direction != "ago" and unit in {"day", "night", "week", "month"}:
        return f"REF:C{unit}{n:+d}|{counted[0]}", counted[1], "DATE", True
    return counted[0], counted[1], "DATE", True


FORWARD = {"later", "after"}


def _n_reference(m: re.Match, ctx: Context) -> Result | None:
    word = " ".join(m.group(0).lower().split())
    if any(w in word for w in ("now", "current", "present", "nowadays", "moment", "these days")):
        return "PRESENT_REF", "ref", "DATE", False
    if any(w in word for w in ("future", "coming", "soon", "term", "ahead")):
        return "FUTURE_REF", "ref", "DATE", False
    return "PAST_REF", "ref", "DATE", False


# --- durations and sets ---------------------------------------------------------------------------


def _n_duration(m: re.Match, ctx: Context) -> Result | None:
    unit = m["unit"].lower()
    if unit == "weekend":
        return None
    if (m["num"] or "").lower() in {"a", "an"} and not (m["mod"] or m["rel"]) and _is_rate(m):
        return None
    if unit == "quarter" and not m["rel"] and re.match(r"\s+of\b", m.string[m.end():m.end() + 4]):
        return None  # "three-quarters of its food", "more than a quarter of the market"
    amount = number_value(m["num"]) if m["num"] else 1
    if m["num1"] or m["approx"]:
        amount = None  # "two to three weeks", "a year or two"
    elif amount is not None and m["half"]:
        amount += 0.5
    return cal.duration_value(amount, unit), "duration", "DURATION", False


# Words before "a week" that make it a span of time ("for a week"); after anything else ("four
# flights a week", "$2 million a year") it is a rate, which TimeML leaves unannotated.
DURATION_LEAD_WORDS = {"for", "in", "within", "than", "about", "nearly", "almost", "over", "least", "after", "only",
                       "just", "of", "to", "under", "by", "during", "into", "barely", "around", "roughly", "some",
                       "spend", "spent", "took", "take", "takes", "lasted", "last", "lasts", "wait", "waited",
                       "half", "once", "twice", "and", "or", "but", "up", "through", "until", "throughout"}


def _is_rate(m: re.Match) -> bool:
    before = m.string[max(0, m.start() - 24):m.start()].split()
    return bool(before) and before[-1].lower().strip(",;:") not in DURATION_LEAD_WORDS


def _n_plural_duration(m: re.Match, ctx: Context) -> Result | None:
    return cal.duration_value(None, m["unit"].lower()), "duration", "DURATION", False


def _n_set(m: re.Match, ctx: Context) -> Result | None:
    word = (m["unit"] or m["adverb"]).lower()
    unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
            "hourly": "hour", "nightly": "day", "quarterly": "quarter"}.get(word, word)
    return cal.duration_value(1, unit), "set", "SET", False


class Rule(NamedTuple):
    """A pattern, its normaliser, and a gate: a cheap pattern that every match contains, so that
    the costly pattern runs only around the gate's hits (``None``: over the whole text)."""

    pattern: re.Pattern
    normalise: Normaliser
    gate: re.Pattern | None


def _rule(pattern: str, normaliser: Normaliser, flags: int = re.IGNORECASE, gate: re.Pattern | None = None) -> Rule:
    return Rule(re.compile(pattern, flags), normaliser, gate)


# Gates start with a literal, which lets the regular-expression engine skip ahead quickly.
UNIT_GATE = re.compile(r"second|minute|hour|day|night|week|month|quarter|year|decade|centur", re.IGNORECASE)
WEEKDAY_GATE = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
SEASON_GATE = re.compile(r"spring|summer|autumn|winter|fall", re.IGNORECASE)
MONTH_GATE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
QUARTER_GATE = re.compile(r"quarter|period|half", re.IGNORECASE)
SPELLED_GATE = re.compile(r"seventeen|eighteen|nineteen|two thousand", re.IGNORECASE)
HOLIDAY_GATE = re.compile(r"christmas|easter|thanksgiving|halloween|valentine|new year|independence|boxing|memorial|"
                          r"labor|election|good friday", re.IGNORECASE)


_WHICH = r"(?:(?P<which>last|this|next|past|previous|current|coming)\s+)"
_ORDINAL = r"(?P<ordinal>first|second|third|fourth)"
_DAY_AFTER_CLOCK = (r"(?:,?\s+(?:(?i:on)\s+)?(?:(?P<cweekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                    r"|(?P<cdeictic>(?i:yesterday|today|tomorrow))"
                    r"|(?P<cmonth>(?:January|February|March|April|May|June|July|August|September|October|November"
                    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\s+(?P<cday>[0-3]?\d)\b))")
_MODIFIER = r"(?:(?P<mod>nearly|more than|less than|at least|up to|around|some|just over|just under)\s+)"
# "last" after "to", "will", "not" ... is the verb ("expected to last several months")
_VERB_LAST = "".join(rf"(?<!\b{w}\s)" for w in ("to", "will", "would", "could", "may", "might", "can", "should",
                                                 "must", "not", "did", "does", "didn't", "won't"))
_REL = rf"(?P<rel>past|{_VERB_LAST}last|next|first|coming|previous|following|latest|final|initial)"
_NOT_AGE = r"(?![\s-]+old\b)"
# Ordered from most to least specific; a later match never overrides an earlier overlapping one.
RULES: list[Rule] = [
    _rule(r"\b(?P<year>\d{4})-(?P<mo>[01]\d)-(?P<day>[0-3]\d)\b", _n_iso),
    _rule(r"\b(?P<mo>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4}|\d{2})\b", _n_numeric),
    _rule(rf"\b(?:(?i:around)\s+)?(?i:{CLOCK})(?:\s+{TIMEZONE})?(?:{_DAY_AFTER_CLOCK})?", _n_clock, 0),
    _rule(rf"\b(?i:the\s+week\s+of)\s+{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b", _n_week_of, 0, gate=MONTH_GATE),
    _rule(rf"\b(?:(?i:around)\s+)?(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b"
          r"(?!\s*(?:%|percent|people|troops))", _n_full_date, 0, gate=MONTH_GATE),
    _rule(rf"\b(?:{WEEKDAY},?\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+{YEAR})?\b", _n_full_date, 0, gate=MONTH_GATE),
    _rule(rf"\b(?:(?i:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+)?{MONTH}(?:\s+of)?,?\s+"
          rf"{YEAR}\b", _n_month_year, 0, gate=MONTH_GATE),
    _rule(rf"\b(?:the\s+)?(?:(?P<half>first|second|last)\s+half|first\s+(?P<two>two)\s+quarters)\s+of\s+"
          rf"(?:{YEAR}|(?P<which>this|next|last)\s+year|the\s+year)\b", _n_half, gate=QUARTER_GATE),
    _rule(rf"\b{MONTH}\s+(?P<which>(?i:this|last|next))\s+(?i:year)\b", _n_month_relative_year, 0, gate=MONTH_GATE),
    _rule(rf"\b(?:(?:the\s+)?(?i:year)\s+|{MONTH},?\s+)?(?P<spelled>(?i:(?:seventeen|eighteen|nineteen)(?:\s+hundred)?"
          rf"(?:\s+and)?\s+(?:(?:{'|'.join(TENS_WORDS)})(?:[\s-](?:{'|'.join(UNITS_WORDS)}))?|ten|eleven|twelve|"
          rf"(?:thir|four|fif|six|seven|eigh|nine)teen|{'|'.join(UNITS_WORDS)})|two\s+thousand"
          rf"(?:\s+and\s+(?:{'|'.join(UNITS_WORDS)}|ten))?))\b(?!\s+years?\b)", _n_spelled_year, 0, gate=SPELLED_GATE),
    _rule(r"\b(?P<nth>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", _n_century, gate=UNIT_GATE),
    _rule(rf"\b(?:(?P<which>last|next|this)\s+)?(?P<holiday>{'|'.join(sorted(HOLIDAYS, key=len, reverse=True))})"
          rf"(?P<week>\s+week)?(?:,?\s+{YEAR})?\b", _n_holiday, gate=HOLIDAY_GATE),
    _rule(r"\b(?:(?:earlier|later)\s+(?:that|the\s+same)|that(?:\s+same)?|the\s+(?P<which>following|previous|"
          r"preceding))\s+(?P<unit>day|month|year)\b", _n_anaphoric, gate=UNIT_GATE),
    _rule(r"\b(?:(?:around|by|at|since)\s+)?(?:the\s+end\s+of\s+the\s+(?P<unit>month|year)|(?P<unit2>year)(?:-|\s|'s\s+)end)\b",
          _n_period_end, gate=UNIT_GATE),
    # "third-quarter profit": an adjective, so "the" stays out.
    _rule(rf"\b(?:(?P<qyear>1[6-9]\d\d|20\d\d)\s+|(?P<yearago>year-ago|year-earlier)\s+|(?P<which>this|next|last)"
          rf"\s+year's\s+)?(?:fiscal[\s-]+)?{_ORDINAL}-quarter\b(?P<oyear>)", _n_quarter, gate=QUARTER_GATE),
    _rule(rf"\b(?:the\s+)?(?:(?:comparable|corresponding)\s+)?(?:(?P<qyear>1[6-9]\d\d|20\d\d)\s+|"
          rf"(?P<yearago>year-ago|year-earlier)\s+|(?P<which>this|next|last)\s+year's\s+)?(?:fiscal[\s-]+)?"
          rf"{_ORDINAL}\s+quarter(?:\s+of\s+(?P<oyear>1[6-9]\d\d|20\d\d))?\b", _n_quarter, gate=QUARTER_GATE),
    _rule(r"\b(?:the\s+(?:(?:comparable|corresponding|same)\s+)?(?:year-ago|year-earlier|year-before)\s+(?:quarter|period)"
          r"|the\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)|last\s+year's\s+(?:quarter|period)"
          r"|the\s+(?:corresponding|comparable|same)\s+(?:quarter|period)\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year)"
          r"|the\s+(?P<refyear>1[6-9]\d\d|20\d\d)\s+(?:quarter|period)"
          r"|the\s+(?:latest|current|most\s+recent)\s+(?:quarter|period)|(?:the|this)\s+quarter)\b(?!-)",
          _n_quarter_reference, gate=QUARTER_GATE),
    _rule(r"\b(?:year-ago|year-earlier)\b", _n_year_ago_adjective, gate=UNIT_GATE),
    _rule(r"\bthe\s+(?:(?:full|current|fiscal|current\s+fiscal)\s+)?year\b(?!-|\s+(?:ago|earlier|later|before|after)\b)"
          , _n_the_year, gate=UNIT_GATE),
    _rule(rf"\b(?:(?:every|each)\s+(?:{MONTH}|(?P<season>spring|summer|autumn|fall|winter)))\b", _n_calendar_set, 0),
    _rule(rf"\b(?:(?:the\s+)?(?P<which>last|this|next|this\s+past|past|this\s+coming|early|late|the)\s+)?"
          rf"(?P<season>spring|summer|autumn|winter|fall)(?:\s+(?:of\s+)?{YEAR})?\b", _n_season, gate=SEASON_GATE),
    _rule(rf"\b(?i:every|each)\s+{WEEKDAY}(?:\s+(?i:{PART}))?\b", _n_weekday_set, 0, gate=WEEKDAY_GATE),
    _rule(rf"\b(?i:on\s+)?{WEEKDAY}s\b(?P<part>)", _n_weekday_set, 0, gate=WEEKDAY_GATE),
    _rule(rf"\b(?:(?i:late|early)\s+(?i:on\s+)?)?(?:(?i:the\s+)?(?P<which>(?i:last|this|next|on|previous|"
          rf"following|this\s+coming|this\s+past))\s+)?{WEEKDAY}(?:\s+(?i:{PART}))?\b", _n_weekday, 0, gate=WEEKDAY_GATE),
    _rule(rf"\b(?:(?:late|early)\s+)?(?P<deictic>yesterday|today|tonight|tomorrow)(?:\s+{PART})?\b", _n_deictic_day),
    _rule(r"\b(?:(?:earlier|later|early|late)\s+)?(?P<which>this|last)\s+(?P<part>morning|afternoon|evening|night)\b",
          _n_part_of_today),
    _rule(r"\b(?:(?:over|during|for|ahead\s+of|on)\s+)?(?:the|this)\s+weekend\b", _n_the_weekend, gate=UNIT_GATE),
    _rule(rf"\bthe\s+(?P<rel>past|next|coming)\s+{UNIT.replace('s?', '')}\b(?P<num>)(?P<num1>)(?P<half>)(?P<approx>)(?P<mod>)",
          _n_duration, gate=UNIT_GATE),
    _rule(rf"\b(?:(?:earlier|later|late|early|sometime|(?:the\s+)?(?:end|beginning|start|middle)\s+of)\s+)?{_WHICH}"
          r"(?P<unit>week|weekend|month|quarter|year|decade)\b(?!-)", _n_relative_unit, gate=UNIT_GATE),
    _rule(rf"\b(?:(?:nearly|almost|about|more\s+than|some|roughly|less\s+than)\s+)?{NUM}\s+{UNIT}\s+"
          r"(?:or\s+so\s+)?(?P<dir>ago|earlier|later|before(?=\s*[,.;:)'\"]|$)|after(?=\s*[,.;:)'\"]|$))", _n_ago,
          gate=UNIT_GATE),
    # the group "x", where a rule has it, is the extent
    _rule(r"\b(?:(?:will|could|may|might|would|can)\s+(?=one\s+day\b)|(?=someday\b))(?P<x>one\s+day|someday)\b",
          lambda m, ctx: ("FUTURE_REF", "ref", "DATE", False)),
    _rule(r"\b(?:now|currently|(?:more\s+|most\s+|until\s+)?recently|nowadays|at\s+present|these\s+days|"
          r"lately|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|the\s+(?:near|short|long)\s+term|"
          r"as\s+soon\s+as\s+possible|"
          r"current(?=\s+[a-z])|"
          rf"the\s+past(?!\s+(?:{NUMBER}|few|several|decade|year|month|week|day|quarter|century)\b))\b",
          _n_reference),
    _rule(r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<decade>1[89]\d0|20[0-4]0)s\b|\bthe\s+'(?P<decade2>\d0)s\b",
          _n_decade),
    # durations: "the past two months", "nearly three years", "2 1/2 hours", "a three-year", "two to three weeks";
    # an adjective ("the two-week trip", "a two day meeting") leaves "the" out
    _rule(rf"\b{_MODIFIER}?(?:{_REL}\s+)?(?P<num1>)(?P<half>)(?P<approx>)(?:{NUM}-{UNIT.replace('s?', '')}|"
          rf"(?!(?:an?|one|half)\b)(?P<num2>{NUMBER})\s+(?P<unit2>second|minute|hour|day|week|month|year|decade))\b"
          r"(?!s|-old|[\s-]+old\b|\s+and\s+a\s+half)",
          lambda m, ctx: _n_duration(_Adjective(m), ctx), gate=UNIT_GATE),
    _rule(rf"\b{_MODIFIER}?(?:(?:the\s+)?{_REL}\s+|the\s+)?(?:(?P<num1>{NUMBER})\s+(?:to|or)\s+)?{NUM}[\s-]+{UNIT}"
          rf"(?P<half>\s+and\s+a\s+half)?(?P<approx>\s+or\s+(?:so|two|three|more))?(?:-long)?\b{_NOT_AGE}", _n_duration,
          gate=UNIT_GATE),
    _rule(r"\b(?:(?:for|within|over|in)\s+(?:the\s+)?|the\s+)(?P<unit>hour|day|week|month|year|decade)s\b"
          r"(?!\s+(?:ago|of|before|after|earlier|later|that|when)\b)", _n_plural_duration, gate=UNIT_GATE),
    _rule(r"\b(?P<unit>hour|day|week|month|year|decade)s-long\b", _n_plural_duration, gate=UNIT_GATE),
    _rule(r"\b(?:(?:the\s+)?(?:recent|coming)|in\s+coming)\s+(?P<unit>hour|day|week|month|quarter|year|decade)s\b"
          r"(?:\s+and\s+(?:days|weeks|months|years))?", _n_plural_duration, gate=UNIT_GATE),
    _rule(r"\b(?:every|each|per)\s+(?P<unit>day|week|month|quarter|year|hour)\b|"
          r"\b(?P<adverb>daily|weekly|monthly|yearly|hourly|nightly)\b", _n_set),
    _rule(rf"\b(?i:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+{MONTH}\b(?!\s+\d)(?P<which>)",
          _n_month, 0, gate=MONTH_GATE),
    _rule(rf"\b(?P<which>(?i:this|last|next))\s+{MONTH}\b(?!\s+\d)", _n_month, 0, gate=MONTH_GATE),
    _rule(rf"\b(?i:in|since|until|by|during|from|of|for|to|through|till|before|after|around|the|a)\s+(?P<x>{MONTH})\b"
          r"(?!\s+\d|\s+(?:of|for)\s+(?:the\s+)?[A-Z])(?P<which>)", _n_month, 0, gate=MONTH_GATE),
    # a month name alone, but not "May" (a verb) and not a first name ("June Carter")
    _rule(r"(?<![A-Z][a-z]\s)(?<![A-Z][a-z][a-z]\s)\b(?P<month>January|February|March|April|June|July|August|September|"
          r"October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)"
          r"(?!\s+\d|\s+[A-Z]|\s+(?:of|for)\s+(?:the\s+)?[A-Z])(?P<which>)",
          _n_month, 0, gate=MONTH_GATE),
    _rule(rf"(?<![\d$£€])(?<![\d][.,])\b(?:(?:fiscal|early|late|(?:the\s+)?(?:end|beginning|middle)\s+of)\s+|mid-)?"
          rf"{YEAR}\b(?![\d%]|[.,]\d|\s*(?:percent|people|troops|soldiers|km|miles|metres|meters|tonnes))", _n_year),
]

# The normalisers that can yield a date with day, month and year written out.
FULL_DATE_NORMALISERS = (_n_iso, _n_numeric, _n_full_date)

# Words that the rules above may start a match with but that are not part of a TimeML extent.
LEADING_WORDS = re.compile(r"^(?:in|since|until|by|during|from|of|on|for|within|over|ahead\s+of)\s+", re.IGNORECASE)
