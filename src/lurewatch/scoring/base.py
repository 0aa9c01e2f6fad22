"""What a scorer is: evidence (and the record) in, a probability and its model version out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from lurewatch.evidence import Evidence


@dataclass(slots=True)
class Score:
    probability: float
    model: str  # e.g. "rules-v1" or "message-lr-2026.11.27"
    # Learned features that moved the score, in words, most important first: (sentence, weight).
    top_features: list[tuple[str, float]] = field(default_factory=list)
    # Evidence the scorer itself found (e.g. the nearest known messages by meaning), shown
    # beside the detectors' evidence.
    evidence: list[Evidence] = field(default_factory=list)


class Scorer(Protocol):
    version: str

    def score(self, view: object, evidence: list[Evidence]) -> Score: ...


@dataclass(frozen=True, slots=True)
class Levels:
    """Cut points of the calibrated probability; chosen on validation data (docs/evaluation.md)."""

    medium: float = 0.35
    high: float = 0.7

    def level(self, probability: float) -> str:
        if probability >= self.high:
            return "high"
        if probability >= self.medium:
            return "medium"
        return "low"
