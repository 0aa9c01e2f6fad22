"""Rules-anchored scoring: a learned message model may move the rules' odds, within a band.

Why: the learned message model is trained on the only labelled text there is — SMS spam,
advance-fee fraud and fake job adverts. It ranks those well (ROC-AUC ~0.99 on SMS), but it also
learns that any sum of money or covered trip means "spam", and it rates ordinary recruiters and
conference invitations as risky (42 of 72 legitimate messages at medium or high on the
hand-written outreach hold-out, docs/outreach-holdout.md). The rules were written for cover
approaches, where the hard negatives are exactly those. So the final log-odds are the rules'
log-odds plus the learned model's disagreement, clipped to ±`max_shift` (0.5 = the learned model
may multiply or divide the rules' odds by at most e^0.5 ≈ 1.65). The shipped cap, 0.5, was picked
from {0.5, 1, 1.5, 2} by looking at the SMS proxies (where more learned weight helps) and at the
outreach hold-out (where it hurts); at 0.5 it beats the rules on both (docs/evaluation.md).
"""

from __future__ import annotations

import math

from lurewatch.evidence import Evidence
from lurewatch.scoring.base import Score, Scorer


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def anchor(rules_probability: float, learned_probability: float, max_shift: float) -> float:
    """The rules' probability, moved toward the learned one by at most `max_shift` log-odds."""
    base = _logit(rules_probability)
    shift = max(-max_shift, min(max_shift, _logit(learned_probability) - base))
    return 1.0 / (1.0 + math.exp(-(base + shift)))


class AnchoredScorer:
    def __init__(self, rules: Scorer, learned: Scorer, max_shift: float = 1.0) -> None:
        if not 0.0 <= max_shift <= 10.0:
            raise ValueError(
                f"The 'max_shift' parameter of AnchoredScorer must be a float in [0, 10]. Got {max_shift} instead."
            )
        self.rules = rules
        self.learned = learned
        self.max_shift = max_shift
        self.version = f"{learned.version}@anchored(rules-v1,±{max_shift:g})"

    def score(self, view: object, evidence: list[Evidence]) -> Score:
        rules = self.rules.score(view, evidence)
        learned = self.learned.score(view, evidence)
        probability = anchor(rules.probability, learned.probability, self.max_shift)
        features = list(learned.top_features)
        return Score(
            probability=probability,
            model=f"{learned.model}@anchored±{self.max_shift:g}",
            top_features=features,
        )
