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


# --- issue 15: durations, sets, quarters, fuzzy references, spans and tense ----------------------

@pytest.mark.parametrize(("text", "value", "type_", "extent"), [
    ("The siege lasted nearly three years.", "P3Y", "DURATION", "nearly three years"),
    ("Refugees have waited 2 1/2 years for a ruling.", "P2Y6M", "DURATION", "2 1/2 years"),
    ("The shelling stopped for a minute and a half.", "PT1M30S", "DURATION", "a minute and a half"),
    ("Prices have doubled in the past two months.", "P2M", "DURATION", "the past two months"),
    ("Repairs will take two to three weeks.", "PXW", "DURATION", "two to three weeks"),
    ("The border stayed closed for two decades.", "P20Y", "DURATION", "two decades"),
    ("Exports fell in the first nine months.", "P9M", "DURATION", "the first nine months"),
    ("The curfew lasts twenty-four hours.", "PT24H", "DURATION", "twenty-four hours"),
    ("Both sides agreed to the two-week truce.", "P2W", "DURATION", "two-week"),
    ("Patrols leave every Monday.", "XXXX-WXX-1", "SET", "every Monday"),
    ("Protesters gather on Fridays.", "XXXX-WXX-5", "SET", "Fridays"),
    ("Pilgrims arrive each July.", "XXXX-07", "SET", "each July"),
    ("The council meets every quarter.", "P1Q", "SET", "every quarter"),
    ("The third-quarter loss widened.", "2022-Q3", "DATE", "third-quarter"),
    ("Revenue fell in the fourth quarter.", "2022-Q4", "DATE", "the fourth quarter"),
    ("The merger closes in next year's first quarter.", "2024-Q1", "DATE", "next year's first quarter"),
    ("Output will recover in the first half of 2024.", "2024-H1", "DATE", "the first half of 2024"),
    ("The rebels attacked last fall.", "2022-FA", "DATE", "last fall"),
    ("The blast came at 10 p.m. Tuesday.", "2023-03-14T22:00", "TIME", "10 p.m. Tuesday"),
    ("Fighting resumed over the weekend.", "2023-W10-WE", "DATE", "the weekend"),
    ("The army is right now regrouping.", "PRESENT_REF", "DATE", "now"),
    ("No talks are planned in the near future.", "FUTURE_REF", "DATE", "the near future"),
    ("Attacks have grown in recent years.", "PXY", "DURATION", "recent years"),
    ("The current government resigned.", "PRESENT_REF", "DATE", "current"),
    ("Peace will one day return.", "FUTURE_REF", "DATE", "one day"),
    ("The mine closed in June last year.", "2022-06", "DATE", "June last year"),
    ("The dam was built in nineteen ninety-four.", "1994", "DATE", "nineteen ninety-four"),
    ("The truce was signed on Christmas Day.", "2022-12-25", "DATE", "Christmas Day"),
    ("They met again last Thanksgiving.", "2022-11-24", "DATE", "last Thanksgiving"),
    ("Empires rose and fell in the 20th century.", "19", "DATE", "20th century"),
    ("Troops will leave by the end of the month.", "2023-03", "DATE", "the end of the month"),
    ("Sales in fiscal 2022 were flat.", "2022", "DATE", "fiscal 2022"),
    ("The hearing is set for the week of March 6.", "2023-W10", "DATE", "the week of March 6"),
])
def test_new_constructions(text, value, type_, extent):
    found, matched = _one(text)
    assert (found.value, found.type, matched) == (value, type_, extent)


@pytest.mark.parametrize("text", [
    "A 44-year-old farmer was detained.",
    "The minister, 52 years old, resigned.",
    "The airline runs four flights a week.",
    "After the fall of the city, aid stopped.",
    "Iraq imports three-quarters of its grain.",
])
def test_ages_rates_and_fractions_are_not_time_expressions(text):
    assert find_times(text, ANCHOR) == []


def test_a_year_earlier_in_a_results_report_is_the_year_ago_quarter():
    text = ("Profit rose in the third quarter. A year earlier, the company lost money. "
            "In the year-ago quarter it also cut jobs, but the latest quarter was strong.")
    values = [f.value for f in find_times(text, ANCHOR)]
    assert values == ["2022-Q3", "2021-Q3", "2021-Q3", "2022-Q4"]


def test_a_year_ago_without_a_quarter_is_the_year_before():
    found, matched = _one("The town was shelled a year ago.")
    assert (found.value, matched) == ("2022", "a year ago")


def test_that_year_and_the_following_month_follow_the_last_date():
    text = "The war began in June 2014. Later that year the border shut, and the following month it reopened."
    assert [(text[f.start:f.end], f.value) for f in find_times(text, ANCHOR)] == [
        ("June 2014", "2014-06"), ("Later that year", "2014"), ("the following month", "2014-07")]


@pytest.mark.parametrize(("text", "target", "value"), [
    ("The envoy will arrive on Monday.", "Monday", "2023-03-20"),
    ("The envoy arrived on Monday.", "Monday", "2023-03-13"),
    ("The ceasefire collapsed on July 1.", "July 1", "2022-07-01"),
    ("The ceasefire will start on July 1.", "July 1", "2023-07-01"),
    ("Elections are expected in May.", "May", "2023-05"),
    ("The treaty was signed in May.", "May", "2022-05"),
    ("The deadline was extended until Friday.", "Friday", "2023-03-17"),
    ("The rebels had withdrawn by Monday.", "Monday", "2023-03-13"),
    ("Officials gave no reason for the April 2 deadline.", "April 2", "2023-04-02"),
    ("The summit, to be held in Vienna in June, was announced.", "June", "2023-06"),
    ("Ministers prepared for the summit set for Washington in May.", "May", "2023-05"),
    ("The handover was planned for June, officials said.", "June", "2023-06"),
])
def test_the_tense_of_the_clause_picks_the_date(pipeline, text, target, value):
    analysis = pipeline.analyze(text, published=ANCHOR.isoformat())
    assert [(t.span.text, t.value) for t in analysis.times] == [(target, value)]


def test_undated_article_gets_its_date_from_the_text_and_relative_dates_follow_it(pipeline):
    text = "Kyiv, 4 March 2023\nThe talks will resume on Monday, officials said."
    analysis = pipeline.analyze(text)
    assert analysis.document.published == "2023-03-04" and analysis.document.published_inferred
    assert [(t.span.text, t.value) for t in analysis.times] == [("4 March 2023", "2023-03-04"), ("Monday", "2023-03-06")]


def test_a_weekday_written_with_the_date_picks_its_year():
    # Oct. 23 nearest to May 1999 is in 1999, a Saturday; the Friday one was in 1998
    found, matched = _one("The doctor was shot on Friday, Oct. 23, at home.", dt.date(1999, 5, 6))
    assert (found.value, matched) == ("1998-10-23", "Friday, Oct. 23")


@pytest.mark.parametrize(("text", "value", "extent"), [
    ("The budget for April was cut.", "2023-04", "April"),        # one month ahead, no tense: the coming one
    ("Rebels seized the town in October.", "2022-10", "October"),  # far ahead: the last one
    ("Both sides honoured a June agreement.", "2022-06", "June"),
    ("Aid deliveries resumed through January.", "2023-01", "January"),
])
def test_months_without_a_year(text, value, extent):
    found, matched = _one(text)
    assert (found.value, matched) == (value, extent)


def test_a_month_in_a_name_is_not_a_date():
    assert find_times("Thousands joined the March for Peace downtown.", ANCHOR) == []


def test_the_verb_last_is_not_part_of_a_duration():
    found, matched = _one("The trial is expected to last several months.")
    assert (found.value, matched) == ("PXM", "several months")


def test_a_future_clause_reads_a_recent_day_as_next_years(pipeline):
    # Jan. 1 is about ten weeks before the anchor: "would take effect" puts it in the coming year
    analysis = pipeline.analyze("The new tariff would take effect on Jan. 1.", published=ANCHOR.isoformat())
    assert [(t.span.text, t.value) for t in analysis.times] == [("Jan. 1", "2024-01-01")]


@pytest.mark.parametrize(("text", "value"), [
    ("Tourism boomed in the summer.", "2022-SU"),   # untensed, three months off in March: last year's
    ("Elections are due this summer.", "2023-SU"),
    ("Turnout fell in the spring.", "2023-SP"),       # spring begins this month
])
def test_seasons_without_a_year(text, value):
    found, _ = _one(text)
    assert found.value == value


@pytest.mark.parametrize(("text", "extent", "value"), [
    ("He was detained on March 3, 2020. Two days later he was freed.", "Two days later", "2020-03-05"),
    ("The war began in 2010. A year earlier, talks had failed.", "A year earlier", "2009"),
    ("Two days later the envoy left.", "Two days later", "2023-03-17"),  # no date named before: the anchor
    ("The war began in 2010. It ended three years ago.", "three years ago", "2020"),  # "ago" counts from the anchor
])
def test_later_and_earlier_count_from_the_last_date_named(text, extent, value):
    assert (extent, value) in [(text[f.start:f.end], f.value) for f in find_times(text, ANCHOR)]


def test_a_clock_time_falls_on_the_date_just_named():
    text = "The rally began on March 10, 2023. At 3 p.m. police moved in."
    assert [(text[f.start:f.end], f.value) for f in find_times(text, ANCHOR)][-1] == ("3 p.m.", "2023-03-10T15:00")
