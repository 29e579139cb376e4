"""Regression floors: each evaluator runs on a few gold documents with the real pipeline.

The floors sit a little under the scores measured when they were set (see docs/accuracy.md for
the full runs), so a change that makes newstrace read worse fails the build. The scores are
printed, so a run also shows how far above its floor each task is.
"""

from __future__ import annotations

import pytest
from conftest import SHARED

from newstrace.evaluation import default_data, run_task

SHARED_EVAL = SHARED / "eval"

# task: (documents, {metric: floor})
FLOORS: dict[str, tuple[int, dict[str, float]]] = {
    "times": (20, {"relaxed_f1": 0.88, "value_f1": 0.75}),
    "places": (30, {"overlap_f1": 0.85, "acc_161": 0.80, "e2e_acc_161": 0.72}),
    "attribution": (8, {"content_overlap_f1": 0.83, "source_overlap_f1": 0.79, "cue_overlap_f1": 0.66}),
    "factuality": (150, {"pearson": 0.62}),
    "events-class": (206, {"macro_f1": 0.60}),
    "events-actors": (150, {"all_overlap_f1": 0.61}),
    "events-type": (120, {"macro_f1": 0.22}),
    "events-args": (60, {"all_overlap_f1": 0.20}),
}


@pytest.mark.parametrize("task", sorted(FLOORS))
def test_evaluator_meets_its_floor(task, pipeline, capsys):
    paths = [p for p in default_data(task, SHARED_EVAL) if p.exists()]
    if not paths:
        pytest.skip(f"{task}: no evaluation data under {SHARED_EVAL} (tests that need ../shared skip without it)")
    limit, floors = FLOORS[task]
    result = run_task(task, paths, limit, pipeline)
    assert result.n_docs > 0, result.errors
    with capsys.disabled():
        shown = ", ".join(f"{m}={result.metrics.get(m)}" for m in floors)
        print(f"\n[eval floor] {task} on {result.n_docs} {result.unit}: {shown}")
    for metric, floor in floors.items():
        assert result.metrics.get(metric) is not None, f"{task}: no {metric}"
        assert result.metrics[metric] >= floor, f"{task}: {metric} {result.metrics[metric]:.3f} < floor {floor}"


def test_coref_linker_beats_the_same_lemma_baseline(pipeline, capsys):
    """ECB+ on gold mentions, first 150 documents: our linking parts against the classic baseline run beside
    them (measured 0.814 vs 0.762 CoNLL F1 when set; full dev set 0.759 vs 0.714)."""
    paths = [p for p in default_data("coref", SHARED_EVAL) if p.exists()]
    if not paths:
        pytest.skip(f"coref: no ECB+ data under {SHARED_EVAL} (tests that need ../shared skip without it)")
    result = run_task("coref", paths, 150, pipeline)
    ours, baseline = result.metrics["conll_f1"], result.peers["same-lemma"]["conll_f1"]
    with capsys.disabled():
        print(f"\n[eval floor] coref on {result.n_docs} documents: conll_f1={ours} (same-lemma {baseline}), "
              f"within topics {result.metrics['conll_f1_within_topic']}")
    assert ours >= 0.79
    assert ours >= baseline + 0.03
