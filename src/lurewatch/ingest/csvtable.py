"""Reading one export CSV whose header wording drifts between LinkedIn export versions.

Columns are matched on a normalised name ("Sent At", "sentAt" and "SENT_AT" are the same
column) against a table of synonyms; a preamble before the header (Connections.csv opens
with "Notes:" and a quoted paragraph) is skipped; every problem is reported with the file,
the data row and the column, and reading goes on with the next row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from lurewatch.errors import InputError, UnsafeArchiveError
from lurewatch.ingest.archive import ZIP_READ_ERRORS
from lurewatch.ingest.text_repair import repair_mojibake
from lurewatch.records import MAX_TEXT_CHARS, parse_datetime

# The csv module's own guard against a single gigantic field (its default, stated here so a
# change elsewhere in the process is visible): a longer field makes that row an error.
FIELD_LIMIT = 131_072
MAX_ERRORS_PER_FILE = 1_000
MAX_HEADER_SEARCH = 30  # rows looked at to find the header under a preamble
MAX_DATE_WARNINGS = 5

Warn = Callable[[str], None]


def norm_header(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One export file: canonical column keys and the header spellings seen for each."""

    file: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...] = ()  # each group: at least one of these keys
    ignored: frozenset[str] = frozenset()  # known columns we do not use (no warning)
    min_header_hits: int = 2
    preamble: bool = False  # rows before the header are expected (Connections.csv "Notes:")
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for key, names in self.columns.items():
            for name in (key, *names):
                self._lookup.setdefault(norm_header(name), key)

    def key_for(self, header: str) -> str | None:
        return self._lookup.get(norm_header(header))


@dataclass(slots=True)
class Row:
    values: dict[str, str]  # canonical key -> cell text, surrounding blanks removed
    headers: dict[str, str]  # canonical key -> the header as written (named in errors)
    member: str  # path inside the archive
    row: int  # 1-based data row (records after the header; multi-line fields count once)
    line: int  # physical line of the file where the row starts
    original: dict[str, str] = field(default_factory=dict)  # key -> cell before mojibake repair

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        return self.headers.get(key, key)

    def error(self, message: str, key: str | None = None) -> InputError:
        return InputError(
            f"{message} (data row {self.row} starts on file line {self.line})",
            source=self.member,
            line=self.row,
            field=self.column(key) if key else None,
        )


_DATE_FORMATS = (
    "%m/%d/%y, %I:%M %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y, %H:%M",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y, %I:%M %p",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
    "%b %d %Y",
    "%B %d, %Y",
    "%b %Y",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y",
)


def parse_export_date(value: str) -> datetime | None:
    """Every date spelling seen in LinkedIn exports; raises InputError when none fits.

    Newer exports write a narrow no-break space before AM/PM ("10:00\u202fAM").
    """
    text = value.replace("\u202f", " ").replace("\xa0", " ").strip()
    if not text:
        return None
    try:
        return parse_datetime(text, "date")
    except InputError:
        pass
    for suffix in (" UTC", " GMT", " Z"):
        if text.upper().endswith(suffix):
            text = text[: -len(suffix)].strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise InputError(f"not a date: {value!r}", field="date")


class DateReader:
    """Parses dates for one file; an unreadable date is a located warning, the record is kept."""

    def __init__(self, warn: Warn) -> None:
        self.warn = warn
        self.failures = 0

    def __call__(self, row: Row, key: str) -> datetime | None:
        raw = row.get(key)
        if not raw:
            return None
        try:
            return parse_export_date(raw)
        except InputError:
            self.failures += 1
            if self.failures <= MAX_DATE_WARNINGS:
                self.warn(
                    f"{row.member} row {row.row}, field '{row.column(key)}': not a date: {raw[:40]!r}; "
                    "record kept without this date"
                )
            elif self.failures == MAX_DATE_WARNINGS + 1:
                self.warn(
                    f"{row.member}: more unreadable dates; those records are kept without dates"
                )
            return None


_READ_ERRORS = ZIP_READ_ERRORS


MAX_LINE_CHARS = 1 << 20  # a physical line is handed to csv in pieces of at most this
_LIMIT_ERROR = "field larger than field limit"


class _Lines:
    """The CSV text for `csv.reader`, line by line, counting what the reader cannot.

    The csv module forgets its quote state when it refuses a field over its limit: the rest
    of a 50 MB quoted field with line breaks then became one bogus row per line (512,722
    rejects, 1 GB). This counts the physical lines and the quotes of the current record, so
    the rest of a refused record can be skipped to the line that closes its quoted field, and
    reads a line in pieces of at most MAX_LINE_CHARS, so no line is ever held whole.
    """

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self.line = 0  # physical lines consumed so far
        self.quotes = 0  # quote characters in the current record so far
        self.cut = False  # the current record has a line longer than MAX_LINE_CHARS
        self._open = False  # the last piece did not end its line

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        piece = self._read()
        if not piece:
            raise StopIteration
        if self._open and len(piece) >= MAX_LINE_CHARS:
            self.cut = True  # the line goes on: the reader would take this piece for all of it
        return piece

    def _read(self) -> str:
        piece = self._text.readline(MAX_LINE_CHARS)
        if piece:
            self._open = not piece.endswith(("\n", "\r"))
            self.line += not self._open
            self.quotes += piece.count('"')
        return piece

    def start_record(self) -> None:
        self.quotes = 0
        self.cut = False

    def skip_record(self) -> None:
        """Drops the rest of the current record: its line, then lines while a quote is open."""
        while self._open or self.quotes % 2:
            if not self._read():
                return


def _records(reader: Any, lines: _Lines) -> Iterator[tuple[list[str] | csv.Error, int]]:
    """Each CSV record (or the csv module's error for it) with the file line where it starts.

    A record with a field over the limit, or a line over MAX_LINE_CHARS, is one error and
    costs only itself: the rest of it is skipped, however many lines it spans.
    """
    while True:
        lines.start_record()
        start = lines.line + 1
        try:
            item: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over the limit; the reader resumes on the next line
            item = exc
            if _LIMIT_ERROR in str(exc):
                lines.skip_record()
        if lines.cut and not isinstance(item, csv.Error):
            item = csv.Error(f"a line longer than {MAX_LINE_CHARS:,} characters")
            lines.skip_record()
        yield item, start


def _find_header(
    records: Iterator[tuple[list[str] | csv.Error, int]], spec: TableSpec
) -> tuple[list[str] | None, int]:
    """Reads up to the header; returns it and how many non-blank rows came before it."""
    skipped = 0
    for i, (cells, _) in enumerate(records):
        if i >= MAX_HEADER_SEARCH:
            break
        if isinstance(cells, csv.Error) or not any(c.strip() for c in cells):
            continue
        hits = {spec.key_for(c) for c in cells} - {None}
        if len(hits) >= min(spec.min_header_hits, len(spec.columns)):
            return cells, skipped
        skipped += 1
    return None, skipped


def _header_keys(
    header: list[str], spec: TableSpec, member: str, warn: Warn
) -> tuple[list[str | None], dict[str, str]]:
    keys: list[str | None] = []
    headers: dict[str, str] = {}
    for cell in header:
        key = spec.key_for(cell)
        if key is not None and key in headers:
            warn(
                f"{member}: column '{cell.strip()}' repeats '{headers[key]}'; the first one is used"
            )
            key = None
        elif key is not None:
            headers[key] = cell.strip()
        elif norm_header(cell) and norm_header(cell) not in spec.ignored:
            warn(f"{member}: unknown column '{cell.strip()}' ignored")
        keys.append(key)
    return keys, headers


def read_table(
    text: TextIO, spec: TableSpec, member: str, warn: Warn
) -> Iterator[Row | InputError]:
    """Yields each data row of `text`, or a located InputError for a row that cannot be read."""
    if csv.field_size_limit() > FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    lines = _Lines(text)
    records = _records(csv.reader(lines), lines)
    try:
        header, skipped = _find_header(records, spec)
    except _READ_ERRORS as exc:
        yield InputError(f"stopped reading: {exc}", source=member)
        return
    if header is None:
        yield InputError(
            f"no header row found in the first {MAX_HEADER_SEARCH} rows "
            f"(expected columns such as {', '.join(spec.columns)})",
            source=member,
            line=1,
        )
        return
    if skipped and not spec.preamble:
        warn(f"{member}: {skipped} row(s) before the header skipped")
    keys, headers = _header_keys(header, spec, member, warn)
    for group in spec.required:
        if not any(k in headers for k in group):
            names = [spec.columns[k][0] if spec.columns[k] else k for k in group]
            yield InputError(
                f"required column missing: one of {', '.join(repr(n) for n in names)}; file not read",
                source=member,
                field=names[0],
            )
            return
    errors = 0
    row_no = 0
    while errors < MAX_ERRORS_PER_FILE:
        try:
            cells, start = next(records)
        except StopIteration:
            return
        except UnsafeArchiveError:
            raise
        except _READ_ERRORS as exc:
            yield InputError(
                f"stopped reading after row {row_no}: {exc}", source=member, line=row_no + 1
            )
            return
        if isinstance(cells, csv.Error):
            row_no += 1
            errors += 1
            yield InputError(
                f"could not be read as CSV: {cells} (data row {row_no} starts on file line {start})",
                source=member,
                line=row_no,
            )
            continue
        if not any(c.strip() for c in cells):
            continue
        row_no += 1
        row = Row(values={}, headers=headers, member=member, row=row_no, line=start)
        problem = _fill(row, cells, keys)
        if problem is None:
            yield row
        else:
            errors += 1
            yield problem
    yield InputError(
        f"{errors:,} bad rows; the rest of the file is not read (is it a CSV export?)",
        source=member,
        line=row_no,
    )


def _fill(row: Row, cells: list[str], keys: list[str | None]) -> InputError | None:
    if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys) :]):
        return row.error(
            f"has {len(cells)} fields but the header has {len(keys)} (an unquoted comma or a missing quote?)"
        )
    for key, cell in zip(keys, cells, strict=False):
        if key is None:
            continue
        if len(cell) > MAX_TEXT_CHARS:
            return row.error(f"is {len(cell):,} characters long (limit {MAX_TEXT_CHARS:,})", key)
        # NUL cannot be stored (PostgreSQL text) and is never meaningful in an export.
        value = cell.replace("\x00", "").strip() if "\x00" in cell else cell.strip()
        repaired = repair_mojibake(value)
        if repaired != value:  # "RenÃ© Dupont": the archive went through a wrong decoding
            row.original[key] = value
        row.values[key] = repaired
    return None
