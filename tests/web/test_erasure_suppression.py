"""An erased person stays erased: ingesting the same feed again does not bring them back."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from lurewatch.cli.main import cli
from lurewatch.store import Store
from lurewatch.store.tables.core import accounts, edges, messages
from lurewatch.store.tables.privacy import erased_subjects

MEMBER = "li:in/ana-ribeiro-invented"
SUSPECT = "li:in/rachel-li-invented"


def _feed(tmp_path: Path) -> Path:
    records = [
        {"kind": "account", "id": MEMBER, "name": "Ana Ribeiro"},
        {"kind": "account", "id": SUSPECT, "name": "Rachel Li"},
        {
            "kind": "message",
            "id": "m1",
            "sender": SUSPECT,
            "recipients": [MEMBER],
            "text": "Dear Ana, we pay 2,000 EUR for a short report. Continue on WhatsApp?",
        },
        {"kind": "message", "id": "m2", "sender": MEMBER, "text": "No, thank you."},
        {"kind": "edge", "src": SUSPECT, "dst": MEMBER, "type": "connection"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_reingest_after_erasure_keeps_the_person_out(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    feed = _feed(tmp_path)
    runner = CliRunner()

    def lw(*args: str):  # noqa: ANN202
        return runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    assert lw("ingest", str(feed)).exit_code == 0
    assert lw("subject", "erase", MEMBER, "--yes").exit_code == 0
    assert lw("ingest", str(feed)).exit_code == 0  # the same feed again

    store = Store(f"sqlite:///{db}")
    with store.read() as conn:
        assert conn.execute(select(accounts.c.id).where(accounts.c.id == MEMBER)).first() is None
        assert not conn.execute(
            select(edges.c.id).where((edges.c.src == MEMBER) | (edges.c.dst == MEMBER))
        ).all()
        stored = {r.id: r.data for r in conn.execute(select(messages.c.id, messages.c.data))}
        assert "m2" not in stored  # what the erased person sent
        assert MEMBER not in json.dumps(stored)  # nor their id among recipients
        assert conn.execute(select(accounts.c.id).where(accounts.c.id == SUSPECT)).first()
        digests = list(conn.execute(select(erased_subjects.c.id_digest)).scalars())
    assert len(digests) == 1 and MEMBER not in digests[0]  # a digest, not the id
    store.close()
