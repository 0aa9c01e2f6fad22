"""The web and case flows against a real PostgreSQL server (LUREWATCH_TEST_PG_URL; see .ci/services.sh)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError
from web_helpers import SAMPLE_FEED, login, make_world

from lurewatch.settings import Settings
from lurewatch.store import Store
from lurewatch.web import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A fresh database per module on the test server, dropped afterwards."""
    base = os.environ.get("LUREWATCH_TEST_PG_URL")
    if not base:
        pytest.skip("LUREWATCH_TEST_PG_URL is not set (source .ci/services.sh)")
    name = f"lw_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def pg_world(pg_url: str) -> Iterator[Any]:
    from lurewatch.engine.service import analyze, ingest_sources

    settings = Settings(db_url=pg_url)
    store = Store(pg_url)
    assert store.dialect == "postgresql"
    ingest_sources(store, [SAMPLE_FEED])
    analyze(store, settings)
    yield make_world(store, settings)
    store.close()


def test_api_and_case_flow_on_postgresql(pg_world: Any) -> None:
    app = create_app(pg_world.settings, pg_world.store)
    a = {"Authorization": f"Bearer {pg_world.keys[('Org A', 'analyst')]}"}
    b = {"Authorization": f"Bearer {pg_world.keys[('Org B', 'analyst')]}"}
    m = {"Authorization": f"Bearer {pg_world.keys[('Org A', 'member')]}"}
    with TestClient(app) as c:
        assert c.post(
            "/api/v1/check", json={"text": "Our client in Asia pays well for reports; WhatsApp?"}
        ).json()["level"] in ("medium", "high")
        page = c.get("/api/v1/assessments?kind=account&limit=3", headers=a).json()
        assert len(page["items"]) == 3 and page["next_offset"] == 3
        report = c.post(
            "/api/v1/reports",
            json={
                "account_id": "li:in/demo-grace-lin-hr",
                "sender_name": "Grace 林",
                "message_text": "paid paper, WeChat",
            },
            headers=m,
        )
        assert report.status_code == 201
        case_id = report.json()["case_id"]
        assert (
            c.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=a).json()["created"]
            > 0
        )
        assert c.get(f"/api/v1/cases/{case_id}", headers=b).status_code == 404
        assert (
            c.post(
                f"/api/v1/cases/{case_id}/assign",
                json={"assignee": pg_world.email("Org A", "analyst")},
                headers=a,
            ).status_code
            == 200
        )
        r = c.post(
            f"/api/v1/cases/{case_id}/decide",
            json={"decision": "remove", "reason": "persona on the BfV list"},
            headers=a,
        )
        assert r.status_code == 200 and r.json()["decision"] == "remove"
        detail = c.get(f"/api/v1/cases/{case_id}", headers=a).json()
        assert [e["action"] for e in detail["events"]][-2:] == ["assigned", "decided"]
        assert detail["reports"][0]["sender_name"] == "Grace 林"
        warn = c.get(f"/api/v1/cases/{case_id}/approached?format=csv", headers=a)
        assert warn.status_code == 200 and len(warn.text.splitlines()) > 1
        assert "Grace 林" not in c.get("/api/v1/reports", headers=b).text


def test_audit_trail_is_append_only_on_postgresql(pg_world: Any) -> None:
    with pytest.raises(DatabaseError, match="append-only"), pg_world.store.write() as conn:
        conn.execute(text("UPDATE case_events SET reason = 'rewritten'"))
    with pytest.raises(DatabaseError, match="append-only"), pg_world.store.write() as conn:
        conn.execute(text("DELETE FROM case_events"))


def test_pages_on_postgresql(pg_world: Any) -> None:
    app = create_app(pg_world.settings, pg_world.store)
    with TestClient(app, follow_redirects=False) as c:
        login(c, pg_world.email("Org A", "analyst"))
        for path in (
            "/dashboard",
            "/assessments",
            "/cases?status=all",
            "/accounts/li:in/demo-grace-lin-hr",
            "/campaigns",
            "/reports",
        ):
            r = c.get(path)
            assert r.status_code == 200, (path, r.text[:300])
        first = re.search(r'href="/cases/(\d+)"', c.get("/cases?status=all").text)
        assert first and c.get(f"/cases/{first.group(1)}").status_code == 200


def test_erasure_and_retention_keep_the_trail_on_postgresql(pg_world: Any) -> None:
    """The redaction-only trigger, the subject erasure and retention on PostgreSQL."""
    from datetime import UTC, datetime, timedelta

    from lurewatch.cases import store as case_store
    from lurewatch.store import privacy

    app = create_app(pg_world.settings, pg_world.store)
    member = {"Authorization": f"Bearer {pg_world.keys[('Org A', 'member')]}"}
    admin = {"Authorization": f"Bearer {pg_world.keys[('Org A', 'admin')]}"}
    with TestClient(app) as c:
        report = c.post(
            "/api/v1/reports",
            json={"message_text": "Dear Ana, a fee", "account_id": "li:in/demo-ana-ribeiro"},
            headers=member,
        ).json()
        assert c.get(f"/api/v1/cases/{report['case_id']}", headers=admin).status_code == 200
    with pg_world.store.read() as conn:
        n_events = conn.execute(text("SELECT count(*) FROM case_events")).scalar_one()
    with pytest.raises(DatabaseError, match="append-only"), pg_world.store.write() as conn:
        conn.execute(text("UPDATE case_events SET reason = NULL, actor = '[erased]'"))
    with pg_world.store.write() as conn:
        counts = privacy.subject_erase(conn, "li:in/demo-ana-ribeiro", privacy.OPERATOR)
    assert counts["accounts"] == 1 and counts["case_events"] >= 1
    with pg_world.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_events")).scalar_one() == n_events
        trail = case_store.events(conn, report["case_id"])
        assert all(e["data"] == {"erased": True} for e in trail)
        assert not privacy.subject_export(conn, "li:in/demo-ana-ribeiro")["found"]
    with pytest.raises(DatabaseError, match="append-only"), pg_world.store.write() as conn:
        conn.execute(text("DELETE FROM audit_redactions"))
    later = datetime.now(UTC) + timedelta(days=3000)
    with pg_world.store.write() as conn:
        done = privacy.retention_apply(conn, {"audit_reads": 1, "sessions": 1}, now=later)
    assert done["audit_reads"] >= 1
    with pg_world.store.read() as conn:
        reads = privacy.audit_events(conn, action="read")
        named = {e["subject_id"] for e in reads} - {None}  # list reads name no one
        assert named == {"[erased]"}
