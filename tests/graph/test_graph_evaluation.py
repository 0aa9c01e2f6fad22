"""The evaluation section runs end to end (slow: it attaches fake regions to the real graphs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lurewatch.evaluation.base import EvalContext

DATA = Path(
    os.environ.get(
        "LUREWATCH_SHARED_DATA", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
    )
)


@pytest.mark.slow
def test_quick_evaluation_section(tmp_path: Path) -> None:
    if not (DATA / "graphs" / "ca-HepTh.edges").exists():
        pytest.skip("shared graphs not present")
    from lurewatch.graph.evaluation import evaluate

    section = evaluate(
        EvalContext(
            data_dir=DATA,
            img_dir=tmp_path,
            models_dir=tmp_path,
            quick=True,
            progress=lambda m: None,
        )
    )
    assert "| ca-HepTh (held out) | ba | 500 |" in section.markdown
    assert (
        section.metrics["graph.auc.heldout.500.strongtie"]
        > section.metrics["graph.auc.heldout.500.sybilrank"]
    )
    assert section.metrics["graph.auc.heldout.500.strongtie"] > 0.9
    # credibility laundering (targeted, copied region, 1,000 edges): v2 far above v1
    key = "graph.auc.laundering.ca-HepTh.1000."
    assert section.metrics[key + "strongtie"] > 0.9
    assert section.metrics[key + "strongtie"] > section.metrics[key + "strongtie-v1"] + 0.2
    assert "| ca-HepTh (held out) | 1,000 | 1.2 |" in section.markdown
    assert all(p.exists() for p in section.plots)


def test_attack_protocol_shapes() -> None:
    import numpy as np

    from lurewatch.graph.attack import attach_fake_region, bfs_ball
    from lurewatch.graph.loading import from_pairs

    honest = from_pairs(
        [(str(i), str(j)) for i in range(40) for j in range(i + 1, 40) if j - i <= 3]
    )
    rng = np.random.default_rng(0)
    for generator in ("ba", "er", "copy"):
        attacked = attach_fake_region(honest, 25, generator, rng=rng)
        assert attacked.is_fake.sum() == 4 and attacked.graph.n == 44
        assert attacked.graph.adj[: attacked.n_honest, attacked.n_honest :].nnz > 0
    group = bfs_ball(honest, 6, rng)
    attacked = attach_fake_region(honest, 30, "ba", rng=rng, victims=group)
    assert set(attacked.attack_src) <= set(group.tolist())
