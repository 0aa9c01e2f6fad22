"""Tiny images generated on the fly for the avatar tests (no dataset images are committed)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "faces"


def make_photo(seed: int, size: int = 256) -> Image.Image:
    """A smooth random 'photo': coloured blobs on a gradient (stable under resizing, like a real one)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
    img = Image.fromarray(base).resize((size, size), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = (int(v) for v in rng.integers(0, size - 40, 2))
        w, h = (int(v) for v in rng.integers(20, size // 2, 2))
        draw.ellipse((x0, y0, x0 + w, y0 + h), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    return img.filter(ImageFilter.GaussianBlur(1.5))


def jpeg_bytes(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()
