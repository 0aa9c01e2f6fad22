"""Other photo cues, reported as evidence only (they are not part of the synthetic score).

- Faces: dlib's HOG detector counts frontal faces (OpenCV's Haar cascade when dlib is missing:
  rougher, it missed 4.5% of the shared faces and doubled 1%). Both miss turned or covered
  faces, so "no face" and "several faces" stay weak evidence, worded as such. The eyes (for
  alignment) are found with OpenCV's Haar eye cascade inside the largest face.
- Alignment: generators trained on FFHQ put the eyes at the same spot in every picture (the
  Stanford 2022 GAN-profile finding). Real profile photos are not aligned; the shared real
  faces are (FFHQ), so this cue cannot be measured here and stays evidence.
- Studio / catalogue look: a flat, uniform background around the subject.
- EXIF: editing software named in the file; generator metadata (see `loading`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

# Eye centres of an FFHQ-aligned face, as fractions of the square image side, measured with the
# Haar eye detector on 120 shared faces (mean; standard deviation ≤ 0.01): see docs/avatar.md.
FFHQ_EYES = ((0.370, 0.470), (0.615, 0.471))
ALIGN_TOLERANCE = 0.035  # fraction of the side: about 3.5 standard deviations


@dataclass(frozen=True, slots=True)
class FaceCues:
    faces: int  # -1 when the detector is unavailable
    face_share: float  # area of the largest face over the image area
    eyes: (
        tuple[tuple[float, float], tuple[float, float]] | None
    )  # normalised eye centres (left, right)
    aligned: bool  # eyes within ALIGN_TOLERANCE of the FFHQ positions


@dataclass(frozen=True, slots=True)
class BackgroundCues:
    border_std: float  # luminance standard deviation of the outer ring (0-255)
    border_edge: float  # mean absolute gradient in the outer ring
    uniform: bool


_CASCADES: dict[str, object] = {}


def _cascade(name: str):  # noqa: ANN202
    if name not in _CASCADES:
        import cv2

        _CASCADES[name] = cv2.CascadeClassifier(cv2.data.haarcascades + name)  # type: ignore[attr-defined]
    return _CASCADES[name]


def face_cues(img: Image.Image) -> FaceCues:
    """Counts frontal faces and, in the largest, locates the two eyes (Haar cascades, rough)."""
    try:
        _cascade("haarcascade_frontalface_default.xml")
    except ImportError:  # pragma: no cover - opencv is a declared dependency
        return FaceCues(-1, 0.0, None, False)
    gray = img.convert("L")
    scale = 1.0
    if max(gray.size) > 512:
        scale = 512 / max(gray.size)
        gray = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))))
    arr = np.asarray(gray, dtype=np.uint8)
    h, w = arr.shape
    side = min(h, w)
    faces = _dlib_faces(img, gray.size, side)
    if faces is None:
        min_face = max(24, int(side * 0.2))
        faces = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
            arr, scaleFactor=1.1, minNeighbors=6, minSize=(min_face, min_face)
        )
    n = len(faces)
    if n == 0:
        return FaceCues(0, 0.0, None, False)
    fx, fy, fw, fh = max(faces, key=lambda f: f[2] * f[3])
    share = float(fw * fh) / float(h * w)
    eyes = _eyes(arr, (int(fx), int(fy), int(fw), int(fh)))
    aligned = False
    if eyes is not None and h == w:
        aligned = all(
            abs(e[0] - t[0]) <= ALIGN_TOLERANCE and abs(e[1] - t[1]) <= ALIGN_TOLERANCE
            for e, t in zip(eyes, FFHQ_EYES, strict=True)
        )
    return FaceCues(n, share, eyes, aligned)


def _dlib_faces(
    img: Image.Image, size: tuple[int, int], side: int
) -> list[tuple[int, int, int, int]] | None:
    """Faces as Haar-like (x, y, w, h) boxes from dlib's HOG detector; None without dlib.

    dlib's boxes run from the brows to the chin; a quarter of the height is added on top so the
    eye search sees the same upper-face band as in a Haar box. Faces under 8% of the side (people
    far in the background) are not counted.
    """
    from lurewatch.avatar import face_embedding

    if not face_embedding.available():
        return None
    rgb = np.asarray(img.convert("RGB").resize(size) if img.size != size else img.convert("RGB"))
    out = []
    for left, top, right, bottom in face_embedding.shared_embedder().faces(rgb):
        fw, fh = right - left, bottom - top
        if min(fw, fh) < 0.08 * side:
            continue
        y = max(0, top - fh // 4)
        x, x2 = max(0, left), min(size[0], right)
        out.append((x, y, x2 - x, min(size[1], bottom) - y))
    return out


def _eyes(
    arr: np.ndarray, face: tuple[int, int, int, int]
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    fx, fy, fw, fh = face
    upper = arr[fy : fy + fh // 2 + fh // 10, fx : fx + fw]
    found = _cascade("haarcascade_eye.xml").detectMultiScale(
        upper, scaleFactor=1.1, minNeighbors=5, minSize=(max(8, fw // 10), max(8, fw // 10))
    )
    if len(found) < 2:
        return None
    # the two largest, ordered left to right
    two = sorted(sorted(found, key=lambda e: -e[2] * e[3])[:2], key=lambda e: e[0])
    h, w = arr.shape
    centres = tuple(((fx + ex + ew / 2) / w, (fy + ey + eh / 2) / h) for ex, ey, ew, eh in two)
    return centres[0], centres[1]  # type: ignore[return-value]


def background_cues(img: Image.Image) -> BackgroundCues:
    """How flat the outer ring of the picture is: studio and catalogue shots have a plain backdrop."""
    gray = img.convert("L")
    if max(gray.size) > 256:
        gray = gray.copy()
        gray.thumbnail((256, 256))
    a = np.asarray(gray, dtype=np.float64)
    h, w = a.shape
    r = max(2, int(min(h, w) * 0.08))
    ring = np.concatenate(
        [a[:r].ravel(), a[-r:].ravel(), a[r:-r, :r].ravel(), a[r:-r, -r:].ravel()]
    )
    gx = np.abs(np.diff(a, axis=1))
    gy = np.abs(np.diff(a, axis=0))
    edge = float(
        np.concatenate(
            [gx[:r].ravel(), gx[-r:].ravel(), gy[:, :r].ravel(), gy[:, -r:].ravel()]
        ).mean()
    )
    std = float(ring.std())
    return BackgroundCues(std, edge, uniform=std < 12.0 and edge < 2.0)


_EDITORS = (
    "photoshop",
    "lightroom",
    "gimp",
    "facetune",
    "snapseed",
    "picsart",
    "canva",
    "affinity",
    "pixelmator",
    "faceapp",
    "remini",
    "meitu",
)


def editing_software(software: str | None) -> str | None:
    """The editing tool named in the EXIF Software tag, if it is one (cameras write their firmware)."""
    if not software:
        return None
    low = software.lower()
    return software if any(e in low for e in _EDITORS) else None
