"""Perceptual hashes of a profile photo, made robust to what re-uploading does to it.

Measured on the shared faces (docs/avatar.md): a 64-bit pHash survives resizing, JPEG and colour
changes, but a 5% one-sided crop moves it as far as two *different* aligned faces are apart.
So each photo gets 256-bit pHashes (DCT of the grayscale image: resizing, re-compression and
colour changes barely move them) of the full image and of nine 6%-cropped views (each side,
each corner, all sides), for the image and for its mirror image: 20 "keys". Two photos match when
the full view of one is close to any key of the other — a cropped copy then meets the crop
that mirrors its own, a flipped copy meets the mirror keys. Grayscale first, so a colour shift
or a black-and-white copy hashes the same.

The 64-bit `phash` (16 hex characters, the smaller of the image's and its mirror's, so a flipped
copy gets the same value) is kept for exchange with others: it is what intelligence partners
and the campaigns table use.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image, ImageOps

HASH_VERSION = "avatar-hash-v1"
KEY_BITS = 256
CROP = 0.06
# Thresholds in bits, chosen from measurements on the shared faces (benchmarks/bench_avatar.py,
# docs/avatar.md): transformed copies stay at or below these, different faces stay above.
MATCH_MAX = 52  # of 256 bits, between a full view and the nearest key of the other photo
PHASH64_MAX = 8  # of 64 bits, for 64-bit hashes received as intelligence

_VIEWS = (
    "full",
    "left",
    "right",
    "top",
    "bottom",
    "top_left",
    "top_right",
    "bottom_left",
    "bottom_right",
    "centre",  # all four sides: a zoomed-in copy
)
_WORK_SIDE = 256
N_KEYS = 2 * len(_VIEWS)  # views of the image, then the same views of its mirror
MAIN = (0, len(_VIEWS))  # indexes of the two full views (direct, mirror)


@dataclass(frozen=True, slots=True)
class PhotoHashes:
    """`phash`/`dhash`: 64-bit canonical hex; `keys`: 20 × 256-bit hex (64 characters each)."""

    phash: str
    phash_mirror: str
    dhash: str
    keys: tuple[str, ...]

    @property
    def canonical_phash(self) -> str:
        return min(self.phash, self.phash_mirror)

    def to_dict(self) -> dict[str, object]:
        return {
            "version": HASH_VERSION,
            "phash": self.phash,
            "phash_mirror": self.phash_mirror,
            "dhash": self.dhash,
            "keys": list(self.keys),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> PhotoHashes:
        keys = data.get("keys")
        if data.get("version") != HASH_VERSION or not isinstance(keys, list) or len(keys) != N_KEYS:
            raise ValueError("photo hashes from another hash version")
        return cls(
            str(data["phash"]),
            str(data["phash_mirror"]),
            str(data["dhash"]),
            tuple(str(k) for k in keys),
        )

    def key_array(self) -> np.ndarray:
        """Keys as an (20, 4) uint64 array for vectorised Hamming distances."""
        return np.array(
            [[int(k[i : i + 16], 16) for i in range(0, 64, 16)] for k in self.keys], dtype=np.uint64
        )


def _view(img: Image.Image, name: str) -> Image.Image:
    if name == "full":
        return img
    w, h = img.size
    dx, dy = round(w * CROP), round(h * CROP)
    every = name == "centre"
    left = dx if every or "left" in name else 0
    right = w - dx if every or "right" in name else w
    top = dy if every or "top" in name else 0
    bottom = h - dy if every or "bottom" in name else h
    return img.crop((left, top, right, bottom))


_KEY_SIDE = (
    64  # imagehash.phash(hash_size=16) resizes to 64 × 64 and keeps the 16 × 16 low DCT block
)
_n = np.arange(_KEY_SIDE)
_DCT16 = 2.0 * np.cos(np.pi * np.arange(16)[:, None] * (2 * _n[None, :] + 1) / (2 * _KEY_SIDE))


def phash256_batch(views: list[Image.Image]) -> np.ndarray:
    """imagehash.phash(view, hash_size=16) for many views at once, as (n, 4) uint64 words.

    Same algorithm and bit order as imagehash (resize with LANCZOS, DCT-II, low 16 × 16 block
    against its median); tests check it against `imagehash.phash`. Batched because a photo has
    20 views and per-call overhead dominated.
    """
    pixels = np.stack(
        [
            np.asarray(v.resize((_KEY_SIDE, _KEY_SIDE), Image.Resampling.LANCZOS), dtype=np.float64)
            for v in views
        ]
    )
    low = _DCT16 @ pixels @ _DCT16.T  # (n, 16, 16)
    med = np.median(low.reshape(len(views), -1), axis=1)
    bits = (low.reshape(len(views), -1) > med[:, None]).astype(
        np.uint8
    )  # row-major, like imagehash
    packed = np.packbits(bits, axis=1)  # (n, 32) bytes, most significant bit first
    return packed.view(">u8").astype(np.uint64)


def _words_to_hex(words: np.ndarray) -> str:
    return "".join(f"{int(w):016x}" for w in words)


def hash_image(img: Image.Image) -> PhotoHashes:
    """All hashes of one decoded image."""
    gray = img.convert("RGB").convert("L") if img.mode not in ("L", "RGB") else img.convert("L")
    if max(gray.size) > _WORK_SIDE:  # every hash resizes to 64 px or less: shrink once, first
        gray = gray.copy()
        gray.thumbnail((_WORK_SIDE, _WORK_SIDE), Image.Resampling.LANCZOS)
    mirror = ImageOps.mirror(gray)
    words = phash256_batch([_view(g, v) for g in (gray, mirror) for v in _VIEWS])
    return PhotoHashes(
        phash=str(imagehash.phash(gray)),
        phash_mirror=str(imagehash.phash(mirror)),
        dhash=min(str(imagehash.dhash(gray)), str(imagehash.dhash(mirror))),
        keys=tuple(_words_to_hex(w) for w in words),
    )


def to_int(hex_hash: str) -> int:
    """A 16-hex-character hash as an unsigned 64-bit integer; ValueError if malformed."""
    text = hex_hash.strip().lower()
    if len(text) != 16:
        raise ValueError(f"a photo hash must be 16 hex characters, got {hex_hash!r}")
    return int(text, 16)


def hamming64(a: str, b: str) -> int:
    return (to_int(a) ^ to_int(b)).bit_count()


def popcount(x: np.ndarray) -> np.ndarray:
    return np.bitwise_count(x).astype(np.int64)


def key_distance(a: np.ndarray, b: np.ndarray) -> int:
    """Distance between two photos' key arrays (20, 4): full view of either vs every key of the other."""
    main_a, main_b = a[list(MAIN)], b[list(MAIN)]
    d1 = popcount(main_a[:, None, :] ^ b[None, :, :]).sum(axis=2).min()
    d2 = popcount(a[:, None, :] ^ main_b[None, :, :]).sum(axis=2).min()
    return int(min(d1, d2))


def distance(a: PhotoHashes, b: PhotoHashes) -> int:
    return key_distance(a.key_array(), b.key_array())


def intel_distance(photo: PhotoHashes, intel_hash: str) -> int:
    """Distance to a hash received as intelligence: 64-bit pHash, or a 256-bit key (64 hex)."""
    text = intel_hash.strip().lower()
    if len(text) == 16:
        return min(hamming64(photo.phash, text), hamming64(photo.phash_mirror, text))
    if len(text) == 64:
        other = np.array([int(text[i : i + 16], 16) for i in range(0, 64, 16)], dtype=np.uint64)
        return int(popcount(photo.key_array() ^ other[None, :]).sum(axis=1).min())
    raise ValueError(f"a photo hash must be 16 or 64 hex characters, got {intel_hash[:80]!r}")


def intel_match(photo: PhotoHashes, intel_hash: str) -> bool:
    text = intel_hash.strip()
    limit = PHASH64_MAX if len(text) == 16 else MATCH_MAX
    return intel_distance(photo, text) <= limit
