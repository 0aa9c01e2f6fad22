"""`lurewatch check`: one message, one profile, or a JSONL stream of records."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from lurewatch.cli.common import dump_json, open_store_if_present
from lurewatch.cli.render import render_assessment
from lurewatch.engine.assembly import build_assessor
from lurewatch.errors import InputError
from lurewatch.records import Message, record_from_dict
from lurewatch.settings import Settings


@click.command("check")
@click.option(
    "--text", "text", default=None, help="The message text to check (or pipe it on stdin)."
)
@click.option("--subject", default=None, help="The message subject, if any.")
@click.option(
    "--channel",
    type=click.Choice(["invitation", "message", "inmail"]),
    default="message",
    show_default=True,
    help="Where the text arrived.",
)
@click.option(
    "--account",
    "account_file",
    type=click.File("r", encoding="utf-8-sig"),
    default=None,
    help="A JSON file with one account/profile record.",
)
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8-sig"),
    default=None,
    help="A JSONL stream of message/account records ('-' for stdin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default=None,
    help="Output: text (default for one item), json, or jsonl (default for a stream).",
)
@click.pass_obj
def command(
    settings: Settings,
    text: str | None,
    subject: str | None,
    channel: str,
    account_file: TextIO | None,
    input_file: TextIO | None,
    fmt: str | None,
) -> None:
    """Check one message, one profile, or a stream of records.

    \b
    Examples:
      lurewatch check --text "Dear Sir, our client in Asia pays well for short reports…"
      echo "…message…" | lurewatch check
      lurewatch check --account profile.json
      lurewatch check --input records.jsonl --format jsonl

    JSONL contract: exactly one output line per input line, in order:
    {"id", "kind", "score", "level", "evidence": [{"signal", "strength", "explanation", "quote"}],
    "advice", "model"}; a line that cannot be read gives {"id", "kind", "error", "line"} instead.
    """
    store = open_store_if_present(settings)
    assessor = build_assessor(settings, store)

    if input_file is not None:
        _stream(assessor, input_file, fmt or "jsonl")
        return
    if account_file is not None:
        try:
            data = json.load(account_file)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg}", source=account_file.name, line=exc.lineno
            ) from None
        if isinstance(data, dict):
            data.setdefault("kind", "account")
            data.setdefault("id", "account")
        try:
            record = record_from_dict(data)
        except InputError as exc:
            exc.source = account_file.name
            raise InputError(exc.message, source=account_file.name, field=exc.field) from None
        _one(assessor.assess(record), fmt or "text")
        return
    if text is None:
        if sys.stdin.isatty():
            raise click.UsageError("give --text, --account, --input, or pipe a message on stdin")
        raw = sys.stdin.read()
        stripped = raw.lstrip("\ufeff").strip()
        if stripped.startswith("{"):
            lines = [ln for ln in stripped.splitlines() if ln.strip()]
            if len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
                _stream(assessor, iter(raw.splitlines(keepends=True)), fmt or "jsonl")
                return
            try:
                data = json.loads(stripped)
                if isinstance(data, dict):
                    data.setdefault("id", "stdin")
                    data.setdefault("kind", "message" if "text" in data else "account")
                    _one(assessor.assess(record_from_dict(data)), fmt or "text")
                    return
            except json.JSONDecodeError:
                pass  # not JSON after all: a message that starts with '{'
        text = raw
    if not text.strip():
        raise InputError("the message is empty", field="text")
    message = Message(id="message", text=text, subject=subject, channel=channel)
    _one(assessor.assess(message), fmt or "text")


def _one(assessment: Any, fmt: str) -> None:
    if fmt == "text":
        click.echo(render_assessment(assessment, colour=sys.stdout.isatty()))
    elif fmt == "json":
        click.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(dump_json(assessment.to_dict()))


def _stream(assessor: Any, lines: Iterator[str] | TextIO, fmt: str) -> None:
    name = getattr(lines, "name", "<stdin>")
    errors = 0
    out = sys.stdout
    items: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        result = _check_line(assessor, line, number, name)
        if "error" in result:
            errors += 1
            click.echo(f"lurewatch: {name}, line {number}: {result['error']}", err=True)
        if fmt == "json":
            items.append(result)
        elif fmt == "text":
            if "error" in result:
                out.write(f"line {number}: error: {result['error']}\n\n")
            else:
                from lurewatch.evidence import Assessment, Evidence

                a = Assessment(
                    id=result["id"],
                    kind=result["kind"],
                    score=result["score"],
                    level=result["level"],
                    evidence=[Evidence.from_dict(e) for e in result["evidence"]],
                    advice=result["advice"],
                    model=result["model"],
                    language=result.get("language"),
                )
                out.write(render_assessment(a, colour=out.isatty()) + "\n\n")
        else:
            out.write(dump_json(result) + "\n")
    if fmt == "json":
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    out.flush()
    if errors:
        click.echo(
            f"lurewatch: {errors} line(s) could not be checked (see above); the others were.",
            err=True,
        )


def _check_line(assessor: Any, line: str, number: int, name: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {
            "id": None,
            "kind": None,
            "line": number,
            "error": f"not valid JSON ({exc.msg}, column {exc.colno})",
        }
    try:
        record = record_from_dict(data)
    except InputError as exc:
        ident = data.get("id") if isinstance(data, dict) else None
        kind = data.get("kind") if isinstance(data, dict) else None
        where = f"field '{exc.field}' " if exc.field else ""
        return {"id": ident, "kind": kind, "line": number, "error": f"{where}{exc.message}"}
    return assessor.assess(record).to_dict()
