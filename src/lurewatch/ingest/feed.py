"""A platform feed: JSON Lines of records (a file or stdin), or a JSON array file.

Each line is validated by `records.record_from_dict`; a line that is not JSON or not a valid
record becomes an InputError naming the line (and the field), and the next line is read.
Lines are decoded one by one, so one bad byte costs one line, not the feed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from lurewatch.errors import InputError
from lurewatch.records import Account, Record, Source, record_from_dict

MAX_LINE_BYTES = 16 * (1 << 20)  # one record; the longest legitimate line is a few kB
MAX_JSON_FILE_BYTES = 512 * (1 << 20)  # a JSON array is parsed whole, so it is capped


def parse_record(data: object, name: str, line: int) -> Record | InputError:
    """One decoded JSON value -> a record located at `name`/`line`, or the located error."""
    try:
        record = record_from_dict(data)
    except InputError as exc:
        return InputError(exc.message, source=name, line=line, field=exc.field)
    # Where it sits in this input is what a person needs to find it again.
    record.source = Source(file=name, row=line)
    return record


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed (not standard JSON)")


def decode_json(text: str, source: str | None = None, line: int | None = None) -> Any:
    """`json.loads` whose every failure is a located InputError, never another exception.

    Besides malformed JSON: NaN/Infinity are refused (not JSON, and not storable), an integer
    over Python's 4,300-digit conversion limit raises ValueError, deep nesting RecursionError.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} at column {exc.colno}", source=source, line=line
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", source=source, line=line) from None
    except ValueError as exc:
        message = str(exc).split(";")[0]
        raise InputError(f"not valid JSON: {message}", source=source, line=line) from None


def _decode_line(raw: bytes | str, name: str, line: int) -> object:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (byte {exc.start + 1})", source=name, line=line
            ) from None
    else:
        text = raw
    if line == 1:
        text = text.lstrip("\ufeff")
    return decode_json(text, name, line)


class JsonLinesReader:
    """JSON Lines from a file path or an already open stream (stdin)."""

    owner: Account | None = None

    def __init__(
        self, name: str, *, path: Path | None = None, stream: TextIO | BinaryIO | None = None
    ) -> None:
        self.name = name
        self.warnings: list[str] = []
        self._path = path
        self._stream = stream
        self._consumed = False

    def __iter__(self) -> Iterator[Record | InputError]:
        if self._path is not None:
            try:
                handle = open(self._path, "rb")  # noqa: SIM115 - closed in finally
            except OSError as exc:
                raise InputError(f"cannot read ({exc.strerror or exc})", source=self.name) from None
            try:
                yield from self._lines(handle)
            finally:
                handle.close()
            return
        if self._consumed:
            raise InputError("stdin can be read only once", source=self.name)
        self._consumed = True
        assert self._stream is not None
        stream = getattr(self._stream, "buffer", None) or self._stream
        yield from self._lines(stream)

    def _lines(self, stream: TextIO | BinaryIO) -> Iterator[Record | InputError]:
        line = 0
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            line += 1
            newline = b"\n" if isinstance(raw, bytes) else "\n"
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(newline):  # type: ignore[arg-type]
                yield InputError(
                    f"line longer than {MAX_LINE_BYTES:,} bytes; skipped",
                    source=self.name,
                    line=line,
                )
                while raw and not raw.endswith(newline):  # type: ignore[arg-type]
                    raw = stream.readline(MAX_LINE_BYTES + 1)
                continue
            if not raw.strip():
                continue
            try:
                data = _decode_line(raw, self.name, line)
            except InputError as exc:
                yield exc
                continue
            yield parse_record(data, self.name, line)


class JsonFileReader:
    """A `.json` file: an array of records (or one record). Falls back to JSON Lines when it is that."""

    owner: Account | None = None

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.warnings: list[str] = []
        self._path = path

    def __iter__(self) -> Iterator[Record | InputError]:
        try:
            size = self._path.stat().st_size
            if size > MAX_JSON_FILE_BYTES:
                raise InputError(
                    f"{size:,} bytes is too large for a JSON array (limit {MAX_JSON_FILE_BYTES:,}); "
                    "write it as JSON Lines (.jsonl) instead",
                    source=self.name,
                )
            data = self._path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", source=self.name) from None
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if head != b"[":
            lines = JsonLinesReader(self.name, path=self._path)
            yield from lines
            self.warnings.extend(lines.warnings)
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield InputError(
                f"not UTF-8 text (byte {exc.start + 1}); file not read", source=self.name
            )
            return
        yield from self._array(text)

    def _array(self, text: str) -> Iterator[Record | InputError]:
        """Item by item, so an error is located on its line and the items before it are kept."""
        decoder = json.JSONDecoder(parse_constant=_refuse_constant)
        pos = text.index("[") + 1
        line, counted = 1, 0
        while True:
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            line += text.count("\n", counted, pos)
            counted = pos
            if pos < len(text) and text[pos] == "]":
                return
            try:
                item, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                yield InputError(
                    f"not valid JSON: {exc.msg} at column {exc.colno}; the rest of the file is not read",
                    source=self.name,
                    line=exc.lineno,
                )
                return
            except RecursionError:
                yield InputError(
                    "JSON nested too deeply; the rest of the file is not read",
                    source=self.name,
                    line=line,
                )
                return
            except ValueError as exc:  # an integer over Python's 4,300-digit conversion limit
                yield InputError(
                    f"not valid JSON: {str(exc).split(';')[0]}; the rest of the file is not read",
                    source=self.name,
                    line=line,
                )
                return
            yield parse_record(item, self.name, line)
            pos = end
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            if pos < len(text) and text[pos] == ",":
                pos += 1
            elif pos < len(text) and text[pos] == "]":
                return
            else:
                line += text.count("\n", counted, pos)
                yield InputError(
                    "not valid JSON: expected ',' or ']' after an item; the rest of the file is not read",
                    source=self.name,
                    line=line,
                )
                return
