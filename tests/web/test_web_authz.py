"""Authorisation matrix: every route × every role (and anonymous) × organisation.

A role below the route's minimum gets 403, nobody signed in gets 401 (API) or the login
page (pages); an organisation never sees or touches another's cases, reports or people.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, csrf_of, login, make_world

from lurewatch.settings import Settings
from lurewatch.store import Store
from lurewatch.web import create_app
from lurewatch.web.auth import ROLE_RANK

ACCOUNT = "li:in/demo-ana-ribeiro"
_counter = itertools.count()

# (method, path, json body or None, minimum role)
API_ROUTES: list[tuple[str, str, Any, str]] = [
    ("POST", "/api/v1/check", {"text": "hello there"}, "anonymous"),
    ("GET", "/api/v1/signals", None, "anonymous"),
    ("GET", "/api/v1/health", None, "anonymous"),
    ("GET", "/api/v1/me", None, "member"),
    ("GET", "/api/v1/reports", None, "member"),
    (
        "POST",
        "/api/v1/reports",
        {"sender_name": "Grace", "message_text": "we pay well for reports"},
        "member",
    ),
    ("GET", "/api/v1/assessments", None, "analyst"),
    ("GET", "/api/v1/accounts", None, "analyst"),
    ("GET", f"/api/v1/accounts/{ACCOUNT}", None, "analyst"),
    ("GET", "/api/v1/messages", None, "analyst"),
    ("GET", "/api/v1/campaigns", None, "analyst"),
    ("GET", "/api/v1/watchlist", None, "analyst"),
    ("GET", "/api/v1/export/assessments.jsonl", None, "analyst"),
    ("GET", "/api/v1/export/cases.jsonl", None, "analyst"),
    ("GET", "/api/v1/cases", None, "analyst"),
    ("POST", "/api/v1/cases/sync", {"min_level": "high"}, "analyst"),
    ("GET", "/api/v1/users", None, "admin"),
    ("POST", "/api/v1/users", "new-user", "admin"),
    ("POST", "/api/v1/keys", {"name": "k"}, "admin"),
]

PAGE_ROUTES: list[tuple[str, str]] = [
    ("/check", "anonymous"),
    ("/api", "anonymous"),
    ("/report", "member"),
    ("/reports", "member"),
    ("/dashboard", "analyst"),
    ("/assessments", "analyst"),
    (f"/accounts/{ACCOUNT}", "analyst"),
    ("/campaigns", "analyst"),
    ("/cases", "analyst"),
    ("/admin", "admin"),
]
CALLERS = [None, "member", "analyst", "admin"]


@pytest.fixture(scope="module")
def mod_world(tmp_path_factory: pytest.TempPathFactory, analyzed_template: Path) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("authz") / "authz.db"
    shutil.copy(analyzed_template, path)
    settings = Settings(db_url=f"sqlite:///{path}")
    store = Store(settings.db_url)
    world = make_world(store, settings)
    yield world
    store.close()


@pytest.fixture(scope="module")
def mod_client(mod_world: Any) -> Iterator[TestClient]:
    with TestClient(create_app(mod_world.settings, mod_world.store), follow_redirects=False) as c:
        yield c


def _body(body: Any) -> Any:
    if body == "new-user":
        return {"email": f"new{next(_counter)}@a.example", "role": "member", "password": PASSWORD}
    return body


@pytest.mark.parametrize(
    ("method", "path", "body", "minimum"), API_ROUTES, ids=[f"{m} {p}" for m, p, _, _ in API_ROUTES]
)
def test_api_route_checks_role(
    mod_client: TestClient, mod_world: Any, method: str, path: str, body: Any, minimum: str
) -> None:
    for role in CALLERS:
        headers = {"Authorization": f"Bearer {mod_world.keys[('Org A', role)]}"} if role else {}
        r = mod_client.request(method, path, json=_body(body), headers=headers)
        rank = ROLE_RANK[role or "anonymous"]
        if rank >= ROLE_RANK[minimum]:
            assert r.status_code in (200, 201), (role, r.text)
        elif role is None:
            assert r.status_code == 401, (role, r.text)
            assert r.json()["error"]["code"] == "unauthorized"
        else:
            assert r.status_code == 403, (role, r.text)
            assert r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("path", "minimum"), PAGE_ROUTES, ids=[p for p, _ in PAGE_ROUTES])
def test_page_checks_role(mod_world: Any, path: str, minimum: str) -> None:
    app = create_app(mod_world.settings, mod_world.store)
    for role in CALLERS:
        with TestClient(app, follow_redirects=False) as c:
            if role:
                login(c, mod_world.email("Org B", role))
            r = c.get(path)
            rank = ROLE_RANK[role or "anonymous"]
            if rank >= ROLE_RANK[minimum]:
                assert r.status_code == 200, (role, r.text[:300])
            elif role is None:
                assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
            else:
                assert r.status_code == 403, (role, r.status_code)
                assert "forbidden" in r.text


def _h(world: Any, org: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.keys[(org, role)]}"}


def test_cases_never_cross_organisations(mod_client: TestClient, mod_world: Any) -> None:
    a, b = _h(mod_world, "Org A", "analyst"), _h(mod_world, "Org B", "analyst")
    mod_client.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=a)
    a_cases = mod_client.get("/api/v1/cases?limit=500", headers=a).json()["items"]
    b_cases = mod_client.get("/api/v1/cases?limit=500", headers=b).json()["items"]
    assert a_cases
    assert {c["id"] for c in a_cases}.isdisjoint({c["id"] for c in b_cases})
    target = a_cases[0]["id"]
    assert mod_client.get(f"/api/v1/cases/{target}", headers=b).status_code == 404
    for action, body in (
        ("decide", {"decision": "dismiss", "reason": "x"}),
        ("comment", {"comment": "x"}),
        ("assign", {"assignee": None}),
        ("reopen", {"reason": "x"}),
    ):
        r = mod_client.post(f"/api/v1/cases/{target}/{action}", json=body, headers=b)
        assert r.status_code == 404, (action, r.text)
    assert mod_client.get(f"/api/v1/cases/{target}/approached", headers=b).status_code == 404
    assert mod_client.get(f"/api/v1/cases/{target}", headers=a).status_code == 200
    # nothing B tried left a trace in A's audit trail
    trail = mod_client.get(f"/api/v1/cases/{target}", headers=a).json()["events"]
    assert all(e["actor"] != mod_world.email("Org B", "analyst") for e in trail)
    # pages too
    with TestClient(create_app(mod_world.settings, mod_world.store), follow_redirects=False) as c:
        token = login(c, mod_world.email("Org B", "admin"))
        assert c.get(f"/cases/{target}").status_code == 404
        assert (
            c.post(
                f"/cases/{target}/decide",
                data={"csrf_token": token, "decision": "dismiss", "reason": "x"},
            ).status_code
            == 404
        )
        assert c.get(f"/cases/{target}/approached.csv").status_code == 404


def test_reports_never_cross_organisations_and_members_see_only_theirs(
    mod_client: TestClient, mod_world: Any
) -> None:
    secret = f"report-marker-{next(_counter)}"
    r = mod_client.post(
        "/api/v1/reports",
        json={"message_text": f"We pay well. {secret}"},
        headers=_h(mod_world, "Org A", "member"),
    )
    assert r.status_code == 201
    case_id = r.json()["case_id"]
    seen_by = {
        (org, role): secret
        in mod_client.get("/api/v1/reports?limit=500", headers=_h(mod_world, org, role)).text
        for org in ("Org A", "Org B")
        for role in ("member", "analyst", "admin")
    }
    assert seen_by == {
        ("Org A", "member"): True,
        ("Org A", "analyst"): True,
        ("Org A", "admin"): True,
        ("Org B", "member"): False,
        ("Org B", "analyst"): False,
        ("Org B", "admin"): False,
    }
    assert (
        mod_client.get(
            f"/api/v1/cases/{case_id}", headers=_h(mod_world, "Org B", "admin")
        ).status_code
        == 404
    )
    # a second member of the same organisation does not see the first one's report
    with mod_world.store.write() as conn:
        from lurewatch.web import auth

        uid = auth.add_user(
            conn,
            f"member2-{next(_counter)}@a.example",
            role="member",
            org="Org A",
            password=PASSWORD,
        )
        key = auth.create_api_key(conn, uid)
    assert secret not in mod_client.get("/api/v1/reports", headers={"X-API-Key": key}).text


def test_admins_manage_only_their_organisation(mod_client: TestClient, mod_world: Any) -> None:
    b_admin = _h(mod_world, "Org B", "admin")
    users = mod_client.get("/api/v1/users", headers=b_admin).json()["items"]
    assert users and {u["org"] for u in users} == {"Org B"}
    r = mod_client.post(
        "/api/v1/keys", json={"email": mod_world.email("Org A", "analyst")}, headers=b_admin
    )
    assert r.status_code == 400
    r = mod_client.post(
        "/api/v1/users",
        json={"email": f"x{next(_counter)}@b.example", "role": "admin", "password": PASSWORD},
        headers=b_admin,
    )
    assert r.status_code == 201 and r.json()["organisation"] == "Org B"
    # an analyst cannot assign a case to someone of another organisation
    a = _h(mod_world, "Org A", "analyst")
    mod_client.post("/api/v1/cases/sync", json={"min_level": "medium"}, headers=a)
    case_id = mod_client.get("/api/v1/cases", headers=a).json()["items"][0]["id"]
    r = mod_client.post(
        f"/api/v1/cases/{case_id}/assign",
        json={"assignee": mod_world.email("Org B", "analyst")},
        headers=a,
    )
    assert r.status_code == 400


def test_login_rejects_wrong_password_and_unknown_user(mod_world: Any) -> None:
    with TestClient(create_app(mod_world.settings, mod_world.store), follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        for email, pw in (
            (mod_world.email("Org A", "admin"), "wrong-password-xx"),
            ("nobody@x.example", PASSWORD),
        ):
            r = c.post("/login", data={"csrf_token": token, "email": email, "password": pw})
            assert r.status_code == 401 and "Wrong e-mail or password" in r.text
            assert "lw_session" not in r.cookies


def test_taxii_endpoints_are_for_analysts(mod_client: TestClient, mod_world: Any) -> None:
    pytest.importorskip("lurewatch.intel.taxii_server")
    accept = {"Accept": "application/taxii+json;version=2.1"}
    assert mod_client.get("/taxii2/", headers=accept).status_code == 401
    assert (
        mod_client.get(
            "/taxii2/", headers={**accept, **_h(mod_world, "Org A", "member")}
        ).status_code
        == 401
    )
    r = mod_client.get("/taxii2/", headers={**accept, **_h(mod_world, "Org A", "analyst")})
    assert r.status_code == 200 and "api_roots" in r.json()


def test_password_guessing_is_throttled_per_email(mod_world: Any) -> None:
    from lurewatch.web.throttle import LoginThrottle

    app = create_app(mod_world.settings, mod_world.store)
    app.state.login_throttle = LoginThrottle(limit=3)
    victim = mod_world.email("Org B", "member")
    with TestClient(app, follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        for _ in range(3):
            assert (
                c.post(
                    "/login",
                    data={"csrf_token": token, "email": victim, "password": "guess-guess-guess"},
                ).status_code
                == 401
            )
        r = c.post("/login", data={"csrf_token": token, "email": victim, "password": PASSWORD})
        assert r.status_code == 429 and "Too many failed attempts" in r.text
        # another account is not affected
        r = c.post(
            "/login",
            data={
                "csrf_token": token,
                "email": mod_world.email("Org B", "analyst"),
                "password": PASSWORD,
            },
        )
        assert r.status_code == 303
