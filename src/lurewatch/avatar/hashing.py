"""Perceptual hashes of a profile photo, made robust to what re-uploading does to it.

Measured on the shared faces (docs/avatar.md): a 64-bit pHash survives resizing, JPEG and colour
changes, but a 5% one-sided crop moves it as far as two *different* aligned faces are apart.
So each photo gets 256-bit pHashes (DCT of the grayscale image: resizing, re-compression and
colour changes barely move them) of the full image and of nine 6%-cropped views (each side,
each corner, all sides), for the image and for its mirror image: 20 "keys". Two photos match when
the full view of one is close to any key of the other — a cropped copy then meets the crop
that mirrors its own, a flipped copy meets the mirror keys. Grayscale first, so a colour shift
or a black-and-white copy hashes the same.

Thieves also crop *and* pad with a border, screenshot the photo inside an app, rotate it a few
degrees or stamp text on it (`face_hash`): the keys are taken after a uniform border is
stripped, and two "face keys" (256-bit pHashes of the dlib-aligned face chip and of its mirror)
match such copies through the face, which stays aligned whatever happened around it.

The 64-bit `phash` (16 hex characters, the smaller of the image's and its mirror's, so a flipped
copy gets the same value) is kept for exchange with others: it is what intelligence partners
and the campaigns table use.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image, ImageOps

HASH_VERSION = "avatar-hash-v2"
OLD_VERSIONS = ("avatar-hash-v1",)  # stored before face keys existed: read, with no face keys
KEY_BITS = 256
CROP = 0.06
# Thresholds in bits, chosen from measurements on the shared faces (benchmarks/bench_avatar.py,
# docs/avatar.md): transformed copies stay at or below these, different faces stay above.
MATCH_MAX = 52  # of 256 bits, between a full view and the nearest key of the other photo
PHASH64_MAX = 8  # of 64 bits, for 64-bit hashes received as intelligence
# Of 256 bits, between the aligned face chips of two photos (either mirrored). Different faces
# of the shared set (all FFHQ-style aligned, so their chips look alike: the hard case) stay
# above it; measured in `lurewatch eval` (Avatars, reused photos) with its false links.
FACE_MAX = 40
# Up to FACE_LOOSE bits, the face keys match only when the identity descriptors agree too
# (Euclidean distance ≤ DESCRIPTOR_MAX; dlib's same-person cut is 0.6, copies sit far below).
FACE_LOOSE = 56
DESCRIPTOR_MAX = 0.25

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
    """`phash`/`dhash`: 64-bit canonical hex; `keys`: 20 × 256-bit hex (64 characters each);
    `face_keys`: 2 × 256-bit hex (face chip, mirrored chip), empty when no face was found."""

    phash: str
    phash_mirror: str
    dhash: str
    keys: tuple[str, ...]
    face_keys: tuple[str, ...] = ()
    descriptor: tuple[float, ...] = ()  # the face's 128-d dlib descriptor (4 decimals), or ()

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
            "face_keys": list(self.face_keys),
            "descriptor": list(self.descriptor),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> PhotoHashes:
        keys = data.get("keys")
        version = data.get("version")
        if (
            version not in (HASH_VERSION, *OLD_VERSIONS)
            or not isinstance(keys, list)
            or len(keys) != N_KEYS
        ):
            raise ValueError("photo hashes from another hash version")
        face = data.get("face_keys") or []
        if not isinstance(face, list) or len(face) not in (0, 2):
            raise ValueError("photo hashes: face_keys must hold 0 or 2 hashes")
        descriptor = data.get("descriptor") or []
        if not isinstance(descriptor, list) or len(descriptor) not in (0, 128):
            raise ValueError("photo hashes: descriptor must hold 0 or 128 numbers")
        return cls(
            str(data["phash"]),
            str(data["phash_mirror"]),
            str(data["dhash"]),
            tuple(str(k) for k in keys),
            tuple(str(k) for k in face),
            tuple(float(v) for v in descriptor),
        )

    def key_array(self) -> np.ndarray:
        """Keys as an (20, 4) uint64 array for vectorised Hamming distances."""
        return _words(self.keys)

    def face_array(self) -> np.ndarray | None:
        """Face keys as a (2, 4) uint64 array; None when the photo has no detected face."""
        return _words(self.face_keys) if self.face_keys else None

    def descriptor_array(self) -> np.ndarray | None:
        return np.asarray(self.descriptor, dtype=np.float64) if self.descriptor else None


def _words(keys: tuple[str, ...]) -> np.ndarray:
    return np.array(
        [[int(k[i : i + 16], 16) for i in range(0, 64, 16)] for k in keys], dtype=np.uint64
    ).reshape(len(keys), 4)


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


def _gray(img: Image.Image) -> Image.Image:
    gray = img.convert("RGB").convert("L") if img.mode not in ("L", "RGB") else img.convert("L")
    if max(gray.size) > _WORK_SIDE:  # every hash resizes to 64 px or less: shrink once, first
        gray = gray.copy()
        gray.thumbnail((_WORK_SIDE, _WORK_SIDE), Image.Resampling.LANCZOS)
    return gray


def face_keys(img: Image.Image) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The aligned face chip's pHash and its mirror's, and the face descriptor; ((), ()) without a
    face (or without dlib)."""
    from lurewatch.avatar.face_hash import face_chip

    found = face_chip(img)
    if found is None:
        return (), ()
    chip, descriptor = found
    words = phash256_batch([chip, ImageOps.mirror(chip)])
    return tuple(_words_to_hex(w) for w in words), tuple(round(float(v), 4) for v in descriptor)


def hash_image(img: Image.Image, faces: bool = True, trim: bool = True) -> PhotoHashes:
    """All hashes of one decoded image. `faces=False`: no face keys (no face detection);
    `trim=False`: keys of the image as it is, border and all (avatar-hash-v1's keys)."""
    from lurewatch.avatar.face_hash import trim_border

    gray = _gray(img)
    mirror = ImageOps.mirror(gray)
    trimmed = _gray(trim_border(img)) if trim else gray
    trimmed_mirror = ImageOps.mirror(trimmed)
    words = phash256_batch([_view(g, v) for g in (trimmed, trimmed_mirror) for v in _VIEWS])
    fkeys, descriptor = face_keys(img) if faces else ((), ())
    return PhotoHashes(
        phash=str(imagehash.phash(gray)),
        phash_mirror=str(imagehash.phash(mirror)),
        dhash=min(str(imagehash.dhash(gray)), str(imagehash.dhash(mirror))),
        keys=tuple(_words_to_hex(w) for w in words),
        face_keys=fkeys,
        descriptor=descriptor,
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


def face_distance(a: np.ndarray | None, b: np.ndarray | None) -> int | None:
    """Nearest pair of face keys (direct or mirrored); None when either photo has no face."""
    if a is None or b is None:
        return None
    return int(popcount(a[:, None, :] ^ b[None, :, :]).sum(axis=2).min())


def distance(a: PhotoHashes, b: PhotoHashes) -> int:
    return key_distance(a.key_array(), b.key_array())


def face_match(face_d: int | None, a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Face keys within FACE_MAX, or within FACE_LOOSE with agreeing identity descriptors."""
    if face_d is None or face_d > FACE_LOOSE:
        return False
    if face_d <= FACE_MAX:
        return True
    return a is not None and b is not None and float(np.linalg.norm(a - b)) <= DESCRIPTOR_MAX


def same_photo(a: PhotoHashes, b: PhotoHashes) -> bool:
    """The matching rule: whole-image keys within MATCH_MAX, or the face rule (`face_match`)."""
    if distance(a, b) <= MATCH_MAX:
        return True
    d = face_distance(a.face_array(), b.face_array())
    return face_match(d, a.descriptor_array(), b.descriptor_array())


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
