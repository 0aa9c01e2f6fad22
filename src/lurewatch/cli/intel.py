"""`lurewatch intel`: STIX 2.1 export/import/validate, a TAXII 2.1 server, pull and push."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from lurewatch.cli.common import open_store
from lurewatch.errors import InputError, LurewatchError
from lurewatch.settings import Settings


def _signatures(store: Any) -> dict[str, dict[str, Any]]:
    """Template MinHash signatures from the templates family, when it has run (else none)."""
    try:
        from lurewatch.engine.plugins.templates import store_fingerprints

        return {str(fp["template"]): fp for fp in store_fingerprints(store)}
    except Exception:  # noqa: BLE001 - an optional enrichment never blocks an export
        return {}


def _safe_lines(text: str) -> str:
    """Untrusted text (object ids, names from a peer) with control characters made visible."""
    from lurewatch.cli.watchlist import safe

    return safe(text)


@click.group("intel")
def command() -> None:
    """Exchange suspected cover profiles, front companies, campaigns and indicators.

    \b
    Examples:
      lurewatch intel export -o lurewatch.stix.json        (STIX 2.1 bundle from the store)
      lurewatch intel import agency-bundle.json             (watchlist + indicators; unknown types kept)
      lurewatch intel validate bundle.json
      lurewatch intel publish                               (export into the TAXII collection)
      lurewatch intel serve-taxii --port 9500 --user analyst --password ...
      lurewatch intel pull https://peer/api1/ --collection ID --user u --password p
      lurewatch intel push https://peer/api1/ --collection ID bundle.json

    Only suspected fakes, their artifacts and counts of targets are exported: approached
    members never are.
    """


@command.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "--min-level",
    type=click.Choice(["low", "medium", "high"]),
    default="high",
    show_default=True,
    help="Export accounts assessed at this level or above.",
)
@click.option(
    "--no-watchlist", is_flag=True, help="Leave the watchlist's front companies and personas out."
)
@click.option("--no-validate", is_flag=True, help="Skip validation with the stix2 library.")
@click.option(
    "--full-validate", is_flag=True, help="Also run stix2-validator (slower; see `intel validate`)."
)
@click.pass_obj
def export_cmd(
    settings: Settings,
    output: Path | None,
    min_level: str,
    no_watchlist: bool,
    no_validate: bool,
    full_validate: bool,
) -> None:
    """Write a STIX 2.1 bundle of what the store holds."""
    from lurewatch.intel.repository import export_from_store
    from lurewatch.intel.stix_out import serialize, validate_bundle

    store = open_store(settings)
    signatures = _signatures(store)
    with store.read() as conn:
        bundle = export_from_store(
            conn, min_level=min_level, include_watchlist=not no_watchlist, signatures=signatures
        )
    if not no_validate:
        problems = [p for p in validate_bundle(bundle, full=full_validate) if ": error:" in p]
        if problems:
            raise LurewatchError(
                "the exported bundle does not validate:\n" + "\n".join(problems[:20])
            )
    text = serialize(bundle, pretty=True)
    counts: dict[str, int] = {}
    for obj in bundle["objects"]:
        counts[obj["type"]] = counts.get(obj["type"], 0) + 1
    summary = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {len(bundle['objects'])} objects ({summary}) to {output}", err=True)
    else:
        click.echo(text)


@command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
def import_cmd(settings: Settings, path: Path, fmt: str) -> None:
    """Import a STIX 2.1 bundle: identities to the watchlist, everything kept in the store."""
    from lurewatch.intel.repository import import_bundle_file

    report = import_bundle_file(open_store(settings), path)
    click.echo(
        json.dumps(report.to_dict(), ensure_ascii=False)
        if fmt == "json"
        else _safe_lines(report.summary())
    )


@command.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--warnings/--no-warnings", default=False, help="Also list stix2-validator warnings.")
def validate_cmd(path: Path, warnings: bool) -> None:
    """Validate a STIX 2.1 bundle (stix2 parsing; stix2-validator when installed)."""
    from lurewatch.intel.stix_in import load_json
    from lurewatch.intel.stix_out import validate_bundle

    data = load_json(path.read_bytes(), str(path))
    try:
        messages = validate_bundle(data)
    except InputError as exc:
        raise InputError(exc.message, source=str(path)) from None
    errors = [m for m in messages if ": error:" in m]
    for m in errors + ([m for m in messages if ": warning:" in m] if warnings else []):
        click.echo(_safe_lines(m))
    n_warn = sum(": warning:" in m for m in messages)
    click.echo(
        f"{path}: {'INVALID' if errors else 'valid'} ({len(errors)} errors, {n_warn} warnings)",
        err=True,
    )
    if errors:
        raise SystemExit(1)


@command.command("publish")
@click.option(
    "--min-level", type=click.Choice(["low", "medium", "high"]), default="high", show_default=True
)
@click.pass_obj
def publish_cmd(settings: Settings, min_level: str) -> None:
    """Export from the store into the TAXII collection this server publishes (new versions only)."""
    from lurewatch.intel.repository import PUBLISH_COLLECTION, export_from_store, publish

    store = open_store(settings)
    signatures = _signatures(store)
    with store.read() as conn:
        bundle = export_from_store(conn, min_level=min_level, signatures=signatures)
    added, present = publish(store, bundle)
    click.echo(f"collection {PUBLISH_COLLECTION}: {added} objects added, {present} unchanged")


@command.command("collections")
@click.pass_obj
def collections_cmd(settings: Settings) -> None:
    """List this store's TAXII collections and how many objects each holds."""
    from lurewatch.intel.repository import count_objects, ensure_collections, list_collections

    store = open_store(settings)
    with store.write() as conn:
        ensure_collections(conn)
    with store.read() as conn:
        for col in list_collections(conn):
            n = sum(count_objects(conn, col["id"]).values())
            mode = ("r" if col["can_read"] else "-") + ("w" if col["can_write"] else "-")
            click.echo(f"{col['id']}\t{mode}\t{n} objects\t{col['title']}")


@command.command("serve-taxii")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind (loopback by default).",
)
@click.option("--port", default=9500, show_default=True, type=int)
@click.option(
    "--user",
    envvar="LUREWATCH_TAXII_USER",
    default=None,
    help="HTTP Basic user (or LUREWATCH_TAXII_USER).",
)
@click.option(
    "--password",
    envvar="LUREWATCH_TAXII_PASSWORD",
    default=None,
    help="HTTP Basic password (or LUREWATCH_TAXII_PASSWORD).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="Accept this API key (repeatable; or LUREWATCH_TAXII_API_KEY).",
)
@click.pass_obj
def serve_cmd(
    settings: Settings,
    host: str,
    port: int,
    user: str | None,
    password: str | None,
    api_keys: tuple[str, ...],
) -> None:
    """Serve the store's collections over TAXII 2.1 (discovery at /taxii2/)."""
    import uvicorn

    from lurewatch.intel.taxii_server import any_of, api_key_auth, basic_auth, create_taxii_app

    keys = set(api_keys)
    if os.environ.get("LUREWATCH_TAXII_API_KEY"):
        keys.add(os.environ["LUREWATCH_TAXII_API_KEY"])
    checks = []
    if user and password:
        checks.append(basic_auth(user, password))
    if keys:
        checks.append(api_key_auth(keys))
    if not checks:
        raise LurewatchError(
            "give --user/--password or --api-key: the TAXII server never runs without authentication"
        )
    app = create_taxii_app(open_store(settings), auth=any_of(*checks))
    click.echo(f"TAXII 2.1 discovery at http://{host}:{port}/taxii2/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _peer_options(f):  # noqa: ANN001, ANN202
    f = click.option("--insecure", is_flag=True, help="Do not verify the peer's TLS certificate.")(
        f
    )
    f = click.option("--password", envvar="LUREWATCH_PEER_PASSWORD", default=None)(f)
    f = click.option("--user", envvar="LUREWATCH_PEER_USER", default=None)(f)
    f = click.option(
        "--collection",
        "collection_id",
        default=None,
        help="Collection id (URL is then the API root URL).",
    )(f)
    return f


@command.command("pull")
@click.argument("url")
@_peer_options
@click.option(
    "--added-after", default=None, help="Only objects the peer added after this timestamp."
)
@click.pass_obj
def pull_cmd(
    settings: Settings,
    url: str,
    collection_id: str | None,
    user: str | None,
    password: str | None,
    insecure: bool,
    added_after: str | None,
) -> None:
    """Pull a peer collection's objects into the store (watchlist + indicators)."""
    from lurewatch.intel.repository import import_parsed
    from lurewatch.intel.stix_in import parse_bundle
    from lurewatch.intel.taxii_client import collection_url, pull

    target = collection_url(url, collection_id)
    objects = pull(
        target, user=user, password=password, added_after=added_after, verify=not insecure
    )
    parsed = parse_bundle({"objects": objects}, source=target)
    report = import_parsed(open_store(settings), parsed, f"pull:{target}")
    click.echo(_safe_lines(report.summary()))


@command.command("push")
@click.argument("url")
@click.argument(
    "bundle", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_peer_options
@click.option(
    "--min-level", type=click.Choice(["low", "medium", "high"]), default="high", show_default=True
)
@click.pass_obj
def push_cmd(
    settings: Settings,
    url: str,
    bundle: Path | None,
    collection_id: str | None,
    user: str | None,
    password: str | None,
    insecure: bool,
    min_level: str,
) -> None:
    """Push a bundle file (or a fresh export of the store) to a peer's writable collection."""
    from lurewatch.intel.taxii_client import collection_url, push

    if bundle is not None:
        from lurewatch.intel.stix_in import load_json, parse_bundle

        parsed = parse_bundle(load_json(bundle.read_bytes(), str(bundle)), source=str(bundle))
        for err in parsed.rejected:
            click.echo(f"lurewatch: not pushed: {err}", err=True)
        objects = parsed.objects
    else:
        from lurewatch.intel.repository import export_from_store

        store = open_store(settings)
        signatures = _signatures(store)
        with store.read() as conn:
            objects = export_from_store(conn, min_level=min_level, signatures=signatures)["objects"]
    target = collection_url(url, collection_id)
    totals = push(target, objects, user=user, password=password, verify=not insecure)
    click.echo(
        f"{target}: {totals['success_count']} accepted, {totals['failure_count']} refused, {totals['pending_count']} pending"
    )
