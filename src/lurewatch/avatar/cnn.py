"""The synthetic-face CNN at check time: a NumPy forward pass of the committed weights.

Why NumPy: `check`, `scan` and `lurewatch avatar` must not need torch (a multi-hundred-MB
install) just to score one photo. The network (see `cnn_training`) is a small stack of 3×3
convolutions with batch-norm already folded in, ReLU, a global average and one linear logit;
each convolution here is an im2col matrix product. Weights are a plain `.npz` read with
`allow_pickle=False`, so loading the artifact runs no code.

Every image goes through `features.reencode` at `CHECK_QUALITY` first, exactly as in v2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from lurewatch.avatar import features
from lurewatch.errors import ModelArtifactError

ARTIFACT_NAME = "synthetic_face_cnn.npz"
MODEL_VERSION = "avatar-synthetic-cnn-v1"


def normalise(x: np.ndarray) -> np.ndarray:
    """Re-encoded RGB in [0, 255] → roughly zero-centred network input (H, W, 3)."""
    return ((x - 127.5) / 64.0).astype(np.float32)


def residual(x: np.ndarray) -> np.ndarray:
    """High-pass input: the image minus its 3×3 local mean, per channel (edge-padded), scaled.

    Removes the face itself (pose, lighting, identity) so the few filters spend their capacity on
    the fine noise where generator traces live.
    """
    x = x.astype(np.float32)
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)), mode="edge")
    acc = np.zeros_like(x)
    for dy in range(3):
        for dx in range(3):
            acc += p[dy : dy + x.shape[0], dx : dx + x.shape[1]]
    return ((x - acc / 9.0) / 4.0).astype(np.float32)


def whole64(x: np.ndarray) -> np.ndarray:
    """The whole face at 64 px (4×4 block means of the 256 px re-encoding), normalised.

    What still separates the shared StyleGAN1 faces from FFHQ photographs after both were
    downsampled from 1024 px is mostly semantic (hair, background, teeth, earrings, blobs),
    visible at low resolution; block-averaging also wipes out JPEG block traces.
    """
    h, w, c = x.shape
    f = h // 64
    small = x[: f * 64, : f * 64].reshape(64, f, 64, f, c).mean(axis=(1, 3))
    return normalise(small)


INPUTS = {"rgb": normalise, "residual": residual, "whole64": whole64}


def conv3x3(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int) -> np.ndarray:
    """3×3 convolution, zero padding 1, on an (H, W, C) array; `w` is torch's (O, C, 3, 3).

    Nine shifted matrix products rather than one im2col matrix: no 9× copy of the input.
    """
    h, wd, c = x.shape
    xp = np.zeros((h + 2, wd + 2, c), dtype=np.float32)
    xp[1:-1, 1:-1] = x
    ho, wo = (h + stride - 1) // stride, (wd + stride - 1) // stride
    out = np.empty((ho, wo, w.shape[0]), dtype=np.float32)
    out[...] = b
    wt = np.ascontiguousarray(w.transpose(2, 3, 1, 0))  # 3, 3, C, O
    for dy in range(3):
        for dx in range(3):
            out += xp[dy : dy + h : stride, dx : dx + wd : stride] @ wt[dy, dx]
    return out


def save(weights: dict[str, np.ndarray], meta: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ARTIFACT_NAME
    meta_bytes = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    arrays: dict[str, Any] = {**weights, "meta": meta_bytes}
    np.savez_compressed(path, **arrays)
    return path


class CnnModel:
    """Probability that a face photo was made by a generator, from the committed CNN weights."""

    def __init__(self, weights: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.meta_ = meta
        self.input_mode = str(meta.get("input", "rgb"))
        if self.input_mode not in INPUTS:
            raise ValueError(f"unknown input mode {self.input_mode!r}")
        strides = [int(s) for s in weights["strides"]]
        self.layers = [
            (
                weights[f"conv{i}_w"].astype(np.float32),
                weights[f"conv{i}_b"].astype(np.float32),
                s,
            )
            for i, s in enumerate(strides)
        ]
        self.fc_w = weights["fc_w"].astype(np.float32)
        self.fc_b = float(np.asarray(weights["fc_b"]).reshape(-1)[0])

    @classmethod
    def load(cls, directory: Path) -> CnnModel:
        """Loads `synthetic_face_cnn.npz`; raises ModelArtifactError if missing or malformed."""
        path = Path(directory) / ARTIFACT_NAME
        try:
            with np.load(path, allow_pickle=False) as z:
                weights = {k: z[k] for k in z.files}
        except FileNotFoundError as exc:
            raise ModelArtifactError(
                f"avatar CNN artifact missing: {path} (run `lurewatch train` with torch installed)"
            ) from exc
        except (OSError, ValueError) as exc:
            raise ModelArtifactError(f"avatar CNN artifact unreadable: {path}: {exc}") from exc
        try:
            meta = json.loads(bytes(weights.pop("meta")).decode("utf-8"))
            model = cls(weights, meta)
            c_in = 3
            for w, b, _ in model.layers:
                if w.shape != (b.shape[0], c_in, 3, 3):
                    raise ValueError(f"conv weight shape {w.shape} does not follow {c_in} inputs")
                c_in = w.shape[0]
            if model.fc_w.shape != (c_in,):
                raise ValueError(f"head shape {model.fc_w.shape} != ({c_in},)")
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelArtifactError(f"avatar CNN artifact {path} is malformed: {exc}") from exc
        return model

    def logit(self, x: np.ndarray) -> float:
        """Forward pass on one normalised (H, W, 3) input."""
        h = x.astype(np.float32)
        for w, b, stride in self.layers:
            h = np.maximum(conv3x3(h, w, b, stride), 0.0)
        return float(h.mean(axis=(0, 1)) @ self.fc_w + self.fc_b)

    def logit_of(self, reencoded: np.ndarray) -> float:
        """Log-odds of 'synthetic' for the output of `features.reencode`."""
        return self.logit(INPUTS[self.input_mode](reencoded))

    def score_array(self, reencoded: np.ndarray) -> float:
        """P(synthetic) for the output of `features.reencode`."""
        z = self.logit_of(reencoded)
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))))

    def score_image(self, img: Image.Image) -> float:
        """Re-encodes the image through the one pipeline, then scores it."""
        return self.score_array(features.reencode(img, quality=features.CHECK_QUALITY))

    def top_features(self, img_features: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        """A CNN has no named features to report (kept for the v2 model's interface)."""
        return []

    @property
    def version(self) -> str:
        return str(self.meta_.get("version", MODEL_VERSION))
