"""`lurewatch analyze`: score everything the store holds and save the assessments."""

from __future__ import annotations

import json

import click

from lurewatch.cli.common import StderrProgress, open_store
from lurewatch.engine.service import analyze
from lurewatch.settings import Settings
from lurewatch.store import queries


@click.command("analyze")
@click.option(
    "--top",
    default=10,
    show_default=True,
    help="How many of the most suspicious accounts and messages to list.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json: the summary plus the top accounts and messages (check fields).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on stderr (default: when it is a terminal).",
)
@click.option(
    "--restart",
    is_flag=True,
    help="Start afresh even if an interrupted analyze of the same data could be resumed.",
)
@click.pass_obj
def command(settings: Settings, top: int, fmt: str, progress: bool | None, restart: bool) -> None:
    """Run every signal family over the store (templates, graph, campaigns, avatars…), score every
    message and account, and save the assessments with their evidence and model version.

    \b
    Examples:
      lurewatch ingest feed.jsonl && lurewatch analyze
      lurewatch analyze --top 25
      lurewatch --rules-only analyze --format json > summary.json

    Then: `lurewatch campaigns list`, `lurewatch cases sync`, or the web UI (`lurewatch serve`).
    Running it again re-scores everything (assessments are replaced, not duplicated). An
    interrupted run (Ctrl-C, a crash) resumes where it stopped when the data is unchanged:
    finished stages are not redone (--restart to redo them).
    """
    store = open_store(settings)
    reporter = StderrProgress(force=bool(progress)) if progress is not False else (lambda *a: None)
    summary = analyze(store, settings, progress=reporter, restart=restart)
    with store.read() as conn:
        top_accounts = queries.list_assessments(conn, kind="account", limit=top)
        top_messages = queries.list_assessments(conn, kind="message", limit=top)
        names = {a.id: (queries.get_account(conn, a.id) or None) for a in top_accounts}
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    **summary.to_dict(),
                    "top_accounts": [a.to_dict() for a in top_accounts],
                    "top_messages": [a.to_dict() for a in top_messages],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if summary.messages == 0 and summary.accounts == 0:
        click.echo(
            f"The store ({settings.db_url}) holds no messages or accounts yet: load some with "
            "`lurewatch ingest FILE` (or try `lurewatch demo`), then analyze again."
        )
        return
    click.echo(
        f"Analyzed {summary.messages:,} messages and {summary.accounts:,} accounts "
        f"(models: {', '.join(sorted(summary.models)) or 'none'})."
    )
    click.echo(
        f"Levels: {summary.levels.get('high', 0)} high, {summary.levels.get('medium', 0)} medium, {summary.levels.get('low', 0)} low."
    )
    if summary.stages:
        click.echo(f"Batch stages run: {', '.join(summary.stages)}.")
    if summary.resumed:
        click.echo(
            f"Resumed an interrupted run: kept what it had finished ({', '.join(summary.resumed)})."
        )
    for err in summary.stage_errors:
        click.echo(f"lurewatch: {err} — the rest ran", err=True)
    if summary.failed:
        click.echo(
            f"lurewatch: {summary.failed} record(s) could not be scored (see above); "
            "please report this with the record.",
            err=True,
        )
    if top_accounts:
        click.echo("\nMost suspicious accounts:")
        for a in top_accounts:
            account = names.get(a.id)
            label = account.name if account and account.name else a.id
            reasons = "; ".join(e.explanation for e in a.evidence[:2] if e.strength > 0)
            click.echo(f"  {a.score:.2f} {a.level:<6} {label}  — {reasons}")
    if top_messages:
        click.echo("\nMost suspicious messages:")
        for a in top_messages:
            quote = next((e.quote for e in a.evidence if e.quote), "")
            click.echo(
                f"  {a.score:.2f} {a.level:<6} {a.id}  — {' '.join((quote or '').split())[:90]}"
            )
    click.echo(f"\nstore: {settings.db_url}")
