"""`lurewatch templates`: group messages into templates (near-duplicates); export/match fingerprints."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click

from lurewatch.cli.common import dump_json
from lurewatch.cli.terminal import terminal_safe
from lurewatch.errors import InputError
from lurewatch.ingest.feed import decode_json
from lurewatch.records import Message, label, record_from_dict
from lurewatch.signals.views import message_view
from lurewatch.templates.fingerprints import fingerprints, match_fingerprints
from lurewatch.templates.index import TemplateIndex
from lurewatch.templates.normalize import normalize, readable

_ID_HINT = re.compile(r'"id"\s*:\s*"?([^",}\s]{1,200})')


@dataclass
class _Row:
    """One input line: a message, or the error that kept it out (with the id when known)."""

    line: int
    id: str | None
    text: str = ""
    sent_at: datetime | None = None
    error: str | None = None


def _read(stream: Any, source: str) -> Iterator[_Row]:
    for n, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            data = decode_json(raw)
        except InputError as exc:
            hint = _ID_HINT.search(raw)
            err = InputError(exc.message, source=source, line=n)
            click.echo(f"lurewatch templates: {err}", err=True)
            yield _Row(n, hint.group(1) if hint else None, error=f"{err.where()}{err.message}")
            continue
        try:
            record = record_from_dict(data)
        except InputError as exc:
            exc.source, exc.line = source, n
            click.echo(f"lurewatch templates: {exc.where()}{exc.message}", err=True)
            mid = label(data.get("id")) if isinstance(data, dict) else None
            yield _Row(n, mid or None, error=f"{exc.where()}{exc.message}")
            continue
        if isinstance(record, Message):
            yield _Row(n, record.id, message_view(record).text, record.sent_at)


def _rows(input_path: str) -> list[_Row]:
    if input_path == "-":
        if sys.stdin.isatty():  # a person typed the bare command: say what it needs, do not hang
            raise click.UsageError(
                "give --input FILE (JSONL messages) or pipe JSONL on stdin; see --help"
            )
        return list(_read(sys.stdin, "<stdin>"))
    try:
        with open(input_path, encoding="utf-8-sig", errors="replace") as fh:
            return list(_read(fh, input_path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=input_path) from exc


def _index(rows: list[_Row], threshold: float) -> TemplateIndex:
    index = TemplateIndex(threshold=threshold)
    good = [r for r in rows if r.error is None and r.id is not None]
    index.add_many([r.id for r in good], [r.text for r in good])  # type: ignore[misc]
    return index


_INPUT = click.option(
    "--input", "input_path", default="-", show_default=True, help="Messages as JSONL (- for stdin)."
)
_THRESHOLD = click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=0.7,
    show_default=True,
    help="Jaccard similarity (of character 4-grams) that makes two texts one template.",
)


@click.group("templates", invoke_without_command=True)
@_INPUT
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True
)
@_THRESHOLD
@click.pass_context
def command(ctx: click.Context, input_path: str, fmt: str, threshold: float) -> None:
    """Group messages into templates: near-identical texts sent to many people.

    Writes one JSON line per input message, in input order:
    {"id", "template", "size"} — `template` is shared by every near-copy (its smallest
    member id), `size` counts the messages in it. Lines that cannot be read are reported on
    stderr with their line number and still give a line with an "error" field when their
    id is known.

    \b
    Examples:
      lurewatch templates --input messages.jsonl --format jsonl
      cat messages.jsonl | lurewatch templates --format text
      lurewatch templates fingerprint --input messages.jsonl > fps.json
      lurewatch templates match-fingerprints --fingerprints fps.json --input ours.jsonl
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = _rows(input_path)
    index = _index(rows, threshold)
    assigned = index.assignments()
    if fmt == "jsonl":
        lines: list[str] = []
        for row in rows:
            if row.error is not None:
                if row.id is not None:
                    lines.append(dump_json({"id": row.id, "error": row.error}))
                continue
            tid, size = assigned[row.id]  # type: ignore[index]
            lines.append(dump_json({"id": row.id, "template": tid, "size": size}))
            if len(lines) >= 10_000:  # written in blocks: one echo per line was 10% of the run
                click.echo("\n".join(lines))
                lines = []
        if lines:
            click.echo("\n".join(lines))
        return
    texts = {r.id: r.text for r in rows if r.error is None}
    clusters = index.clusters(min_size=2)
    click.echo(f"{len(index):,} messages, {len(clusters):,} templates with 2 or more messages")
    for members in clusters[:50]:
        sample = readable(normalize(texts.get(members[0], "")))[:160]
        click.echo(f"\n{members[0]}  ({len(members)} messages)")
        click.echo(f"  {_printable(sample)}")
        more = f" … (+{len(members) - 8})" if len(members) > 8 else ""
        click.echo(f"  members: {', '.join(_printable(m) for m in members[:8])}{more}")


_printable = terminal_safe  # message texts are untrusted


@command.command("fingerprint")
@_INPUT
@_THRESHOLD
@click.option(
    "--min-size",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Only templates with this many messages.",
)
def fingerprint_cmd(input_path: str, threshold: float, min_size: int) -> None:
    """Export template fingerprints (MinHash signatures, no text) as JSON, to share."""
    rows = _rows(input_path)
    index = _index(rows, threshold)
    sent = {r.id: r.sent_at for r in rows if r.error is None and r.id is not None}
    fps = fingerprints(index, sent, min_size=min_size)
    click.echo(
        json.dumps(
            {"type": "lurewatch-template-fingerprints", "version": 1, "fingerprints": fps}, indent=1
        )
    )


@command.command("match-fingerprints")
@click.option(
    "--fingerprints",
    "fps_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="JSON from `templates fingerprint`.",
)
@_INPUT
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=0.6,
    show_default=True,
    help="Estimated Jaccard needed for a match.",
)
def match_cmd(fps_path: str, input_path: str, threshold: float) -> None:
    """Match messages against shared fingerprints; one JSON line per message with its matches."""
    try:
        with open(fps_path, encoding="utf-8") as fh:
            data = json.load(fh)
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})", source=fps_path) from exc
    fps = data.get("fingerprints", data) if isinstance(data, dict) else data
    if not isinstance(fps, list):
        raise InputError(
            'expected a list of fingerprints or {"fingerprints": [...]}', source=fps_path
        )
    fps = [f for f in fps if isinstance(f, dict) and isinstance(f.get("minhash"), list)]
    rows = _rows(input_path)
    good = [r for r in rows if r.error is None]
    results = iter(match_fingerprints(fps, [r.text for r in good], threshold=threshold))
    for row in rows:
        if row.error is not None:
            if row.id is not None:
                click.echo(dump_json({"id": row.id, "error": row.error}))
            continue
        click.echo(dump_json({"id": row.id, "matches": next(results)}))
