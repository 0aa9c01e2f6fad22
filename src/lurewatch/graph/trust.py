"""SybilRank-family trust propagation: early-terminated power iteration from trusted seeds.

SybilRank (Cao et al., NSDI 2012): put the total trust on the seeds, spread it along edges for
O(log n) steps (each node splits its trust evenly over its edges), then rank by trust / degree.
Stopping early is the point: trust has filled the well-connected honest region but has not yet
leaked through the few attack edges into a fake region. Dividing by degree removes the bias
towards hubs, so a fake with many edges gains nothing from them.

Íntegro (Boshmaf et al., NDSS 2015) runs the same walk on weighted edges, with edges touching
likely *victims* (members who accept strangers) down-weighted, so less trust crosses attack edges.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lurewatch.graph.loading import Graph


@dataclass(slots=True)
class TrustResult:
    """Per-node trust (degree-normalised, as SybilRank ranks) and the number of steps run."""

    trust: np.ndarray  # trust / degree; 0 for nodes no trust reached
    raw: np.ndarray  # trust mass per node after the last step (sums to `total`)
    iterations: int
    seeds: np.ndarray  # seed node indices used

    def suspicion(self) -> np.ndarray:
        return suspicion_from_trust(self.trust)


def default_iterations(n: int) -> int:
    """SybilRank's early termination: ceil(log2 n) steps."""
    return max(1, math.ceil(math.log2(max(n, 2))))


def seed_indices(graph: Graph, seeds: Iterable[str | int]) -> tuple[np.ndarray, list[str]]:
    """Seed ids to node indices; returns (indices, ids not in the graph)."""
    found: list[int] = []
    missing: list[str] = []
    for s in seeds:
        i = graph.index.get(str(s)) if not isinstance(s, int | np.integer) else int(s)
        if i is None:
            missing.append(str(s))
        else:
            found.append(i)
    return np.unique(np.array(found, dtype=np.int64)), missing


def propagate(
    adj: sp.csr_matrix,
    seeds: np.ndarray,
    iterations: int,
    total: float = 1.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Power iteration t <- A · (t / d): each node splits its trust over its (weighted) edges.

    One sparse matrix-vector product and one element-wise product per step; nothing else, so it
    runs within a small factor of raw SpMV. Nodes without edges keep nothing (they have no one to pass to).
    """
    n = adj.shape[0]
    degree = np.asarray(adj.sum(axis=1)).ravel()
    inv = np.zeros(n, dtype=np.float64)
    np.divide(1.0, degree, out=inv, where=degree > 0)
    trust = np.zeros(n, dtype=np.float64) if out is None else out
    trust[:] = 0.0
    if len(seeds):
        trust[seeds] = total / len(seeds)
    scratch = np.empty(n, dtype=np.float64)
    for _ in range(iterations):
        np.multiply(trust, inv, out=scratch)
        trust = adj @ scratch
    return trust


def sybilrank(
    graph: Graph,
    seeds: np.ndarray,
    iterations: int | None = None,
    weights: sp.csr_matrix | None = None,
) -> TrustResult:
    """SybilRank as published (or Íntegro when `weights` is a re-weighted adjacency)."""
    adj = graph.adj if weights is None else weights
    steps = default_iterations(graph.n) if iterations is None else iterations
    total = float(graph.n)  # total trust = n keeps per-node values readable (~1 for a typical node)
    raw = propagate(adj, seeds, steps, total=total)
    degree = np.asarray(adj.sum(axis=1)).ravel()
    trust = np.zeros_like(raw)
    np.divide(raw, degree, out=trust, where=degree > 0)
    return TrustResult(trust=trust, raw=raw, iterations=steps, seeds=seeds)


def personalised_pagerank(
    graph: Graph, seeds: np.ndarray, alpha: float = 0.15, tol: float = 1e-8, max_iter: int = 200
) -> np.ndarray:
    """Personalised PageRank from the seeds (restart probability `alpha`), degree-normalised.

    The converged walk, for comparison: without early termination trust ends up spread by degree.
    """
    n = graph.n
    degree = graph.degree()
    inv = np.zeros(n)
    np.divide(1.0, degree, out=inv, where=degree > 0)
    restart = np.zeros(n)
    if len(seeds):
        restart[seeds] = 1.0 / len(seeds)
    rank = restart.copy()
    for _ in range(max_iter):
        nxt = (1 - alpha) * (graph.adj @ (rank * inv)) + alpha * restart
        if np.abs(nxt - rank).sum() < tol:
            rank = nxt
            break
        rank = nxt
    out = np.zeros(n)
    np.divide(rank, degree, out=out, where=degree > 0)
    return out


def victim_weights(
    graph: Graph, victim_prob: np.ndarray, beta: float = 2.0, floor: float = 0.01
) -> sp.csr_matrix:
    """Íntegro's edge weights: w(u, v) = min(1, beta · (1 − max(p_u, p_v))), floored above zero.

    An edge touching a likely victim (someone who accepts strangers) carries less trust, so trust
    crossing attack edges — which by definition end at victims — is throttled.
    """
    coo = graph.adj.tocoo()
    p = np.clip(np.asarray(victim_prob, dtype=np.float64), 0.0, 1.0)
    w = np.minimum(1.0, beta * (1.0 - np.maximum(p[coo.row], p[coo.col])))
    w = np.maximum(w, floor)
    return sp.csr_matrix((w, (coo.row, coo.col)), shape=graph.adj.shape)


def suspicion_from_trust(trust: np.ndarray) -> np.ndarray:
    """Maps trust to a suspicion in [0, 1] by rank: the least-trusted node scores 1, the most trusted 0.

    Ranks, not raw values, because trust spans orders of magnitude and only its order is meaningful
    (SybilRank itself is a ranking). Ties share their average rank; nodes trust never reached score 1.
    """
    n = len(trust)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.array([0.5])
    ranks = average_ranks(trust)  # 1 = least trusted
    return (n - ranks) / (n - 1)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their average rank (scipy.stats.rankdata 'average', without its import cost)."""
    values = np.asarray(values)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + 1 + ends) / 2.0)[inverse]
