"""`lurewatch watchlist`: list, add, remove, import, export and match watched names."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from lurewatch.cli.common import dump_json, open_store, open_store_if_present
from lurewatch.cli.terminal import visible_controls
from lurewatch.errors import InputError, LurewatchError
from lurewatch.ingest.feed import decode_json
from lurewatch.settings import Settings
from lurewatch.watchlist.entries import Entry, entry_from_dict
from lurewatch.watchlist.matcher import DEFAULT_THRESHOLD, Matcher
from lurewatch.watchlist.seeds import SEED_ENTRIES

safe = visible_controls  # untrusted imported names: control characters made visible


def _entries(settings: Settings) -> tuple[list[Entry], str]:
    store = open_store_if_present(settings)
    if store is None:
        return list(SEED_ENTRIES), "bundled seeds (no store yet)"
    from lurewatch.watchlist.repository import has_table, list_entries

    try:
        with store.read() as conn:
            if has_table(conn):
                return list_entries(conn), f"store {settings.db_url}"
    finally:
        store.close()
    return list(SEED_ENTRIES), "bundled seeds"


@click.group("watchlist")
def command() -> None:
    """Front companies and cover personas published by security services.

    \b
    Examples:
      lurewatch watchlist list
      lurewatch watchlist match --input names.txt --format jsonl
      lurewatch watchlist add "Example Strategic Consulting" --source "BfV" --published 2025-01
      lurewatch watchlist import agency-bundle.json     (STIX 2.1 bundle, JSON or JSONL entries)
      lurewatch watchlist export --format stix > watchlist.stix.json

    Without a store the bundled published entries are used; the store (--db) keeps
    additions, removals and imports.
    """


@command.command("list")
@click.option("--kind", type=click.Choice(["organisation", "persona"]), default=None)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
def list_cmd(settings: Settings, kind: str | None, fmt: str) -> None:
    """List the watched names with their source and date."""
    entries, where = _entries(settings)
    entries = [e for e in entries if kind is None or e.kind == kind]
    if fmt == "jsonl":
        for e in entries:
            click.echo(dump_json(e.to_dict()))
        return
    click.echo(f"{len(entries)} entries from {where}", err=True)
    for e in entries:
        status = " [expired]" if e.expired() else ""
        aliases = f"  (also: {', '.join(e.aliases)})" if e.aliases else ""
        click.echo(
            safe(f"{e.id}\t{e.kind}\t{e.name}{aliases}{status}")
            + "\n\t"
            + safe(f"source: {e.source}, {e.published or 'undated'}")
        )


@command.command("add")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(["organisation", "persona"]),
    default="organisation",
    show_default=True,
)
@click.option(
    "--alias", "aliases", multiple=True, help="Another published spelling or acronym (repeatable)."
)
@click.option(
    "--source", required=True, help="Who published it (an agency, a court case, an article)."
)
@click.option(
    "--published", default=None, help="When it was published (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option("--country", default=None)
@click.option("--expires", default=None, help="Stop matching after this date (YYYY-MM-DD).")
@click.option("--notes", default="")
@click.pass_obj
def add_cmd(
    settings: Settings,
    name: str,
    kind: str,
    aliases: tuple[str, ...],
    source: str,
    published: str | None,
    country: str | None,
    expires: str | None,
    notes: str,
) -> None:
    """Add (or update) one watched name in the store."""
    entry = entry_from_dict(
        {
            "name": name,
            "kind": kind,
            "aliases": list(aliases),
            "source": source,
            "published": published,
            "country": country,
            "expires": expires,
            "notes": notes,
        }
    )
    from lurewatch.watchlist.repository import save_entries

    store = open_store(settings)
    with store.write() as conn:
        added, updated = save_entries(conn, [entry], "cli")
    click.echo(f"{'added' if added else 'updated' if updated else 'unchanged'}: {entry.id}")


@command.command("remove")
@click.argument("entry_id")
@click.pass_obj
def remove_cmd(settings: Settings, entry_id: str) -> None:
    """Remove one entry from the store by its id (see `watchlist list`)."""
    from lurewatch.watchlist.repository import remove_entry

    store = open_store(settings)
    with store.write() as conn:
        if not remove_entry(conn, entry_id):
            raise LurewatchError(f"no watchlist entry with id {entry_id!r}")
    click.echo(f"removed: {entry_id}")


def read_entry_file(path: Path) -> tuple[list[Entry], list[InputError]]:
    """JSON (a list, or {"entries": [...]}) or JSONL entries; bad ones are reported, not fatal."""
    text = path.read_text(encoding="utf-8-sig")
    entries: list[Entry] = []
    errors: list[InputError] = []
    stripped = text.lstrip()
    items: list[tuple[int | None, Any]]
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        items = [(i + 2, dict(row)) for i, row in enumerate(reader)]
    elif stripped.startswith("[") or (stripped.startswith("{") and "\n{" not in stripped.rstrip()):
        data = decode_json(text, str(path))  # every JSON failure is a located InputError
        if isinstance(data, dict):
            data = data.get("entries", [data])
        if not isinstance(data, list):
            raise InputError("expected a list of entries", source=str(path))
        items = [(None, d) for d in data]
    else:
        items = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((n, decode_json(line, str(path), n)))
            except InputError as exc:
                errors.append(exc)
    for i, (line_no, item) in enumerate(items):
        try:
            entries.append(entry_from_dict(item))
        except InputError as exc:
            errors.append(
                InputError(
                    exc.message,
                    source=str(path),
                    line=line_no if line_no else i + 1,
                    field=exc.field,
                )
            )
    return entries, errors


@command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_cmd(settings: Settings, path: Path) -> None:
    """Import entries: a STIX 2.1 bundle, or JSON / JSONL / CSV entries (name, kind, source, ...)."""
    from lurewatch.watchlist.repository import save_entries

    head = path.read_text(encoding="utf-8-sig", errors="replace")[:4000]
    if '"type"' in head and '"bundle"' in head:
        from lurewatch.intel.repository import import_bundle_file

        store = open_store(settings)
        report = import_bundle_file(store, path)
        click.echo(safe(report.summary()))
        return
    entries, errors = read_entry_file(path)
    for err in errors:
        click.echo(safe(f"lurewatch: skipped: {err}"), err=True)
    store = open_store(settings)
    with store.write() as conn:
        added, updated = save_entries(conn, entries, f"file:{path.name}")
    click.echo(
        f"{added} added, {updated} updated, {len(entries) - added - updated} unchanged, {len(errors)} rejected"
    )
    if errors:
        sys.exit(1)


@command.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "stix"]),
    default="jsonl",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_obj
def export_cmd(settings: Settings, fmt: str, output: Path | None) -> None:
    """Export the watchlist as JSONL/JSON entries or as a STIX 2.1 bundle (identities)."""
    entries, _ = _entries(settings)
    if fmt == "stix":
        from lurewatch.intel.stix_out import serialize, watchlist_bundle

        text = serialize(watchlist_bundle(entries), pretty=True)
    elif fmt == "json":
        text = json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2)
    else:
        text = "\n".join(dump_json(e.to_dict()) for e in entries)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {len(entries)} entries to {output}", err=True)
    else:
        click.echo(text)


def _read_names(stream: TextIO, source: str) -> Iterator[tuple[int, str, str | None, str | None]]:
    """Yields (line, id, name, error): JSONL {id, name} or plain lines (id = line number)."""
    for n, raw in enumerate(stream, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                obj = decode_json(line, source, n)
            except InputError as exc:
                yield (n, f"line-{n}", None, str(exc))
                continue
            ident = obj.get("id")
            ident = str(ident) if ident is not None and ident != "" else f"line-{n}"
            name = obj.get("name")
            if not isinstance(name, str) or not name.strip():
                yield (
                    n,
                    ident,
                    None,
                    str(InputError("is required (text)", source=source, line=n, field="name")),
                )
                continue
            yield n, ident, name[:2000], None
        else:
            yield n, str(n), line[:2000], None


@command.command("match")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8-sig"),
    default="-",
    show_default=True,
    help="Names: JSONL {id, name} or one per line ('-' for stdin).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True
)
@click.option(
    "--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD, show_default=True
)
@click.option(
    "--kind",
    type=click.Choice(["organisation", "persona"]),
    default=None,
    help="Only this kind of entry.",
)
@click.option(
    "--text",
    "as_text",
    is_flag=True,
    help="Treat each input as running text (find names inside sentences).",
)
@click.pass_obj
def match_cmd(
    settings: Settings,
    input_file: TextIO,
    fmt: str,
    threshold: float,
    kind: str | None,
    as_text: bool,
) -> None:
    """Screen names against the watchlist.

    JSONL contract: one output line per input line, in order,
    {"id", "name", "matches": [{"entry", "score", "explanation", ...}]}, only matches at or above
    the threshold, best first. A line that cannot be read gives {"id", "name": null,
    "matches": [], "error"}.
    """
    entries, _ = _entries(settings)
    matcher = Matcher(entries, threshold=threshold)
    kinds = (kind,) if kind else None
    source = getattr(input_file, "name", "<stdin>")
    for _line, ident, name, error in _read_names(input_file, source):
        if error is not None or name is None:
            out: dict[str, Any] = {"id": ident, "name": None, "matches": [], "error": error}
        else:
            found = (
                matcher.match_text(name, kinds=kinds)
                if as_text
                else matcher.match_name(name, kinds=kinds)
            )
            out = {"id": ident, "name": name, "matches": [m.to_dict() for m in found]}
        if fmt == "jsonl":
            click.echo(dump_json(out))
        else:
            hits = (
                "; ".join(f"{m['entry_name']} ({m['score']:.2f})" for m in out["matches"])
                or out.get("error")
                or "no match"
            )
            click.echo(safe(f"{ident}\t{name}\t{hits}"))
