"""The shared filter check (newstrace/filters.py) that the API and the pages both use."""

from __future__ import annotations

import pytest

from newstrace.filters import FilterError, first_day, last_day, validate_filters


def test_good_filters_come_back_normalised():
    out = validate_filters(since=" 2024-03 ", until="2024-03-31", type="assault,accuse", status="Asserted",
                           sector="mil", channel="", actor=" Iran ")
    assert out == {"since": "2024-03", "until": "2024-03-31", "type": "ASSAULT,ACCUSE", "status": "asserted",
                   "sector": "MIL", "channel": None, "actor": "Iran"}


@pytest.mark.parametrize(("field", "value", "words"), [
    ("since", "notadate", "not a date"), ("until", "2024-02-30", "not a date"), ("since", "2024-13", "not a date"),
    ("type", "BOMBING", "PLOVER event type"), ("type", "ASSAULT,NOPE", "'NOPE'"), ("status", "rumoured", "event status"),
    ("sector", "XYZ", "sector"), ("channel", "pigeon", "channel"), ("certainty", "sure", "certainty"),
])
def test_each_bad_filter_is_named_with_its_reason(field, value, words):
    with pytest.raises(FilterError) as caught:
        validate_filters(**{field: value})
    assert caught.value.field == field
    assert words in caught.value.errors[field] and str(caught.value).startswith(f"{field}: ")
    assert isinstance(caught.value, ValueError)


def test_every_bad_field_is_reported_at_once_and_reversed_dates_are_refused():
    with pytest.raises(FilterError) as caught:
        validate_filters(since="x", type="nope")
    assert set(caught.value.errors) == {"since", "type"}
    with pytest.raises(FilterError) as caught:
        validate_filters(since="2024-04-02", until="2024-04-01")
    assert caught.value.field == "until"
    assert validate_filters(since="2024-03-05", until="2024-03")["until"] == "2024-03"  # within the month


def test_partial_dates_widen_to_whole_days():
    assert first_day("2024-03") == "2024-03-01" and first_day("2024") == "2024-01-01"
    assert last_day("2024-02") == "2024-02-29" and last_day("2023") == "2023-12-31" and last_day("2024-12") == "2024-12-31"
