"""`lurewatch spark analyze`: feeds in; assessments (Parquet + JSONL), templates and rejects out.

The stages, and where each runs:

- parse and validate every line (executors, `ingest.feed.parse_record`); bad lines become
  located rejects; an id seen twice keeps its first occurrence (as the store does);
- templates (executors + joins, `spark.templates`): clusters and statistics;
- message scoring (executors): one assessor per partition, the row's template statistics
  already joined on;
- account context (joins and group-bys on `sender`, `src`, `dst`): the messages an account
  sent and its edges, as `engine.service.account_views` gathers them from the store;
  then account scoring (executors);
- writing (Spark writers): Parquet, and JSONL in input order.

Nothing is collected to the driver except counts and the first rejects shown on stderr.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lurewatch.engine.spark import inputs, rows
from lurewatch.engine.spark import templates as stemplates

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from lurewatch.settings import Settings

Progress = Callable[[str, int, int], None]
SHOWN_REJECTS = 20


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class SparkSummary:
    """What a run did, written to `summary.json` next to the outputs."""

    inputs: list[str] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    rejected: int = 0
    first_rejects: list[dict[str, Any]] = field(default_factory=list)
    assessed: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    templates: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "records": self.records,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "first_rejects": self.first_rejects,
            "assessed": self.assessed,
            "levels": self.levels,
            "templates": self.templates,
            "seconds": self.seconds,
            "outputs": self.outputs,
        }


def assessed_schema():  # noqa: ANN201
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("order", T.LongType(), False),
            T.StructField("kind", T.StringType(), False),
            T.StructField("id", T.StringType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("level", T.StringType(), False),
            T.StructField("model", T.StringType(), True),
            T.StructField("language", T.StringType(), True),
            T.StructField("codes", T.ArrayType(T.StringType()), False),
            T.StructField("json", T.StringType(), False),
        ]
    )


def score_messages(
    settings: Settings, messages: DataFrame, stats: DataFrame | None, assigned: DataFrame | None
) -> DataFrame:
    """Assessments of every message, with its template id and size when templates ran."""
    from pyspark.sql import functions as F

    spark = messages.sparkSession
    if assigned is not None and stats is not None:
        base = messages.select("order", "id", "data").join(
            assigned.select("id", "template", "size"), "id", "left"
        )
        base = base.join(stats, "template", "left")
    else:
        base = messages.select(
            "order", "id", "data", F.lit(None).cast("string").alias("template"),
            F.lit(None).cast("long").alias("size"), F.lit(None).cast("string").alias("stats"),
        )  # fmt: skip
    rdd = base.select("order", "data", "stats").rdd.map(tuple)
    scored = spark.createDataFrame(
        rdd.mapPartitions(partial(rows.assess_messages, settings)), assessed_schema()
    )
    return scored.join(
        base.select("id", "template", F.col("size").alias("template_size")), "id", "left"
    )


def account_context(
    accounts: DataFrame, messages: DataFrame, edges: DataFrame, sent_stats: DataFrame | None
) -> DataFrame:
    """(order, data, sent messages, edges, template stats) per account, built with joins.

    Lists are in input order (the store returns them in insertion order); an edge from an
    account to itself is listed once, as in `engine.service.account_views`.
    """
    from pyspark.sql import functions as F

    in_order = F.struct("order", "data")
    sent = (
        messages.where(F.col("sender").isNotNull())
        .groupBy(F.col("sender").alias("id"))
        .agg(F.array_sort(F.collect_list(in_order)).alias("s"))
        .select("id", F.col("s.data").alias("sent"))
    )
    ends = edges.select("order", "data", F.col("src").alias("id")).union(
        edges.where(F.col("dst") != F.col("src")).select("order", "data", F.col("dst").alias("id"))
    )
    linked = (
        ends.groupBy("id")
        .agg(F.array_sort(F.collect_list(in_order)).alias("e"))
        .select("id", F.col("e.data").alias("linked"))
    )
    out = accounts.select("order", "id", "data").join(sent, "id", "left").join(linked, "id", "left")
    if sent_stats is not None:
        out = out.join(sent_stats, "id", "left")
    else:
        out = out.withColumn("tstats", F.lit(None).cast("array<string>"))
    return out.select("order", "data", "sent", "linked", "tstats")


def score_accounts(settings: Settings, context: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    rdd = context.rdd.map(tuple).mapPartitions(partial(rows.assess_accounts, settings))
    scored = context.sparkSession.createDataFrame(rdd, assessed_schema())
    return scored.withColumn("template", F.lit(None).cast("string")).withColumn(
        "template_size", F.lit(None).cast("long")
    )


def sender_templates(messages: DataFrame, assigned: DataFrame, stats: DataFrame) -> DataFrame:
    """(account id, [stats JSON of every mass template it sent]) — the templates plugin's by_sender."""
    from pyspark.sql import functions as F

    return (
        messages.where(F.col("sender").isNotNull())
        .select("id", F.col("sender"))
        .join(assigned.select("id", "template"), "id")
        .join(stats, "template")
        .select(F.col("sender").alias("id"), "template", "stats")
        .distinct()
        .groupBy("id")
        .agg(F.array_sort(F.collect_list(F.struct("template", "stats"))).alias("t"))
        .select("id", F.col("t.stats").alias("tstats"))
    )


def _is_local_path(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _merge_parts(folder: Path, target: Path) -> None:
    """Spark writes part files; a local run gets one JSONL file in input order instead."""
    with open(target, "wb") as out:
        for part in sorted(folder.glob("part-*")):
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out)
    shutil.rmtree(folder)


def _reject_json(df: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    return df.orderBy("order").select(
        F.to_json(
            F.struct(F.col("file").alias("source"), "line", "id", "kind", "field", "error", "raw")
        ).alias("value")
    )


def run(
    spark: SparkSession,
    settings: Settings,
    paths: list[str],
    output: str,
    *,
    threshold: float = stemplates.DEFAULT_THRESHOLD,
    templates: bool = True,
    merge_jsonl: bool = True,
    progress: Progress = _quiet,
) -> SparkSummary:
    """The whole analysis (see the module docstring); returns the summary it also writes."""
    from pyspark.sql import functions as F

    summary = SparkSummary(inputs=list(paths))
    clock = time.monotonic()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.monotonic()
        summary.seconds[stage] = round(now - clock, 2)
        clock = now

    out = output.rstrip("/")
    local_out = _is_local_path(out)
    if local_out:
        Path(out.removeprefix("file://")).mkdir(parents=True, exist_ok=True)

    progress("spark: reading and validating", 0, 4)
    parsed = inputs.read_parsed(spark, paths).persist()
    records, _, rejects = inputs.split(parsed)
    records = records.persist()
    counts = {r["kind"]: r["count"] for r in records.groupBy("kind").count().collect()}
    summary.records = {k: int(counts.get(k, 0)) for k in ("message", "account", "edge")}
    bad = F.col("error").isNotNull()
    tally = parsed.agg(
        F.count(F.when(~bad, 1)).alias("good"), F.count(F.when(bad, 1)).alias("bad")
    ).collect()[0]
    summary.duplicates = int(tally["good"]) - sum(summary.records.values())
    summary.rejected = int(tally["bad"])
    summary.first_rejects = [
        {k: r[k] for k in ("file", "line", "id", "field", "error")}
        for r in rejects.orderBy("order").limit(SHOWN_REJECTS).collect()
    ]
    lap("read")

    messages = records.where(F.col("kind") == "message")
    accounts = records.where(F.col("kind") == "account")
    edges = records.where(F.col("kind") == "edge")

    assigned = stats = sent_stats = None
    if templates and summary.records["message"]:
        progress("spark: templates (LSH joins, components)", 1, 4)
        clustering = stemplates.cluster(messages, threshold)
        assigned = clustering.assigned
        stats = stemplates.template_stats(assigned, messages, accounts).persist()
        summary.templates = {
            "templates": int(stats.count()),
            "messages_in_templates": int(assigned.where(F.col("size") >= 2).count()),
            "candidate_pairs": clustering.candidate_pairs,
            "verified_pairs": clustering.verified_pairs,
            "component_rounds": clustering.rounds,
        }
        sent_stats = sender_templates(messages, assigned, stats)
        assigned.select("order", "id", "template", "size").write.mode("overwrite").parquet(
            f"{out}/templates"
        )
        summary.outputs["templates"] = f"{out}/templates"
        lap("templates")

    progress("spark: scoring messages and accounts", 2, 4)
    scored = score_messages(settings, messages, stats, assigned).unionByName(
        score_accounts(settings, account_context(accounts, messages, edges, sent_stats))
    )
    scored.write.mode("overwrite").parquet(f"{out}/assessments")
    lap("score")

    progress("spark: writing", 3, 4)
    result = spark.read.parquet(f"{out}/assessments")
    assessed = result.groupBy("kind", "level").count().collect()
    for r in assessed:
        summary.assessed[r["kind"]] = summary.assessed.get(r["kind"], 0) + int(r["count"])
        summary.levels[r["level"]] = summary.levels.get(r["level"], 0) + int(r["count"])
    result.orderBy("order").select("json").write.mode("overwrite").text(f"{out}/assessments-jsonl")
    _reject_json(rejects).write.mode("overwrite").text(f"{out}/rejects-jsonl")
    records.select("order", "file", "line", "kind", "id", "data").write.mode("overwrite").parquet(
        f"{out}/records"
    )
    summary.outputs.update(
        {
            "assessments": f"{out}/assessments",
            "assessments_jsonl": f"{out}/assessments-jsonl",
            "rejects_jsonl": f"{out}/rejects-jsonl",
            "records": f"{out}/records",
        }
    )
    if local_out and merge_jsonl:
        base = Path(out.removeprefix("file://"))
        _merge_parts(base / "assessments-jsonl", base / "assessments.jsonl")
        _merge_parts(base / "rejects-jsonl", base / "rejects.jsonl")
        summary.outputs["assessments_jsonl"] = str(base / "assessments.jsonl")
        summary.outputs["rejects_jsonl"] = str(base / "rejects.jsonl")
    lap("write")
    parsed.unpersist()
    records.unpersist()
    if local_out:
        target = Path(out.removeprefix("file://")) / "summary.json"
        target.write_text(json.dumps(summary.to_dict(), indent=2, default=str) + "\n")
    progress("spark: done", 4, 4)
    return summary
