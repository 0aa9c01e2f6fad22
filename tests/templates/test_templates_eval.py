"""The evaluation section runs on the shared data (quick mode) and reports sane numbers."""

from __future__ import annotations

from lurewatch.evaluation.base import EvalContext
from lurewatch.templates.evaluation import EDIT_KINDS, evaluate, light_edit, pair_scores


def test_light_edits_change_the_text():
    import random

    rng = random.Random(1)
    text = "We would like to invite you to speak at our conference in Vienna on 12 May, all costs covered."
    for kind in EDIT_KINDS:
        assert light_edit(text, kind, rng) != text, kind


def test_pair_scores():
    p, r, n_true, n_pred = pair_scores(["a", "b", "c"], [0, 0, 1], {"a": "a", "b": "a", "c": "a"})
    assert (n_true, n_pred) == (1, 3) and r == 1.0 and abs(p - 1 / 3) < 1e-9


def test_evaluate_quick_on_shared_data(shared_data, tmp_path):
    section = evaluate(
        EvalContext(
            data_dir=shared_data,
            img_dir=tmp_path,
            models_dir=tmp_path,
            quick=True,
            progress=lambda s: None,
        )
    )
    assert section.metrics["pair_precision"] >= 0.95
    assert section.metrics["pair_recall"] >= 0.9  # short SMS (20–59 characters) included
    assert "| pair recall |" in section.markdown
