"""`lurewatch subject export|erase ID`: a person's data on request (GDPR arts. 15 and 17).

The operator acts for every organisation and for the platform's shared store records. Each
run is an audit event; an erasure blanks audit-trail content through the redaction register,
never by deleting trail rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from lurewatch.settings import Settings


@click.group("subject")
def command() -> None:
    """A person's data: export it (art. 15) or erase it (art. 17).

    \b
    ID is a user's e-mail (reporter, analyst) or an account id (suspect, approached member).
    lurewatch subject export member-123 -o member-123.json
    lurewatch subject erase member-123 --reason "erasure request 2026-17" --yes
    """


@command.command("export")
@click.argument("subject_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_obj
def export_cmd(settings: Settings, subject_id: str, output: Path | None) -> None:
    """Everything held about SUBJECT_ID, as one JSON document (stdout or -o FILE)."""
    from lurewatch.cli.common import open_store
    from lurewatch.store import privacy

    store = open_store(settings)
    with store.write() as conn:
        found = privacy.subject_export(conn, subject_id)
        privacy.audit(conn, privacy.OPERATOR, "export", "subject", subject_id)
    text = json.dumps(found, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    if not found["found"]:
        click.echo(f"nothing is held about {subject_id!r}", err=True)


@command.command("erase")
@click.argument("subject_id")
@click.option(
    "--reason", default=None, help="Why (the request's reference): kept in the audit log."
)
@click.option("--yes", is_flag=True, help="Do it without asking.")
@click.option(
    "--keep-shared",
    is_flag=True,
    help="Erase the organisations' data only; keep the shared store records (accounts, messages).",
)
@click.pass_obj
def erase_cmd(
    settings: Settings, subject_id: str, reason: str | None, yes: bool, keep_shared: bool
) -> None:
    """Remove SUBJECT_ID's personal data everywhere; audit trails keep the facts, not the person."""
    from lurewatch.cli.common import open_store
    from lurewatch.store import privacy

    store = open_store(settings)
    with store.read() as conn:
        found = privacy.subject_export(conn, subject_id)
    if not found["found"]:
        click.echo(f"nothing is held about {subject_id!r}; nothing erased", err=True)
        return
    if not yes:
        click.confirm(f"Erase everything held about {subject_id!r}?", abort=True, err=True)
    with store.write() as conn:
        counts = privacy.subject_erase(
            conn, subject_id, privacy.OPERATOR, shared=not keep_shared, reason=reason
        )
    for kind, n in sorted(counts.items()):
        click.echo(f"{kind}\t{n}")
    click.echo(
        "erased; run `lurewatch analyze` to rebuild campaigns and templates without them", err=True
    )
