"""Evidence and assessments: the explanation is part of the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS: tuple[str, ...] = ("low", "medium", "high")


@dataclass(slots=True, frozen=True)
class Evidence:
    """One observation a detector made, in words a non-specialist understands.

    `strength` in [0, 1] says how much this observation alone points to a cover approach;
    `quote` is the exact span of the input it rests on (or the compared values), so a
    reviewer can check it. `values` carries machine-readable details (matched entry, counts).
    """

    signal: str
    strength: float
    explanation: str
    quote: str | None = None
    span: tuple[int, int] | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(
                f"The 'strength' of evidence {self.signal} must be a float in [0, 1]. Got {self.strength} instead."
            )

    @property
    def family(self) -> str:
        return self.signal.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "signal": self.signal,
            "strength": round(self.strength, 4),
            "explanation": self.explanation,
            "quote": self.quote,
        }
        if self.span is not None:
            out["span"] = list(self.span)
        if self.values:
            out["values"] = self.values
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        span = data.get("span")
        return cls(
            signal=data["signal"],
            strength=float(data["strength"]),
            explanation=data.get("explanation", ""),
            quote=data.get("quote"),
            span=(int(span[0]), int(span[1])) if span else None,
            values=dict(data.get("values") or {}),
        )


@dataclass(slots=True)
class Assessment:
    """A calibrated verdict on one record, with the evidence that moved it and the advice."""

    id: str
    kind: str
    score: float
    level: str
    evidence: list[Evidence]
    advice: list[str]
    model: str
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "score": round(self.score, 4),
            "level": self.level,
            "evidence": [e.to_dict() for e in self.evidence],
            "advice": self.advice,
            "model": self.model,
        }
        if self.language is not None:
            out["language"] = self.language
        out.update(self.extra)
        return out
