"""Average-linkage clustering over a sparse graph of scored pairs, safe against chaining.

Single-link clustering (connected components of "similar enough" pairs) merges A with C because
A ~ B and B ~ C, which is how one weak link glues two real-world events together. Here two
clusters merge only while the *average* score over all their cross pairs stays above the threshold,
a pair that was never scored counts as 0, and a cannot-link pair (two precise dates a week apart,
say) forbids the merge outright. Cost is O(E log E) in the number of scored pairs.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable


def average_link(
    n_items: int,
    pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    cannot_link: Iterable[tuple[int, int]] = (),
    fixed: list[int] | None = None,
) -> list[int]:
    """A cluster label per item (labels are the smallest item index of each cluster).

    ``pairs`` holds scores in [0, 1] for candidate pairs; ``fixed`` optionally gives items an
    initial cluster label (items sharing a label start merged, as stories already in the store do),
    and two fixed clusters are never merged with each other.
    """
    parent = list(range(n_items))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    size = [1] * n_items
    is_fixed = [False] * n_items
    if fixed is not None:
        first: dict[int, int] = {}
        for i, label in enumerate(fixed):
            if label < 0:
                continue
            root = first.setdefault(label, i)
            is_fixed[i] = True
            if root != i:
                parent[i] = root
                size[root] += 1
    sums: dict[int, dict[int, float]] = {}
    blocked: dict[int, set[int]] = {}
    for i, j in cannot_link:
        a, b = find(i), find(j)
        if a != b:
            blocked.setdefault(a, set()).add(b)
            blocked.setdefault(b, set()).add(a)
    for i, j, score in pairs:
        a, b = find(i), find(j)
        if a == b or score <= 0:
            continue
        sums.setdefault(a, {})[b] = sums.get(a, {}).get(b, 0.0) + score
        sums.setdefault(b, {})[a] = sums.get(b, {}).get(a, 0.0) + score
    version = [0] * n_items
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        average = sums[a][b] / (size[a] * size[b])
        if average >= threshold:
            heapq.heappush(heap, (-average, a, b, version[a], version[b]))

    for a, neighbours in sums.items():
        for b in neighbours:
            if a < b:
                push(a, b)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if version[a] != va or version[b] != vb or find(a) != a or find(b) != b:
            continue
        if b in blocked.get(a, ()) or (is_fixed[a] and is_fixed[b]):
            continue
        big, small = (a, b) if size[a] >= size[b] else (b, a)
        parent[small] = big
        size[big] += size[small]
        is_fixed[big] = is_fixed[big] or is_fixed[small]
        version[big] += 1
        _absorb(sums, big, small)
        _absorb_blocked(blocked, big, small)
        for other in list(sums.get(big, {})):
            push(big, other)
    roots: dict[int, int] = {}
    labels = []
    for i in range(n_items):
        root = find(i)
        labels.append(roots.setdefault(root, i))
    return labels


def _absorb(sums: dict[int, dict[int, float]], big: int, small: int) -> None:
    """Fold ``small``'s pair sums into ``big``'s after a merge."""
    small_links = sums.pop(small, {})
    big_links = sums.setdefault(big, {})
    big_links.pop(small, None)
    for other, total in small_links.items():
        if other == big:
            continue
        big_links[other] = big_links.get(other, 0.0) + total
        other_links = sums[other]
        other_links.pop(small, None)
        other_links[big] = big_links[other]


def _absorb_blocked(blocked: dict[int, set[int]], big: int, small: int) -> None:
    small_blocked = blocked.pop(small, set())
    if not small_blocked:
        return
    big_blocked = blocked.setdefault(big, set())
    for other in small_blocked:
        big_blocked.add(other)
        peers = blocked.setdefault(other, set())
        peers.discard(small)
        peers.add(big)
