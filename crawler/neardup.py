"""Near-duplicate texts: syndicated and lightly edited copies of one article on different URLs.

An exact hash misses a copy with one sentence added or a caption kept in the text. MinHash over word 5-shingles
estimates the Jaccard similarity of two texts from 64 numbers each, and LSH finds the candidates without
comparing every pair; the threshold is tested on real copy / non-copy pairs in tests/test_neardup.py.

`signature_bytes` computes the signature the crawl stores with numpy alone: the values datasketch's
`MinHash(num_perm=64, seed=1, scheme="affine32")` gives for the same shingles (a test holds them equal), without
datasketch's per-object set-up or its import of scipy (~0.4 s on every process start). datasketch is imported
only by `signature` and `NearDuplicateIndex`, the in-memory objects for callers without a store.

The LSH band table lives in SQLite (`minhash_bands`, see crawler/store/schema.py and crawler/store/articles.py), not in memory: an in-memory
index of 100,000 stored articles took ~500 MB and ~28 s to load each run. `band_keys` gives the rows to store
and to look up; `NearDuplicateIndex` is the same search in memory, for callers without a store.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from crawler.parsing.text import content_fingerprint_text

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 64
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity of 5-word shingles above which two texts are copies of one article.
THRESHOLD = 0.6
#: Stored signatures are only comparable under the scheme that made them (datasketch 2 names it).
SCHEME = "affine32"


#: Words of a text that its signature covers: a signature costs memory per shingle while it is computed (numpy
#: temporaries), so an unbounded 8 MB text took ~720 MB. Copies agree from their first words on.
MAX_SHINGLE_WORDS = 20_000
#: Characters fed to the fingerprint before words are taken (a generous bound on MAX_SHINGLE_WORDS words).
MAX_SHINGLE_CHARS = 40 * MAX_SHINGLE_WORDS


def shingles(text: str) -> list[bytes]:
    return fingerprint_shingles(content_fingerprint_text(text[:MAX_SHINGLE_CHARS]))


def fingerprint_shingles(fingerprint: str) -> list[bytes]:
    """Word 5-shingles (UTF-8) of a text already reduced by `content_fingerprint_text`, whose words are separated by
    single spaces: each shingle is a slice of the encoded text (the first MAX_SHINGLE_WORDS words)."""
    data = fingerprint.encode()
    if not data:
        return []
    # Where each word ends (its following space, found by numpy in one pass, or the end of the text).
    ends = [*np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x20).tolist(), len(data)][:MAX_SHINGLE_WORDS]
    if len(ends) < SHINGLE_WORDS:
        return [data[: ends[-1]]]
    count = len(ends) - SHINGLE_WORDS + 1
    starts = [0, *(end + 1 for end in ends[: count - 1])]
    return [data[start:end] for start, end in zip(starts, ends[SHINGLE_WORDS - 1 :])]


#: LSH banding for THRESHOLD and NUM_PERM: the (bands, rows) datasketch's MinHashLSH picks for these values.
BANDS, ROWS = 10, 6
SEED = 1


def _affine32_permutations(num_perm: int, seed: int) -> np.ndarray:
    """datasketch's affine32 permutations (a odd, b any, both uint32) from its seeded generator."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


#: The permutations depend only on (NUM_PERM, SEED): generated once.
_PERMUTATIONS = _affine32_permutations(NUM_PERM, SEED)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
#: The permutations' offsets as a column, added to each row of a (64 x parts) array.
_OFFSETS = _PERMUTATIONS[1].reshape(-1, 1).copy()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch pre-mixes every shingle hash with it); uint32 wraps."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def hashvalues(parts: list[bytes]) -> np.ndarray:
    """The 64 minima (uint32) over `parts`: SHA-1's first 4 bytes as a little-endian uint32 per part, mixed,
    then every permutation applied to every part at once (one (64 x parts) array, each row's minimum kept: the
    reduction runs along contiguous memory, twice as fast as down the columns of a (parts x 64) array)."""
    if not parts:
        return _EMPTY.copy()
    sha1 = hashlib.sha1
    # Whole 20-byte digests joined, their first 4 bytes read as column 0 of five uint32s (no slice per digest).
    digests = np.frombuffer(b"".join([sha1(part).digest() for part in parts]), dtype="<u4").reshape(-1, 5)[:, 0]
    mixed = _fmix32(digests.astype(np.uint32))
    with np.errstate(over="ignore"):
        permuted = np.multiply.outer(_PERMUTATIONS[0], mixed)
        permuted += _OFFSETS
    return permuted.min(axis=1)


def signature_bytes(fingerprint: str) -> bytes:
    """The signature of a text already reduced by `content_fingerprint_text`."""
    return hashvalues(fingerprint_shingles(fingerprint)).astype(np.uint64).tobytes()


def text_signature(text: str) -> bytes:
    """The stored signature of a text: of the fingerprint of its first MAX_SHINGLE_CHARS characters (for any real
    article, the whole text, whose fingerprint the normalise pipeline already computed for the content hash)."""
    return signature_bytes(content_fingerprint_text(text[:MAX_SHINGLE_CHARS]))


def signature(text: str) -> MinHash:
    """The signature as a datasketch MinHash (for `NearDuplicateIndex` and comparisons in memory)."""
    return from_bytes(text_signature(text))


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM, seed=SEED, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME,
        permutations=_PERMUTATIONS,
    )


@lru_cache(maxsize=64)
def band_keys(data: bytes) -> tuple[tuple[int, int], ...]:
    """(band, key) pairs of a stored signature: two texts sharing any pair are LSH candidates. (Cached: the
    dedup step looks them up and the store then writes them, for the same signature.)"""
    values = np.frombuffer(data, dtype=np.uint64)
    return tuple(
        (band, int.from_bytes(hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest(), "little", signed=True))
        for band in range(BANDS)
    )


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (the share of equal hash values)."""
    return float(np.count_nonzero(np.frombuffer(a, dtype=np.uint64) == np.frombuffer(b, dtype=np.uint64))) / NUM_PERM


class NearDuplicateIndex:
    """LSH index of stored texts' signatures, keyed by URL."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

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
