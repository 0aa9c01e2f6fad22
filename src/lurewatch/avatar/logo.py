"""Leave-one-generator-out (LOGO) evaluation of synthetic-face detectors on cached features.

Why: the detector meets faces of generators nobody trained it on. With several generators in
the shared data, each is left out in turn: the model is fitted on the real photographs and the
other generators (training split only), then scored on the held-out real photographs against
every face of the generator it never saw. The worst left-out generator is what model choices
are judged by; the mean is reported beside it.

Pure: feature matrices, labels and generator names in, metrics out (features come from
`feature_cache`). Training rows are weighted so that each generator weighs the same and the
two classes weigh the same: otherwise the 1,100 StyleGAN1 faces would decide everything.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

REAL = "real (FFHQ)"


class Scorer(Protocol):
    """A model under evaluation: fitted on rows with their generators (for its own weighting)."""

    def fit(self, X: np.ndarray, y: np.ndarray, generators: list[str]) -> Any: ...
    def decision_function(self, X: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Fold:
    """One left-out generator: which rows train, which rows test (indices into the arrays)."""

    left_out: str
    train: np.ndarray
    test: np.ndarray


def balanced_weights(labels: np.ndarray, generators: Sequence[str]) -> np.ndarray:
    """Weights giving each class half the total and each generator an equal share of its class."""
    gens = np.asarray(generators)
    w = np.zeros(len(labels), dtype=np.float64)
    for label in (0, 1):
        in_class = labels == label
        names = sorted(set(gens[in_class]))
        for g in names:
            m = in_class & (gens == g)
            w[m] = 0.5 / (len(names) * m.sum())
    return w * len(labels)


def folds(
    labels: np.ndarray,
    generators: Sequence[str],
    heldout: np.ndarray,
    test_rows: np.ndarray | None = None,
) -> list[Fold]:
    """A fold per fake generator: train on non-held-out rows of the others and of the reals;
    test on held-out reals and on all rows of the left-out generator (`test_rows` restricts the
    rows a test may use, e.g. the images a robustness condition was computed for)."""
    gens = np.asarray(generators)
    usable = np.ones(len(labels), bool) if test_rows is None else test_rows
    out = []
    for g in sorted(set(gens[labels == 1])):
        train = np.flatnonzero(~heldout & (gens != g))
        test = np.flatnonzero(usable & (((labels == 0) & heldout) | (gens == g)))
        out.append(Fold(str(g), train, test))
    return out


def metrics(y: np.ndarray, s: np.ndarray) -> dict[str, float]:
    from lurewatch.evaluation.metrics import roc_auc, tpr_at_fpr

    return {
        "auc": roc_auc(y, s),
        "tpr1": tpr_at_fpr(y, s, 0.01),
        "tpr10": tpr_at_fpr(y, s, 0.10),
    }


def run(
    make: Callable[[], Scorer],
    X_train: np.ndarray,
    labels: np.ndarray,
    generators: Sequence[str],
    heldout: np.ndarray,
    X_tests: Mapping[str, tuple[np.ndarray, np.ndarray | None]],
) -> dict[str, dict[str, dict[str, float]]]:
    """condition → left-out generator → metrics. `X_tests[cond] = (X, rows)`: features of every
    row under that condition (rows outside `rows` may hold anything, they are not used).

    Each fold's model is fitted once (on `X_train`, the training condition) and scored under
    every condition."""
    out: dict[str, dict[str, dict[str, float]]] = {c: {} for c in X_tests}
    fitted: dict[str, Scorer] = {}
    for fold in folds(labels, generators, heldout):
        gens = [str(g) for g in np.asarray(generators)[fold.train]]
        model = make()
        model.fit(X_train[fold.train], labels[fold.train], gens)
        fitted[fold.left_out] = model
    for cond, (X, rows) in X_tests.items():
        for fold in folds(labels, generators, heldout, rows):
            s = fitted[fold.left_out].decision_function(X[fold.test])
            out[cond][fold.left_out] = metrics(labels[fold.test], s)
    return out


def summary(per_generator: dict[str, dict[str, float]]) -> dict[str, float]:
    """Worst and mean ROC-AUC and TPR at 1% FPR over the left-out generators."""
    aucs = [m["auc"] for m in per_generator.values() if not math.isnan(m["auc"])]
    tprs = [m["tpr1"] for m in per_generator.values() if not math.isnan(m["tpr1"])]
    nan = math.nan
    return {
        "worst_auc": min(aucs) if aucs else nan,
        "mean_auc": float(np.mean(aucs)) if aucs else nan,
        "worst_tpr1": min(tprs) if tprs else nan,
        "mean_tpr1": float(np.mean(tprs)) if tprs else nan,
    }
