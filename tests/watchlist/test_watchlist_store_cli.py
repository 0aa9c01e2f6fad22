"""Watchlist in the store (SQLite and PostgreSQL), the CLI contract, detectors and the plugin."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lurewatch.cli.main import cli
from lurewatch.records import record_from_dict
from lurewatch.signals.registry import get
from lurewatch.signals.views import AccountView, message_view
from lurewatch.store import Store
from lurewatch.watchlist.entries import entry_from_dict
from lurewatch.watchlist.matcher import Matcher
from lurewatch.watchlist.repository import list_entries, remove_entry, save_entries
from lurewatch.watchlist.seeds import SEED_ENTRIES
from lurewatch.watchlist.signals import account_detector, message_detector


def test_store_is_seeded_once_and_keeps_changes(store_url: str) -> None:
    store = Store(store_url)
    with store.read() as conn:
        assert {e.id for e in list_entries(conn)} == {e.id for e in SEED_ENTRIES}
    new = entry_from_dict(
        {"name": "Example Front Partners", "source": "test", "published": "2025-01"}
    )
    with store.write() as conn:
        assert save_entries(conn, [new], "test") == (1, 0)
        assert save_entries(conn, [new], "test") == (0, 0)
        assert remove_entry(conn, SEED_ENTRIES[0].id)
    store.migrate()  # re-running migrations does not bring the removed seed back
    with store.read() as conn:
        ids = {e.id for e in list_entries(conn)}
    assert new.id in ids and SEED_ENTRIES[0].id not in ids
    store.close()


def _run(args: list[str], db: str, stdin: str | None = None):  # noqa: ANN202
    return CliRunner().invoke(
        cli, args, input=stdin, env={"LUREWATCH_DB": db}, catch_exceptions=True
    )


def test_cli_match_contract_jsonl_and_plain_lines(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "none.db")  # absent: bundled seeds
    lines = [
        json.dumps({"id": "n0", "name": "Acme Widgets Ltd"}),
        json.dumps({"id": "n1", "name": "China Center of International Politics and Economy"}),
        "Rise HR GmbH",
        "{not json",
    ]
    result = _run(
        ["watchlist", "match", "--input", "-", "--format", "jsonl"], db, "\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["n0", "n1", "3", "line-4"]
    assert out[0]["matches"] == []
    assert out[1]["matches"][0]["score"] == 1.0 and {"entry", "score", "explanation"} <= set(
        out[1]["matches"][0]
    )
    assert out[2]["matches"][0]["entry_name"] == "RiseHR"
    assert "line 4" in out[3]["error"]
    assert not (tmp_path / "none.db").exists()  # matching never creates a store


def test_cli_add_list_remove_export(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "w.db")
    r = _run(
        ["watchlist", "add", "Starlight Strategic", "--source", "test", "--published", "2020-07"],
        db,
    )
    assert r.exit_code == 0 and "added" in r.output
    listed = [
        json.loads(x)
        for x in _run(["watchlist", "list", "--format", "jsonl"], db).output.splitlines()
    ]
    ids = [e["id"] for e in listed if e["name"] == "Starlight Strategic"]
    assert len(listed) == len(SEED_ENTRIES) + 1 and ids
    m = _run(["watchlist", "match"], db, "Starlite Strategic Ltd\n")
    assert json.loads(m.output)["matches"][0]["entry"] == ids[0]
    assert _run(["watchlist", "remove", ids[0]], db).exit_code == 0
    assert _run(["watchlist", "remove", "no-such-id"], db).exit_code != 0
    exported = _run(["watchlist", "export", "--format", "json"], db).output
    assert len(json.loads(exported)) == len(SEED_ENTRIES)


def test_cli_import_reports_bad_rows_and_keeps_good_ones(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "w.db")
    path = tmp_path / "entries.jsonl"
    path.write_text(
        json.dumps({"name": "Example Front Partners", "source": "agency X", "published": "2024-05"})
        + "\n"
        + json.dumps({"name": "No Source Ltd"})
        + "\n{oops\n",
        encoding="utf-8",
    )
    r = _run(["watchlist", "import", str(path)], db)
    assert r.exit_code == 1
    assert "1 added" in r.output and "2 rejected" in r.output
    assert "line 2" in r.output and "field 'source'" in r.output


def test_detectors_emit_registered_signals_with_quotes() -> None:
    m = Matcher(SEED_ENTRIES)
    account = record_from_dict(
        {
            "kind": "account",
            "id": "a1",
            "name": "Rachel Li",
            "company": "Rise HR Ltd",
            "experiences": [{"title": "Analyst", "company": "Shanghai Academy of Social Sciences"}],
        }
    )
    ev = account_detector(m)(AccountView(account=account))
    signals = {e.signal for e in ev}
    assert signals == {"watchlist.organisation", "watchlist.persona"}
    assert all(get(e.signal) is not None for e in ev)
    persona = next(e for e in ev if e.signal == "watchlist.persona")
    org = max((e for e in ev if e.signal == "watchlist.organisation"), key=lambda e: e.strength)
    assert persona.strength < org.strength  # common persona names are weak evidence alone
    msg = record_from_dict(
        {"kind": "message", "id": "m1", "text": "I write on behalf of the C.C.I.P.E. in Beijing."}
    )
    view = message_view(msg)
    (hit,) = message_detector(m)(view)
    assert (
        hit.signal == "watchlist.organisation" and view.text[hit.span[0] : hit.span[1]] == hit.quote
    )


def test_plugin_uses_store_entries_when_given(store_url: str) -> None:
    from lurewatch.engine.plugins.watchlist import load_matcher

    store = Store(store_url)
    with store.write() as conn:
        save_entries(
            conn, [entry_from_dict({"name": "Example Front Partners", "source": "t"})], "test"
        )
    assert load_matcher(store).match_name("Example Front Partners Ltd")
    assert not load_matcher(None).match_name("Example Front Partners Ltd")
    store.close()


def test_cli_text_output_neutralises_terminal_escapes(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "w.db")
    path = tmp_path / "evil.jsonl"
    path.write_text(
        json.dumps({"name": "Evil\u001b[31mRed Ltd", "source": "feed\u0007"}) + "\n",
        encoding="utf-8",
    )
    assert _run(["watchlist", "import", str(path)], db).exit_code == 0
    out = _run(["watchlist", "list"], db).output
    assert "\u001b" not in out and "\u0007" not in out and "Evil\\x1b[31mRed Ltd" in out
