"""`lurewatch users`: people, organisations and API keys for the web UI and API."""

from __future__ import annotations

import os
import sys

import click

from lurewatch.errors import InputError
from lurewatch.settings import Settings


def _store(settings: Settings):  # noqa: ANN202
    from lurewatch.cli.common import open_store

    return open_store(settings)


def _password(from_stdin: bool, confirm: bool = True) -> str:
    """From stdin (--password-stdin), LUREWATCH_PASSWORD, or a hidden prompt; never a flag (shell history)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    env = os.environ.get("LUREWATCH_PASSWORD")
    if env:
        return env
    return click.prompt("Password (10+ characters)", hide_input=True, confirmation_prompt=confirm)


@click.group("users")
def command() -> None:
    """Manage web users, organisations and API keys.

    \b
    lurewatch users add --role admin --org "Ministry X" admin@example.org
    echo "$PASSWORD" | lurewatch users add --role analyst --org "Ministry X" --password-stdin ana@example.org
    lurewatch users key admin@example.org --name "nightly ingest"
    """


@command.command("add")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["member", "reporter", "analyst", "admin"]), required=True
)
@click.option("--org", "org", required=True, help="Organisation name (created if new).")
@click.option("--name", default=None, help="Display name.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.option("--no-password", is_flag=True, help="API-key-only user (cannot sign in to the UI).")
@click.pass_obj
def add(
    settings: Settings,
    email: str,
    role: str,
    org: str,
    name: str | None,
    password_stdin: bool,
    no_password: bool,
) -> None:
    """Create a user in an organisation (the first admin, or anyone)."""
    from lurewatch.web import auth

    password = None if no_password else _password(password_stdin)
    if password is not None:
        auth.check_password(password)
    with _store(settings).write() as conn:
        auth.add_user(conn, email, role=role, org=org, password=password, name=name)
    click.echo(
        f"added {email.strip().lower()} as {auth.normalise_role(role)} of {' '.join(org.split())}"
    )


@command.command("list")
@click.option("--org", default=None, help="Only this organisation.")
@click.pass_obj
def list_(settings: Settings, org: str | None) -> None:
    """List users with their role and organisation."""
    from lurewatch.web import auth

    with _store(settings).read() as conn:
        rows = auth.list_users(conn)
    for r in rows:
        if org and r["org"] != org:
            continue
        click.echo(
            f"{r['email']}\t{r['role']}\t{r['org']}\t{'active' if r['active'] else 'disabled'}"
        )


@command.command("passwd")
@click.argument("email")
@click.option("--password-stdin", is_flag=True)
@click.pass_obj
def passwd(settings: Settings, email: str, password_stdin: bool) -> None:
    """Set a user's password."""
    from lurewatch.web import auth

    password = _password(password_stdin)
    with _store(settings).write() as conn:
        auth.set_password(conn, email, password)
    click.echo(f"password changed for {email}")


@command.command("disable")
@click.argument("email")
@click.option("--enable", is_flag=True, help="Enable again instead.")
@click.pass_obj
def disable(settings: Settings, email: str, enable: bool) -> None:
    """Disable a user (sessions and API keys stop working; the audit trail keeps their name)."""
    from lurewatch.web import auth

    with _store(settings).write() as conn:
        auth.set_active(conn, email, enable)
    click.echo(f"{'enabled' if enable else 'disabled'} {email}")


@command.command("key")
@click.argument("email")
@click.option("--name", default=None, help="A label (what the key is for).")
@click.pass_obj
def key(settings: Settings, email: str, name: str | None) -> None:
    """Create an API key for a user; printed once on stdout."""
    from lurewatch.web import auth

    with _store(settings).write() as conn:
        match = [u for u in auth.list_users(conn) if u["email"] == email.strip().lower()]
        if not match:
            raise InputError(f"no user {email}", field="email")
        secret = auth.create_api_key(conn, int(match[0]["id"]), name)
    click.echo(secret)
    click.echo("store it now: only its digest is kept", err=True)


@command.command("revoke-key")
@click.argument("prefix")
@click.pass_obj
def revoke_key(settings: Settings, prefix: str) -> None:
    """Revoke an API key by its prefix (the 8 characters after 'lw_')."""
    from lurewatch.web import auth

    with _store(settings).write() as conn:
        if not auth.revoke_api_key(conn, prefix):
            raise InputError(f"no API key with prefix {prefix!r}", field="prefix")
    click.echo(f"revoked {prefix}")
