"""Strong-tie trust: our method. Trust travels freely along triangle-backed ties and pays a toll on bare edges.

Why: a random attack edge joins a fake to a stranger, so it almost never closes a triangle — the
fake and the victim have no contact in common. Honest ties in real networks usually do (colleagues
share colleagues). So:

1. **Support.** For each edge count common neighbours `c(u, v)` and compare with what chance gives
   in a graph of the same degrees (configuration model: `E = (d_u−1)(d_v−1) Σ d(d−1) / (2m)²`). An
   edge is *strong* when `c ≥ 1` and `c` is beyond chance (Poisson tail < `alpha`), *core* when also
   `c ≥ 2`. The chance test matters on dense graphs, where random pairs share contacts anyway.
2. **Core.** Nodes joined to a seed through core edges form the trusted core (trust 1). One
   accidental triangle cannot drag a whole fake region in, because core edges need two. The
   largest tight-knit group (core-edge component) of each seeded connected component is trusted
   too: it is the honest majority's, however few seeds happened to fall into it. Guard: trust
   then spreads over the core ties alone for 3·log2(n) steps (SybilRank-style); core members it
   barely reaches (< 1% of the core's median) are dropped from the core — a dense fake region
   that chance triangles joined through a handful of core ties stays dry.
3. **Escape.** Every other node's trust is the discounted chance that a random walk from it reaches
   the core: each step along a strong edge keeps `gamma_strong` of the value, a step along a bare edge
   only `gamma_weak`. A lone honest newcomer one bare edge from the core scores `gamma_weak`; a fake
   must wander its region (trust decaying) before it finds one of the few attack edges out.
4. **Big outside groups.** A tight-knit group outside the core is divided by
   `1 + (size − 1) / group_scale`: honest groups that large are woven into the core by shared
   contacts, while a fake region copied from real structure is tight inside and joined only by
   bare attack edges.

Trust in the core is ordered by SybilRank so the ranking has no ties among honest members.
It is a structural method: it cannot separate fakes that made friends *inside* the honest network
(triangles with victims), nor a fake with one bare edge from an honest newcomer with one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.special import gammainc

from lurewatch.graph.loading import Graph
from lurewatch.graph.trust import average_ranks, default_iterations, propagate, sybilrank

VERSION = "strongtie-v2"


@dataclass(slots=True)
class StrongTieResult:
    trust: np.ndarray  # in [0, 1]: 1 = in the trusted core; below = discounted reach of the core
    in_core: np.ndarray  # bool per node
    strong_degree: np.ndarray  # triangle-backed edges per node
    weak_degree: np.ndarray  # bare edges (no shared contact beyond chance)
    sybilrank: np.ndarray  # SybilRank trust (tie-break inside the core)
    reachable: np.ndarray | None = None  # bool: in a connected component that holds a real seed
    fallback: bool = False  # too few shared-contact ties: ranking averaged with SybilRank's

    def ranking_key(self) -> np.ndarray:
        """One number per node, higher = more trusted: escape trust, ties broken by SybilRank rank."""
        tiebreak = average_ranks(self.sybilrank) / (len(self.sybilrank) + 1)
        return self.trust + 1e-6 * tiebreak


def edge_support(adj: sp.csr_matrix, chunk: int = 2_000_000) -> sp.coo_matrix:
    """Common-neighbour count per edge, for both orientations; edges with none are absent.

    For each edge (u, v) we walk the neighbours of the *lower-degree* end and test which are adjacent
    to the other end (a sorted-key lookup). That costs Σ min(d_u, d_v) — O(m^1.5) at worst — where
    A² costs Σ d², which explodes around hubs. Worked in chunks to bound memory.
    """
    n = adj.shape[0]
    adj = adj.tocsr()
    adj.sort_indices()
    degree = np.diff(adj.indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), degree)
    col = adj.indices.astype(np.int64)
    upper = row < col
    eu, ev = row[upper], col[upper]
    swap = degree[eu] > degree[ev]  # walk the smaller neighbourhood
    small = np.where(swap, ev, eu)
    other = np.where(swap, eu, ev)
    keys = row * n + col  # sorted, because CSR rows are in order and indices are sorted
    counts = np.zeros(len(eu), dtype=np.int64)
    lengths = degree[small].astype(np.int64)
    ends = np.cumsum(lengths)
    start_edge = 0
    while start_edge < len(eu):
        stop = int(
            np.searchsorted(ends, (ends[start_edge - 1] if start_edge else 0) + chunk, side="right")
        )
        stop = max(stop, start_edge + 1)
        sel = np.arange(start_edge, stop)
        lens = lengths[sel]
        total = int(lens.sum())
        if total:
            offsets = np.repeat(
                adj.indptr[small[sel]].astype(np.int64)
                - np.concatenate(([0], np.cumsum(lens)[:-1])),
                lens,
            )
            neighbours = adj.indices[np.arange(total, dtype=np.int64) + offsets].astype(np.int64)
            probe = np.repeat(other[sel], lens) * n + neighbours
            pos = np.searchsorted(keys, probe).clip(max=len(keys) - 1)
            hit = keys[pos] == probe
            counts[sel] = np.bincount(
                np.repeat(np.arange(len(sel)), lens), weights=hit, minlength=len(sel)
            ).astype(np.int64)
        start_edge = stop
    keep = counts > 0
    r = np.concatenate([eu[keep], ev[keep]])
    c = np.concatenate([ev[keep], eu[keep]])
    data = np.concatenate([counts[keep], counts[keep]]).astype(np.float64)
    return sp.coo_matrix((data, (r, c)), shape=(n, n))


def poisson_threshold(expected: np.ndarray, alpha: float) -> np.ndarray:
    """Smallest count c ≥ 1 with P(Poisson(expected) ≥ c) < alpha (P(X ≥ c) is gammainc(c, λ))."""
    expected = np.asarray(expected, dtype=np.float64)
    # Start at floor(λ): for λ ≥ 1, P(X ≥ floor(λ)) > 1/2 > alpha, so the answer lies above it.
    c = np.maximum(1.0, np.floor(expected))
    active = np.flatnonzero(gammainc(c, expected) >= alpha)
    while active.size:
        c[active] += 1
        active = active[gammainc(c[active], expected[active]) >= alpha]
    return c


def strong_edges(adj: sp.csr_matrix, alpha: float = 0.01) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(strong, core) 0/1 adjacency matrices: ties with shared contacts beyond chance (core: ≥ 2)."""
    n = adj.shape[0]
    degree = np.diff(adj.indptr).astype(np.float64)
    support = edge_support(adj)
    two_m = degree.sum()
    paths = float((degree * (degree - 1)).sum())
    expected = (degree[support.row] - 1) * (degree[support.col] - 1) * paths / max(two_m, 1.0) ** 2
    beyond_chance = poisson_threshold(expected, alpha)
    strong = support.data >= np.maximum(1, beyond_chance)
    core = support.data >= np.maximum(2, beyond_chance)

    def matrix(mask: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix(
            (np.ones(int(mask.sum())), (support.row[mask], support.col[mask])), shape=(n, n)
        )

    return matrix(strong), matrix(core)


def _group_reps(labels: np.ndarray, group_size: np.ndarray, in_core: np.ndarray) -> np.ndarray:
    """One member per trusted group (the first by index), so every trusted group has a source."""
    mask = np.zeros(len(labels), dtype=bool)
    idx = np.flatnonzero(in_core)
    _, first = np.unique(labels[idx], return_index=True)
    mask[idx[first]] = True
    return mask


def strongtie_trust(
    graph: Graph,
    seeds: np.ndarray,
    *,
    alpha: float = 0.01,
    gamma_strong: float = 0.99,
    gamma_weak: float = 0.3,
    iterations: int = 80,
    stand_ins: bool = True,
    group_scale: float | None = 20.0,
    trust_largest_group: bool = True,
    min_coverage: float = 0.2,
    core_cut: float = 0.01,
    core_steps: float = 3.0,
    audit: float = 0.7,
    free_groups: bool = True,
    suspect: tuple[np.ndarray, np.ndarray] | None = None,
    audit_offset: float | None = 0.0,
) -> StrongTieResult:
    """Trust of every node (see the module docstring); `seeds` are node indices.

    `stand_ins`: a connected component that holds no seed at all (common in real data: small
    groups no trusted member is linked to) gets its best-embedded member as a stand-in seed, so it
    is judged as a network of its own instead of all its members scoring as fakes. A fake region
    cannot profit: to reach anyone it must attach to the seeded network, which makes it seeded.

    `core_cut`, `core_steps`: the guard above (0 disables it).

    `audit`: core members whose SybilRank is below this share of the core's median leave the core
    (0 disables it; credibility laundering, see docs/graph.md). `free_groups`: the big-group
    penalty counts groups among non-core nodes only. Both off = strongtie-v1, as it was.

    `min_coverage`: real social networks are full of triangles (the largest tight-knit group
    holds 46–77% of the shared graphs); when it holds less than this share of its connected
    component, shared contacts are too scarce to carry trust alone: the largest group is not
    trusted by size (it might be the fake one) and the ranking is averaged with SybilRank's, which
    needs no triangles (`fallback` is set).
    """
    adj = graph.adj
    n = graph.n
    strong, core_edges = strong_edges(adj, alpha)
    if suspect is not None and len(suspect[0]):
        # Edges another signal marks as laundering (growth bursts) carry no shared-contact trust.
        rows = np.concatenate([suspect[0], suspect[1]])
        cols = np.concatenate([suspect[1], suspect[0]])
        mark = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        mark.data[:] = 1.0
        strong = (strong - strong.multiply(mark)).tocsr()
        core_edges = (core_edges - core_edges.multiply(mark)).tocsr()
        strong.eliminate_zeros()
        core_edges.eliminate_zeros()
    sr = sybilrank(graph, seeds).trust
    seeds = np.asarray(seeds, dtype=np.int64)
    _, comp = connected_components(adj, directed=False)  # connected components
    _, labels = connected_components(core_edges, directed=False)  # tight-knit groups
    group_size = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
    thin = False  # too few shared-contact ties for them to carry trust alone
    if n and min_coverage > 0:
        biggest = int(np.argmax(group_size))
        home = comp[np.flatnonzero(labels == biggest)[0]]
        thin = bool(group_size[biggest] < min_coverage * np.count_nonzero(comp == home))
    reachable = None
    if stand_ins and n:
        seeded = np.zeros(comp.max() + 1, dtype=bool)
        seeded[comp[seeds]] = True
        reachable = seeded[comp]
        embedded = np.diff(strong.tocsr().indptr) * (n + 1.0) + graph.degree()
        order = np.lexsort((-embedded, comp))  # per component, best-embedded first
        first = np.r_[True, comp[order][1:] != comp[order][:-1]]
        extra = order[first]
        extra = extra[~seeded[comp[extra]]]
        seeds = np.unique(np.concatenate([seeds, extra]))
    in_core = np.zeros(n, dtype=bool)
    audited_out = np.zeros(n, dtype=bool)
    if len(seeds):
        trusted_groups = labels[seeds]
        if trust_largest_group and not thin:
            # The biggest tight-knit group of the seeded network is the honest majority's, however
            # few seeds fell into it (a fake region is a small fraction of the network).
            order = np.lexsort((-group_size[labels], comp))  # per component, biggest group first
            first = order[np.r_[True, comp[order][1:] != comp[order][:-1]]]
            seeded = np.zeros(comp.max() + 1, dtype=bool)
            seeded[comp[seeds]] = True
            trusted_groups = np.concatenate([trusted_groups, labels[first[seeded[comp[first]]]]])
        in_core = np.isin(labels, np.unique(trusted_groups))
        in_core[seeds] = True
        if core_cut > 0:
            # Trust spreads over the core ties for log2(n) steps only: a region that chance
            # triangles joined to the core through a handful of ties stays nearly dry.
            starts = np.flatnonzero(
                in_core & (np.isin(np.arange(n), seeds) | _group_reps(labels, group_size, in_core))
            )
            raw = propagate(
                core_edges.tocsr(), starts, int(core_steps * default_iterations(n)), total=float(n)
            )
            cdeg = np.asarray(core_edges.sum(axis=1)).ravel()
            val = np.zeros(n)
            np.divide(raw, cdeg, out=val, where=cdeg > 0)
            ref = np.median(val[in_core & (cdeg > 0)]) if (in_core & (cdeg > 0)).any() else 0.0
            dry = in_core & (cdeg > 0) & (val < core_cut * ref)
            dry[seeds] = False
            in_core &= ~dry
    if audit > 0 and in_core.any():
        # Laundering audit: a fake region that befriended a few organisations' members through
        # shared contacts joins the core by triangles, yet trust from the seeds reaches it only
        # through those few organisations, so its early-terminated SybilRank sits on a flat, low
        # plateau. Core members far below the core's typical SybilRank leave the core (they keep
        # the escape trust of step 3, so an honest member among them loses little).
        audited = in_core if reachable is None else in_core & reachable
        ref_sr = float(np.median(sr[audited])) if audited.any() else 0.0
        low = audited & (sr < audit * ref_sr)
        low[seeds] = False
        in_core &= ~low
        audited_out = low
    degree = graph.degree()
    inv = np.zeros(n)
    np.divide(1.0, degree, out=inv, where=degree > 0)
    discount = (adj * gamma_weak + strong * (gamma_strong - gamma_weak)).tocsr()
    step = sp.diags(inv) @ discount
    trust = in_core.astype(np.float64)
    free = ~in_core
    for _ in range(iterations):
        trust[free] = (step @ trust)[free]
    if group_scale:
        # A tight-knit group (shared-contact ties) that is big yet has no such tie to the trusted
        # core looks like a fake region: honest groups that large are woven into the core.
        if free_groups:
            # Groups are counted among the nodes outside the core only: a fake region the audit
            # took out of the core is one big group again, even though its triangle-backed attack
            # edges join it to the core's own shared-contact component.
            outside = core_edges.tocsr()[free][:, free]
            _, flab = connected_components(outside, directed=False)
            fsize = np.bincount(flab).astype(np.float64)
            if audit_offset is not None:
                # groups holding members the audit took out are forgiven up to the size where a
                # seed would be expected (1/seed density): honest regions far from the seeds
                # are that small; a laundered fake region is far bigger
                touched = np.zeros(len(fsize), dtype=bool)
                touched[flab[audited_out[free]]] = True
                rho = len(seeds) / max(1, n)
                off = (1.0 / rho if audit_offset == 0 else audit_offset) if rho > 0 else 0.0
                fsize = np.where(touched, np.maximum(1.0, fsize - off), fsize)
            trust[free] /= 1.0 + (fsize[flab] - 1) / group_scale
        else:
            trust[free] /= 1.0 + (group_size[labels[free]] - 1) / group_scale
    strong_degree = np.diff(strong.tocsr().indptr).astype(np.float64)
    if thin:
        # Blend with SybilRank by rank: it needs no triangles, and wins on fast-mixing graphs.
        from lurewatch.graph.trust import suspicion_from_trust

        trust = 1.0 - (suspicion_from_trust(trust) + suspicion_from_trust(sr)) / 2
    return StrongTieResult(
        fallback=thin,
        trust=trust,
        in_core=in_core,
        strong_degree=strong_degree,
        weak_degree=degree - strong_degree,
        sybilrank=sr,
        reachable=reachable,
    )
