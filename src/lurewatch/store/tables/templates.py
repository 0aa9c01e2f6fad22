"""Template index persistence: one MinHash signature per message (512 bytes) and template statistics.

`template_signatures` keeps every message's signature so a later `analyze` hashes only new
messages, and `check` can look a new text up without re-reading every message. `templates`
holds one row per template of two or more messages (replaced each run): who sent it, to how
many people, when, and how much lure content it carries. Query functions are plain `fn(conn, …)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    bindparam,
    delete,
    inspect,
    select,
    update,
)

from lurewatch.store.db import insert_ignore
from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

template_signatures = Table(
    "template_signatures",
    metadata,
    Column("message_id", String(512), primary_key=True),
    Column("scheme", String(80), nullable=False),
    Column("signature", LargeBinary, nullable=False),  # num_perm little-endian uint32
    Column("template_id", String(512), index=True),
    Column("indexed_at", DateTime(timezone=True), nullable=False),
)

templates = Table(
    "templates",
    metadata,
    Column("id", String(512), primary_key=True),  # the smallest member message id
    Column("size", Integer, nullable=False),
    Column("senders", Integer, nullable=False),
    Column("recipients", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("lure", Float, nullable=False),  # strongest lure evidence in the template's text
    Column("legit_share", Float, nullable=False),  # share of senders with a long legit history
    Column("data", JSON, nullable=False),  # TemplateStats.to_dict(): sender ids, sample, etc.
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

MIGRATIONS = [
    Migration(
        "0500_templates",
        create_tables(template_signatures, templates),
        "MinHash signatures per message and template statistics (issue 5)",
    ),
]


def has_tables(conn: Connection) -> bool:
    return inspect(conn).has_table("template_signatures")


def load_signatures(conn: Connection, scheme: str) -> dict[str, bytes]:
    rows = conn.execute(
        select(template_signatures.c.message_id, template_signatures.c.signature).where(
            template_signatures.c.scheme == scheme
        )
    )
    return {r.message_id: bytes(r.signature) for r in rows}


def save_signatures(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Adds signatures of newly indexed messages ({message_id, scheme, signature, template_id, indexed_at})."""
    added = 0
    for start in range(0, len(rows), 1000):
        added += insert_ignore(conn, template_signatures, rows[start : start + 1000])
    return added


def set_assignments(conn: Connection, assignments: dict[str, str | None]) -> None:
    """message id -> template id (None: the message is alone); one executemany statement."""
    if not assignments:
        return
    stmt = (
        update(template_signatures)
        .where(template_signatures.c.message_id == bindparam("mid"))
        .values(template_id=bindparam("tid"))
    )
    rows = [{"mid": mid, "tid": tid} for mid, tid in assignments.items()]
    for start in range(0, len(rows), 5000):
        conn.execute(stmt, rows[start : start + 5000])


def replace_templates(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    conn.execute(delete(templates))
    batch = list(rows)
    for start in range(0, len(batch), 1000):
        conn.execute(templates.insert(), batch[start : start + 1000])


def all_templates(conn: Connection) -> dict[str, dict[str, Any]]:
    return {r.id: dict(r.data) for r in conn.execute(select(templates.c.id, templates.c.data))}


def assignments(conn: Connection) -> dict[str, str]:
    """message id -> template id, for messages in a template of two or more."""
    rows = conn.execute(
        select(template_signatures.c.message_id, template_signatures.c.template_id).where(
            template_signatures.c.template_id.is_not(None)
        )
    )
    return {r.message_id: r.template_id for r in rows}


def stamp() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
