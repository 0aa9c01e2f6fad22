"""The whole graph analysis over a batch of records: trust, invitation responses, targeting, warnings.

Pure (records in, `GraphFacts` out); the plugin feeds it from the store and writes the results back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from lurewatch.graph import invitations as inv
from lurewatch.graph.facts import GraphFacts
from lurewatch.graph.laundering import laundering_path
from lurewatch.graph.loading import Graph, TimedEdges, from_pairs
from lurewatch.graph.scoring import score_nodes
from lurewatch.graph.targeting import (
    Contact,
    EarlyWarning,
    Population,
    concentration_strength,
    early_warnings,
    org_key,
    profile_targets,
)
from lurewatch.graph.trust import seed_indices
from lurewatch.records import Account, Edge, Message

CONNECTING = {"connection", "invitation_accepted"}
OUTCOME = {
    "invitation_accepted": "accepted",
    "invitation_ignored": "ignored",
    "invitation_reported": "reported",
    "connection": "connected",
}
MIN_TARGETS = 3  # fewer recipients say nothing about concentration


@dataclass(slots=True)
class StaffList:
    """An organisation's own staff (account id → department or None): seeds and early-warning scope."""

    organisation: str
    members: dict[str, str | None] = field(default_factory=dict)


@dataclass(slots=True)
class GraphAnalysis:
    facts: dict[str, GraphFacts]
    warnings: list[EarlyWarning]
    nodes: int
    edges: int
    seeds: int
    method: str


def contacts_by_sender(
    edges: Iterable[Edge], messages: Iterable[Message] = ()
) -> dict[str, list[Contact]]:
    """Each account's outreach: invitations (with their answer), connections both ways, messages sent."""
    out: dict[str, list[Contact]] = defaultdict(list)
    for e in edges:
        if e.type.startswith("invitation"):
            out[e.src].append(Contact(e.dst, e.at, OUTCOME.get(e.type)))
        elif e.type == "connection":
            out[e.src].append(Contact(e.dst, e.at, "connected"))
            out[e.dst].append(Contact(e.src, e.at, "connected"))
    for m in messages:
        if m.sender:
            for r in m.recipients:
                out[m.sender].append(Contact(r, m.sent_at, None))
    return dict(out)


def analyze(
    accounts: Iterable[Account],
    edges: Iterable[Edge],
    messages: Iterable[Message] = (),
    *,
    staff: StaffList | None = None,
    method: str = "strongtie",
    window_days: int = 10,
    min_staff: int = 5,
) -> GraphAnalysis:
    """Trust from verified accounts (and the staff list), invitation-response scores, targeting, warnings."""
    accounts = list(accounts)
    edges = list(edges)
    by_id: dict[str, Account] = {a.id: a for a in accounts}
    graph = from_pairs(((e.src, e.dst) for e in edges if e.type in CONNECTING), extra_nodes=by_id)
    seed_ids = [a.id for a in accounts if a.verified] + (list(staff.members) if staff else [])
    seeds, _missing = seed_indices(graph, seed_ids)
    scores = score_nodes(graph, seeds, method, edge_times=_edge_times(graph, edges))
    degree = graph.degree()

    stats = inv.invitation_log((e.src, e.dst, e.type) for e in edges)
    accept_prior, report_prior = inv.global_rates(stats)
    contacts = contacts_by_sender(edges, messages)
    population = Population.from_accounts(accounts)

    facts: dict[str, GraphFacts] = {}
    for node, i in graph.index.items():
        facts[node] = GraphFacts(
            account=node,
            method=method,
            trust=float(scores.trust[i]),
            score=float(scores.score[i]) if len(seeds) else None,
            in_core=bool(scores.in_core[i]) if scores.in_core is not None else None,
            degree=int(degree[i]),
            weak_degree=int(scores.weak_degree[i]) if scores.weak_degree is not None else 0,
            seeds=int(len(seeds)),
            growth=round(float(scores.growth[i]), 4) if scores.growth is not None else None,
        )
    for node, s in stats.items():
        f = facts.setdefault(node, GraphFacts(account=node, method=method, seeds=int(len(seeds))))
        result = inv.score_invitations(s, accept_prior, report_prior)
        times = sorted(
            c.at for c in contacts.get(node, []) if c.at is not None and c.outcome != "connected"
        )
        f.invitations = {
            "sent": s.sent,
            "accepted": s.accepted,
            "ignored": s.ignored,
            "reported": s.reported,
            "acceptance": round(result.acceptance, 4),
            "expected": round(result.expected, 4),
            "shortfall": round(result.shortfall, 4),
            "report_rate": round(result.report_rate, 4),
            "report_prior": round(report_prior, 4),
            "suspicion": round(result.suspicion, 4),
            "days": round((times[-1] - times[0]).total_seconds() / 86400, 2)
            if len(times) > 1
            else None,
        }
    for node, items in contacts.items():
        if len({c.recipient for c in items}) < MIN_TARGETS:
            continue
        profile = profile_targets(items, by_id, population)
        targeting: dict[str, object] = {}
        for key in ("organisation", "sector", "clearance"):
            c = getattr(profile, key)
            strength = concentration_strength(c)
            if c is not None and strength > 0:
                targeting[key] = {
                    "name": c.name,
                    "count": c.count,
                    "total": c.total,
                    "base_rate": round(c.base_rate, 4),
                    "strength": round(strength, 4),
                }
        if profile.acceptance is not None:
            targeting["acceptance"] = round(profile.acceptance, 4)
        if targeting:
            facts.setdefault(
                node, GraphFacts(account=node, method=method, seeds=int(len(seeds)))
            ).targeting = targeting

    scoped = _warnings(accounts, contacts, staff, window_days, min_staff)
    warnings = [w for w, _members in scoped]

    def label(account: str) -> str:
        a = by_id.get(account)
        return a.name if a is not None and a.name else account

    def knows(member: str) -> list[str]:
        i = graph.index.get(member)
        return [] if i is None else [graph.ids[j] for j in graph.neighbours(i)]

    for w, members in scoped:
        f = facts.setdefault(
            w.account, GraphFacts(account=w.account, method=method, seeds=int(len(seeds)))
        )
        text = w.sentence(label(w.account))
        path = laundering_path(w.account, contacts.get(w.account, []), members, knows)
        if path is not None:
            text += ". " + path.sentence(label)
        f.warnings.append(
            {
                "organisation": w.organisation,
                "staff": w.staff,
                "days": w.days,
                "same_department": w.same_department,
                "department": w.department,
                "first": w.first.isoformat(),
                "last": w.last.isoformat(),
                "text": text,
                "path": None if path is None else path.to_dict(),
            }
        )
    return GraphAnalysis(
        facts=facts,
        warnings=warnings,
        nodes=graph.n,
        edges=graph.m,
        seeds=int(len(seeds)),
        method=method,
    )


def _warnings(
    accounts: list[Account],
    contacts: Mapping[str, list[Contact]],
    staff: StaffList | None,
    window_days: int,
    min_staff: int,
) -> list[tuple[EarlyWarning, Mapping[str, str | None]]]:
    """Early warnings for the staff list's organisation, or else for every organisation in the
    accounts; each with the members (id → department) it was computed over."""
    if staff is not None:
        return [
            (w, staff.members)
            for w in early_warnings(
                staff.organisation,
                staff.members,
                contacts,
                window_days=window_days,
                min_staff=min_staff,
            )
        ]
    orgs: dict[str, dict[str, str | None]] = defaultdict(dict)
    names: dict[str, str] = {}
    for a in accounts:
        key = org_key(a.company)
        if key:
            orgs[key][a.id] = None
            names.setdefault(key, a.company or key)
    out: list[tuple[EarlyWarning, Mapping[str, str | None]]] = []
    for key, members in orgs.items():
        if len(members) >= min_staff:
            out.extend(
                (w, members)
                for w in early_warnings(
                    names[key], members, contacts, window_days=window_days, min_staff=min_staff
                )
            )
    return sorted(out, key=lambda wm: (-wm[0].staff, wm[0].account))


def _edge_times(graph: Graph, edges: list[Edge]) -> TimedEdges | None:
    """When each connection appeared (days), for the growth signal; None when no edge has a time."""
    timed = [e for e in edges if e.type in CONNECTING and e.at is not None]
    if not timed:
        return None
    return TimedEdges(
        np.array([graph.index[e.src] for e in timed], dtype=np.int64),
        np.array([graph.index[e.dst] for e in timed], dtype=np.int64),
        np.array([e.at.timestamp() / 86400.0 for e in timed if e.at], dtype=np.float64),
    )


def combined_suspicion(
    structural: np.ndarray, invitation: np.ndarray, answered: np.ndarray | None = None
) -> np.ndarray:
    """Mean of structural and invitation-response suspicion where invitations were answered, else structural.

    The mean, not a noisy-OR: an honest newcomer with weak ties (structural ~0.7) whose invitations
    are accepted should come out *less* suspect than a sprayer with the same ties (chosen on ca-GrQc).
    """
    s = np.clip(structural, 0, 1)
    i = np.clip(invitation, 0, 1)
    both = (s + i) / 2
    return both if answered is None else np.where(answered, both, s)
