"""A re-saved export with garbled accents ("RenÃ© Dupont") reads as written, on every path, and
the garbled original is kept with the record's source."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from lurewatch.cli.main import cli

NAME = "René Dupont"
GARBLED = NAME.encode("utf-8").decode("latin-1")  # "RenÃ© Dupont"
TEXT = "Bonjour, je suis rÃ©dacteur d'un rapport payÃ© 2 000 EUR. Continuons sur WhatsApp."


def _archive(tmp_path: Path) -> Path:
    inv = io.StringIO()
    w = csv.writer(inv)
    w.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    w.writerow(
        [
            GARBLED,
            "Me Myself",
            "2025-03-01 10:00:00 UTC",
            TEXT,
            "INCOMING",
            "https://www.linkedin.com/in/rene-dupont-1",
            "",
        ]
    )
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Invitations.csv", "\ufeff" + inv.getvalue())
    return path


def test_scan_shows_repaired_names_and_text(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(_archive(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    senders = {i["sender"]["name"] for i in items if i.get("sender")}
    assert NAME in senders and GARBLED not in senders
    message = next(i for i in items if i["kind"] == "message")
    assert "rédacteur" in message["text"] and "payé" in message["text"]


def test_ingest_keeps_the_garbled_original_with_the_source(tmp_path):
    db = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(_archive(tmp_path))]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(db), "analyze", "--no-progress"]).exit_code == 0
    out = runner.invoke(cli, ["--db", str(db), "assessments", "--kind", "message"]).output
    line = json.loads(out.splitlines()[0])
    assert line["sender"]["name"] == NAME

    from lurewatch.store import Store, queries

    with Store(f"sqlite:///{db}").read() as conn:
        message = queries.get_record(conn, "message", line["id"])
    assert message is not None and message.source is not None
    assert message.source.original is not None
    assert message.source.original.get("from") == GARBLED
    assert any(v == TEXT for v in message.source.original.values())


def test_reingest_is_idempotent(tmp_path):
    from lurewatch.store import Store, queries

    db = tmp_path / "s.db"
    runner = CliRunner()
    archive = _archive(tmp_path)
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(archive)]).exit_code == 0
    with Store(f"sqlite:///{db}").read() as conn:
        first = queries.count_records(conn)
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(archive)]).exit_code == 0
    with Store(f"sqlite:///{db}").read() as conn:
        assert queries.count_records(conn) == first
