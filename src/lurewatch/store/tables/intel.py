"""STIX objects received or published (TAXII collections), kept whole, unknown types included."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Index, Integer, String, Table, Text

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

taxii_collections = Table(
    "taxii_collections",
    metadata,
    Column("id", String(100), primary_key=True),  # a UUID, as TAXII wants
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("can_read", Boolean, nullable=False),
    Column("can_write", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per object version (TAXII keeps versions by `modified`).
intel_objects = Table(
    "intel_objects",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # stable paging order
    Column("collection_id", String(100), nullable=False),
    Column("stix_id", String(200), nullable=False),
    Column("version", String(40), nullable=False),  # modified, else created, else "unversioned"
    Column("type", String(100), nullable=False),
    Column("known", Boolean, nullable=False),  # a type lurewatch maps; unknown ones are kept too
    Column("data", JSON, nullable=False),
    Column("date_added", DateTime(timezone=True), nullable=False, index=True),
    Column("origin", Text, nullable=False),  # "import:<file>", "pull:<url>", "push", "export"
    Index("ux_intel_objects_version", "collection_id", "stix_id", "version", unique=True),
    Index("ix_intel_objects_collection", "collection_id", "date_added"),
)

MIGRATIONS = [
    Migration(
        "0210_intel",
        create_tables(taxii_collections, intel_objects),
        "STIX objects and TAXII collections for intelligence exchange",
    ),
]
