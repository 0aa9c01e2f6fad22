"""The shared faces set and its one fixed train / held-out split (used by `train` and `eval`)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lurewatch.avatar.loading import ImageError, load_image

# folder under data_dir/faces -> (label, generator name); label 1 = synthetic
FOLDERS: dict[str, tuple[int, str]] = {
    "real_ffhq": (0, "real (FFHQ)"),
    "fake_stylegan1": (1, "StyleGAN1"),
}
# Every generator in the shared data: what the LOGO evaluation and the v3 stack model use. The
# older models keep `FOLDERS` (StyleGAN1 only), so retraining them reproduces their artifacts.
ALL_FOLDERS: dict[str, tuple[int, str]] = {
    **FOLDERS,
    "fake_stylegan2": (1, "StyleGAN2"),
    "fake_sd21": (1, "Stable Diffusion 2.1"),
}
HELDOUT_SHARE = 4  # one file in four (by a hash of its name) is held out for evaluation


@dataclass(frozen=True, slots=True)
class FaceFile:
    path: Path
    label: int
    generator: str

    @property
    def heldout(self) -> bool:
        return is_heldout(self.path.name)


def is_heldout(name: str) -> bool:
    """Deterministic split by file name: independent of file order and of the seed."""
    return zlib.crc32(name.encode("utf-8")) % HELDOUT_SHARE == 0


# With every generator, a generator's folder contributes at most this many files (the same ones every run):
# 1,100 StyleGAN1 faces would cost dlib's ~0.25 s each and add nothing that 300 do not, since
# training weighs each generator equally anyway.
FOLDER_CAP = 300


def face_files(
    data_dir: Path,
    folders: dict[str, tuple[int, str]] | None = None,
    cap: int | None = None,
) -> list[FaceFile]:
    """Every face image under `data_dir/faces/<folder>`; empty when the shared data is absent.

    With `cap`, a generator's folder (never the real photos) keeps the `cap` files of smallest crc32(name + "#cap") (a fixed
    choice, independent of the held-out rule), listed in name order."""
    root = Path(data_dir) / "faces"
    out: list[FaceFile] = []
    for folder, (label, generator) in (folders or FOLDERS).items():
        d = root / folder
        if d.is_dir():
            paths = sorted(p for p in d.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
            if cap is not None and label == 1 and len(paths) > cap:
                keep = sorted(paths, key=lambda p: zlib.crc32((p.name + "#cap").encode()))[:cap]
                paths = sorted(keep)
            out.extend(FaceFile(p, label, generator) for p in paths)
    return out


def all_face_files(data_dir: Path) -> list[FaceFile]:
    """The faces of every generator (and the real photos), each folder capped at `FOLDER_CAP`."""
    return face_files(data_dir, ALL_FOLDERS, FOLDER_CAP)


def training_files(
    data_dir: Path,
    seed: int,
    limit: int | None = None,
    every_generator: bool = False,
) -> list[FaceFile]:
    """The non-held-out faces (StyleGAN1 only, or `all_face_files`); with `limit`, a seeded
    sample of that many (quick runs, tests)."""
    pool = all_face_files(data_dir) if every_generator else face_files(data_dir)
    files = [f for f in pool if not f.heldout]
    if limit is not None:
        rng = np.random.default_rng(seed)
        files = [files[i] for i in sorted(rng.permutation(len(files))[:limit])]
    return files


def load_images(files: list[FaceFile]) -> tuple[list[Image.Image], np.ndarray]:
    """Decoded faces and their labels; a file that cannot be read is skipped with its label."""
    images, labels = [], []
    for f in files:
        try:
            images.append(load_image(f.path).image)
        except ImageError:
            continue
        labels.append(f.label)
    return images, np.asarray(labels)
