"""What the graph analysis knows about one account: computed in batch, stored, read by the detectors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class GraphFacts:
    account: str
    method: str = ""
    trust: float | None = (
        None  # method's trust (strongtie: 1 = tied to a seed through shared contacts)
    )
    score: float | None = None  # structural suspicion in [0, 1]
    in_core: bool | None = None
    degree: int = 0
    weak_degree: int = 0  # ties with no contact in common beyond chance
    seeds: int = 0  # how many seeds the run had (0: trust is meaningless)
    growth: float | None = None  # laundering-burst score (edge times known), in [0, 1]
    invitations: dict[str, Any] = field(
        default_factory=dict
    )  # sent/accepted/ignored/reported/acceptance/expected/report_rate/suspicion
    targeting: dict[str, Any] = field(
        default_factory=dict
    )  # organisation/sector/clearance: {name, count, total, base_rate, strength}
    warnings: list[dict[str, Any]] = field(
        default_factory=list
    )  # early warnings: {organisation, staff, days, same_department, department, text}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GraphFacts:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
