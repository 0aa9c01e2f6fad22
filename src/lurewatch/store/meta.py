"""The one MetaData every table registers on, and the migration record type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, MetaData

metadata = MetaData()


@dataclass(frozen=True, slots=True)
class Migration:
    """A named, ordered schema step. Ids sort globally ('0001_core', '0100_watchlist', …)."""

    id: str
    upgrade: Callable[[Connection], None]
    description: str = ""
