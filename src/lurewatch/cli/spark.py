"""`lurewatch spark`: the same analysis on a Spark cluster (local mode for tests and one machine)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from lurewatch.cli.common import StderrProgress, dump_json
from lurewatch.engine.spark.inputs import expand
from lurewatch.errors import InputError, LurewatchError
from lurewatch.settings import Settings

_MASTER = click.option(
    "--master",
    default="local[2]",
    show_default=True,
    help="Spark master: local[N] on this machine, or a cluster URL (spark://host:7077, yarn, k8s://…).",
)
_THRESHOLD = click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=0.7,
    show_default=True,
    help="Jaccard similarity (of character 5-grams) that makes two texts one template.",
)
_MEMORY = click.option(
    "--driver-memory", default="2g", show_default=True, help="Driver memory in local mode."
)
_PARTITIONS = click.option(
    "--partitions",
    type=click.IntRange(1),
    default=None,
    help="Shuffle partitions (default 4 in local mode, Spark's setting on a cluster).",
)


@click.group("spark")
def command() -> None:
    """Platform scale: run the analysis on Spark.

    The executors run the same detectors and scorers as `lurewatch check` and
    `lurewatch analyze`; Spark does the joins (account context, LSH candidate pairs,
    connected components). Needs `pip install 'lurewatch[spark]'` and Java 17. See docs/spark.md.
    """


class _Session:
    """The job's SparkSession; stopped at the end only if this command started it (a session
    already running in the process — a notebook, the tests — is reused and left running)."""

    def __init__(self, master: str, memory: str, partitions: int | None) -> None:
        from lurewatch.engine.spark import require_pyspark

        require_pyspark()
        from pyspark.sql import SparkSession

        from lurewatch.engine.spark.session import spark_session

        self.owned = SparkSession.getActiveSession() is None
        started = time.monotonic()
        self.spark = spark_session(master, driver_memory=memory, shuffle_partitions=partitions)
        self.start_seconds = round(time.monotonic() - started, 2)

    def close(self) -> None:
        if self.owned:
            self.spark.stop()


def export_store(db_url: str, target: Path) -> Path:
    """The store's records as one JSONL feed (record_to_dict form), for Spark to read.

    A platform would read the tables directly; this keeps the store's contract (JSON `data`
    columns validated by `record_from_dict`) without a JDBC driver on the cluster.
    """
    from lurewatch.records import record_to_dict
    from lurewatch.store import Store, queries

    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///") :]).exists():
        raise InputError("no such store (run `lurewatch ingest` first)", source=db_url)
    store = Store(db_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with store.read() as conn, open(target, "w", encoding="utf-8") as out:
        for kind in ("account", "message", "edge"):
            for record in queries.iter_records(conn, kind):
                out.write(json.dumps(record_to_dict(record), ensure_ascii=False) + "\n")
    return target


@command.command("analyze")
@click.option(
    "--input",
    "inputs",
    multiple=True,
    help="JSONL feed, folder of feeds, or a previous run's output/records Parquet (repeatable).",
)
@click.option("--output", required=True, help="Output folder (local path, or hdfs://, s3a:// …).")
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Also read the records of this store (SQLite path or database URL).",
)
@_MASTER
@_THRESHOLD
@click.option(
    "--templates/--no-templates",
    default=True,
    show_default=True,
    help="Cluster standardised messages and add template.* evidence.",
)
@_MEMORY
@_PARTITIONS
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Stage progress on stderr (default: on a terminal).",
)
@click.pass_obj
def analyze_command(
    settings: Settings,
    inputs: tuple[str, ...],
    output: str,
    db_url: str | None,
    master: str,
    threshold: float,
    templates: bool,
    driver_memory: str,
    partitions: int | None,
    fmt: str,
    progress: bool | None,
) -> None:
    """Score every message and account of JSONL feeds on Spark; write Parquet and JSONL.

    \b
    Writes into OUTPUT:
      assessments/        Parquet: order, kind, id, score, level, model, language,
                          codes (evidence signals), json, template, template_size
      assessments.jsonl   one line per message and account, in input order, the
                          `lurewatch check` fields {"id","kind","score","level",
                          "evidence","advice","model",…} (a folder of part files
                          when OUTPUT is not a local path)
      rejects.jsonl       one line per unreadable input line: {"source","line","id",
                          "kind","field","error","raw"}
      templates/          Parquet: id, template, size (with --templates)
      records/            Parquet of the validated records (a later run can read it)
      summary.json        counts, levels, templates, seconds per stage

    \b
    Examples:
      lurewatch spark analyze --input feed.jsonl --output out/
      lurewatch spark analyze --input feeds/ --output out/ --master local[2]
      lurewatch spark analyze --db lurewatch.db --output out/
      lurewatch spark analyze --input out/ --output out2/   # re-run on the Parquet
    """
    from lurewatch.engine.spark.job import run

    paths = list(inputs)
    if db_url:
        store_url = Settings.from_env(db_url=db_url).db_url
        paths.append(str(export_store(store_url, Path(output) / "_store-export" / "records.jsonl")))
    if not paths:
        raise click.UsageError("give at least one --input (or --db)")
    expand(paths)  # a missing input is reported before Spark starts (that takes seconds)
    reporter = StderrProgress(force=bool(progress)) if progress is not False else (lambda *a: None)
    session = _Session(master, driver_memory, partitions)
    try:
        summary = run(
            session.spark,
            settings,
            paths,
            output,
            threshold=threshold,
            templates=templates,
            progress=reporter,
        )
    except LurewatchError:
        raise
    except Exception as exc:  # a Spark failure becomes one readable line, not a JVM trace
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise LurewatchError(f"spark analyze failed: {type(exc).__name__}: {first}") from exc
    finally:
        session.close()
    summary.seconds = {"session_start": session.start_seconds, **summary.seconds}
    for r in summary.first_rejects:
        where = ", ".join(
            p for p in (r.get("file"), f"line {r['line']}" if r.get("line") else None) if p
        )
        field = f"field '{r['field']}' " if r.get("field") else ""
        click.echo(f"lurewatch: {where}: {field}{r['error']}", err=True)
    if summary.rejected > len(summary.first_rejects):
        click.echo(
            f"lurewatch: … {summary.rejected - len(summary.first_rejects)} more in the rejects output",
            err=True,
        )
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False, default=str))
        return
    rec = summary.records
    click.echo(
        f"Read {rec.get('message', 0):,} messages, {rec.get('account', 0):,} accounts, "
        f"{rec.get('edge', 0):,} edges ({summary.rejected:,} lines rejected, "
        f"{summary.duplicates:,} repeated ids kept once)."
    )
    click.echo(
        f"Assessed {summary.assessed.get('message', 0):,} messages and "
        f"{summary.assessed.get('account', 0):,} accounts: "
        f"{summary.levels.get('high', 0)} high, {summary.levels.get('medium', 0)} medium, "
        f"{summary.levels.get('low', 0)} low."
    )
    if summary.templates:
        t = summary.templates
        click.echo(
            f"Templates: {t['templates']:,} with 2+ messages ({t['messages_in_templates']:,} messages)."
        )
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in summary.seconds.items())
    click.echo(f"Time: {timing}.")
    for name, path in summary.outputs.items():
        click.echo(f"  {name}: {path}")


@command.command("templates")
@click.option("--input", "inputs", multiple=True, required=True, help="JSONL feed(s) of messages.")
@_MASTER
@_THRESHOLD
@_MEMORY
@_PARTITIONS
def templates_command(
    inputs: tuple[str, ...],
    master: str,
    threshold: float,
    driver_memory: str,
    partitions: int | None,
) -> None:
    """Group messages into templates on Spark; the same JSONL as `lurewatch templates`.

    One line per input message, in input order: {"id", "template", "size"}; a line that
    cannot be read gives {"id", "error"} when its id is known (reported on stderr too).
    For large inputs prefer `spark analyze`, which writes the templates as Parquet.
    """
    from pyspark.sql import functions as F

    from lurewatch.engine.spark import inputs as sinputs
    from lurewatch.engine.spark.templates import cluster

    expand(list(inputs))
    session = _Session(master, driver_memory, partitions)
    spark = session.spark
    try:
        parsed = sinputs.read_parsed(spark, list(inputs)).persist()
        records, _, rejects = sinputs.split(parsed)
        messages = records.where(F.col("kind") == "message")
        assigned = cluster(messages, threshold).assigned
        errors = rejects.select(
            "order",
            "id",
            F.lit(None).cast("string").alias("template"),
            F.lit(None).cast("long").alias("size"),
            F.concat_ws(
                ", ",
                "file",
                F.concat(F.lit("line "), F.col("line")),
                F.when(F.col("field").isNotNull(), F.concat(F.lit("field '"), "field", F.lit("'"))),
            ).alias("where"),
            "error",
        )
        lines = assigned.select(
            "order", "id", "template", "size",
            F.lit(None).cast("string").alias("where"), F.lit(None).cast("string").alias("error"),
        ).unionByName(errors)  # fmt: skip
        for row in lines.orderBy("order").toLocalIterator():
            if row["error"] is not None:
                message = f"{row['where']}: {row['error']}"
                click.echo(f"lurewatch spark templates: {message}", err=True)
                if row["id"] is not None:
                    click.echo(dump_json({"id": row["id"], "error": message}))
                continue
            click.echo(
                dump_json({"id": row["id"], "template": row["template"], "size": row["size"]})
            )
    except InputError:
        raise
    except Exception as exc:  # a Spark failure becomes one readable line, not a JVM trace
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise LurewatchError(f"spark templates failed: {type(exc).__name__}: {first}") from exc
    finally:
        session.close()
