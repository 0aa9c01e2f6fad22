"""The avatar evaluation section: conditions, tables and verdict, with a stub model on made-up faces."""

from __future__ import annotations

import zlib
from types import SimpleNamespace

import numpy as np
from avatar_images import make_photo
from PIL import Image

from lurewatch.avatar import evaluation
from lurewatch.evaluation.base import EvalContext


def _heldout_names(n: int) -> list[str]:
    names, i = [], 0
    while len(names) < n:
        name = f"face{i:04d}.png"
        if zlib.crc32(name.encode()) % 4 == 0:
            names.append(name)
        i += 1
    return names


class _BrightnessModel:
    """Scores by mean brightness: the made-up 'fakes' are brighter, so it separates them."""

    version = "stub"

    def score_image(self, img: Image.Image) -> float:
        return float(np.asarray(img.convert("L"), dtype=np.float32).mean() / 255.0)


def test_reframe_is_a_seeded_square_crop_of_75_to_90_percent():
    photo = make_photo(3)
    a, b = evaluation._reframe(photo), evaluation._reframe(photo)
    assert a.size == b.size and a.size[0] == a.size[1]
    assert 0.75 * 256 - 1 <= a.size[0] <= 0.90 * 256
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_synthetic_section_tables_and_verdict(tmp_path):
    names = _heldout_names(8)
    for folder, gain in (("real_ffhq", 0.6), ("fake_stylegan1", 1.4)):
        d = tmp_path / "faces" / folder
        d.mkdir(parents=True)
        for k, name in enumerate(names):
            arr = np.asarray(make_photo(k + (0 if gain < 1 else 100)), dtype=np.float32) * gain
            Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(d / name)
    ctx = EvalContext(tmp_path, tmp_path / "img", tmp_path, progress=lambda _m: None)
    text, metrics, _ = evaluation.synthetic_section(ctx, _BrightnessModel())
    assert "| StyleGAN1 | re-encoded (check pipeline) |" in text
    assert "reframed: random 75–90% crop (not in training)" in text
    assert metrics["synthetic_auc_re_encoded"] == 1.0
    assert "**Goal not met.**" in text and "this detector reaches 90%" in text
    assert "format-only control" in text.lower()


def test_fallbacks_compared_are_the_ones_the_detector_would_use():
    net, linear = SimpleNamespace(version="cnn"), SimpleNamespace(version="v2")
    shipped = SimpleNamespace(descriptor=object(), net=net, linear=linear, cnn_weight=1.0)
    assert evaluation._fallback_models(shipped) == [net, linear]
    cnn_only = SimpleNamespace(descriptor=None, net=net, linear=linear, cnn_weight=1.0)
    assert evaluation._fallback_models(cnn_only) == [linear]
    assert evaluation._fallback_models(_BrightnessModel()) == []
