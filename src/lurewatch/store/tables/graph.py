"""Graph analysis results: per-account trust, invitation responses and targeting; organisation early warnings.

`analyze` (the graph plugin's prepare step) replaces these wholesale each run; the account
detectors read them. Query functions are plain `fn(conn, …)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    inspect,
    select,
)

from lurewatch.records import Account, Edge, Message, record_from_dict
from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables
from lurewatch.store.tables.core import accounts, edges, messages

graph_scores = Table(
    "graph_scores",
    metadata,
    Column("account_id", String(512), primary_key=True),
    Column("method", String(40), nullable=False),
    Column("trust", Float),
    Column("score", Float, index=True),  # structural suspicion in [0, 1]
    Column("in_core", Boolean),
    Column("invitation_score", Float),
    Column("data", JSON, nullable=False),  # GraphFacts.to_dict()
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

graph_alerts = Table(
    "graph_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation", Text, nullable=False),
    Column("account_id", String(512), nullable=False, index=True),
    Column("staff", Integer, nullable=False),
    Column("days", Integer, nullable=False),
    Column("same_department", Integer, nullable=False),
    Column("department", Text),
    Column("text", Text, nullable=False),
    Column("first_at", DateTime(timezone=True)),
    Column("last_at", DateTime(timezone=True)),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

MIGRATIONS = [
    Migration(
        "0300_graph",
        create_tables(graph_scores, graph_alerts),
        "graph trust, invitation and targeting results; early warnings",
    ),
]


def has_tables(conn: Connection) -> bool:
    return inspect(conn).has_table("graph_scores")


def _records(conn: Connection, table: Table, batch: int = 5000) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        select(table.c.data)
    )
    for (data,) in result:
        try:
            yield record_from_dict(data)
        except ValueError:
            continue  # a row ingest accepted earlier but a newer validator refuses: skip, never crash


def load_inputs(conn: Connection) -> tuple[list[Account], list[Edge], list[Message]]:
    """Every account, edge and message, as records (the graph analysis needs the whole picture)."""
    return (
        list(_records(conn, accounts)),
        list(_records(conn, edges)),
        list(_records(conn, messages)),
    )


def replace_results(
    conn: Connection, facts: Iterable[dict[str, Any]], alerts: Iterable[dict[str, Any]]
) -> int:
    """Replaces all stored graph results with this run's; returns the number of accounts written."""
    now = datetime.now(UTC)
    conn.execute(delete(graph_scores))
    conn.execute(delete(graph_alerts))
    rows = [
        {
            "account_id": f["account"],
            "method": f.get("method") or "",
            "trust": f.get("trust"),
            "score": f.get("score"),
            "in_core": f.get("in_core"),
            "invitation_score": (f.get("invitations") or {}).get("suspicion"),
            "data": f,
            "computed_at": now,
        }
        for f in facts
    ]
    for start in range(0, len(rows), 5000):
        conn.execute(graph_scores.insert(), rows[start : start + 5000])
    alert_rows = [
        {
            "organisation": a["organisation"],
            "account_id": a["account"],
            "staff": a["staff"],
            "days": a["days"],
            "same_department": a["same_department"],
            "department": a.get("department"),
            "text": a["text"],
            "first_at": _when(a.get("first")),
            "last_at": _when(a.get("last")),
            "computed_at": now,
        }
        for a in alerts
    ]
    if alert_rows:
        conn.execute(graph_alerts.insert(), alert_rows)
    return len(rows)


def _when(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) else None


def get_facts(conn: Connection, account_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(graph_scores.c.data).where(graph_scores.c.account_id == account_id)
    ).first()
    return dict(row[0]) if row else None


def all_facts(conn: Connection) -> dict[str, dict[str, Any]]:
    return {
        r.account_id: dict(r.data)
        for r in conn.execute(select(graph_scores.c.account_id, graph_scores.c.data))
    }


def list_alerts(
    conn: Connection, organisation: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    stmt = (
        select(graph_alerts)
        .order_by(graph_alerts.c.staff.desc(), graph_alerts.c.account_id)
        .limit(limit)
    )
    if organisation:
        stmt = stmt.where(graph_alerts.c.organisation == organisation)
    return [dict(r._mapping) for r in conn.execute(stmt)]
