"""Scoring code of the evaluation harness, on tiny hand-made gold/prediction pairs.

Every expected number below was computed by hand (the arithmetic is in the comments).
"""

from __future__ import annotations

import pytest

from newstrace.evaluation import mappings
from newstrace.evaluation.metrics import (
    PRF,
    accuracy,
    b_cubed,
    ceaf_e,
    conll_scores,
    error_stats,
    haversine_km,
    hungarian,
    macro_f1,
    mae,
    majority_label,
    match_spans,
    muc,
    pearson,
    span_prf,
    token_overlap_prf,
    trim_span,
)
from newstrace.evaluation.scoring import (
    PredPlace,
    PredTimex,
    score_classes,
    score_places,
    score_regression,
    score_role_spans,
    score_times,
)

approx = pytest.approx

# --------------------------------------------------------------------------- PRF and spans


def test_prf_empty_is_zero_not_an_error() -> None:
    assert (PRF().precision, PRF().recall, PRF().f1) == (0.0, 0.0, 0.0)


def test_prf_adds_counts() -> None:
    total = PRF(1, 2, 1, 4) + PRF(1, 2, 1, 0)
    assert (total.precision, total.recall) == (0.5, 0.5)


def test_span_prf_perfect_empty_and_half() -> None:
    gold = [(0, 5), (10, 15)]
    assert span_prf(gold, gold).f1 == 1.0
    assert span_prf(gold, []).f1 == 0.0
    half = span_prf(gold, [(0, 5), (20, 25)])  # 1 of 2 right, 1 of 2 found
    assert (half.precision, half.recall, half.f1) == (0.5, 0.5, 0.5)


def test_exact_matching_is_one_to_one() -> None:
    # the same gold span predicted twice counts once
    prf = span_prf([(0, 5)], [(0, 5), (0, 5)])
    assert (prf.precision, prf.recall) == (0.5, 1.0)


def test_overlap_matching_prefers_the_largest_overlap() -> None:
    gold = [(0, 10), (12, 20)]
    pred = [(8, 14), (0, 9)]
    # (0,10)-(0,9) overlap 9 is taken first; (12,20)-(8,14) overlap 2 then pairs the rest
    assert match_spans(gold, pred, "overlap") == [(0, 1), (1, 0)]
    assert span_prf(gold, [(30, 40)], "overlap").f1 == 0.0


def test_match_spans_rejects_unknown_mode() -> None:
    with pytest.raises(ValueError):
        match_spans([], [], "fuzzy")


def test_trim_span_drops_quotes_and_punctuation() -> None:
    text = ' "We will win," he said'
    assert text[slice(*trim_span((1, 15), text))] == "We will win"
    assert trim_span((0, 1), text) == (0, 1)  # nothing left: the span is kept as it was


def test_token_overlap_counts_word_tokens() -> None:
    text = "the big red dog barked"
    gold = [(0, 15)]  # the big red dog: 4 tokens
    pred = [(8, 22)]  # red dog barked: 3 tokens, 2 shared
    prf = token_overlap_prf(gold, pred, text)
    assert (prf.precision, prf.recall) == (approx(2 / 3), 0.5)
    assert prf.f1 == approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))  # 4/7
    assert token_overlap_prf(gold, gold, text).f1 == 1.0
    assert token_overlap_prf(gold, [], text).f1 == 0.0


# --------------------------------------------------------------------------- labels


def test_macro_f1_by_hand() -> None:
    gold, pred = [0, 0, 1, 1], [0, 1, 1, 1]
    # class 0: P 1/1, R 1/2 -> F 2/3; class 1: P 2/3, R 2/2 -> F 0.8; macro (2/3 + 0.8) / 2
    assert macro_f1(gold, pred) == approx((2 / 3 + 0.8) / 2)
    assert macro_f1(gold, gold) == 1.0
    assert macro_f1(gold, [9, 9, 9, 9]) == 0.0
    assert accuracy(gold, pred) == 0.75


def test_macro_f1_counts_labels_never_predicted() -> None:
    # three classes asked for, one never occurs: its F1 is 0 and it still weighs a third
    assert macro_f1(["a", "b"], ["a", "b"], labels=["a", "b", "c"]) == approx(2 / 3)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        accuracy([1, 2], [1])


def test_majority_label_breaks_ties_by_name() -> None:
    assert majority_label(["b", "a", "b", "a", "c"]) == "a"
    assert majority_label([]) is None


# --------------------------------------------------------------------------- regression


def test_pearson_and_mae() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == approx(-1.0)
    assert pearson([1, 2, 3], [3, 3, 3]) is None  # constant prediction: undefined
    assert pearson([1], [1]) is None
    # r of (1,2,3) with (1,3,2): cov = (-1)(-1) + 0 + (1)(0) = 1; var 2 and 2 -> 0.5
    assert pearson([1, 2, 3], [1, 3, 2]) == approx(0.5)
    assert mae([3, -3], [3, 0]) == 1.5
    assert mae([], []) is None


# --------------------------------------------------------------------------- geography


def test_haversine_one_degree_on_the_equator() -> None:
    assert haversine_km(0, 0, 0, 1) == approx(111.195, abs=0.01)
    assert haversine_km(10, 20, 10, 20) == 0.0
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == approx(343.5, abs=1.0)  # London-Paris


def test_error_stats_by_hand() -> None:
    stats = error_stats([0.0, 100.0, 200.0, 1000.0])
    assert stats["acc_161"] == 0.5  # 0 and 100 are within 161 km
    assert stats["mean_km"] == 325.0
    assert stats["median_km"] == 150.0
    assert error_stats([0.0])["auc"] == 0.0
    assert error_stats([])["acc_161"] is None


# --------------------------------------------------------------------------- coreference

# Pradhan et al. (2014) worked example: key {a b c} {d e f g}; response {a b} {c d} {f g h i}.
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_by_hand() -> None:
    # recall: {a b c} splits in 2 parts (3-2=1), {d e f g} in 3 (4-3=1) -> 2/5
    # precision: {a b} 1 part (1), {c d} 2 parts (0), {f g h i} 3 parts (1) -> 2/5
    s = muc(KEY, RESPONSE)
    assert (s.recall, s.precision) == (approx(0.4), approx(0.4))


def test_b_cubed_by_hand() -> None:
    # recall: (2^2/3 + 1^2/3 + 1^2/4 + 2^2/4) / 7 = (5/3 + 5/4) / 7; e, h, i earn nothing
    # precision: (2^2/2 + (1+1)/2 + 2^2/4) / 8 = 4/8
    s = b_cubed(KEY, RESPONSE)
    assert s.recall == approx((5 / 3 + 5 / 4) / 7)
    assert s.precision == approx(0.5)


def test_ceaf_e_by_hand() -> None:
    # phi4: K1-R1 = 4/5, K2-R3 = 4/8 is the best alignment: 1.3; R = 1.3/2, P = 1.3/3
    s = ceaf_e(KEY, RESPONSE)
    assert (s.recall, s.precision) == (approx(0.65), approx(1.3 / 3))


def test_conll_perfect_empty_and_example() -> None:
    assert conll_scores(KEY, KEY)["conll_f1"] == 1.0
    assert conll_scores(KEY, [])["conll_f1"] == 0.0
    f1s = [0.4, 2 * (35 / 84) * 0.5 / (35 / 84 + 0.5), 0.52]
    assert conll_scores(KEY, RESPONSE)["conll_f1"] == approx(sum(f1s) / 3, abs=1e-4)


def test_all_singletons_against_one_cluster() -> None:
    key = [{"a", "b", "c", "d"}]
    singletons = [{"a"}, {"b"}, {"c"}, {"d"}]
    assert muc(key, singletons).recall == 0.0  # no link found
    assert b_cubed(key, singletons).recall == approx(0.25)  # each mention gets 1/4
    assert b_cubed(key, singletons).precision == 1.0


def test_hungarian_maximises_total_weight() -> None:
    weights = [[1, 2], [3, 1]]  # best: (0,1) + (1,0) = 5
    assert hungarian(weights) == [(0, 1), (1, 0)]
    rectangular = [[0.1], [0.9], [0.5]]  # 3 rows, 1 column: the best row wins
    assert hungarian(rectangular) == [(1, 0)]
    wide = [[0.2, 0.8, 0.1]]
    assert hungarian(wide) == [(0, 1)]
    assert hungarian([]) == []


# --------------------------------------------------------------------------- task scorers


def _timex(start: int, end: int, type_: str = "DATE", value: str = "2020-01-01") -> PredTimex:
    return PredTimex(start, end, type_, value)


def test_score_times_perfect_empty_and_half() -> None:
    gold = [_timex(0, 6), _timex(10, 20, "DURATION", "P3D")]
    assert score_times([(gold, gold)])["value_f1"] == 1.0
    empty = score_times([(gold, [])])
    assert (empty["strict_f1"], empty["relaxed_f1"], empty["value_f1"]) == (0.0, 0.0, 0.0)
    # one exact with the right value, one overlapping with the wrong type and value, one spurious
    pred = [_timex(0, 6), _timex(12, 20, "DATE", "2020"), _timex(30, 35)]
    half = score_times([(gold, pred)])
    assert (half["strict_p"], half["strict_r"]) == (approx(1 / 3, abs=1e-4), 0.5)
    assert (half["relaxed_p"], half["relaxed_r"]) == (approx(2 / 3, abs=1e-4), 1.0)
    assert half["type_accuracy"] == 0.5 and half["value_accuracy"] == 0.5
    # value F1: 1 right value over 3 predictions and 2 gold -> P 1/3, R 1/2, F 0.4
    assert half["value_f1"] == approx(0.4)


def test_score_places_spans_distance_ids_and_country() -> None:
    gold = [
        PredPlace(0, 5, 0.0, 0.0, 1, "USA"),
        PredPlace(10, 16, 0.0, 0.0, 2, "FRA"),
    ]
    perfect = score_places([(gold, gold)])
    assert perfect["exact_f1"] == 1.0 and perfect["acc_161"] == 1.0 and perfect["geonames_exact"] == 1.0
    # first toponym found 1 degree east (111 km, within 161 km), wrong id, right country;
    # second found 2 degrees east (222 km), right id, wrong country
    pred = [PredPlace(0, 5, 0.0, 1.0, 9, "USA"), PredPlace(10, 14, 0.0, 2.0, 2, "ESP")]
    got = score_places([(gold, pred)])
    assert got["exact_f1"] == 0.5 and got["overlap_f1"] == 1.0
    assert got["acc_161"] == 0.5
    assert got["mean_km"] == approx((111.2 + 222.4) / 2, abs=0.2)
    assert got["geonames_exact"] == 0.5 and got["country_accuracy"] == 0.5
    assert score_places([(gold, [])])["overlap_f1"] == 0.0


def test_score_places_maps_gold_country_names() -> None:
    gold = [PredPlace(0, 5, None, None, None, "France")]
    pred = [PredPlace(0, 5, None, None, None, "FRA")]
    got = score_places([(gold, pred)], {"France": "FRA"}.get)
    assert got["country_accuracy"] == 1.0 and got["acc_161"] is None


def test_score_role_spans_per_role_and_micro() -> None:
    text = "Officials said the talks would resume"
    gold = {"source": [(0, 9)], "cue": [(10, 14)], "content": [(15, 37)]}
    perfect = score_role_spans([(text, gold, gold)], ["source", "cue", "content"])
    assert perfect["all_exact_f1"] == 1.0 and perfect["all_overlap_f1"] == 1.0
    # source right, cue missing, content 3 of its 4 tokens ("the talks would")
    pred = {"source": [(0, 9)], "content": [(15, 30)]}
    got = score_role_spans([(text, gold, pred)], ["source", "cue", "content"])
    assert got["source_exact_f1"] == 1.0 and got["cue_exact_f1"] == 0.0
    assert got["content_exact_f1"] == 0.0
    assert (got["content_overlap_p"], got["content_overlap_r"]) == (1.0, 0.75)
    # micro exact: 1 right of 2 predicted, of 3 gold
    assert (got["all_exact_p"], got["all_exact_r"]) == (0.5, approx(1 / 3, abs=1e-4))


def test_score_role_spans_exact_ignores_surrounding_quotes() -> None:
    text = '"We will win," he said'
    gold = {"content": [(1, 12)]}  # We will win
    pred = {"content": [(0, 14)]}  # "We will win,"
    assert score_role_spans([(text, gold, pred)], ["content"])["content_exact_f1"] == 1.0


def test_score_role_spans_span_overlap_mode() -> None:
    text = "Jordan and Britain agreed"
    gold = {"source": [(0, 18)]}
    pred = {"source": [(0, 6), (11, 18)]}  # two actors against one conjoined gold span
    got = score_role_spans([(text, gold, pred)], ["source"], overlap="spans")
    assert (got["source_overlap_p"], got["source_overlap_r"]) == (0.5, 1.0)


def test_score_classes_and_regression() -> None:
    got = score_classes([0, 0, 1, 1], [0, 1, 1, 1], [0, 1])
    assert got["macro_f1"] == approx((2 / 3 + 0.8) / 2, abs=1e-4)
    assert got["f1_1"] == 0.8
    assert score_regression([3, 1, -3], [3, 1, -3])["pearson"] == 1.0
    assert score_regression([3, 1, -3], [3, 3, 3]) == {"pearson": None, "mae": approx(8 / 3, abs=1e-4), "n_gold": 3}


# --------------------------------------------------------------------------- mappings


def test_every_plover_type_has_a_conflibert_class_and_a_case_label() -> None:
    from typing import get_args

    from newstrace.model import PloverType

    for plover in get_args(PloverType):
        assert mappings.conflibert_class(plover) in mappings.CONFLIBERT_CLASSES
        assert mappings.case_label(plover) in mappings.CASE_LABELS
    assert mappings.conflibert_class(None) == mappings.NO_EVENT_CLASS
    assert mappings.conflibert_class("ASSAULT") == 4 and mappings.conflibert_class("CONSULT") == 1


def test_case_label_rules() -> None:
    assert mappings.case_label("ASSAULT", "aerial") == "AIR_STRIKE"
    assert mappings.case_label("ASSAULT", "suicide-attack") == "SUIC_BOMB"
    assert mappings.case_label("ASSAULT", None, armed_target=True) == "ARMED_CLASH"
    assert mappings.case_label("ASSAULT", None) == "ATTACK"
    assert mappings.case_label("ASSAULT", "firearms", responsibility=True) == "ATTRIB"
    assert mappings.case_label("ASSAULT", None, other_types={"PROTEST"}) == "FORCE_AGAINST_PROTEST"
    assert mappings.case_label("PROTEST", "demo", other_types={"COERCE"}) == "PROTEST_WITH_INTER"
    assert mappings.case_label("PROTEST", "riot") == "VIOL_DEMONSTR"
    assert mappings.case_label("COERCE", "occupy", state_source=True) == "GOV_REGAINS_TERIT"
    assert mappings.case_label("COERCE", "occupy", state_source=False) == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert mappings.case_label("COERCE", "arrest", ["crime_drugs"]) == "ORG_CRIME"
    assert mappings.case_label(None, None, ["enviro_disaster"]) == "NATURAL_DISASTER"
    assert mappings.case_label(None) == "OTHER"
    assert mappings.case_label("RETREAT", "ceasefire") == "AGREEMENT"


def test_factuality_mapping() -> None:
    assert mappings.factuality_score("asserted", "certain") == 3.0
    assert mappings.factuality_score("reported", "probable") == 2.0
    assert mappings.factuality_score("reported", "possible") == 1.0
    assert mappings.factuality_score("asserted", "doubtful") == -1.0
    assert mappings.factuality_score("alleged", "certain") == 1.0
    assert mappings.factuality_score("planned") == 0.0
    assert mappings.factuality_score("negated", "certain") == -3.0
    assert mappings.factuality_score("denied") == -3.0
    assert all(-3 <= mappings.factuality_score(s, c) <= 3 for s in mappings.STATUS_SCORE for c in mappings.CERTAINTY_SCORE)


def test_argument_roles() -> None:
    assert mappings.our_role("Attacker") == "source"
    assert mappings.our_role("victim") == "target"
    assert mappings.our_role("place") == "place"
    assert mappings.our_role("instrument") is None


def test_event_precision_counts_every_output_event_against_its_sentence() -> None:
    from newstrace.evaluation.metrics import event_precision

    found = event_precision([4, 0, 3], [[4, 4, 1], [], [3]])
    assert found["event_precision"] == round(3 / 4, 4)  # three of the four output events carry their gold class
    assert found["unit_precision"] == round((2 / 3 + 1) / 2, 4)
    assert found["gold_found"] == round(2 / 3, 4)
    assert found["one_event"] == round(1 / 3, 4)
    assert found["no_event"] == round(1 / 3, 4)
    assert found["n_events"] == 4
    assert event_precision([], [])["event_precision"] is None
    with pytest.raises(ValueError):
        event_precision([1], [])
