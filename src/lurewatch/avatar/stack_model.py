"""A stacked synthetic-face model: one classifier per feature family, a logistic combiner on top.

Why stacked: the families fail differently on generators they never saw (the face descriptor
keys on what faces look like, the residual statistics on how pixels were made). The combiner's
weights are fitted on *generator-grouped* out-of-fold decisions: every fake generator is left
out in turn (with a share of the real photos), so a family that only recognises generators it
was trained on earns little weight. Every training row is weighted so each generator, and each
class, weighs the same (`logo.balanced_weights`).

Stored as plain JSON numbers and evaluated in NumPy (no pickle: the artifact is loaded on every
check, and unpickling runs code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.avatar.logo import balanced_weights
from lurewatch.errors import ModelArtifactError, NotFittedError


@dataclass
class Part:
    """One family's classifier on standardised columns: linear (logistic) or RBF SVM."""

    family: str
    kind: str  # "linear" or "rbf"
    C: float
    params: dict[str, Any] = field(default_factory=dict)

    def fit(self, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> Part:
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale < 1e-9] = 1.0
        Z = (X - mean) / scale
        p: dict[str, Any] = {"mean": mean, "scale": scale}
        if self.kind == "linear":
            from sklearn.linear_model import LogisticRegression

            clf = LogisticRegression(C=self.C, max_iter=5000).fit(Z, y, sample_weight=w)
            p.update(coef=clf.coef_[0].astype(np.float64), intercept=float(clf.intercept_[0]))
        elif self.kind == "rbf":
            from sklearn.svm import SVC

            gamma = 1.0 / (Z.shape[1] * float(Z.var()))
            svm = SVC(C=self.C, kernel="rbf", gamma=gamma).fit(Z, y, sample_weight=w)
            p.update(
                gamma=gamma,
                support=svm.support_vectors_.astype(np.float64),
                dual=svm.dual_coef_[0].astype(np.float64),
                intercept=float(svm.intercept_[0]),
            )
        else:
            raise ValueError(f"unknown part kind {self.kind!r}")
        self.params = p
        return self

    def decision(self, X: np.ndarray) -> np.ndarray:
        p = self.params
        if not p:
            raise NotFittedError(f"part {self.family}/{self.kind} is not fitted")
        Z = (np.atleast_2d(X) - p["mean"]) / p["scale"]
        if self.kind == "linear":
            return np.asarray(Z @ p["coef"] + p["intercept"])
        sv = p["support"]
        sq = (Z * Z).sum(axis=1)[:, None] + (sv * sv).sum(axis=1)[None, :] - 2.0 * Z @ sv.T
        return np.asarray(np.exp(-p["gamma"] * np.maximum(sq, 0.0)) @ p["dual"] + p["intercept"])

    def to_dict(self) -> dict[str, Any]:
        def enc(v: Any) -> Any:
            if isinstance(v, np.ndarray):
                return np.round(v, 8).tolist()
            return v

        return {"family": self.family, "kind": self.kind, "C": self.C} | {
            k: enc(v) for k, v in sorted(self.params.items())
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Part:
        part = cls(str(d["family"]), str(d["kind"]), float(d["C"]))
        arrays = {"mean", "scale", "coef", "support", "dual"}
        part.params = {
            k: (np.asarray(v, dtype=np.float64) if k in arrays else float(v))
            for k, v in d.items()
            if k not in ("family", "kind", "C")
        }
        if part.kind not in ("linear", "rbf"):
            raise ValueError(f"unknown part kind {part.kind!r}")
        return part


def grouped_folds(labels: np.ndarray, generators: list[str], seed: int) -> np.ndarray:
    """Fold number per row: one fold per fake generator; real rows spread evenly over the folds."""
    fakes = sorted({g for g, lab in zip(generators, labels, strict=True) if lab == 1})
    fold = np.zeros(len(labels), dtype=int)
    real = np.flatnonzero(labels == 0)
    order = np.random.default_rng(seed).permutation(len(real))
    fold[real[order]] = np.arange(len(real)) % max(1, len(fakes))
    for k, g in enumerate(fakes):
        fold[[i for i, name in enumerate(generators) if name == g and labels[i] == 1]] = k
    return fold


@dataclass
class StackModel:
    """P(synthetic) = sigmoid(w · [part decisions] + b); parts see their family's columns."""

    parts: list[Part]
    layout: dict[str, tuple[int, int]]  # family -> (start, stop) columns of the feature row
    weights_: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias_: float = 0.0
    meta_: dict[str, Any] = field(default_factory=dict)

    def _cols(self, X: np.ndarray, part: Part) -> np.ndarray:
        a, b = self.layout[part.family]
        return np.atleast_2d(X)[:, a:b]

    def fit(self, X: np.ndarray, y: np.ndarray, generators: list[str], seed: int = 0) -> StackModel:
        from sklearn.linear_model import LogisticRegression

        w = balanced_weights(y, generators)
        fold = grouped_folds(y, generators, seed)
        oof = np.zeros((len(y), len(self.parts)))
        for k in np.unique(fold):
            tr, te = fold != k, fold == k
            gens_tr = [g for g, keep in zip(generators, tr, strict=True) if keep]
            wk = balanced_weights(y[tr], gens_tr)
            for j, part in enumerate(self.parts):
                fresh = Part(part.family, part.kind, part.C).fit(self._cols(X[tr], part), y[tr], wk)
                oof[te, j] = fresh.decision(self._cols(X[te], part))
        combiner = LogisticRegression(C=1.0, max_iter=1000).fit(oof, y, sample_weight=w)
        self.weights_ = combiner.coef_[0].astype(np.float64)
        self.bias_ = float(combiner.intercept_[0])
        for part in self.parts:
            part.fit(self._cols(X, part), y, w)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """The combined log-odds (the `logo.Scorer` protocol)."""
        return self.logit(X)

    def part_decisions(self, X: np.ndarray) -> np.ndarray:
        if not self.weights_.size:
            raise NotFittedError("StackModel is not fitted: call fit() or load() first")
        return np.column_stack([p.decision(self._cols(X, p)) for p in self.parts])

    def logit(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.part_decisions(X) @ self.weights_ + self.bias_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(self.logit(X), -40, 40))))

    def to_dict(self, kind: str, feature_version: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "feature_version": feature_version,
            "layout": {k: list(v) for k, v in self.layout.items()},
            "weights": np.round(self.weights_, 8).tolist(),
            "bias": round(self.bias_, 8),
            "parts": [p.to_dict() for p in self.parts],
            "meta": self.meta_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path) -> StackModel:
        try:
            layout = {str(k): (int(v[0]), int(v[1])) for k, v in data["layout"].items()}
            parts = [Part.from_dict(d) for d in data["parts"]]
            model = cls(parts, layout, meta_=dict(data.get("meta") or {}))
            model.weights_ = np.asarray(data["weights"], dtype=np.float64)
            model.bias_ = float(data["bias"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelArtifactError(f"avatar stack model {path} is malformed: {exc}") from exc
        if model.weights_.shape != (len(parts),) or any(p.family not in layout for p in parts):
            raise ModelArtifactError(f"avatar stack model {path} has the wrong shape")
        for p in parts:
            a, b = layout[p.family]
            n = b - a
            ok = p.params.get("mean") is not None and p.params["mean"].shape == (n,)
            if p.kind == "rbf":
                sv = p.params.get("support")
                ok = ok and sv is not None and sv.ndim == 2 and sv.shape[1] == n
            if not ok:
                raise ModelArtifactError(f"avatar stack model {path}: part {p.family} is malformed")
        return model

    def save(self, path: Path, kind: str, feature_version: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(kind, feature_version), separators=(",", ":"))
        path.write_text(text + "\n", encoding="utf-8")
        return path
