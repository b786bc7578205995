"""Near-duplicate texts: syndicated and lightly edited copies of one article on different URLs.

An exact hash misses a copy with one sentence added or a caption kept in the text. MinHash over word 5-shingles
estimates the Jaccard similarity of two texts from 64 numbers each (datasketch), and LSH finds the candidates
without comparing every pair; the threshold is tested on real copy / non-copy pairs in tests/test_neardup.py.

The LSH band table lives in SQLite (`minhash_bands`, see crawler/store/schema.py and crawler/store/articles.py), not in memory: an in-memory
index of 100,000 stored articles took ~500 MB and ~28 s to load each run. `band_keys` gives the rows to store
and to look up; `NearDuplicateIndex` is the same search in memory, for callers without a store.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.parsing.text import content_fingerprint_text

NUM_PERM = 64
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity of 5-word shingles above which two texts are copies of one article.
THRESHOLD = 0.6
#: Stored signatures are only comparable under the scheme that made them (datasketch 2 names it).
SCHEME = "affine32"


#: Words of a text that its signature covers: a signature costs ~NUM_PERM * 8 * 3 bytes per shingle while it is
#: computed (numpy temporaries), so an unbounded 8 MB text took ~720 MB. Copies agree from their first words on.
MAX_SHINGLE_WORDS = 20_000
#: Characters fed to the fingerprint before words are taken (a generous bound on MAX_SHINGLE_WORDS words).
MAX_SHINGLE_CHARS = 40 * MAX_SHINGLE_WORDS


def shingles(text: str) -> list[bytes]:
    words = content_fingerprint_text(text[:MAX_SHINGLE_CHARS]).split()[:MAX_SHINGLE_WORDS]
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]


#: LSH banding for THRESHOLD and NUM_PERM: the (bands, rows) datasketch's MinHashLSH picks for these values.
BANDS, ROWS = 10, 6
#: The permutations depend only on (NUM_PERM, seed): generated once, not for every signature (they dominated).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_PERMUTATIONS)
    minhash.update_batch(shingles(text))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME, permutations=_PERMUTATIONS
    )


def band_keys(data: bytes) -> list[tuple[int, int]]:
    """(band, key) pairs of a stored signature: two texts sharing any pair are LSH candidates."""
    values = np.frombuffer(data, dtype=np.uint64)
    return [
        (band, int.from_bytes(hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest(), "little", signed=True))
        for band in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (the share of equal hash values)."""
    return float(np.count_nonzero(np.frombuffer(a, dtype=np.uint64) == np.frombuffer(b, dtype=np.uint64))) / NUM_PERM


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
