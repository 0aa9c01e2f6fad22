"""Ingest: real input formats -> records, with every bad row reported where it is.

`open_source(path)` picks the parser from what the path is:
- a `.zip` file or a folder: a member's LinkedIn "Get a copy of your data" archive;
- one of the archive's CSV files given alone (e.g. `messages.csv`): just that file;
- a `.jsonl` / `.ndjson` file, or `-` / None with `stdin`: a platform feed in JSON Lines;
- a `.json` file: a JSON array of records (or JSON Lines written with a .json name).

Iterating a reader yields records and located `InputError`s in input order, so a caller
can keep going and report a summary; a hostile archive raises `UnsafeArchiveError`.
Ingest only parses and validates: no store, no scoring here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TextIO, runtime_checkable

from lurewatch.errors import InputError, UnsafeArchiveError
from lurewatch.ingest.archive import DEFAULT_LIMITS, ArchiveLimits
from lurewatch.ingest.feed import JsonFileReader, JsonLinesReader
from lurewatch.ingest.linkedin import OPTIONAL_FILES, LinkedInArchiveReader
from lurewatch.records import Account, Record

__all__ = [
    "ArchiveLimits",
    "InputError",
    "SourceReader",
    "UnsafeArchiveError",
    "open_source",
]

FEED_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
STDIN_NAME = "<stdin>"
EXPORT_FILES = frozenset(spec.file.casefold() for spec in OPTIONAL_FILES)


@runtime_checkable
class SourceReader(Protocol):
    """What every input format looks like to the CLI, the store loader and the engines."""

    name: str  # what to show as the source (the path given)
    warnings: list[str]  # complete once iteration has finished
    owner: Account | None  # the member who exported an archive; None for feeds

    def __iter__(self) -> Iterator[Record | InputError]: ...


def open_source(
    path: str | os.PathLike[str] | None,
    *,
    stdin: TextIO | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> SourceReader:
    """The reader for `path`; raises InputError naming the path when it cannot be one.

    An archive is checked (listing, sizes, names) here, before any record is read.
    """
    if path is None or str(path) == "-":
        if stdin is None:
            raise InputError("no input: give a file, a folder, or '-' with data on standard input")
        return JsonLinesReader(STDIN_NAME, stream=stdin)
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError("no such file or folder", source=name)
    if p.is_dir():
        return LinkedInArchiveReader(p, limits)
    if not p.is_file():
        raise InputError("not a regular file or folder", source=name)
    suffix = p.suffix.casefold()
    if suffix == ".zip":
        return LinkedInArchiveReader(p, limits)
    if suffix == ".csv":
        if p.name.casefold() not in EXPORT_FILES:
            raise InputError(
                "a CSV file that is not part of a LinkedIn export; expected one of "
                + ", ".join(sorted(EXPORT_FILES)),
                source=name,
            )
        return LinkedInArchiveReader(p, limits)
    if suffix in FEED_SUFFIXES:
        return JsonLinesReader(name, path=p)
    if suffix == ".json":
        return JsonFileReader(p)
    if _is_zip(p):
        return LinkedInArchiveReader(p, limits)
    raise InputError(
        "unknown input type: expected a LinkedIn archive (.zip or folder) or a feed (.jsonl, .ndjson, .json)",
        source=name,
    )


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", source=str(path)) from None
