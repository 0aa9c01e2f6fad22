"""How an account's contacts grew: the time signal of credibility laundering.

A cover profile's region is built first (its fake contacts), then it is walked into an
organisation: in a few days it gains a burst of contacts who know each other (colleagues that
accepted because they already shared contacts with it) and who know none of its earlier
contacts. Honest accounts rarely look like that: a newcomer's contacts all arrive in the burst
(nothing earlier to be separate from), and an established member who changes jobs is not young.

`laundering_bursts` finds, per node, the busiest `window_days` window of new edges and scores it:
share of the node's contacts gained in it (a third or more counts fully), times how tightly the
burst contacts know each other, times how separate they are from its other contacts, times
youth (first edge within `young_days` of the newest edge in the data). The burst's edges are
returned too: `strongtie_trust(suspect=…)` stops them from carrying trust as shared-contact ties.
Pure: arrays in, arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lurewatch.graph.loading import Graph


@dataclass(slots=True)
class Bursts:
    score: np.ndarray  # per node, in [0, 1]: how much its growth looks like laundering
    burst: np.ndarray  # per node: contacts gained in its busiest window
    suspect_src: np.ndarray  # node index of each suspect edge (the flagged nodes' burst edges)
    suspect_dst: np.ndarray


def edge_time_matrix(
    graph: Graph, src: np.ndarray, dst: np.ndarray, at: np.ndarray
) -> sp.csr_matrix:
    """Symmetric CSR with each timed edge's time + 1 (0 = unknown); the earliest time wins on repeats."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    at = np.asarray(at, dtype=np.float64)
    keep = (src != dst) & np.isfinite(at)
    src, dst, at = src[keep], dst[keep], at[keep]
    base = at.min() if len(at) else 0.0
    val = at - base + 1.0
    rows = np.concatenate([src, dst])
    cols = np.concatenate([dst, src])
    vals = np.concatenate([val, val])
    order = np.lexsort((vals, cols, rows))  # earliest first per (row, col)
    rows, cols, vals = rows[order], cols[order], vals[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
    m = sp.csr_matrix((vals[first], (rows[first], cols[first])), shape=(graph.n, graph.n))
    m.sort_indices()
    return m


def laundering_bursts(
    graph: Graph,
    times: sp.csr_matrix,
    *,
    window_days: float = 10.0,
    young_days: float = 365.0,
    min_burst: int = 3,
    share: float = 1 / 3,
    threshold: float = 0.5,
) -> Bursts:
    """Per-node laundering-burst score (see the module docstring); `times` from `edge_time_matrix` (days)."""
    n = graph.n
    times = times.tocsr()
    indptr = times.indptr
    deg = np.diff(indptr)
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    t = times.data
    order = np.lexsort((t, rows))
    rows_s, t_s, cols_s = rows[order], t[order], times.indices[order]
    span = float(t.max() - t.min() + window_days + 1) if len(t) else 1.0
    key = rows_s * span + t_s
    # edges gained within window_days from each edge, same node (keys are sorted per node, then time)
    count = np.searchsorted(key, key + window_days, side="right") - np.arange(len(key))
    starts = indptr[:-1]
    best = np.zeros(n, dtype=np.int64)
    if len(count):
        has = deg > 0
        best[has] = np.maximum.reduceat(count, starts[has])
        # first position reaching the maximum, per node
    newest = float(t.max()) if len(t) else 0.0
    first_edge = np.full(n, np.inf)
    if len(t):
        first_edge[deg > 0] = t_s[starts[deg > 0]]
    # full youth for accounts younger than half of `young_days`, none beyond `young_days`
    youth = np.clip(2.0 * (1.0 - (newest - first_edge) / young_days), 0.0, 1.0)
    degree = graph.degree()
    frac = np.zeros(n)
    np.divide(best, degree, out=frac, where=degree > 0)
    score = np.zeros(n)
    s_src: list[np.ndarray] = []
    s_dst: list[np.ndarray] = []
    adj = graph.adj
    candidates = np.flatnonzero((best >= min_burst) & (frac >= share / 2) & (youth > 0))
    for u in candidates.tolist():
        lo, hi = int(starts[u]), int(starts[u] + deg[u])
        nbrs = adj.indices[adj.indptr[u] : adj.indptr[u + 1]]
        top, top_burst = 0.0, None
        seen: set[bytes] = set()
        # Every window of `window_days` with enough new contacts, latest last: the fake region's
        # own creation can be a burst too; the laundering step is the newest one.
        for p in range(lo, hi):
            k = int(count[p])
            if k < min_burst or (p > lo and t_s[p] == t_s[p - 1]):
                continue  # windows start at a time, not inside a group of equal times
            burst = np.sort(cols_s[p : p + k])
            sig = burst.tobytes()
            if sig in seen:
                continue
            seen.add(sig)
            value = _burst_value(adj, nbrs, burst, k / degree[u], share) * youth[u]
            if value > top + 1e-9 or (
                value >= top - 1e-9
                and top_burst is not None
                and not np.isin(burst, top_burst).all()
            ):
                top, top_burst = value, burst  # the strongest; on a tie the newest, not a tail
        if top < threshold:
            top_burst = None
        score[u] = top
        if top_burst is not None:
            s_src.append(np.full(len(top_burst), u, dtype=np.int64))
            s_dst.append(top_burst.astype(np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return Bursts(
        score=score,
        burst=best,
        suspect_src=np.concatenate(s_src) if s_src else empty,
        suspect_dst=np.concatenate(s_dst) if s_dst else empty,
    )


def _burst_value(
    adj: sp.csr_matrix, nbrs: np.ndarray, burst: np.ndarray, frac: float, share: float
) -> float:
    """Share of contacts gained (a third = full) × burst contacts knowing each other × separation from the rest."""
    rest = np.setdiff1d(nbrs, burst)
    if len(rest) == 0:
        return 0.0  # a newcomer: everything arrived at once, nothing to be separate from
    tight = float(np.mean(np.asarray(adj[burst][:, burst].sum(axis=1)).ravel() > 0))
    cross = float(np.mean(np.asarray(adj[rest][:, burst].sum(axis=1)).ravel() > 0))
    return min(1.0, frac / share) * tight * (1.0 - cross)
