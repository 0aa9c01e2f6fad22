"""`lurewatch assessments`: every stored assessment, one line each (a pipeline contract)."""

from __future__ import annotations

import click

from lurewatch.cli.common import dump_json, open_store
from lurewatch.cli.terminal import terminal_safe
from lurewatch.engine.assessments import KINDS, LEVELS, iter_assessment_lines
from lurewatch.settings import Settings


@click.command("assessments")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per assessment (the contract); text: one readable line each.",
)
@click.option("--level", type=click.Choice(LEVELS), default=None, help="Only this level.")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only messages or accounts.")
@click.pass_obj
def command(settings: Settings, fmt: str, level: str | None, kind: str | None) -> None:
    """Print every assessment `lurewatch analyze` stored, with the `check` fields.

    \b
    Each JSONL line has id, kind, score, level, evidence, advice and model; a message adds
    sender {id, name}, direction, conversation_id and text (evidence spans index into it);
    an account adds name and profile_url. Streamed: memory stays flat on large stores.

    \b
    Examples:
      lurewatch ingest feed.jsonl && lurewatch analyze && lurewatch assessments > out.jsonl
      lurewatch assessments --level high --kind account --format text
    """
    store = open_store(settings)
    for line in iter_assessment_lines(store, kind=kind, level=level):
        if fmt == "jsonl":
            click.echo(dump_json(line))
        else:
            click.echo(_text_line(line))


def _text_line(line: dict) -> str:
    if line["kind"] == "message":
        sender = line.get("sender") or {}
        who = sender.get("name") or sender.get("id") or "?"
        what = " ".join(str(line.get("text") or "").split())[:80]
        label = f"message {line['id']} from {who}: {what}"
    else:
        label = f"account {line['id']} {line.get('name') or ''}".rstrip()
    reasons = "; ".join(
        e["explanation"] for e in line.get("evidence", [])[:2] if e.get("strength", 0) > 0
    )
    return terminal_safe(
        f"{line['score']:.2f} {line['level']:<6} {label}" + (f"  — {reasons}" if reasons else "")
    )
