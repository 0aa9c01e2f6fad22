"""Graph early warnings in the STIX export: a `sighting` of the suspected account, counts only."""

from __future__ import annotations

import json

import stix2

from lurewatch.intel.stix_out import build_bundle, validate_bundle

FAKE = {"id": "x1", "name": "Dr Lure", "username": "dr-lure"}
ASSESSED = {"x1": {"score": 0.9, "level": "high", "model": "rules-v1", "evidence": []}}
ALERT = {
    "account": "x1",
    "organisation": "Acme Labs",
    "staff": 11,
    "days": 10,
    "same_department": 9,
    "department": "Research",
    "first": "2026-03-01T09:00:00+00:00",
    "last": "2026-03-12T17:00:00+00:00",
    "path": {
        "entry": ["staff-a", "staff-b"],
        "followers": [{"member": "staff-c", "at": "2026-03-03T00:00:00+00:00", "shared": 2}],
        "min_shared": 2,
        "to_warn": ["staff-d"],
    },
}


def test_early_warning_becomes_a_valid_sighting_without_staff_ids() -> None:
    bundle = build_bundle(
        accounts=[FAKE],
        assessments=ASSESSED,
        sightings=[ALERT, {**ALERT, "account": "someone-not-exported"}],
        now="2026-03-13T00:00:00Z",
    )
    assert validate_bundle(bundle, full=False) == []
    stix2.parse(json.dumps(bundle), allow_custom=False)
    sightings = [o for o in bundle["objects"] if o["type"] == "sighting"]
    assert len(sightings) == 1  # only about exported accounts
    s = sightings[0]
    person = next(o for o in bundle["objects"] if o.get("name") == "Dr Lure")
    org = next(o for o in bundle["objects"] if o.get("name") == "Acme Labs")
    assert s["sighting_of_ref"] == person["id"] and s["where_sighted_refs"] == [org["id"]]
    assert s["count"] == 11 and s["first_seen"].startswith("2026-03-01")
    assert "9 of them in one department" in s["description"]
    assert "then 1 colleagues accepted, each sharing 2+ contacts" in s["description"]
    text = json.dumps(bundle)
    assert "staff-" not in text  # the members reached or to warn never leave


def test_export_from_store_turns_stored_alerts_into_sightings(store_url: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import inspect

    from lurewatch.intel.repository import export_from_store
    from lurewatch.store import Store
    from lurewatch.store.tables.core import accounts, assessments

    store = Store(store_url)
    now = datetime(2026, 3, 13, tzinfo=UTC)
    with store.write() as conn:
        if not inspect(conn).has_table("graph_alerts"):
            import pytest

            pytest.skip("graph tables not migrated in this store")
        from lurewatch.store.tables.graph import replace_results

        conn.execute(
            accounts.insert(),
            [
                {
                    "id": a,
                    "name": a,
                    "company": None,
                    "data": {"id": a, "name": a, "kind": "account"},
                    "content_hash": a,
                    "ingested_at": now,
                }
                for a in ("x1", "member-7")
            ],
        )
        conn.execute(
            assessments.insert(),
            [
                {
                    "kind": "account",
                    "record_id": "x1",
                    "score": 0.9,
                    "level": "high",
                    "model": "rules-v1",
                    "language": None,
                    "evidence": [],
                    "advice": [],
                    "extra": {},
                    "assessed_at": now,
                }
            ],
        )
        alert = {k: v for k, v in ALERT.items() if k != "path"}
        replace_results(
            conn,
            [],
            [
                {**alert, "text": "x1 first connected to member-7 …"},
                {**alert, "account": "member-7", "text": "not exported"},
            ],
        )
    with store.read() as conn:
        bundle = export_from_store(conn, now="2026-03-13T00:00:00Z")
    sightings = [o for o in bundle["objects"] if o["type"] == "sighting"]
    assert len(sightings) == 1 and sightings[0]["count"] == 11
    assert "member-7" not in json.dumps(bundle)
