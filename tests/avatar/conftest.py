"""Fixtures for the avatar tests: a generated photo and a few shared faces (skipped if absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from avatar_images import FACES, make_photo
from PIL import Image


@pytest.fixture
def photo() -> Image.Image:
    return make_photo(1)


@pytest.fixture(scope="session")
def shared_faces() -> list[Path]:
    """Four real and four StyleGAN1 faces from ../shared/data, or skip."""
    real, fake = FACES / "real_ffhq", FACES / "fake_stylegan1"
    if not (real.is_dir() and fake.is_dir()):
        pytest.skip(f"shared faces not found at {FACES}")
    return sorted(real.glob("*.jpg"))[:4] + sorted(fake.glob("*.jpg"))[:4]
