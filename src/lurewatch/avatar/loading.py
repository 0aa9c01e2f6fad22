"""Opening untrusted image files safely: size limits before decoding, one error type after.

A profile photo comes from a scraped page or a member's upload, so it may be truncated, not an
image at all, a decompression bomb (tiny file, gigapixel canvas) or an animated GIF. Every such
case becomes an `ImageError` naming the file; nothing here ever crashes the caller.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from lurewatch.errors import InputError

MAX_FILE_BYTES = 20 * 1024 * 1024  # no profile photo is larger
MAX_PIXELS = 40_000_000  # 40 MP: larger canvases are refused before any pixel is decoded
MAX_SIDE = 12_000
MIN_SIDE = 16  # a face cannot be judged below this
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".jfif")


class ImageError(InputError):
    """An image file that cannot or must not be decoded (the message says why)."""


@dataclass(slots=True)
class LoadedImage:
    """A decoded RGB image plus the facts about the file that other cues need (EXIF software tag)."""

    image: Image.Image
    format: str
    size: tuple[int, int]
    exif_software: str | None
    exif_tags: int
    file_bytes: int
    camera: str | None = None  # EXIF Make/Model: a camera wrote this file
    generator_hints: tuple[
        str, ...
    ] = ()  # metadata left by image generators (see `_generator_hints`)


def load_image(path: str | Path, data: bytes | None = None) -> LoadedImage:
    """Reads and decodes one image with limits; raises `ImageError` with the reason otherwise."""
    source = str(path)
    if data is None:
        p = Path(path)
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise ImageError(f"cannot read the file: {exc.strerror or exc}", source=source) from exc
        if not p.is_file():
            raise ImageError("not a regular file", source=source)
        if size > MAX_FILE_BYTES:
            raise ImageError(f"file too large ({size} bytes > {MAX_FILE_BYTES})", source=source)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ImageError(f"cannot read the file: {exc.strerror or exc}", source=source) from exc
    if len(data) > MAX_FILE_BYTES:
        raise ImageError(f"file too large ({len(data)} bytes > {MAX_FILE_BYTES})", source=source)
    if not data:
        raise ImageError("empty file", source=source)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=FORMATS)
        except UnidentifiedImageError as exc:
            raise ImageError("not an image (unrecognised format)", source=source) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(
                f"image too large (possible decompression bomb): {exc}", source=source
            ) from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageError(f"not a readable image: {exc}", source=source) from exc
        width, height = img.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise ImageError(
                f"image too large ({width}x{height} pixels; limit {MAX_PIXELS} pixels, {MAX_SIDE} per side)",
                source=source,
            )
        if min(width, height) < MIN_SIDE:
            raise ImageError(f"image too small ({width}x{height} pixels)", source=source)
        if getattr(img, "is_animated", False) or getattr(img, "n_frames", 1) > 1:
            raise ImageError(
                "animated image: a profile photo is a single still picture", source=source
            )
        fmt = img.format or "?"
        software, n_tags, camera = _exif(img)
        hints = _generator_hints(img, data)
        try:
            img.load()
            rgb = _to_rgb(img)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(
                f"image too large (possible decompression bomb): {exc}", source=source
            ) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ImageError(f"truncated or corrupt image: {exc}", source=source) from exc
    return LoadedImage(rgb, fmt, (width, height), software, n_tags, len(data), camera, hints)


def _to_rgb(img: Image.Image) -> Image.Image:
    """Flattens transparency onto white (as a profile page shows it) and returns RGB."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return img.convert("RGB")


def _exif(img: Image.Image) -> tuple[str | None, int, str | None]:
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - malformed EXIF is ordinary odd data, not an error
        return None, 0, None
    software = _text(exif.get(0x0131))  # Software
    camera = " ".join(
        t for t in (_text(exif.get(0x010F)), _text(exif.get(0x0110))) if t
    )  # Make, Model
    return software, len(exif), camera or None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = "".join(ch for ch in str(value) if ch.isprintable()).strip()[:200]
    return text or None


# Markers image generators and provenance standards write into files (PNG text chunks, XMP, C2PA).
_GENERATOR_KEYS = ("parameters", "prompt", "workflow", "invokeai_metadata", "sd-metadata", "dream")
_GENERATOR_BYTES = (
    (
        b"trainedAlgorithmicMedia",
        "IPTC digital source type 'trained algorithmic media' (AI-generated)",
    ),
    (
        b"compositeWithTrainedAlgorithmicMedia",
        "IPTC digital source type: composite with AI-generated media",
    ),
    (b"c2pa", "C2PA content credentials present"),
    (b"Stable Diffusion", "mentions Stable Diffusion"),
    (b"Midjourney", "mentions Midjourney"),
    (b"DALL", "mentions DALL-E"),
    (b"ComfyUI", "mentions ComfyUI"),
)


def _generator_hints(img: Image.Image, data: bytes) -> tuple[str, ...]:
    hints = [
        f"text chunk '{k}' (written by image generators)" for k in _GENERATOR_KEYS if k in img.info
    ]
    head = data[:65536] + data[-65536:]  # metadata lives in the first or last segments
    hints += [why for marker, why in _GENERATOR_BYTES if marker in head]
    return tuple(dict.fromkeys(hints))


def iter_image_paths(paths: list[Path]) -> list[Path]:
    """Expands files and folders (recursively) into a sorted list; folders keep only image suffixes."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                sorted(
                    q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in IMAGE_SUFFIXES
                )
            )
        else:
            found.append(p)
    return found
