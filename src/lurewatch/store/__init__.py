"""Persistence only: SQLite by default, PostgreSQL by URL (SQLAlchemy Core)."""

from lurewatch.store.db import Store, insert_ignore, upsert

__all__ = ["Store", "insert_ignore", "upsert"]
