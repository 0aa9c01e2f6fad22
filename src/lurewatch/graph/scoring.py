"""One entry point from a graph and seeds to per-node trust and suspicion, for every method we compare.

The CLI, the plugin and the evaluation all call `score_nodes`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lurewatch.graph.loading import Graph
from lurewatch.graph.strongtie import strongtie_trust
from lurewatch.graph.trust import personalised_pagerank, suspicion_from_trust, sybilrank

METHODS: tuple[str, ...] = ("strongtie", "sybilrank", "ppr", "degree")


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
    if method == "strongtie":
        result = strongtie_trust(graph, seeds)
        key = result.ranking_key()
        return NodeScores(
            method,
            trust=result.trust,
            score=np.clip(1.0 - key, 0.0, 1.0),
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
    elif method == "degree":
        trust = graph.degree()  # the naive baseline: more connections, more trusted
    else:
        raise ValueError(
            f"The 'method' parameter must be one of {METHODS}. Got {method!r} instead."
        )
    return NodeScores(method, trust=trust, score=suspicion_from_trust(trust))
