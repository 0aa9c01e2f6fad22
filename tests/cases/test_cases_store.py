"""Cases in a real store: queue from assessments, actions with audit events, append-only trail,
organisation isolation, the list of members to warn."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from lurewatch.cases import store as cs
from lurewatch.cases.rules import Actor, CaseRuleError
from lurewatch.evidence import Assessment
from lurewatch.records import record_from_dict
from lurewatch.store import Store, queries
from lurewatch.store.tables.web import organisations, users


def seed(store: Store) -> tuple[int, int, Actor]:
    with store.write() as conn:
        queries.save_records(
            conn,
            [
                record_from_dict(
                    {"kind": "account", "id": "p1", "name": "Persona One", "company": "Front Co"}
                ),
                record_from_dict(
                    {"kind": "account", "id": "m1", "name": "Member One", "company": "Ministry"}
                ),
                record_from_dict(
                    {
                        "kind": "account",
                        "id": "m2",
                        "name": '=HYPERLINK("x")',
                        "company": "Ministry",
                    }
                ),
                record_from_dict(
                    {
                        "kind": "message",
                        "id": "msg1",
                        "sender": "p1",
                        "recipients": ["m1"],
                        "text": "we pay well",
                    }
                ),
                record_from_dict(
                    {"kind": "edge", "src": "p1", "dst": "m2", "type": "invitation_sent"}
                ),
                record_from_dict({"kind": "edge", "src": "p1", "dst": "m3", "type": "connection"}),
            ],
        )
        queries.save_assessments(
            conn,
            [
                Assessment("p1", "account", 0.91, "high", [], [], "t"),
                Assessment("msg1", "message", 0.6, "medium", [], [], "t"),
                Assessment("m1", "account", 0.05, "low", [], [], "t"),
            ],
        )
        now = datetime.now(UTC)
        org_a = conn.execute(
            organisations.insert().values(name="A", created_at=now)
        ).inserted_primary_key[0]
        org_b = conn.execute(
            organisations.insert().values(name="B", created_at=now)
        ).inserted_primary_key[0]
        uid = conn.execute(
            users.insert().values(
                email="ana@a.example", role="analyst", org_id=org_a, active=True, created_at=now
            )
        ).inserted_primary_key[0]
    return int(org_a), int(org_b), Actor(int(uid), "ana@a.example")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each test on SQLite, and on a fresh PostgreSQL database when LUREWATCH_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield Store(f"sqlite:///{tmp_path / 'cases.db'}")
        return
    base = os.environ.get("LUREWATCH_TEST_PG_URL")
    if not base:
        pytest.skip("LUREWATCH_TEST_PG_URL is not set (source .ci/services.sh)")
    name = f"lw_cases_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    store = Store(make_url(base).set(database=name).render_as_string(hide_password=False))
    yield store
    store.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_sync_opens_one_case_per_subject_and_is_idempotent(store: Store) -> None:
    org_a, org_b, _ = seed(store)
    with store.write() as conn:
        assert cs.sync_from_assessments(conn, org_a, min_level="high") == 1
        assert cs.sync_from_assessments(conn, org_a, min_level="medium") == 1  # the message
        assert cs.sync_from_assessments(conn, org_a, min_level="medium") == 0
        items, total = cs.list_cases(conn, org_a)
    assert total == 2 and [c["subject_id"] for c in items] == ["p1", "msg1"]  # most urgent first
    assert items[0]["title"] == "Persona One (Front Co)"
    with store.read() as conn:
        assert cs.list_cases(conn, org_b) == ([], 0)


def test_actions_write_audit_events_and_the_trail_is_append_only(store: Store) -> None:
    org_a, org_b, ana = seed(store)
    with store.write() as conn:
        cs.sync_from_assessments(conn, org_a)
        case_id = cs.list_cases(conn, org_a)[0][0]["id"]
        cs.assign(conn, org_a, case_id, ana, ana.id, "mine")
        cs.comment(conn, org_a, case_id, ana, "looks like the BfV list")
        decided = cs.decide(conn, org_a, case_id, ana, "remove", "front company")
        assert decided["status"] == "decided" and decided["decision"] == "remove"
        with pytest.raises(CaseRuleError):
            cs.decide(conn, org_a, case_id, ana, "dismiss", "again")
        trail = cs.events(conn, case_id)
    assert [e["action"] for e in trail] == ["opened", "assigned", "commented", "decided"]
    assert trail[-1]["actor"] == "ana@a.example" and trail[-1]["reason"] == "front company"
    # m1 got a message and m2 an invitation; m3 is only a connection, not approached
    assert trail[-1]["data"]["approached"] == 2
    with pytest.raises(DatabaseError, match="append-only"), store.write() as conn:
        conn.execute(text("UPDATE case_events SET reason = 'rewritten'"))
    with pytest.raises(DatabaseError, match="append-only"), store.write() as conn:
        conn.execute(text("DELETE FROM case_events"))
    with store.read() as conn:
        assert [e["reason"] for e in cs.events(conn, case_id)][-1] == "front company"
        # another organisation cannot reach the case
        assert cs.get_case(conn, org_b, case_id) is None
    with pytest.raises(LookupError), store.write() as conn:
        cs.comment(conn, org_b, case_id, ana, "sneaky")


def test_approached_members_for_removal_and_message_subjects(store: Store) -> None:
    org_a, _, _ = seed(store)
    with store.write() as conn:
        cs.sync_from_assessments(conn, org_a, min_level="medium")
        items, _ = cs.list_cases(conn, org_a)
        by_subject = {c["subject_id"]: c for c in items}
        persona = cs.approached(conn, by_subject["p1"])
        via_message = cs.approached(conn, by_subject["msg1"])  # a message case points at its sender
    ids = [r["member_id"] for r in persona]
    assert "m1" in ids and "m2" in ids
    assert persona == via_message
    assert {r["approached_by"] for r in persona} == {"p1"}
    assert next(r for r in persona if r["member_id"] == "m1")["name"] == "Member One"


def test_reports_join_the_open_case_and_raise_its_priority(store: Store) -> None:
    org_a, _, ana = seed(store)
    with store.write() as conn:
        first, created = cs.open_case(
            conn,
            org_a,
            subject_kind="account",
            subject_id="p1",
            title="t",
            score=0.5,
            level="medium",
            origin="report",
            actor=ana,
            report_id=1,
        )
        again, created2 = cs.open_case(
            conn,
            org_a,
            subject_kind="account",
            subject_id="p1",
            title="t",
            score=0.5,
            level="medium",
            origin="report",
            actor=ana,
            report_id=2,
        )
        case = cs.get_case(conn, org_a, first)
    assert created and not created2 and first == again
    assert case is not None and case["reports"] == 2 and case["priority"] == pytest.approx(0.9)
