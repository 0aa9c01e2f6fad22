"""Bad input through the CLI, as a user would feed it: one clear located error, never a traceback.

Each case was found by trying the product (QA pass); the exit status says whether input was
rejected (1), the whole request failed (2), or everything was read (0).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lurewatch.cli.main import cli
from lurewatch.errors import LurewatchError

LURE = (
    "Dear Dr. Weber, our client in Asia would pay 2,000 USD for a short report on internal "
    "policy. Let's continue on WhatsApp: +86 138 0013 8000."
)


def invoke(args: list[str], input: str | bytes | None = None):
    """Runs the CLI like `lurewatch` does: LurewatchError becomes a one-line message, exit 2."""
    result = CliRunner().invoke(cli, args, input=input)
    if isinstance(result.exception, LurewatchError):
        return 2, str(result.exception), result
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of this test
    return result.exit_code, result.output, result


@pytest.fixture
def nodb(tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "never-created.db")]


def test_check_input_not_utf8_is_a_located_error_and_the_rest_is_checked(tmp_path, nodb):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"kind": "message", "id": "m2", "text": LURE}).encode()
    path.write_bytes(b'{"kind": "message", "id": "m1", "text": "caf\xe9"}\n' + good + b"\n")
    code, _, result = invoke(nodb + ["check", "--input", str(path)])
    assert code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["line"] == 1 and "UTF-8" in out[0]["error"]
    assert out[1]["id"] == "m2" and out[1]["level"] in {"medium", "high"}
    assert "line 1" in result.stderr


def test_check_input_json_array_says_what_jsonl_is(tmp_path, nodb):
    path = tmp_path / "array.json"
    path.write_text(json.dumps([{"kind": "message", "id": "a", "text": "hi"}]))
    code, _, result = invoke(nodb + ["check", "--input", str(path)])
    assert code == 1
    assert "one JSON object per line" in json.loads(result.stdout)["error"]


def test_check_input_zip_points_to_scan(tmp_path, nodb):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("messages.csv", "a,b\n")
    code, message, _ = invoke(nodb + ["check", "--input", str(path)])
    assert code == 2 and "lurewatch scan" in message


def test_check_input_empty_file_warns(tmp_path, nodb):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    code, _, result = invoke(nodb + ["check", "--input", str(path)])
    assert code == 0 and result.stdout == "" and "no records" in result.stderr


def test_check_input_directory_is_a_usage_error(tmp_path, nodb):
    code, output, _ = invoke(nodb + ["check", "--input", str(tmp_path)])
    assert code == 2 and "directory" in output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "UTF-8"),
        (b'{"kind": "account", "id": "a1", "followers": "lots"}', "followers"),
        (b"[1, 2]", "JSON object"),
        (b'{"kind": "account",', "not valid JSON"),
    ],
)
def test_check_account_bad_files(tmp_path, nodb, content, expected):
    path = tmp_path / "profile.json"
    path.write_bytes(content)
    code, message, _ = invoke(nodb + ["check", "--account", str(path)])
    assert code == 2
    assert expected in message and "profile.json" in message
    assert "\n" not in message.strip()


def test_check_huge_line_is_rejected_not_crashed(tmp_path, nodb):
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"kind": "message", "id": "big", "text": "pay " * 60_000}) + "\n")
    code, _, result = invoke(nodb + ["check", "--input", str(path)])
    assert code == 1
    line = json.loads(result.stdout)
    assert line["id"] == "big" and "text" in line["error"]


def test_check_text_stream_is_readable(tmp_path, nodb):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"kind": "message", "id": "m1", "text": LURE}) + "\n{bad\n")
    code, _, result = invoke(nodb + ["check", "--input", str(path), "--format", "text"])
    assert code == 1
    assert "── line 1" in result.stdout and "── line 2" in result.stdout
    assert "What to do:" in result.stdout and "error: not valid JSON" in result.stdout


@pytest.mark.parametrize("kind", ["folder", "not-a-database"])
def test_db_that_is_not_a_database_is_one_line(tmp_path, kind):
    if kind == "folder":
        db = tmp_path
    else:
        db = tmp_path / "notes.db"
        db.write_text("not a database at all\n" * 50)
    for args in (["analyze"], ["check", "--text", LURE]):
        code, message, _ = invoke(["--db", str(db), *args])
        assert code == 2
        assert "Background on this error" not in message and "\n" not in message.strip()
        assert str(db) in message


def test_db_unreachable_server_is_one_line():
    pytest.importorskip("psycopg")
    code, message, _ = invoke(["--db", "postgresql+psycopg://nouser@127.0.0.1:1/x", "analyze"])
    assert code == 2
    assert "Background on this error" not in message and "reachable" in message


def _archive(tmp_path: Path, rows: list[list[str]]) -> Path:
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("messages.csv", ("\ufeff" + buf.getvalue()).encode())
        z.writestr("Profile.csv", "\ufeffFirst Name,Last Name\r\nMe,Myself\r\n".encode())
    return path


HEADER = ["CONVERSATION ID", "FROM", "SENDER PROFILE URL", "TO", "DATE", "SUBJECT", "CONTENT"]


def test_scan_bom_crlf_entities_and_script_are_escaped_in_the_report(tmp_path):
    hostile = "Mei <script>alert(1)</script>"
    path = _archive(
        tmp_path,
        [
            HEADER,
            [
                "c1",
                hostile,
                "https://www.linkedin.com/in/mei",
                "Me Myself",
                "2025-03-01 10:00:00 UTC",
                "",
                LURE.replace("'", "&#39;") + "\nSecond line &amp; more <script>x()</script>",
            ],
            [
                "c2",
                "Sam Carter",
                "https://www.linkedin.com/in/sam",
                "Me Myself",
                "2025-03-02 10:00:00 UTC",
                "",
                "See you at lunch on Friday.",
            ],
        ],
    )
    html = tmp_path / "r.html"
    code, _, result = invoke(["scan", str(path), "--html", str(html)])
    assert code == 0, result.output
    page = html.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&amp;#39;" not in page  # entities decoded once, then escaped once
    verdict = page.split('class="verdict', 1)[1][:300]
    assert "looks like a cover approach" in verdict  # the verdict comes first
    assert "How to read this report" in page and "What to do" in page
    assert page.index("What to do") < page.index("Ordinary contacts")
    code, _, result = invoke(["scan", str(path), "--format", "json"])
    texts = [item["text"] for item in json.loads(result.stdout) if item.get("text")]
    assert any("Let's continue" in t and "& more" in t for t in texts)


def test_scan_unreadable_lines_exit_1_and_the_rest_is_scanned(tmp_path):
    feed = tmp_path / "reported.jsonl"
    good = {"kind": "message", "id": "m1", "sender_name": "Ana Ortiz", "text": LURE}
    feed.write_bytes(json.dumps(good).encode() + b"\n{broken\n")
    code, _, result = invoke(["scan", str(feed), "--format", "json"])
    assert code == 1
    assert "Ana Ortiz" in result.stdout
    assert "line 2" in result.stderr


@pytest.mark.parametrize("name", ["garbage.bin", "notes.zip"])
def test_scan_not_an_archive_is_one_line(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("foo.txt", "hello")
    else:
        path.write_bytes(bytes(range(256)) * 4)
    code, message, _ = invoke(["scan", str(path)])
    assert code == 2 and name in message and "\n" not in message.strip()


def test_ingest_reports_each_bad_source_and_loads_the_rest(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"kind": "message", "id": "m1", "text": LURE}) + "\n")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"kind": "message", "id": "m2", "text": "caf\xe9"}\n')
    array = tmp_path / "array.jsonl"
    array.write_text("[1, 2]\n")
    db = tmp_path / "lw.db"
    code, output, result = invoke(
        ["--db", str(db), "ingest", str(good), str(latin), str(array), str(tmp_path / "nope")]
    )
    assert code == 1  # some sources rejected, one loaded: not "unusable" (2)
    assert "good.jsonl: added 1 message" in result.stdout
    assert "latin.jsonl, line 1" in output and "UTF-8" in output
    assert "array.jsonl, line 1" in output
    assert "no such file" in output
    # rejects are reported on stderr (README), stdout keeps the summary
    assert "array.jsonl, line 1" in result.stderr and "array.jsonl, line 1" not in result.stdout


def test_ingest_exits_as_scan_does_for_an_unusable_archive(tmp_path):
    """The same refused input gives the same exit status from `ingest` and `scan` (2)."""
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"PK\x03\x04 this is not really a zip")
    db = tmp_path / "lw.db"
    ingest_code, _, ingested = invoke(["--db", str(db), "ingest", str(fake)])
    scan_code, _, _ = invoke(["scan", str(fake)])
    assert ingest_code == scan_code == 2
    assert str(fake) in ingested.stderr


def test_scan_advice_matches_the_senders_level():
    """A medium sender whose other message is low must not get the low-level reassurance."""
    from lurewatch.engine.scan import ScannedMessage, ScannedSender
    from lurewatch.evidence import Assessment
    from lurewatch.records import Account, Message
    from lurewatch.scoring.advice import advice_for

    low_tip = advice_for("message", [], "low", True)[0]
    medium_tip = advice_for("message", [], "medium", True)[0]

    def scanned(level: str, score: float, advice: list[str]) -> ScannedMessage:
        a = Assessment(
            id=level,
            kind="message",
            score=score,
            level=level,
            evidence=[],
            advice=advice,
            model="rules-v1",
        )
        return ScannedMessage(Message(id=level, text="x"), a)

    travel = "Decline paid trips abroad."
    sender = ScannedSender(
        account=Account(id="p"),
        assessment=None,
        messages=[scanned("medium", 0.6, [medium_tip, travel]), scanned("low", 0.1, [low_tip])],
    )
    assert sender.level == "medium"
    assert sender.advice == [medium_tip, travel]
    only_low = ScannedSender(
        account=Account(id="q"), assessment=None, messages=[scanned("low", 0.1, [low_tip])]
    )
    assert only_low.advice == [low_tip]


def test_scan_report_to_a_missing_folder_is_one_line(tmp_path):
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"kind": "message", "id": "m1", "text": LURE}) + "\n")
    target = tmp_path / "missing" / "r.html"
    code, message, _ = invoke(["scan", str(feed), "--html", str(target)])
    assert code == 2 and "cannot write the report" in message and str(target) in message


def test_check_two_inputs_is_a_usage_error(tmp_path, nodb):
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"kind": "message", "id": "m1", "text": LURE}) + "\n")
    code, output, _ = invoke(nodb + ["check", "--text", "hello", "--input", str(feed)])
    assert code == 2 and "only one of --text, --input" in output


def test_check_account_given_jsonl_points_to_input(tmp_path, nodb):
    feed = tmp_path / "f.jsonl"
    feed.write_text('{"kind": "account", "id": "a"}\n{"kind": "account", "id": "b"}\n')
    code, message, _ = invoke(nodb + ["check", "--account", str(feed)])
    assert code == 2 and "--input" in message


def test_analyze_empty_store_says_what_to_do(tmp_path):
    code, output, _ = invoke(["--db", str(tmp_path / "lw.db"), "analyze"])
    assert code == 0 and "lurewatch ingest" in output


def test_scan_connections_only_archive_points_to_the_connection(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Profile.csv").write_text("First Name,Last Name\r\nMe,Myself\r\n")
    (folder / "Connections.csv").write_bytes(
        '\ufeffNotes:\r\n"Some e-mail addresses are missing."\r\n\r\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Rachel,Li,https://www.linkedin.com/in/rachel-li,,Global View Strategic Consulting,"
        "HR Consultant,01 Mar 2025\r\n".encode()
    )
    html = tmp_path / "r.html"
    code, output, result = invoke(["scan", str(folder), "--html", str(html)])
    assert code == 0, output
    assert "Connection to review: Rachel Li" in result.stdout
    assert "1 connection in your network has warning signs" in result.stdout
    page = html.read_text()
    assert "Connections to review" in page and "Rachel Li" in page


class _Flaky:
    """Wraps the real assessor; raises on the record with id 'boom' (a detector bug)."""

    def __init__(self, real):
        self.real = real

    def _guard(self, record_id):
        if record_id == "boom":
            raise RuntimeError("detector bug")

    def assess(self, record):
        self._guard(record.id)
        return self.real.assess(record)

    def assess_message(self, record):
        self._guard(record.id)
        return self.real.assess_message(record)

    def assess_account(self, account, view=None):
        self._guard(account.id)
        return self.real.assess_account(account, view)


def test_a_record_that_breaks_a_detector_does_not_stop_check_or_analyze(tmp_path, monkeypatch):
    import lurewatch.cli.check as check_cli
    import lurewatch.engine.service as service

    real_check, real_service = check_cli.build_assessor, service.build_assessor
    monkeypatch.setattr(check_cli, "build_assessor", lambda *a: _Flaky(real_check(*a)))
    monkeypatch.setattr(service, "build_assessor", lambda *a: _Flaky(real_service(*a)))
    feed = tmp_path / "f.jsonl"
    records = [
        {"kind": "message", "id": "boom", "text": "hello"},
        {"kind": "message", "id": "m2", "text": LURE},
        {"kind": "account", "id": "boom", "name": "X"},
        {"kind": "account", "id": "a2", "name": "Y"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    db = ["--db", str(tmp_path / "lw.db")]
    code, _, result = invoke([*db, "check", "--input", str(feed)])
    assert code == 1
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["boom", "m2", "boom", "a2"]
    assert "detector bug" in out[0]["error"] and out[1]["level"] in {"medium", "high"}
    invoke([*db, "ingest", str(feed)])
    code, output, result = invoke([*db, "analyze", "--format", "json"])
    summary = json.loads(result.stdout)
    assert summary["failed"] == 2
    assert summary["messages"] == 2 and summary["accounts"] == 2
    assert any("boom" in e for e in summary["stage_errors"])
