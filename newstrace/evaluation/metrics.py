"""Scoring functions for the evaluation harness: pure Python, no third-party dependencies.

Spans are ``(start, end)`` character offsets, end exclusive. Every function here is deterministic
and is tested on tiny hand-made gold/prediction pairs in ``tests/test_eval_metrics.py``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

Offsets = tuple[int, int]
_WORD = re.compile(r"\w+", re.UNICODE)
_TRIM = " \t\r\n\"'“”‘’«»,.;:"
EARTH_RADIUS_KM = 6371.0088
# Half the Earth's circumference: the largest possible great-circle error, used to scale AUC.
MAX_ERROR_KM = 20038.0


@dataclass
class PRF:
    """Counts behind precision, recall and F1.

    ``tp_pred`` counts predictions judged correct (numerator of precision) and ``tp_gold`` gold
    items found (numerator of recall); they differ only for many-to-one matching schemes.
    """

    tp_pred: float = 0.0
    n_pred: float = 0.0
    tp_gold: float = 0.0
    n_gold: float = 0.0

    @property
    def precision(self) -> float:
        """Share of predictions that are correct (0.0 when nothing was predicted)."""
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """Share of gold items found (0.0 when there is no gold item)."""
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.tp_pred + other.tp_pred,
            self.n_pred + other.n_pred,
            self.tp_gold + other.tp_gold,
            self.n_gold + other.n_gold,
        )

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        """``{prefix}p``, ``{prefix}r``, ``{prefix}f1`` rounded to 4 decimals."""
        return {
            f"{prefix}p": round(self.precision, 4),
            f"{prefix}r": round(self.recall, 4),
            f"{prefix}f1": round(self.f1, 4),
        }


# --------------------------------------------------------------------------- spans


def trim_span(span: Offsets, text: str, chars: str = _TRIM) -> Offsets:
    """Shrink a span past leading/trailing whitespace, quote marks and light punctuation."""
    start, end = span
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return (start, end) if start < end else span


def overlap(a: Offsets, b: Offsets) -> int:
    """Number of characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Offsets], pred: Sequence[Offsets], mode: str = "exact") -> list[tuple[int, int]]:
    """One-to-one alignment of gold and predicted spans, as ``(gold_index, pred_index)`` pairs.

    ``mode="exact"`` pairs identical offsets; ``mode="overlap"`` pairs spans sharing at least one
    character, greedily by largest overlap (ties: earliest gold, then earliest prediction).
    """
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown match mode {mode!r}")
    if mode == "exact":
        return _match_exact(gold, pred)
    candidates = [
        (-overlap(g, p), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if overlap(g, p) > 0
    ]
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _match_exact(gold: Sequence[Offsets], pred: Sequence[Offsets]) -> list[tuple[int, int]]:
    free: dict[Offsets, list[int]] = {}
    for pi, p in enumerate(pred):
        free.setdefault(tuple(p), []).append(pi)
    pairs = []
    for gi, g in enumerate(gold):
        slots = free.get(tuple(g))
        if slots:
            pairs.append((gi, slots.pop(0)))
    return pairs


def span_prf(gold: Sequence[Offsets], pred: Sequence[Offsets], mode: str = "exact") -> PRF:
    """Span precision/recall/F1 with one-to-one matching (see ``match_spans``)."""
    n = len(match_spans(gold, pred, mode))
    return PRF(n, len(pred), n, len(gold))


def token_set(spans: Iterable[Offsets], text: str) -> set[Offsets]:
    """The word tokens (runs of ``\\w``) that lie inside any of the spans, as offsets."""
    tokens: set[Offsets] = set()
    for start, end in spans:
        for m in _WORD.finditer(text, start, end):
            tokens.add((m.start(), m.end()))
    return tokens


def token_overlap_prf(gold: Iterable[Offsets], pred: Iterable[Offsets], text: str) -> PRF:
    """Token-level P/R/F1: word tokens covered by predicted spans against those covered by gold."""
    g, p = token_set(gold, text), token_set(pred, text)
    shared = len(g & p)
    return PRF(shared, len(p), shared, len(g))


# --------------------------------------------------------------------------- labels


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Share of positions where the prediction equals the gold label (0.0 on empty input)."""
    _same_length(gold, pred)
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def per_class_prf(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Iterable[Hashable] | None = None
) -> dict[Hashable, PRF]:
    """One ``PRF`` per label (single-label classification)."""
    _same_length(gold, pred)
    labels = list(labels) if labels is not None else sorted(set(gold) | set(pred), key=str)
    out = {label: PRF() for label in labels}
    for g, p in zip(gold, pred, strict=True):
        if p in out:
            out[p].n_pred += 1
        if g in out:
            out[g].n_gold += 1
        if g == p and g in out:
            out[g].tp_pred += 1
            out[g].tp_gold += 1
    return out


def macro_f1(gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Iterable[Hashable] | None = None) -> float:
    """Unweighted mean of per-class F1.

    Without ``labels`` the classes are those present in gold (a predicted label never seen in gold
    still costs precision of nothing but counts as a wrong answer for its gold class).
    """
    labels = list(labels) if labels is not None else sorted(set(gold), key=str)
    if not labels:
        return 0.0
    scores = per_class_prf(gold, pred, labels)
    return sum(s.f1 for s in scores.values()) / len(labels)


def majority_label(labels: Iterable[Hashable]) -> Hashable | None:
    """Most frequent label (ties: the smallest by ``str``), or None for no labels."""
    counts = Counter(labels)
    if not counts:
        return None
    best = max(counts.values())
    return sorted((label for label, n in counts.items() if n == best), key=str)[0]


def _same_length(a: Sequence, b: Sequence) -> None:
    if len(a) != len(b):
        raise ValueError(f"gold and prediction lengths differ: {len(a)} != {len(b)}")


# --------------------------------------------------------------------------- regression


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation, or None when either side is constant or shorter than 2."""
    _same_length(xs, ys)
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def mae(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Mean absolute error, or None on empty input."""
    _same_length(xs, ys)
    return sum(abs(x - y) for x, y in zip(xs, ys, strict=True)) / len(xs) if xs else None


# --------------------------------------------------------------------------- geography


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def error_stats(errors_km: Sequence[float], threshold_km: float = 161.0) -> dict[str, float | None]:
    """Accuracy within ``threshold_km``, mean and median error and AUC of the log error curve.

    AUC follows Gritta et al. (2018): mean of ``ln(1+e)/ln(MAX_ERROR_KM)``; 0 is perfect, 1 worst.
    """
    if not errors_km:
        return {"acc_161": None, "mean_km": None, "median_km": None, "auc": None}
    ordered = sorted(errors_km)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    auc = sum(math.log1p(e) / math.log(MAX_ERROR_KM) for e in ordered) / n
    return {
        "acc_161": round(sum(e <= threshold_km for e in ordered) / n, 4),
        "mean_km": round(sum(ordered) / n, 1),
        "median_km": round(median, 1),
        "auc": round(min(1.0, auc), 4),
    }


# --------------------------------------------------------------------------- coreference


def _index(clusters: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    where: dict[Hashable, int] = {}
    for i, cluster in enumerate(clusters):
        for mention in cluster:
            where[mention] = i
    return where


def _muc_side(key: list[set], response: list[set]) -> tuple[float, float]:
    where = _index(response)
    num = den = 0
    for cluster in key:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def muc(key: Sequence[Iterable[Hashable]], response: Sequence[Iterable[Hashable]]) -> PRF:
    """MUC link-based score (Vilain et al. 1995). Mentions missing from a side count as singletons."""
    k, r = [set(c) for c in key], [set(c) for c in response]
    rn, rd = _muc_side(k, r)
    pn, pd = _muc_side(r, k)
    return PRF(pn, pd, rn, rd)


def _b3_side(key: list[set], response: list[set]) -> tuple[float, float]:
    where = _index(response)
    num = 0.0
    den = 0
    for cluster in key:
        shared = Counter(where[m] for m in cluster if m in where)
        num += sum(n * n for n in shared.values()) / len(cluster)
        den += len(cluster)
    return num, den


def b_cubed(key: Sequence[Iterable[Hashable]], response: Sequence[Iterable[Hashable]]) -> PRF:
    """B-cubed mention-based score (Bagga & Baldwin 1998), as the CoNLL reference scorer computes it:
    a mention missing from the other side earns no credit."""
    k, r = [set(c) for c in key if c], [set(c) for c in response if c]
    rn, rd = _b3_side(k, r)
    pn, pd = _b3_side(r, k)
    return PRF(pn, pd, rn, rd)


def ceaf_e(key: Sequence[Iterable[Hashable]], response: Sequence[Iterable[Hashable]]) -> PRF:
    """Entity-based CEAF (Luo 2005) with phi4 similarity and an optimal one-to-one alignment."""
    k, r = [set(c) for c in key if c], [set(c) for c in response if c]
    total = 0.0
    for ks, rs in _components(k, r):
        matrix = [[2 * len(k[i] & r[j]) / (len(k[i]) + len(r[j])) for j in rs] for i in ks]
        total += sum(matrix[i][j] for i, j in hungarian(matrix))
    return PRF(total, len(r), total, len(k))


def _components(key: list[set], response: list[set]) -> list[tuple[list[int], list[int]]]:
    """Connected groups of key/response clusters that share mentions (CEAF decomposes over them)."""
    where = _index(response)
    parent = list(range(len(key)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, cluster in enumerate(key):
        for m in cluster:
            j = where.get(m)
            if j is None:
                continue
            if j in owner:
                parent[find(i)] = find(owner[j])
            else:
                owner[j] = i
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(key)):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j, i in owner.items():
        groups[find(i)][1].append(j)
    return [(ks, sorted(rs)) for ks, rs in groups.values() if rs]


def hungarian(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one assignment on a rectangular matrix, as (row, column) pairs."""
    if not weights or not weights[0]:
        return []
    rows, cols = len(weights), len(weights[0])
    transposed = rows > cols
    if transposed:
        weights = [list(col) for col in zip(*weights, strict=True)]
        rows, cols = cols, rows
    top = max(max(row) for row in weights)
    cost = [[top - w for w in row] for row in weights]
    assignment = _hungarian_min(cost, rows, cols)
    pairs = [(i, j) for i, j in enumerate(assignment)]
    return sorted((j, i) for i, j in pairs) if transposed else pairs


def _hungarian_min(cost: list[list[float]], n: int, m: int) -> list[int]:
    """Kuhn-Munkres with potentials (rows <= columns): column chosen for each row."""
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result


def conll_scores(key: Sequence[Iterable[Hashable]], response: Sequence[Iterable[Hashable]]) -> dict[str, float]:
    """MUC, B3 and CEAF-e F1 and their mean (the CoNLL F1), each rounded to 4 decimals."""
    scores = {"muc": muc(key, response), "b3": b_cubed(key, response), "ceaf_e": ceaf_e(key, response)}
    out: dict[str, float] = {}
    for name, prf in scores.items():
        out.update(prf.as_dict(f"{name}_"))
    out["conll_f1"] = round(sum(s.f1 for s in scores.values()) / 3, 4)
    return out


def event_precision(gold: Sequence[Hashable], predicted: Sequence[Sequence[Hashable]]) -> dict[str, float | int | None]:
    """Precision of the events output per hand-coded unit (a sentence coding one event), beside recall.

    ``gold[i]`` is unit i's gold class or type; ``predicted[i]`` the class or type of each event we output
    for it. ``event_precision``: share of all output events that carry their unit's gold label (micro);
    ``unit_precision``: that share averaged over units with at least one event; ``gold_found``: share of
    units where some event carries the gold label (recall); ``one_event``: share of units with exactly one
    event, of the gold label; ``events_per_unit``: output events per unit; ``no_event``: share of units
    with none."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} prediction lists")
    n_units = len(gold)
    n_events = sum(len(p) for p in predicted)
    right = [sum(1 for label in p if label == g) for g, p in zip(gold, predicted, strict=True)]
    with_events = [(r, len(p)) for r, p in zip(right, predicted, strict=True) if p]

    def share(numerator: float, denominator: int) -> float | None:
        return round(numerator / denominator, 4) if denominator else None

    return {
        "event_precision": share(sum(right), n_events),
        "unit_precision": share(sum(r / n for r, n in with_events), len(with_events)),
        "gold_found": share(sum(1 for r in right if r), n_units),
        "one_event": share(sum(1 for r, p in zip(right, predicted, strict=True) if len(p) == 1 and r), n_units),
        "events_per_unit": share(n_events, n_units),
        "no_event": share(sum(1 for p in predicted if not p), n_units),
        "n_events": n_events,
    }
