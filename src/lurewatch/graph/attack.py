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
    # Uniform victims (the literature's protocol), or victims drawn from a given group (targeting).
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
    return Attacked(graph=graph, n_honest=n_h, is_fake=is_fake, attack_src=a_src, attack_dst=a_dst)
