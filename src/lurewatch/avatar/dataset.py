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


def face_files(data_dir: Path) -> list[FaceFile]:
    """Every face image under `data_dir/faces/<folder>`; empty when the shared data is absent."""
    root = Path(data_dir) / "faces"
    out: list[FaceFile] = []
    for folder, (label, generator) in FOLDERS.items():
        d = root / folder
        if d.is_dir():
            out.extend(
                FaceFile(p, label, generator)
                for p in sorted(d.iterdir())
                if p.suffix.lower() in (".jpg", ".jpeg", ".png")
            )
    return out


def training_files(data_dir: Path, seed: int, limit: int | None = None) -> list[FaceFile]:
    """The non-held-out faces; with `limit`, a seeded sample of that many (quick runs, tests)."""
    files = [f for f in face_files(data_dir) if not f.heldout]
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
