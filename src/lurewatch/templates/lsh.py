"""LSH banding over MinHash signatures, as sorted NumPy arrays (compact, incremental).

Two signatures become candidates when all r values of at least one of b bands agree:
P(candidate | J) = 1 - (1 - J^r)^b. `choose_bands` takes the largest r (fewest false
candidates to verify) that keeps P(candidate | J = threshold) ≥ min_recall; at 128
permutations and J = 0.7 that is b = 32, r = 4, P = 0.99985 (r = 5 would give 0.990).
Candidates are only candidates: `index.TemplateIndex` verifies every one exactly.

Storage is a log-structured pair: a *sorted segment* (per band, keys sorted with their
rows: binary search) and an unsorted *tail* of recent inserts scanned with one vectorised
comparison; the tail is merged into the segment when it grows past a quarter of it, so
inserts never rebuild the index and queries stay logarithmic. Removal is a tombstone.
Memory: b × (8-byte key + 4-byte row) per signature in the segment (384 bytes at b = 32).
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


def band_keys(sigs: np.ndarray, b: int, r: int) -> np.ndarray:
    """(n, b) uint64: one 64-bit key per band (the r values mixed; equal bands → equal keys)."""
    n = sigs.shape[0]
    v = sigs[:, : b * r].reshape(n, b, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = v[:, :, 0].copy()
        for k in range(1, r):
            key = fmix64(key) ^ v[:, :, k]
        return fmix64(key)


class LSHBands:
    """Band keys of many signatures, with candidate lookup, append and tombstone removal."""

    def __init__(self, b: int, r: int) -> None:
        self.b, self.r = b, r
        self._keys = np.zeros((0, b), dtype=np.uint64)
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0
        self._n_sorted = 0
        self._sorted_keys = np.zeros((b, 0), dtype=np.uint64)
        self._sorted_rows = np.zeros((b, 0), dtype=np.int32)

    def __len__(self) -> int:
        return int(self._alive[: self._n].sum())

    @property
    def rows(self) -> int:
        return self._n

    def nbytes(self) -> int:
        return int(
            self._keys[: self._n].nbytes
            + self._sorted_keys.nbytes
            + self._sorted_rows.nbytes
            + self._n
        )

    def append(self, keys: np.ndarray) -> np.ndarray:
        """Adds rows (band keys from `band_keys`); returns their row numbers."""
        m = len(keys)
        if self._n + m > len(self._keys):
            cap = max(1024, 2 * (self._n + m))
            grown = np.zeros((cap, self.b), dtype=np.uint64)
            grown[: self._n] = self._keys[: self._n]
            alive = np.zeros(cap, dtype=bool)
            alive[: self._n] = self._alive[: self._n]
            self._keys, self._alive = grown, alive
        rows = np.arange(self._n, self._n + m, dtype=np.int64)
        self._keys[self._n : self._n + m] = keys
        self._alive[self._n : self._n + m] = True
        self._n += m
        if self._n - self._n_sorted > max(4096, self._n_sorted // 4):
            self.merge()
        return rows

    def remove(self, row: int) -> None:
        self._alive[row] = False

    def merge(self) -> None:
        """Sorts every row into the segment (amortised: runs when the tail is a quarter of it)."""
        keys = self._keys[: self._n].T
        order = np.argsort(keys, axis=1, kind="stable").astype(np.int32)
        self._sorted_keys = np.take_along_axis(keys, order, axis=1)
        self._sorted_rows = order
        self._n_sorted = self._n

    def query(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing ≥ 1 band with `keys` (shape (b,)): (rows, number of shared bands)."""
        found = []
        if self._n_sorted:
            lo = np.array(
                [np.searchsorted(self._sorted_keys[i], keys[i], "left") for i in range(self.b)]
            )
            hi = np.array(
                [np.searchsorted(self._sorted_keys[i], keys[i], "right") for i in range(self.b)]
            )
            for i in np.nonzero(hi > lo)[0]:
                found.append(self._sorted_rows[i, lo[i] : hi[i]].astype(np.int64))
        if self._n > self._n_sorted:
            tail = self._keys[self._n_sorted : self._n]
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
        if self._n_sorted != self._n:
            self.merge()
        alive = self._alive[: self._n]
        chunks = []
        for band in range(self.b):
            rows = self._sorted_rows[band]
            keys = self._sorted_keys[band]
            keep = alive[rows]
            rows, keys = rows[keep].astype(np.int64), keys[keep]
            if len(rows) < 2:
                continue
            change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
            starts = np.concatenate(([0], change))
            lengths = np.diff(np.concatenate((starts, [len(rows)])))
            multi = lengths >= 2
            starts, lengths = starts[multi], lengths[multi]
            if len(starts) == 0:
                continue
            if min_new_row > 0:  # skip buckets without a new row
                bounds = np.stack((starts, starts + lengths), axis=1).ravel()
                newest = np.maximum.reduceat(np.append(rows, 0), bounds)[::2]
                has_new = newest >= min_new_row
                starts, lengths = starts[has_new], lengths[has_new]
            for length in np.unique(lengths):
                s = starts[lengths == length]
                if length <= BIG_BUCKET:
                    ii, jj = np.triu_indices(int(length), 1)
                else:
                    ar = np.arange(1, int(length))
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
