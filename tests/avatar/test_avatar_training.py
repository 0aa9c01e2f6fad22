"""`train` writes a loadable artifact, deterministically; the held-out split never enters training."""

from __future__ import annotations

import json

import pytest

from lurewatch.avatar import dataset
from lurewatch.avatar.model import ARTIFACT_NAME, SyntheticFaceModel
from lurewatch.avatar.training import train


@pytest.mark.slow  # also embeds the faces for the descriptor model (~0.2 s each)
def test_small_training_run_is_deterministic(shared_faces, tmp_path):
    data_dir = shared_faces[0].parents[2]
    first = train(data_dir, tmp_path / "a", seed=3, limit=24)
    train(data_dir, tmp_path / "b", seed=3, limit=24)
    assert first["rows"] == 24
    a = json.loads((tmp_path / "a" / "avatar" / ARTIFACT_NAME).read_text())
    b = json.loads((tmp_path / "b" / "avatar" / ARTIFACT_NAME).read_text())
    assert a == b
    model = SyntheticFaceModel.load(tmp_path / "a" / "avatar")
    assert model.meta_["seed"] == 3


def test_missing_data_is_skipped_not_an_error(tmp_path):
    assert "skipped" in train(tmp_path, tmp_path / "models", seed=0)["avatar"]


def test_split_is_stable_and_about_a_quarter(shared_faces):
    files = dataset.face_files(shared_faces[0].parents[2])
    held = [f for f in files if f.heldout]
    assert 0.2 < len(held) / len(files) < 0.3
    assert all(dataset.is_heldout(f.path.name) for f in held)
