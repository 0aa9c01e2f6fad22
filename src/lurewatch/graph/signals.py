"""`graph.*` evidence: the connection graph's findings about an account, in words an analyst reads.

Pure: `evidence_for(facts)` turns stored `GraphFacts` into `Evidence`; `make_detector(lookup)`
binds it to whatever holds the facts (the plugin passes a store-backed lookup).
"""

from __future__ import annotations

from collections.abc import Callable

from lurewatch.evidence import Evidence
from lurewatch.graph.facts import GraphFacts
from lurewatch.signals.registry import SignalSpec, register
from lurewatch.signals.views import AccountView

register(
    SignalSpec(
        "graph.low_trust",
        ("account",),
        "Few ties to trusted members that share contacts with them: the account sits outside the trusted network, reached mostly through ties with no mutual contact (strong-tie trust propagation from verified seeds).",
        0.45,
    ),
    SignalSpec(
        "graph.invitations_ignored",
        ("account",),
        "The account's invitations are accepted far less often than the same recipients accept others' invitations (SybilEdge-style, smoothed).",
        0.5,
    ),
    SignalSpec(
        "graph.invitations_reported",
        ("account",),
        "Recipients reported the account's invitations more often than usual on the network.",
        0.6,
    ),
    SignalSpec(
        "graph.invitation_spray",
        ("account",),
        "The account sent many invitations in a short time, most of them to people who do not know it.",
        0.3,
    ),
    SignalSpec(
        "graph.targeting_organisation",
        ("account",),
        "Invitations and messages concentrate on one organisation far beyond its share of members.",
        0.4,
    ),
    SignalSpec(
        "graph.targeting_sector",
        ("account",),
        "Invitations and messages concentrate on one sensitive sector (health, computing, nuclear, nanotechnology, telecoms, defence, government).",
        0.3,
    ),
    SignalSpec(
        "graph.targeting_clearance",
        ("account",),
        "Invitations and messages reach members who state a security clearance, beyond their share of members.",
        0.45,
    ),
    SignalSpec(
        "graph.staff_surge",
        ("account",),
        "Early warning: the account connected with many staff of one organisation within days, often in one department.",
        0.5,
    ),
)

SPRAY_MIN = 20  # invitations: fewer is ordinary networking


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def evidence_for(facts: GraphFacts) -> list[Evidence]:
    """All graph evidence for one account; nothing when the graph knows nothing about it."""
    out: list[Evidence] = []
    out.extend(_trust(facts))
    out.extend(_invitations(facts))
    out.extend(_targeting(facts))
    for w in facts.warnings:
        staff = int(w.get("staff", 0))
        strength = min(1.0, 0.4 + 0.06 * staff + 0.05 * int(w.get("same_department", 0)))
        out.append(
            Evidence(
                "graph.staff_surge",
                strength,
                f"Early warning for {w.get('organisation')}: {w.get('text')}.",
                values=dict(w),
            )
        )
    return out


def _trust(f: GraphFacts) -> list[Evidence]:
    if f.score is None or f.seeds == 0 or f.in_core:
        return []
    # Half the members of a real network sit outside the core with trust around gamma_weak (0.3):
    # only trust below one half counts, scaled so an unreachable account is full strength.
    strength = min(1.0, max(0.0, (f.score - 0.5) * 2))
    if strength <= 0:
        return []
    strong = f.degree - f.weak_degree
    if f.degree == 0:
        text = "No connections in the graph: nothing ties this account to trusted members."
    else:
        text = (
            f"Not tied to the trusted network through shared contacts: {f.weak_degree} of its {f.degree} "
            f"connections share no contact with it beyond chance; trust {f.trust:.2f} (1 = tied to a verified member)."
        )
    values = {
        "trust": round(f.trust or 0.0, 4),
        "score": round(f.score, 4),
        "degree": f.degree,
        "strong_ties": strong,
        "method": f.method,
    }
    return [Evidence("graph.low_trust", float(strength), text, values=values)]


def _invitations(f: GraphFacts) -> list[Evidence]:
    inv = f.invitations
    answered = (
        int(inv.get("accepted", 0)) + int(inv.get("ignored", 0)) + int(inv.get("reported", 0))
    )
    if not answered:
        return []
    out: list[Evidence] = []
    shortfall = float(inv.get("shortfall", 0.0))
    if shortfall > 0.05:
        out.append(
            Evidence(
                "graph.invitations_ignored",
                min(1.0, shortfall),
                f"{inv.get('accepted', 0)} of {answered} answered invitations accepted ({_pct(inv.get('accepted', 0) / answered)}); "
                f"the same recipients accept about {_pct(float(inv.get('expected', 0.0)))} of invitations they get.",
                values={
                    k: inv[k]
                    for k in ("sent", "accepted", "ignored", "reported", "acceptance", "expected")
                    if k in inv
                },
            )
        )
    reported = int(inv.get("reported", 0))
    excess = float(inv.get("report_rate", 0.0)) - float(inv.get("report_prior", 0.0))
    if reported and excess > 0:
        out.append(
            Evidence(
                "graph.invitations_reported",
                min(1.0, excess / 0.10),
                f"{reported} of {answered} recipients reported its invitation (network rate {_pct(float(inv.get('report_prior', 0.0)))}).",
                values={"reported": reported, "answered": answered},
            )
        )
    sent = int(inv.get("sent", 0))
    days = inv.get("days")
    if sent >= SPRAY_MIN:
        per_day = sent / max(1.0, float(days)) if days is not None else None
        rate = f" over {days:.0f} days" if days is not None else ""
        strength = min(1.0, sent / 100) if per_day is None else min(1.0, 0.3 + per_day / 20)
        out.append(
            Evidence(
                "graph.invitation_spray",
                strength,
                f"Sent {sent} invitations{rate}.",
                values={"sent": sent, "days": days},
            )
        )
    return out


def _targeting(f: GraphFacts) -> list[Evidence]:
    out: list[Evidence] = []
    for key, code, noun in (
        ("organisation", "graph.targeting_organisation", "at {name}"),
        ("sector", "graph.targeting_sector", "in the {name} sector"),
        ("clearance", "graph.targeting_clearance", "who state a security clearance"),
    ):
        c = f.targeting.get(key)
        if not c or float(c.get("strength", 0.0)) <= 0:
            continue
        where = noun.format(name=c.get("name"))
        text = (
            f"{c['count']} of the {c['total']} people it contacted are {where} "
            f"({_pct(c['count'] / max(1, c['total']))}, against {_pct(float(c.get('base_rate', 0.0)))} of all members)."
        )
        out.append(Evidence(code, float(c["strength"]), text, values=dict(c)))
    return out


def make_detector(
    lookup: Callable[[str], GraphFacts | None],
) -> Callable[[AccountView], list[Evidence]]:
    """An account detector reading precomputed facts (none → no graph evidence)."""

    def detect_graph(view: AccountView) -> list[Evidence]:
        facts = lookup(view.account.id)
        return evidence_for(facts) if facts is not None else []

    return detect_graph
