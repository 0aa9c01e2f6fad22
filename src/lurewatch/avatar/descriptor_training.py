"""Training the descriptor model (`lurewatch train`; needs dlib-bin + face_recognition_models, not torch).

Every training face is embedded as the check pipeline sees it. `VARIANTS` more draws through the
CNN's uploader-like augmentation (`augment.variant`) are possible but off: in grouped 5-fold
CV they did not help (the descriptor already shrugs off re-encoding, resizing and blur, see
docs/avatar.md) and they triple the training time. Deterministic: dlib's forward pass is fixed and
the SVM's folds are seeded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.avatar import dataset, face_embedding, features
from lurewatch.avatar.augment import variant
from lurewatch.avatar.dataset import load_images
from lurewatch.avatar.descriptor_model import MODEL_VERSION, DescriptorModel, embed_pair

VARIANTS = 0
C = 1.0  # SVM regularisation; chosen by 5-fold CV on the training faces (C=3 no better)


def training_matrix(
    files: list[dataset.FaceFile],
    seed: int,
    variants: int = VARIANTS,
    log: Callable[[str], None] = print,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of descriptor features, labels, and the index of the face each row came from."""
    images, labels = load_images(files)
    rng = np.random.default_rng(seed)
    rows, ys, groups = [], [], []
    started = time.perf_counter()
    for draw in range(variants + 1):
        for i, img in enumerate(images):
            if draw == 0:
                x = features.reencode(img, quality=features.CHECK_QUALITY)
            else:
                x = variant(img, rng)
            rows.append(embed_pair(x)[0])
            ys.append(labels[i])
            groups.append(i)
        log(
            f"draw {draw + 1}/{variants + 1}: {len(images)} faces embedded "
            f"({time.perf_counter() - started:.0f} s)"
        )
    return np.vstack(rows), np.asarray(ys), np.asarray(groups)


def train(
    data_dir: Path,
    models_dir: Path,
    seed: int = 0,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Writes `models_dir/avatar/synthetic_face_descriptor.json` from the non-held-out faces."""
    if not face_embedding.available():
        return {"avatar_descriptor": "skipped: dlib-bin / face_recognition_models not installed"}
    started = time.perf_counter()
    files = dataset.training_files(data_dir, seed, limit)
    if len({f.label for f in files}) < 2:
        return {"avatar_descriptor": "skipped: no faces under " + str(Path(data_dir) / "faces")}
    variants = 0 if limit is not None else VARIANTS
    X, y, _ = training_matrix(files, seed, variants, log)
    if min(int(y.sum()), int(len(y) - y.sum())) < 5:
        return {"avatar_descriptor": "skipped: fewer than 5 faces of a class"}
    model = DescriptorModel(C=C).fit(X, y, seed=seed)
    model.meta_ = {
        "version": MODEL_VERSION,
        "seed": seed,
        "C": C,
        "support_vectors": int(len(model.dual_)),
        "train_images": {
            g: sum(1 for f in files if f.generator == g)
            for g in sorted({f.generator for f in files})
        },
        "rows": int(len(y)),
        "variants_per_image": variants,
        "embedding": (
            f"dlib {face_embedding.DESCRIPTOR_FILE} on the face cut with "
            f"{face_embedding.LANDMARKS_FILE} (face_recognition_models), HOG face detector; "
            "mean of the image's and its mirror's descriptor, plus its length; RBF SVM; "
            "Platt scaling on 5-fold out-of-fold decisions"
        ),
        "pipeline": (
            f"square crop, {features.SIZE} px, JPEG q{features.CHECK_QUALITY} (draw 0); draws 1+: "
            "augment.variant (mirror, colour jitter, crop ≤6%, JPEG pre-encoding, "
            "resize 112-255 px, JPEG q60-95)"
        ),
        "heldout_rule": "crc32(file name) % 4 == 0",
    }
    path = model.save(Path(models_dir) / "avatar")
    return {
        "avatar_descriptor": str(path),
        "descriptor_rows": int(len(y)),
        "descriptor_seconds": round(time.perf_counter() - started, 1),
    }
