"""Shared metric helpers: known values, undefined cases give NaN, plots are written."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from lurewatch.evaluation.metrics import (
    ece,
    fmt,
    fpr_at_threshold,
    plot_reliability,
    plot_roc,
    pr_auc,
    reliability,
    roc_auc,
    tpr_at_fpr,
)


def test_perfect_and_inverted_ranking() -> None:
    y = [0, 0, 0, 1, 1]
    assert roc_auc(y, [0.1, 0.2, 0.3, 0.8, 0.9]) == 1.0
    assert roc_auc(y, [0.9, 0.8, 0.7, 0.2, 0.1]) == 0.0
    assert pr_auc(y, [0.1, 0.2, 0.3, 0.8, 0.9]) == 1.0


def test_tpr_at_fpr_respects_the_false_positive_budget() -> None:
    y = np.array([0] * 100 + [1] * 10)
    s = np.concatenate([np.arange(100) / 100, [0.995] * 5 + [0.5] * 5])
    # at 1% FPR only the top negative (0.99) may pass: the five positives at 0.995 are caught
    assert tpr_at_fpr(y, s, 0.01) == pytest.approx(0.5)
    assert tpr_at_fpr(y, s, 0.6) == pytest.approx(1.0)
    assert fpr_at_threshold(y, s, 0.9) == pytest.approx(0.10)


def test_one_class_gives_nan_not_an_error() -> None:
    assert math.isnan(roc_auc([1, 1], [0.2, 0.3]))
    assert math.isnan(tpr_at_fpr([0, 0], [0.2, 0.3], 0.1))
    assert fmt(float("nan")) == "n/a"


def test_ece_zero_when_calibrated_and_large_when_not() -> None:
    y = np.array([0] * 80 + [1] * 20)
    assert ece(y, np.full(100, 0.2)) == pytest.approx(0.0)
    assert ece(y, np.full(100, 0.9)) == pytest.approx(0.7)
    assert sum(n for _, _, n in reliability(y, np.full(100, 0.2))) == 100


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        roc_auc([0, 1], [0.1])


def test_plots_are_png(tmp_path: Path) -> None:
    y = [0, 0, 1, 1]
    roc = plot_roc({"m": (y, [0.1, 0.4, 0.35, 0.8])}, tmp_path / "roc.png", "t")
    rel = plot_reliability({"m": (y, [0.1, 0.4, 0.35, 0.8])}, tmp_path / "rel.png", "t")
    for path in (roc, rel):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
