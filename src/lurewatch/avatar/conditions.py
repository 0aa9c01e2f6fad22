"""How a face photo may reach us: the judged transform and the robustness conditions.

The project's hidden check resamples every photo to 224 px and re-encodes it as JPEG q90 before
`lurewatch avatar` sees it; `JUDGED` reproduces that. `ROBUSTNESS` are what uploaders and
thieves do on top (harder JPEG, other sizes, reframing, colour filters, screenshot-like
padding). Each is a PIL → PIL function, deterministic (any randomness is seeded by the pixels),
applied before the detector's own pipeline (`features.reencode`).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

Transform = Callable[[Image.Image], Image.Image]


def jpeg(img: Image.Image, quality: int, subsampling: int = 2) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality, subsampling=subsampling)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


def resample(img: Image.Image, size: int) -> Image.Image:
    return img.convert("RGB").resize((size, size), Image.Resampling.BICUBIC)


def judged(img: Image.Image) -> Image.Image:
    """The hidden check's transform: resample to 224 px, JPEG q90."""
    return jpeg(resample(img, 224), 90)


def _seed(img: Image.Image) -> np.random.Generator:
    a = np.asarray(img.convert("RGB"))
    return np.random.default_rng(zlib.crc32(a[::5, ::5].tobytes()))


def reframe(img: Image.Image) -> Image.Image:
    """A square of 75–90% of the side at a random offset: framed closer and off-centre."""
    rng = _seed(img)
    side = min(img.size)
    crop = int(side * rng.uniform(0.75, 0.90))
    left = int(rng.integers(0, img.size[0] - crop + 1))
    top = int(rng.integers(0, img.size[1] - crop + 1))
    return img.crop((left, top, left + crop, top + crop))


def colour_shift(img: Image.Image) -> Image.Image:
    """A photo filter: warmer, less saturated, a little brighter and more contrasted."""
    rgb = np.asarray(img.convert("RGB"), dtype=np.float32) * np.array([1.06, 1.0, 0.92])
    out = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    out = ImageEnhance.Color(out).enhance(0.75)
    out = ImageEnhance.Brightness(out).enhance(1.08)
    return ImageEnhance.Contrast(out).enhance(1.1)


def screenshot(img: Image.Image) -> Image.Image:
    """The photo inside a light UI frame (margin, a header bar), cropped square around it."""
    w, h = img.size
    pad = max(4, w // 12)
    canvas = Image.new("RGB", (w + 2 * pad, h + 3 * pad), (243, 242, 239))
    canvas.paste(Image.new("RGB", (w + 2 * pad, pad), (10, 102, 194)), (0, 0))
    canvas.paste(img.convert("RGB"), (pad, 2 * pad))
    return ImageOps.fit(canvas, (w + 2 * pad, w + 2 * pad), centering=(0.5, 0.6))


JUDGED = "224 px, JPEG q90 (the judged transform)"
ROBUSTNESS: dict[str, Transform] = {
    "reframed 75–90% crop, 224 px, q90": lambda im: judged(reframe(im)),
    "colour filter, 224 px, q90": lambda im: judged(colour_shift(im)),
    "screenshot padding, 224 px, q90": lambda im: judged(screenshot(im)),
}
# Same pixels, two encodings: a score that tells them apart reads the file format (also the
# JPEG-quality rows of the robustness table)
FORMAT_PAIR: dict[str, Transform] = {
    "format control: 224 px, JPEG q95 4:4:4": lambda im: jpeg(resample(im, 224), 95, 0),
    "format control: 224 px, JPEG q60 4:2:0": lambda im: jpeg(resample(im, 224), 60, 2),
}
# Same pixels, two sizes: a score that tells them apart reads the image size (also two
# resampling sizes for the robustness table)
SIZE_PAIR: dict[str, Transform] = {
    "size control: 320 px, JPEG q90": lambda im: jpeg(resample(im, 320), 90),
    "size control: 192 px, JPEG q90": lambda im: jpeg(resample(im, 192), 90),
}
ALL: dict[str, Transform] = {JUDGED: judged, **ROBUSTNESS, **FORMAT_PAIR, **SIZE_PAIR}
