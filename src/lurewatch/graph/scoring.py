"""One entry point from a graph and seeds to per-node trust and suspicion, for every method we compare.

The CLI, the plugin and the evaluation all call `score_nodes`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lurewatch.graph.loading import Graph
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


def score_nodes(graph: Graph, seeds: np.ndarray, method: str = "strongtie") -> NodeScores:
    """Trust and suspicion for every node. `seeds` are node indices (see `trust.seed_indices`)."""
    if method in ("strongtie", "strongtie-v1"):
        legacy = method == "strongtie-v1"
        result = (
            strongtie_trust(graph, seeds, audit=0.0, free_groups=False)
            if legacy
            else strongtie_trust(graph, seeds)
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
