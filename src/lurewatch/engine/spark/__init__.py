"""The Spark engine: the local engine's pure functions, orchestrated over partitions.

Nothing here re-implements a detector or a scorer. Executors run the same code as
`lurewatch check` and `lurewatch analyze` (`records.record_from_dict`, the assessor from
`engine.assembly.build_assessor`, the template normalisation, shingles and MinHash from
`lurewatch.templates`), built once per partition; Spark only moves rows between them:
joins and group-bys give each account its context, banded LSH becomes a join on band keys,
and connected components are iterative joins (no GraphFrames: its jar cannot be fetched
offline).

Modules: `session` (a SparkSession bound to 127.0.0.1 in local mode), `rows` (executor-side
functions, plain Python, testable without Spark), `inputs` (JSONL/Parquet → records and
rejects), `templates` (near-duplicate clustering and template statistics), `components`
(connected components as joins), `trust` (SybilRank propagation as joins), `job` (the
whole analysis, writing Parquet + JSONL).
pyspark is an optional extra (`pip install lurewatch[spark]`); importing this package does
not import it.
"""

from __future__ import annotations

from lurewatch.errors import LurewatchError


def require_pyspark() -> None:
    """A clear error instead of an ImportError deep inside a job."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise LurewatchError(
            "the Spark engine needs pyspark: pip install 'lurewatch[spark]' (and Java 17)"
        ) from None
