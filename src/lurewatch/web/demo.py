"""Demo accounts for `lurewatch serve --demo`: an organisation, three people, a filled queue.

If the store holds nothing yet, the bundled (invented) sample data is ingested and analyzed
first, so `lurewatch serve --demo` alone shows a working UI on a fresh machine.
"""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from lurewatch.cases import store as case_store
from lurewatch.store import queries
from lurewatch.store.tables.web import users
from lurewatch.web import auth

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store

DEMO_ORG = "Demo organisation"
DEMO_USERS = (
    ("admin@demo.example", "admin"),
    ("analyst@demo.example", "analyst"),
    ("member@demo.example", "member"),
)


def prepare_demo(store: Store, settings: Settings, password: str | None = None) -> dict[str, Any]:
    """Returns {"password", "users", "ingested", "cases"}; the password applies to all demo users."""
    password = password or os.environ.get("LUREWATCH_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    ingested = False
    with store.read() as conn:
        empty = not any(queries.count_records(conn).values())
    if empty:
        from lurewatch.engine.service import analyze, ingest_sources
        from lurewatch.settings import BUNDLED_DATA_DIR

        sample = BUNDLED_DATA_DIR / "sample"
        sources = [p for p in (sample / "feed.jsonl", sample / "linkedin-export.zip") if p.exists()]
        if sources:
            ingest_sources(store, sources)
            analyze(store, settings)
            ingested = True
    with store.write() as conn:
        for email, role in DEMO_USERS:
            if conn.execute(select(users.c.id).where(users.c.email == email)).first():
                auth.set_password(conn, email, password)
            else:
                auth.add_user(
                    conn, email, role=role, org=DEMO_ORG, password=password, name=role.title()
                )
        org_id = auth.ensure_org(conn, DEMO_ORG)
        created = case_store.sync_from_assessments(conn, org_id, min_level="medium", limit=200)
    return {
        "password": password,
        "users": [u for u, _ in DEMO_USERS],
        "ingested": ingested,
        "cases": created,
    }
