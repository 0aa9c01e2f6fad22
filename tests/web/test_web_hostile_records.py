"""The web front doors on hostile records: the shared validation makes them 4xx or located
rejects, never a 500 (issue 12: anonymous /api/v1/check and the web ingest answered 500)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from web_helpers import api

HOSTILE_CHECKS = [
    '{"text": "a\\ud800b"}',
    '{"text": "nul \\u0000 here"}',
    '{"kind": "account", "name": "x", "created_at": 1e300}',
    '{"text": "hi", "sent_at": 1e18}',
    '{"kind": "account", "name": "x", "connections": 1' + "0" * 400 + "}",
    '{"text": "x", "id": 1' + "0" * 4400 + "}",
    '{"text": NaN}',
    '{"text": ' + "[" * 10_000 + "]" * 10_000 + "}",
]


@pytest.mark.parametrize("body", HOSTILE_CHECKS, ids=range(len(HOSTILE_CHECKS)))
def test_anonymous_check_refuses_hostile_values_without_a_500(
    client: TestClient, body: str
) -> None:
    r = client.post("/api/v1/check", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    r.text.encode("utf-8")


def test_anonymous_check_of_a_100000_character_word(client: TestClient) -> None:
    r = client.post("/api/v1/check", json={"text": "a" * 100_000})
    assert r.status_code == 200
    assert r.json()["level"] == "low"


def test_web_ingest_keeps_the_batch_around_a_hostile_line(client: TestClient, world) -> None:  # noqa: ANN001
    lines = [
        json.dumps({"kind": "message", "id": f"w{i}", "text": f"hello {i}"}) for i in range(50)
    ]
    lines[25] = '{"kind": "message", "id": "bad", "text": "a\\ud800", "sent_at": 1e18}'
    r = client.post(
        "/api/v1/ingest",
        headers=api(client, world, "Org A", "analyst"),
        files={"files": ("feed.jsonl", ("\n".join(lines) + "\n").encode(), "application/x-ndjson")},
    )
    assert r.status_code == 200, r.text[:300]
    source = r.json()["sources"][0]
    assert source["added"]["message"] == 49
    assert [(rej["line"], rej["field"]) for rej in source["rejected"]] == [(26, "text")]
