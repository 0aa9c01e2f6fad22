"""Training the stacked synthetic-face model (`lurewatch train`; needs dlib-bin, not torch).

Every generator in the shared data trains it (`dataset.all_face_files`, the non-held-out files).
Each training face is first put through the judged transform (224 px, JPEG q90: what a photo
looks like after a platform resampled and re-encoded it), then through the check pipeline.
Features are cached per chunk of files when `LUREWATCH_FEATURE_CACHE` names a folder (the
LOGO evaluation's cache), so a retrain after an evaluation does not recompute dlib's ~0.2 s per
face. Deterministic: dlib's forward pass is fixed, the folds and the samples are seeded.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.avatar import conditions, dataset, face_embedding, feature_cache
from lurewatch.avatar.stack_model import Part, StackModel

ARTIFACT_NAME = "synthetic_face_stack.json"
MODEL_VERSION = "avatar-synthetic-descriptor-residual-v1"
KIND = "lurewatch.avatar.synthetic_face_stack"
CACHE_ENV = "LUREWATCH_FEATURE_CACHE"
# Chosen by leave-one-generator-out worst case (docs/avatar.md, `lurewatch eval`): one logistic
# regression on the descriptor and the whole-photo residuals together beat each family alone and
# every per-family stack (whose combiner, fitted with one generator per fold, over-fits).
FAMILIES: tuple[str, ...] = ("dlib", "resid")
PARTS: tuple[tuple[str, str, float], ...] = (("dlib+resid", "linear", 0.1),)
FEATURE_VERSION = "stack-v1: " + " | ".join(feature_cache.VERSIONS[f] for f in FAMILIES)


def layout(families: tuple[str, ...] = FAMILIES) -> dict[str, tuple[int, int]]:
    """Columns of each family in a feature row, and of every run of consecutive families
    joined with "+" (a part may read several families at once)."""
    out, start, bounds = {}, 0, []
    for f in families:
        out[f] = (start, start + feature_cache.dims(f))
        bounds.append(out[f])
        start += feature_cache.dims(f)
    for i in range(len(families)):
        for j in range(i + 2, len(families) + 1):
            out["+".join(families[i:j])] = (bounds[i][0], bounds[j - 1][1])
    return out


def features_of(
    files: list[dataset.FaceFile],
    cache_dir: Path | None,
    workers: int,
    log: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature rows of the readable files under the judged transform, labels, generators."""
    with tempfile.TemporaryDirectory(prefix="lurewatch-faces-") as tmp:
        cache = cache_dir if cache_dir is not None else Path(tmp)
        fam = feature_cache.cached_features(files, conditions.JUDGED, FAMILIES, cache, workers, log)
    X = np.hstack([fam[f] for f in FAMILIES])
    ok = ~np.isnan(X).any(axis=1)
    y = np.array([f.label for f in files])[ok]
    gens = [f.generator for f, keep in zip(files, ok, strict=True) if keep]
    return X[ok], y, gens


def train(
    data_dir: Path,
    models_dir: Path,
    seed: int = 0,
    limit: int | None = None,
    log: Callable[[str], None] = print,
    workers: int = 1,
) -> dict[str, Any]:
    """Writes `models_dir/avatar/synthetic_face_stack.json` from the non-held-out faces."""
    if not face_embedding.available():
        return {"avatar_stack": "skipped: dlib-bin / face_recognition_models not installed"}
    started = time.perf_counter()
    files = dataset.training_files(data_dir, seed, limit, every_generator=True)
    if len({f.label for f in files}) < 2:
        return {"avatar_stack": "skipped: no faces under " + str(Path(data_dir) / "faces")}
    raw = os.environ.get(CACHE_ENV, "").strip()
    X, y, gens = features_of(files, Path(raw) if raw else None, workers, log)
    if min(int(y.sum()), int(len(y) - y.sum())) < 5:
        return {"avatar_stack": "skipped: fewer than 5 faces of a class"}
    parts = [Part(f, k, c) for f, k, c in PARTS]
    model = StackModel(parts, layout()).fit(X, y, gens, seed=seed)
    model.meta_ = {
        "version": MODEL_VERSION,
        "seed": seed,
        "parts": [f"{f}: {k} C={c:g}" for f, k, c in PARTS],
        "train_images": {g: gens.count(g) for g in sorted(set(gens))},
        "weighting": "each class half; each generator an equal share of its class",
        "combiner": "Platt sigmoid fitted on generator-grouped out-of-fold decisions",
        "pipeline": (
            f"judged transform ({conditions.JUDGED}), then square crop, 256 px, JPEG q85 4:2:0"
        ),
        "heldout_rule": "crc32(file name) % 4 == 0",
    }
    path = model.save(Path(models_dir) / "avatar" / ARTIFACT_NAME, KIND, FEATURE_VERSION)
    return {
        "avatar_stack": str(path),
        "stack_rows": int(len(y)),
        "stack_seconds": round(time.perf_counter() - started, 1),
    }
