"""Inputs: JSONL feeds (or a previous run's Parquet) → a records DataFrame and a rejects DataFrame.

Lines are read as bytes with their file and line number (`textFile` + `zipWithIndex`), so a
bad line is reported exactly as `lurewatch ingest` reports it (file, line, field, error) and
the rest is processed. A record id seen twice keeps its first occurrence, as the store does.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from lurewatch.engine.spark import rows
from lurewatch.errors import InputError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FEED_SUFFIXES = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz")


def parsed_schema():  # noqa: ANN201 - pyspark types are imported lazily
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("order", T.LongType(), False),
            T.StructField("file", T.StringType(), True),
            T.StructField("line", T.LongType(), True),
            T.StructField("kind", T.StringType(), True),
            T.StructField("id", T.StringType(), True),
            T.StructField("data", T.StringType(), True),
            T.StructField("sender", T.StringType(), True),
            T.StructField("recipients", T.ArrayType(T.StringType()), True),
            T.StructField("sent_us", T.LongType(), True),
            T.StructField("sent_iso", T.StringType(), True),
            T.StructField("src", T.StringType(), True),
            T.StructField("dst", T.StringType(), True),
            T.StructField("created_iso", T.StringType(), True),
            T.StructField("contacts", T.LongType(), True),
            T.StructField("error", T.StringType(), True),
            T.StructField("field", T.StringType(), True),
            T.StructField("raw", T.StringType(), True),
        ]
    )


def _is_parquet(path: str) -> bool:
    p = Path(path)
    if path.endswith(".parquet"):
        return True
    return p.is_dir() and any(p.glob("*.parquet"))


def expand(paths: list[str]) -> list[tuple[str, str]]:
    """Each input as (kind, path): 'parquet' or 'jsonl'; local folders are listed.

    A previous run's output folder stands for its `records` Parquet. Remote URIs (hdfs://,
    s3a://) are passed to Spark as they are (a glob's line numbers then count across files).
    """
    out: list[tuple[str, str]] = []
    for path in paths:
        if "://" in path and not path.startswith("file://"):
            out.append(("parquet" if path.rstrip("/").endswith(".parquet") else "jsonl", path))
            continue
        p = Path(path.removeprefix("file://"))
        if not p.exists():
            raise InputError("no such file or folder", source=path)
        if p.is_dir() and (p / "records").is_dir() and _is_parquet(str(p / "records")):
            out.append(("parquet", str(p / "records")))
        elif _is_parquet(str(p)):
            out.append(("parquet", str(p)))
        elif p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.name.endswith(FEED_SUFFIXES)
            )
            if not found:
                raise InputError("no .jsonl/.json files in this folder", source=path)
            out.extend(("jsonl", str(f)) for f in found)
        else:
            out.append(("jsonl", str(p)))
    return out


def _locate(number: int, path: str, pair: tuple[bytes, int]) -> tuple[int, str, int, bytes]:
    """(line bytes, index) from zipWithIndex → (file number, file, 1-based line, bytes)."""
    return (number, path, pair[1] + 1, pair[0])


def _renumber(number: int, pair: tuple) -> tuple[int, str, int, str]:
    """(stored row, index) → (position in this run, original file, original line, data)."""
    row, index = pair
    return (rows.order_of(number, index + 1), row[0], row[1], row[2])


def read_parsed(spark: SparkSession, paths: list[str]) -> DataFrame:
    """Every input line as one row: a record (error null) or a located reject."""
    sc = spark.sparkContext
    schema = parsed_schema()
    parts = []
    for number, (kind, path) in enumerate(expand(paths), start=1):
        if kind == "parquet":
            stored = spark.read.parquet(path).orderBy("order").select("file", "line", "data")
            # renumbered after this run's inputs before it, so positions stay unique
            rdd = stored.rdd.zipWithIndex().map(partial(_renumber, number))
            rdd = rdd.mapPartitions(rows.parse_stored)
        else:
            lines = sc.textFile(path, use_unicode=False).zipWithIndex()
            rdd = lines.map(partial(_locate, number, path)).mapPartitions(rows.parse_lines)
        parts.append(rdd)
    if not parts:
        return spark.createDataFrame([], schema)
    return spark.createDataFrame(sc.union(parts), schema)


def split(parsed: DataFrame) -> tuple[DataFrame, DataFrame, DataFrame]:
    """(records with the first occurrence of each kind/id, all records read, rejects)."""
    from pyspark.sql import functions as F

    good = parsed.where(F.col("error").isNull())
    cols = [c for c in parsed.columns if c not in ("error", "field", "raw")]
    first = good.groupBy("kind", "id").agg(
        F.min(F.struct(*[F.col(c) for c in cols if c not in ("kind", "id")])).alias("r")
    )
    records = first.select("kind", "id", "r.*").select(*cols)
    rejects = parsed.where(F.col("error").isNotNull()).select(
        "order", "file", "line", "id", "kind", "field", "error", "raw"
    )
    return records, good, rejects
