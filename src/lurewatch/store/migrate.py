"""Schema migrations: every module in `store.tables` contributes named steps, applied once each.

Named steps (not one linear chain) let each domain own its tables; the applied ids are kept
in `schema_migrations`, so an old database is brought forward and a new one built from zero.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, DateTime, String, Table, select

from lurewatch.store import tables as tables_pkg
from lurewatch.store.meta import Migration, metadata

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def all_migrations() -> list[Migration]:
    found: list[Migration] = []
    for info in pkgutil.iter_modules(tables_pkg.__path__):
        module = importlib.import_module(f"{tables_pkg.__name__}.{info.name}")
        found.extend(getattr(module, "MIGRATIONS", []))
    ids = [m.id for m in found]
    if len(ids) != len(set(ids)):
        raise RuntimeError(f"duplicate migration ids: {sorted(i for i in ids if ids.count(i) > 1)}")
    return sorted(found, key=lambda m: m.id)


def migrate(conn: Connection) -> list[str]:
    """Applies what is missing; returns the ids applied now."""
    schema_migrations.create(conn, checkfirst=True)
    done = set(conn.execute(select(schema_migrations.c.id)).scalars())
    applied = []
    for migration in all_migrations():
        if migration.id in done:
            continue
        migration.upgrade(conn)
        conn.execute(
            schema_migrations.insert().values(id=migration.id, applied_at=datetime.now(UTC))
        )
        applied.append(migration.id)
    return applied


def create_tables(*tables: Table):  # noqa: ANN201
    """An upgrade step that creates the given tables (and their indexes)."""

    def upgrade(conn: Connection) -> None:
        metadata.create_all(conn, tables=list(tables), checkfirst=True)

    return upgrade
