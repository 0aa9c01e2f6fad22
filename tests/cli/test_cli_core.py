"""End to end through the CLI: check (text, account, JSONL contract), ingest (idempotent), analyze, scan."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lurewatch.cli.main import cli

LURE = (
    "Dear Dr. Weber, I am a senior consultant at a think tank. Our client would pay you a generous "
    "fee of 3,000 USD for a short report on internal policy developments in your ministry, and invite "
    "you to a seminar in Shanghai, all expenses paid. Let's continue on WhatsApp: +86 138 0013 8000."
)
ORDINARY = "Hi Sam, thanks for the notes from yesterday's meeting. See you at lunch on Friday."


def run(args: list[str], input: str | None = None, db: Path | None = None):
    runner = CliRunner()
    base = ["--db", str(db)] if db else ["--db", "/nonexistent-dir/never-created.db"]
    return runner.invoke(cli, base + args, input=input, catch_exceptions=False)


def test_check_text_gives_verdict_evidence_and_advice():
    result = run(["check", "--text", LURE])
    assert result.exit_code == 0, result.output
    assert "RISK" in result.output
    assert "Why (strongest first):" in result.output and "What to do:" in result.output


def test_check_lure_scores_above_ordinary_message():
    lure = json.loads(run(["check", "--text", LURE, "--format", "json"]).output)
    plain = json.loads(run(["check", "--text", ORDINARY, "--format", "json"]).output)
    assert lure["score"] > plain["score"]
    assert lure["level"] in {"medium", "high"}
    assert plain["level"] == "low"
    signals = {e["signal"] for e in lure["evidence"]}
    assert any(s.startswith("lure.paid") for s in signals)
    assert any(s.startswith("lure.offplatform") for s in signals)
    for e in lure["evidence"]:
        if e.get("quote") and e.get("span"):
            assert e["quote"] in LURE


def test_check_stdin_plain_text():
    result = run(["check", "--format", "json"], input=LURE)
    assert json.loads(result.output)["kind"] == "message"


def test_check_account_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            {
                "name": "Rachel Li",
                "headline": "Senior head hunter",
                "followers": 12,
                "following": 900,
                "has_photo": False,
            }
        )
    )
    data = json.loads(run(["check", "--account", str(path), "--format", "json"]).output)
    assert data["kind"] == "account" and 0 <= data["score"] <= 1


def test_check_jsonl_contract_one_line_per_input_in_order_with_errors(tmp_path):
    lines = [
        json.dumps({"kind": "message", "id": "m1", "text": LURE}),
        "{not json",
        json.dumps({"kind": "account", "id": "a1", "name": "Rachel Li", "headline": "head hunter"}),
        json.dumps({"kind": "account", "id": "a2", "followers": "lots"}),
        "",
        json.dumps({"kind": "message", "id": "m2", "text": ORDINARY}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "none.db"), "check", "--input", str(path)]
    )
    assert result.exit_code == 1  # some lines rejected; the others still checked
    out = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [o.get("id") for o in out] == ["m1", None, "a1", "a2", "m2"]
    assert "error" in out[1] and out[1]["line"] == 2
    assert "followers" in out[3]["error"]
    for o in (out[0], out[2], out[4]):
        assert 0 <= o["score"] <= 1 and o["level"] in {"low", "medium", "high"} and o["model"]
        assert all({"signal", "strength", "explanation", "quote"} <= set(e) for e in o["evidence"])
    assert not (tmp_path / "none.db").exists()  # check never creates a store


def _feed(tmp_path: Path) -> Path:
    records = [
        {
            "kind": "account",
            "id": "fake1",
            "name": "Rachel Li",
            "headline": "Head hunter at RiseHR",
            "company": "RiseHR",
            "followers": 3,
            "has_photo": True,
        },
        {
            "kind": "account",
            "id": "real1",
            "name": "Ana Ortiz",
            "headline": "Engineer",
            "company": "Ministry of Defence",
        },
        {
            "kind": "message",
            "id": "m1",
            "sender": "fake1",
            "recipients": ["real1"],
            "text": LURE,
            "channel": "invitation",
        },
        {"kind": "edge", "src": "fake1", "dst": "real1", "type": "invitation_sent"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + '\n{"kind": "account"}\n')
    return path


def test_ingest_twice_adds_nothing_and_reports_rejects(tmp_path):
    db = tmp_path / "lw.db"
    feed = _feed(tmp_path)
    first = run(["ingest", str(feed), "--format", "json"], db=db)
    assert first.exit_code == 1  # one line rejected
    data = json.loads(first.stdout)  # the rejects are also named on stderr
    assert "line 5, field 'id'" in first.stderr
    assert data["sources"][0]["added"] == {"message": 1, "account": 2, "edge": 1}
    assert data["sources"][0]["rejected"][0]["line"] == 5
    second = json.loads(run(["ingest", str(feed), "--format", "json"], db=db).stdout)
    assert second["sources"][0]["added"] == {"message": 0, "account": 0, "edge": 0}
    assert second["sources"][0]["unchanged"] == 4


def test_analyze_scores_the_store(tmp_path):
    db = tmp_path / "lw.db"
    run(["ingest", str(_feed(tmp_path))], db=db)
    result = run(["analyze", "--format", "json"], db=db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["messages"] == 1 and data["accounts"] == 2
    assert data["top_messages"][0]["id"] == "m1"
    assert data["top_messages"][0]["score"] > 0.3


def _archive(tmp_path: Path) -> Path:
    inv = io.StringIO()
    w = csv.writer(inv)
    w.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    w.writerow(
        [
            "Rachel Li",
            "Me Myself",
            "2025-03-01 10:00:00 UTC",
            LURE.replace("&", "&amp;"),
            "INCOMING",
            "https://www.linkedin.com/in/rachel-li-123",
            "",
        ]
    )
    w.writerow(
        [
            "Sam Carter",
            "Me Myself",
            "2025-03-02 10:00:00 UTC",
            ORDINARY,
            "INCOMING",
            "https://www.linkedin.com/in/samcarter",
            "",
        ]
    )
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Invitations.csv", "\ufeff" + inv.getvalue())
    return path


def test_scan_json_lists_every_sender_with_source(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(_archive(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    names = {i["sender"]["name"] for i in items if i.get("sender")}
    assert {"Rachel Li", "Sam Carter"} <= names
    top = items[0]
    assert top["sender"]["name"] == "Rachel Li" and top["source"]["file"].endswith(
        "Invitations.csv"
    )


def test_scan_html_report_escapes_untrusted_text(tmp_path):
    inv = io.StringIO()
    w = csv.writer(inv)
    w.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    w.writerow(
        [
            "<script>alert(1)</script>",
            "Me",
            "2025-03-01 10:00:00 UTC",
            "<img src=x onerror=alert(2)> paid report",
            "INCOMING",
            "",
            "",
        ]
    )
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Invitations.csv", inv.getvalue())
    html_path = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["scan", str(path), "--html", str(html_path)])
    assert result.exit_code == 0, result.output
    page = html_path.read_text()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_signals_lists_registered_signals():
    result = run(["signals", "--format", "json"])
    codes = {s["signal"] for s in json.loads(result.output)}
    assert any(c.startswith("lure.") for c in codes) and any(
        c.startswith("persona.") for c in codes
    )


@pytest.mark.parametrize(
    "args", [["check", "--account", "/no/such/file.json"], ["scan", "/no/such/archive.zip"]]
)
def test_missing_files_are_clear_errors(args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert "/no/such" in result.output
