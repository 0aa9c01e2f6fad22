"""What an interrupted `analyze` had finished, so that running it again resumes instead of
starting over.

`analyze_stages` holds one row per finished stage (a plugin's batch step, or the scoring of
messages / accounts) of the analyze run in progress, keyed by the data version it ran on, and
for scoring a checkpoint (the last record id whose assessment was saved). A run that finishes
clears the table, so the next `analyze` re-scores everything, as before.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Connection, DateTime, String, Table, delete, func, select

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables
from lurewatch.store.tables.core import accounts, edges, ingest_runs, messages

analyze_stages = Table(
    "analyze_stages",
    metadata,
    Column("stage", String(100), primary_key=True),
    Column("data_version", String(200), nullable=False),
    Column("checkpoint", String(512)),  # last record id saved (scoring); None: stage finished
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

MIGRATIONS = [
    Migration(
        "0900_analyze_stages",
        create_tables(analyze_stages),
        "analyze stages finished by an interrupted run",
    )
]

DONE = ""  # checkpoint value of a finished stage


def data_version(conn: Connection, extra: str = "") -> str:
    """Changes whenever records are added: the counts per kind and the last ingest run."""
    counts = [
        conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (messages, accounts, edges)
    ]
    last_run = conn.execute(select(func.max(ingest_runs.c.id))).scalar_one()
    return f"m{counts[0]}:a{counts[1]}:e{counts[2]}:r{last_run or 0}:{extra}"


def progress_of(conn: Connection, version: str) -> dict[str, str]:
    """stage -> checkpoint ('' when finished) of the interrupted run on this data version."""
    rows = conn.execute(
        select(analyze_stages.c.stage, analyze_stages.c.checkpoint).where(
            analyze_stages.c.data_version == version
        )
    )
    return {r.stage: r.checkpoint or DONE for r in rows}


def mark(conn: Connection, version: str, stage: str, checkpoint: str = DONE) -> None:
    """Records a finished stage (or a scoring checkpoint) of the run on `version`."""
    conn.execute(delete(analyze_stages).where(analyze_stages.c.stage == stage))
    conn.execute(
        analyze_stages.insert().values(
            stage=stage,
            data_version=version,
            checkpoint=checkpoint or None,
            updated_at=datetime.now(UTC),
        )
    )


def clear(conn: Connection) -> None:
    """The run finished (or a fresh one starts): nothing to resume."""
    conn.execute(delete(analyze_stages))
