"""Task-level scorers: turn gold and predicted items of many documents into a metrics dict.

They work on plain values (offsets, labels, numbers) so that the same scorer grades our pipeline
and every peer, and so that they can be tested on hand-made examples.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from newstrace.evaluation.metrics import (
    PRF,
    Offsets,
    accuracy,
    error_stats,
    haversine_km,
    macro_f1,
    mae,
    match_spans,
    pearson,
    per_class_prf,
    span_prf,
    token_overlap_prf,
    trim_span,
)

Metrics = dict[str, float | int | None]


class TimexLike(Protocol):
    start: int
    end: int
    type: str
    value: str


@dataclass
class PredTimex:
    """A predicted time expression."""

    start: int
    end: int
    type: str
    value: str


@dataclass
class PredPlace:
    """A predicted toponym with its resolution (any field may be None)."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    country: str | None = None


def _norm_value(value: str | None) -> str:
    return (value or "").strip().upper()


def score_times(docs: Iterable[tuple[Sequence[TimexLike], Sequence[TimexLike]]]) -> Metrics:
    """TempEval-3 Task A: strict and relaxed span P/R/F1, type and value accuracy and F1.

    Attribute F1 follows the TempEval-3 scorer: a relaxed span match with the right attribute
    counts once for precision (over predictions) and once for recall (over gold).
    """
    strict, relaxed = PRF(), PRF()
    n_match = n_type = n_value = 0
    for gold, pred in docs:
        g_spans = [(t.start, t.end) for t in gold]
        p_spans = [(t.start, t.end) for t in pred]
        strict += span_prf(g_spans, p_spans, "exact")
        pairs = match_spans(g_spans, p_spans, "overlap")
        relaxed += PRF(len(pairs), len(pred), len(pairs), len(gold))
        n_match += len(pairs)
        n_type += sum(gold[gi].type == pred[pi].type for gi, pi in pairs)
        n_value += sum(_norm_value(gold[gi].value) == _norm_value(pred[pi].value) for gi, pi in pairs)
    out: Metrics = {**strict.as_dict("strict_"), **relaxed.as_dict("relaxed_")}
    for name, n in (("type", n_type), ("value", n_value)):
        out[f"{name}_accuracy"] = round(n / n_match, 4) if n_match else 0.0
        out[f"{name}_f1"] = round(PRF(n, relaxed.n_pred, n, relaxed.n_gold).f1, 4)
    out["n_gold"], out["n_pred"] = int(relaxed.n_gold), int(relaxed.n_pred)
    return out


class ToponymLike(Protocol):
    start: int
    end: int
    lat: float | None
    lon: float | None
    geonames_id: int | None
    country: str | None


def score_places(
    docs: Iterable[tuple[Sequence[ToponymLike], Sequence[PredPlace]]],
    country_code: Callable[[str | None], str | None] = lambda c: c,
) -> Metrics:
    """Toponym span P/R/F1 (exact, overlap) and resolution of the overlap-matched toponyms.

    Resolution is measured on gold toponyms that were matched by a prediction: distance metrics
    where both sides have coordinates, GeoNames id agreement where gold has an id, country
    agreement where gold names a country (``country_code`` turns it into ISO alpha-3).
    """
    exact, over = PRF(), PRF()
    errors: list[float] = []
    ids = [0, 0]
    countries = [0, 0]
    gold_coords = 0
    for gold, pred in docs:
        g_spans = [(t.start, t.end) for t in gold]
        p_spans = [(p.start, p.end) for p in pred]
        exact += span_prf(g_spans, p_spans, "exact")
        pairs = match_spans(g_spans, p_spans, "overlap")
        over += PRF(len(pairs), len(pred), len(pairs), len(gold))
        gold_coords += sum(t.lat is not None and t.lon is not None for t in gold)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if None not in (g.lat, g.lon, p.lat, p.lon):
                errors.append(haversine_km(g.lat, g.lon, p.lat, p.lon))
            if g.geonames_id is not None:
                ids[0] += p.geonames_id == g.geonames_id
                ids[1] += 1
            code = country_code(g.country) if g.country else None
            if code:
                countries[0] += (p.country or "").upper() == code.upper()
                countries[1] += 1
    out: Metrics = {**exact.as_dict("exact_"), **over.as_dict("overlap_"), **error_stats(errors)}
    out["geonames_exact"] = round(ids[0] / ids[1], 4) if ids[1] else None
    out["country_accuracy"] = round(countries[0] / countries[1], 4) if countries[1] else None
    out["resolved"] = len(errors)
    out["resolution_coverage"] = round(len(errors) / gold_coords, 4) if gold_coords else None
    out["e2e_acc_161"] = end_to_end_accuracy(errors, gold_coords)
    out["n_gold"], out["n_pred"] = int(exact.n_gold), int(exact.n_pred)
    return out


def end_to_end_accuracy(errors_km: Sequence[float], n_gold_with_coords: int, threshold_km: float = 161.0) -> float | None:
    """Share of all gold toponyms with coordinates that were found *and* placed within ``threshold_km``:
    a missed toponym counts as wrong (the geoparsing literature's end-to-end accuracy@161)."""
    if not n_gold_with_coords:
        return None
    return round(sum(e <= threshold_km for e in errors_km) / n_gold_with_coords, 4)


RoleSpans = Mapping[str, Sequence[Offsets]]


def score_role_spans(
    docs: Iterable[tuple[str, RoleSpans, RoleSpans]], roles: Sequence[str], overlap: str = "tokens"
) -> Metrics:
    """Per-role and micro-averaged span P/R/F1, exact and overlapping.

    Each document is ``(text, gold role -> spans, predicted role -> spans)``. *Exact* compares spans
    after trimming whitespace, quote marks and light punctuation at both ends. *Overlap* is either
    token-level (``"tokens"``: word tokens covered by predictions vs by gold) or span-level
    (``"spans"``: one-to-one matching of spans sharing a character).
    """
    exact = {r: PRF() for r in roles}
    over = {r: PRF() for r in roles}
    for text, gold, pred in docs:
        for role in roles:
            g, p = list(gold.get(role, ())), list(pred.get(role, ()))
            exact[role] += span_prf([trim_span(s, text) for s in g], [trim_span(s, text) for s in p], "exact")
            if overlap == "tokens":
                over[role] += token_overlap_prf(g, p, text)
            else:
                over[role] += span_prf(g, p, "overlap")
    out: Metrics = {}
    for role in roles:
        out.update(exact[role].as_dict(f"{role}_exact_"))
        out.update(over[role].as_dict(f"{role}_overlap_"))
    out.update(sum(exact.values(), PRF()).as_dict("all_exact_"))
    out.update(sum(over.values(), PRF()).as_dict("all_overlap_"))
    return out


def score_regression(gold: Sequence[float], pred: Sequence[float]) -> Metrics:
    """Pearson r and mean absolute error (both None on too little or constant data)."""
    r = pearson(gold, pred)
    err = mae(gold, pred)
    return {
        "pearson": round(r, 4) if r is not None else None,
        "mae": round(err, 4) if err is not None else None,
        "n_gold": len(gold),
    }


def score_classes(gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable] | None = None) -> Metrics:
    """Macro-F1 over ``labels`` (default: the gold labels), accuracy and F1 per class."""
    labels = list(labels) if labels is not None else sorted(set(gold), key=str)
    out: Metrics = {"macro_f1": round(macro_f1(gold, pred, labels), 4), "accuracy": round(accuracy(gold, pred), 4)}
    for label, prf in per_class_prf(gold, pred, labels).items():
        out[f"f1_{label}"] = round(prf.f1, 4)
    out["n_gold"] = len(gold)
    return out
