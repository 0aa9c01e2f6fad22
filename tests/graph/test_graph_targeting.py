"""Targeting concentration, sectors, clearance, early-warning wording, invitation responses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lurewatch.graph import invitations as inv
from lurewatch.graph.targeting import (
    Contact,
    Population,
    concentration_strength,
    early_warnings,
    holds_clearance,
    org_key,
    profile_targets,
    sectors_of,
    summarize_targets,
)
from lurewatch.records import Account

T0 = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("company", "headline", "expected"),
    [
        ("Ministry of Defence", "Policy adviser", {"defence", "government"}),
        ("CEA", "Ingénieur nucléaire", {"nuclear"}),
        ("Deutsche Telekom", "Netzwerkplaner", {"telecoms"}),
        ("NanoFab Labs", "Process engineer", {"nanotechnology"}),
        ("St Mary's Hospital", "Nurse", {"health"}),
        ("Acme Software", "Developer", {"computing"}),
        ("Bakery Smith", "Baker", set()),
    ],
)
def test_sector_keyword_map(company: str, headline: str, expected: set[str]) -> None:
    assert sectors_of(Account(id="x", company=company, headline=headline)) == expected


def test_clearance_and_org_key() -> None:
    assert holds_clearance(Account(id="x", headline="Systems engineer | SC cleared"))
    assert holds_clearance(Account(id="x", about="Active TS/SCI clearance"))
    assert not holds_clearance(Account(id="x", headline="Clear thinker"))
    assert org_key("Thales Group S.A.") == org_key("thales") == "thales"


def _population(n_other: int = 95) -> tuple[dict[str, Account], Population]:
    accounts = {
        f"m{i}": Account(id=f"m{i}", company="Ministry of Foreign Affairs", headline="Diplomat")
        for i in range(5)
    }
    accounts.update(
        {
            f"o{i}": Account(id=f"o{i}", company=f"Shop {i}", headline="Retail")
            for i in range(n_other)
        }
    )
    return accounts, Population.from_accounts(accounts.values())


def test_concentration_on_one_organisation_beyond_its_share() -> None:
    accounts, population = _population()
    focused = [Contact(f"m{i}", T0) for i in range(5)] + [Contact("o1", T0)]
    spread = [Contact(f"o{i}", T0) for i in range(6)]
    p_focused = profile_targets(focused, accounts, population)
    p_spread = profile_targets(spread, accounts, population)
    assert p_focused.organisation is not None and p_focused.organisation.count == 5
    assert concentration_strength(p_focused.organisation) > 0.5
    assert concentration_strength(p_spread.organisation) == 0.0  # one per shop: no concentration
    assert p_focused.sector is not None and p_focused.sector.name == "government"
    # two contacts are not a pattern yet
    assert (
        concentration_strength(profile_targets(focused[:2], accounts, population).organisation)
        == 0.0
    )


def test_early_warning_wording_and_window() -> None:
    staff = {f"s{i}": ("Research" if i < 5 else "Finance") for i in range(9)}
    staff["s8"] = None
    contacts = {
        "X": [
            Contact(f"s{i}", T0 + timedelta(days=i)) for i in range(7)
        ],  # 7 staff in 7 days, 5 in Research
        "slow": [
            Contact(f"s{i}", T0 + timedelta(days=5 * i)) for i in range(7)
        ],  # spread over a month
        "s1": [Contact(f"s{i}", T0) for i in range(7)],  # staff talking to staff: not a warning
    }
    warnings = early_warnings("Acme Labs", staff, contacts, window_days=10, min_staff=5)
    assert [w.account for w in warnings] == ["X"]
    assert (
        warnings[0].sentence()
        == "account X has connected with 7 of your staff in 10 days, 5 of them in the same department (Research)"
    )
    assert (
        warnings[0]
        .sentence("Rachel Li")
        .startswith("account Rachel Li has connected with 7 of your staff")
    )


def test_early_warning_without_departments_omits_the_clause() -> None:
    staff = dict.fromkeys(f"s{i}" for i in range(6))
    contacts = {"X": [Contact(f"s{i}", T0 + timedelta(hours=i)) for i in range(6)]}
    (warning,) = early_warnings("Acme", staff, contacts, min_staff=5)
    assert warning.sentence() == "account X has connected with 6 of your staff in 10 days"


def test_summarize_targets_for_a_campaign() -> None:
    accounts, _ = _population()
    contacts = {
        "f1": [Contact("m0", T0, "accepted"), Contact("m1", T0, "ignored")],
        "f2": [Contact("m1", T0, "ignored")],
    }
    summary = summarize_targets(["f1", "f2"], contacts, accounts)
    assert summary["recipients"] == 2 and summary["acceptance"] == pytest.approx(1 / 3, abs=1e-3)
    assert summary["organisations"][0] == ("Ministry of Foreign Affairs", 2)


def _log(sender: str, outcomes: list[str], start: int = 0) -> list[tuple[str, str, str]]:
    return [(sender, f"r{start + i}", f"invitation_{o}") for i, o in enumerate(outcomes)]


def test_invitation_response_smoothing_and_recipient_habits() -> None:
    honest = [e for k in range(20) for e in _log(f"h{k}", ["accepted"] * 4 + ["ignored"], start=k)]
    sprayer = _log("fake", ["ignored"] * 18 + ["accepted"] * 2 + ["reported"] * 2)
    one_ignore = _log("new", ["ignored"])
    scores = inv.score_all(inv.invitation_log(honest + sprayer + one_ignore))
    assert scores["fake"].suspicion > 0.7
    assert scores["new"].suspicion < scores["fake"].suspicion  # one ignore is weak evidence
    assert 0 < scores["new"].suspicion < 0.5
    assert max(scores[f"h{k}"].suspicion for k in range(20)) < 0.2


def test_victim_probabilities_follow_acceptance_of_invitations() -> None:
    edges = _log("a", ["accepted"] * 5) + [(f"x{i}", "r0", "invitation_accepted") for i in range(6)]
    edges += [(f"y{i}", "picky", "invitation_ignored") for i in range(6)]
    probs = inv.victim_probabilities(edges)
    assert probs["r0"] > probs["picky"]
