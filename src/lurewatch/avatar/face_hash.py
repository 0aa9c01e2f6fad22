"""What survives what photo thieves do: the aligned face region and the photo without its border.

A copy that is cropped *and* padded with a border, screenshotted with an app's interface around
it, rotated a few degrees or stamped with text no longer lines up with the original, so the
whole-image keys (`hashing`) miss it. Two things still line up:

- the face: dlib's HOG detector and 5-point landmarks (`face_embedding`) give an aligned face chip
  (eyes level, same scale), whatever the framing, border or small rotation; its 256-bit pHash
  ("face key", and the mirror chip's) matches between copies. Measured on the shared faces,
  different people's chips stay ≥ 58 of 256 bits apart (45,000 pairs), copies ≤ ~30
  (`lurewatch eval`, Avatars, reused photos);
- the identity descriptor (dlib's 128-d face embedding) of two copies of one photo is nearly the
  same (distance ≪ 0.6, the same-person cut); on its own it would link two *different* photos of
  one person, so it only confirms a face-key distance between FACE_MAX and FACE_LOOSE;
- the photo itself: a uniform border (white, black or any flat colour) is detected and
  stripped before the whole-image keys are computed (`trim_border`).

Without dlib (or without a detectable face) the face keys are absent and matching falls back to
the whole-image keys.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# A border row/column: nearly flat (std of its pixels) and close to the corner's colour.
BORDER_STD = 6.0
BORDER_DELTA = 18.0
MAX_BORDER = 0.35  # never strip more than this share of a side
CHIP_SIZE = 128
# Context around the landmarks: 0.1 keeps the chip inside the face, so a crop into the hair or
# a caption band across the chin changes little (0.3 took in background: crops moved it ~2x more).
CHIP_PADDING = 0.1


def trim_border(img: Image.Image) -> Image.Image:
    """The image without uniform bands along its edges: stripped per axis only when both opposite
    sides have one (a frame, or padding to a square); a band on one side is left alone."""
    rgb = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = rgb.shape[:2]
    if h < 16 or w < 16:
        return img

    def flat(line: np.ndarray, ref: np.ndarray) -> bool:
        return bool(
            line.std(axis=0).max() <= BORDER_STD
            and np.abs(line.mean(axis=0) - ref).max() <= BORDER_DELTA
        )

    top, bottom, left, right = 0, h, 0, w
    ref = rgb[0, 0]
    while top < int(h * MAX_BORDER) and flat(rgb[top, left:right], ref):
        top += 1
    ref = rgb[h - 1, w - 1]
    while h - bottom < int(h * MAX_BORDER) and flat(rgb[bottom - 1, left:right], ref):
        bottom -= 1
    if not (top and h - bottom):  # a flat band on one side only is content (sky, a caption)
        top, bottom = 0, h
    ref = rgb[top, 0]
    while left < int(w * MAX_BORDER) and flat(rgb[top:bottom, left], ref):
        left += 1
    ref = rgb[bottom - 1, w - 1]
    while w - right < int(w * MAX_BORDER) and flat(rgb[top:bottom, right - 1], ref):
        right -= 1
    if not (left and w - right):
        left, right = 0, w
    if (top, bottom, left, right) == (0, h, 0, w) or bottom - top < 16 or right - left < 16:
        return img
    return img.crop((left, top, right, bottom))


def face_chip(img: Image.Image) -> tuple[Image.Image, np.ndarray] | None:
    """The largest face, aligned by its 5 landmarks, as a grayscale CHIP_SIZE square, and its
    128-d identity descriptor; None if no face is found or dlib is not installed."""
    from lurewatch.avatar import face_embedding

    if not face_embedding.available():
        return None
    embedder = face_embedding.shared_embedder()
    found = embedder.chip(np.asarray(img.convert("RGB")), CHIP_SIZE, CHIP_PADDING)
    if found is None:
        return None
    chip, descriptor = found
    return Image.fromarray(chip).convert("L"), descriptor
