"""Helpers the CLI commands share: opening the store, progress on stderr, output formats."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from lurewatch.errors import StoreError
from lurewatch.settings import Settings
from lurewatch.store import Store


def open_store(settings: Settings) -> Store:
    """The store, or a one-line StoreError a person can act on (no driver tracebacks)."""
    url = settings.db_url
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if path.is_dir():
            raise StoreError(f"--db {path}: is a folder; give a database file path or URL")
    try:
        return Store(url)
    except StoreError as exc:
        raise StoreError(_one_line(str(exc), url)) from None


def open_store_if_present(settings: Settings) -> Store | None:
    """`check` consults the store (templates, campaigns, watchlist) only if one already exists."""
    url = settings.db_url
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path in ("", ":memory:") or not Path(path).exists():
            return None
    return open_store(settings)


def _one_line(message: str, url: str) -> str:
    """Drops SQLAlchemy's 'Background on this error' link and driver detail lines."""
    first = message.split("\n", 1)[0].strip()
    if "file is not a database" in first:
        return f"--db {url}: this file is not a lurewatch (SQLite) database"
    if "connection failed" in first or "Connection refused" in first:
        return f"{first} (is the database server running and reachable?)"
    return first


class StderrProgress:
    """Progress for long work, on stderr (stdout stays clean for JSONL), throttled to ~2 lines/s:
    done/total, the rate since the stage began, and the time left at that rate."""

    def __init__(self, force: bool = False) -> None:
        self.enabled = force or sys.stderr.isatty()
        self._last = 0.0
        self._stage = ""
        self._began = 0.0
        self._first = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if stage != self._stage:
            self._began, self._first = now, done
        final = total and done >= total
        if stage == self._stage and not final and now - self._last < 0.5:
            return
        self._last, self._stage = now, stage
        click.echo(
            f"\r  {stage}: {progress_line(done, total, now - self._began, done - self._first)}   ",
            err=True,
            nl=bool(final),
        )


def progress_line(done: int, total: int, elapsed: float, moved: int) -> str:
    """'12,000/40,000 (30%), 1,450/s, 19 s left' — rate and ETA once the stage has moved."""
    text = f"{done:,}/{total:,} ({100 * done / total:.0f}%)" if total else f"{done:,}"
    if moved > 0 and elapsed >= 0.2:
        rate = moved / elapsed
        text += f", {rate:,.0f}/s"
        if total and done < total:
            text += f", {_duration((total - done) / rate)} left"
    return text


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


shared_data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Shared data folder (default ../shared/data or LUREWATCH_SHARED_DATA).",
)


def shared_data_dir(settings: Settings, data_dir: Path | None) -> Path:
    """The shared data folder `train` and `eval` read, or a one-line error saying how to point at it."""
    from lurewatch.errors import LurewatchError

    found = Path(data_dir or settings.shared_data_dir)
    if not found.is_dir():
        raise LurewatchError(f"no shared data folder at {found} (pass --data DIR)")
    return found
