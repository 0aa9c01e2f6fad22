"""Helpers shared by the web tests (a uniquely named module: test folders have no __init__)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from lurewatch.settings import BUNDLED_DATA_DIR, Settings
from lurewatch.store import Store
from lurewatch.web import auth

PASSWORD = "a-long-test-password"
SAMPLE_FEED = BUNDLED_DATA_DIR / "sample" / "feed.jsonl"
ROLES = ("member", "analyst", "admin")
ORGS = ("Org A", "Org B")


@dataclass
class World:
    store: Store
    settings: Settings
    keys: dict[tuple[str, str], str]  # (org, role) -> API key

    def email(self, org: str, role: str) -> str:
        return f"{role}@{org.split()[-1].lower()}.example"


def make_world(store: Store, settings: Settings) -> World:
    keys: dict[tuple[str, str], str] = {}
    world = World(store, settings, keys)
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    original = auth._hasher
    auth._hasher = hasher
    try:
        with store.write() as conn:
            for org in ORGS:
                for role in ROLES:
                    uid = auth.add_user(
                        conn, world.email(org, role), role=role, org=org, password=PASSWORD
                    )
                    keys[(org, role)] = auth.create_api_key(conn, uid, "test")
    finally:
        auth._hasher = original
    return world


def api(client: TestClient, world: World, org: str | None, role: str | None) -> dict[str, str]:
    """Headers for an API call as (org, role); None means anonymous."""
    if org is None or role is None:
        return {}
    return {"Authorization": f"Bearer {world.keys[(org, role)]}"}


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Signs in through the form; returns the session's CSRF token for later forms."""
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(page.text),
            "email": email,
            "password": password,
            "next": "/check",
        },
    )
    assert r.status_code == 303, r.text[:500]
    return csrf_of(client.get("/check").text)
