"""`lurewatch ingest`: load archives and feeds into the store; idempotent; rejects located and kept."""

from __future__ import annotations

import json
import sys

import click

from lurewatch.cli.common import StderrProgress, open_store
from lurewatch.engine.service import ingest_sources
from lurewatch.settings import Settings

MAX_SHOWN = 20  # rejects printed per source; all of them are stored


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json: per source, what was added and each reject (file, line, field).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on stderr (default: when it is a terminal).",
)
@click.pass_obj
def command(settings: Settings, sources: tuple[str, ...], fmt: str, progress: bool | None) -> None:
    """Load LinkedIn archives (zip or folder) and JSONL feeds ('-' for stdin) into the store.

    Ingesting the same source twice adds nothing. Lines or rows that cannot be read are
    reported with file, line and field, recorded in the store, and the rest is still loaded.
    Then run `lurewatch analyze` to score what the store holds.

    \b
    Examples:
      lurewatch ingest reported/Basic_LinkedInDataExport.zip reported/feed.jsonl
      lurewatch --db postgresql+psycopg://lw:secret@db/lurewatch ingest accounts.jsonl messages.jsonl
      cat feed.jsonl | lurewatch ingest - --format json

    Records are one JSON object per line (kind message, account or edge); see
    docs/records.md. Rejects and warnings are printed on stderr. Exit status: 0 when everything
    was read, 1 when some lines, rows or sources were rejected (the rest was stored), 2 when nothing
    could be used at all (e.g. the one source is not an archive or feed, or a refused archive),
    as for `scan`.
    """
    store = open_store(settings)
    summary = ingest_sources(
        store,
        list(sources),
        stdin=sys.stdin if "-" in sources else None,
        progress=StderrProgress(force=bool(progress))
        if progress is not False
        else (lambda *a: None),
    )
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        for one in summary.sources:
            added = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in one.added.items())
            click.echo(
                f"{one.source}: added {added}; {one.unchanged} already present; {len(one.rejected)} rejected"
            )
        click.echo(f"store: {settings.db_url}")
    # Problems go to stderr (as for check and scan), so stdout stays the summary a script reads.
    for one in summary.sources:
        if not one.total_added and not one.unchanged and not one.rejected:
            click.echo(
                f"lurewatch: warning: {one.source}: no records found in this source (is it empty?)",
                err=True,
            )
        for warning in one.warnings:
            click.echo(f"lurewatch: warning: {warning}", err=True)
        for error in one.rejected[:MAX_SHOWN]:
            click.echo(f"lurewatch: rejected: {error}", err=True)
        if len(one.rejected) > MAX_SHOWN:
            click.echo(
                f"lurewatch: … and {len(one.rejected) - MAX_SHOWN} more rejected in {one.source} "
                "(all recorded in the store's ingest_rejects table; --format json lists them)",
                err=True,
            )
    if summary.unusable:
        sys.exit(2)
    if summary.rejected:
        sys.exit(1)
