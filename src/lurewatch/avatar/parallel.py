"""Checking many photos on every core: the face-descriptor model costs ~0.25 s a photo on one.

Processes, not threads: dlib's network holds the GIL. Each worker loads its own detector once
(`spawn`, so no dlib state is forked). Results come back in input order and are identical to a
sequential run: every photo is checked independently by the same code.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lurewatch.avatar.checker import AvatarChecker, AvatarResult

# Below this many photos a pool's start-up (~2 s a worker: imports and dlib's weights) is not won back.
MIN_PARALLEL = 24
WORKERS_ENV = "LUREWATCH_AVATAR_WORKERS"

_worker_checker: AvatarChecker | None = None


def default_workers() -> int:
    """`LUREWATCH_AVATAR_WORKERS` if set (1 = sequential), else the CPUs this process may use (≤ 8)."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _init(models_dir: str, with_cues: bool) -> None:
    global _worker_checker
    from lurewatch.avatar.model import SyntheticFaceDetector
    from lurewatch.errors import ModelArtifactError

    try:
        model: SyntheticFaceDetector | None = SyntheticFaceDetector.load(
            Path(models_dir) / "avatar"
        )
    except ModelArtifactError:
        model = None
    _worker_checker = AvatarChecker(model, with_cues=with_cues)


def _check(path: str) -> AvatarResult:
    assert _worker_checker is not None, "worker not initialised"
    return _worker_checker.check_path(path, id=path)


def check_paths(
    checker: AvatarChecker,
    paths: Sequence[Path],
    models_dir: Path,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[AvatarResult]:
    """Results for `paths` in order; a pool of `workers` processes when the batch is large enough.

    `checker` (already loaded in this process) does the work when the batch is small or one
    worker is asked for; the pool's workers load the models from `models_dir`.
    """
    n = workers if workers is not None else default_workers()
    if n <= 1 or len(paths) < MIN_PARALLEL:
        for i, path in enumerate(paths):
            if progress is not None:
                progress(i)
            yield checker.check_path(path, id=str(path))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(n, len(paths)),
        mp_context=context,
        initializer=_init,
        initargs=(str(models_dir), checker.with_cues),
    ) as pool:
        for i, result in enumerate(pool.map(_check, [str(p) for p in paths], chunksize=4)):
            if progress is not None:
                progress(i)
            yield result
