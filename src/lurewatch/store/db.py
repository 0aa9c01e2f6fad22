"""Opening the store: a SQLite file by default, PostgreSQL by URL. All writes go through `Store.write()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from lurewatch.errors import StoreError
from lurewatch.store.migrate import migrate


class Store:
    def __init__(self, url: str, *, migrate_now: bool = True) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open the store {url!r}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate_now:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> list[str]:
        try:
            with self.engine.begin() as conn:
                return migrate(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot prepare the store {self.url!r}: {exc}") from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """The one write path: a transaction committed on success, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Inserts rows whose primary key is new; returns how many were added (idempotent ingest)."""
    if not rows:
        return 0
    insert = _dialect_insert(conn)
    key = list(table.primary_key.columns)[0]
    stmt = insert(table).on_conflict_do_nothing().returning(key)
    return len(conn.execute(stmt, rows).all())


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """Inserts or replaces rows by their key columns (assessments, campaigns: latest wins)."""
    if not rows:
        return
    insert = _dialect_insert(conn)
    stmt = insert(table)
    update = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update), rows)


def _dialect_insert(conn: Connection) -> Any:
    """The INSERT construct with ON CONFLICT for the two supported back-ends."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = conn.dialect.name
    if dialect == "sqlite":
        return sqlite.insert
    if dialect == "postgresql":
        return postgresql.insert
    raise StoreError(f"unsupported database {dialect!r}")  # pragma: no cover
