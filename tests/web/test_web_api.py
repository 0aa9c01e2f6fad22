"""REST API: check, lists with paging, error shape, size limits, API keys, exports, ingest."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from web_helpers import api, login

from lurewatch.web import create_app
from lurewatch.web.auth import revoke_api_key

LURE = (
    "Dear Sir, I represent a think tank. Our client in Asia pays a generous fee for short reports "
    "on policy developments. Can we continue on WhatsApp?"
)


def assert_error(r, status: int, code: str) -> dict:  # noqa: ANN001
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_check_message_gives_verdict_with_evidence_spans_in_checked_text(
    client: TestClient,
) -> None:
    r = client.post("/api/v1/check", json={"text": LURE})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["level"] in ("medium", "high")
    assert out["evidence"] and out["advice"]
    for ev in out["evidence"]:
        if ev.get("span") and ev.get("quote"):
            s, e = ev["span"]
            assert out["checked_text"][s:e].casefold() == ev["quote"].casefold()


def test_check_same_answer_as_the_cli_path(client: TestClient, app) -> None:  # noqa: ANN001
    from lurewatch.records import record_from_dict

    expected = app.state.assessor().assess(
        record_from_dict({"kind": "message", "id": "check", "text": LURE})
    )
    got = client.post("/api/v1/check", json={"text": LURE}).json()
    assert got["score"] == round(expected.score, 4)
    assert [e["signal"] for e in got["evidence"]] == [e.signal for e in expected.evidence]


def test_check_account(client: TestClient) -> None:
    r = client.post(
        "/api/v1/check",
        json={
            "kind": "account",
            "name": "Grace Lin",
            "headline": "Senior Headhunter",
            "company": "RiseHR",
            "connections": 3,
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "account"


def test_check_errors_have_one_shape(client: TestClient) -> None:
    err = assert_error(client.post("/api/v1/check", json={"text": "   "}), 400, "invalid_input")
    assert err["details"]["field"] == "text"
    err = assert_error(
        client.post("/api/v1/check", json={"kind": "edge", "text": "x"}), 422, "invalid_input"
    )
    assert err["details"]["problems"][0]["field"] == "kind"
    assert_error(
        client.post(
            "/api/v1/check", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid_input",
    )
    err = assert_error(
        client.post(
            "/api/v1/check", json={"text": "hi", "created_at": "yesterday-ish", "kind": "account"}
        ),
        400,
        "invalid_input",
    )
    assert err["details"]["field"] == "created_at"
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/v1/check"), 405, "method_not_allowed")


def test_request_size_limit_before_and_while_reading(world) -> None:  # noqa: ANN001
    small = create_app(world.settings, world.store, max_body=2_000)
    with TestClient(small) as c:
        err = assert_error(c.post("/api/v1/check", json={"text": "x" * 5_000}), 413, "too_large")
        assert "2,000" in err["message"]

        def chunks():  # no Content-Length: the limit is enforced while streaming
            for _ in range(10):
                yield b"x" * 1_000

        r = c.post("/api/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert_error(r, 413, "too_large")


def test_assessments_paging_and_filters(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    first = client.get("/api/v1/assessments?kind=message&limit=5", headers=h).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    second = client.get("/api/v1/assessments?kind=message&limit=5&offset=5", headers=h).json()
    assert {a["id"] for a in first["items"]}.isdisjoint({a["id"] for a in second["items"]})
    scores = [a["score"] for a in first["items"] + second["items"]]
    assert scores == sorted(scores, reverse=True)
    high = client.get("/api/v1/assessments?level=high&limit=500", headers=h).json()["items"]
    assert high and all(a["level"] == "high" for a in high)
    assert_error(client.get("/api/v1/assessments?limit=100000", headers=h), 422, "invalid_input")


def test_api_keys_bad_and_revoked(client: TestClient, world) -> None:  # noqa: ANN001
    assert_error(
        client.get("/api/v1/me", headers={"Authorization": "Bearer lw_nope_nope"}),
        401,
        "unauthorized",
    )
    key = world.keys[("Org A", "analyst")]
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).json()["organisation"] == "Org A"
    with world.store.write() as conn:
        assert revoke_api_key(conn, key.split("_")[1])
    assert_error(client.get("/api/v1/me", headers={"X-API-Key": key}), 401, "unauthorized")


def test_session_cookie_api_writes_need_csrf_header(client: TestClient, world) -> None:  # noqa: ANN001
    token = login(client, world.email("Org A", "analyst"))
    assert client.get("/api/v1/cases").status_code == 200  # reads are fine with the cookie
    assert_error(client.post("/api/v1/cases/sync", json={}), 403, "csrf_failed")
    r = client.post("/api/v1/cases/sync", json={}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["created"] > 0


def test_openapi_served_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/check" in spec["paths"] and "/api/v1/cases/{case_id}/decide" in spec["paths"]
    assert client.get("/docs").status_code == 404
    page = client.get("/api").text
    assert "/api/v1/check" in page and "cdn" not in page.lower()


def test_export_assessments_jsonl(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org B", "analyst")
    lines = client.get("/api/v1/export/assessments.jsonl", headers=h).text.splitlines()
    total = sum(
        len(client.get(f"/api/v1/assessments?kind={k}&limit=500", headers=h).json()["items"])
        for k in ("account", "message")
    )
    assert len(lines) == total > 0
    assert all("score" in json.loads(line) for line in lines)


def test_ingest_jsonl_upload_reports_bad_lines_and_keeps_the_rest(
    client: TestClient, world
) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    feed = (
        json.dumps({"kind": "account", "id": "up-1", "name": "Up One"})
        + "\n"
        + "{broken json\n"
        + json.dumps(
            {
                "kind": "message",
                "id": "up-m1",
                "text": "hello",
                "sender": "up-1",
                "sent_at": "not a date",
            }
        )
        + "\n"
        + json.dumps({"kind": "message", "id": "up-m2", "text": "hello again", "sender": "up-1"})
        + "\n"
    )
    r = client.post(
        "/api/v1/ingest",
        headers=h,
        files={"files": ("feed <b>.jsonl", feed.encode(), "application/x-ndjson")},
    )
    assert r.status_code == 200, r.text
    source = r.json()["sources"][0]
    assert source["added"]["account"] == 1 and source["added"]["message"] == 1
    assert len(source["rejected"]) == 2
    assert {rej["line"] for rej in source["rejected"]} == {2, 3}
    assert "/tmp" not in r.text  # our temporary paths never leak


def test_ingest_refuses_other_types_and_broken_archives(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    err = assert_error(
        client.post(
            "/api/v1/ingest",
            headers=h,
            files={"files": ("evil.exe", b"MZ", "application/octet-stream")},
        ),
        415,
        "unsupported_media_type",
    )
    assert "evil.exe" in err["message"]
    r = client.post(
        "/api/v1/ingest",
        headers=h,
        files={"files": ("export.zip", b"this is not a zip", "application/zip")},
    )
    assert r.status_code == 200
    assert r.json()["rejected"] >= 1
    assert_error(
        client.post(
            "/api/v1/ingest",
            headers=api(client, world, "Org A", "member"),
            files={"files": ("a.jsonl", b"{}", "x")},
        ),
        403,
        "forbidden",
    )


def test_ingest_a_linkedin_archive_upload(client: TestClient, world) -> None:  # noqa: ANN001
    from web_helpers import SAMPLE_FEED

    archive = SAMPLE_FEED.parent / "linkedin-export.zip"
    if not archive.exists():
        import pytest

        pytest.skip("no bundled sample archive")
    h = api(client, world, "Org A", "admin")
    r = client.post(
        "/api/v1/ingest",
        headers=h,
        files={"files": ("my export.zip", archive.read_bytes(), "application/zip")},
    )
    assert r.status_code == 200, r.text
    source = r.json()["sources"][0]
    assert source["source"] == "my export.zip"
    assert sum(source["added"].values()) > 0


def test_messages_filter_by_level_and_sender(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    high = client.get("/api/v1/messages?level=high&limit=500", headers=h).json()["items"]
    assert high and all(m["level"] == "high" for m in high)
    sender = high[0]["sender"]
    mine = client.get(
        "/api/v1/messages", params={"sender": sender, "limit": 500}, headers=h
    ).json()["items"]
    assert mine and all(m["sender"] == sender for m in mine)


def test_disabled_users_lose_sessions_and_keys(client: TestClient, world) -> None:  # noqa: ANN001
    from lurewatch.web.auth import set_active

    login(client, world.email("Org A", "member"))
    key = world.keys[("Org A", "member")]
    assert client.get("/report").status_code == 200
    with world.store.write() as conn:
        set_active(conn, world.email("Org A", "member"), False)
    assert client.get("/report").status_code == 303
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 401


def test_cases_assigned_to_me(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    client.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=h)
    cases = client.get("/api/v1/cases", headers=h).json()
    assert cases["total"] >= 2
    target = cases["items"][1]["id"]
    client.post(
        f"/api/v1/cases/{target}/assign",
        json={"assignee": world.email("Org A", "analyst")},
        headers=h,
    )
    mine = client.get("/api/v1/cases?mine=true", headers=h).json()
    assert [c["id"] for c in mine["items"]] == [target] and mine["total"] == 1
    assert (
        client.get("/api/v1/cases?mine=true", headers=api(client, world, "Org A", "admin")).json()[
            "items"
        ]
        == []
    )


def test_export_cases_with_audit_trails_stays_in_the_organisation(
    client: TestClient, world
) -> None:  # noqa: ANN001
    a = api(client, world, "Org A", "analyst")
    client.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=a)
    first = client.get("/api/v1/cases", headers=a).json()["items"][0]["id"]
    client.post(
        f"/api/v1/cases/{first}/decide",
        json={"decision": "escalate", "reason": "national agency"},
        headers=a,
    )
    rows = [
        json.loads(x) for x in client.get("/api/v1/export/cases.jsonl", headers=a).text.splitlines()
    ]
    assert (
        len(rows)
        == client.get("/api/v1/cases?status=open&limit=500", headers=a).json()["total"] + 1
    )
    decided = next(r for r in rows if r["id"] == first)
    assert [e["action"] for e in decided["events"]] == ["opened", "decided"] and decided["events"][
        1
    ]["reason"] == "national agency"
    assert (
        client.get(
            "/api/v1/export/cases.jsonl", headers=api(client, world, "Org B", "analyst")
        ).text
        == ""
    )
