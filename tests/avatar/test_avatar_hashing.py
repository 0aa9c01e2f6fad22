"""Copies of a photo under each re-upload transformation match; different photos do not."""

from __future__ import annotations

import io

import imagehash
import pytest
from avatar_images import make_photo
from PIL import Image, ImageEnhance, ImageOps

from lurewatch.avatar import hashing
from lurewatch.avatar.index import PhotoIndex, match_intel, parse_intel_hashes


def _jpeg(img: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=q)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


TRANSFORMS = {
    "resize_down": lambda im: im.resize((120, 120), Image.Resampling.BICUBIC),
    "resize_up": lambda im: im.resize((600, 600), Image.Resampling.BICUBIC),
    "jpeg_q40": lambda im: _jpeg(im, 40),
    "crop_5pct_corner": lambda im: im.crop((13, 13, 256, 256)),
    "crop_3pct_side": lambda im: im.crop((0, 0, 248, 256)),
    "crop_4pct_all": lambda im: im.crop((10, 10, 246, 246)),
    "mirror": ImageOps.mirror,
    "grayscale": lambda im: ImageOps.grayscale(im),
    "desaturate": lambda im: ImageEnhance.Color(im).enhance(0.2),
    "tint": lambda im: Image.merge(
        "RGB",
        [
            b.point(lambda v, k=k: min(255, int(v * k)))
            for b, k in zip(im.split(), (1.15, 1.0, 0.85), strict=True)
        ],
    ),
    "combo": lambda im: _jpeg(ImageOps.mirror(im.crop((10, 0, 256, 248))).resize((150, 150)), 70),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformed_copy_matches(photo, name):
    original = hashing.hash_image(photo)
    copy = hashing.hash_image(TRANSFORMS[name](photo))
    assert hashing.distance(original, copy) <= hashing.MATCH_MAX


@pytest.mark.parametrize("name", ["mirror", "grayscale", "resize_down"])
def test_exchange_phash_is_stable(photo, name):
    """The 64-bit canonical pHash (what campaigns and partners use) survives the cheap transforms."""
    a = hashing.hash_image(photo).canonical_phash
    b = hashing.hash_image(TRANSFORMS[name](photo)).canonical_phash
    assert len(a) == 16 and hashing.hamming64(a, b) <= hashing.PHASH64_MAX


def test_different_photos_do_not_match():
    hashes = [hashing.hash_image(make_photo(seed)) for seed in range(10, 22)]
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            assert hashing.distance(hashes[i], hashes[j]) > hashing.MATCH_MAX


def test_different_shared_faces_do_not_match(shared_faces):
    """Aligned faces (same pose and framing) are the hard case for a perceptual hash."""
    hashes = [hashing.hash_image(Image.open(p).convert("RGB")) for p in shared_faces]
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            assert hashing.distance(hashes[i], hashes[j]) > hashing.MATCH_MAX


def test_shared_face_copies_match(shared_faces):
    img = Image.open(shared_faces[0]).convert("RGB")
    h = hashing.hash_image(img)
    for fn in TRANSFORMS.values():
        assert hashing.distance(h, hashing.hash_image(fn(img))) <= hashing.MATCH_MAX


def test_batched_keys_equal_imagehash(photo):
    """The fast batched 256-bit pHash is the library's algorithm, bit for bit."""
    h = hashing.hash_image(photo)
    gray = photo.convert("L")
    assert h.keys[0] == str(imagehash.phash(gray, hash_size=16))
    assert h.keys[len(h.keys) // 2] == str(imagehash.phash(ImageOps.mirror(gray), hash_size=16))
    assert h.phash == str(imagehash.phash(gray))


def test_hashes_round_trip_and_refuse_other_versions(photo):
    h = hashing.hash_image(photo)
    assert hashing.PhotoHashes.from_dict(h.to_dict()) == h
    bad = h.to_dict() | {"version": "other"}
    with pytest.raises(ValueError):
        hashing.PhotoHashes.from_dict(bad)


def test_index_finds_every_copy_and_agrees_with_reference(photo):
    index = PhotoIndex()
    index.insert("acc-original", hashing.hash_image(photo))
    index.insert("acc-mirror", hashing.hash_image(ImageOps.mirror(photo)))
    index.insert("acc-crop", hashing.hash_image(photo.crop((12, 0, 256, 256))))
    for seed in range(30, 36):
        index.insert(f"other-{seed}", hashing.hash_image(make_photo(seed)))
    query = hashing.hash_image(_jpeg(photo.resize((200, 200)), 60))
    found = index.query(query)
    assert {m.key for m in found} == {"acc-original", "acc-mirror", "acc-crop"}
    assert found == index.query_reference(query)
    assert [m.key for m in index.query(query, exclude="acc-original")] == [
        m.key for m in found if m.key != "acc-original"
    ]
    groups = index.groups(block=3)  # small blocks: the block edges are exercised too
    assert groups == index.groups_by_query()
    assert set(groups) == {"acc-original", "acc-mirror", "acc-crop"}
    assert {m.key for m in groups["acc-mirror"]} == {"acc-original", "acc-crop"}


def test_empty_index_returns_nothing(photo):
    assert PhotoIndex().query(hashing.hash_image(photo)) == []


def test_intel_hashes_match_and_parse(photo):
    h = hashing.hash_image(ImageOps.mirror(photo))
    own = hashing.hash_image(photo)
    other = hashing.hash_image(make_photo(99))
    intel = parse_intel_hashes(
        f"# from partner X\n{own.phash}  persona photo\n\n{other.phash}\n{own.keys[0]}\n"
    )
    assert len(intel) == 3
    got = match_intel(h, intel)
    assert {x for x, _ in got} == {own.phash, own.keys[0]}
    assert parse_intel_hashes(f'["{own.phash}"]') == [own.phash]
    with pytest.raises(ValueError, match="line 2"):
        parse_intel_hashes(f"{own.phash}\nnot-a-hash\n")
