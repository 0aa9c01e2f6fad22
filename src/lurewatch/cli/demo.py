"""`lurewatch demo`: the main job end to end on the bundled, invented sample data."""

from __future__ import annotations

from pathlib import Path

import click

from lurewatch.cli.common import StderrProgress, open_store
from lurewatch.engine.scan import scan_archive
from lurewatch.engine.service import analyze, ingest_sources
from lurewatch.settings import BUNDLED_DATA_DIR, Settings
from lurewatch.store import queries

SAMPLE_DIR = BUNDLED_DATA_DIR / "sample"


@click.command("demo")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("lurewatch-report.html"),
    show_default=True,
    help="Where to write the HTML report of the sample archive scan.",
)
@click.option("--serve", is_flag=True, help="Then start the web UI on the demo store.")
@click.pass_obj
def command(settings: Settings, report_path: Path, serve: bool) -> None:
    """Ingest the bundled sample feed and archive (INVENTED demo data) into the store, analyze
    it, list the most suspicious accounts and campaigns, and scan the sample archive into an
    HTML report.

    \b
    Examples:
      lurewatch demo                         (what `make run` does; store lurewatch.db)
      lurewatch --db /tmp/demo.db demo --report /tmp/demo.html
      lurewatch demo --serve                 (then open http://127.0.0.1:8000/)
    """
    feed = SAMPLE_DIR / "feed.jsonl"
    archive = SAMPLE_DIR / "linkedin-export.zip"
    if not archive.exists():
        archive = SAMPLE_DIR / "linkedin-export"
    click.echo(f"1. Ingesting the sample platform feed and archive into {settings.db_url}")
    store = open_store(settings)
    summary = ingest_sources(store, [feed, archive], progress=StderrProgress())
    for one in summary.sources:
        click.echo(
            f"   {Path(one.source).name}: {one.total_added} new records, {one.unchanged} already present, {len(one.rejected)} rejected"
        )
    click.echo("2. Analyzing: every signal family, then scoring every message and account")
    result = analyze(store, settings, progress=StderrProgress())
    click.echo(
        f"   {result.messages} messages and {result.accounts} accounts scored by {', '.join(sorted(result.models))}; "
        f"{result.levels.get('high', 0)} high, {result.levels.get('medium', 0)} medium, "
        f"{result.levels.get('low', 0)} low (the sample is mostly lures)"
    )
    for err in result.stage_errors:
        click.echo(f"   stage failed (the rest ran): {err}", err=True)
    from lurewatch.ingest import open_source

    member = open_source(archive).owner  # the member who exported the archive is not a suspect
    with store.read() as conn:
        top = queries.list_assessments(conn, kind="account", limit=9)
        top = [a for a in top if not (member and a.id == member.id)][:8]
        click.echo("3. Most suspicious accounts (score 0-1, level, name — the strongest evidence):")
        for a in top:
            account = queries.get_account(conn, a.id)
            name = account.name if account and account.name else a.id
            strongest = sorted((e for e in a.evidence if e.strength > 0), key=lambda e: -e.strength)
            reasons = " · ".join(_clip(e.explanation.rstrip("."), 90) for e in strongest[:2])
            click.echo(f"   {a.score:.2f} {a.level:<6} {name} — {reasons}")
    _campaigns(settings)
    click.echo(f"4. Scanning the sample member archive ({archive.name}) offline")
    scan = scan_archive(archive, settings)
    from lurewatch.cli.scan import report_context, write_report
    from lurewatch.report.html import render_scan_report

    write_report(report_path, render_scan_report(report_context(scan)))
    flagged = [s for s in scan.senders if s.level != "low"]
    click.echo(
        f"   {len(scan.senders)} people contacted the member; {len(flagged)} look suspicious:"
    )
    for s in flagged[:6]:
        click.echo(f"   {s.level.upper():<6} {s.score:.2f} {s.account.name}")
    if len(flagged) > 6:
        click.echo(f"   … and {len(flagged) - 6} more in the report")
    click.echo(f"   HTML report (open it in a browser): {report_path.resolve()}")
    click.echo(
        "\nThe sample data is invented. Next:\n"
        '   lurewatch check --text "..."        one message, verdict with evidence and advice\n'
        "   lurewatch scan YOUR_EXPORT.zip      your own LinkedIn archive, offline, --html report\n"
        "   lurewatch demo --serve              the web UI on this demo store\n"
        "   lurewatch --help                    every command"
    )
    if serve:
        from click import get_current_context

        from lurewatch.cli.main import cli

        serve_cmd = cli.get_command(get_current_context(), "serve")
        if serve_cmd is None:
            raise click.ClickException("the web UI is not available in this installation")
        get_current_context().invoke(serve_cmd, demo=True)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _campaigns(settings: Settings) -> None:
    from lurewatch.campaigns.summary import CampaignSummary
    from lurewatch.store.tables.campaigns import list_campaigns

    store = open_store(settings)
    with store.read() as conn:
        found = list_campaigns(conn)
    if not found:
        return
    click.echo(
        "   Campaigns (accounts linked through shared artifacts; `lurewatch campaigns list`):"
    )
    for c in found[:5]:
        summary = CampaignSummary(
            id=c["id"],
            accounts=c["accounts"],
            artifacts=c["artifacts"],
            flagged=c["flagged"],
            targets=c["targets"],
            organisations=[tuple(x) for x in c.get("organisations", [])],
        )
        click.echo(f"   • {c['id']}: {summary.headline()}")
