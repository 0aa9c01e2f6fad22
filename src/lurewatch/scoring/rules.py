"""Scoring v1: a transparent combination of rule evidence, used when no learned model is present.

Within a family only the strongest hit counts (ten money words are one money signal);
families combine by noisy-OR, so independent indicators reinforce each other while none
alone reaches certainty — "no single indicator is proof" (threat model).
"""

from __future__ import annotations

from lurewatch.evidence import Evidence
from lurewatch.scoring.base import Score
from lurewatch.signals import registry

RULES_VERSION = "rules-v1"


def combine(evidence: list[Evidence], prior: float = 0.02, default_weight: float = 0.5) -> float:
    best: dict[str, float] = {}
    for ev in evidence:
        spec = registry.get(ev.signal)
        weight = spec.weight if spec else default_weight
        key = ev.signal if spec is None else spec.code.rsplit(".", 1)[0] + "." + _group(spec.code)
        best[key] = max(best.get(key, 0.0), weight * ev.strength)
    miss = 1.0 - prior
    for value in best.values():
        miss *= 1.0 - min(value, 0.99)
    return min(max(1.0 - miss, 0.0), 1.0)


# Families whose codes are named "<family>.<group>_<detail>" with a meaningful group: their
# signals share one group, so a message with five money phrases counts money once.
_GROUPED_FAMILIES = ("lure",)


def _group(code: str) -> str:
    # Signals of a grouped family named "<family>.<group>_<detail>" share one group; others stand alone.
    family, name = code.split(".", 1)
    return name.split("_", 1)[0] if family in _GROUPED_FAMILIES else name


class RuleScorer:
    version = RULES_VERSION

    def __init__(self, prior: float = 0.02) -> None:
        self.prior = prior

    def score(self, view: object, evidence: list[Evidence]) -> Score:
        return Score(probability=combine(evidence, self.prior), model=self.version)
