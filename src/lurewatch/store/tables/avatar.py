"""Checked profile photos, one row per account (`lurewatch analyze` fills it incrementally).

`phash` (16 hex characters) is what other families and intelligence partners read: for a photo
that the crop-robust index (`avatar.index`) matched with other accounts' photos, it is the
canonical 64-bit pHash of the group's first account (smallest id), so a plain equality or
small-Hamming join (campaigns) links cropped and flipped copies too; `phash_own` is always the
photo's own canonical pHash. `hashes` keeps the full `PhotoHashes` (256-bit keys) so a later
run re-indexes without re-reading the files; a row is recomputed when the photo path, the file
size or its modification time change. Query functions are plain `fn(conn, …)`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    select,
)

from lurewatch.store.db import upsert
from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

avatars = Table(
    "avatars",
    metadata,
    Column("account_id", String(512), primary_key=True),
    Column("path", Text, nullable=False),
    Column("file_size", Integer),
    Column("file_mtime", Float),
    Column("phash", String(16), index=True),  # group representative's canonical pHash (see above)
    Column("phash_own", String(16)),
    Column("dhash", String(16)),
    Column("hashes", JSON),  # PhotoHashes.to_dict()
    Column("synthetic_score", Float),
    Column("model", String(100)),
    Column("group_id", String(512), index=True),  # smallest account id sharing this photo
    Column("group_size", Integer),
    Column("cues", JSON),  # faces, background, editing software, generator metadata
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("error", Text),
)

MIGRATIONS = [
    Migration(
        "0300_avatar",
        create_tables(avatars),
        "profile photos: perceptual hashes, synthetic score, cues",
    ),
]


def load_all(conn: Connection) -> dict[str, dict[str, Any]]:
    """Every stored avatar row, by account id."""
    return {r["account_id"]: dict(r) for r in conn.execute(select(avatars)).mappings()}


def save(conn: Connection, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 500):
        upsert(conn, avatars, rows[start : start + 500], ["account_id"])


def set_groups(conn: Connection, groups: dict[str, tuple[str, int, str]]) -> int:
    """account id -> (group id, group size, representative phash); others reset to themselves.

    Writes only the rows whose group changed; returns how many.
    """
    cols = (
        avatars.c.account_id,
        avatars.c.phash_own,
        avatars.c.group_id,
        avatars.c.group_size,
        avatars.c.phash,
    )
    changed = 0
    for account_id, own, old_group, old_size, old_phash in conn.execute(select(*cols)).all():
        new = groups.get(account_id, (account_id, 1, own))
        if new != (old_group, old_size, old_phash):
            conn.execute(
                avatars.update()
                .where(avatars.c.account_id == account_id)
                .values(group_id=new[0], group_size=new[1], phash=new[2])
            )
            changed += 1
    return changed


def checked_at_now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
