"""Watchlist persistence: plain `fn(conn)` queries over the `watchlist_entries` table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, inspect, select

from lurewatch.errors import InputError
from lurewatch.store.tables.watchlist import watchlist_entries
from lurewatch.watchlist.entries import Entry, entry_from_dict


def has_table(conn: Connection) -> bool:
    return inspect(conn).has_table(watchlist_entries.name)


def list_entries(conn: Connection, *, kind: str | None = None) -> list[Entry]:
    """Every stored entry (expired ones included: the matcher skips them), oldest first."""
    stmt = select(watchlist_entries.c.data).order_by(
        watchlist_entries.c.added_at, watchlist_entries.c.id
    )
    if kind:
        stmt = stmt.where(watchlist_entries.c.kind == kind)
    out = []
    for (data,) in conn.execute(stmt):
        try:
            out.append(entry_from_dict(data))
        except InputError:  # a row written by a newer version: skip it, never crash screening
            continue
    return out


def save_entries(conn: Connection, entries: Iterable[Entry], origin: str) -> tuple[int, int]:
    """Adds new entries and replaces changed ones by id; returns (added, updated)."""
    added = updated = 0
    now = datetime.now(UTC)
    have: dict[str, Any] = {
        row.id: row.data
        for row in conn.execute(select(watchlist_entries.c.id, watchlist_entries.c.data))
    }
    for entry in entries:
        data: dict[str, Any] = entry.to_dict() | {"added": entry.added or now.isoformat()}
        row: dict[str, Any] = {
            "id": entry.id,
            "kind": entry.kind,
            "name": entry.name,
            "source": entry.source,
            "published": entry.published,
            "expires": entry.expires,
            "data": data,
            "origin": origin[:200],
        }
        if entry.id not in have:
            conn.execute(watchlist_entries.insert().values(**row, added_at=now))
            added += 1
        elif {k: v for k, v in have[entry.id].items() if k != "added"} != {
            k: v for k, v in data.items() if k != "added"
        }:
            conn.execute(
                watchlist_entries.update().where(watchlist_entries.c.id == entry.id).values(**row)
            )
            updated += 1
        have[entry.id] = data
    return added, updated


def remove_entry(conn: Connection, entry_id: str) -> bool:
    result = conn.execute(delete(watchlist_entries).where(watchlist_entries.c.id == entry_id))
    return bool(result.rowcount)
