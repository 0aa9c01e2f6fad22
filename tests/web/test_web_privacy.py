"""Privacy for the people in the data (issue 12): audited reads, subject export and erasure
(CLI, API, admin page), retention, audit trails that accept only recorded redactions, and STIX
exports without approached members."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from web_helpers import api, login

from lurewatch.cases import store as case_store
from lurewatch.cli.main import cli
from lurewatch.settings import RETENTION_DAYS, parse_retention
from lurewatch.store import privacy
from lurewatch.store.tables.cases import case_events, cases
from lurewatch.store.tables.core import accounts, edges, messages
from lurewatch.store.tables.privacy import ERASED, audit_redactions
from lurewatch.store.tables.web import member_reports, users

SUSPECT = "li:in/demo-lina-zhou"
MEMBER = "li:in/demo-ana-ribeiro"  # approached by SUSPECT in the sample feed ("Dear Ana, …")


def _cli(world: Any, *args: str, input: str | None = None):  # noqa: A002, ANN202
    return CliRunner().invoke(
        cli, ["--db", world.settings.db_url, *args], input=input, catch_exceptions=False
    )


def _reads(world: Any) -> list[dict[str, Any]]:
    with world.store.read() as conn:
        return privacy.audit_events(conn, action="read", limit=1000)


def _report(client: TestClient, world: Any, **body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/reports", json=body, headers=api(client, world, "Org A", "member"))
    assert r.status_code == 201, r.text
    return r.json()


# ------------------------------------------------------------------ audited reads


def test_reading_personal_data_writes_read_events(client: TestClient, world: Any) -> None:
    report = _report(
        client, world, message_text="Dear Ana, our client pays well.", account_id=SUSPECT
    )
    h = api(client, world, "Org A", "analyst")
    assert client.get(f"/api/v1/accounts/{SUSPECT}", headers=h).status_code == 200
    assert client.get(f"/api/v1/cases/{report['case_id']}", headers=h).status_code == 200
    assert client.get("/api/v1/reports", headers=h).status_code == 200
    with TestClient(client.app, follow_redirects=False) as browser:
        login(browser, world.email("Org A", "analyst"))
        assert browser.get(f"/accounts/{SUSPECT}").status_code == 200
        assert browser.get(f"/cases/{report['case_id']}").status_code == 200
        assert browser.get("/reports").status_code == 200
    seen = [(e["subject_kind"], e["subject_id"], e["actor"]) for e in reversed(_reads(world))]
    analyst = world.email("Org A", "analyst")
    assert (
        seen
        == [
            ("account", SUSPECT, analyst),
            ("case", str(report["case_id"]), analyst),
            ("reports", None, analyst),
        ]
        * 2
    )
    reports_read = next(e for e in _reads(world) if e["subject_kind"] == "reports")
    assert report["id"] in reports_read["data"]["ids"]
    with world.store.read() as conn:
        org_a = conn.execute(select(users.c.org_id).where(users.c.email == analyst)).scalar_one()
    assert {e["org_id"] for e in _reads(world)} == {org_a}
    # an unread page writes nothing; a 404 writes nothing
    assert client.get("/api/v1/accounts/nobody-at-all", headers=h).status_code == 404
    assert len(_reads(world)) == 6
    # searches, message lists and exports are reads too
    client.get("/api/v1/accounts", params={"q": "lina"}, headers=h)
    client.get("/api/v1/messages", params={"sender": SUSPECT}, headers=h)
    client.get("/api/v1/export/cases.jsonl", headers=h)
    latest = [(e["subject_kind"], e["subject_id"]) for e in _reads(world)[:3]]
    assert latest == [("export", "cases.jsonl"), ("messages", SUSPECT), ("accounts", "lina")]


# ------------------------------------------------------------------ the trail's guarantees


def _trail(world: Any, client: TestClient) -> int:
    report = _report(
        client, world, message_text="Hello, a generous fee awaits.", account_id=SUSPECT
    )
    h = api(client, world, "Org A", "analyst")
    client.post(
        f"/api/v1/cases/{report['case_id']}/comment", json={"comment": "Ana told us"}, headers=h
    )
    return int(report["case_id"])


def test_audit_trails_refuse_everything_but_a_registered_redaction(
    client: TestClient, world: Any
) -> None:
    case_id = _trail(world, client)
    with world.store.read() as conn:
        event_id = conn.execute(
            select(func.max(case_events.c.id)).where(case_events.c.case_id == case_id)
        ).scalar_one()
    blank = f"UPDATE case_events SET reason = NULL, actor = '{ERASED}' WHERE id = {event_id}"
    for statement in (
        f"UPDATE case_events SET reason = 'rewritten' WHERE id = {event_id}",
        blank,  # not registered in audit_redactions
        f"DELETE FROM case_events WHERE id = {event_id}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), world.store.write() as conn:
            conn.execute(text(statement))
    with world.store.write() as conn:
        erasure = privacy.audit(conn, privacy.OPERATOR, "erase", "subject", None)
        conn.execute(
            audit_redactions.insert().values(
                at=datetime.now(UTC), erasure_id=erasure, table_name="case_events", row_id=event_id
            )
        )
    # registered: blanking content is allowed, anything else still is not
    for statement in (
        f"UPDATE case_events SET action = 'decided', actor = '{ERASED}' WHERE id = {event_id}",
        f"UPDATE case_events SET reason = 'other words' WHERE id = {event_id}",
        f"DELETE FROM case_events WHERE id = {event_id}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), world.store.write() as conn:
            conn.execute(text(statement))
    with world.store.write() as conn:
        conn.execute(text(blank))
        row = conn.execute(select(case_events).where(case_events.c.id == event_id)).one()
    assert row.actor == ERASED and row.reason is None and row.action == "commented"
    for statement in ("UPDATE audit_redactions SET row_id = 1", "DELETE FROM audit_redactions"):
        with pytest.raises(DatabaseError, match="append-only"), world.store.write() as conn:
            conn.execute(text(statement))
    for statement in ("UPDATE audit_log SET action = 'read'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), world.store.write() as conn:
            conn.execute(text(statement))


# ------------------------------------------------------------------ subject export and erasure (CLI)


def test_operator_exports_and_erases_an_approached_member(client: TestClient, world: Any) -> None:
    _report(client, world, message_text="I was approached", account_id=MEMBER)
    r = _cli(world, "subject", "export", MEMBER)
    assert r.exit_code == 0
    found = json.loads(r.stdout)
    assert found["found"] and found["account"]["name"] == "Ana Ribeiro"
    assert any(m["sender"] == SUSPECT for m in found["messages_received"])
    assert found["edges"] and found["reports_about"] and found["cases_about"]
    with world.store.read() as conn:
        events_before = conn.execute(select(func.count()).select_from(case_events)).scalar_one()
        case_id = found["cases_about"][0]["id"]

    assert _cli(world, "subject", "erase", MEMBER, input="n\n").exit_code != 0  # asks first
    r = _cli(world, "subject", "erase", MEMBER, "--reason", "request 2026-17", "--yes")
    assert r.exit_code == 0 and "accounts\t1" in r.stdout and "messages_received\t" in r.stdout
    with world.store.read() as conn:
        assert conn.execute(select(accounts).where(accounts.c.id == MEMBER)).first() is None
        assert not conn.execute(
            select(edges).where((edges.c.src == MEMBER) | (edges.c.dst == MEMBER))
        ).all()
        for row in conn.execute(select(messages.c.data, messages.c.text)).all():
            assert MEMBER not in json.dumps(row.data)
            assert not re.search(r"\bAna\b", row.text or "")  # "Dear Ana" -> "Dear [erased]"
        # the trail keeps every event (none deleted) but not the member's words
        assert (
            conn.execute(select(func.count()).select_from(case_events)).scalar_one()
            == events_before
        )
        trail = case_store.events(conn, case_id)
        assert trail and all(e["data"] == {"erased": True} for e in trail)
        case = conn.execute(select(cases).where(cases.c.id == case_id)).one()
        assert case.title == ERASED and MEMBER not in case.subject_id
        report = conn.execute(
            select(member_reports).where(member_reports.c.case_id == case_id)
        ).one()
        assert report.account_id is None and report.message_text is None
        erase = privacy.audit_events(conn, action="erase")[0]
        assert erase["data"]["reason"] == "request 2026-17" and erase["subject_id"] is None
        done = privacy.audit_events(conn, action="erased")[0]
        assert done["data"]["counts"]["accounts"] == 1
        assert MEMBER not in json.dumps(privacy.audit_events(conn, limit=1000))
    again = json.loads(_cli(world, "subject", "export", MEMBER).stdout)
    assert not again["found"]


def test_erasing_a_reporter_keeps_the_trail_but_not_the_person(
    client: TestClient, world: Any
) -> None:
    reporter = world.email("Org A", "member")
    report = _report(
        client, world, message_text="Dear Bruno, a fee for reports", note="my phone 0170"
    )
    with world.store.read() as conn:
        n_events = conn.execute(select(func.count()).select_from(case_events)).scalar_one()
    h = api(client, world, "Org A", "admin")
    exported = client.get("/api/v1/subjects/export", params={"subject": reporter}, headers=h)
    assert exported.status_code == 200
    body = exported.json()
    assert body["user"]["email"] == reporter and "password_hash" not in body["user"]
    assert [r["id"] for r in body["reports_made"]] == [report["id"]]
    assert body["case_events_by"]

    r = client.post(
        "/api/v1/subjects/erase", json={"subject": reporter, "reason": "left; asked"}, headers=h
    )
    assert r.status_code == 200 and r.json()["erased"]["user"] == 1
    with world.store.read() as conn:
        user = conn.execute(select(users).where(users.c.email == reporter)).first()
        assert user is None
        row = conn.execute(select(member_reports).where(member_reports.c.id == report["id"])).one()
        assert row.message_text is None and row.note is None
        events = case_store.events(conn, report["case_id"])
        assert events and {e["actor"] for e in events} == {ERASED}
        assert conn.execute(select(func.count()).select_from(case_events)).scalar_one() == n_events
    # the erased user's key no longer works
    assert (
        client.get("/api/v1/me", headers=api(client, world, "Org A", "member")).status_code == 401
    )


def test_an_admin_cannot_see_or_erase_another_organisations_people(
    client: TestClient, world: Any
) -> None:
    other = world.email("Org B", "analyst")
    h = api(client, world, "Org A", "admin")
    found = client.get("/api/v1/subjects/export", params={"subject": other}, headers=h).json()
    missing = client.get(
        "/api/v1/subjects/export", params={"subject": "nobody@b.example"}, headers=h
    ).json()
    assert "user" not in found and found["found"] == missing["found"] is False
    answers = [
        client.post("/api/v1/subjects/erase", json={"subject": s, "reason": "x"}, headers=h)
        for s in (other, "nobody@b.example")
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()  # only org A's own audit lines were blanked
    assert "user" not in answers[0].json()["erased"]
    with world.store.read() as conn:
        assert conn.execute(select(users.c.active).where(users.c.email == other)).scalar_one()
    # the web erasure leaves the shared store records to the operator
    client.post("/api/v1/subjects/erase", json={"subject": MEMBER, "reason": "x"}, headers=h)
    with world.store.read() as conn:
        assert conn.execute(select(accounts.c.id).where(accounts.c.id == MEMBER)).first()
    for role in ("member", "analyst"):
        assert (
            client.get(
                "/api/v1/subjects/export",
                params={"subject": MEMBER},
                headers=api(client, world, "Org A", role),
            ).status_code
            == 403
        )


def test_admin_page_finds_exports_and_erases(app: Any, world: Any) -> None:
    with TestClient(app, follow_redirects=False) as admin:
        token = login(admin, world.email("Org A", "admin"))
        page = admin.get("/admin/subjects", params={"subject": MEMBER})
        assert page.status_code == 200 and "messages received" in page.text
        assert 'id="erase-subject"' in page.text
        download = admin.get("/admin/subjects/export.json", params={"subject": MEMBER})
        assert download.status_code == 200 and json.loads(download.text)["account"]["id"] == MEMBER
        r = admin.post(
            "/admin/subjects/erase",
            data={
                "csrf_token": token,
                "subject": world.email("Org A", "member"),
                "reason": "ref 9",
            },
        )
        assert r.status_code == 422  # not confirmed
        r = admin.post(
            "/admin/subjects/erase",
            data={
                "csrf_token": token,
                "subject": world.email("Org A", "member"),
                "reason": "ref 9",
                "confirm": "yes",
            },
        )
        assert r.status_code == 303 and "erased" in r.headers["location"]
        assert "erase" in admin.get("/admin/subjects").text
    with TestClient(app, follow_redirects=False) as analyst:
        login(analyst, world.email("Org A", "analyst"))
        assert analyst.get("/admin/subjects").status_code == 403


# ------------------------------------------------------------------ retention


def test_retention_dry_run_then_apply_audited(client: TestClient, world: Any) -> None:
    report = _report(client, world, message_text="Old report", account_id=SUSPECT)
    with world.store.write() as conn:
        old = datetime.now(UTC) - timedelta(days=400)
        conn.execute(member_reports.update().values(created_at=old))
        n_messages = conn.execute(select(func.count()).select_from(messages)).scalar_one()
    r = _cli(world, "retention", "apply", "--days", "messages=1", "--days", "member_reports=30")
    assert r.exit_code == 0 and "would be removed" in r.stdout and "dry run" in r.stderr
    planned = dict(line.split("\t")[:2] for line in r.stdout.splitlines())
    with world.store.read() as conn:
        by_suspect = conn.execute(
            select(func.count()).select_from(messages).where(messages.c.sender == SUSPECT)
        ).scalar_one()
    assert by_suspect and int(planned["messages"]) == n_messages - by_suspect  # open case: kept
    assert planned["member_reports"] == "0"  # its case is still open
    with world.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == n_messages
        assert not privacy.audit_events(conn, action="retention")
    h = api(client, world, "Org A", "analyst")
    client.post(
        f"/api/v1/cases/{report['case_id']}/decide",
        json={"decision": "dismiss", "reason": "old"},
        headers=h,
    )
    r = _cli(
        world, "retention", "apply", "--days", "messages=1", "--days", "member_reports=30", "--yes"
    )
    assert r.exit_code == 0
    removed = dict(line.split("\t")[:2] for line in r.stdout.splitlines())
    assert int(removed["messages"]) == n_messages and removed["member_reports"] == "1"  # decided
    with world.store.read() as conn:
        left = conn.execute(select(func.count()).select_from(messages)).scalar_one()
        assert left == n_messages - int(removed["messages"])
        event = privacy.audit_events(conn, action="retention")[0]
        assert event["data"]["counts"]["messages"] == int(removed["messages"])
        assert event["data"]["periods"]["messages"] == 1


def test_retention_keeps_subjects_of_open_cases_and_blanks_old_decided_cases(
    client: TestClient, world: Any
) -> None:
    h = api(client, world, "Org A", "analyst")
    report = _report(client, world, message_text="still open", account_id=SUSPECT)
    later = datetime.now(UTC) + timedelta(days=3000)
    with world.store.read() as conn:
        plan = privacy.retention_plan(conn, {"messages": 1, "accounts": 1}, now=later)
        kept = {
            r.id for r in conn.execute(select(messages.c.id).where(messages.c.sender == SUSPECT))
        }
        all_accounts = conn.execute(select(func.count()).select_from(accounts)).scalar_one()
    assert plan["accounts"] == all_accounts - 1  # the open case's account stays
    client.post(
        f"/api/v1/cases/{report['case_id']}/decide",
        json={"decision": "remove", "reason": "front"},
        headers=h,
    )
    with world.store.write() as conn:
        done = privacy.retention_apply(conn, {"decided_cases": 1, "messages": 1}, now=later)
        assert done["decided_cases"] >= 1
        trail = case_store.events(conn, report["case_id"])
        assert all(e["data"] == {"erased": True} and e["reason"] is None for e in trail)
        assert trail[-1]["action"] == "decided"  # what was done stays
        assert not conn.execute(select(messages.c.id).where(messages.c.id.in_(kept))).all()


def test_retention_settings_parse_and_refuse_bad_values() -> None:
    days = dict(parse_retention("messages=365, accounts=0"))
    assert days["messages"] == 365 and days["accounts"] == 0
    assert days["sessions"] == dict(RETENTION_DAYS)["sessions"]
    for bad in ("mesages=3", "messages=abc", "messages=-1"):
        with pytest.raises(ValueError, match="retention"):
            parse_retention(bad)


def test_retention_cli_names_a_bad_kind(world: Any) -> None:
    r = CliRunner().invoke(
        cli, ["--db", world.settings.db_url, "retention", "apply", "--days", "x=1"]
    )
    assert r.exit_code != 0
    assert "field 'days': unknown retention kind 'x'" in (r.output + str(r.exception))


# ------------------------------------------------------------------ STIX


def test_stix_export_never_carries_approached_members(client: TestClient, world: Any) -> None:
    from lurewatch.intel.repository import export_from_store

    h = api(client, world, "Org A", "analyst")
    client.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=h)
    warned: dict[str, dict[str, Any]] = {}
    for case in client.get("/api/v1/cases", params={"limit": 500}, headers=h).json()["items"]:
        client.post(
            f"/api/v1/cases/{case['id']}/decide",
            json={"decision": "remove", "reason": "front"},
            headers=h,
        )
        got = client.get(f"/api/v1/cases/{case['id']}/approached", headers=h).json()["items"]
        warned.update({m["member_id"]: m for m in got})
    assert MEMBER in warned and len(warned) >= 3
    with world.store.read() as conn:
        suspects = {
            r.record_id
            for r in conn.execute(
                text("SELECT record_id FROM assessments WHERE kind = 'account' AND level != 'low'")
            )
        }
        for level in ("high", "medium", "low"):
            bundle = json.dumps(export_from_store(conn, min_level=level), ensure_ascii=False)
            for member_id, member in warned.items():
                if member_id in suspects:
                    continue  # an approached account that is itself a suspect is exported as one
                assert member_id not in bundle, (level, member_id)
                assert member_id.rsplit("/", 1)[-1] not in bundle, (level, member_id)
                if member.get("name"):
                    assert member["name"] not in bundle, (level, member["name"])


def test_a_bad_retention_environment_is_one_line(world: Any) -> None:
    r = CliRunner().invoke(
        cli,
        ["--db", world.settings.db_url, "retention", "show"],
        env={"LUREWATCH_RETENTION": "messages=soon"},
    )
    assert r.exit_code == 2 and "environment: retention for 'messages'" in r.output
    shown = CliRunner().invoke(
        cli,
        ["--db", world.settings.db_url, "retention", "show"],
        env={"LUREWATCH_RETENTION": "messages=0"},
    )
    assert "messages\tkept" in shown.output and "sessions\t1\t" in shown.output


def test_an_older_store_is_upgraded_and_its_trail_stays_guarded(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store made before the privacy migration: the old events are guarded the new way."""
    from lurewatch.store import Store
    from lurewatch.store import migrate as migrate_module

    url = f"sqlite:///{tmp_path / 'old.db'}"
    everything = migrate_module.all_migrations
    monkeypatch.setattr(
        migrate_module,
        "all_migrations",
        lambda: [m for m in everything() if m.id != "0820_privacy"],
    )
    old = Store(url)
    with old.write() as conn:
        conn.execute(
            text("INSERT INTO organisations (name, created_at) VALUES ('O', '2026-01-01');")
        )
        conn.execute(
            text(
                "INSERT INTO cases (org_id, subject_kind, subject_id, title, status, priority, "
                "origin, reports, created_at, updated_at) VALUES (1, 'account', 'p', 'P', "
                "'open', 0, 'report', 0, '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO case_events (case_id, at, actor_id, actor, action, reason, data) "
                "VALUES (1, '2026-01-01', NULL, 'a@x.example', 'commented', 'about p', '{}')"
            )
        )
    old.close()
    monkeypatch.setattr(migrate_module, "all_migrations", everything)
    store = Store(url)
    with store.read() as conn:
        assert "0820_privacy" in set(
            conn.execute(text("SELECT id FROM schema_migrations")).scalars()
        )
    with pytest.raises(DatabaseError, match="append-only"), store.write() as conn:
        conn.execute(text("UPDATE case_events SET reason = NULL"))
    with store.write() as conn:
        counts = privacy.subject_erase(conn, "p", privacy.OPERATOR)
        trail = case_store.events(conn, 1)
    assert counts["cases"] == 1 and trail[0]["reason"] is None and trail[0]["action"] == "commented"
    store.close()
