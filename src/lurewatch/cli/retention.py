"""`lurewatch retention show|apply`: remove personal data past its retention period (run from cron)."""

from __future__ import annotations

import click

from lurewatch.errors import InputError
from lurewatch.settings import Settings, parse_retention


def _periods(settings: Settings, days: tuple[str, ...]) -> dict[str, int]:
    try:
        return dict(parse_retention(",".join(days), settings.retention))
    except ValueError as exc:
        raise InputError(str(exc), field="days") from None


DAYS = click.option(
    "--days",
    multiple=True,
    metavar="KIND=N",
    help="Override one period for this run (0: keep); repeatable. Defaults: settings "
    "(LUREWATCH_RETENTION).",
)


@click.group("retention")
def command() -> None:
    """Retention periods per record kind, and their enforcement.

    \b
    lurewatch retention show
    lurewatch retention apply              # dry run: prints what it would remove
    lurewatch retention apply --yes        # removes it, and writes one audit event
    """


@command.command("show")
@DAYS
@click.pass_obj
def show_cmd(settings: Settings, days: tuple[str, ...]) -> None:
    """The periods in force, one kind a line."""
    from lurewatch.store.privacy import RETENTION_KINDS

    for kind, n in _periods(settings, days).items():
        click.echo(f"{kind}\t{n if n else 'kept'}\t{RETENTION_KINDS[kind]}")


@command.command("apply")
@DAYS
@click.option("--dry-run/--yes", "dry_run", default=True, help="Only print (default), or remove.")
@click.pass_obj
def apply_cmd(settings: Settings, days: tuple[str, ...], dry_run: bool) -> None:
    """Remove what is past its period (dry run unless --yes): counts per kind on stdout."""
    from lurewatch.cli.common import open_store
    from lurewatch.store import privacy

    periods = _periods(settings, days)
    store = open_store(settings)
    if dry_run:
        with store.read() as conn:
            plan = privacy.retention_plan(conn, periods)
        for kind in periods:
            click.echo(f"{kind}\t{plan.get(kind, 0)}\twould be removed")
        click.echo("dry run: nothing removed (add --yes to remove)", err=True)
        return
    with store.write() as conn:
        done = privacy.retention_apply(conn, periods)
    for kind in periods:
        click.echo(f"{kind}\t{done.get(kind, 0)}\tremoved")
