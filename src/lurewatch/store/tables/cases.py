"""Review cases and their append-only audit trail.

`case_events` is never updated or deleted: the code has no such path, and a trigger refuses
it in the database too (SQLite and PostgreSQL), so the trail stays trustworthy.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("subject_kind", String(20), nullable=False),  # account | message
    Column("subject_id", String(1100), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),  # open | decided
    Column("decision", String(20)),  # dismiss | restrict | remove | escalate
    Column("priority", Float, nullable=False, default=0.0),
    Column("level", String(10)),
    Column("origin", String(20), nullable=False),  # assessment | report
    Column("reports", Integer, nullable=False, default=0),
    Column("assignee_id", Integer, ForeignKey("users.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("org_id", "subject_kind", "subject_id", name="uq_cases_subject"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer),  # None: the system (queue sync)
    Column("actor", Text, nullable=False),  # e-mail at the time, kept even if the user goes
    Column("action", String(30), nullable=False),
    Column("reason", Text),
    Column("data", JSON, nullable=False),
)


def _append_only(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS case_events_no_{op.lower()} BEFORE {op} ON case_events "
                    "BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"
                )
            )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE OR REPLACE FUNCTION lurewatch_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'case_events is append-only'; END; $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(text("DROP TRIGGER IF EXISTS case_events_append_only ON case_events"))
        conn.execute(
            text(
                "CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events "
                "FOR EACH ROW EXECUTE FUNCTION lurewatch_append_only()"
            )
        )


def _upgrade(conn: Connection) -> None:
    create_tables(cases, case_events)(conn)
    _append_only(conn)


MIGRATIONS = [
    Migration("0810_cases", _upgrade, "review cases and their append-only audit trail"),
]
