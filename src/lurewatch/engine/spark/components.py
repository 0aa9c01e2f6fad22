"""Connected components as iterative DataFrame joins (GraphFrames' jar cannot be fetched offline).

Min-label propagation with pointer jumping: every node starts with the smallest id among
itself and its neighbours; each round (1) takes the smallest label among its neighbours'
labels and (2) jumps to its label's label. Labels only ever name nodes of the same
component and never grow, so at the fixed point each component carries its smallest node
id. Jumping makes long chains (big LSH buckets are linked as a chain) converge in a
logarithmic number of rounds instead of one round per link. Each round is cut from the
lineage with a local checkpoint, so the plan does not grow with the number of rounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lurewatch.errors import LurewatchError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

MAX_ROUNDS = 100


def connected_components(edges: DataFrame, a: str = "a", b: str = "b") -> tuple[DataFrame, int]:
    """(node, label) for every node that has an edge, label = the smallest node of its component;
    and the number of rounds it took. Nodes are longs; edges need not be symmetric or unique."""
    from pyspark.sql import functions as F

    und = (
        edges.select(F.col(a).alias("src"), F.col(b).alias("dst"))
        .union(edges.select(F.col(b).alias("src"), F.col(a).alias("dst")))
        .where(F.col("src") != F.col("dst"))
        .distinct()
        .localCheckpoint()
    )
    labels = (
        und.groupBy("src")
        .agg(F.min("dst").alias("m"))
        .select(F.col("src").alias("node"), F.least("src", "m").alias("label"))
        .localCheckpoint()
    )
    for rounds in range(1, MAX_ROUNDS + 1):
        proposed = (
            und.join(labels, und.dst == labels.node).groupBy(und.src).agg(F.min("label").alias("p"))
        )
        merged = labels.join(proposed, labels.node == proposed.src, "left").select(
            "node", F.least("label", F.coalesce("p", "label")).alias("label")
        )
        x, y = merged.alias("x"), merged.alias("y")
        jumped = (
            x.join(y, F.col("x.label") == F.col("y.node"), "left")
            .select(
                F.col("x.node").alias("node"),
                F.least(F.col("x.label"), F.coalesce(F.col("y.label"), F.col("x.label"))).alias(
                    "label"
                ),
            )
            .localCheckpoint()
        )
        changed = (
            jumped.alias("n")
            .join(labels.alias("o"), "node")
            .where(F.col("n.label") != F.col("o.label"))
            .limit(1)
            .count()
        )
        labels = jumped
        if changed == 0:
            return labels, rounds
    raise LurewatchError(f"connected components did not converge in {MAX_ROUNDS} rounds")
