"""Times stage: find time expressions and normalise them TimeML-style against the publication date.

The rules cover what news copy uses and general date parsers lack: explicit dates in the
American and British orders, month-only and year-only mentions, weekdays ("late on Sunday"),
relative expressions ("earlier this month", "two days ago", "last week"), durations, sets and
clock times. Each rule is a regular expression over the text with a normaliser; spaCy's DATE
and TIME entities add candidates the rules did not see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from newstrace.model import Precision, TimeExpr, TimeType
from newstrace.spans import make_span, sentence_of, text_of

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "half a": 0.5,
}
VAGUE_NUMBERS = {"few", "several", "some", "many", "couple of", "a few", "a couple of"}
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
              "year": "Y", "decade": "DE", "century": "CE", "night": "D", "weekend": "WE"}
TIME_UNITS = {"second", "minute", "hour"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
CONTEXT_AFTER = 30  # characters after a spaCy DATE entity that the rules may look at
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = (r"(?P<num>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
        r"forty|fifty|hundred|half a|a few|few|several|some|a couple of|couple of|many)")
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|weekend|month|year|decade|century)s?"
_PART = r"(?P<part>morning|afternoon|evening|night|overnight)"


@dataclass(frozen=True)
class Found:
    """A time expression found in the text, before it becomes a record."""

    start: int
    end: int
    value: str
    precision: Precision
    type: TimeType
    anchored: bool


Normaliser = Callable[[re.Match, dt.date | None], tuple[str, Precision, TimeType, bool] | None]


def _num(word: str) -> float | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in VAGUE_NUMBERS:
        return None
    return NUMBER_WORDS.get(word)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _closest_year(month: int, day: int | None, anchor: dt.date | None) -> int | None:
    """A date written without its year is taken in the year that puts it nearest the anchor."""
    if anchor is None:
        return None
    candidates = [anchor.year - 1, anchor.year, anchor.year + 1]
    return min(candidates, key=lambda y: abs((dt.date(y, month, min(day or 15, 28)) - anchor).days))


def _past_month_year(month: int, anchor: dt.date) -> int:
    """'in January' means the latest January up to the anchor's month."""
    return anchor.year if month <= anchor.month else anchor.year - 1


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_month(anchor: dt.date, months: int) -> tuple[int, int]:
    index = anchor.year * 12 + anchor.month - 1 + months
    return index // 12, index % 12 + 1


def _weekday_date(weekday: int, anchor: dt.date, direction: str) -> dt.date:
    """The weekday nearest the anchor in the given direction ('past' unless 'next')."""
    delta = (anchor.weekday() - weekday) % 7
    if direction == "next":
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    if direction == "last" and delta == 0:
        delta = 7
    return anchor - dt.timedelta(days=delta)


# --- normalisers: each takes the regex match and the anchor date --------------------------------

def _n_iso(m: re.Match, anchor: dt.date | None):
    y, mo, d = int(m["year"]), int(m["mo"]), int(m["day"])
    return (f"{y:04d}-{mo:02d}-{d:02d}", "day", "DATE", False) if _valid_day(y, mo, d) else None


def _n_numeric(m: re.Match, anchor: dt.date | None):
    y, mo, d = int(m["year"]), int(m["mo"]), int(m["day"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    if not _valid_day(y, mo, d):
        mo, d = d, mo  # day-first writers
    return (f"{y:04d}-{mo:02d}-{d:02d}", "day", "DATE", False) if _valid_day(y, mo, d) else None


def _n_full_date(m: re.Match, anchor: dt.date | None):
    month, day = _month(m["month"]), int(m["day"])
    year = int(m["year"]) if m["year"] else _closest_year(month, day, anchor)
    if year is None:
        return (f"XXXX-{month:02d}-{day:02d}", "day", "DATE", False) if 1 <= day <= 31 else None
    if not _valid_day(year, month, day):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day", "DATE", not m["year"]


def _n_month_year(m: re.Match, anchor: dt.date | None):
    return f"{int(m['year']):04d}-{_month(m['month']):02d}", "month", "DATE", False


def _month_value(month: int, which: str, anchor: dt.date | None) -> tuple[str, Precision, TimeType, bool]:
    """A month named without its year: the latest such month up to the anchor, unless 'next'."""
    if anchor is None:
        return f"XXXX-{month:02d}", "month", "DATE", False
    year = _past_month_year(month, anchor)
    if which == "next" or (which == "this" and month > anchor.month):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif which == "last" and month == anchor.month:
        year = anchor.year - 1
    return f"{year:04d}-{month:02d}", "month", "DATE", True


def _n_weekday(m: re.Match, anchor: dt.date | None):
    if anchor is None:
        return None
    which = (m["which"] or "").lower()
    day = _weekday_date(WEEKDAYS[m["weekday"].lower()], anchor, which)
    part = (m["part"] or "").lower()
    if part:
        return f"{day.isoformat()}T{DAY_PARTS[part]}", "time", "TIME", True
    return day.isoformat(), "day", "DATE", True


def _n_deictic_day(m: re.Match, anchor: dt.date | None):
    word = m["deictic"].lower()
    if anchor is None:
        return ("PRESENT_REF", "ref", "DATE", False) if word in {"today", "tonight"} else None
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    day = anchor + dt.timedelta(days=offset)
    part = (m["part"] or "").lower()
    if word == "tonight":
        part = "night"
    if part:
        return f"{day.isoformat()}T{DAY_PARTS[part]}", "time", "TIME", True
    return day.isoformat(), "day", "DATE", True


def _n_relative_unit(m: re.Match, anchor: dt.date | None):
    """last/this/next week|month|year, with 'earlier/later this ...' kept at the unit's value."""
    if anchor is None:
        return None
    which, unit = m["which"].lower(), m["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        return _iso_week(anchor + dt.timedelta(weeks=step)), "week", "DATE", True
    if unit == "weekend":
        return _iso_week(anchor + dt.timedelta(weeks=step)) + "-WE", "week", "DATE", True
    if unit == "month":
        year, month = _shift_month(anchor, step)
        return f"{year:04d}-{month:02d}", "month", "DATE", True
    if unit == "year":
        return f"{anchor.year + step:04d}", "year", "DATE", True
    if unit == "decade":
        return f"{(anchor.year // 10 + step):03d}", "decade", "DATE", True
    if unit in SEASONS:
        return f"{anchor.year + min(step, 0) if step < 0 else anchor.year + step:04d}-{SEASONS[unit]}", "season", "DATE", True
    return None


def _n_ago(m: re.Match, anchor: dt.date | None):
    unit = m["unit"].lower()
    n = _num(m["num"])
    if anchor is None or n is None or n != int(n):
        return ("PAST_REF", "ref", "DATE", anchor is not None)
    n = int(n)
    if unit == "day":
        return (anchor - dt.timedelta(days=n)).isoformat(), "day", "DATE", True
    if unit == "week":
        return _iso_week(anchor - dt.timedelta(weeks=n)), "week", "DATE", True
    if unit == "month":
        year, month = _shift_month(anchor, -n)
        return f"{year:04d}-{month:02d}", "month", "DATE", True
    if unit == "year":
        return f"{anchor.year - n:04d}", "year", "DATE", True
    if unit == "decade":
        return f"{(anchor.year - 10 * n) // 10:03d}", "decade", "DATE", True
    return "PAST_REF", "ref", "DATE", True


def _n_duration(m: re.Match, anchor: dt.date | None):
    unit = m["unit"].lower()
    n = _num(m["num"])
    amount = "X" if n is None else (str(int(n)) if n == int(n) else str(n))
    code = UNIT_CODES[unit]
    prefix = "PT" if unit in TIME_UNITS else "P"
    if unit == "weekend":
        return None
    return f"{prefix}{amount}{code}", "duration", "DURATION", False


def _n_plural_duration(m: re.Match, anchor: dt.date | None):
    unit = m["unit"].lower()
    prefix = "PT" if unit in TIME_UNITS else "P"
    return f"{prefix}X{UNIT_CODES[unit]}", "duration", "DURATION", False


def _n_set(m: re.Match, anchor: dt.date | None):
    word = (m["unit"] or m["adverb"]).lower()
    unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
            "hourly": "hour", "nightly": "day"}.get(word, word)
    prefix = "PT" if unit in TIME_UNITS else "P"
    return f"{prefix}1{UNIT_CODES[unit]}", "set", "SET", False


def _n_year(m: re.Match, anchor: dt.date | None):
    return f"{int(m['year']):04d}", "year", "DATE", False


def _n_decade(m: re.Match, anchor: dt.date | None):
    digits = m["decade"]
    if len(digits) == 2:  # the '90s
        century = 19 if int(digits) > (anchor.year % 100 if anchor else 30) else 20
        return f"{century}{digits[0]}", "decade", "DATE", anchor is not None
    return digits[:3], "decade", "DATE", False


def _n_season(m: re.Match, anchor: dt.date | None):
    season = SEASONS[m["season"].lower()]
    if m["year"]:
        return f"{int(m['year']):04d}-{season}", "season", "DATE", False
    if anchor is None:
        return None
    which = (m["which"] or "").lower()
    year = anchor.year + {"last": -1, "next": 1}.get(which, 0)
    return f"{year:04d}-{season}", "season", "DATE", True


def _n_quarter(m: re.Match, anchor: dt.date | None):
    quarter = ORDINALS[m["ordinal"].lower()]
    year = int(m["year"]) if m["year"] else (anchor.year if anchor else None)
    if year is None:
        return None
    return f"{year:04d}-Q{quarter}", "quarter", "DATE", not m["year"]


def _n_clock(m: re.Match, anchor: dt.date | None):
    hour = int(m["hour"])
    minute = int(m["minute"] or 0)
    meridiem = m["ampm"].lower().replace(".", "")
    if hour > 12 or minute > 59:
        return None
    if meridiem == "pm" and hour != 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    day = anchor.isoformat() if anchor else "XXXX-XX-XX"
    return f"{day}T{hour:02d}:{minute:02d}", "time", "TIME", anchor is not None


def _n_reference(m: re.Match, anchor: dt.date | None):
    word = m["ref"].lower()
    if word in {"now", "currently", "at present", "nowadays", "at the moment", "these days", "present"}:
        return "PRESENT_REF", "ref", "DATE", False
    if word in {"the future", "soon", "in the future", "the coming days", "the coming weeks"}:
        return "FUTURE_REF", "ref", "DATE", False
    return "PAST_REF", "ref", "DATE", False


def _rule(pattern: str, normaliser: Normaliser, flags: int = re.IGNORECASE) -> tuple[re.Pattern, Normaliser]:
    return re.compile(pattern, flags), normaliser


_WHICH = r"(?:(?P<which>last|this|next|past|previous|current|coming)\s+)"
# Ordered from most to least specific; a later match never overrides an earlier overlapping one.
RULES: list[tuple[re.Pattern, Normaliser]] = [
    _rule(r"\b(?P<year>\d{4})-(?P<mo>[01]\d)-(?P<day>[0-3]\d)\b", _n_iso),
    _rule(r"\b(?P<mo>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4}|\d{2})\b", _n_numeric),
    _rule(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:%|percent|people|troops))",
          _n_full_date, 0),
    _rule(rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", _n_full_date, 0),
    _rule(rf"\b(?:(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?{_MONTH}(?:\s+of)?,?\s+{_YEAR}\b",
          _n_month_year, 0),
    _rule(rf"\b(?P<ordinal>first|second|third|fourth|last)\s+quarter(?:\s+of\s+{_YEAR})?\b", _n_quarter),
    _rule(rf"\b(?:(?P<which>last|this|next)\s+)?(?P<season>spring|summer|autumn|winter)(?:\s+(?:of\s+)?{_YEAR})?\b",
          _n_season),
    _rule(rf"\b(?:(?i:late|early)\s+(?i:on\s+)?)?(?:(?P<which>(?i:last|this|next|on))\s+)?{_WEEKDAY}(?:\s+(?i:{_PART}))?\b",
          _n_weekday, 0),
    _rule(rf"\b(?:(?:late|early)\s+)?(?P<deictic>yesterday|today|tonight|tomorrow)(?:\s+{_PART})?\b", _n_deictic_day),
    _rule(rf"\b(?:(?:earlier|later|late|early)\s+)?{_WHICH}(?P<unit>week|weekend|month|year|decade)\b",
          _n_relative_unit),
    _rule(rf"\b{_NUM}\s+{_UNIT}\s+(?:ago|earlier|before)\b", _n_ago),
    _rule(r"\b(?P<ref>recently|currently|nowadays|at present|at the moment|these days|now|"
          r"in the past|the future|in the future|soon|formerly|previously|lately|the coming (?:days|weeks))\b",
          _n_reference),
    _rule(r"\b(?:the\s+|early\s+|late\s+|mid-)?(?P<decade>1[89]\d0|20[0-4]0)s\b|\bthe\s+'(?P<decade2>\d0)s\b",
          lambda m, a: _n_decade_any(m, a)),
    _rule(rf"\b(?:(?:the\s+)?(?:past|last|next|first|coming)\s+)?{_NUM}[\s-]+{_UNIT}(?:-long|-old)?\b", _n_duration),
    _rule(r"\b(?:for\s+|in\s+recent\s+)(?P<unit>hour|day|week|month|year|decade)s\b", _n_plural_duration),
    _rule(r"\b(?:every|each|per|a)\s+(?P<unit>day|week|month|year|hour)\b|\b(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly)\b",
          _n_set),
    _rule(r"\b(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)", _n_clock),
    _rule(rf"\b(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+{_MONTH}\b(?!\s+\d)",
          lambda m, a: _n_month_with_which(m, a), 0),
    _rule(rf"\b(?i:in|since|until|by|during|from|of|this|last|next)\s+{_MONTH}\b(?!\s+\d)",
          lambda m, a: _n_month_with_which(m, a), 0),
    _rule(rf"(?<![\d$£€])(?<![\d][.,])\b{_YEAR}\b(?![\d%]|[.,]\d|\s*(?:percent|people|troops|soldiers|km|miles|metres|meters|tonnes))",
          _n_year),
]


def _n_decade_any(m: re.Match, anchor: dt.date | None):
    if m["decade2"]:
        digits = m["decade2"]
        century = 19 if int(digits) > (anchor.year % 100 if anchor else 30) else 20
        return f"{century}{digits[0]}", "decade", "DATE", anchor is not None
    return m["decade"][:3], "decade", "DATE", False


def _n_month_with_which(m: re.Match, anchor: dt.date | None):
    first = m.group(0).split()[0].lower()
    return _month_value(_month(m["month"]), first if first in {"this", "last", "next"} else "", anchor)


# Words that the rules above may start a match with but that are not part of a TimeML extent.
_LEADING_WORDS = re.compile(r"^(?:in|since|until|by|during|from|of|on|for)\s+", re.IGNORECASE)


def _trim_leading(text: str, start: int) -> int:
    found = _LEADING_WORDS.match(text)
    return start + found.end() if found else start


def find_times(text: str, anchor: dt.date | None) -> list[Found]:
    """Every time expression the rules find in ``text``, longest and earliest rules first."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for pattern, normalise in RULES:
        for match in pattern.finditer(text):
            start, end = _trim_leading(match.group(0), match.start()), match.end()
            if any(start < e and s < end for s, e in taken):
                continue
            try:
                result = normalise(match, anchor)
            except (OverflowError, ValueError):  # counting from a date near 0001-01-01 or 9999-12-31 leaves the calendar
                result = None
            if result is None:
                continue
            value, precision, type_, anchored = result
            taken.append((start, end))
            found.append(Found(start, end, value, precision, type_, anchored))
    return sorted(found, key=lambda f: f.start)


def _entity_candidates(doc: Doc, found: list[Found], anchor: dt.date | None) -> Iterator[Found]:
    """spaCy DATE/TIME entities that no rule matched, normalised by the same rules when they can be."""
    for ent in doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        if any(ent.start_char < f.end and f.start < ent.end_char for f in found):
            continue
        # The rules see the words after the entity too, so "2000 soldiers" stays a count.
        window = text_of(doc)[ent.start_char:ent.end_char + CONTEXT_AFTER]
        for inner in find_times(window, anchor):
            if inner.end <= len(ent.text):
                yield Found(ent.start_char + inner.start, ent.start_char + inner.end, inner.value,
                            inner.precision, inner.type, inner.anchored)


def infer_published(text: str) -> dt.date | None:
    """The latest explicit full date (day, month and year written out) in the text, if any."""
    dates = [dt.date.fromisoformat(f.value) for f in find_times(text, None)
             if f.precision == "day" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.value)]
    return max(dates) if dates else None


def extract_times(doc: Doc, anchor: dt.date | None) -> list[TimeExpr]:
    """Time expressions of a parsed document as records with spans and sentences."""
    found = find_times(text_of(doc), anchor)
    found = sorted(found + list(_entity_candidates(doc, found, anchor)), key=lambda f: f.start)
    records = []
    for item in found:
        records.append(TimeExpr(
            id=f"T{len(records) + 1}",
            span=make_span(text_of(doc), item.start, item.end),
            sentence=sentence_of(doc, item.start),
            value=item.value, precision=item.precision, type=item.type, anchored=item.anchored,
        ))
    return records
