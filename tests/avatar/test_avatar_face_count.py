"""Face counting for the no-face / several-faces cues: dlib's HOG detector, Haar without dlib."""

from __future__ import annotations

from PIL import Image

from lurewatch.avatar import cues, face_embedding


def test_one_face_is_one_face(shared_faces):
    for path in shared_faces[:2] + shared_faces[-2:]:
        found = cues.face_cues(Image.open(path).convert("RGB"))
        assert found.faces == 1 and 0.05 < found.face_share < 0.9


def test_two_faces_side_by_side_are_two(shared_faces):
    a, b = (Image.open(p).convert("RGB") for p in (shared_faces[0], shared_faces[-1]))
    pair = Image.new("RGB", (512, 256))
    pair.paste(a, (0, 0))
    pair.paste(b, (256, 0))
    assert cues.face_cues(pair).faces == 2


def test_no_face_in_a_blob_picture(photo):
    assert cues.face_cues(photo).faces == 0


def test_without_dlib_the_haar_cascade_counts(shared_faces, monkeypatch):
    monkeypatch.setattr(face_embedding, "available", lambda: False)
    found = cues.face_cues(Image.open(shared_faces[0]).convert("RGB"))
    assert found.faces >= 0  # Haar ran (-1 would mean no detector at all)
