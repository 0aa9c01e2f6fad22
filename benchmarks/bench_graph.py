"""Speed of trust propagation (issue 6): SybilRank on a 10M-edge graph vs raw SpMV and networkx.

All in one run, on the same machine:
- raw SpMV: `ceil(log2 n)` sparse matrix–vector products `A @ x` on the same CSR matrix (the floor);
- ours: `trust.propagate` (SybilRank's degree-normalised power iteration, same number of steps);
- networkx: the same iteration written over `nx.Graph` adjacency, on a random edge subsample,
  extrapolated linearly in edges (the work per step is one pass over the edges);
- strong-tie trust (our detector) on a 1M-edge subsample, because its edge-support step (A² on A's
  pattern) grows with Σ degree², not with edges.
Graph: Chung–Lu with power-law expected degrees (exponent 2.5, mean 10), like a social network.
Run: `.venv/bin/python -m benchmarks.bench_graph [EDGES]` (default 10,000,000).
"""

from __future__ import annotations

import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from lurewatch.graph.loading import Graph, from_index_pairs
from lurewatch.graph.strongtie import strongtie_trust
from lurewatch.graph.trust import propagate

OUT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "graph.md"


def chung_lu(m: int, mean_degree: float = 10.0, exponent: float = 2.5, seed: int = 0) -> Graph:
    """m random edges whose endpoints are drawn ∝ power-law weights (repeats dropped)."""
    rng = np.random.default_rng(seed)
    n = int(2 * m / mean_degree)
    weights = (np.arange(1, n + 1, dtype=np.float64)) ** (-1.0 / (exponent - 1.0))
    weights /= weights.sum()
    cdf = np.cumsum(weights)
    src = np.searchsorted(cdf, rng.random(m), side="right").clip(max=n - 1)
    dst = np.searchsorted(cdf, rng.random(m), side="right").clip(max=n - 1)
    return from_index_pairs(n, src, dst)


def best_of(fn, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def nx_sybilrank(G, seeds: list[int], steps: int) -> dict:  # noqa: ANN001
    """SybilRank written the natural networkx way (dict of trust, loop over adjacency)."""
    trust = dict.fromkeys(G, 0.0)
    for s in seeds:
        trust[s] = 1.0 / len(seeds)
    degree = dict(G.degree())
    for _ in range(steps):
        nxt = dict.fromkeys(G, 0.0)
        for u, nbrs in G.adjacency():
            if not nbrs:
                continue
            share = trust[u] / degree[u]
            if share:
                for v in nbrs:
                    nxt[v] += share
        trust = nxt
    return {u: t / degree[u] if degree[u] else 0.0 for u, t in trust.items()}


def subsample(graph: Graph, m_sub: int, seed: int = 1) -> Graph:
    coo = graph.adj.tocoo()
    keep = coo.row < coo.col
    rows, cols = coo.row[keep], coo.col[keep]
    pick = np.random.default_rng(seed).choice(len(rows), size=min(m_sub, len(rows)), replace=False)
    return from_index_pairs(graph.n, rows[pick], cols[pick])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict[str, float]:
    argv = sys.argv[1:] if argv is None else argv
    m = int(float(argv[0])) if argv else 10_000_000
    started = time.perf_counter()
    graph = chung_lu(m)
    build_s = time.perf_counter() - started
    n, edges = graph.n, graph.m
    steps = max(1, math.ceil(math.log2(n)))
    csr_mb = (graph.adj.data.nbytes + graph.adj.indices.nbytes + graph.adj.indptr.nbytes) / 2**20
    print(
        f"graph: {n:,} nodes, {edges:,} edges (built in {build_s:.1f} s), CSR {csr_mb:.0f} MiB, {steps} steps",
        flush=True,
    )

    rng = np.random.default_rng(2)
    seeds = rng.choice(n, size=100, replace=False)
    x = rng.random(n)
    adj = graph.adj

    def raw() -> None:
        y = x
        for _ in range(steps):
            y = adj @ y

    raw_s = best_of(raw)
    ours_s = best_of(lambda: propagate(adj, seeds, steps, total=float(n)))
    print(
        f"raw SpMV x{steps}: {raw_s:.3f} s; SybilRank propagate: {ours_s:.3f} s ({ours_s / raw_s:.2f}x raw)",
        flush=True,
    )

    import networkx as nx

    m_sub = min(200_000, edges)
    small = subsample(graph, m_sub)
    G = nx.Graph()
    coo = small.adj.tocoo()
    keep = coo.row < coo.col
    G.add_edges_from(zip(coo.row[keep].tolist(), coo.col[keep].tolist(), strict=True))
    nx_seeds = [int(s) for s in seeds if s in G][:100] or [next(iter(G))]
    nx_sub_s = best_of(lambda: nx_sybilrank(G, nx_seeds, steps), repeat=1)
    ours_sub_s = best_of(lambda: propagate(small.adj, seeds, steps, total=float(n)))
    nx_full_s = nx_sub_s * edges / G.number_of_edges()
    print(
        f"networkx on {G.number_of_edges():,} edges: {nx_sub_s:.2f} s (ours on the same: {ours_sub_s:.4f} s); "
        f"extrapolated to {edges:,} edges: {nx_full_s:.0f} s = {nx_full_s / ours_s:.0f}x ours",
        flush=True,
    )

    st_m = min(1_000_000, edges)
    st_graph = chung_lu(st_m, seed=3)
    st_seeds = np.random.default_rng(4).choice(st_graph.n, size=100, replace=False)
    st_s = best_of(lambda: strongtie_trust(st_graph, st_seeds), repeat=1)
    print(f"strong-tie trust on {st_graph.m:,} edges: {st_s:.2f} s", flush=True)
    rss = peak_rss_mb()
    print(f"peak RSS of the whole run: {rss:,.0f} MiB", flush=True)

    results = {
        "nodes": n,
        "edges": edges,
        "steps": steps,
        "raw_s": raw_s,
        "ours_s": ours_s,
        "ratio_raw": ours_s / raw_s,
        "nx_sub_edges": m_sub,
        "nx_sub_s": nx_sub_s,
        "nx_full_s": nx_full_s,
        "speedup_nx": nx_full_s / ours_s,
        "strongtie_edges": st_graph.m,
        "strongtie_s": st_s,
        "csr_mib": csr_mb,
        "peak_rss_mib": rss,
        "build_s": build_s,
        "ours_sub_s": ours_sub_s,
        "load": os.getloadavg()[0],
    }
    write_report(results)
    return results


def write_report(r: dict[str, float]) -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    ok_raw = "met" if r["ratio_raw"] <= 2 else "NOT met"
    ok_nx = "met" if r["speedup_nx"] >= 50 else "NOT met"
    OUT.write_text(
        f"""# Benchmark: graph trust propagation

Produced by `.venv/bin/python -m benchmarks.bench_graph {r["edges"]:.0f}` (numbers below are from the
last run on the project's 2-core shared development machine, CPU only, with other engineers' jobs
running: 1-minute load average {r["load"]:.1f} at the end. Absolute times are inflated by that
contention; the ratios compare runs made in the same process minutes apart.)

Graph: Chung–Lu, power-law expected degrees (exponent 2.5, mean 10): **{r["nodes"]:,.0f} nodes,
{r["edges"]:,.0f} undirected edges** (CSR {r["csr_mib"]:.0f} MiB, float64 values, int32 indices;
built in {r["build_s"]:.1f} s). SybilRank's early termination: ceil(log2 n) = **{r["steps"]:.0f} steps**.

| what | time | ratio |
|---|---:|---:|
| raw SpMV, `A @ x` × {r["steps"]:.0f} (baseline, same matrix) | {r["raw_s"]:.3f} s | 1.00× |
| **SybilRank propagation** (`graph.trust.propagate`) | {r["ours_s"]:.3f} s | {r["ratio_raw"]:.2f}× raw SpMV |
| networkx, same iteration over `nx.Graph`, {r["nx_sub_edges"]:,.0f}-edge subsample | {r["nx_sub_s"]:.2f} s | |
| ours on the same subsample (its cost there is mostly the n-sized vectors: all {r["nodes"]:,.0f} nodes kept) | {r["ours_sub_s"]:.3f} s | |
| networkx extrapolated to {r["edges"]:,.0f} edges (linear in edges) | {r["nx_full_s"]:,.0f} s | **{r["speedup_nx"]:,.0f}× slower than ours** |
| strong-tie trust (our detector: shared-contact counts, core, escape walk, SybilRank tie-break), {r["strongtie_edges"]:,.0f} edges | {r["strongtie_s"]:.2f} s | |

Goals: within 2× of raw SpMV — **{ok_raw}**; ≥ 50× faster than networkx — **{ok_nx}**.
Memory: the CSR matrix is {r["csr_mib"]:.0f} MiB; propagation adds three float64 vectors of n
({3 * 8 * r["nodes"] / 2**20:.0f} MiB); the whole benchmark process peaked at {r["peak_rss_mib"]:,.0f} MiB RSS
(graph generation and the networkx subsample included).

Caveats: best of 3 for our code and raw SpMV, one run for networkx (it takes long); the networkx
figure is extrapolated from a subsample, which is fair because each step touches every edge once.
Strong-tie trust costs more than plain propagation: counting shared contacts per edge walks the
smaller neighbourhood of each edge (Σ min(d_u, d_v), at worst m^1.5; A² would cost Σ d², which
took 86 s and 4.6 GB on the same 1M-edge graph before this was rewritten) and the escape walk
runs 80 steps; it was measured on a 1M-edge graph only (extrapolate at least linearly).
""",
        encoding="utf-8",
    )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
