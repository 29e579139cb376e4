"""Times stage: find time expressions and normalise them TimeML-style against the publication date.

The rules (``newstrace.times.rules``) cover what news copy uses and general date parsers lack:
explicit dates in the American and British orders, partial dates, weekdays, relative expressions
("earlier this month", "two days ago"), quarters and halves, seasons, decades, durations, sets,
clock times and the fuzzy PAST_REF / PRESENT_REF / FUTURE_REF. When the spaCy parse is at hand,
the tense of each expression's clause decides which way a partial date looks ("will meet Monday"
is the coming Monday); quarters talked about earlier in the text anchor "the year-ago quarter".
spaCy's DATE and TIME entities add candidates the rules did not see.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from newstrace.model import Precision, TimeExpr, TimeType
from newstrace.spans import ents_of, make_span, sentence_of, text_of
from newstrace.times import calendar
from newstrace.times.context import TenseAt, tense_reader
from newstrace.times.rules import FULL_DATE_NORMALISERS, LEADING_WORDS, RULES, Context, count_from

__all__ = ["Found", "extract_times", "find_times", "infer_published"]

GATE_BEFORE, GATE_AFTER = 80, 40  # how far a match may reach before and after its gate word
CONTEXT_AFTER = 30  # characters after a spaCy DATE entity that the rules may look at
QUARTER_CONTEXT_CHARS = 2000  # how far back a named quarter anchors "the year-ago quarter"
CLOCK_CONTEXT_CHARS = 400  # how far back a full date gives a bare clock time its day
_QUARTER = re.compile(r"\d{4}-Q[1-4]")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"([a-z]+)([+-]\d+)")  # "day+2" in "REF:Cday+2|2023-03-17"
_DATED = re.compile(r"\d{4}(?:-\d{2}){0,2}(?:T|$)")  # a calendar date with its year: anchors "that year"
# The rules up to the last one that can yield a date with day, month and year written out: all
# that ``infer_published`` needs (earlier rules included, so it finds what a full pass finds), and
# the pass over an undated article stays cheap.
_DATE_RULES = RULES[:max(i for i, rule in enumerate(RULES) if rule.normalise in FULL_DATE_NORMALISERS) + 1]


@dataclass(frozen=True)
class Found:
    """A time expression found in the text, before it becomes a record."""

    start: int
    end: int
    value: str
    precision: Precision
    type: TimeType
    anchored: bool


def _trim_leading(text: str, start: int) -> int:
    found = LEADING_WORDS.match(text)
    return start + found.end() if found else start


def _windows(gate: re.Pattern, text: str) -> list[tuple[int, int]]:
    """Merged stretches of ``text`` around ``gate``'s hits, where a gated rule's matches can lie."""
    windows: list[list[int]] = []
    for hit in gate.finditer(text):
        start, end = max(0, hit.start() - GATE_BEFORE), hit.end() + GATE_AFTER
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def _gated_matches(pattern: re.Pattern, windows: list[tuple[int, int]] | None, text: str) -> Iterator[re.Match]:
    """``pattern``'s matches in ``text``, looked for only in ``windows`` (None: everywhere).

    Searching from an offset keeps the real context: lookbehinds and ``\\b`` see the characters
    before the window, so a match in a window is a match in the text."""
    if windows is None:
        yield from pattern.finditer(text)
        return
    last_end = -1
    for start, end in windows:
        for match in pattern.finditer(text, start, end):
            if match.start() >= last_end:  # overlapping windows must not yield a match twice
                last_end = match.end()
                yield match


def _matches(text: str, anchor: dt.date | None, tense_at: TenseAt | None, rules=RULES) -> list[Found]:
    taken_starts: list[int] = []  # the spans taken so far, sorted and disjoint
    taken_ends: list[int] = []
    found: list[Found] = []
    windows: dict[re.Pattern, list[tuple[int, int]]] = {}
    for pattern, normalise, gate in rules:
        if gate is not None and gate not in windows:
            windows[gate] = _windows(gate, text)
        for match in _gated_matches(pattern, windows[gate] if gate is not None else None, text):
            if "x" in pattern.groupindex:
                start, end = match.span("x")
            else:
                start, end = _trim_leading(match.group(0), match.start()), match.end()
            at = bisect_left(taken_starts, end)  # spans starting before this one ends
            if at and taken_ends[at - 1] > start:
                continue
            context = Context(anchor, tense_at(start, end) if tense_at else None)
            try:
                result = normalise(match, context)
            except (OverflowError, ValueError):  # counting from a date near 0001-01-01 or 9999-12-31 leaves the calendar
                result = None
            if result is None:
                continue
            value, precision, type_, anchored = result
            at = bisect_left(taken_starts, start)
            taken_starts.insert(at, start)
            taken_ends.insert(at, end)
            found.append(Found(start, end, value, precision, type_, anchored))
    return sorted(found, key=lambda f: f.start)


def _resolve_references(found: list[Found], anchor: dt.date | None) -> list[Found]:
    """Fill in ``REF:`` values from the quarter last named before them (results reports say "the
    third quarter" once, then "the quarter", "a year earlier", "the year-ago period")."""
    out: list[Found] = []
    last_quarter: tuple[int, str] | None = None
    last_date: str | None = None
    last_day: tuple[int, str] | None = None  # where the last full date ends, and its value
    for item in found:
        if not item.value.startswith("REF:"):
            if _QUARTER.fullmatch(item.value):
                last_quarter = (item.end, item.value)
            if _DATED.match(item.value):
                last_date = item.value
            if _FULL_DATE.match(item.value):
                last_day = (item.end, item.value)
            out.append(item)
            continue
        if item.value.startswith("REF:D"):
            resolved = _anaphoric_value(item.value[5:], last_date)
            if resolved is not None:
                out.append(Found(item.start, item.end, *resolved, item.type, True))
            continue
        if item.value.startswith("REF:T"):  # a clock time: on the full date named just before, else the anchor's
            clock, _, fallback = item.value[5:].partition("|")
            near = last_day is not None and item.start - last_day[0] < CLOCK_CONTEXT_CHARS
            out.append(Found(item.start, item.end, f"{last_day[1][:10]}T{clock}" if near else fallback,
                             item.precision, item.type, True))
            continue
        if item.value.startswith("REF:C"):
            out.append(Found(item.start, item.end, *_counted_value(item.value[5:], last_date, item.precision),
                             item.type, True))
            continue
        if item.value == "REF:YE-1" and last_date and not (last_quarter and item.start - last_quarter[0] <
                                                           QUARTER_CONTEXT_CHARS):
            out.append(Found(item.start, item.end, f"{int(last_date[:4]) - 1:04d}", "year", item.type, True))
            continue
        quarter = last_quarter[1] if last_quarter and item.start - last_quarter[0] < QUARTER_CONTEXT_CHARS else None
        value = _reference_value(item.value[4:], quarter, anchor)
        if value is not None:
            precision: Precision = "quarter" if _QUARTER.fullmatch(value) else "year"
            out.append(Found(item.start, item.end, value, precision, item.type, True))
    return out


def _counted_value(ref: str, last_date: str | None, precision: Precision) -> tuple[str, Precision]:
    """"two days later" from the last full date named (``day+2|<value from the anchor>``)."""
    counted, _, fallback = ref.partition("|")
    unit, step = _COUNT.fullmatch(counted).groups()
    if last_date and _FULL_DATE.match(last_date):
        try:
            found = count_from(dt.date.fromisoformat(last_date[:10]), unit, int(step))
        except (OverflowError, ValueError):
            found = None
        if found is not None:
            return found
    return fallback, precision


def _anaphoric_value(ref: str, last_date: str | None) -> tuple[str, Precision] | None:
    """"that year" (``y+0``), "the following month" (``m+1``) from the date last mentioned."""
    if last_date is None:
        return None
    unit, step = ref[0], int(ref[1:])
    year = int(last_date[:4])
    if unit == "y":
        return f"{year + step:04d}", "year"
    if unit == "m" and len(last_date) >= 7 and last_date[5:7].isdigit():
        index = year * 12 + int(last_date[5:7]) - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"
    if unit == "d" and _FULL_DATE.match(last_date):
        try:
            return (dt.date.fromisoformat(last_date[:10]) + dt.timedelta(days=step)).isoformat(), "day"
        except (OverflowError, ValueError):  # the day after 9999-12-31
            return None
    return None


def _reference_value(ref: str, quarter: str | None, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    if ref == "Q+0":
        return quarter or calendar.shift_quarter(f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}", -1)
    if ref == "Q-4":
        return calendar.shift_quarter(quarter, -4) if quarter else f"{anchor.year - 1:04d}"
    if ref.startswith("QY"):
        return f"{ref[2:]}-{quarter[-2:]}" if quarter else ref[2:]
    if ref in {"Y-1", "YE-1"}:
        return calendar.shift_quarter(quarter, -4) if quarter else f"{anchor.year - 1:04d}"
    return None


def find_times(text: str, anchor: dt.date | None, tense_at: TenseAt | None = None) -> list[Found]:
    """Every time expression the rules find in ``text``, longest and earliest rules first.

    ``tense_at`` gives the tense of the clause at a character offset (see
    ``newstrace.times.context.tense_reader``); without it partial dates take the nearest reading.
    """
    return _resolve_references(_matches(text, anchor, tense_at), anchor)


def _entity_candidates(doc: Doc, text: str, found: list[Found], anchor: dt.date | None,
                       tense_at: TenseAt | None) -> Iterator[Found]:
    """spaCy DATE/TIME entities that no rule matched, normalised by the same rules when they can be."""
    for ent in ents_of(doc):
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        if any(ent.start_char < f.end and f.start < ent.end_char for f in found):
            continue
        # The rules see the words after the entity too, so "2000 soldiers" stays a count.
        window = text[ent.start_char:ent.end_char + CONTEXT_AFTER]
        shifted = (lambda s, e, base=ent.start_char: tense_at(base + s, base + e)) if tense_at else None
        for inner in find_times(window, anchor, shifted):
            if inner.end <= len(ent.text):
                yield Found(ent.start_char + inner.start, ent.start_char + inner.end, inner.value,
                            inner.precision, inner.type, inner.anchored)


def infer_published(text: str) -> dt.date | None:
    """The latest explicit full date (day, month and year written out) in the text, if any."""
    dates = [dt.date.fromisoformat(f.value) for f in _matches(text, None, None, _DATE_RULES)
             if f.precision == "day" and _FULL_DATE.fullmatch(f.value)]
    return max(dates) if dates else None


def extract_times(doc: Doc, anchor: dt.date | None) -> list[TimeExpr]:
    """Time expressions of a parsed document as records with spans and sentences."""
    text = text_of(doc)  # spaCy rebuilds it from the tokens on every call
    tense_at = tense_reader(doc, text)
    found = find_times(text, anchor, tense_at)
    found = sorted(found + list(_entity_candidates(doc, text, found, anchor, tense_at)), key=lambda f: f.start)
    records = []
    for item in found:
        records.append(TimeExpr(
            id=f"T{len(records) + 1}",
            span=make_span(text, item.start, item.end),
            sentence=sentence_of(doc, item.start),
            value=item.value, precision=item.precision, type=item.type, anchored=item.anchored,
        ))
    return records
