"""The graph plugin: prepare over a store, then account evidence; no store, no graph evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lurewatch.engine.plugins.graph import plugin, read_staff_list
from lurewatch.records import Account, Edge, record_to_dict
from lurewatch.settings import Settings
from lurewatch.signals import registry
from lurewatch.signals.views import AccountView
from lurewatch.store import Store
from lurewatch.store.tables.core import accounts as accounts_table
from lurewatch.store.tables.core import edges as edges_table

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def _store(url: str) -> Store:
    store = Store(url)
    accounts = [Account(id=f"s{i}", company="Acme Labs", verified=i < 3) for i in range(12)]
    accounts.append(Account(id="fake", name="Rachel Li", headline="Senior head hunter"))
    accounts += [
        Account(id=f"o{i}", company=f"Shop {i}") for i in range(40)
    ]  # the rest of the network
    edges: list[Edge] = []
    for i in range(12):  # staff know each other in overlapping small groups
        for j in range(i + 1, min(12, i + 4)):
            edges.append(Edge(id=f"c{i}-{j}", src=f"s{i}", dst=f"s{j}", type="connection", at=T0))
    for i in range(8):  # the fake invites 8 staff in 8 days; 6 accept
        kind = "invitation_accepted" if i < 6 else "invitation_ignored"
        edges.append(
            Edge(id=f"f{i}", src="fake", dst=f"s{i}", type=kind, at=T0 + timedelta(days=i))
        )
    now = datetime.now(UTC)
    with store.write() as conn:
        conn.execute(
            accounts_table.insert(),
            [
                {
                    "id": a.id,
                    "name": a.name,
                    "company": a.company,
                    "data": record_to_dict(a),
                    "content_hash": a.id,
                    "ingested_at": now,
                }
                for a in accounts
            ],
        )
        conn.execute(
            edges_table.insert(),
            [
                {
                    "id": e.id,
                    "src": e.src,
                    "dst": e.dst,
                    "type": e.type,
                    "at": e.at,
                    "data": record_to_dict(e),
                    "ingested_at": now,
                }
                for e in edges
            ],
        )
    return store


def test_no_store_no_plugin() -> None:
    assert plugin(Settings(), None) is None


def test_prepare_then_account_evidence(store_url: str) -> None:
    store = _store(store_url)
    made = plugin(Settings(), store)
    assert made is not None and made.order == 30
    (detect,) = made.account_detectors
    assert detect(AccountView(account=Account(id="fake"))) == []  # nothing computed yet
    made.prepare(lambda stage, done, total: None)
    evidence = detect(AccountView(account=Account(id="fake")))
    signals = {e.signal for e in evidence}
    assert "graph.staff_surge" in signals
    assert "graph.targeting_organisation" in signals
    assert all(registry.get(e.signal) is not None for e in evidence)
    surge = next(e for e in evidence if e.signal == "graph.staff_surge")
    assert "account Rachel Li has connected with 8 of your staff in 10 days" in surge.explanation
    honest = detect(AccountView(account=Account(id="s1")))
    assert "graph.low_trust" not in {e.signal for e in honest}
    from lurewatch.store.tables.graph import list_alerts

    with store.read() as conn:
        (alert,) = list_alerts(conn)
    assert alert["account_id"] == "fake" and alert["staff"] == 8
    made.prepare(lambda stage, done, total: None)  # a second run replaces, never duplicates
    with store.read() as conn:
        assert len(list_alerts(conn)) == 1
    store.close()


def test_staff_list_file(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "account_id,department\n# comment\ns1,Research\ns2\n\ns3,Finance\n", encoding="utf-8"
    )
    staff = read_staff_list(path, "Acme Labs")
    assert staff.organisation == "Acme Labs"
    assert staff.members == {"s1": "Research", "s2": None, "s3": "Finance"}


def test_staff_list_missing_file_is_an_input_error(tmp_path: Path) -> None:
    from lurewatch.errors import InputError

    with pytest.raises(InputError):
        read_staff_list(tmp_path / "nope.csv")
