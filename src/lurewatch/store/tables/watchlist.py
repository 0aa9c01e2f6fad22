"""Watchlist entries (front companies, cover personas), seeded once with the published ones."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, Connection, DateTime, String, Table, Text, select

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("published", String(40)),
    Column("expires", String(40)),
    Column("data", JSON, nullable=False),  # Entry.to_dict()
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("origin", String(200), nullable=False),  # "seed", "cli", "stix:<file>", "taxii:<url>"
)


def _seed(conn: Connection) -> None:
    """Inserts the published seed entries once; a seed removed later stays removed."""
    from lurewatch.watchlist.seeds import SEED_ENTRIES

    have = set(conn.execute(select(watchlist_entries.c.id)).scalars())
    now = datetime.now(UTC)
    rows = [
        {
            "id": e.id,
            "kind": e.kind,
            "name": e.name,
            "source": e.source,
            "published": e.published,
            "expires": e.expires,
            "data": e.to_dict(),
            "added_at": now,
            "origin": "seed",
        }
        for e in SEED_ENTRIES
        if e.id not in have
    ]
    if rows:
        conn.execute(watchlist_entries.insert(), rows)


MIGRATIONS = [
    Migration(
        "0200_watchlist", create_tables(watchlist_entries), "front-company and persona watchlist"
    ),
    Migration(
        "0201_watchlist_seed", _seed, "the published entries (BfV 2017, DGSI/DGSE 2018, US cases)"
    ),
]
