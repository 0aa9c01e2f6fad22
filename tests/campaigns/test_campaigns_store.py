"""Campaigns over a real store: handles, templates, watchlist and avatar links; saved; member evidence; CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import inspect, text

from lurewatch.cli.main import cli
from lurewatch.engine.plugins import campaigns as cplugin
from lurewatch.engine.plugins import templates as tplugin
from lurewatch.records import record_from_dict
from lurewatch.settings import Settings
from lurewatch.signals.views import AccountView
from lurewatch.store import Store
from lurewatch.store.queries import save_records
from lurewatch.store.tables import campaigns as ctable

LURE = "Dear {n}, our client in Asia pays well for short reports on energy policy; all travel paid. Let us talk. {h}"


def _records():
    recs = [
        {"kind": "account", "id": "p1", "name": "Rachel Li", "headline": "Head hunter"},
        {
            "kind": "account",
            "id": "p2",
            "name": "Alex Li",
            "about": "Reach me on WhatsApp +44 7700 900123",
        },
        {
            "kind": "account",
            "id": "p3",
            "name": "Lily Wu",
            "company": "China Center of International Politics and Economy",
        },
        {
            "kind": "account",
            "id": "p4",
            "name": "Eva Han",
            "company": "China Center of International Politics and Economy",
        },
        {"kind": "account", "id": "p5", "name": "Jason Wang"},
        {"kind": "account", "id": "p6", "name": "Unrelated"},
    ]
    recs += [
        {
            "kind": "account",
            "id": f"t{k}",
            "name": f"Target {k}",
            "company": "Federal Ministry of Energy",
            "headline": "Policy officer",
        }
        for k in range(6)
    ]
    recs += [
        {
            "kind": "message",
            "id": "m1",
            "sender": "p1",
            "recipients": ["t0"],
            "sent_at": "2025-03-01",
            "text": LURE.format(n="Anna", h="WhatsApp: +44 7700 900123"),
        },
        {
            "kind": "message",
            "id": "m2",
            "sender": "p3",
            "recipients": ["t1"],
            "sent_at": "2025-03-05",
            "text": LURE.format(n="Ben", h="Telegram: @energy_reports"),
        },
        {
            "kind": "message",
            "id": "m3",
            "sender": "p6",
            "recipients": ["t2"],
            "sent_at": "2025-03-06",
            "text": "See you at the conference, my number is +1 202 555 0199.",
        },
        {
            "kind": "message",
            "id": "m4",
            "sender": "p5",
            "recipients": ["t3"],
            "sent_at": "2025-03-09",
            "text": "Hello, quick question about your policy work. Telegram: @energy_reports",
        },
    ]
    return [record_from_dict(r) for r in recs]


def _insert_avatar(conn, account_id, phash):
    """A row in the avatar stage's table, whatever other required columns it has."""
    from datetime import UTC, datetime

    from sqlalchemy import JSON, DateTime, Float, Integer, MetaData, Table

    table = Table("avatars", MetaData(), autoload_with=conn)
    row = {"account_id": account_id, "phash": phash}
    for col in table.columns:
        if (
            col.name in row
            or col.nullable
            or col.default is not None
            or col.server_default is not None
        ):
            continue
        if isinstance(col.type, DateTime):
            row[col.name] = datetime.now(UTC)
        elif isinstance(col.type, Integer | Float):
            row[col.name] = 0
        elif isinstance(col.type, JSON):
            row[col.name] = {}
        else:
            row[col.name] = f"{account_id}.jpg"
    conn.execute(table.insert(), [row])


def test_build_links_through_handles_templates_watchlist_and_avatars(store_url, tmp_path):
    store = Store(store_url)
    with store.write() as conn:
        save_records(conn, _records())
        if not inspect(conn).has_table(
            "avatars"
        ):  # the avatar stage's table, or a minimal stand-in
            conn.execute(
                text(
                    "CREATE TABLE avatars (account_id VARCHAR(512) PRIMARY KEY, phash VARCHAR(16))"
                )
            )
        for acc, phash in (
            ("p5", "f0e1d2c3b4a59687"),
            ("p6", "0f1e2d3c4b5a6978"),
            ("t5", "f0e1d2c3b4a59686"),
        ):
            _insert_avatar(conn, acc, phash)
    settings = Settings(db_url=store_url)
    tplugin.plugin(settings, store).prepare(lambda *a: None)
    p = cplugin.plugin(settings, store)
    assert p.order == 50
    p.prepare(lambda *a: None)
    with store.read() as conn:
        campaigns = ctable.list_campaigns(conn)
    assert len(campaigns) == 1
    c = campaigns[0]
    members = {m["account"] for m in c["accounts"]}
    # p1-p2: phone (message + profile); p1-p3: template; p3-p4: front company; p3-p5: Telegram; p5-t5: avatar
    assert members == {"p1", "p2", "p3", "p4", "p5", "t5"}
    kinds = {a["kind"] for a in c["artifacts"]}
    assert {"phone", "template", "watchlist", "telegram", "avatar"} <= kinds
    assert c["targets"] >= 3 and c["organisations"][0][0] == "Federal Ministry of Energy"
    assert c["flagged"] >= 2  # the watchlist hits at least
    why = {m["account"]: m["why"] for m in c["accounts"]}
    assert any("phone/WhatsApp number" in line for line in why["p2"])
    (ev,) = p.account_detectors[0](AccountView(account=_records()[0]))
    assert ev.signal == "campaign.member" and ev.values["size"] == 6
    assert p.account_detectors[0](AccountView(account=_records()[5])) == []
    store.close()

    if store_url.startswith("sqlite:///"):
        runner = CliRunner(env={"LUREWATCH_DB": store_url})
        listed = runner.invoke(
            cli,
            ["--db", store_url, "campaigns", "list", "--format", "json"],
            catch_exceptions=False,
        )
        cid = json.loads(listed.stdout)[0]["id"]
        shown = runner.invoke(
            cli, ["--db", store_url, "campaigns", "show", cid], catch_exceptions=False
        )
        assert "Shared artifacts" in shown.stdout and "p2" in shown.stdout
        rebuilt = runner.invoke(
            cli, ["--db", store_url, "campaigns", "build"], catch_exceptions=False
        )
        assert "1 campaigns" in rebuilt.stdout
