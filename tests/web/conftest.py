"""Fixtures for the web tests: a seeded store (sample feed, analyzed once per session), two
organisations with a member, an analyst and an admin each."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from web_helpers import SAMPLE_FEED, World, make_world

from lurewatch.settings import Settings
from lurewatch.store import Store
from lurewatch.web import auth, create_app


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with minimal cost in tests only (production keeps the library defaults)."""
    monkeypatch.setattr(
        auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture(scope="session")
def analyzed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample feed ingested and analyzed once; each test gets a copy of the file."""
    from lurewatch.engine.service import analyze, ingest_sources

    path = tmp_path_factory.mktemp("template") / "template.db"
    settings = Settings(db_url=f"sqlite:///{path}")
    store = Store(settings.db_url)
    if SAMPLE_FEED.exists():
        ingest_sources(store, [SAMPLE_FEED])
        analyze(store, settings)
    store.close()
    return path


@pytest.fixture
def world(tmp_path: Path, analyzed_template: Path) -> Iterator[World]:
    path = tmp_path / "web.db"
    shutil.copy(analyzed_template, path)
    settings = Settings(db_url=f"sqlite:///{path}")
    store = Store(settings.db_url)
    yield make_world(store, settings)
    store.close()


@pytest.fixture
def app(world: World):  # noqa: ANN201
    return create_app(world.settings, world.store)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app, follow_redirects=False) as c:
        yield c
