"""The learned scorers `check`, `scan` and `analyze` use: evidence + record in, calibrated score out.

The model reads the rule evidence it was trained on (signal codes seen often enough in the
training proxies) and learned features. Evidence the model never saw in training — a watchlist
hit, a template match, a graph signal, a rare lure code — cannot be weighed by it, so that
evidence is added on top by the rules' noisy-OR. The model version therefore reads
"message-lr-v1+rules": both parts are recorded.
"""

from __future__ import annotations

import math

from lurewatch.errors import ModelArtifactError
from lurewatch.evidence import Evidence
from lurewatch.models.features import (
    ACCOUNT_FEATURE_NAMES,
    ACCOUNT_FEATURE_WORDS,
    account_vector,
    signal_strengths,
    terms,
)
from lurewatch.models.linear import LinearArtifact
from lurewatch.scoring.base import Score
from lurewatch.scoring.rules import combine
from lurewatch.signals import registry

TOP_FEATURES = 6
SIG = "sig:"
TERM = "t:"
NUM = "num:"


def message_features(text: str, strengths: dict[str, float], text_scale: float) -> dict[str, float]:
    feats = {SIG + code: s for code, s in strengths.items() if s > 0.0}
    if text_scale > 0.0:
        found = terms(text)
        if found:
            value = text_scale / math.sqrt(len(found))
            for term in found:
                feats[TERM + term] = value
    return feats


def account_features(
    account_vec: list[float], strengths: dict[str, float], params: dict
) -> dict[str, float]:
    means, scales = params["mean"], params["scale"]
    feats = {
        NUM + name: (v - m) / s
        for name, v, m, s in zip(ACCOUNT_FEATURE_NAMES, account_vec, means, scales, strict=True)
    }
    feats.update({SIG + code: s for code, s in strengths.items() if s > 0.0})
    return feats


def describe(feature: str) -> str:
    """A feature name in words, for the explanation shown to a person."""
    if feature.startswith(SIG):
        spec = registry.get(feature[len(SIG) :])
        return f"{spec.description} ({spec.code})" if spec else feature[len(SIG) :]
    if feature.startswith(TERM):
        term = feature[len(TERM) :]
        return f'the word{"s" if " " in term else ""} "{term}"'
    if feature.startswith(NUM):
        return ACCOUNT_FEATURE_WORDS.get(feature[len(NUM) :], feature[len(NUM) :])
    return feature


class _LinearScorer:
    def __init__(self, artifact: LinearArtifact) -> None:
        self.artifact = artifact
        self.version = f"{artifact.version}+rules"
        self.known_signals = {name[len(SIG) :] for name in artifact.weights if name.startswith(SIG)}
        self.modelled_signals = set(artifact.params.get("signals", [])) | self.known_signals

    def _features(self, view: object, strengths: dict[str, float]) -> dict[str, float]:
        raise NotImplementedError

    def score(self, view: object, evidence: list[Evidence]) -> Score:
        strengths = signal_strengths(evidence)
        feats = self._features(
            view, {c: s for c, s in strengths.items() if c in self.modelled_signals}
        )
        z = self.artifact.decision(feats)
        p = self.artifact.calibrator.probability(z)
        residual = [ev for ev in evidence if ev.signal not in self.modelled_signals]
        if residual:
            p = 1.0 - (1.0 - p) * (1.0 - combine(residual, prior=0.0))
        top = sorted(self.artifact.contributions(feats), key=lambda nc: (-abs(nc[1]), nc[0]))[
            :TOP_FEATURES
        ]
        return Score(
            probability=min(max(p, 0.0), 1.0),
            model=self.version,
            top_features=[(describe(name), round(c, 3)) for name, c in top],
        )

    def decision(self, view: object, evidence: list[Evidence]) -> float:
        strengths = {
            c: s for c, s in signal_strengths(evidence).items() if c in self.modelled_signals
        }
        return self.artifact.decision(self._features(view, strengths))


class MessageScorer(_LinearScorer):
    def _features(self, view: object, strengths: dict[str, float]) -> dict[str, float]:
        text = getattr(view, "text", "") or ""
        return message_features(text, strengths, float(self.artifact.params.get("text_scale", 0.0)))


class AccountScorer(_LinearScorer):
    def __init__(self, artifact: LinearArtifact) -> None:
        super().__init__(artifact)
        n = len(ACCOUNT_FEATURE_NAMES)
        try:
            means = [float(v) for v in artifact.params["mean"]]
            scales = [float(v) for v in artifact.params["scale"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelArtifactError(f"account model: bad feature scaling ({exc})") from exc
        if len(means) != n or len(scales) != n or any(not s > 0 for s in scales):
            raise ModelArtifactError(f"account model: expects {n} features with positive scales")

    def _features(self, view: object, strengths: dict[str, float]) -> dict[str, float]:
        account = getattr(view, "account", view)
        return account_features(account_vector(account), strengths, self.artifact.params)
