"""`lurewatch check`: one message, one profile, or a JSONL stream of records."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import click

from lurewatch.cli.common import dump_json, open_store_if_present
from lurewatch.cli.render import render_assessment
from lurewatch.engine.assembly import build_assessor
from lurewatch.errors import InputError
from lurewatch.ingest.feed import decode_json
from lurewatch.records import Message, Source, label, record_from_dict, shown
from lurewatch.settings import Settings


@click.command("check")
@click.option(
    "--text", "text", default=None, help="The message text to check (or pipe it on stdin)."
)
@click.option("--subject", default=None, help="The message subject, if any.")
@click.option(
    "--channel",
    type=click.Choice(["invitation", "message", "inmail"]),
    default="message",
    show_default=True,
    help="Where the text arrived.",
)
@click.option(
    "--account",
    "account_file",
    type=click.File("rb"),
    default=None,
    help="A JSON file with one account/profile record.",
)
@click.option(
    "--input",
    "input_file",
    type=click.File("rb"),
    default=None,
    help="A JSONL stream of message/account records ('-' for stdin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default=None,
    help="Output: text (default for one item), json, or jsonl (default for a stream).",
)
@click.pass_obj
def command(
    settings: Settings,
    text: str | None,
    subject: str | None,
    channel: str,
    account_file: BinaryIO | None,
    input_file: BinaryIO | None,
    fmt: str | None,
) -> None:
    """Check one message, one profile, or a stream of records.

    \b
    Examples:
      lurewatch check --text "Dear Sir, our client in Asia pays well for short reports…"
      echo "…message…" | lurewatch check
      lurewatch check --account profile.json
      lurewatch check --input records.jsonl --format jsonl
      lurewatch check --input records.jsonl --format text    (readable, one block per record)

    \b
    Reading the verdict:
      HIGH    looks like a cover approach: do not reply or accept; tell your security officer
      MEDIUM  some warning signs: verify the person and company yourself before engaging
      LOW     no strong sign found (not a guarantee)
    The score is a probability in [0, 1]; each piece of evidence is quoted from the text.

    JSONL contract: exactly one output line per input line, in order:
    {"id", "kind", "score", "level", "evidence": [{"signal", "strength", "explanation", "quote"}],
    "advice", "model"}; a line that cannot be read gives {"id", "kind", "error", "line"} instead,
    with a message on stderr. Exit status: 0 when every record was checked, 1 when some line
    was rejected (the others are still checked), 2 on a usage or file error.
    """
    given = [
        name
        for name, value in (("--text", text), ("--account", account_file), ("--input", input_file))
        if value is not None
    ]
    if len(given) > 1:
        raise click.UsageError(f"give only one of {', '.join(given)}")
    store = open_store_if_present(settings)
    assessor = build_assessor(settings, store)

    if input_file is not None:
        name = _display_name(input_file)
        if _stream(assessor, _decoded_lines(input_file), fmt or "jsonl", name):
            sys.exit(1)
        return
    if account_file is not None:
        raw_account = account_file.read()
        try:
            content = raw_account.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (byte {exc.start + 1}); save the file as UTF-8 JSON",
                source=_display_name(account_file),
            ) from None
        if not content.strip():
            raise InputError("the file is empty", source=_display_name(account_file))
        try:
            data = json.loads(content, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg}, column {exc.colno}); expected one JSON object"
                + ("; for one record per line use --input" if exc.msg == "Extra data" else ""),
                source=_display_name(account_file),
                line=exc.lineno,
            ) from None
        except (ValueError, RecursionError):  # NaN, a 4,300-digit integer, deep nesting
            data = decode_json(content, _display_name(account_file))  # raises the located error
        if isinstance(data, dict):
            data.setdefault("kind", "account")
            data.setdefault("id", "account")
        try:
            record = record_from_dict(data)
        except InputError as exc:
            raise InputError(
                exc.message, source=_display_name(account_file), field=exc.field
            ) from None
        _locate(record, account_file, 1)
        _one(assessor.assess(record), fmt or "text")
        return
    if text is None:
        if sys.stdin.isatty():
            raise click.UsageError("give --text, --account, --input, or pipe a message on stdin")
        raw = sys.stdin.read()
        stripped = raw.lstrip("\ufeff").strip()
        if stripped.startswith("{"):
            lines = [ln for ln in stripped.splitlines() if ln.strip()]
            if len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
                if _stream(assessor, iter(raw.splitlines(keepends=True)), fmt or "jsonl"):
                    sys.exit(1)
                return
            data = None
            try:
                data = json.loads(stripped, parse_constant=_no_constant)
            except json.JSONDecodeError:
                pass  # not JSON after all: a message that starts with '{'
            except (ValueError, RecursionError):  # NaN, a 4,300-digit integer, deep nesting
                decode_json(stripped, "<stdin>")  # raises the located error
            if isinstance(data, dict):
                data.setdefault("id", "stdin")
                data.setdefault("kind", "message" if "text" in data else "account")
                _one(assessor.assess(record_from_dict(data)), fmt or "text")
                return
        text = raw
    if not text.strip():
        raise InputError("the message is empty", field="text")
    message = Message(id="message", text=text, subject=subject, channel=channel)
    _one(assessor.assess(message), fmt or "text")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed (not standard JSON)")


def _one(assessment: Any, fmt: str) -> None:
    if fmt == "text":
        click.echo(render_assessment(assessment, colour=sys.stdout.isatty()))
    elif fmt == "json":
        click.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(dump_json(assessment.to_dict()))


def _display_name(handle: BinaryIO) -> str:
    name = getattr(handle, "name", "-")
    return "<stdin>" if name in ("-", "<stdin>") or not isinstance(name, str) else name


def _decoded_lines(handle: BinaryIO) -> Iterator[str | UnicodeDecodeError]:
    """Each line as text; a line that is not UTF-8 comes back as its decode error, not a crash."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"PK\x03\x04"):
            raise InputError(
                "this is a zip archive, not JSONL: for a LinkedIn archive use `lurewatch scan FILE`",
                source=_display_name(handle),
            )
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield exc


def _stream(
    assessor: Any,
    lines: Iterable[str | UnicodeDecodeError],
    fmt: str,
    name: str = "<stdin>",
) -> int:
    """Checks each line; returns how many lines were rejected (reported on stderr)."""
    errors = 0
    checked = 0
    out = sys.stdout
    items: list[dict[str, Any]] = []
    for number, result in _results(assessor, lines, name):
        checked += 1
        if "error" in result:
            errors += 1
            click.echo(f"lurewatch: {name}, line {number}: {result['error']}", err=True)
        if fmt == "json":
            items.append(result)
        elif fmt == "text":
            out.write(f"── line {number} " + "─" * 40 + "\n")
            if "error" in result:
                out.write(f"error: {result['error']}\n\n")
            else:
                from lurewatch.evidence import Assessment, Evidence

                a = Assessment(
                    id=result["id"],
                    kind=result["kind"],
                    score=result["score"],
                    level=result["level"],
                    evidence=[Evidence.from_dict(e) for e in result["evidence"]],
                    advice=result["advice"],
                    model=result["model"],
                    language=result.get("language"),
                )
                out.write(render_assessment(a, colour=out.isatty()) + "\n\n")
        else:
            out.write(dump_json(result) + "\n")
    if fmt == "json":
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    out.flush()
    if not checked:
        click.echo(f"lurewatch: warning: {name} holds no records (it is empty).", err=True)
    if errors == checked and errors:
        click.echo(f"lurewatch: none of the {checked} line(s) could be checked.", err=True)
    elif errors:
        click.echo(
            f"lurewatch: {errors} of {checked} line(s) could not be checked (see above); "
            "the others were.",
            err=True,
        )
    return errors


BATCH = 64  # lines read ahead, so the message model can embed their texts in one call


def _results(
    assessor: Any, lines: Iterable[str | UnicodeDecodeError], name: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, output object) per non-blank line, in order, read in batches."""
    chunk: list[tuple[int, Any]] = []

    def flush() -> Iterator[tuple[int, dict[str, Any]]]:
        records = [item for _, item in chunk if not isinstance(item, dict)]
        prepare = getattr(assessor, "prepare", None)
        if records and prepare is not None:
            try:
                prepare([r for r, _ in records])
            except Exception as exc:  # noqa: BLE001 - batching is an optimisation only
                click.echo(
                    f"lurewatch: batch preparation failed ({exc}); scoring one by one", err=True
                )
        for number, item in chunk:
            if isinstance(item, dict):
                yield number, item
            else:
                yield number, _assess(assessor, item[0], item[1], number)

    for number, line in enumerate(lines, start=1):
        if isinstance(line, UnicodeDecodeError):
            chunk.append(
                (
                    number,
                    {
                        "id": None,
                        "kind": None,
                        "line": number,
                        "error": f"not UTF-8 text (byte {line.start + 1}); save the file as UTF-8",
                    },
                )
            )
        elif not line.strip():
            continue
        else:
            chunk.append((number, _parse_line(line, number, name)))
        if len(chunk) >= BATCH:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _check_line(assessor: Any, line: str, number: int, name: str) -> dict[str, Any]:
    parsed = _parse_line(line, number, name)
    if isinstance(parsed, dict):
        return parsed
    return _assess(assessor, parsed[0], parsed[1], number)


def _parse_line(line: str, number: int, name: str) -> dict[str, Any] | tuple[Any, Any]:
    """(record, raw data), or the error object for a line that cannot be read."""
    try:
        data = decode_json(line)
    except InputError as exc:
        hint = ""
        if number == 1 and line.lstrip().startswith("["):
            hint = "; this looks like a JSON array: give one JSON object per line (JSONL)"
        return {"id": None, "kind": None, "line": number, "error": f"{exc.message}{hint}"}
    if isinstance(data, list):
        return {
            "id": None,
            "kind": None,
            "line": number,
            "error": "a JSON array, not a record: give one JSON object per line (JSONL)",
        }
    ident = label(data.get("id")) if isinstance(data, dict) else None
    kind = label(data.get("kind")) if isinstance(data, dict) else None
    try:
        record = record_from_dict(data)
    except InputError as exc:
        where = f"field '{exc.field}' " if exc.field else ""
        return {"id": ident, "kind": kind, "line": number, "error": f"{where}{exc.message}"}
    _locate(record, name, number)
    return record, data


def _assess(assessor: Any, record: Any, data: Any, number: int) -> dict[str, Any]:
    try:
        return assessor.assess(record).to_dict()
    except (
        Exception
    ) as exc:  # a detector bug on one odd record must not lose the rest of the stream
        return {
            "id": record.id,
            "kind": getattr(record, "kind", None),
            "line": number,
            "error": f"could not be scored ({type(exc).__name__}: {shown(str(exc))}); "
            "please report this",
        }


def _locate(record: object, stream: object, line: int) -> None:
    """Records read from a file remember it, so a relative `photo` path resolves beside that file."""
    file = stream if isinstance(stream, str) else getattr(stream, "name", None)
    if (
        getattr(record, "source", "absent") is None
        and isinstance(file, str)
        and not file.startswith("<")
    ):
        record.source = Source(file=file, row=line)  # type: ignore[attr-defined]
