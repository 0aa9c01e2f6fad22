"""LSH banding over MinHash signatures, as sorted NumPy arrays (compact, incremental).

Two signatures become candidates when all r values of at least one of b bands agree:
P(candidate | J) = 1 - (1 - J^r)^b. `choose_bands` takes the largest r (fewest false
candidates to verify) that keeps P(candidate | J = threshold) ≥ min_recall; at 128
permutations and J = 0.7 that is b = 32, r = 4, P = 0.99985 (r = 5 would give 0.990).
Candidates are only candidates: `index.TemplateIndex` verifies every one exactly.

Storage is a log-structured pair: a *sorted segment* (one `np.sort`ed uint64 array of
(band key, row) words: binary search) and an unsorted *tail* of recent inserts scanned with one vectorised
comparison; the tail is merged into the segment when it grows past a quarter of it, so
inserts never rebuild the index and queries stay logarithmic. Removal is a tombstone.
Memory: b × 8 bytes per signature (256 bytes at b = 32): key and row packed in one uint64,
one sorted array for all bands.
"""

from __future__ import annotations

import numpy as np

from lurewatch.templates.shingles import fmix64

BIG_BUCKET = 64  # buckets larger than this are linked as a star + chain, not all pairs


def collision_probability(j: float, b: int, r: int) -> float:
    """P(two signatures share at least one band | Jaccard j)."""
    return 1.0 - (1.0 - j**r) ** b


def choose_bands(
    threshold: float = 0.7, num_perm: int = 128, min_recall: float = 0.995
) -> tuple[int, int]:
    """(b, r): the largest band width r whose b = num_perm // r still reaches min_recall at threshold."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(
            f"The 'threshold' parameter of choose_bands must be a float in (0, 1). Got {threshold} instead."
        )
    best = (num_perm, 1)
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if b < 1:
            break
        if collision_probability(threshold, b, r) >= min_recall:
            best = (b, r)
    return best


ROW_BITS = 27  # a packed entry is (band key << ROW_BITS) | row: up to 134M rows
KEY_BITS = 64 - ROW_BITS  # 7 bits of band number + 30 bits of band hash
_HASH_BITS = KEY_BITS - 7
_ROW_MASK = np.uint64((1 << ROW_BITS) - 1)
_ROW_SHIFT = np.uint64(ROW_BITS)


def band_keys(sigs: np.ndarray, b: int, r: int) -> np.ndarray:
    """(n, b) uint64 keys: the r values of each band mixed to 30 bits, the band number above.

    Putting the band in the key lets every band live in one sorted array, and leaving the
    low 27 bits free lets the row ride in the same 64-bit word: the index is one `np.sort`ed
    uint64 array (SIMD sort, 8 bytes per band entry) and a lookup is two `searchsorted`
    calls for all bands at once. Equal bands give equal keys; two different bands share a
    30-bit key with probability 2^-30, which only adds a candidate (verified anyway).
    """
    if b > 128:
        raise ValueError(f"The 'b' parameter of band_keys must be at most 128. Got {b} instead.")
    n = sigs.shape[0]
    v = sigs[:, : b * r].reshape(n, b, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = v[:, :, 0].copy()
        for k in range(1, r):
            key = fmix64(key) ^ v[:, :, k]
        key = fmix64(key) >> np.uint64(64 - _HASH_BITS)
    return key | (np.arange(b, dtype=np.uint64) << np.uint64(_HASH_BITS))[None, :]


class LSHBands:
    """Band keys of many signatures, with candidate lookup, append and tombstone removal."""

    def __init__(self, b: int, r: int) -> None:
        self.b, self.r = b, r
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0  # rows added
        self._n_sorted = 0  # rows in the sorted segment
        self._sorted = np.zeros(0, dtype=np.uint64)  # every (key << ROW_BITS | row), sorted
        self._tail: list[np.ndarray] = []  # (m, b) key blocks appended since the last merge

    def __len__(self) -> int:
        return int(self._alive[: self._n].sum())

    @property
    def rows(self) -> int:
        return self._n

    def nbytes(self) -> int:
        tail = sum(t.nbytes for t in self._tail)
        return int(self._sorted.nbytes + tail + self._n)

    def append(self, keys: np.ndarray) -> np.ndarray:
        """Adds rows (band keys from `band_keys`); returns their row numbers."""
        m = len(keys)
        if self._n + m > (1 << ROW_BITS):
            raise ValueError(f"an LSH index holds at most {1 << ROW_BITS:,} rows")
        if self._n + m > len(self._alive):
            alive = np.zeros(max(1024, 2 * (self._n + m)), dtype=bool)
            alive[: self._n] = self._alive[: self._n]
            self._alive = alive
        rows = np.arange(self._n, self._n + m, dtype=np.int64)
        self._tail.append(np.ascontiguousarray(keys, dtype=np.uint64))
        self._alive[self._n : self._n + m] = True
        self._n += m
        if self._n - self._n_sorted > max(4096, self._n_sorted // 4):
            self.merge()
        return rows

    def remove(self, row: int) -> None:
        self._alive[row] = False

    def merge(self) -> None:
        """Sorts the tail into the segment (amortised: runs when the tail is a quarter of it)."""
        if not self._tail:
            return
        tail = np.concatenate(self._tail)
        rows = np.arange(self._n_sorted, self._n, dtype=np.uint64)
        packed = (tail << _ROW_SHIFT) | rows[:, None]
        merged = np.concatenate((self._sorted, packed.ravel()))
        merged.sort()
        self._sorted = merged
        self._n_sorted = self._n
        self._tail = []

    def query(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing ≥ 1 band with `keys` (shape (b,)): (rows, number of shared bands)."""
        found = []
        if self._n_sorted:
            low = keys << _ROW_SHIFT
            lo = np.searchsorted(self._sorted, low, "left")
            hi = np.searchsorted(self._sorted, low | _ROW_MASK, "right")
            for i in np.nonzero(hi > lo)[0].tolist():
                found.append((self._sorted[lo[i] : hi[i]] & _ROW_MASK).astype(np.int64))
        if self._tail:
            tail = np.concatenate(self._tail) if len(self._tail) > 1 else self._tail[0]
            hits = (tail == keys[None, :]).sum(axis=1)
            rows = np.nonzero(hits)[0]
            found.append(np.repeat(rows + self._n_sorted, hits[rows]))
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        allrows = np.concatenate(found)
        allrows = allrows[self._alive[allrows]]
        rows, counts = np.unique(allrows, return_counts=True)
        return rows, counts

    def candidate_pairs(self, min_new_row: int = 0) -> np.ndarray:
        """All (i < j) row pairs sharing a band, with j ≥ min_new_row: (k, 2) int64, unique.

        Buckets larger than BIG_BUCKET (a template sent thousands of times) give a star to
        their first row plus a chain of neighbours instead of all pairs: clustering by
        connected components needs only a spanning set of edges, not every pair.
        """
        self.merge()
        rows = (self._sorted & _ROW_MASK).astype(np.int64)
        keep = self._alive[rows]
        rows, keys = rows[keep], self._sorted[keep] >> _ROW_SHIFT
        if len(rows) < 2:
            return np.zeros((0, 2), np.int64)
        change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        starts = np.concatenate(([0], change))
        lengths = np.diff(np.concatenate((starts, [len(rows)])))
        multi = lengths >= 2
        starts, lengths = starts[multi], lengths[multi]
        if min_new_row > 0 and len(starts):  # skip buckets without a new row
            bounds = np.stack((starts, starts + lengths), axis=1).ravel()
            newest = np.maximum.reduceat(np.append(rows, 0), bounds)[::2]
            starts, lengths = starts[newest >= min_new_row], lengths[newest >= min_new_row]
        chunks = []
        for length in np.unique(lengths).tolist():
            s = starts[lengths == length]
            if length <= BIG_BUCKET:
                ii, jj = np.triu_indices(length, 1)
            else:
                ar = np.arange(1, length)
                ii = np.concatenate((np.zeros(len(ar), np.int64), ar[:-1]))
                jj = np.concatenate((ar, ar[1:]))
            a = rows[(s[:, None] + ii[None, :]).ravel()]
            c = rows[(s[:, None] + jj[None, :]).ravel()]
            chunks.append(np.stack((np.minimum(a, c), np.maximum(a, c)), axis=1))
        if not chunks:
            return np.zeros((0, 2), np.int64)
        pairs = np.concatenate(chunks)
        if min_new_row > 0:
            pairs = pairs[pairs[:, 1] >= min_new_row]
        packed = np.unique(pairs[:, 0] << 32 | pairs[:, 1])
        return np.stack((packed >> 32, packed & 0xFFFFFFFF), axis=1)
