"""A sparse linear model with named weights, a calibrator and level cut points, stored as JSON.

JSON rather than pickle: the artifact is reviewable as a diff, loads without importing
scikit-learn, and cannot run code. `load_artifact` validates everything it reads and raises
`ModelArtifactError`, which the loader turns into a fallback to rules.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.errors import ModelArtifactError
from lurewatch.models import ARTIFACT_FORMAT
from lurewatch.models.calibration import Calibrator
from lurewatch.scoring.base import Levels

MAX_ARTIFACT_BYTES = 10 * 1024 * 1024


@dataclass
class LinearArtifact:
    kind: str  # "message" | "account"
    version: str  # e.g. "message-lr-v1"
    bias: float
    weights: dict[str, float]  # feature name -> weight (log-odds per unit)
    calibrator: Calibrator
    levels: Levels
    params: dict[str, Any] = field(default_factory=dict)  # featurizer parameters (scales, means)
    meta: dict[str, Any] = field(default_factory=dict)  # provenance and metrics, for the card

    def decision(self, features: dict[str, float]) -> float:
        get = self.weights.get
        return self.bias + sum(get(name, 0.0) * value for name, value in features.items())

    def contributions(self, features: dict[str, float]) -> list[tuple[str, float]]:
        get = self.weights.get
        out = [(name, get(name, 0.0) * value) for name, value in features.items()]
        return [(n, c) for n, c in out if c != 0.0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ARTIFACT_FORMAT,
            "kind": self.kind,
            "version": self.version,
            "bias": self.bias,
            "calibration": self.calibrator.to_dict(),
            "levels": {"medium": self.levels.medium, "high": self.levels.high},
            "params": self.params,
            "meta": self.meta,
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
        }


def save_artifact(artifact: LinearArtifact, path: Path) -> int:
    text = json.dumps(artifact.to_dict(), ensure_ascii=False, sort_keys=False, indent=1)
    data = text.encode("utf-8")
    if len(data) > MAX_ARTIFACT_BYTES:
        raise ModelArtifactError(
            f"{path.name} would be {len(data):,} bytes (limit {MAX_ARTIFACT_BYTES:,})"
        )
    Path(path).write_bytes(data)
    return len(data)


def load_artifact(path: Path, kind: str) -> LinearArtifact:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ARTIFACT_BYTES:
            raise ModelArtifactError(f"{path}: larger than {MAX_ARTIFACT_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelArtifactError(f"{path}: missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelArtifactError(f"{path}: unreadable ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != ARTIFACT_FORMAT:
        raise ModelArtifactError(f"{path}: not a {ARTIFACT_FORMAT} artifact")
    if data.get("kind") != kind:
        raise ModelArtifactError(f"{path}: holds a {data.get('kind')!r} model, expected {kind!r}")
    try:
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        bias = float(data["bias"])
        levels = Levels(medium=float(data["levels"]["medium"]), high=float(data["levels"]["high"]))
        version = str(data["version"])
        params = dict(data.get("params") or {})
        meta = dict(data.get("meta") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelArtifactError(f"{path}: bad field ({exc})") from exc
    if not all(math.isfinite(v) for v in [bias, *weights.values()]):
        raise ModelArtifactError(f"{path}: weights must be finite numbers")
    if not 0.0 < levels.medium < levels.high <= 1.0:
        raise ModelArtifactError(f"{path}: levels must satisfy 0 < medium < high <= 1")
    calibrator = Calibrator.from_dict(dict(data.get("calibration") or {}))
    return LinearArtifact(kind, version, bias, weights, calibrator, levels, params, meta)


# ----------------------------------------------------------------------------- fitting


def to_matrix(rows: list[dict[str, float]], vocabulary: dict[str, int]):  # noqa: ANN201
    """Feature dicts -> CSR matrix over a fixed vocabulary (unknown names are dropped)."""
    from scipy.sparse import csr_matrix

    indptr, indices, values = [0], [], []
    for feats in rows:
        for name, value in feats.items():
            j = vocabulary.get(name)
            if j is not None and value != 0.0:
                indices.append(j)
                values.append(value)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.asarray(values, float), np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
        shape=(len(rows), len(vocabulary)),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()  # the solver then sums in one order, whatever the dicts' order
    return matrix


def fit_weights(
    rows: list[dict[str, float]],
    labels: np.ndarray,
    *,
    sample_weight: np.ndarray | None = None,
    C: float = 1.0,
    seed: int = 0,
    min_count: int = 2,
    nonnegative_prefix: tuple[str, ...] = ("sig:", "rules:"),
) -> tuple[float, dict[str, float]]:
    """L2 logistic regression on named features; deterministic for a given seed and input order.

    Features seen in fewer than `min_count` rows are dropped (a weight learned from one row is
    noise). Features whose name starts with `nonnegative_prefix` (rule evidence) may only raise
    the score: one refit drops those that came out negative, because on a spam proxy a lure
    signal can correlate with legitimate text, and we would rather not learn that.
    """
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for feats in rows:
        for name, value in feats.items():
            if value != 0.0:
                counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= min_count)
    banned: set[str] = set()
    for _ in range(3):
        kept = [n for n in names if n not in banned]
        vocab = {n: i for i, n in enumerate(kept)}
        X = to_matrix(rows, vocab)
        lr = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=2000)
        lr.fit(X, labels, sample_weight=sample_weight)
        coef = lr.coef_[0]
        negative = {
            n
            for n, j in vocab.items()
            if nonnegative_prefix and n.startswith(nonnegative_prefix) and coef[j] < 0
        }
        if not negative:
            break
        banned |= negative
    weights = {n: float(coef[j]) for n, j in vocab.items() if abs(coef[j]) > 1e-6}
    return float(lr.intercept_[0]), weights
