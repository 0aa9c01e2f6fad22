"""Uploader-like augmentation of a training face (torch-free: the CNN and the descriptor model share it)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from lurewatch.avatar import features

RESIZE_RANGE = (112, 256)  # 96 px is left out of training on purpose: an unseen degradation


def variant(img: Image.Image, rng: np.random.Generator) -> np.ndarray:
    """One seeded training draw: uploader-like edits, then the one re-encoding pipeline."""
    img = img.convert("RGB")
    if rng.random() < 0.5:
        img = ImageOps.mirror(img)
    if rng.random() < 0.5:
        img = ImageEnhance.Brightness(img).enhance(float(rng.uniform(0.85, 1.15)))
        img = ImageEnhance.Contrast(img).enhance(float(rng.uniform(0.85, 1.15)))
        img = ImageEnhance.Color(img).enhance(float(rng.uniform(0.7, 1.3)))
    if rng.random() < 0.3:
        w, h = img.size
        cut = int(rng.integers(1, max(2, int(0.06 * min(w, h)))))
        left, top = int(rng.integers(0, cut + 1)), int(rng.integers(0, cut + 1))
        side = min(w, h) - cut
        img = img.crop((left, top, left + side, top + side))
    if rng.random() < 0.7:
        buf = io.BytesIO()
        img.save(
            buf,
            format="JPEG",
            quality=int(rng.integers(60, 101)),
            subsampling=int(rng.choice([0, 2])),
        )
        buf.seek(0)
        with Image.open(buf) as pre:
            img = pre.convert("RGB")
    pre_size = int(rng.integers(*RESIZE_RANGE)) if rng.random() < 0.5 else None
    quality = int(rng.integers(60, 96))
    return features.reencode(img, quality=quality, pre_size=pre_size)
