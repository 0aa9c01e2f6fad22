"""`lurewatch assessments`: the stored verdicts as a pipeline contract (one line per record)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lurewatch.cli.main import cli

LURE = (
    "Dear Dr. Weber, our think tank would pay you 3,000 USD for a short report on internal "
    "policy. All expenses paid trip to a seminar abroad. Let's continue on WhatsApp."
)
ORDINARY = "Hi Sam, thanks for the notes from yesterday's meeting. See you at lunch on Friday."


def _run(db: Path, args: list[str]):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _feed(tmp_path: Path) -> Path:
    records = [
        {
            "kind": "account",
            "id": "acc1",
            "name": "Rachel \u001b[2JLi",
            "profile_url": "https://x/in/rl",
        },
        {"kind": "account", "id": "acc2", "name": "Sam Poe"},
        {
            "kind": "message",
            "id": "m1",
            "sender": "acc1",
            "text": LURE,
            "direction": "incoming",
            "conversation_id": "c1",
            "subject": "Paid paper",
        },
        {
            "kind": "message",
            "id": "m2",
            "sender": "acc2",
            "text": ORDINARY,
            "direction": "incoming",
        },
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _analysed(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    assert _run(db, ["ingest", str(_feed(tmp_path))]).exit_code == 0
    assert _run(db, ["analyze", "--no-progress"]).exit_code == 0
    return db


def test_one_line_per_stored_assessment_with_contract_fields(tmp_path):
    db = _analysed(tmp_path)
    result = _run(db, ["assessments", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    by_id = {(line["kind"], line["id"]): line for line in lines}
    assert {("message", "m1"), ("message", "m2"), ("account", "acc1"), ("account", "acc2")} <= set(
        by_id
    )
    for line in lines:
        assert {"id", "kind", "score", "level", "evidence", "advice", "model"} <= set(line)
        assert 0 <= line["score"] <= 1
    m1 = by_id[("message", "m1")]
    assert m1["sender"] == {"id": "acc1", "name": "Rachel \u001b[2JLi"}
    assert m1["direction"] == "incoming" and m1["conversation_id"] == "c1"
    assert m1["text"].startswith("Paid paper\n")
    for e in m1["evidence"]:  # spans index into the text given
        if e.get("span") and e.get("quote"):
            start, end = e["span"]
            assert m1["text"][start:end] == e["quote"]
    assert by_id[("account", "acc1")]["profile_url"] == "https://x/in/rl"
    assert m1["score"] > by_id[("message", "m2")]["score"]


def test_filters_by_level_and_kind(tmp_path):
    db = _analysed(tmp_path)
    every = [json.loads(x) for x in _run(db, ["assessments"]).output.splitlines()]
    accounts = [
        json.loads(x) for x in _run(db, ["assessments", "--kind", "account"]).output.splitlines()
    ]
    assert accounts and all(a["kind"] == "account" for a in accounts)
    assert len(accounts) == sum(1 for a in every if a["kind"] == "account")
    for level in ("low", "medium", "high"):
        got = [
            json.loads(x) for x in _run(db, ["assessments", "--level", level]).output.splitlines()
        ]
        assert [g["id"] for g in got] == [a["id"] for a in every if a["level"] == level]


def test_text_format_strips_terminal_escapes(tmp_path):
    db = _analysed(tmp_path)
    result = _run(db, ["assessments", "--format", "text"])
    assert result.exit_code == 0
    assert "\x1b" not in result.output
    assert "Rachel" in result.output and "m1" in result.output


def test_streams_more_than_one_batch(tmp_path):
    from lurewatch.evidence import Assessment
    from lurewatch.store import Store, queries

    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    items = [
        Assessment(
            id=f"a{i:04d}",
            kind="account",
            score=0.1,
            level="low",
            evidence=[],
            advice=[],
            model="m",
        )
        for i in range(25)
    ]
    with store.write() as conn:
        queries.save_assessments(conn, items)
    with store.read() as conn:
        got = [a.id for a, _ in queries.iter_assessments_with_records(conn, batch=7)]
    assert got == [a.id for a in items]
