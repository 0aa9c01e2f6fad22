"""`lurewatch users`, `lurewatch cases` and `lurewatch serve --help` through click's runner,
and the docs: every API route is documented in docs/web.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from lurewatch.cli.main import cli
from lurewatch.web import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def run(db: Path, *args: str, input: str | None = None):  # noqa: A002, ANN201
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)


def test_users_add_key_and_cases_from_the_terminal(tmp_path: Path, analyzed_template: Path) -> None:
    db = tmp_path / "cli.db"
    shutil.copy(analyzed_template, db)
    r = run(
        db,
        "users",
        "add",
        "--role",
        "analyst",
        "--org",
        "Org  A",
        "--password-stdin",
        "Ana@A.example",
        input="a-long-enough-password\n",
    )
    assert r.exit_code == 0 and "added ana@a.example as analyst of Org A" in r.output
    assert "ana@a.example\tanalyst\tOrg A" in run(db, "users", "list").output
    key = run(db, "users", "key", "ana@a.example", "--name", "job").stdout.strip().splitlines()[0]
    assert re.fullmatch(r"lw_[0-9a-f]{8}_[\w-]+", key)

    assert (
        "new case(s)"
        in run(db, "cases", "sync", "--as", "ana@a.example", "--min-level", "medium").output
    )
    listing = run(
        db, "cases", "list", "--as", "ana@a.example", "--format", "jsonl"
    ).stdout.splitlines()
    assert listing
    first = int(re.search(r'"id": (\d+)', listing[0]).group(1))
    r = run(
        db,
        "cases",
        "decide",
        str(first),
        "--as",
        "ana@a.example",
        "--decision",
        "remove",
        "--reason",
        "front company",
    )
    assert r.exit_code == 0 and "decided (remove)" in r.output
    out = tmp_path / "warn.csv"
    assert (
        run(db, "cases", "export", str(first), "--as", "ana@a.example", "-o", str(out)).exit_code
        == 0
    )
    assert out.read_text().startswith("member_id,name,company,approached_by")
    shown = run(db, "cases", "show", str(first), "--as", "ana@a.example").stdout
    assert '"action": "decided"' in shown and '"action": "exported"' in shown

    # the same store serves the web: the key works and the case is there
    from lurewatch.settings import Settings

    with TestClient(create_app(Settings(db_url=f"sqlite:///{db}"))) as c:
        r = c.get(f"/api/v1/cases/{first}", headers={"X-API-Key": key})
        assert r.status_code == 200 and r.json()["decision"] == "remove"


def test_cli_errors_are_messages(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    from lurewatch.errors import InputError

    for args, stdin, words in (
        (
            ("users", "add", "--role", "admin", "--org", "X", "--password-stdin", "a@x.example"),
            "short\n",
            "at least 10",
        ),
        (
            ("users", "add", "--role", "admin", "--org", "X", "--password-stdin", "not-an-email"),
            "a-long-enough-password\n",
            "not an e-mail",
        ),
        (("cases", "list"), None, "--as EMAIL"),
        (("cases", "list", "--as", "ghost@x.example"), None, "no user"),
    ):
        try:
            result = run(db, *args, input=stdin)
        except InputError as exc:
            assert words in str(exc)
        else:
            assert result.exit_code != 0 and words in result.output


def test_serve_help_names_the_demo_and_defaults() -> None:
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0
    assert "--demo" in r.output and "127.0.0.1" in r.output and "8000" in r.output


def test_every_api_route_is_documented(client: TestClient) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = []
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (p for p in paths if p.startswith("/api/v1/")):
        short = re.sub(r"\{\w+_id(:path)?\}", "{id}", path.removeprefix("/api/v1"))
        short = short.split("/{id}/")[0] + "/{id}/" if "/{id}/" in short else short
        if short not in docs:
            missing.append(path)
    assert not missing, f"routes missing from docs/web.md: {missing}"
    if any(p.startswith("/taxii2/") for p in paths):
        assert "/taxii2/" in docs
