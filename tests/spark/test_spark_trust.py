"""SybilRank propagation as joins equals `graph.trust.propagate` (scipy SpMV) on a real graph."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = [pytest.mark.spark, pytest.mark.timeout(1200)]


def test_propagate_as_joins_equals_spmv(spark, shared_data) -> None:  # noqa: ANN001
    from lurewatch.engine.spark.trust import propagate, simple_graph
    from lurewatch.graph.loading import read_edge_list
    from lurewatch.graph.trust import propagate as propagate_local
    from lurewatch.graph.trust import seed_indices

    path = shared_data / "graphs" / "ca-GrQc.edges"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    graph = read_edge_list(path)
    seeds = [graph.ids[i] for i in (0, 17, 400, 2500)]
    expected = propagate_local(graph.adj, seed_indices(graph, seeds)[0], iterations=5)

    pairs = [
        tuple(line.split()[:2]) for line in path.read_text().splitlines() if line[:1].isdigit()
    ]
    edges = spark.createDataFrame(pairs, "src string, dst string")
    got = {r["node"]: r["t"] for r in propagate(simple_graph(edges), seeds, 5).collect()}

    reached = np.flatnonzero(expected > 0)
    assert {graph.ids[i] for i in reached} == set(got)
    assert max(abs(got[graph.ids[i]] - expected[i]) for i in reached) < 1e-12
    assert abs(sum(got.values()) - 1.0) < 1e-9  # trust is conserved
