"""Pages through the TestClient: check, login, report → case, triage, decide, audit, CSRF."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_helpers import csrf_of, login

LURE = "Our client in Asia pays a generous fee for short reports. Can we continue on WhatsApp?"


def test_check_page_anonymous_shows_verdict_evidence_in_context_and_advice(
    client: TestClient,
) -> None:
    page = client.get("/check")
    assert page.status_code == 200
    assert "lw_csrf" in page.cookies
    r = client.post(
        "/check", data={"csrf_token": csrf_of(page.text), "kind": "message", "text": LURE}
    )
    assert r.status_code == 200
    assert 'id="result"' in r.text
    assert re.search(r"<mark>[^<]+</mark>", r.text)  # the span is highlighted in its context
    assert "What to do" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")


def test_check_profile_form(client: TestClient) -> None:
    token = csrf_of(client.get("/check").text)
    r = client.post(
        "/check",
        data={
            "csrf_token": token,
            "kind": "account",
            "name": "Grace Lin",
            "headline": "Head hunter",
            "company": "RiseHR",
            "connections": "12",
            "created_at": "2026-10-01",
        },
    )
    assert r.status_code == 200 and 'id="result"' in r.text


def test_check_empty_and_bad_input_get_a_message_not_a_crash(client: TestClient) -> None:
    token = csrf_of(client.get("/check").text)
    r = client.post("/check", data={"csrf_token": token, "kind": "message", "text": "  "})
    assert r.status_code == 400 and "paste the message" in r.text
    r = client.post(
        "/check", data={"csrf_token": token, "kind": "account", "name": "x", "connections": "many"}
    )
    assert r.status_code == 400 and "connections" in r.text


def test_forms_without_the_csrf_token_are_refused(client: TestClient, world) -> None:  # noqa: ANN001
    r = client.post("/check", data={"kind": "message", "text": LURE})
    assert r.status_code == 403 and "did not come from this site" in r.text
    login(client, world.email("Org A", "analyst"))
    r = client.post("/cases/sync", data={"csrf_token": "forged", "min_level": "high"})
    assert r.status_code == 403
    r = client.post("/report", data={"message_text": "x"})
    assert r.status_code == 403


def test_login_redirects_back_but_never_off_site(client: TestClient, world) -> None:  # noqa: ANN001
    assert client.get("/cases").headers["location"] == "/login?next=/cases"
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": world.email("Org A", "analyst"),
            "password": "a-long-test-password",
            "next": "//evil.example/x",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_member_report_becomes_a_case_analyst_decides_and_the_audit_trail_keeps_it(
    app, world
) -> None:  # noqa: ANN001
    with TestClient(app, follow_redirects=False) as member:
        token = login(member, world.email("Org A", "member"))
        r = member.post(
            "/report",
            data={
                "csrf_token": token,
                "sender_name": "Grace Lin",
                "company": "RiseHR",
                "account_id": "li:in/demo-grace-lin-hr",
                "message_text": LURE,
                "note": "felt odd",
            },
            files={"file": ("message.txt", b"saved copy of the message", "text/plain")},
        )
        assert r.status_code == 200, r.text[:500]
        assert "report #" in r.text and "message.txt" in r.text
        assert (
            "/cases/" not in r.text.split('id="report-done"')[1].split("</section>")[0]
        )  # members get no case link
        assert "Grace Lin" in member.get("/reports").text
    with TestClient(app, follow_redirects=False) as analyst:
        token = login(analyst, world.email("Org A", "analyst"))
        queue = analyst.get("/cases").text
        case_id = int(re.search(r'href="/cases/(\d+)">[^<]*report', queue).group(1))
        page = analyst.get(f"/cases/{case_id}").text
        assert "felt odd" in page and "message.txt" in page
        assert (
            analyst.post(
                f"/cases/{case_id}/assign",
                data={"csrf_token": token, "assignee": world.email("Org A", "analyst")},
            ).status_code
            == 303
        )
        assert (
            analyst.post(
                f"/cases/{case_id}/comment",
                data={"csrf_token": token, "comment": "Persona matches BfV list"},
            ).status_code
            == 303
        )
        r = analyst.post(
            f"/cases/{case_id}/decide",
            data={
                "csrf_token": token,
                "decision": "remove",
                "reason": "front company, lure template",
            },
        )
        assert r.status_code == 303
        page = analyst.get(f"/cases/{case_id}").text
        trail = page.split('id="audit"')[1]
        for action in ("opened", "report_added", "assigned", "commented", "decided"):
            assert f"<td>{action}</td>" in trail
        assert "front company, lure template" in trail and world.email("Org A", "analyst") in trail
        assert "Members to warn" in page
        csv_text = analyst.get(f"/cases/{case_id}/approached.csv").text
        assert csv_text.splitlines()[0] == "member_id,name,company,approached_by"
        assert len(csv_text.splitlines()) > 1  # the persona approached ministry staff in the sample
        # a decided case cannot be decided twice without reopening
        r = analyst.post(
            f"/cases/{case_id}/decide",
            data={"csrf_token": token, "decision": "dismiss", "reason": "x"},
        )
        assert (
            "already+decided" in r.headers["location"]
            or "already%20decided" in r.headers["location"]
        )
        assert "<td>exported</td>" in analyst.get(f"/cases/{case_id}").text


def test_decide_needs_a_reason(app, world) -> None:  # noqa: ANN001
    with TestClient(app, follow_redirects=False) as analyst:
        token = login(analyst, world.email("Org A", "analyst"))
        analyst.post("/cases/sync", data={"csrf_token": token, "min_level": "high"})
        case_id = int(re.search(r'href="/cases/(\d+)"', analyst.get("/cases").text).group(1))
        r = analyst.post(
            f"/cases/{case_id}/decide",
            data={"csrf_token": token, "decision": "remove", "reason": "  "},
        )
        assert "error=" in r.headers["location"]
        assert "decided" not in analyst.get(f"/cases/{case_id}").text.split('id="audit"')[1]


def test_dashboard_account_and_campaign_pages_render(app, world) -> None:  # noqa: ANN001
    with TestClient(app, follow_redirects=False) as analyst:
        login(analyst, world.email("Org B", "analyst"))
        dash = analyst.get("/dashboard")
        assert dash.status_code == 200 and dash.text.count("<svg") >= 2
        acct = analyst.get("/accounts/li:in/demo-grace-lin-hr")
        assert acct.status_code == 200 and "Neighbourhood" in acct.text and "<svg" in acct.text
        assert analyst.get("/accounts/nobody-here").status_code == 404
        camps = analyst.get("/campaigns")
        assert camps.status_code == 200
        first = re.search(r'href="/campaigns/([^"]+)"', camps.text)
        if first:  # campaign linking present in this installation
            page = analyst.get(f"/campaigns/{first.group(1)}")
            assert page.status_code == 200 and "<svg" in page.text
        assert analyst.get("/campaigns/does-not-exist").status_code == 404
        assert analyst.get("/assessments?kind=message&level=high").status_code == 200


def test_admin_adds_people_and_keys_shown_once(app, world) -> None:  # noqa: ANN001
    with TestClient(app, follow_redirects=False) as admin:
        token = login(admin, world.email("Org B", "admin"))
        r = admin.post(
            "/admin/users",
            data={
                "csrf_token": token,
                "email": "new@b.example",
                "role": "analyst",
                "password": "another-long-password",
            },
        )
        assert r.status_code == 303
        r = admin.post(
            "/admin/keys", data={"csrf_token": token, "email": "new@b.example", "name": "ingest"}
        )
        key = re.search(r"lw_[0-9a-f]{8}_[\w-]+", r.text).group(0)
        assert admin.get("/admin").text.count(key) == 0  # never shown again
        assert (
            admin.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()["role"]
            == "analyst"
        )


def test_logout_ends_the_session(client: TestClient, world) -> None:  # noqa: ANN001
    token = login(client, world.email("Org A", "member"))
    assert client.get("/report").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/report").status_code == 303


def test_check_result_offers_a_prefilled_report_that_is_not_sent_until_confirmed(
    client: TestClient, world
) -> None:  # noqa: ANN001
    token = login(client, world.email("Org A", "member"))
    r = client.post(
        "/check",
        data={
            "csrf_token": token,
            "kind": "message",
            "text": LURE,
            "sender_name": "Grace <b>Lin</b>",
        },
    )
    assert 'id="report-this"' in r.text
    hidden = dict(
        re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"',
            r.text.split('id="report-this"')[1].split("</form>")[0],
        )
    )
    assert hidden["prefill"] == "1" and "&lt;b&gt;" in hidden["sender_name"]
    import html

    form = {k: html.unescape(v) for k, v in hidden.items()}
    page = client.post("/report", data=form)
    assert page.status_code == 200 and 'id="report-done"' not in page.text
    assert "generous fee" in page.text.split('name="message_text"')[1][:400]
    assert client.get("/api/v1/reports").json()["items"] == []
