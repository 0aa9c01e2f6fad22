"""The privacy audit log and the redaction register, and the triggers that keep both trails honest.

Audit trails (`case_events`, `audit_log`) are append-only: a row is never deleted and its
facts (when, who by id, what action, which case) never change. An erasure (GDPR art. 17)
must still remove a person's words from them, so the triggers allow exactly one kind of
UPDATE: content columns set to the erased marker (`[erased]`, NULL, `{"erased": true}`),
and only for a row that the redaction register (`audit_redactions`, itself append-only)
names, next to the erasure event that caused it. Everything else is refused by the database.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Connection, DateTime, Integer, String, Table, Text, text

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

ERASED = "[erased]"
ERASED_DATA = '{"erased": true}'

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("org_id", Integer, index=True),  # None: the operator (command line)
    Column("actor_id", Integer),
    Column("actor", Text, nullable=False),  # e-mail at the time, or "operator"
    Column("action", String(30), nullable=False),  # read | export | erase | retention
    Column("subject_kind", String(30), nullable=False),  # account | case | reports | subject | …
    Column("subject_id", Text),
    Column("data", JSON, nullable=False),
)

# Account ids erased under GDPR art. 17, kept only as SHA-256 digests: a later ingest of the same
# feed or archive must not bring the person back (a suppression list, not a record of them).
erased_subjects = Table(
    "erased_subjects",
    metadata,
    Column("id_digest", String(64), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

audit_redactions = Table(
    "audit_redactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("erasure_id", Integer, nullable=False, index=True),  # the audit_log "erase" event
    Column("table_name", String(30), nullable=False),  # case_events | audit_log
    Column("row_id", Integer, nullable=False),
)

# Per table: the columns that never change, and content columns with their erased value.
_FIXED = {
    "case_events": ("id", "case_id", "at", "actor_id", "action"),
    "audit_log": ("id", "at", "org_id", "actor_id", "action", "subject_kind"),
}
_CONTENT = {
    "case_events": (("actor", f"'{ERASED}'"), ("reason", "NULL"), ("data", "JSON")),
    "audit_log": (("actor", f"'{ERASED}'"), ("subject_id", f"'{ERASED}'"), ("data", "JSON")),
}


def _sqlite(conn: Connection, table: str) -> None:
    fixed = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _FIXED[table])
    content = " AND ".join(
        f"(NEW.{c} IS OLD.{c} OR NEW.{c} IS {ERASED_DATA!r})"
        if erased == "JSON"
        else f"(NEW.{c} IS OLD.{c} OR NEW.{c} IS {erased})"
        for c, erased in _CONTENT[table]
    )
    registered = (
        "EXISTS (SELECT 1 FROM audit_redactions r "
        f"WHERE r.table_name = '{table}' AND r.row_id = OLD.id)"
    )
    conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
    conn.execute(
        text(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"WHEN NOT ({fixed} AND {content} AND {registered}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only (a recorded erasure may only "
            "blank its content)'); END"
        )
    )
    conn.execute(
        text(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
    )


def _postgresql(conn: Connection, table: str) -> None:
    fixed = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _FIXED[table])
    content = " AND ".join(
        f"(NEW.{c}::text IS NOT DISTINCT FROM OLD.{c}::text "
        f"OR NEW.{c}::jsonb = '{ERASED_DATA}'::jsonb)"
        if erased == "JSON"
        else f"(NEW.{c} IS NOT DISTINCT FROM OLD.{c} OR NEW.{c} IS NOT DISTINCT FROM {erased})"
        for c, erased in _CONTENT[table]
    )
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION lurewatch_{table}_guard() RETURNS trigger AS $$ "
            "BEGIN "
            f"IF TG_OP = 'UPDATE' AND {fixed} AND {content} AND EXISTS (SELECT 1 FROM "
            f"audit_redactions r WHERE r.table_name = '{table}' AND r.row_id = OLD.id) "
            "THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{table} is append-only (a recorded erasure may only blank its "
            "content)'; END; $$ LANGUAGE plpgsql"
        )
    )
    for old in (f"{table}_append_only", f"{table}_guard"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {old} ON {table}"))
    conn.execute(
        text(
            f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION lurewatch_{table}_guard()"
        )
    )


def _register_append_only(conn: Connection) -> None:
    """The redaction register itself: no UPDATE, no DELETE."""
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS audit_redactions_no_{op.lower()} BEFORE {op} "
                    "ON audit_redactions BEGIN SELECT RAISE(ABORT, "
                    "'audit_redactions is append-only'); END"
                )
            )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE OR REPLACE FUNCTION lurewatch_redactions_guard() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit_redactions is append-only'; END; $$ "
                "LANGUAGE plpgsql"
            )
        )
        conn.execute(text("DROP TRIGGER IF EXISTS audit_redactions_guard ON audit_redactions"))
        conn.execute(
            text(
                "CREATE TRIGGER audit_redactions_guard BEFORE UPDATE OR DELETE ON audit_redactions "
                "FOR EACH ROW EXECUTE FUNCTION lurewatch_redactions_guard()"
            )
        )


def _upgrade(conn: Connection) -> None:
    create_tables(audit_log, audit_redactions)(conn)
    _register_append_only(conn)
    for table in ("case_events", "audit_log"):
        if conn.dialect.name == "sqlite":
            _sqlite(conn, table)
        elif conn.dialect.name == "postgresql":
            _postgresql(conn, table)


MIGRATIONS = [
    Migration(
        "0820_privacy",
        _upgrade,
        "audit log of personal-data reads and erasures; audit trails accept only recorded redactions",
    ),
    Migration(
        "0830_erased_subjects",
        create_tables(erased_subjects),
        "digests of erased account ids, so a re-ingest does not bring an erased person back",
    ),
]
