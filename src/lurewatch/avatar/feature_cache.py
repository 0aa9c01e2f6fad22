"""Per-image features of the shared faces under each condition, computed once and cached.

Leave-one-generator-out evaluation refits many models on the same images; the expensive part is
the features (dlib's network: ~0.2 s per photo), so each (family, condition, image) is computed
once and kept as .npy files in a cache folder (chunks of `CHUNK` files, so an interrupted run
resumes). The cache key holds the family's version, the condition and the files' names and sizes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from lurewatch.avatar import conditions, features, residual
from lurewatch.avatar.dataset import FaceFile
from lurewatch.avatar.face_embedding import FaceEmbedding
from lurewatch.avatar.loading import ImageError, load_image

CHUNK = 100
FAMILIES = ("dlib", "resid", "resid_face")
_DLIB_DIM = 129
VERSIONS = {
    "dlib": "dlib-resnet-v1-5pt-mirror-mean+length",
    "resid": residual.VERSION,
    "resid_face": residual.VERSION + " on the detected face box (128 px)",
}
FACE_SIDE = 128


def dims(family: str) -> int:
    return _DLIB_DIM if family == "dlib" else residual.DIM


def face_box(reencoded: np.ndarray) -> tuple[int, int, int, int] | None:
    """The largest face dlib's HOG detector finds (the box `FaceEmbedder.embed` uses), or None."""
    from lurewatch.avatar.face_embedding import shared_embedder

    boxes = shared_embedder().faces(reencoded)
    if not boxes:
        return None
    return max(boxes, key=lambda b: (b[2] - b[0] + 1) * (b[3] - b[1] + 1))


def face_crop(reencoded: np.ndarray, box: tuple[int, int, int, int] | None) -> np.ndarray:
    """The face box enlarged by 20% (no box: the centre 72%), square, at 128 px."""
    from PIL import Image

    from lurewatch.avatar.face_embedding import FALLBACK_BOX

    h, w = reencoded.shape[:2]
    if box is not None:
        left, top, right, bottom = box
        cx, cy, side = (left + right) / 2, (top + bottom) / 2, 1.2 * max(right - left, bottom - top)
    else:
        cx, cy, side = w / 2, h / 2, FALLBACK_BOX * min(h, w)
    side = min(side, h, w)
    x0 = int(np.clip(cx - side / 2, 0, w - side))
    y0 = int(np.clip(cy - side / 2, 0, h - side))
    s = int(side)
    crop = Image.fromarray(reencoded[y0 : y0 + s, x0 : x0 + s].astype(np.uint8))
    return np.asarray(crop.resize((FACE_SIDE, FACE_SIDE), Image.Resampling.BICUBIC), np.float64)


def family_features(family: str, reencoded: np.ndarray) -> np.ndarray:
    """One family's vector of an image already through the check pipeline."""
    if family == "dlib":
        from lurewatch.avatar.descriptor_model import embed_pair

        return embed_pair(reencoded)[0]
    if family == "resid":
        return residual.residual_features(reencoded)
    if family == "resid_face":
        return residual.residual_features(face_crop(reencoded, face_box(reencoded)))
    raise ValueError(f"unknown feature family {family!r}")


def row_features(
    reencoded: np.ndarray, families: tuple[str, ...]
) -> tuple[np.ndarray, FaceEmbedding | None]:
    """The families' vectors concatenated, as `family_features` gives them, detecting the face
    once (the descriptor's detection supplies the face box); and the face's embedding, if any."""
    from lurewatch.avatar.descriptor_model import embed_pair

    face: FaceEmbedding | None = None
    parts: list[np.ndarray] = []
    for family in families:
        if family == "dlib":
            x, face = embed_pair(reencoded)
            parts.append(x)
        elif family == "resid_face":
            box = face_box(reencoded) if face is None else (face.box if face.detected else None)
            parts.append(residual.residual_features(face_crop(reencoded, box)))
        else:
            parts.append(family_features(family, reencoded))
    return np.concatenate(parts), face


def _one(args: tuple[str, str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    path, condition, families = args
    try:
        img = load_image(Path(path)).image
    except ImageError:
        return {f: np.full(dims(f), np.nan) for f in families}
    x = features.reencode(conditions.ALL[condition](img), quality=features.CHECK_QUALITY)
    return {f: family_features(f, x) for f in families}


def _key(family: str, condition: str, f: FaceFile) -> str:
    text = f"{VERSIONS[family]}|{condition}|{f.path.name}:{f.path.stat().st_size}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def cache_path(cache_dir: Path, family: str, condition: str, f: FaceFile) -> Path:
    """Where one image's vector of one family under one condition is kept."""
    return cache_dir / family / f"{_key(family, condition, f)}.npy"


def cached_features(
    files: list[FaceFile],
    condition: str,
    families: tuple[str, ...],
    cache_dir: Path,
    workers: int = 2,
    log: Callable[[str], None] | None = None,
) -> dict[str, np.ndarray]:
    """family → (len(files), dim) array; rows of unreadable files are NaN.

    Missing vectors are computed in batches of `CHUNK` images (on `workers` processes) and
    saved one file per image, so any subset of files reuses what an earlier run computed."""
    for fam in families:
        (cache_dir / fam).mkdir(parents=True, exist_ok=True)
    paths = [{fam: cache_path(cache_dir, fam, condition, f) for fam in families} for f in files]
    todo = [i for i, p in enumerate(paths) if not all(q.exists() for q in p.values())]
    pool: ProcessPoolExecutor | None = None
    if todo and workers > 1:
        ctx = multiprocessing.get_context("spawn")  # no dlib state forked
        pool = ProcessPoolExecutor(workers, mp_context=ctx)
    try:
        for start in range(0, len(todo), CHUNK):
            batch = todo[start : start + CHUNK]
            args = [(str(files[i].path), condition, families) for i in batch]
            rows = list(pool.map(_one, args, chunksize=4)) if pool else [_one(a) for a in args]
            for i, row in zip(batch, rows, strict=True):
                for fam in families:
                    np.save(paths[i][fam], row[fam])
            if log is not None:
                log(f"{condition}: {start + len(batch)}/{len(todo)} computed ({len(files)} asked)")
    finally:
        if pool is not None:
            pool.shutdown()
    return {fam: np.vstack([np.load(p[fam]) for p in paths]) for fam in families}
