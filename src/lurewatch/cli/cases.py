"""`lurewatch cases`: the review queue from the terminal (same functions as the web)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from lurewatch.errors import InputError
from lurewatch.settings import Settings


def _ctx(settings: Settings, as_user: str | None):  # noqa: ANN202
    """The store, the acting analyst and their organisation (cases never cross organisations)."""
    from sqlalchemy import select

    from lurewatch.cases.rules import Actor
    from lurewatch.cli.common import open_store
    from lurewatch.store.tables.web import users

    if not as_user:
        raise InputError("say who is acting: --as EMAIL (or LUREWATCH_USER)", field="as")
    store = open_store(settings)
    with store.read() as conn:
        user = conn.execute(
            select(users.c.id, users.c.email, users.c.role, users.c.org_id).where(
                users.c.email == as_user.strip().lower()
            )
        ).first()
    if user is None:
        raise InputError(f"no user {as_user}", field="as")
    if user.role not in ("analyst", "admin"):
        raise InputError(f"{as_user} is a {user.role}; cases need an analyst or admin", field="as")
    return store, Actor(int(user.id), user.email), int(user.org_id)


AS = click.option(
    "--as",
    "as_user",
    envvar="LUREWATCH_USER",
    help="Acting analyst's e-mail (sets the organisation).",
)


@click.group("cases")
def command() -> None:
    """The review queue: list cases, decide, audit trail, export who to warn.

    \b
    lurewatch cases sync --as ana@example.org --min-level medium
    lurewatch cases list --as ana@example.org
    lurewatch cases decide 3 --as ana@example.org --decision remove --reason "front company"
    lurewatch cases export 3 --as ana@example.org -o warn.csv
    """


@command.command("sync")
@AS
@click.option(
    "--min-level", type=click.Choice(["medium", "high"]), default="high", show_default=True
)
@click.pass_obj
def sync(settings: Settings, as_user: str | None, min_level: str) -> None:
    """Open a case for every assessment at or above a level."""
    from lurewatch.cases import store as cs

    store, _, org_id = _ctx(settings, as_user)
    with store.write() as conn:
        created = cs.sync_from_assessments(conn, org_id, min_level=min_level)
    click.echo(f"{created} new case(s)")


@command.command("list")
@AS
@click.option(
    "--status", type=click.Choice(["open", "decided", "all"]), default="open", show_default=True
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
def list_(settings: Settings, as_user: str | None, status: str, limit: int, fmt: str) -> None:
    """The queue, most urgent first."""
    from lurewatch.cases import store as cs

    store, _, org_id = _ctx(settings, as_user)
    with store.read() as conn:
        items, total = cs.list_cases(
            conn, org_id, status=None if status == "all" else status, limit=limit
        )
    for c in items:
        if fmt == "jsonl":
            click.echo(json.dumps(c, ensure_ascii=False))
        else:
            click.echo(
                f"#{c['id']:<5} {c['priority']:.2f} {c['level'] or '-':<6} {c['status']:<8} {c['decision'] or '':<9} {c['title'][:70]}"
            )
    if fmt == "text":
        click.echo(f"{len(items)} of {total} case(s)", err=True)


@command.command("show")
@click.argument("case_id", type=int)
@AS
@click.pass_obj
def show(settings: Settings, case_id: int, as_user: str | None) -> None:
    """One case with its audit trail."""
    from lurewatch.cases import store as cs

    store, _, org_id = _ctx(settings, as_user)
    with store.read() as conn:
        case = cs.get_case(conn, org_id, case_id)
        if case is None:
            raise InputError(f"no case {case_id} in your organisation", field="case")
        trail = cs.events(conn, case_id)
    click.echo(json.dumps({**case, "events": trail}, ensure_ascii=False, indent=2))


def _act(settings: Settings, as_user: str | None, case_id: int, fn, *args) -> None:  # noqa: ANN001
    store, actor, org_id = _ctx(settings, as_user)
    with store.write() as conn:
        try:
            case = fn(conn, org_id, case_id, actor, *args)
        except LookupError:
            raise InputError(f"no case {case_id} in your organisation", field="case") from None
    click.echo(
        f"case #{case['id']}: {case['status']}{' (' + case['decision'] + ')' if case['decision'] else ''}"
    )


@command.command("decide")
@click.argument("case_id", type=int)
@AS
@click.option(
    "--decision", type=click.Choice(["dismiss", "restrict", "remove", "escalate"]), required=True
)
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@click.pass_obj
def decide(
    settings: Settings, case_id: int, as_user: str | None, decision: str, reason: str
) -> None:
    """Decide a case: dismiss, restrict, remove, or escalate to the national agency."""
    from lurewatch.cases import store as cs

    _act(settings, as_user, case_id, cs.decide, decision, reason)


@command.command("comment")
@click.argument("case_id", type=int)
@AS
@click.option("--text", "text", required=True)
@click.pass_obj
def comment(settings: Settings, case_id: int, as_user: str | None, text: str) -> None:
    """Add a comment to the audit trail."""
    from lurewatch.cases import store as cs

    _act(settings, as_user, case_id, cs.comment, text)


@command.command("export")
@click.argument("case_id", type=int)
@AS
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV file (default stdout).",
)
@click.pass_obj
def export(settings: Settings, case_id: int, as_user: str | None, output: Path | None) -> None:
    """The members the case's account approached, as CSV, to warn them."""
    from lurewatch.cases import store as cs
    from lurewatch.web.api import approached_csv

    store, actor, org_id = _ctx(settings, as_user)
    with store.write() as conn:
        case = cs.get_case(conn, org_id, case_id)
        if case is None:
            raise InputError(f"no case {case_id} in your organisation", field="case")
        rows = cs.approached(conn, case)
        cs.record_export(conn, org_id, case_id, actor, len(rows))
    text = approached_csv(rows)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} member(s) written to {output}", err=True)
    else:
        click.echo(text, nl=False)
