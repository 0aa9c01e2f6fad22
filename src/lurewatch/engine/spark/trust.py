"""SybilRank trust propagation at cluster scale: `graph.trust.propagate` as iterated joins.

One step of t ← A · (t / d) is a join of the current trust with the node degrees (each node
splits its trust over its edges) and a join of that share with the edge list, summed per
receiving node: the sparse matrix–vector product written as a join and a group-by. Only
nodes holding trust are in the vector, so early steps are small. Each step is cut from the
lineage with a local checkpoint. This is the building block; the `graph.*` evidence (seed
choice, targeting, invitation facts) still comes from `lurewatch analyze` (see docs/spark.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def simple_graph(edges: DataFrame, a: str = "src", b: str = "dst") -> DataFrame:
    """(src, dst) both ways, without self-loops and repeats: the symmetric simple graph that
    `graph.loading` builds."""
    from pyspark.sql import functions as F

    one = edges.select(F.col(a).alias("src"), F.col(b).alias("dst"))
    two = edges.select(F.col(b).alias("src"), F.col(a).alias("dst"))
    return one.union(two).where(F.col("src") != F.col("dst")).distinct()


def propagate(
    graph: DataFrame, seeds: Sequence[str], iterations: int, total: float = 1.0
) -> DataFrame:
    """(node, trust mass) after `iterations` steps from `total` split evenly over the seeds.

    `graph` is the symmetric simple graph (`simple_graph`). Seeds without edges keep nothing
    after the first step, as in `graph.trust.propagate`.
    """
    from pyspark.sql import functions as F

    spark = graph.sparkSession
    graph = graph.persist()
    degree = graph.groupBy(F.col("src").alias("node")).agg(F.count("*").alias("deg")).persist()
    unique = sorted(set(seeds))
    trust = spark.createDataFrame(
        [(s, total / len(unique)) for s in unique], "node string, t double"
    )
    for _ in range(iterations):
        share = trust.join(degree, "node").select(
            F.col("node").alias("src"), (F.col("t") / F.col("deg")).alias("s")
        )
        trust = (
            graph.join(share, "src")
            .groupBy(F.col("dst").alias("node"))
            .agg(F.sum("s").alias("t"))
            .localCheckpoint()
        )
    return trust
