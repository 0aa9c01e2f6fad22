"""`graph.*` evidence from stored facts: registered codes, strengths, readable sentences."""

from __future__ import annotations

import pytest

from lurewatch.graph.facts import GraphFacts
from lurewatch.graph.signals import evidence_for
from lurewatch.signals import registry


def test_low_trust_only_outside_the_core_and_scaled() -> None:
    outside = GraphFacts(
        account="x",
        method="strongtie",
        trust=0.05,
        score=0.95,
        in_core=False,
        degree=4,
        weak_degree=4,
        seeds=10,
    )
    (ev,) = evidence_for(outside)
    assert ev.signal == "graph.low_trust" and ev.strength == pytest.approx(0.9)
    assert "4 of its 4 connections share no contact" in ev.explanation
    assert evidence_for(GraphFacts(account="y", score=0.0, in_core=True, seeds=10)) == []
    assert (
        evidence_for(GraphFacts(account="n", score=0.99, in_core=False, seeds=0)) == []
    )  # no seeds: no trust claim


def test_invitation_and_targeting_evidence_read_well() -> None:
    facts = GraphFacts(
        account="x",
        invitations={
            "sent": 40,
            "accepted": 4,
            "ignored": 30,
            "reported": 6,
            "acceptance": 0.12,
            "expected": 0.6,
            "shortfall": 0.8,
            "report_rate": 0.15,
            "report_prior": 0.01,
            "days": 5.0,
        },
        targeting={
            "organisation": {
                "name": "Ministry of Defence",
                "count": 12,
                "total": 20,
                "base_rate": 0.01,
                "strength": 0.55,
            }
        },
        warnings=[
            {
                "organisation": "Ministry of Defence",
                "staff": 7,
                "days": 10,
                "same_department": 5,
                "department": "Policy",
                "text": "account x has connected with 7 of your staff in 10 days, 5 of them in the same department (Policy)",
            }
        ],
    )
    evidence = {e.signal: e for e in evidence_for(facts)}
    assert set(evidence) == {
        "graph.invitations_ignored",
        "graph.invitations_reported",
        "graph.invitation_spray",
        "graph.targeting_organisation",
        "graph.staff_surge",
    }
    assert all(registry.get(code) is not None for code in evidence)
    assert all(0 <= e.strength <= 1 for e in evidence.values())
    assert evidence["graph.invitations_ignored"].explanation.startswith(
        "4 of 40 answered invitations accepted (10%)"
    )
    assert (
        "12 of the 20 people it contacted are at Ministry of Defence"
        in evidence["graph.targeting_organisation"].explanation
    )
    assert evidence["graph.staff_surge"].explanation.endswith(
        "5 of them in the same department (Policy)."
    )
