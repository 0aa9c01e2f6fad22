"""One entry point from a graph and seeds to per-node trust and suspicion, for every method we compare.

The CLI, the plugin and the evaluation all call `score_nodes`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lurewatch.graph.growth import Bursts, edge_time_matrix, laundering_bursts
from lurewatch.graph.invitations import invitation_log as inv_log
from lurewatch.graph.loading import Graph, TimedEdges
from lurewatch.graph.strongtie import strong_edges, strongtie_trust
from lurewatch.graph.trust import (
    personalised_pagerank,
    suspicion_from_trust,
    sybilrank,
    victim_weights,
)

METHODS: tuple[str, ...] = ("strongtie", "sybilrank", "ppr", "degree")
# For comparison only (evaluation, `graph trust --method`): the strong-tie method before the
# laundering audit, and Íntegro-style SybilRank with a structural victim cue.
EXTRA_METHODS: tuple[str, ...] = ("strongtie-v1", "integro")
ALL_METHODS: tuple[str, ...] = METHODS + EXTRA_METHODS


@dataclass(slots=True)
class NodeScores:
    method: str
    trust: np.ndarray  # higher = more trusted (method's own scale)
    score: np.ndarray  # suspicion in [0, 1], higher = more likely fake
    in_core: np.ndarray | None = None  # strongtie only: tied to a seed through shared-contact ties
    weak_degree: np.ndarray | None = None
    strong_degree: np.ndarray | None = None
    reachable: np.ndarray | None = None  # strongtie only: component holds a real seed
    fallback: bool = False  # strongtie only: too few shared-contact ties, ranked by SybilRank
    growth: np.ndarray | None = None  # laundering-burst score per node (with edge times)
    invitations: np.ndarray | None = None  # invitation-response suspicion (with invitations)


GROWTH_WEIGHT = 0.3  # laundering-burst score added to suspicion (chosen on ca-HepTh/ca-GrQc draws)


def score_nodes(
    graph: Graph,
    seeds: np.ndarray,
    method: str = "strongtie",
    *,
    edge_times: TimedEdges | None = None,
    invitations: list[tuple[str, str, str]] | None = None,
) -> NodeScores:
    """Trust and suspicion for every node. `seeds` are node indices (see `trust.seed_indices`).

    Optional context: `edge_times` (when each edge appeared) adds the growth signal — laundering
    bursts lose their shared-contact trust (strong-tie) and add `GROWTH_WEIGHT` × their score to
    suspicion; `invitations` ((inviter, invitee, edge type) triples) averages the
    invitation-response suspicion in where an account's invitations were answered.
    """
    bursts = None
    if edge_times is not None:
        bursts = laundering_bursts(
            graph, edge_time_matrix(graph, edge_times.src, edge_times.dst, edge_times.at)
        )
    scores = _structural(graph, seeds, method, bursts)
    if bursts is not None:
        scores.growth = bursts.score
        scores.score = np.clip(scores.score + GROWTH_WEIGHT * bursts.score, 0.0, 1.0)
    if invitations is not None:
        from lurewatch.graph.analysis import combined_suspicion
        from lurewatch.graph.invitations import score_all

        log = inv_log(invitations)
        invite = np.zeros(graph.n)
        answered = np.zeros(graph.n, dtype=bool)
        for node, result in score_all(log).items():
            i = graph.index.get(node)
            if i is not None:
                invite[i] = result.suspicion
                answered[i] = log[node].answered > 0
        scores.invitations = invite
        scores.score = combined_suspicion(scores.score, invite, answered)
    return scores


def _structural(
    graph: Graph, seeds: np.ndarray, method: str, bursts: Bursts | None = None
) -> NodeScores:
    if method in ("strongtie", "strongtie-v1"):
        legacy = method == "strongtie-v1"
        suspect = None if bursts is None else (bursts.suspect_src, bursts.suspect_dst)
        result = (
            strongtie_trust(
                graph, seeds, audit=0.0, free_groups=False, audit_offset=None, suspect=suspect
            )
            if legacy
            else strongtie_trust(graph, seeds, suspect=suspect)
        )
        key = result.ranking_key()
        # key ≤ 1 + 1e-6 (core trust 1 plus the SybilRank tie-break): scale, not clip, so the
        # tie-break survives inside the core (clipping made every core member score 0).
        return NodeScores(
            method,
            trust=result.trust,
            score=np.clip(1.0 - key / (1.0 + 1e-6), 0.0, 1.0),
            in_core=result.in_core,
            weak_degree=result.weak_degree,
            strong_degree=result.strong_degree,
            reachable=result.reachable,
            fallback=result.fallback,
        )
    if method == "sybilrank":
        trust = sybilrank(graph, seeds).trust
    elif method == "ppr":
        trust = personalised_pagerank(graph, seeds)
    elif method == "integro":
        trust = integro_structural(graph, seeds)
    elif method == "degree":
        trust = graph.degree()  # the naive baseline: more connections, more trusted
    else:
        raise ValueError(
            f"The 'method' parameter must be one of {ALL_METHODS}. Got {method!r} instead."
        )
    return NodeScores(method, trust=trust, score=suspicion_from_trust(trust))


def integro_structural(graph: Graph, seeds: np.ndarray) -> np.ndarray:
    """Íntegro-style baseline without account features: SybilRank on edges down-weighted at likely victims.

    Íntegro predicts victims from account features; a bare graph has none, so the victim cue here
    is structural — the share of a member's ties that share no contact beyond chance (people who
    accept strangers collect such ties). Nothing is learned, so nothing is fitted to the attack.
    """
    strong, _core = strong_edges(graph.adj)
    degree = graph.degree()
    bare = degree - np.diff(strong.indptr)
    p = np.zeros(graph.n)
    np.divide(bare, degree, out=p, where=degree > 0)
    return sybilrank(graph, seeds, weights=victim_weights(graph, p)).trust
