"""The reused-photo index: which accounts show the same (or a near-same) photo.

Exact search, vectorised: every query compares its two full views with all 20 keys of every
indexed photo and its 20 keys with their two full views (`hashing.key_distance`), as one NumPy
XOR + bit count over an (N, 20, 4) array — about 1 ms per 1,000 indexed photos. Band hashing
(LSH) was tried and dropped: a 6%-cropped copy sits ~45 of 256 bits away, where 16-bit bands
miss about half the pairs, and smaller bands make every photo a candidate.

Face keys (`face_hash`) are searched the same way, over an (N, 2, 4) array; a photo without a
detected face simply has none. A pair matches on either: whole-image keys within MATCH_MAX, or
face keys within FACE_MAX; `PhotoMatch.via` says which.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from lurewatch.avatar import hashing
from lurewatch.avatar.hashing import MAIN, PhotoHashes


@dataclass(frozen=True, slots=True)
class PhotoMatch:
    key: str  # the other account (or photo) id
    distance: int  # bits of 256 (whole-image keys, or face keys when via == "face")
    via: str = "image"  # "image": whole-image keys matched; "face": only the face keys did


class PhotoIndex:
    """Insert photos under a key (an account id); `query` returns every near-same photo."""

    def __init__(
        self, max_distance: int = hashing.MATCH_MAX, face_max: int = hashing.FACE_MAX
    ) -> None:
        self.max_distance = max_distance
        self.face_max = face_max
        self._keys: list[str] = []
        self._rows: list[np.ndarray] = []
        self._faces: list[np.ndarray | None] = []
        self._descriptors: list[np.ndarray | None] = []
        self._matrix: np.ndarray | None = None  # (N, 20, 4), rebuilt lazily after inserts
        self._face_matrix: tuple[np.ndarray, np.ndarray] | None = None  # (N, 2, 4), has-face mask

    def __len__(self) -> int:
        return len(self._keys)

    def insert(self, key: str, hashes: PhotoHashes) -> None:
        self._keys.append(key)
        self._rows.append(hashes.key_array())
        self._faces.append(hashes.face_array())
        self._descriptors.append(hashes.descriptor_array())
        self._matrix = None
        self._face_matrix = None

    def _all_faces(self) -> tuple[np.ndarray, np.ndarray]:
        if self._face_matrix is None:
            empty = np.zeros((2, 4), dtype=np.uint64)
            faces = [f if f is not None else empty for f in self._faces]
            matrix = np.stack(faces) if faces else np.zeros((0, 2, 4), dtype=np.uint64)
            self._face_matrix = (matrix, np.array([f is not None for f in self._faces], dtype=bool))
        return self._face_matrix

    def face_distances(self, face: np.ndarray | None) -> np.ndarray:
        """Face-key distance to every indexed photo; a value above 256 where either has no face."""
        matrix, has = self._all_faces()
        if face is None or not len(matrix):
            return np.full(len(matrix), hashing.KEY_BITS + 1, dtype=np.int64)
        d = (
            hashing.popcount(matrix[:, :, None, :] ^ face[None, None, :, :])
            .sum(axis=3)
            .min(axis=(1, 2))
        )
        return np.where(has, d, hashing.KEY_BITS + 1)

    def _all(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = (
                np.stack(self._rows)
                if self._rows
                else np.zeros((0, hashing.N_KEYS, 4), dtype=np.uint64)
            )
        return self._matrix

    def distances(self, arr: np.ndarray) -> np.ndarray:
        """Distance from one photo's key array to every indexed photo (int array of length N)."""
        m = self._all()
        if not len(m):
            return np.zeros(0, dtype=np.int64)
        main_q = arr[list(MAIN)]  # (2, 4)
        d1 = (
            hashing.popcount(m[:, None, :, :] ^ main_q[None, :, None, :])
            .sum(axis=3)
            .min(axis=(1, 2))
        )
        main_s = m[:, list(MAIN), :]  # (N, 2, 4)
        d2 = (
            hashing.popcount(main_s[:, :, None, :] ^ arr[None, None, :, :])
            .sum(axis=3)
            .min(axis=(1, 2))
        )
        return np.minimum(d1, d2)

    def query(self, hashes: PhotoHashes, exclude: str | None = None) -> list[PhotoMatch]:
        """Every indexed photo matching on whole-image or face keys, nearest first (ties by key)."""
        return self._matches(
            hashes.key_array(), exclude, hashes.face_array(), hashes.descriptor_array()
        )

    def _face_ok(self, face_d: int, descriptor: np.ndarray | None, row: int) -> bool:
        if face_d <= self.face_max:
            return True
        return hashing.face_match(face_d, descriptor, self._descriptors[row])

    def _matches(
        self,
        arr: np.ndarray,
        exclude: str | None,
        face: np.ndarray | None = None,
        descriptor: np.ndarray | None = None,
    ) -> list[PhotoMatch]:
        d = self.distances(arr)
        fd = self.face_distances(face)
        loose = max(self.face_max, hashing.FACE_LOOSE)
        found = []
        for r in np.flatnonzero((d <= self.max_distance) | (fd <= loose)):
            if self._keys[r] == exclude:
                continue
            if d[r] <= self.max_distance:
                found.append(PhotoMatch(self._keys[r], int(d[r])))
            elif self._face_ok(int(fd[r]), descriptor, int(r)):
                found.append(PhotoMatch(self._keys[r], int(fd[r]), "face"))
        return sorted(found, key=lambda m: (m.distance, m.key))

    def query_reference(self, hashes: PhotoHashes, exclude: str | None = None) -> list[PhotoMatch]:
        """Pure-Python reference (pair by pair): tests check it agrees with `query`."""
        arr, face, desc = hashes.key_array(), hashes.face_array(), hashes.descriptor_array()
        found = []
        for row, (k, other, other_face) in enumerate(
            zip(self._keys, self._rows, self._faces, strict=True)
        ):
            if k == exclude:
                continue
            d = hashing.key_distance(arr, other)
            fd = hashing.face_distance(face, other_face)
            if d <= self.max_distance:
                found.append(PhotoMatch(k, d))
            elif fd is not None and self._face_ok(fd, desc, row):
                found.append(PhotoMatch(k, fd, "face"))
        return sorted(found, key=lambda m: (m.distance, m.key))

    def groups(self, block: int = 512) -> dict[str, list[PhotoMatch]]:
        """For every indexed key with at least one other match: its matches (the reuse clusters).

        All pairs at once as matrix products: with bits as ±1, Hamming distance = (256 − a·b) / 2,
        so one BLAS product per block of photos compares every full view with every key
        (`query` per photo is ~10× slower for this). Same answer as `query` for each key.
        """
        m = self._all()
        n = len(m)
        if n < 2:
            return {}
        signs = (
            np.unpackbits(m.view(np.uint8), axis=2).astype(np.float32) * 2.0 - 1.0
        )  # (N, 20, 256)
        main = np.ascontiguousarray(signs[:, list(MAIN), :])  # (N, 2, 256)
        d1: dict[tuple[int, int], int] = {}
        for a0 in range(0, n, block):
            qa = main[a0 : a0 + block].reshape(-1, hashing.KEY_BITS)
            for b0 in range(0, n, block):
                kb = signs[b0 : b0 + block].reshape(-1, hashing.KEY_BITS)
                dots = qa @ kb.T  # (2·A, 20·B)
                dist = ((hashing.KEY_BITS - dots) / 2).reshape(
                    -1, 2, len(kb) // hashing.N_KEYS, hashing.N_KEYS
                )
                best = dist.min(axis=(1, 3))  # (A, B): full views of a against every key of b
                for i, j in zip(*np.nonzero(best <= self.max_distance + 0.5), strict=True):
                    a, b = a0 + int(i), b0 + int(j)
                    if a != b:
                        d1[(a, b)] = int(round(float(best[i, j])))
        pairs: dict[tuple[int, int], int] = {}
        for (a, b), d in d1.items():  # distance(a, b) = min(a's full views vs b, b's vs a)
            key = (min(a, b), max(a, b))
            pairs[key] = min(d, pairs.get(key, d))
        found = {k: PhotoMatch("", d) for k, d in pairs.items()}
        for key, d in self._face_pairs(block).items():
            if key not in found:
                found[key] = PhotoMatch("", d, "face")
        out: dict[str, list[PhotoMatch]] = {}
        for (a, b), pm in found.items():
            out.setdefault(self._keys[a], []).append(PhotoMatch(self._keys[b], pm.distance, pm.via))
            out.setdefault(self._keys[b], []).append(PhotoMatch(self._keys[a], pm.distance, pm.via))
        return {k: sorted(v, key=lambda m: (m.distance, m.key)) for k, v in out.items()}

    def _face_pairs(self, block: int) -> dict[tuple[int, int], int]:
        """Pairs (a < b) whose face keys are within face_max, by blocked ±1 matrix products."""
        matrix, has = self._all_faces()
        rows = np.flatnonzero(has)
        if len(rows) < 2:
            return {}
        signs = np.unpackbits(matrix[rows].view(np.uint8), axis=2).astype(np.float32) * 2.0 - 1.0
        flat = signs.reshape(-1, hashing.KEY_BITS)  # (2·M, 256)
        out: dict[tuple[int, int], int] = {}
        for a0 in range(0, len(rows), block):
            qa = flat[2 * a0 : 2 * (a0 + block)]
            for b0 in range(a0, len(rows), block):
                kb = flat[2 * b0 : 2 * (b0 + block)]
                dist = ((hashing.KEY_BITS - qa @ kb.T) / 2).reshape(
                    len(qa) // 2, 2, len(kb) // 2, 2
                )
                best = dist.min(axis=(1, 3))
                loose = max(self.face_max, hashing.FACE_LOOSE)
                for i, j in zip(*np.nonzero(best <= loose + 0.5), strict=True):
                    a, b = int(rows[a0 + int(i)]), int(rows[b0 + int(j)])
                    d = int(round(float(best[i, j])))
                    if a < b and self._face_ok(d, self._descriptors[a], b):
                        out[(a, b)] = d
        return out

    def groups_by_query(self) -> dict[str, list[PhotoMatch]]:
        """Reference for `groups`: one `query` per indexed photo."""
        out: dict[str, list[PhotoMatch]] = {}
        for key, arr, face, desc in zip(
            self._keys, self._rows, self._faces, self._descriptors, strict=True
        ):
            matches = [m for m in self._matches(arr, None, face, desc) if m.key != key]
            if matches:
                out[key] = matches
        return out


def match_intel(hashes: PhotoHashes, intel: list[str]) -> list[tuple[str, int]]:
    """Intelligence hashes (16 or 64 hex characters) this photo matches, with their distance."""
    out = []
    for h in intel:
        text = h.strip().lower()
        try:
            d = hashing.intel_distance(hashes, text)
        except ValueError:
            continue
        limit = hashing.PHASH64_MAX if len(text) == 16 else hashing.MATCH_MAX
        if d <= limit:
            out.append((text, d))
    return sorted(out, key=lambda t: (t[1], t[0]))


def parse_intel_hashes(text: str) -> list[str]:
    """Reads a list of hashes: one per line (first word) or a JSON list; '#' comments ignored.

    Raises ValueError naming the line (or list position) of the first malformed hash.
    """
    stripped = text.strip()
    if stripped.startswith("["):
        items = json.loads(stripped)
        if not isinstance(items, list):
            raise ValueError("expected a JSON list of hashes")
        lines = [(i + 1, str(x)) for i, x in enumerate(items)]
    else:
        lines = [(i + 1, ln.split("#", 1)[0].strip()) for i, ln in enumerate(text.splitlines())]
    out = []
    for n, item in lines:
        if not item:
            continue
        token = item.split()[0].lower()
        if len(token) not in (16, 64) or any(c not in "0123456789abcdef" for c in token):
            raise ValueError(f"line {n}: not a 16- or 64-hex-character photo hash: {item[:80]!r}")
        out.append(token)
    return out
