"""The pure rules of a case: priority order, what a decision needs, reopening."""

from __future__ import annotations

import pytest

from lurewatch.cases.rules import (
    DECISIONS,
    CaseRuleError,
    check_decision,
    check_reason,
    check_reopen,
    level_at_least,
    priority,
)


@pytest.mark.parametrize(
    ("score", "reports", "expected"),
    [
        (0.0, 0, 0.0),
        (0.5, 0, 0.5),
        (0.5, 1, 0.7),
        (0.9, 5, 1.9),
        (0.9, 50, 1.9),
        (1.7, 0, 1.0),
        (-1, 0, 0.0),
    ],
)
def test_priority_rises_with_reports_and_is_capped(
    score: float, reports: int, expected: float
) -> None:
    assert priority(score, reports) == pytest.approx(expected)


def test_a_reported_low_score_outranks_an_unreported_one() -> None:
    assert priority(0.3, 2) > priority(0.6, 0)


@pytest.mark.parametrize("decision", DECISIONS)
def test_every_decision_needs_an_open_case_and_a_reason(decision: str) -> None:
    assert check_decision("open", decision, "  front company  ") == "front company"
    with pytest.raises(CaseRuleError, match="reason"):
        check_decision("open", decision, "   ")
    with pytest.raises(CaseRuleError, match="already decided"):
        check_decision("decided", decision, "why")


def test_unknown_decision_names_the_choices() -> None:
    with pytest.raises(CaseRuleError) as err:
        check_decision("open", "ban", "why")
    assert err.value.field == "decision" and "escalate" in str(err.value)


def test_reopen_only_decided_cases_with_a_reason() -> None:
    assert check_reopen("decided", "new evidence") == "new evidence"
    with pytest.raises(CaseRuleError):
        check_reopen("open", "x")
    with pytest.raises(CaseRuleError):
        check_reopen("decided", "")


def test_reason_length_limit() -> None:
    assert check_reason(None, required=False) is None
    with pytest.raises(CaseRuleError, match="limit"):
        check_reason("x" * 5001, required=False)


def test_level_at_least() -> None:
    assert level_at_least("high", "medium") and level_at_least("medium", "medium")
    assert not level_at_least("low", "medium") and not level_at_least(None, "high")
