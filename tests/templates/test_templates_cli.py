"""`lurewatch templates` JSONL contract, bad lines, fingerprints export and match."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lurewatch.cli.main import cli

MSG = "Dear {n}, our client pays well for short reports on energy policy. Add me on WhatsApp +44 7700 900{k}."


def run(args, input=None):
    runner = CliRunner(env={"LUREWATCH_DB": "/nonexistent-dir/never.db"})
    return runner.invoke(
        cli, ["--db", "/nonexistent-dir/never.db", *args], input=input, catch_exceptions=False
    )


def _lines(n=3):
    recs = [
        {"kind": "message", "id": f"m{k}", "text": MSG.format(n=name, k=100 + k)}
        for k, name in enumerate(["Ann", "Bob Smith", "Dr. Chen"][:n])
    ]
    recs.append(
        {
            "kind": "message",
            "id": "other",
            "text": "Lunch on Friday at the usual place? Let me know.",
        }
    )
    recs.append({"kind": "message", "id": "copy", "text": recs[0]["text"]})
    return [json.dumps(r) for r in recs]


def test_jsonl_contract_one_line_per_message_in_order(tmp_path: Path):
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    result = run(["templates", "--input", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["m0", "m1", "m2", "other", "copy"]
    by = {o["id"]: o for o in out}
    assert {by[k]["template"] for k in ("m0", "m1", "m2", "copy")} == {
        "copy"
    }  # smallest id names it
    assert by["m0"]["size"] == 4 and by["other"] == {"id": "other", "template": "other", "size": 1}


def test_stdin_and_bad_lines_are_reported_and_kept():
    lines = _lines(2)
    lines.insert(1, '{"id": "broken", "text": "unterminated')
    lines.insert(2, json.dumps({"id": "badfield", "text": "x", "channel": "fax"}))
    result = run(["templates", "--format", "jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["m0", "broken", "badfield", "m1", "other", "copy"]
    assert "error" in out[1] and "line 2" in out[1]["error"]
    assert "channel" in out[2]["error"]
    assert "line 2" in result.stderr and "line 3" in result.stderr


def test_fingerprints_export_without_text_and_match(tmp_path: Path):
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    exported = run(["templates", "fingerprint", "--input", str(path)])
    assert exported.exit_code == 0
    data = json.loads(exported.stdout)
    fps = data["fingerprints"]
    assert len(fps) == 1 and fps[0]["size"] == 4 and len(fps[0]["minhash"]) == 128
    assert "WhatsApp" not in exported.stdout and "energy" not in exported.stdout
    fp_path = tmp_path / "fps.json"
    fp_path.write_text(exported.stdout, encoding="utf-8")
    theirs = tmp_path / "theirs.jsonl"
    theirs.write_text(
        json.dumps({"id": "t1", "text": MSG.format(n="Eve", k=555)})
        + "\n"
        + json.dumps({"id": "t2", "text": "Completely different: the quarterly newsletter is out."})
        + "\n",
        encoding="utf-8",
    )
    matched = run(
        ["templates", "match-fingerprints", "--fingerprints", str(fp_path), "--input", str(theirs)]
    )
    out = [json.loads(line) for line in matched.stdout.splitlines()]
    assert out[0]["matches"][0]["template"] == fps[0]["template"]
    assert out[1]["matches"] == []
