"""Shingles: hashed character 4-grams of the normalised text, computed for a whole batch in NumPy.

Why character n-grams and not words: they need no tokenizer, so Chinese or Japanese (no
spaces), German compounds and Hindi work the same way as English; a light edit (a word added,
a name changed) touches only the few n-grams around it, whereas word 3-grams of a 15-word
message lose a fifth of their overlap per edit. Why n = 4: measured on real messages with
generated light edits among unrelated real texts (texts of 20+ characters), 4-grams keep
pair recall at 0.936 against 0.901 for 5-grams, at the same precision (1.0): on SMS-length
texts every edited word costs n − 1 more shingles, so shorter shingles forgive more; 3-grams
(common to everything: " th", "ing") add candidates without a clear gain.

Each n-gram is hashed to 64 bits with a polynomial over its code points followed by the
MurmurHash3 64-bit finaliser; the 64-bit values serve exact Jaccard verification (collisions
negligible), their top 32 bits feed MinHash.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lurewatch.templates.normalize import SEP

NGRAM = 4
_POLY = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: an avalanching bijection (wrapping arithmetic is intended)."""
    h = h ^ (h >> _S33)
    h = h * _M1
    h = h ^ (h >> _S33)
    h = h * _M2
    return h ^ (h >> _S33)


def shingle_batch(normalized: Sequence[str], n: int = NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every n-gram of every text: (flat uint64 hashes, offsets of length len+1).

    Message i owns hashes[offsets[i]:offsets[i+1]]. Texts shorter than n but not empty give
    one shingle (the text padded); empty texts give none.
    """
    padded = [t.ljust(n) if t and len(t) < n else t for t in normalized]
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    counts = np.where(lengths >= n, lengths - n + 1, 0)
    offsets = np.zeros(len(padded) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if offsets[-1] == 0:
        return np.zeros(0, dtype=np.uint64), offsets
    joined = SEP.join(padded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(padded), dtype=np.int64)  # code-point start of each message
    if len(padded) > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    total = int(offsets[-1])
    # rolling polynomial over every position of the joined text (contiguous slices: fast),
    # then one gather of the valid n-gram starts (message start + rank inside the message)
    m = len(codes) - n + 1
    with np.errstate(over="ignore"):
        rolled = codes[:m].astype(np.uint64)
        for k in range(1, n):
            rolled *= _POLY
            rolled += codes[k : k + m]
        pos = np.arange(total, dtype=np.int64)
        pos -= np.repeat(offsets[:-1] - starts, counts)
        h = rolled[pos]
        _fmix64_inplace(h)
    return h, offsets


def _fmix64_inplace(h: np.ndarray) -> None:
    """`fmix64` without temporaries (the batch's hash array can be hundreds of MB)."""
    with np.errstate(over="ignore"):
        h ^= h >> _S33
        h *= _M1
        h ^= h >> _S33
        h *= _M2
        h ^= h >> _S33


def shingle_set(normalized: str, n: int = NGRAM) -> np.ndarray:
    """The sorted, unique shingle hashes of one normalised text (what Jaccard is computed on)."""
    hashes, _ = shingle_batch([normalized], n)
    return np.unique(hashes)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)
