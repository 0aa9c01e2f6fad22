"""`lurewatch eval`, reused photos: what thieves do to a stolen profile photo, and whether we link it.

Every shared face (real and generated: each a distinct face) is indexed; a seeded sample of
them is then "stolen": each copy goes through one transformation family (or a combination), is
hashed and looked up. A copy is linked when its original is among the matches; any other match
is a false link. Besides, every pair of distinct indexed faces is checked for a false link
(`PhotoIndex.groups`). Transformations are generated here, at evaluation time, seeded by the
image, so no transformed image is ever stored.

The previous matcher (avatar-hash-v1: whole-image keys, no border trimming, no face keys) runs
on the same copies, in the same table.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from lurewatch.avatar import hashing
from lurewatch.avatar.index import PhotoIndex
from lurewatch.avatar.loading import ImageError, load_image
from lurewatch.evaluation.base import EvalContext

Transform = Callable[[Image.Image, np.random.Generator], Image.Image]
WHITE = (255, 255, 255)
POOL_FOLDERS = ("real_ffhq", "fake_stylegan1", "fake_stylegan2", "fake_sd21")
STOLEN, QUICK_STOLEN = 150, 20
QUICK_POOL = 150


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


def crop(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """5–15% off one to four sides (a re-framed copy)."""
    w, h = img.size
    cuts = [float(rng.uniform(0.0, 0.15)) if rng.random() < 0.6 else 0.0 for _ in range(4)]
    if sum(cuts) < 0.05:
        cuts[int(rng.integers(0, 4))] = float(rng.uniform(0.05, 0.15))
    left, top, right, bottom = cuts
    return img.crop((int(w * left), int(h * top), w - int(w * right), h - int(h * bottom)))


def border(
    img: Image.Image, rng: np.random.Generator, colour: tuple[int, ...] | None = None
) -> Image.Image:
    """A flat border of 4–15% of the side (white, black or a random colour), maybe uneven."""
    if colour is None:
        choice = rng.random()
        if choice < 0.5:
            colour = WHITE
        elif choice < 0.7:
            colour = (0, 0, 0)
        else:
            colour = tuple(int(v) for v in rng.integers(0, 256, 3))
    w, h = img.size
    pads = [int(max(w, h) * rng.uniform(0.04, 0.15)) for _ in range(4)]
    return ImageOps.expand(img.convert("RGB"), border=tuple(pads), fill=colour)


def resize(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    s = float(rng.uniform(0.35, 0.75))
    return img.resize(
        (max(32, int(img.width * s)), max(32, int(img.height * s))), Image.Resampling.BICUBIC
    )


def mirror(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    return ImageOps.mirror(img)


def brightness(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    f = float(rng.choice([rng.uniform(0.7, 0.85), rng.uniform(1.15, 1.3)]))
    return ImageEnhance.Brightness(img).enhance(f)


def jpeg60(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    return jpeg(img, 60)


def rotate(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """±2–5°, corners filled white (a tilted paste), then cropped back to the photo's size."""
    angle = float(rng.uniform(2, 5)) * (1 if rng.random() < 0.5 else -1)
    return img.convert("RGB").rotate(angle, Image.Resampling.BICUBIC, expand=False, fillcolor=WHITE)


def colour_filter(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """An app filter: sepia, warm, cool, or faded (low contrast, low saturation)."""
    kind = int(rng.integers(0, 4))
    rgb = img.convert("RGB")
    if kind == 0:
        return ImageOps.colorize(ImageOps.grayscale(rgb), (40, 26, 13), (255, 240, 192))
    if kind in (1, 2):
        k = (1.12, 1.0, 0.85) if kind == 1 else (0.85, 1.0, 1.15)
        bands = [
            b.point(lambda v, f=f: min(255, int(v * f)))
            for b, f in zip(rgb.split(), k, strict=True)
        ]
        return Image.merge("RGB", bands)
    return ImageEnhance.Color(ImageEnhance.Contrast(rgb).enhance(0.7)).enhance(0.5)


def text_overlay(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A caption band across the bottom (or top) and a handle in a corner, as reposts carry."""
    out = img.convert("RGB").copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    size = max(8, int(h * 0.07))
    font = ImageFont.load_default(size=size)
    band_top = int(h * 0.86) if rng.random() < 0.7 else 0
    draw.rectangle((0, band_top, w, band_top + int(h * 0.14)), fill=(0, 0, 0))
    draw.text((int(w * 0.04), band_top + int(h * 0.03)), "Hiring now! DM me", fill=WHITE, font=font)
    draw.text((int(w * 0.6), int(h * 0.03)), "@talent_hub", fill=WHITE, font=font)
    return out


def screenshot(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The photo inside an app's page: a title bar, a side panel, lines of text; then JPEG q80."""
    photo = img.convert("RGB")
    scale = float(rng.uniform(0.6, 1.0))
    photo = photo.resize((max(32, int(photo.width * scale)), max(32, int(photo.height * scale))))
    pw, ph = photo.size
    cw, ch = int(pw * rng.uniform(1.8, 2.6)), int(ph * rng.uniform(1.5, 2.0))
    page = Image.new("RGB", (cw, ch), (243, 242, 239))
    draw = ImageDraw.Draw(page)
    bar = int(ch * 0.08)
    draw.rectangle((0, 0, cw, bar), fill=(255, 255, 255))
    draw.rectangle(
        (int(cw * 0.02), int(bar * 0.2), int(cw * 0.3), int(bar * 0.8)), fill=(225, 233, 240)
    )
    x0, y0 = int(cw * rng.uniform(0.05, 0.15)), bar + int(ch * 0.05)
    y0 = min(y0, ch - ph)
    page.paste(photo, (x0, y0))
    font = ImageFont.load_default(size=max(8, int(ch * 0.03)))
    tx = x0 + pw + int(cw * 0.05)
    for i, line in enumerate(
        ("Senior Talent Partner", "Global Advisory Group", "500+ connections")
    ):
        draw.text((tx, y0 + i * int(ch * 0.06)), line, fill=(30, 30, 30), font=font)
    for i in range(4):
        y = y0 + ph + int(ch * 0.04) + i * int(ch * 0.04)
        if y < ch - 4:
            draw.rectangle((x0, y, int(cw * 0.9), y + 3), fill=(200, 200, 200))
    return jpeg(page, 80)


def _three_of(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The hidden check's setting: three of crop, white border, resize, mirror, brightness, JPEG q60."""
    steps: list[Transform] = [
        crop,
        lambda im, r: border(im, r, WHITE),
        resize,
        mirror,
        brightness,
        jpeg60,
    ]
    for i in sorted(rng.permutation(len(steps))[:3]):
        img = steps[int(i)](img, rng)
    return img


FAMILIES: dict[str, Transform] = {
    "crop 5–15%": crop,
    "border 4–15%": border,
    "resize ×0.35–0.75": resize,
    "mirror": mirror,
    "brightness ±15–30%": brightness,
    "JPEG q60": jpeg60,
    "rotation ±2–5°": rotate,
    "colour filter": colour_filter,
    "text overlay": text_overlay,
    "screenshot with app around it": screenshot,
    "crop + border": lambda im, r: border(crop(im, r), r),
    "crop + border + resize + JPEG q60": lambda im, r: jpeg60(resize(border(crop(im, r), r), r), r),
    "rotation + crop + filter": lambda im, r: colour_filter(crop(rotate(im, r), r), r),
    "three of {crop, border, resize, mirror, brightness, q60}": _three_of,
}


def seeded(img: Image.Image, family: str, seed: int) -> np.random.Generator:
    a = np.asarray(img.convert("L").resize((32, 32)))
    return np.random.default_rng([zlib.crc32(a.tobytes()), zlib.crc32(family.encode()), seed])


def measure(
    images: dict[str, Image.Image],
    stolen: list[str],
    *,
    seed: int,
    faces: bool,
    trim: bool,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, dict[str, float]]:
    """Per family: copies linked, false links, precision; plus '(distinct faces)' false pairs."""
    index = PhotoIndex()
    for key, img in images.items():
        index.insert(key, hashing.hash_image(img, faces=faces, trim=trim))
    progress(f"reuse: {len(images):,} faces indexed (faces={faces}, trim={trim})")
    out: dict[str, dict[str, float]] = {}
    for family, fn in FAMILIES.items():
        hit = wrong = via_face = 0
        for key in stolen:
            img = images[key]
            copy = fn(img.convert("RGB"), seeded(img, family, seed))
            found = index.query(hashing.hash_image(copy, faces=faces, trim=trim))
            keys = {m.key for m in found}
            hit += key in keys
            wrong += len(keys - {key})
            via_face += any(m.key == key and m.via == "face" for m in found)
        n = len(stolen)
        out[family] = {
            "recall": hit / n if n else float("nan"),
            "false_links": float(wrong),
            "precision": hit / (hit + wrong) if hit + wrong else float("nan"),
            "via_face": via_face / n if n else float("nan"),
        }
    pairs = index.groups()
    false_pairs = sum(len(v) for v in pairs.values()) // 2
    m = len(images)
    out["(distinct faces)"] = {"false_links": float(false_pairs), "pairs": float(m * (m - 1) // 2)}
    return out


def _pool(ctx: EvalContext) -> tuple[dict[str, Image.Image], list[str]]:
    """Every shared face (each a distinct face) and a seeded sample of real photos to steal."""
    files: list[Path] = []
    root = Path(ctx.data_dir) / "faces"
    for folder in POOL_FOLDERS:
        d = root / folder
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    rng = np.random.default_rng(ctx.seed)
    if ctx.quick:
        files = [files[i] for i in sorted(rng.permutation(len(files))[:QUICK_POOL])]
    images: dict[str, Image.Image] = {}
    for f in files:
        try:
            images[f"{f.parent.name}/{f.name}"] = load_image(f).image.convert("RGB")
        except ImageError:
            continue
    real = [k for k in images if k.startswith("real_")]
    n = QUICK_STOLEN if ctx.quick else STOLEN
    stolen = [real[i] for i in sorted(rng.permutation(len(real))[:n])]
    return images, stolen


def _cell(v: dict[str, float]) -> str:
    prec = "n/a" if math.isnan(v["precision"]) else f"{v['precision']:.3f}"
    return f"{v['recall']:.3f} | {int(v['false_links'])} | {prec}"


def section(ctx: EvalContext) -> tuple[str, dict[str, float]]:
    images, stolen = _pool(ctx)
    if not images or not stolen:
        return "No shared faces: nothing measured.", {}
    ctx.progress(f"reuse: {len(images):,} distinct faces, {len(stolen)} stolen, new matcher")
    new = measure(images, stolen, seed=ctx.seed, faces=True, trim=True, progress=ctx.progress)
    ctx.progress("reuse: avatar-hash-v1 on the same copies")
    old = measure(images, stolen, seed=ctx.seed, faces=False, trim=False, progress=ctx.progress)
    metrics: dict[str, float] = {}
    rows = []
    for family in FAMILIES:
        n, o = new[family], old[family]
        rows.append(f"| {family} | {_cell(n)} | {n['via_face']:.3f} | {_cell(o)} |")
        slug = "_".join("".join(c if c.isalnum() else " " for c in family.lower()).split())
        metrics[f"reuse.{slug}.recall"] = n["recall"]
        metrics[f"reuse.{slug}.v1_recall"] = o["recall"]
    worst = min(new[f]["recall"] for f in FAMILIES)
    distinct = new["(distinct faces)"]
    metrics["reuse.worst_recall"] = worst
    metrics["reuse.false_pairs"] = distinct["false_links"]
    metrics["reuse.v1_false_pairs"] = old["(distinct faces)"]["false_links"]
    text = "\n".join(
        [
            f"{len(images):,} distinct shared faces (FFHQ photographs and StyleGAN1/StyleGAN2/SD 2.1 "
            f"faces; all indexed) and {len(stolen)} of the real photographs stolen: each copy goes "
            "through one transformation family (seeded by the image, generated at evaluation "
            "time) and is looked up. Linked = its original is among the matches; a false link = "
            "any other match. New matcher (`avatar-hash-v2`): whole-image keys after stripping a "
            f"uniform border (≤ {hashing.MATCH_MAX} of 256 bits), or the dlib-aligned face chip's "
            f"keys (≤ {hashing.FACE_MAX}; ≤ {hashing.FACE_LOOSE} when the face descriptors are "
            f"within {hashing.DESCRIPTOR_MAX}). Previous (`avatar-hash-v1`): whole-image keys only.",
            "",
            "| transformation | linked | false links | precision | linked through the face | "
            "v1 linked | v1 false links | v1 precision |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Worst family: {worst:.3f} of copies linked (goal ≥ 0.95). Distinct faces linked by "
            f"mistake: {int(distinct['false_links'])} of {int(distinct['pairs']):,} pairs "
            f"(v1: {int(old['(distinct faces)']['false_links'])}). All shared faces are "
            "FFHQ-style close-ups, many aligned alike: harder for the face keys than varied "
            "profile photos.",
        ]
    )
    return text, metrics
