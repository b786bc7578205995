"""Near-duplicate texts: syndicated and lightly edited copies of one article on different URLs.

An exact hash misses a copy with one sentence added or a caption kept in the text. MinHash over word 5-shingles
estimates the Jaccard similarity of two texts from 64 numbers each, and LSH finds the candidates without
comparing every pair; the threshold is tested on real copy / non-copy pairs in tests/test_neardup.py.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.parsing.text import content_fingerprint_text

NUM_PERM = 64
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity of 5-word shingles above which two texts are copies of one article.
THRESHOLD = 0.6
#: Stored signatures are only comparable under the scheme that made them (datasketch 2 names it).
SCHEME = "affine32"


def shingles(text: str) -> list[bytes]:
    words = content_fingerprint_text(text).split()
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch(shingles(text))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class NearDuplicateIndex:
    """LSH index of stored texts' signatures, keyed by URL."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}

    def add(self, key: str, minhash: MinHash) -> None:
        if key in self.signatures:
            self.lsh.remove(key)
        self.lsh.insert(key, minhash)
        self.signatures[key] = minhash

    def best_match(self, minhash: MinHash, exclude: str) -> tuple[str, float] | None:
        """The most similar stored text at or above the threshold (LSH candidates checked exactly)."""
        best: tuple[str, float] | None = None
        for key in self.lsh.query(minhash):
            if key == exclude:
                continue
            similarity = minhash.jaccard(self.signatures[key])
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (key, similarity)
        return best
