"""Trains the account model on every shared account set together, calibrated across platforms.

Recipe (account-lr-v2), chosen by leave-one-dataset-out evaluation (train on Instagram, test on
Twitter, and back; `lurewatch eval`, accounts section):
- features that point the same way on every platform (`account_features.V2_FEATURES`);
- every dataset weighs the same in training, and within each dataset both classes weigh the same,
  so the model cannot learn "Twitter-shaped = fake";
- Platt scaling fitted on pooled out-of-fold decision values (grouped folds within each dataset):
  two numbers, monotone everywhere, so a new platform whose values fall outside the training
  range keeps its order (isotonic steps are flat there) and a probability that stays honest
  across both sets rather than on one calibration split.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.models.account_features import DIRECTION, V1_FEATURES, V2_FEATURES, account_vector
from lurewatch.models.calibration import Calibrator
from lurewatch.models.datasets import AccountRow, load_accounts
from lurewatch.models.features import signal_strengths
from lurewatch.models.linear import LinearArtifact, fit_weights
from lurewatch.models.scorers import NUM, AccountScorer, account_features
from lurewatch.scoring.base import Levels
from lurewatch.signals.views import AccountView

Progress = Callable[[str], None]
ACCOUNT_VERSION = "account-lr-v2"
FOLDS = 5


@dataclass(frozen=True)
class AccountConfig:
    C: float = 1.0
    min_count: int = 5
    calibration: str = "platt"
    features: tuple[str, ...] = V2_FEATURES
    # True: the calibrator is fitted on pooled out-of-fold decision values of all training rows;
    # False (account-lr-v1): on the calibration split only.
    pooled_oof: bool = True
    # True: a feature whose weight comes out against its direction on every shared set is dropped.
    directed: bool = True
    version: str = ACCOUNT_VERSION


# account-lr-v1, the previously shipped recipe, for the comparison in `lurewatch eval`.
V1_CONFIG = AccountConfig(
    calibration="isotonic",
    features=V1_FEATURES,
    pooled_oof=False,
    directed=False,
    version="account-lr-v1",
)


@dataclass
class Fitted:
    """Decision values and calibrated probabilities of one held-out evaluation."""

    labels: np.ndarray
    z: np.ndarray
    p: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)


def account_strengths(rows: Sequence[AccountRow]) -> list[dict[str, float]]:
    """Persona rule evidence per row, from the same detector `check` runs."""
    if importlib.util.find_spec("lurewatch.signals.persona") is None:
        return [{} for _ in rows]
    from lurewatch.signals.persona import detect

    return [signal_strengths(detect(AccountView(account=row.account))) for row in rows]


def _common_signals(strengths: Sequence[dict[str, float]], min_count: int) -> list[str]:
    counts: dict[str, int] = {}
    for st in strengths:
        for code, s in st.items():
            if s > 0:
                counts[code] = counts.get(code, 0) + 1
    return sorted(c for c, n in counts.items() if n >= min_count)


def dataset_balanced_weights(rows: Sequence[AccountRow]) -> np.ndarray:
    """Each dataset the same total weight, each class half of it; mean weight 1."""
    labels = np.array([r.label for r in rows])
    names = np.array([r.dataset for r in rows])
    w = np.zeros(len(rows))
    present = sorted(set(names.tolist()))
    for ds in present:
        for cls in (0, 1):
            mask = (names == ds) & (labels == cls)
            if mask.any():
                classes = len(set(labels[names == ds].tolist()))
                w[mask] = 1.0 / (len(present) * classes * mask.sum())
    return w * (len(w) / w.sum())


def fit_account_model(
    rows: Sequence[AccountRow],
    strengths: Sequence[dict[str, float]],
    *,
    seed: int = 0,
    config: AccountConfig = AccountConfig(),  # noqa: B008
) -> AccountScorer:
    """Weights only (the calibrator is fitted by the caller on rows the weights never saw)."""
    names = list(config.features)
    seen = _common_signals(strengths, config.min_count)
    known = set(seen)
    strengths = [{c: s for c, s in st.items() if c in known} for st in strengths]
    vectors = np.array(
        [[np.nan if v is None else v for v in account_vector(r.account, names)] for r in rows],
        dtype=float,
    )
    observed = ~np.isnan(vectors)
    mean = np.array(
        [
            float(vectors[observed[:, j], j].mean()) if observed[:, j].any() else 0.0
            for j in range(len(names))
        ]
    )
    scale = np.array(
        [
            float(vectors[observed[:, j], j].std()) if observed[:, j].any() else 1.0
            for j in range(len(names))
        ]
    )
    scale[scale < 1e-9] = 1.0
    params: dict[str, Any] = {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "features": names,
        "signals": seen,
    }
    feats = [
        account_features([None if np.isnan(x) else float(x) for x in v], st, params)
        for v, st in zip(vectors, strengths, strict=True)
    ]
    labels = np.array([r.label for r in rows])
    sample_weight = dataset_balanced_weights(rows)
    dropped: list[str] = []
    for _ in range(len(names) + 1):
        bias, w = fit_weights(
            feats,
            labels,
            sample_weight=sample_weight,
            C=config.C,
            seed=seed,
            min_count=config.min_count,
        )
        against = [
            n
            for n in names
            if config.directed
            and n not in dropped
            and w.get(NUM + n, 0.0) * DIRECTION.get(n, 0) < 0
        ]
        if not against:
            break
        dropped.append(against[0])  # one at a time: dropping one often rights the others
        feats = [{k: v for k, v in f.items() if k != NUM + against[0]} for f in feats]
    params["dropped_against_direction"] = dropped
    artifact = LinearArtifact(
        "account", config.version, bias, w, Calibrator(config.calibration), Levels(), params
    )
    return AccountScorer(artifact)


def score_accounts(
    scorer: AccountScorer, rows: Sequence[AccountRow], strengths: Sequence[dict[str, float]]
) -> np.ndarray:
    """Raw decision values, with the same features and evidence `check` uses."""
    known = scorer.modelled_signals
    names = scorer.feature_names
    return np.array(
        [
            scorer.artifact.decision(
                account_features(
                    account_vector(r.account, names),
                    {c: s for c, s in st.items() if c in known},
                    scorer.artifact.params,
                )
            )
            for r, st in zip(rows, strengths, strict=True)
        ]
    )


def fold_of(row: AccountRow, seed: int, folds: int = FOLDS) -> int:
    from lurewatch.models.training import bucket

    return bucket(row.account.id, seed) % folds


def out_of_fold(
    rows: Sequence[AccountRow],
    strengths: Sequence[dict[str, float]],
    *,
    seed: int,
    config: AccountConfig,
    folds: int = FOLDS,
) -> np.ndarray:
    """Decision value of every row from a model that never saw it (seeded hash folds)."""
    fold = np.array([fold_of(r, seed, folds) for r in rows])
    z = np.zeros(len(rows))
    for k in range(folds):
        test = [int(i) for i in np.flatnonzero(fold == k)]
        train = [int(i) for i in np.flatnonzero(fold != k)]
        if not len(test):
            continue
        scorer = fit_account_model(
            [rows[i] for i in train], [strengths[i] for i in train], seed=seed, config=config
        )
        z[test] = score_accounts(scorer, [rows[i] for i in test], [strengths[i] for i in test])
    return z


def fit_calibrated(
    rows: Sequence[AccountRow],
    strengths: Sequence[dict[str, float]],
    *,
    seed: int,
    config: AccountConfig,
) -> AccountScorer:
    """Weights on all `rows`; calibrator per the recipe (pooled out-of-fold, or a held-out split)."""
    from lurewatch.models.training import split_name

    y = np.array([r.label for r in rows])
    if config.pooled_oof:
        z = out_of_fold(rows, strengths, seed=seed, config=config)
        scorer = fit_account_model(rows, strengths, seed=seed, config=config)
        scorer.artifact.calibrator = Calibrator(config.calibration).fit(z, y)
        return scorer
    parts = [split_name(r.account.id, seed) for r in rows]
    fit_i = [i for i, p in enumerate(parts) if p != "calibration"]
    cal_i = [i for i, p in enumerate(parts) if p == "calibration"]
    scorer = fit_account_model(
        [rows[i] for i in fit_i], [strengths[i] for i in fit_i], seed=seed, config=config
    )
    z_cal = score_accounts(scorer, [rows[i] for i in cal_i], [strengths[i] for i in cal_i])
    scorer.artifact.calibrator = Calibrator(config.calibration).fit(z_cal, y[cal_i])
    return scorer


def leave_one_dataset_out(
    rows: Sequence[AccountRow],
    strengths: Sequence[dict[str, float]],
    *,
    seed: int,
    config: AccountConfig,
    transform: Callable[[AccountRow], AccountRow] | None = None,
) -> dict[str, Fitted]:
    """For each dataset: train (and calibrate) on all the others, test on it.

    `transform` rewrites the test rows first (e.g. drops the fields a new platform lacks).
    """
    out: dict[str, Fitted] = {}
    names = sorted({r.dataset for r in rows})
    for held in names:
        train = [i for i, r in enumerate(rows) if r.dataset != held]
        test = [i for i, r in enumerate(rows) if r.dataset == held]
        scorer = fit_calibrated(
            [rows[i] for i in train], [strengths[i] for i in train], seed=seed, config=config
        )
        test_rows = [rows[i] for i in test]
        test_strengths = [strengths[i] for i in test]
        if transform is not None:
            test_rows = [transform(r) for r in test_rows]
            test_strengths = account_strengths(test_rows)
        z = score_accounts(scorer, test_rows, test_strengths)
        out[held] = Fitted(
            np.array([r.label for r in test_rows]), z, scorer.artifact.calibrator.probabilities(z)
        )
    return out


def train_accounts(
    data_dir: Path,
    seed: int,
    progress: Progress,
    config: AccountConfig = AccountConfig(),  # noqa: B008
) -> AccountScorer:
    """The shipped model: fit + calibration on 80% of every set, levels and metrics on the rest."""
    from lurewatch.models.training import _metrics, choose_levels, split_name

    rows = load_accounts(data_dir)
    if not rows:
        raise FileNotFoundError(f"no account data under {Path(data_dir) / 'accounts'}")
    progress(f"accounts: {len(rows):,} rows ({', '.join(sorted({r.dataset for r in rows}))})")
    strengths = account_strengths(rows)
    parts = [split_name(r.account.id, seed) for r in rows]
    train_i = [i for i, p in enumerate(parts) if p != "validation"]
    val_i = [i for i, p in enumerate(parts) if p == "validation"]
    scorer = fit_calibrated(
        [rows[i] for i in train_i], [strengths[i] for i in train_i], seed=seed, config=config
    )
    y = np.array([r.label for r in rows])
    z_val = score_accounts(scorer, [rows[i] for i in val_i], [strengths[i] for i in val_i])
    p_val = scorer.artifact.calibrator.probabilities(z_val)
    scorer.artifact.levels = choose_levels(p_val, y[val_i])
    cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.__dict__.items()}
    scorer.artifact.meta = {
        "seed": seed,
        "config": cfg,
        "train_rows": {"train": len(train_i), "validation": len(val_i)},
        "validation": _metrics(z_val, p_val, y[val_i]),
    }
    return scorer
