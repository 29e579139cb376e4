"""The founding example: every expected actor, time and place of the seed article is read out."""

from __future__ import annotations

from matching import all_spans, misses


def test_seed_actors_times_places(seed_analysis, seed_expected):
    problems = misses(seed_expected, seed_analysis, ["actors", "times", "places"])
    assert not problems, "\n".join(problems)


def test_seed_publication_date_is_inferred(seed_analysis, seed_expected):
    doc = seed_analysis.document
    assert doc.published == seed_expected["published_hint"]
    assert doc.published_inferred is True


def test_seed_every_span_is_exact(seed_analysis):
    text = seed_analysis.document.text
    spans = all_spans(seed_analysis)
    assert len(spans) > 50
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"], span
