"""The learned scorers `check`, `scan` and `analyze` use: evidence + record in, calibrated score out.

The model reads the rule evidence it was trained on (signal codes seen often enough in the
training proxies) and learned features. Evidence the model never saw in training — a watchlist
hit, a template match, a graph signal, a rare lure code — cannot be weighed by it, so that
evidence is added on top by the rules' noisy-OR. The model version therefore reads
"message-lr-v1+rules": both parts are recorded.
"""

from __future__ import annotations

import functools
import heapq
import math

from lurewatch.errors import ModelArtifactError
from lurewatch.evidence import Evidence
from lurewatch.models.account_features import (
    ACCOUNT_FEATURE_WORDS,
    V1_FEATURES,
    account_vector,
    check_names,
)
from lurewatch.models.features import terms
from lurewatch.models.linear import LinearArtifact
from lurewatch.scoring.base import Score
from lurewatch.scoring.rules import combine
from lurewatch.signals import registry

TOP_FEATURES = 6
MIN_SHOWN = 0.05  # log-odds; smaller contributions are noise to a reader
SIG = "sig:"
TERM = "t:"
NUM = "num:"
RULES = "rules:v1"
TEXT_CACHE_SIZE = 8_192  # memoised word contributions per distinct message text
TEXT_CACHE_MAX_CHARS = 2_000  # only short texts (templates) are memoised
_PRIOR = 0.02
_LOGIT_PRIOR = math.log(_PRIOR / (1 - _PRIOR))


def rules_feature(evidence: list[Evidence]) -> float:
    return _rules_logit(tuple(sorted((ev.signal, ev.strength) for ev in evidence)))


@functools.lru_cache(maxsize=4096)
def _rules_logit(items: tuple[tuple[str, float], ...]) -> float:
    """Rules v1's log-odds above its prior: the expert weighting, which the model rescales.

    With this feature the learned weights per signal are corrections to the rules, shrunk
    towards zero by the regulariser: a lure signal the proxies barely contain (a think-tank
    persona, a request for a paid report) keeps its expert weight instead of getting none.
    """
    if not items:
        return 0.0
    p = min(combine([Evidence(c, s, "") for c, s in items], prior=_PRIOR), 0.999999)
    return math.log(p / (1 - p)) - _LOGIT_PRIOR


def _evidence_of(strengths: dict[str, float]) -> list[Evidence]:
    return [Evidence(code, s, "") for code, s in strengths.items() if s > 0.0]


def message_features(text: str, strengths: dict[str, float], text_scale: float) -> dict[str, float]:
    feats = {SIG + code: s for code, s in strengths.items() if s > 0.0}
    if feats:
        feats[RULES] = rules_feature(_evidence_of(strengths))
    if text_scale > 0.0:
        found = terms(text)
        if found:
            value = text_scale / math.sqrt(len(found))
            for term in sorted(found):  # a fixed order: identical sums in every process
                feats[TERM + term] = value
    return feats


def account_features(
    account_vec: list[float | None], strengths: dict[str, float], params: dict
) -> dict[str, float]:
    """Standardised account features; an unknown value (None) sits at the training mean (0)."""
    means, scales = params["mean"], params["scale"]
    feats = {
        NUM + name: 0.0 if v is None else (v - m) / s
        for name, v, m, s in zip(feature_names(params), account_vec, means, scales, strict=True)
    }
    feats.update({SIG + code: s for code, s in strengths.items() if s > 0.0})
    if strengths:
        feats[RULES] = rules_feature(_evidence_of(strengths))
    return feats


def feature_names(params: dict) -> tuple[str, ...]:
    """The account features an artifact was trained on (account-lr-v1 did not list them)."""
    return tuple(params.get("features") or V1_FEATURES)


@functools.lru_cache(maxsize=4096)
def describe(feature: str) -> str:
    """A feature name in words, for the explanation shown to a person."""
    if feature.startswith(SIG):
        spec = registry.get(feature[len(SIG) :])
        return f"{spec.description} ({spec.code})" if spec else feature[len(SIG) :]
    if feature.startswith(TERM):
        term = feature[len(TERM) :]
        return f'the word{"s" if " " in term else ""} "{term}"'
    if feature == RULES:
        return "the rule evidence as a whole (rules v1 log-odds)"
    if feature.startswith(NUM):
        return ACCOUNT_FEATURE_WORDS.get(feature[len(NUM) :], feature[len(NUM) :])
    return feature


class _LinearScorer:
    def __init__(self, artifact: LinearArtifact) -> None:
        self.artifact = artifact
        self.version = f"{artifact.version}+rules"
        # Signals common enough in training to have a learned weight; any other evidence is
        # added on top by the rules' noisy-OR.
        self.modelled_signals = frozenset(artifact.params.get("signals", []))

    def _contributions(self, view: object, strengths: dict[str, float]) -> list[tuple[str, float]]:
        raise NotImplementedError

    def _split(self, evidence: list[Evidence]) -> tuple[dict[str, float], list[Evidence]]:
        strengths: dict[str, float] = {}
        residual: list[Evidence] = []
        modelled = self.modelled_signals
        for ev in evidence:
            if ev.signal in modelled:
                if ev.strength > strengths.get(ev.signal, 0.0):
                    strengths[ev.signal] = ev.strength
            else:
                residual.append(ev)
        return strengths, residual

    def score(self, view: object, evidence: list[Evidence]) -> Score:
        strengths, residual = self._split(evidence)
        contributions = self._contributions(view, strengths)
        z = self.artifact.bias + sum(c for _, c in contributions)
        p = self.artifact.calibrator.probability(z)
        if residual:
            p = 1.0 - (1.0 - p) * (1.0 - combine(residual, prior=0.0))
        shown = [nc for nc in contributions if abs(nc[1]) >= MIN_SHOWN]
        top = heapq.nlargest(TOP_FEATURES, shown, key=lambda nc: abs(nc[1]))
        return Score(
            probability=min(max(p, 0.0), 1.0),
            model=self.version,
            top_features=[(describe(name), round(c, 3)) for name, c in top],
        )

    def decision(self, view: object, evidence: list[Evidence]) -> float:
        """The raw (uncalibrated) log-odds, from modelled evidence only."""
        strengths, _ = self._split(evidence)
        return self.artifact.bias + sum(c for _, c in self._contributions(view, strengths))


class MessageScorer(_LinearScorer):
    """Fast path for `check`: terms are looked up directly, no feature dict is built."""

    def __init__(self, artifact: LinearArtifact) -> None:
        super().__init__(artifact)
        self.text_scale = float(artifact.params.get("text_scale", 0.0))
        self._terms = {k[len(TERM) :]: v for k, v in artifact.weights.items() if k.startswith(TERM)}
        self._other = {k: v for k, v in artifact.weights.items() if not k.startswith(TERM)}
        # Per scorer (the weights are its own); only short texts, as the detectors' memos.
        self._cached_text_contributions = functools.lru_cache(maxsize=TEXT_CACHE_SIZE)(
            self._text_contributions
        )

    def _contributions(self, view: object, strengths: dict[str, float]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        if strengths:
            get = self._other.get
            for code, s in strengths.items():
                w = get(SIG + code)
                if w:
                    out.append((SIG + code, w * s))
            w = get(RULES)
            if w:
                out.append((RULES, w * rules_feature(_evidence_of(strengths))))
        if self.text_scale > 0.0:
            text = getattr(view, "text", "") or ""
            if len(text) <= TEXT_CACHE_MAX_CHARS:
                out.extend(self._cached_text_contributions(text))
            else:
                out.extend(self._text_contributions(text))
        return out

    def _text_contributions(self, text: str) -> tuple[tuple[str, float], ...]:
        """The learned words' part of the log-odds: a function of the text alone, so memoised.

        Mass approaches repeat one template word for word; the order is the one the term set
        gives, as before, so sums (and scores) are unchanged.
        """
        found = terms(text)
        if not found:
            return ()
        value = self.text_scale / math.sqrt(len(found))
        get = self._terms.get
        out = []
        for term in found:
            w = get(term)
            if w:
                out.append((TERM + term, w * value))
        return tuple(out)


class AccountScorer(_LinearScorer):
    def __init__(self, artifact: LinearArtifact) -> None:
        super().__init__(artifact)
        try:
            names = feature_names(artifact.params)
            means = [float(v) for v in artifact.params["mean"]]
            scales = [float(v) for v in artifact.params["scale"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelArtifactError(f"account model: bad feature scaling ({exc})") from exc
        unknown = check_names(names)
        if unknown:
            raise ModelArtifactError(f"account model: unknown features {', '.join(unknown[:5])}")
        n = len(names)
        if len(means) != n or len(scales) != n or any(not s > 0 for s in scales):
            raise ModelArtifactError(f"account model: expects {n} features with positive scales")
        self.feature_names = names

    def _contributions(self, view: object, strengths: dict[str, float]) -> list[tuple[str, float]]:
        account = getattr(view, "account", view)
        vec = account_vector(account, self.feature_names)  # type: ignore[arg-type]
        feats = account_features(vec, strengths, self.artifact.params)
        return self.artifact.contributions(feats)
