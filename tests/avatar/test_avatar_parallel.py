"""Checking photos on several cores gives exactly what one core gives, in the same order."""

from __future__ import annotations

import pytest

from lurewatch.avatar import parallel
from lurewatch.avatar.checker import AvatarChecker
from lurewatch.avatar.model import SyntheticFaceDetector
from lurewatch.settings import BUNDLED_MODELS_DIR


def test_worker_count_from_the_environment(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    assert parallel.default_workers() == 3
    monkeypatch.setenv(parallel.WORKERS_ENV, "0")
    assert parallel.default_workers() == 1
    monkeypatch.setenv(parallel.WORKERS_ENV, "many")
    assert parallel.default_workers() == 1
    monkeypatch.delenv(parallel.WORKERS_ENV)
    assert 1 <= parallel.default_workers() <= 8


@pytest.mark.slow  # starts two worker processes (each loads dlib's weights)
def test_pool_results_equal_sequential_results(shared_faces, tmp_path, monkeypatch):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    paths = [*shared_faces[:3], broken, *shared_faces[-3:]]
    checker = AvatarChecker(SyntheticFaceDetector.load(BUNDLED_MODELS_DIR / "avatar"))
    one = list(parallel.check_paths(checker, paths, BUNDLED_MODELS_DIR, workers=1))
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    seen: list[int] = []
    two = list(
        parallel.check_paths(checker, paths, BUNDLED_MODELS_DIR, workers=2, progress=seen.append)
    )
    assert seen == list(range(len(paths)))
    assert [r.id for r in two] == [str(p) for p in paths]
    for a, b in zip(one, two, strict=True):
        assert (a.id, a.score, a.error, a.model) == (b.id, b.score, b.error, b.model)
        assert a.hashes == b.hashes and a.faces == b.faces
    assert two[3].error and two[3].score is None
