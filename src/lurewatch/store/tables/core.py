"""Records, assessments and ingest bookkeeping."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Float, Index, Integer, String, Table, Text

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("name", Text),
    Column("company", Text),
    Column("created_at", DateTime(timezone=True)),
    Column("data", JSON, nullable=False),  # the record's documented JSON form
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("sender", String(512), index=True),
    Column("sent_at", DateTime(timezone=True), index=True),
    Column("channel", String(20)),
    Column("text", Text),
    Column("data", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

edges = Table(
    "edges",
    metadata,
    Column("id", String(1100), primary_key=True),
    Column("src", String(512), nullable=False, index=True),
    Column("dst", String(512), nullable=False, index=True),
    Column("type", String(30), nullable=False),
    Column("at", DateTime(timezone=True)),
    Column("data", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("record_id", String(1100), primary_key=True),
    Column("score", Float, nullable=False),
    Column("level", String(10), nullable=False),
    Column("model", String(100), nullable=False),
    Column("language", String(10)),
    Column("evidence", JSON, nullable=False),
    Column("advice", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    Index("ix_assessments_score", "kind", "score"),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("added", JSON, nullable=False),  # {"message": n, "account": n, "edge": n}
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

ingest_rejects = Table(
    "ingest_rejects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, nullable=False, index=True),
    Column("source", Text),
    Column("line", Integer),
    Column("field", String(200)),
    Column("error", Text, nullable=False),
    Column("raw", Text),  # the rejected input, kept so nothing is lost
)

MIGRATIONS = [
    Migration(
        "0001_core",
        create_tables(accounts, messages, edges, assessments, ingest_runs, ingest_rejects),
        "records, assessments, ingest runs and rejects",
    ),
]
