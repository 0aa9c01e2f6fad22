"""The pieces that replaced quadratic steps give what the old ones gave."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from lurewatch.campaigns.signals import Roster, member_evidence
from lurewatch.records import Message
from lurewatch.store import Store, queries


def test_member_evidence_with_a_roster_equals_the_plain_call() -> None:
    campaign = {
        "id": "C1",
        "strength": 0.8,
        "targets": 12,
        "accounts": [
            {"account": "a", "flagged": True, "why": ["shares the phone number 1"]},
            {"account": "b", "flagged": False, "why": []},
            {"account": "c", "flagged": True, "why": []},
        ],
        "artifacts": [{"kind": "phone", "label": "1"}],
    }
    roster = Roster.of(campaign)
    assert roster.flagged == 2
    for account in ("a", "b", "c", "nobody"):
        assert member_evidence(account, campaign, roster) == member_evidence(account, campaign)
    (ev,) = member_evidence("a", campaign, roster)
    assert ev.values["flagged_others"] == 1


def _store_with_messages(tmp_path: Path, n: int) -> Store:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with store.write() as conn:
        queries.save_records(
            conn, [Message(id=f"m{i:03d}", text=f"hello {i}", sent_at=at) for i in range(n)]
        )
    return store


def test_iter_records_after_and_count_upto(tmp_path: Path) -> None:
    store = _store_with_messages(tmp_path, 7)
    with store.read() as conn:
        assert [r.id for r in queries.iter_records(conn, "message", batch=2, after="m003")] == [
            "m004",
            "m005",
            "m006",
        ]
        assert queries.count_records_upto(conn, "message", "m003") == 4
        assert queries.count_records_upto(conn, "message", None) == 7


def test_set_assignments_updates_every_given_row(tmp_path: Path) -> None:
    from lurewatch.store.tables import templates as table

    store = _store_with_messages(tmp_path, 3)
    now = table.stamp()
    rows = [
        {"message_id": f"m{i:03d}", "scheme": "s", "signature": b"x", "template_id": None}
        for i in range(3)
    ]
    with store.write() as conn:
        table.save_signatures(conn, [{**r, "indexed_at": now} for r in rows])
        table.set_assignments(conn, {"m000": "m000", "m001": "m000", "m002": None})
        got = dict(
            conn.execute(
                select(
                    table.template_signatures.c.message_id, table.template_signatures.c.template_id
                )
            ).all()
        )
    assert got == {"m000": "m000", "m001": "m000", "m002": None}
