"""One terminal sanitiser: hostile names and quotes never reach the terminal as escape sequences."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lurewatch.cli.main import cli
from lurewatch.cli.terminal import terminal_safe, visible_controls


def test_controls_bidi_and_escapes_are_blanked():
    hostile = "a\x1b[2Jb\x9bc\u202ed\u2066e\x00f\rg"
    out = terminal_safe(hostile)
    assert out == "a [2Jb c d e f g"
    assert terminal_safe("line\nnext", keep_newlines=True) == "line\nnext"
    assert terminal_safe("line\nnext") == "line next"
    assert terminal_safe("Zhang Wei 张伟 — Jürgen") == "Zhang Wei 张伟 — Jürgen"


def test_visible_controls_shows_what_was_there():
    assert visible_controls("x\x1b[2J\u202ey") == "x\\x1b[2J\\u202ey"


def test_check_text_output_has_no_escape_sequences():
    text = "We pay 2,000 EUR. Let's continue on \x1b]8;;http://evil\x07WhatsApp\x1b[2J now."
    result = CliRunner().invoke(
        cli, ["--db", "/nonexistent-dir/x.db", "check", "--text", text], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    raw = CliRunner().invoke(
        cli,
        ["--db", "/nonexistent-dir/x.db", "check", "--text", text, "--format", "json"],
        catch_exceptions=False,
    )
    assert json.loads(raw.output)["kind"] == "message"  # JSON keeps the data (escaped by json)
