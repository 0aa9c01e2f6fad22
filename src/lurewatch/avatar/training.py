"""`lurewatch train` calls `train(data_dir, models_dir, seed)`: builds the synthetic-face artifact.

Every training image goes through `features.training_variant` (square → maybe resize → JPEG at a
random quality, from one seeded generator), so the classifier sees faces under varied encodings
and cannot lean on the files' original JPEG pipeline. One variant per image keeps training within
the few-minute budget of `lurewatch train` on a shared 2-core machine.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.avatar import dataset, features
from lurewatch.avatar.loading import ImageError, load_image
from lurewatch.avatar.model import SyntheticFaceModel

VARIANTS_PER_IMAGE = 1
MODEL_VERSION = "avatar-synthetic-v2"


def training_matrix(
    files: list[dataset.FaceFile], seed: int, variants: int = VARIANTS_PER_IMAGE
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows: list[np.ndarray] = []
    labels: list[int] = []
    for f in files:
        try:
            img = load_image(f.path).image
        except ImageError:
            continue
        for _ in range(variants):
            rows.append(features.extract(features.training_variant(img, rng)))
            labels.append(f.label)
    return np.vstack(rows), np.asarray(labels)


def train(
    data_dir: Path, models_dir: Path, seed: int = 0, limit: int | None = None
) -> dict[str, Any]:
    """Trains on the non-held-out shared faces and writes `models_dir/avatar/synthetic_face.json`."""
    started = time.perf_counter()
    files = dataset.training_files(data_dir, seed, limit)
    if len({f.label for f in files}) < 2:
        return {"avatar": "skipped: no faces under " + str(Path(data_dir) / "faces")}
    X, y = training_matrix(files, seed)
    model = SyntheticFaceModel().fit(X, y, seed=seed)
    model.meta_ = {
        "version": MODEL_VERSION,
        "seed": seed,
        "train_images": {
            g: sum(1 for f in files if f.generator == g)
            for g in sorted({f.generator for f in files})
        },
        "variants_per_image": VARIANTS_PER_IMAGE,
        "pipeline": f"p=0.7 pre-encode JPEG q60-100 4:4:4 or 4:2:0, square crop, p=0.4 resize to 120-255 px, resize to {features.SIZE}, JPEG q{features.TRAIN_QUALITY[0]}-{features.TRAIN_QUALITY[1] - 1} (4:2:0)",
        "check_quality": features.CHECK_QUALITY,
        "heldout_rule": "crc32(file name) % 4 == 0",
    }
    path = model.save(Path(models_dir) / "avatar")
    out: dict[str, Any] = {
        "avatar": str(path),
        "rows": int(len(y)),
        "seconds": round(time.perf_counter() - started, 1),
    }
    out.update(train_cnn(data_dir, models_dir, seed, limit))
    out.update(train_descriptor(data_dir, models_dir, seed, limit))
    out.update(train_stack(data_dir, models_dir, seed, limit))
    return out


def train_stack(
    data_dir: Path, models_dir: Path, seed: int = 0, limit: int | None = None
) -> dict[str, Any]:
    """The stacked model (the shipped detector) when dlib is installed; else the committed one."""
    from lurewatch.avatar import face_embedding, stack_training
    from lurewatch.avatar.parallel import default_workers

    if not face_embedding.available():
        target = Path(models_dir) / "avatar" / stack_training.ARTIFACT_NAME
        _keep_bundled(stack_training.ARTIFACT_NAME, target)
        msg = "dlib-bin / face_recognition_models not installed: stack model not retrained"
        print(f"avatar: {msg}", file=sys.stderr)
        return {"avatar_stack": msg}

    def log(message: str) -> None:
        print(f"avatar stack: {message}", file=sys.stderr)

    workers = min(2, default_workers())
    return stack_training.train(data_dir, models_dir, seed, limit, log, workers)


def train_descriptor(
    data_dir: Path, models_dir: Path, seed: int = 0, limit: int | None = None
) -> dict[str, Any]:
    """The descriptor model (the shipped detector) when dlib is installed; else the committed one."""
    from lurewatch.avatar import descriptor_training, face_embedding
    from lurewatch.avatar.descriptor_model import ARTIFACT_NAME

    if not face_embedding.available():
        target = Path(models_dir) / "avatar" / ARTIFACT_NAME
        _keep_bundled(ARTIFACT_NAME, target)
        msg = "dlib-bin / face_recognition_models not installed: descriptor model not retrained"
        print(f"avatar: {msg}", file=sys.stderr)
        return {"avatar_descriptor": msg}

    def log(message: str) -> None:
        print(f"avatar descriptors: {message}", file=sys.stderr)

    return descriptor_training.train(data_dir, models_dir, seed=seed, limit=limit, log=log)


def _keep_bundled(name: str, target: Path) -> None:
    """Copies the committed artifact into another models folder, so that folder stays complete."""
    bundled = Path(__file__).resolve().parents[1] / "models" / "avatar" / name
    if bundled.exists() and bundled.resolve() != target.resolve():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundled, target)


def train_cnn(
    data_dir: Path, models_dir: Path, seed: int = 0, limit: int | None = None
) -> dict[str, Any]:
    """The CNN when torch is installed; otherwise the committed weights are kept (and said so).

    A `limit` (quick runs, tests) trains one epoch only: enough to exercise the path.
    """
    import importlib.util

    from lurewatch.avatar import cnn

    target = Path(models_dir) / "avatar" / cnn.ARTIFACT_NAME
    if importlib.util.find_spec("torch") is None:
        _keep_bundled(cnn.ARTIFACT_NAME, target)
        kept = "kept the committed CNN weights" if target.exists() else "v2 only"
        msg = f"torch not installed (pip install -e '.[train]'): CNN not retrained, {kept}"
        print(f"avatar: {msg}", file=sys.stderr)
        return {"avatar_cnn": msg}
    from lurewatch.avatar import cnn_training

    epochs = 1 if limit is not None else cnn_training.EPOCHS

    def log(message: str) -> None:
        print(f"avatar CNN: {message}", file=sys.stderr)

    return cnn_training.train(data_dir, models_dir, seed=seed, epochs=epochs, limit=limit, log=log)
