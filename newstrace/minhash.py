"""MinHash signatures and LSH bands for finding near-duplicate articles (the same wire story on two sites).

A document is the set of its word 5-shingles; its signature keeps, for each of 64 seeded 64-bit
hashes (BLAKE2b with a per-row salt, stable across processes unlike Python's ``hash``), the minimum
over its shingles. The fraction of equal positions estimates the Jaccard similarity. Signatures are
cut into 16 bands of 4 rows: two documents that share any band become candidates, which finds pairs
above a Jaccard of about 0.6 with high probability, and the candidates are then checked against
``NEAR_DUPLICATE`` on the full signature.
"""

from __future__ import annotations

import hashlib
import re

NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
SHINGLE = 5
NEAR_DUPLICATE = 0.8  # estimated Jaccard similarity at which two texts count as the same story
_WORD = re.compile(r"\w+")
_MASKS = [int.from_bytes(hashlib.blake2b(f"newstrace-minhash-{i}".encode(), digest_size=8).digest(), "big")
          for i in range(NUM_HASHES)]
_MAX = (1 << 64) - 1


def shingles(text: str) -> set[str]:
    """Word 5-grams of the lower-cased text (the whole text if shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> list[int]:
    """The MinHash signature of ``text`` (all-max for an empty text)."""
    base = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles(text)]
    if not base:
        return [_MAX] * NUM_HASHES
    # XOR with a fixed random mask per row: a cheap stand-in for independent hash functions.
    return [min(h ^ mask for h in base) for mask in _MASKS]


def bands(sig: list[int]) -> list[tuple[int, int]]:
    """(band number, bucket) pairs of a signature."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(",".join(map(str, chunk)).encode(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "big")))
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_HASHES
