"""Shared metric and plot helpers for every capability's evaluation section.

Other modules may import these (`from lurewatch.evaluation.metrics import roc_auc, tpr_at_fpr`).
Metrics take (labels, scores) with label 1 = the thing we want to catch. They return NaN
instead of raising when a metric is undefined (one class only), so a thin test set shows as
"n/a" in a table rather than stopping the whole evaluation. Plotting is separate from
computation (scikit-learn's display-object habit) and uses matplotlib's Agg backend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def _arrays(
    labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape:
        raise ValueError(
            f"labels and scores must have the same length. Got {y.shape} and {s.shape} instead."
        )
    return y, s


def _both_classes(y: np.ndarray) -> bool:
    return bool(len(y)) and 0 < int(y.sum()) < len(y)


def roc_auc(labels, scores) -> float:  # noqa: ANN001
    from sklearn.metrics import roc_auc_score

    y, s = _arrays(labels, scores)
    return float(roc_auc_score(y, s)) if _both_classes(y) else math.nan


def pr_auc(labels, scores) -> float:  # noqa: ANN001
    """Average precision (the step-wise area under the precision-recall curve)."""
    from sklearn.metrics import average_precision_score

    y, s = _arrays(labels, scores)
    return float(average_precision_score(y, s)) if _both_classes(y) else math.nan


def tpr_at_fpr(labels, scores, fpr: float) -> float:  # noqa: ANN001
    """Share of positives caught at the threshold that lets through at most `fpr` of negatives."""
    from sklearn.metrics import roc_curve

    y, s = _arrays(labels, scores)
    if not _both_classes(y):
        return math.nan
    f, t, _ = roc_curve(y, s)
    ok = f <= fpr + 1e-12
    return float(t[ok].max()) if ok.any() else 0.0


def fpr_at_threshold(labels, scores, threshold: float) -> float:  # noqa: ANN001
    y, s = _arrays(labels, scores)
    neg = s[y == 0]
    return float((neg >= threshold).mean()) if len(neg) else math.nan


def reliability(labels, probabilities, bins: int = 10) -> list[tuple[float, float, int]]:  # noqa: ANN001
    """(mean predicted, observed rate, count) per equal-width probability bin that has items."""
    y, p = _arrays(labels, probabilities)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1], right=True), 0, bins - 1)
    out = []
    for b in range(bins):
        mask = idx == b
        if mask.any():
            out.append((float(p[mask].mean()), float(y[mask].mean()), int(mask.sum())))
    return out


def ece(labels, probabilities, bins: int = 10) -> float:  # noqa: ANN001
    """Expected calibration error: the count-weighted gap between predicted and observed rates."""
    y, _ = _arrays(labels, probabilities)
    if not len(y):
        return math.nan
    return float(
        sum(n * abs(mean - rate) for mean, rate, n in reliability(labels, probabilities, bins))
        / len(y)
    )


def summary(labels, scores) -> dict[str, float]:  # noqa: ANN001
    """The four headline numbers every table in docs/evaluation.md reports."""
    return {
        "roc_auc": roc_auc(labels, scores),
        "pr_auc": pr_auc(labels, scores),
        "tpr_at_1pct_fpr": tpr_at_fpr(labels, scores, 0.01),
        "tpr_at_10pct_fpr": tpr_at_fpr(labels, scores, 0.10),
    }


def fmt(value: float, digits: int = 3) -> str:
    return (
        "n/a"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:.{digits}f}"
    )


# ----------------------------------------------------------------------------- plots


def _pyplot():  # noqa: ANN202
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_roc(curves: Mapping[str, tuple[Any, Any]], path: Path, title: str) -> Path:
    """One ROC curve per named (labels, scores) pair, with the AUC in the legend; writes a PNG."""
    from sklearn.metrics import roc_curve

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for name, (labels, scores) in curves.items():
        y, s = _arrays(labels, scores)
        if not _both_classes(y):
            continue
        f, t, _ = roc_curve(y, s)
        ax.plot(f, t, label=f"{name} (AUC {roc_auc(y, s):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set_xlim(0, 1)
    ax.set_xlabel("false-positive rate (symlog)")
    ax.set_ylabel("true-positive rate")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return Path(path)


def plot_reliability(
    curves: Mapping[str, tuple[Any, Any]], path: Path, title: str, bins: int = 10
) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1, label="perfect calibration")
    for name, (labels, probs) in curves.items():
        points = reliability(labels, probs, bins)
        if points:
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="o",
                label=f"{name} (ECE {ece(labels, probs, bins):.3f})",
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed share of positives")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return Path(path)
