"""People and organisations using the web UI: users, API keys, login sessions, member reports.

Secrets are never stored: passwords as argon2 hashes, API keys and session tokens as SHA-256
digests (they are long random strings, so a fast hash is enough and lookups stay indexed).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", Text),
    Column("role", String(20), nullable=False),  # member | analyst | admin
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("password_hash", Text),  # None: API-key-only user
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("prefix", String(32), nullable=False, unique=True),  # shown in lists, not secret
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

member_reports = Table(
    "member_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("reporter_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("account_id", String(512), index=True),  # the reported account, when known
    Column("sender_name", Text),
    Column("company", Text),
    Column("message_text", Text),
    Column("note", Text),
    Column("file_name", Text),
    Column("file_size", Integer),
    Column("file_sha256", String(64)),
    Column("score", Float),
    Column("level", String(10)),
    Column("assessment", JSON),  # the verdict at the time of the report
    Column("case_id", Integer, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

MIGRATIONS = [
    Migration(
        "0800_web",
        create_tables(organisations, users, api_keys, sessions, member_reports),
        "web users, organisations, API keys, login sessions and member reports",
    ),
]
