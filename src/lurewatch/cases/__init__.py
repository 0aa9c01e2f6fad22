"""Review cases: a triage queue built from assessments and member reports, decisions, audit trail."""

from lurewatch.cases.rules import ACTIONS, DECISIONS, STATUSES, Actor, CaseRuleError

__all__ = ["ACTIONS", "DECISIONS", "STATUSES", "Actor", "CaseRuleError"]
