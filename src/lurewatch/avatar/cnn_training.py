"""Training the small synthetic-face CNN on CPU (needs torch: `pip install -e '.[train]'`).

Why a CNN next to the hand-made features of v2: a few learned 3×3 filters at full resolution
can pick up the generator's local pixel statistics (upsampling texture, colour-noise coupling)
that fixed spectra and co-occurrences only approximate. The network is fully convolutional with
a global average at the end, so it trains on small random crops (cheap on a shared 2-core CPU)
and scores the whole re-encoded image at check time.

The encoding discipline of v2 is kept: every training image is drawn through
`features.reencode` (the one pipeline, identical for both classes) after random uploader-like
JPEG pre-encoding, resizing, flips, crops and colour jitter, so the network cannot lean on the
two sets' original JPEG pipelines. Inference does not need torch: `export` folds batch-norm into
the convolutions and `cnn.CnnModel` runs the forward pass in NumPy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from torch import nn

from lurewatch.avatar import cnn, dataset, features
from lurewatch.avatar.augment import RESIZE_RANGE, variant
from lurewatch.avatar.dataset import load_images

# (out_channels, stride) per 3×3 conv layer; kept small so one epoch is ~a minute on one core
LAYERS: tuple[tuple[int, int], ...] = ((16, 1), (24, 2), (24, 1), (32, 2), (48, 1), (64, 2))
CROP = 64
EPOCHS = 14
BATCH = 32
LR = 3e-3
INPUT = "whole64"  # see cnn.INPUTS


class Net(nn.Module):
    """conv3×3-BN-ReLU stack → global average → linear logit."""

    def __init__(self, layers: tuple[tuple[int, int], ...] = LAYERS) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        c_in = 3
        for c_out, stride in layers:
            blocks += [
                nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
                nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True),
            ]
            c_in = c_out
        self.features = nn.Sequential(*blocks)
        self.head = nn.Linear(c_in, 1)
        self.strides = [s for _, s in layers]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3))).squeeze(1)


def _batch(
    images: list[Image.Image],
    idx: np.ndarray,
    rng: np.random.Generator,
    crop: int,
    input_mode: str,
) -> torch.Tensor:
    out = np.empty((len(idx), 3, crop, crop), dtype=np.float32)
    for k, i in enumerate(idx):
        x = cnn.INPUTS[input_mode](variant(images[i], rng))
        top, left = (int(v) for v in rng.integers(0, x.shape[0] - crop + 1, size=2))
        out[k] = x[top : top + crop, left : left + crop].transpose(2, 0, 1)
    return torch.from_numpy(out)


def fit(
    images: list[Image.Image],
    labels: np.ndarray,
    seed: int = 0,
    epochs: int = EPOCHS,
    crop: int = CROP,
    input_mode: str = INPUT,
    log: Callable[[str], None] = print,
) -> Net:
    """Trains the network (deterministic for a seed on one thread)."""
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    net = Net()
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=1e-4)
    steps = epochs * int(np.ceil(len(images) / BATCH))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps)
    y_all = torch.from_numpy(labels.astype(np.float32))
    loss_fn = nn.BCEWithLogitsLoss()
    for epoch in range(epochs):
        net.train()
        t0 = time.perf_counter()
        order = rng.permutation(len(images))
        total, n = 0.0, 0
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            xb = _batch(images, idx, rng, crop, input_mode)
            loss = loss_fn(net(xb), y_all[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            n += len(idx)
        log(f"epoch {epoch + 1}/{epochs}: loss {total / n:.4f} ({time.perf_counter() - t0:.0f} s)")
    net.eval()
    return net


def export(net: Net) -> dict[str, np.ndarray]:
    """Folds each BatchNorm into its convolution: NumPy then needs only conv + bias + ReLU."""
    out: dict[str, np.ndarray] = {}
    convs = [m for m in net.features if isinstance(m, nn.Conv2d)]
    bns = [m for m in net.features if isinstance(m, nn.BatchNorm2d)]
    for i, (conv, bn) in enumerate(zip(convs, bns, strict=True)):
        assert bn.running_var is not None and bn.running_mean is not None  # track_running_stats
        scale = (bn.weight / torch.sqrt(bn.running_var + bn.eps)).detach()
        w = conv.weight.detach() * scale[:, None, None, None]
        b = (bn.bias - bn.running_mean * scale).detach()
        out[f"conv{i}_w"] = w.numpy().astype(np.float32)
        out[f"conv{i}_b"] = b.numpy().astype(np.float32)
    out["strides"] = np.asarray(net.strides, dtype=np.int64)
    out["fc_w"] = net.head.weight.detach().numpy()[0].astype(np.float32)
    out["fc_b"] = net.head.bias.detach().numpy().astype(np.float32)
    return out


def train(
    data_dir: Path,
    models_dir: Path,
    seed: int = 0,
    epochs: int = EPOCHS,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Trains on the non-held-out shared faces; writes `models_dir/avatar/synthetic_face_cnn.npz`."""
    started = time.perf_counter()
    files = dataset.training_files(data_dir, seed, limit)
    if len({f.label for f in files}) < 2:
        return {"avatar_cnn": "skipped: no faces under " + str(Path(data_dir) / "faces")}
    images, labels = load_images(files)
    net = fit(images, labels, seed=seed, epochs=epochs, log=log)
    meta = {
        "version": cnn.MODEL_VERSION,
        "seed": seed,
        "epochs": epochs,
        "crop": CROP,
        "input": INPUT,
        "layers": [list(x) for x in LAYERS],
        "train_images": {
            g: sum(1 for f in files if f.generator == g)
            for g in sorted({f.generator for f in files})
        },
        "pipeline": (
            "p=0.5 mirror, p=0.5 colour jitter, p=0.3 crop ≤6%, p=0.7 pre-encode JPEG q60-100 "
            f"4:4:4 or 4:2:0, square crop, p=0.5 resize to {RESIZE_RANGE[0]}-{RESIZE_RANGE[1] - 1} px, "
            f"{features.SIZE} px, JPEG q60-95 (4:2:0), then input {INPUT!r}"
        ),
        "check_quality": features.CHECK_QUALITY,
        "heldout_rule": "crc32(file name) % 4 == 0",
    }
    path = cnn.save(export(net), meta, Path(models_dir) / "avatar")
    return {
        "avatar_cnn": str(path),
        "cnn_images": len(images),
        "cnn_seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    """`python -m lurewatch.avatar.cnn_training DATA_DIR MODELS_DIR [EPOCHS]` (a dev entry point)."""
    import sys

    data_dir, models_dir = Path(sys.argv[1]), Path(sys.argv[2])
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else EPOCHS
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(train(data_dir, models_dir, epochs=epochs, limit=limit)))


if __name__ == "__main__":
    main()
