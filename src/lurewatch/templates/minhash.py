"""MinHash signatures for a whole batch at once, in NumPy.

The permutation scheme is datasketch's default ("affine32", datasketch ≥ 2.0): each 32-bit
input hash is pre-mixed with the MurmurHash3 32-bit finaliser, then permutation k maps it to
a_k·h + b_k mod 2^32 (a_k odd, so a bijection) and the signature keeps the minimum. The
parameters a, b come from the same seeded generator as datasketch's, so a signature here is
bit-identical to `datasketch.MinHash(num_perm, seed, hashfunc=identity).update_batch(...)`
on the same hashes — the tests check this. Speed comes from layout: the (permutations ×
shingles) block of a chunk of messages is computed with three in-place ufunc passes and
reduced per message with `np.minimum.reduceat`, instead of one small NumPy call per message.
"""

from __future__ import annotations

import numpy as np

MAX_HASH = np.uint32(0xFFFFFFFF)  # the value of an empty signature slot
_CHUNK = 4096  # shingles per block: (128 × 4096) uint32 = 2 MiB stays in cache


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch applies it before the permutations)."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def permutations(num_perm: int = 128, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) exactly as datasketch draws them for scheme affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class MinHasher:
    """Computes signatures; holds only its parameters (cheap to build, safe to share)."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.a, self.b = permutations(num_perm, seed)

    @property
    def scheme(self) -> str:
        return f"affine32-k{self.num_perm}-s{self.seed}"

    def signatures(self, hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """(n_messages, num_perm) uint32 signatures from 64-bit shingle hashes and offsets."""
        n = len(offsets) - 1
        out = np.full((n, self.num_perm), MAX_HASH, dtype=np.uint32)
        if n == 0 or len(hashes) == 0:
            return out
        x = fmix32((hashes >> np.uint64(32)).astype(np.uint32))
        a = self.a[:, None]
        b = self.b[:, None]
        counts = np.diff(offsets)
        # group messages into blocks of about _CHUNK shingles (a long message is its own block)
        bounds = np.searchsorted(offsets, np.arange(0, offsets[-1], _CHUNK), side="right") - 1
        bounds = np.unique(np.append(bounds, n))
        width = min(int(offsets[-1]), _CHUNK + int(counts.max()))  # the widest block possible
        buf = np.empty((self.num_perm, width), dtype=np.uint32)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            s, e = offsets[lo], offsets[hi]
            if e == s:
                continue
            block = (
                buf[:, : e - s]
                if e - s <= buf.shape[1]
                else np.empty((self.num_perm, e - s), np.uint32)
            )
            np.multiply(a, x[None, s:e], out=block)
            np.add(block, b, out=block)
            nonempty = np.nonzero(counts[lo:hi])[0]
            starts = offsets[lo:hi][nonempty] - s
            out[lo + nonempty] = np.minimum.reduceat(block, starts, axis=1).T
        return out

    def signature_reference(self, hashes: np.ndarray) -> np.ndarray:
        """Slow pure-Python reference of one signature (for tests): same numbers, no tricks."""
        out = [0xFFFFFFFF] * self.num_perm
        for h in hashes.tolist():
            x = _fmix32_int(h >> 32)
            for k in range(self.num_perm):
                v = (int(self.a[k]) * x + int(self.b[k])) & 0xFFFFFFFF
                if v < out[k]:
                    out[k] = v
        return np.array(out, dtype=np.uint32)


def _fmix32_int(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def estimate_jaccard(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of one signature against rows of others (share of equal slots)."""
    return (others == sig[None, :]).mean(axis=1)


def encode(sig: np.ndarray) -> bytes:
    """Compact persistence: num_perm little-endian uint32 (512 bytes at 128 permutations)."""
    return np.ascontiguousarray(sig, dtype="<u4").tobytes()


def decode(data: bytes | memoryview, num_perm: int = 128) -> np.ndarray:
    sig = np.frombuffer(bytes(data), dtype="<u4")
    if len(sig) != num_perm:
        raise ValueError(f"a stored signature has {len(sig)} values; expected {num_perm}")
    return sig.astype(np.uint32)
