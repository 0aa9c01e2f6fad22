"""`lurewatch campaigns`: list, show and (re)build the campaigns found in the store."""

from __future__ import annotations

import json
from typing import Any

import click

from lurewatch.cli.common import StderrProgress, open_store, open_store_if_present
from lurewatch.cli.terminal import terminal_safe
from lurewatch.errors import LurewatchError
from lurewatch.settings import Settings

_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


_safe = terminal_safe  # untrusted names and handles


def _load(settings: Settings) -> list[dict[str, Any]]:
    store = open_store_if_present(settings)
    if store is None:
        return []
    from lurewatch.store.tables import campaigns as table

    try:
        with store.read() as conn:
            return table.list_campaigns(conn) if table.has_tables(conn) else []
    finally:
        store.close()


@click.group("campaigns", invoke_without_command=True)
@_FORMAT
@click.pass_context
def command(ctx: click.Context, fmt: str) -> None:
    """Accounts linked into campaigns through shared artifacts: templates, avatars, front
    companies, phone/WhatsApp numbers, Telegram/WeChat ids, e-mails, URLs.

    `lurewatch analyze` builds them; `lurewatch campaigns build` rebuilds them alone.

    \b
    Examples:
      lurewatch campaigns list
      lurewatch campaigns show C1a2b3c4d5 --format json
      lurewatch campaigns build
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_cmd, fmt=fmt)


@command.command("list")
@_FORMAT
@click.pass_obj
def list_cmd(settings: Settings, fmt: str) -> None:
    """One line per campaign, most flagged first."""
    items = _load(settings)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {k: v for k, v in c.items() if k not in ("accounts", "artifacts")}
                    | {"accounts": [a["account"] for a in c["accounts"]]}
                    for c in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not items:
        click.echo(
            "No campaigns in the store (run `lurewatch analyze` or `lurewatch campaigns build`)."
        )
        return
    from lurewatch.campaigns.summary import CampaignSummary

    for c in items:
        summary = CampaignSummary(
            id=c["id"],
            accounts=c["accounts"],
            artifacts=c["artifacts"],
            flagged=c["flagged"],
            targets=c["targets"],
            organisations=[tuple(x) for x in c.get("organisations", [])],
        )
        dates = (
            f"  {(c.get('first_seen') or '')[:10]}…{(c.get('last_seen') or '')[:10]}"
            if c.get("first_seen")
            else ""
        )
        click.echo(f"{c['id']}{dates}  {_safe(summary.headline())}")


@command.command("show")
@click.argument("campaign_id")
@_FORMAT
@click.pass_obj
def show_cmd(settings: Settings, campaign_id: str, fmt: str) -> None:
    """Everything about one campaign: accounts and why each belongs, artifacts, targets."""
    found = next((c for c in _load(settings) if c["id"] == campaign_id), None)
    if found is None:
        raise LurewatchError(f"no campaign {campaign_id!r} (see `lurewatch campaigns list`)")
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Campaign {found['id']}: {found['size']} accounts, {found['flagged']} flagged, {found['targets']} targets reached"
    )
    if found.get("first_seen"):
        click.echo(f"First seen {found['first_seen']}, last seen {found.get('last_seen')}")
    if found.get("organisations"):
        click.echo(
            "Target organisations: "
            + ", ".join(f"{_safe(o)} ({n})" for o, n in found["organisations"])
        )
    if found.get("sectors"):
        click.echo("Target sectors: " + ", ".join(f"{s} ({n})" for s, n in found["sectors"]))
    click.echo("\nShared artifacts:")
    for a in found["artifacts"]:
        click.echo(
            f"  {a['kind_label']}: {_safe(a['label'])}  — {', '.join(_safe(x) for x in a['accounts'][:10])}"
        )
    click.echo("\nAccounts:")
    for m in found["accounts"]:
        flag = " [flagged]" if m.get("flagged") else ""
        click.echo(f"  {_safe(m['account'])} {_safe(m.get('name') or '')}{flag}")
        for line in m.get("why", []):
            click.echo(f"      {_safe(line)}")


@command.command("build")
@click.option("--progress/--no-progress", default=None, help="Show progress on stderr.")
@click.pass_obj
def build_cmd(settings: Settings, progress: bool | None) -> None:
    """Re-link campaigns from what the store holds now (templates from the last analyze)."""
    from lurewatch.engine.plugins.campaigns import build

    store = open_store(settings)
    reporter = StderrProgress(force=bool(progress)) if progress is not False else (lambda *a: None)
    try:
        summaries = build(store, reporter)
    finally:
        store.close()
    flagged = sum(1 for s in summaries if s["flagged"])
    click.echo(
        f"{len(summaries)} campaigns ({flagged} with flagged accounts) saved to {settings.db_url}"
    )
