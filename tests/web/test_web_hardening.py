"""Web hardening (issue 12): bounded login throttles, proxy headers and Secure cookies, escaped
search wildcards, request models that refuse unknown fields, no cross-organisation existence
leak when adding people, field size limits."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from web_helpers import PASSWORD, api, csrf_of

from lurewatch.store.tables.web import member_reports, users
from lurewatch.web import auth, create_app
from lurewatch.web.throttle import HashGate, LoginThrottle, WindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ throttle (pure)


def test_limiter_memory_is_bounded_and_never_forgets_everything() -> None:
    clock = Clock()
    limiter = WindowLimiter(limit=3, window=60, max_keys=500, clock=clock)
    for _ in range(3):
        limiter.failed("victim@x.example")
    assert limiter.blocked("victim@x.example")
    for i in range(20_000):  # a spray of ever-new keys
        limiter.failed(f"spray-{i}@x.example")
        if i % 100 == 0:  # the attacked key keeps failing: it stays the most recent
            limiter.failed("victim@x.example")
        assert len(limiter) <= 500
    assert limiter.blocked("victim@x.example")
    assert limiter.blocked("spray-19999@x.example") is False  # one failure only
    assert "spray-0@x.example" not in limiter._failures  # the oldest went, one at a time
    assert len(limiter) == 500


def test_limiter_window_slides() -> None:
    clock = Clock()
    limiter = WindowLimiter(limit=2, window=60, clock=clock)
    limiter.failed("k")
    clock.now += 30
    limiter.failed("k")
    assert limiter.blocked("k") and limiter.retry_after("k") == 31
    clock.now += 31
    assert not limiter.blocked("k")  # the first failure left the window
    clock.now += 60
    assert not limiter.blocked("k") and len(limiter) == 0  # empty keys are dropped


def test_throttle_per_address_and_per_account() -> None:
    throttle = LoginThrottle(limit=3, ip_limit=5, clock=Clock())
    for i in range(5):
        assert throttle.blocked(f"new-{i}@x.example", "10.0.0.1") is None
        throttle.failed(f"new-{i}@x.example", "10.0.0.1")
    assert throttle.blocked("anyone@x.example", "10.0.0.1") == "address"
    assert throttle.blocked("anyone@x.example", "10.0.0.2") is None
    for _ in range(3):
        throttle.failed("Victim@X.example ", "10.0.0.3")
    assert throttle.blocked("victim@x.example", "10.0.0.4") == "account"
    throttle.succeeded("victim@x.example")
    assert throttle.blocked("victim@x.example", "10.0.0.4") is None


def test_concurrent_attempts_cannot_slip_past_the_limit() -> None:
    throttle = LoginThrottle(limit=100, ip_limit=5)
    passed: list[str] = []
    barrier = threading.Barrier(40)

    def attempt(i: int) -> None:
        barrier.wait()
        if throttle.begin(f"new-{i}@x.example", "10.0.0.9") is None:
            passed.append(f"new-{i}")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5
    throttle.succeeded("new-0@x.example", "10.0.0.9")  # a success gives the attempt back
    assert throttle.begin("someone@x.example", "10.0.0.9") is None
    assert throttle.begin("someone@x.example", "10.0.0.9") == "address"


def test_hash_gate_bounds_concurrent_hashing() -> None:
    gate = HashGate(slots=2, timeout=5)
    inside = 0
    most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        with gate.slot() as ok:
            assert ok
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 2
    busy = HashGate(slots=1, timeout=0.05)
    with busy.slot() as first, busy.slot() as second:
        assert first and not second


# ------------------------------------------------------------------ login over HTTP


class CountingHasher:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.verifies = 0
        self.hashes = 0

    def verify(self, stored: str, password: str) -> bool:
        self.verifies += 1
        return self.inner.verify(stored, password)

    def hash(self, password: str) -> str:
        self.hashes += 1
        return self.inner.hash(password)


def test_a_spray_of_new_emails_from_one_address_stops_before_hashing(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    app = create_app(world.settings, world.store)
    app.state.login_throttle = LoginThrottle(limit=10, ip_limit=5)
    with TestClient(app, follow_redirects=False, client=("203.0.113.9", 5000)) as c:
        token = csrf_of(c.get("/login").text)
        codes = [
            c.post(
                "/login",
                data={"csrf_token": token, "email": f"n{i}@spray.example", "password": "x" * 12},
            ).status_code
            for i in range(40)
        ]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
        assert counting.verifies == 5  # refused attempts cost no argon2
        r = c.post(
            "/login",
            data={
                "csrf_token": token,
                "email": world.email("Org A", "member"),
                "password": PASSWORD,
            },
        )
        assert r.status_code == 429 and "from your address" in r.text
    with TestClient(app, follow_redirects=False, client=("203.0.113.10", 5000)) as other:
        token = csrf_of(other.get("/login").text)
        r = other.post(
            "/login",
            data={
                "csrf_token": token,
                "email": world.email("Org A", "member"),
                "password": PASSWORD,
            },
        )
        assert r.status_code == 303  # another address is not affected


def test_an_overlong_password_is_refused_without_hashing(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    with TestClient(create_app(world.settings, world.store), follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        r = c.post(
            "/login",
            data={"csrf_token": token, "email": "a@x.example", "password": "p" * 1025},
        )
        assert r.status_code == 422 and counting.verifies == 0  # refused before any hashing


# ------------------------------------------------------------------ TLS and proxy headers


def _login_cookie(client: TestClient, world: Any, headers: dict[str, str] | None = None) -> str:
    # (the form is fetched over plain http so the test client sends its CSRF cookie back)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"csrf_token": token, "email": world.email("Org A", "analyst"), "password": PASSWORD},
        headers=headers,
    )
    assert r.status_code == 303, r.text[:300]
    return r.headers["set-cookie"]


def test_session_cookie_is_secure_over_https_only(world: Any) -> None:
    app = create_app(world.settings, world.store)
    with TestClient(app, follow_redirects=False, base_url="https://testserver") as c:
        cookie = _login_cookie(c, world)
        assert "lw_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        assert c.get("/check").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app, follow_redirects=False) as c:
        assert "Secure" not in _login_cookie(c, world)
        assert "strict-transport-security" not in c.get("/check").headers


def test_behind_a_trusted_proxy_x_forwarded_proto_makes_cookies_secure(world: Any) -> None:
    app = create_app(world.settings, world.store)
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="10.0.0.5")
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    with TestClient(proxied, follow_redirects=False, client=("10.0.0.5", 4000)) as c:
        cookie = _login_cookie(c, world, https)
        assert "Secure" in cookie
        fresh = TestClient(proxied, client=("10.0.0.5", 4000)).get("/check", headers=https)
        assert "Secure" in fresh.headers["set-cookie"]  # the CSRF cookie too
    # a client that is not the proxy cannot claim https (nor another address)
    with TestClient(proxied, follow_redirects=False, client=("198.51.100.8", 4000)) as c:
        assert "Secure" not in _login_cookie(c, world, https)


def test_the_throttle_sees_the_forwarded_client_address(world: Any) -> None:
    app = create_app(world.settings, world.store)
    app.state.login_throttle = LoginThrottle(ip_limit=2)
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="10.0.0.5")
    with TestClient(proxied, follow_redirects=False, client=("10.0.0.5", 4000)) as c:
        token = csrf_of(c.get("/login").text)
        for ip, expected in (("198.51.100.1", [401, 401, 429]), ("198.51.100.2", [401])):
            got = [
                c.post(
                    "/login",
                    data={"csrf_token": token, "email": "nobody@x.example", "password": "y" * 12},
                    headers={"X-Forwarded-For": ip},
                ).status_code
                for _ in expected
            ]
            assert got == expected


def test_serve_passes_proxy_options_to_uvicorn(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from lurewatch.cli.main import cli

    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.append(kw))
    db = str(tmp_path / "s.db")
    args = ["--db", db, "serve", "--proxy-headers", "--forwarded-allow-ips", "10.0.0.5,10.0.0.6"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert CliRunner().invoke(cli, ["--db", db, "serve"]).exit_code == 0
    assert seen[0]["proxy_headers"] is True
    assert seen[0]["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6"
    assert seen[1]["proxy_headers"] is False  # by default nobody's X-Forwarded-* is believed
    assert "--forwarded-allow-ips" in CliRunner().invoke(cli, ["serve", "--help"]).output


# ------------------------------------------------------------------ search, unknown fields, sizes


def test_search_wildcards_match_literally(client: TestClient, world: Any) -> None:
    h = api(client, world, "Org A", "analyst")
    everything = client.get("/api/v1/accounts", params={"limit": 500}, headers=h).json()["items"]
    assert everything
    for pattern in ("%", "_", "%%", "\\"):
        found = client.get("/api/v1/accounts", params={"q": pattern}, headers=h).json()["items"]
        literal = [
            a
            for a in everything
            if any(pattern in str(a.get(k) or "").lower() for k in ("name", "company", "record_id"))
        ]
        assert len(found) == len(literal), pattern
    some = everything[0]
    word = str(some.get("name") or some["record_id"])[:4].lower()
    hits = client.get("/api/v1/accounts", params={"q": word}, headers=h).json()["items"]
    assert hits  # plain search still works


def test_report_with_an_unknown_field_is_refused_and_not_stored(
    client: TestClient, world: Any
) -> None:
    h = api(client, world, "Org A", "member")
    with world.store.read() as conn:
        before = conn.execute(select(func.count()).select_from(member_reports)).scalar_one()
    r = client.post(
        "/api/v1/reports",
        json={"message_text": "Our client pays well for reports.", "attachment_url": "x"},
        headers=h,
    )
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "invalid_input" and "attachment_url" in body["message"]
    with world.store.read() as conn:
        after = conn.execute(select(func.count()).select_from(member_reports)).scalar_one()
    assert after == before
    ok = client.post("/api/v1/reports", json={"message_text": "Our client pays well."}, headers=h)
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cases/sync", {"min_level": "high", "dry_run": True}),
        ("/api/v1/keys", {"name": "k", "scope": "all"}),
        ("/api/v1/users", {"email": "z@a.example", "role": "member", "is_admin": True}),
    ],
)
def test_every_request_model_refuses_unknown_fields(
    client: TestClient, world: Any, path: str, body: dict[str, Any]
) -> None:
    r = client.post(path, json=body, headers=api(client, world, "Org A", "admin"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"


def test_check_accepts_record_fields_and_refuses_others(client: TestClient) -> None:
    ok = client.post(
        "/api/v1/check",
        json={"kind": "account", "name": "A. Person", "connections": 12, "location": "Berlin"},
    )
    assert ok.status_code == 200
    r = client.post("/api/v1/check", json={"text": "hello there", "txet": "typo"})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "txet"


def test_field_size_limits_name_the_field(client: TestClient) -> None:
    r = client.post("/api/v1/check", json={"text": "a " * 50_001})
    assert r.status_code == 422 and "text" in r.json()["error"]["message"]
    token = csrf_of(client.get("/check").text)
    r = client.post("/check", data={"csrf_token": token, "sender_name": "n" * 2_001, "text": "x"})
    assert r.status_code == 422 and "sender_name" in r.text


# ------------------------------------------------------------------ cross-organisation existence


def test_adding_an_address_of_another_organisation_reveals_nothing(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    h = api(client, world, "Org A", "admin")
    taken = world.email("Org B", "analyst")
    answers = []
    for email in (taken, "free-address@a.example"):
        counting.hashes = 0
        r = client.post(
            "/api/v1/users",
            json={"email": email, "role": "member", "password": PASSWORD},
            headers=h,
        )
        body = r.json()
        body.pop("email")
        answers.append((r.status_code, body, counting.hashes))
    assert answers[0] == answers[1]  # same status, same answer, same hashing work
    assert answers[0][0] == 201 and answers[0][2] == 1
    with world.store.read() as conn:
        row = conn.execute(select(users.c.org_id, users.c.role).where(users.c.email == taken)).one()
    assert row.role == "analyst"  # the other organisation's user is untouched
    listed = client.get("/api/v1/users", headers=h).json()["items"]
    assert "free-address@a.example" in {u["email"] for u in listed}
    assert taken not in {u["email"] for u in listed}
    # within one's own organisation, a duplicate is a plain error (nothing to hide)
    r = client.post(
        "/api/v1/users",
        json={"email": world.email("Org A", "member"), "role": "member"},
        headers=h,
    )
    assert r.status_code == 400 and "already in your organisation" in r.json()["error"]["message"]
