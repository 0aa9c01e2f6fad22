"""Reuse that survives what thieves do: border trimming, face keys, the descriptor guard, the eval."""

from __future__ import annotations

import numpy as np
import pytest
from avatar_images import make_photo
from PIL import Image, ImageOps

from lurewatch.avatar import face_embedding, hashing, reuse_evaluation
from lurewatch.avatar.face_hash import trim_border
from lurewatch.avatar.index import PhotoIndex

needs_dlib = pytest.mark.skipif(not face_embedding.available(), reason="dlib weights not installed")


def test_uniform_frame_is_stripped(photo):
    framed = ImageOps.expand(photo, border=(30, 12, 18, 40), fill=(255, 255, 255))
    trimmed = trim_border(framed)
    assert trimmed.size == photo.size
    black = ImageOps.expand(photo, border=20, fill=(0, 0, 0))
    assert trim_border(black).size == photo.size


def test_band_on_one_side_is_content_not_border(photo):
    band = Image.new("RGB", (photo.width, photo.height + 40), (255, 255, 255))
    band.paste(photo, (0, 0))  # flat only at the bottom: a caption strip, kept
    assert trim_border(band).size == band.size
    assert trim_border(photo).size == photo.size


def test_crop_plus_border_copy_matches_through_trimming(photo):
    """The case every copy missed before: cropped, then padded with a white border."""
    copy = ImageOps.expand(photo.crop((14, 10, 250, 246)), border=45, fill=(255, 255, 255))
    a, b = hashing.hash_image(photo, faces=False), hashing.hash_image(copy, faces=False)
    assert hashing.distance(a, b) <= hashing.MATCH_MAX
    old_a = hashing.hash_image(photo, faces=False, trim=False)
    old_b = hashing.hash_image(copy, faces=False, trim=False)
    assert hashing.distance(old_a, old_b) > hashing.MATCH_MAX  # v1's keys miss it


def test_version1_hashes_still_load(photo):
    h = hashing.hash_image(photo, faces=False)
    old = h.to_dict() | {"version": "avatar-hash-v1"}
    del old["face_keys"], old["descriptor"]
    loaded = hashing.PhotoHashes.from_dict(old)
    assert loaded.face_keys == () and loaded.face_array() is None
    with pytest.raises(ValueError):
        hashing.PhotoHashes.from_dict(h.to_dict() | {"face_keys": ["ab"]})


def test_face_rule_needs_descriptors_between_strict_and_loose():
    d = np.zeros(128)
    assert hashing.face_match(hashing.FACE_MAX, None, None)
    assert not hashing.face_match(hashing.FACE_MAX + 1, None, None)
    assert hashing.face_match(hashing.FACE_MAX + 1, d, d + 0.01)
    assert not hashing.face_match(hashing.FACE_MAX + 1, d, d + 0.1)  # norm 1.13: another face
    assert not hashing.face_match(hashing.FACE_LOOSE + 1, d, d)
    assert not hashing.face_match(None, d, d)


def test_transformations_are_seeded_and_rgb(photo):
    for name, fn in reuse_evaluation.FAMILIES.items():
        a = fn(photo, reuse_evaluation.seeded(photo, name, 0))
        b = fn(photo, reuse_evaluation.seeded(photo, name, 0))
        assert a.mode == "RGB" and np.array_equal(np.asarray(a), np.asarray(b)), name


@needs_dlib
def test_face_keys_link_a_screenshot_and_a_tilted_crop(shared_faces):
    img = Image.open(shared_faces[0]).convert("RGB")
    original = hashing.hash_image(img)
    assert len(original.face_keys) == 2 and len(original.descriptor) == 128
    rng = np.random.default_rng(3)
    shot = reuse_evaluation.screenshot(img, rng)
    tilted = reuse_evaluation.crop(reuse_evaluation.rotate(img, rng), rng)
    for copy in (shot, tilted):
        assert hashing.same_photo(original, hashing.hash_image(copy))
    assert hashing.distance(original, hashing.hash_image(shot)) > hashing.MATCH_MAX  # face only


@needs_dlib
def test_index_with_faces_agrees_with_reference_and_keeps_faces_apart(shared_faces):
    images = [Image.open(p).convert("RGB") for p in shared_faces]
    index = PhotoIndex()
    for i, img in enumerate(images):
        index.insert(f"face-{i}", hashing.hash_image(img))
    copy = reuse_evaluation.screenshot(images[1], np.random.default_rng(5))
    index.insert("stolen", hashing.hash_image(copy))
    query = hashing.hash_image(copy)
    found = index.query(query, exclude="stolen")
    assert [m.key for m in found] == ["face-1"] and found[0].via == "face"
    assert found == index.query_reference(query, exclude="stolen")
    groups = index.groups()
    assert groups == index.groups_by_query()
    assert set(groups) == {"face-1", "stolen"}  # distinct faces never linked


def test_measure_on_invented_photos():
    """The eval's measure on invented photos (no face: the whole-image keys do the work)."""
    images = {f"p{i}": make_photo(40 + i) for i in range(6)}
    out = reuse_evaluation.measure(images, ["p0", "p1"], seed=0, faces=False, trim=True)
    assert out["mirror"]["recall"] == 1.0 and out["JPEG q60"]["false_links"] == 0
    assert out["(distinct faces)"] == {"false_links": 0.0, "pairs": 15.0}
