"""Bad images are refused with a message naming the reason; good ones decode to RGB."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from avatar_images import jpeg_bytes, make_photo
from PIL import Image, PngImagePlugin

from lurewatch.avatar.loading import ImageError, iter_image_paths, load_image


def _png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge canvas (a decompression bomb's first few bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_good_jpeg_loads_as_rgb(tmp_path):
    p = tmp_path / "ok.jpg"
    p.write_bytes(jpeg_bytes(make_photo(3)))
    loaded = load_image(p)
    assert loaded.image.mode == "RGB" and loaded.size == (256, 256) and loaded.format == "JPEG"


def test_transparent_png_is_flattened(tmp_path):
    img = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    loaded = load_image("t.png", data=buf.getvalue())
    assert loaded.image.mode == "RGB" and loaded.image.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("text.jpg", b"not an image at all", "not an image"),
        ("empty.jpg", b"", "empty"),
        ("truncated.jpg", jpeg_bytes(make_photo(4))[:1500], "truncated"),
        ("bomb.png", _png_with_size(60_000, 60_000), "too large"),
        ("wide.png", _png_with_size(20_000, 100), "too large"),
        ("tiny.png", _png_with_size(8, 8), "too small"),
    ],
)
def test_bad_images_are_refused_with_a_reason(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ImageError) as err:
        load_image(p)
    assert reason in err.value.message
    assert name in str(err.value)  # the message names the file


def test_animated_gif_is_refused(tmp_path):
    frames = [make_photo(i, 64).convert("P") for i in range(3)]
    p = tmp_path / "anim.gif"
    frames[0].save(p, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(ImageError, match="animated"):
        load_image(p)


def test_missing_file_and_folder_are_errors(tmp_path):
    with pytest.raises(ImageError, match="cannot read"):
        load_image(tmp_path / "nope.jpg")
    with pytest.raises(ImageError):
        load_image(tmp_path)


def test_generator_metadata_is_noticed(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", "a portrait photo of a woman, Steps: 30, Sampler: Euler a")
    p = tmp_path / "sd.png"
    make_photo(5).save(p, pnginfo=info)
    hints = load_image(p).generator_hints
    assert any("parameters" in h for h in hints)
    plain = tmp_path / "plain.png"
    make_photo(5).save(plain)
    assert load_image(plain).generator_hints == ()


def test_folders_are_expanded_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for rel in ("b/2.jpg", "a.png", "b/1.JPG", "notes.txt"):
        (tmp_path / rel).write_bytes(b"x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_image_paths([tmp_path])]
    assert got == ["a.png", "b/1.JPG", "b/2.jpg"]
