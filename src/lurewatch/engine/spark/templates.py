"""Standardised messages at scale: the local TemplateIndex's clustering, as DataFrame joins.

Same numbers, same clusters as `lurewatch templates` (the tests compare them):

1. each message's text is normalised by `templates.normalize` on the executors; exact
   copies after normalisation share a BLAKE2b key and become one *text row*, numbered by
   its first appearance in the input (the row number TemplateIndex would give it);
2. each text row gets its shingle set and MinHash band keys (`templates.shingles`,
   `minhash`, `lsh.band_keys`: TemplateIndex's own parameters);
3. candidate pairs are a join on band keys; a bucket larger than `lsh.BIG_BUCKET` rows is
   linked as a star on its first row plus a chain of neighbours, exactly as
   `LSHBands.candidate_pairs` does (components need a spanning set, not every pair);
4. every candidate is verified on the exact shingle sets (Jaccard ≥ threshold), in SQL;
5. connected components of the verified pairs (`components`), then a template's id is its
   smallest member message id and its size the number of member messages.

Template statistics (senders, recipients, first and last use, lure content of the face
message, senders with a long ordinary history) are aggregated with group-bys and turned
into `templates.signals.TemplateStats` on the executors, so `template.*` evidence comes from
the same pure functions as in `lurewatch analyze`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from lurewatch.engine.spark import rows
from lurewatch.engine.spark.components import connected_components
from lurewatch.templates.lsh import BIG_BUCKET

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

DEFAULT_THRESHOLD = 0.7


@dataclass
class Clustering:
    assigned: DataFrame  # order, id, template, size (every message)
    candidate_pairs: int
    verified_pairs: int
    rounds: int


def _normalized(messages: DataFrame) -> DataFrame:
    from pyspark.sql import types as T

    schema = T.StructType(
        [
            T.StructField("order", T.LongType(), False),
            T.StructField("id", T.StringType(), False),
            T.StructField("dupkey", T.StringType(), True),
            T.StructField("norm", T.StringType(), True),
        ]
    )
    rdd = (
        messages.select("order", "id", "data").rdd.map(tuple).mapPartitions(rows.normalize_messages)
    )
    return messages.sparkSession.createDataFrame(rdd, schema)


def _signed(texts: DataFrame, threshold: float) -> DataFrame:
    from pyspark.sql import types as T

    schema = T.StructType(
        [
            T.StructField("row", T.LongType(), False),
            T.StructField("shingles", T.ArrayType(T.LongType()), False),
            T.StructField("keys", T.ArrayType(T.LongType()), False),
        ]
    )
    rdd = (
        texts.select("row", "norm")
        .rdd.map(tuple)
        .mapPartitions(partial(rows.sign_texts, threshold))
    )
    return texts.sparkSession.createDataFrame(rdd, schema)


def candidate_pairs(signed: DataFrame, big_bucket: int = BIG_BUCKET) -> DataFrame:
    """(a, b) text rows, a < b, sharing at least one band: all pairs of a small bucket; a star on
    the first row plus a chain through the others for a bucket above big_bucket rows."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    bands = signed.select("row", F.explode("keys").alias("key"))
    by_key = Window.partitionBy("key")
    ordered = by_key.orderBy("row")
    sized = bands.withColumn("n", F.count("*").over(by_key)).where(F.col("n") >= 2)
    small = sized.where(F.col("n") <= big_bucket).select("key", "row")
    x, y = small.alias("x"), small.alias("y")
    pairs_small = x.join(
        y, (F.col("x.key") == F.col("y.key")) & (F.col("x.row") < F.col("y.row"))
    ).select(F.col("x.row").alias("a"), F.col("y.row").alias("b"))
    big = (
        sized.where(F.col("n") > big_bucket)
        .withColumn("pos", F.row_number().over(ordered))
        .withColumn("first", F.min("row").over(by_key))
        .withColumn("next", F.lead("row").over(ordered))
    )
    star = big.where(F.col("pos") > 1).select(F.col("first").alias("a"), F.col("row").alias("b"))
    chain = big.where((F.col("pos") >= 2) & F.col("next").isNotNull()).select(
        F.col("row").alias("a"), F.col("next").alias("b")
    )
    return pairs_small.union(star).union(chain).distinct()


def verify(pairs: DataFrame, signed: DataFrame, threshold: float) -> DataFrame:
    """The candidate pairs whose exact Jaccard (on the shingle sets) reaches the threshold."""
    from pyspark.sql import functions as F

    sa = signed.select(F.col("row").alias("a"), F.col("shingles").alias("sa"))
    sb = signed.select(F.col("row").alias("b"), F.col("shingles").alias("sb"))
    inter = F.size(F.array_intersect("sa", "sb"))
    union = F.size("sa") + F.size("sb") - inter
    return (
        pairs.join(sa, "a")
        .join(sb, "b")
        .where((inter / union) >= F.lit(float(threshold)))
        .select("a", "b")
    )


def cluster(messages: DataFrame, threshold: float = DEFAULT_THRESHOLD) -> Clustering:
    """Every message's template id and size (see the module docstring)."""
    from pyspark.sql import functions as F

    feats = _normalized(messages).persist()
    texts = (
        feats.where(F.col("dupkey").isNotNull())
        .groupBy("dupkey")
        .agg(F.min(F.struct("order", "norm")).alias("r"))
        .select("dupkey", F.col("r.order").alias("row"), F.col("r.norm").alias("norm"))
    )
    signed = _signed(texts, threshold).persist()
    pairs = candidate_pairs(signed).persist()
    verified = verify(pairs, signed, threshold).persist()
    n_candidates, n_verified = pairs.count(), verified.count()
    labels, rounds = connected_components(verified) if n_verified else (None, 0)
    row_of = texts.select("dupkey", "row")
    if labels is not None:
        row_label = row_of.join(labels, row_of.row == labels.node, "left").select(
            "dupkey", F.coalesce("label", "row").alias("label")
        )
    else:
        row_label = row_of.select("dupkey", F.col("row").alias("label"))
    # a message with no text after normalisation is a template of its own (-order: no clash)
    grouped = feats.join(row_label, "dupkey", "left").select(
        "order", "id", F.coalesce("label", -F.col("order")).alias("grp")
    )
    faces = grouped.groupBy("grp").agg(F.min("id").alias("template"), F.count("*").alias("size"))
    assigned = grouped.join(faces, "grp").select("order", "id", "template", "size").persist()
    pairs.unpersist()
    return Clustering(assigned, n_candidates, n_verified, rounds)


def template_stats(assigned: DataFrame, messages: DataFrame, accounts: DataFrame) -> DataFrame:
    """(template, stats JSON) for every template of two or more messages."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark = messages.sparkSession
    members = (
        assigned.where(F.col("size") >= 2)
        .select("id", "template")
        .join(messages.select("id", "sender", "recipients", "sent_us", "sent_iso"), "id")
    )
    timed = F.when(F.col("sent_us").isNotNull(), F.struct("sent_us", "sent_iso"))
    agg = members.groupBy("template").agg(
        F.count("*").alias("size"),
        F.countDistinct("sender").alias("senders"),
        F.min(timed).alias("first"),
        F.max(timed).alias("last"),
        F.slice(F.array_sort(F.collect_set("sender")), 1, 50).alias("sender_ids"),
    )
    reached = (
        members.select("template", F.explode("recipients").alias("r"))
        .groupBy("template")
        .agg(F.countDistinct("r").alias("recipients"))
    )
    firsts = agg.select("template", F.col("first.sent_iso").alias("first_iso"))
    history = accounts.select(F.col("id").alias("sender"), "created_iso", "contacts")
    candidates = (
        members.where(F.col("sender").isNotNull())
        .select("template", "sender")
        .distinct()
        .join(firsts, "template")
        .join(history, "sender")
        .select("template", "sender", "first_iso", "created_iso", "contacts")
    )
    legit_schema = T.StructType(
        [T.StructField("template", T.StringType()), T.StructField("sender", T.StringType())]
    )
    legit = (
        spark.createDataFrame(
            candidates.rdd.map(tuple).mapPartitions(rows.legit_senders), legit_schema
        )
        .groupBy("template")
        .agg(F.count("*").alias("legit"))
    )
    face = messages.select(F.col("id").alias("template"), "data")
    joined = (
        agg.join(reached, "template", "left")
        .join(legit, "template", "left")
        .join(face, "template")
        .select(
            "template",
            "data",
            "size",
            "senders",
            "recipients",
            F.col("first.sent_iso").alias("first_iso"),
            F.col("last.sent_iso").alias("last_iso"),
            "sender_ids",
            "legit",
        )
    )
    schema = T.StructType(
        [T.StructField("template", T.StringType()), T.StructField("stats", T.StringType())]
    )
    return spark.createDataFrame(joined.rdd.map(tuple).mapPartitions(rows.template_stats), schema)
