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


def test_seed_statements_events_responsibility(seed_analysis, seed_expected):
    problems = misses(seed_expected, seed_analysis, ["statements", "events", "responsibility"])
    assert not problems, "\n".join(problems)


def test_seed_reported_plot_is_never_asserted(seed_analysis):
    """Every attack inside Zarif's statements and tweet is a claim, never an asserted fact."""
    reported = [e for e in seed_analysis.events if e.type == "ASSAULT" and e.statement is not None]
    assert reported
    for statement in seed_analysis.statements:
        speaker = seed_analysis.actor(statement.speaker)
        if speaker is None or "Zarif" not in speaker.name:
            continue
        for event in seed_analysis.events:
            if event.type == "ASSAULT" and statement.content.start <= event.trigger.start < statement.content.end:
                assert event.status != "asserted", event
