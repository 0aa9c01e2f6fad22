"""The pure rules of a case's life: what may happen next, and how urgent a case is.

No database here: `cases.store` applies these rules and writes the audit events.
"""

from __future__ import annotations

from dataclasses import dataclass

from lurewatch.errors import InputError

STATUSES: tuple[str, ...] = ("open", "decided")
DECISIONS: tuple[str, ...] = ("dismiss", "restrict", "remove", "escalate")
ACTIONS: tuple[str, ...] = (
    "opened",
    "report_added",
    "assigned",
    "commented",
    "decided",
    "reopened",
    "exported",
)
DECISION_HELP: dict[str, str] = {
    "dismiss": "not a cover approach; no action",
    "restrict": "limit the account (no new invitations or messages) while it is watched",
    "remove": "remove the account and warn the members it approached",
    "escalate": "hand over to the national security agency",
}
MAX_REASON_CHARS = 5_000
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


class CaseRuleError(InputError):
    """An action the case's state does not allow (deciding twice, an empty reason …)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it, as recorded in the audit trail (the e-mail is kept even if the user goes)."""

    id: int | None
    email: str

    @classmethod
    def system(cls) -> Actor:
        return cls(id=None, email="system")


def priority(score: float, reports: int) -> float:
    """Queue order: the assessment's score, raised by each member report (capped), in [0, 2]."""
    return round(min(1.0, max(0.0, score)) + min(reports, 5) * 0.2, 4)


def check_reason(reason: str | None, *, required: bool, field: str = "reason") -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise CaseRuleError("is required: say why, it goes into the audit trail", field=field)
    if len(text) > MAX_REASON_CHARS:
        raise CaseRuleError(
            f"is {len(text):,} characters long (limit {MAX_REASON_CHARS:,})", field=field
        )
    return text or None


def check_decision(status: str, decision: str, reason: str | None) -> str:
    """A decision needs an open case, a known outcome and a reason; returns the clean reason."""
    if decision not in DECISIONS:
        raise CaseRuleError(
            f"must be one of {', '.join(DECISIONS)}; got {decision!r}", field="decision"
        )
    if status != "open":
        raise CaseRuleError("the case is already decided; reopen it first", field="decision")
    clean = check_reason(reason, required=True)
    assert clean is not None
    return clean


def check_reopen(status: str, reason: str | None) -> str:
    if status != "decided":
        raise CaseRuleError("only a decided case can be reopened", field="status")
    clean = check_reason(reason, required=True)
    assert clean is not None
    return clean


def level_at_least(level: str | None, minimum: str) -> bool:
    return LEVEL_RANK.get(level or "low", 0) >= LEVEL_RANK.get(minimum, 2)
