"""Synthetic fake regions attached to a real graph: the literature's Sybil-defence protocol.

A fake region (Barabási–Albert, Erdős–Rényi, or a copy of a real subgraph) joins the honest
graph through `attack_edges` edges between uniformly random fakes and uniformly random honest
nodes. Evaluation and tests use it; the detectors never see which generator was used.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from lurewatch.graph.loading import Graph, from_index_pairs

GENERATORS: tuple[str, ...] = ("ba", "er", "copy")


@dataclass(slots=True)
class Attacked:
    graph: Graph  # honest nodes 0..n_honest-1, fakes after
    n_honest: int
    is_fake: np.ndarray  # bool per node
    attack_src: np.ndarray  # honest endpoint of each attack edge
    attack_dst: np.ndarray  # fake endpoint
    attack_at: np.ndarray | None = None  # targeted attacks: day of each attack edge
    orgs: list[np.ndarray] | None = None  # targeted attacks: the organisations aimed at


def barabasi_albert(n: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Preferential attachment: each new node links to `m` existing nodes chosen by degree."""
    m = max(1, min(m, n - 1))
    src: list[int] = []
    dst: list[int] = []
    targets = list(range(m))
    repeated: list[int] = []
    for new in range(m, n):
        for t in set(targets):
            src.append(new)
            dst.append(t)
        repeated.extend(targets)
        repeated.extend([new] * m)
        picks = rng.integers(0, len(repeated), size=m * 2)
        chosen: list[int] = []
        for p in picks:
            node = repeated[p]
            if node not in chosen:
                chosen.append(node)
            if len(chosen) == m:
                break
        targets = chosen if chosen else [repeated[picks[0]]]
    return np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)


def erdos_renyi(
    n: int, mean_degree: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """G(n, M) with M = n · mean_degree / 2 random pairs (repeats and loops dropped later)."""
    m = int(round(n * mean_degree / 2))
    return rng.integers(0, n, size=m), rng.integers(0, n, size=m)


def copied_subgraph(
    graph: Graph, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A breadth-first ball of `n` nodes from a real graph, relabelled: fakes with real-looking structure."""
    degree = graph.degree()
    candidates = np.flatnonzero(degree > 0)
    order: list[int] = []
    seen: set[int] = set()
    while len(order) < n and len(seen) < graph.n:
        start = int(rng.choice(candidates))
        if start in seen:
            continue
        queue = deque([start])
        seen.add(start)
        while queue and len(order) < n:
            u = queue.popleft()
            order.append(u)
            for v in graph.neighbours(u):
                v = int(v)
                if v not in seen:
                    seen.add(v)
                    queue.append(v)
    local = {u: i for i, u in enumerate(order)}
    coo = graph.adj[order][:, order].tocoo()
    keep = coo.row < coo.col
    del local
    return coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)


def bfs_ball(graph: Graph, size: int, rng: np.random.Generator) -> np.ndarray:
    """A connected group of `size` nodes around a random start: a stand-in for one organisation."""
    degree = graph.degree()
    start = int(rng.choice(np.flatnonzero(degree > 0)))
    seen = {start}
    queue = deque([start])
    out: list[int] = []
    while queue and len(out) < size:
        u = queue.popleft()
        out.append(u)
        for v in graph.neighbours(u):
            v = int(v)
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return np.array(out, dtype=np.int64)


def attach_fake_region(
    honest: Graph,
    attack_edges: int,
    generator: str = "ba",
    fake_fraction: float = 0.1,
    rng: np.random.Generator | None = None,
    copy_from: Graph | None = None,
    victims: np.ndarray | None = None,
    orgs: list[np.ndarray] | None = None,
) -> Attacked:
    """Honest graph + a fake region of `fake_fraction` × honest nodes, joined by random attack edges.

    The fake region's mean degree follows the honest graph's, so degree alone does not give it away.
    """
    rng = rng or np.random.default_rng(0)
    n_h = honest.n
    n_f = max(2, int(round(fake_fraction * n_h)))
    mean_degree = max(2.0, 2 * honest.m / max(n_h, 1))
    if generator == "ba":
        fs, fd = barabasi_albert(n_f, max(1, int(round(mean_degree / 2))), rng)
    elif generator == "er":
        fs, fd = erdos_renyi(n_f, mean_degree, rng)
    elif generator == "copy":
        fs, fd = copied_subgraph(copy_from or honest, n_f, rng)
    else:
        raise ValueError(
            f"The 'generator' parameter must be one of {GENERATORS}. Got {generator!r} instead."
        )
    coo = honest.adj.tocoo()
    keep = coo.row < coo.col
    # Uniform victims (the literature's protocol), victims drawn from a given group, or
    # credibility laundering into a few organisations (triadic closure).
    a_at = None
    if orgs is not None:
        a_src, a_dst, a_at = targeted_attack_edges(
            honest, orgs, np.arange(n_h, n_h + n_f), attack_edges, rng
        )
    else:
        a_src = (
            rng.integers(0, n_h, size=attack_edges)
            if victims is None
            else rng.choice(victims, size=attack_edges)
        )
        a_dst = rng.integers(0, n_f, size=attack_edges) + n_h
    src = np.concatenate([coo.row[keep], fs + n_h, a_src])
    dst = np.concatenate([coo.col[keep], fd + n_h, a_dst])
    ids = list(honest.ids) + [f"fake{i}" for i in range(n_f)]
    graph = from_index_pairs(n_h + n_f, src, dst, ids)
    is_fake = np.zeros(n_h + n_f, dtype=bool)
    is_fake[n_h:] = True
    return Attacked(
        graph=graph,
        n_honest=n_h,
        is_fake=is_fake,
        attack_src=a_src,
        attack_dst=a_dst,
        attack_at=a_at,
        orgs=orgs,
    )


# ---------------------------------------------------------------- targeted attacks (credibility laundering)


def organisations(
    graph: Graph,
    rng: np.random.Generator,
    labels: np.ndarray | None = None,
    size_range: tuple[int, int] = (100, 200),
) -> list[np.ndarray]:
    """Organisation-like groups of the honest graph, as node-index arrays.

    `labels` (one group label per node, e.g. email-Eu-core's departments) are used when given;
    otherwise Louvain communities (networkx, seeded) stand in for organisations. Groups whose size
    falls in `size_range` come first; if none does, the groups closest to it.
    """
    if labels is None:
        import networkx as nx

        coo = graph.adj.tocoo()
        keep = coo.row < coo.col
        g = nx.Graph()
        g.add_nodes_from(range(graph.n))
        g.add_edges_from(zip(coo.row[keep].tolist(), coo.col[keep].tolist(), strict=True))
        groups = [
            np.array(sorted(c), dtype=np.int64)
            for c in nx.community.louvain_communities(g, seed=int(rng.integers(1 << 30)))
        ]
    else:
        labels = np.asarray(labels)
        groups = [np.flatnonzero(labels == lab) for lab in np.unique(labels[labels >= 0])]
    lo, hi = size_range
    mid = (lo + hi) / 2
    groups.sort(key=lambda g: (not (lo <= len(g) <= hi), abs(len(g) - mid)))
    return [g for g in groups if len(g) >= 5]


def targeted_attack_edges(
    honest: Graph,
    orgs: list[np.ndarray],
    fakes: np.ndarray,
    attack_edges: int,
    rng: np.random.Generator,
    entry: int = 2,
    days: float = 12.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Credibility laundering: attack edges concentrated on a few organisations, by triadic closure.

    Attack edges are dealt to uniformly random fakes (as in the random protocol); each fake picks one
    organisation, connects first to `entry` random members, then to colleagues chosen in proportion
    to the contacts they already share with it (each acceptance makes the next likelier), falling
    back to a random member when nobody shares one. Returns (honest end, fake end, day of each edge
    since the campaign start: entries in the first days, colleagues within `days`).
    """
    per_fake = np.bincount(rng.integers(0, len(fakes), size=attack_edges), minlength=len(fakes))
    adj = honest.adj
    src: list[int] = []
    dst: list[int] = []
    at: list[float] = []
    for f, k in zip(fakes.tolist(), per_fake.tolist(), strict=True):
        if k == 0:
            continue
        org = orgs[int(rng.integers(len(orgs)))]
        k = min(k, len(org))
        start = float(rng.uniform(0, 60))
        members = np.asarray(org)
        in_org = np.zeros(honest.n, dtype=bool)
        in_org[members] = True
        chosen = list(rng.choice(members, size=min(entry, k), replace=False).tolist())
        shared = np.zeros(honest.n)
        for v in chosen:
            shared[adj.indices[adj.indptr[v] : adj.indptr[v + 1]]] += 1
        while len(chosen) < k:
            w = shared * in_org
            w[chosen] = 0
            total = w.sum()
            if total > 0:
                v = int(rng.choice(honest.n, p=w / total))
            else:
                rest = np.setdiff1d(members, chosen)
                v = int(rng.choice(rest))
            chosen.append(v)
            shared[adj.indices[adj.indptr[v] : adj.indptr[v + 1]]] += 1
        for j, v in enumerate(chosen):
            src.append(v)
            dst.append(f)
            at.append(start + (rng.uniform(0, 2) if j < entry else rng.uniform(1, days)))
    return (
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(at, dtype=np.float64),
    )


def simulate_edge_times(
    attacked: Attacked,
    rng: np.random.Generator,
    years: float = 5.0,
    honest_gap: float = 200.0,
    campaign_days: float = 60.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """When each edge appeared (days), for the growth signal's evaluation: (src, dst, day) per edge.

    Honest members join uniformly over `years` and each tie forms an exponential `honest_gap`
    (mean, days) after the later of the two joined — so honest newcomers, too, gain all their
    contacts in a short time. The fake region's accounts are created 3–8 months before the end and
    befriend each other within weeks; attack edges happen in the last `campaign_days` (as dealt by
    the targeted generator, or uniformly in that window for random attacks).
    """
    end = years * 365.0
    n_h = attacked.n_honest
    n = attacked.graph.n
    joined = np.empty(n)
    joined[:n_h] = rng.uniform(0, end, size=n_h)
    joined[n_h:] = rng.uniform(end - 240, end - 90, size=n - n_h)
    coo = sp_triu(attacked.graph)
    src, dst = coo
    fake_src, fake_dst = attacked.is_fake[src], attacked.is_fake[dst]
    at = np.maximum(joined[src], joined[dst])
    honest = ~fake_src & ~fake_dst
    at[honest] += rng.exponential(honest_gap, size=int(honest.sum()))
    inside = fake_src & fake_dst
    at[inside] += rng.exponential(15.0, size=int(inside.sum()))
    at = np.minimum(at, end - campaign_days)  # the campaign is the newest thing in the data
    cross = fake_src != fake_dst
    if attacked.attack_at is not None and len(attacked.attack_at):
        # the generator's day per attack edge, in campaign time
        index = {
            (int(min(a, b)), int(max(a, b))): float(d)
            for a, b, d in zip(
                attacked.attack_src, attacked.attack_dst, attacked.attack_at, strict=True
            )
        }
        base = end - campaign_days
        at[cross] = [
            base + index.get((int(a), int(b)), float(rng.uniform(0, campaign_days)))
            for a, b in zip(src[cross], dst[cross], strict=True)
        ]
    else:
        at[cross] = end - campaign_days + rng.uniform(0, campaign_days, size=int(cross.sum()))
    return src, dst, at


def sp_triu(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected edge once, as (lower index, higher index) arrays."""
    coo = graph.adj.tocoo()
    keep = coo.row < coo.col
    return coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
