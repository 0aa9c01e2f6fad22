"""Fuzz oracles, shared by the property tests (hypothesis, every CI run) and `make fuzz`.

Each oracle feeds one input to one reader the way the tool does and fails (raises anything
but the reader's own located error) when the input escapes the error handling: a traceback,
a record that cannot be stored or written (a lone surrogate, a NUL, an overflowing number),
or a broken contract (`check --input`: one output line per input line).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lurewatch.errors import InputError
from lurewatch.records import Account, Edge, Message, record_to_dict

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "lurewatch" / "data" / "sample"

# Values that once escaped validation, as they appear in JSON text.
HOSTILE_JSON = [
    "1e18", "1e300", "-1e300", "1" + "0" * 400 + ".5", "1" + "0" * 4400, "NaN", "Infinity",
    "-Infinity", '"a\\ud800b"', '"\\udfff"', '"nul\\u0000"', '"' + "w" * 70_000 + '"',
    "[" * 5_000 + "]" * 5_000, "true", "null", "[]", "{}", "-1", "0", '""', '"2025-13-45"',
    '"0001-01-01"', '"9999-12-31T23:59:59Z"', "1.7e12", '"1e5"',
]  # fmt: skip
HOSTILE_TEXT = [
    "\x00", '"', '""', "\n", "\r\n", "\r", ",", "\ufeff", "%00", "\ud800", "é", "中", "\u202e",
    "a" * 5_000, "&amp;", "<br>", "=cmd|' /C calc'!A0", "https://www.linkedin.com/in/x%00y",
]  # fmt: skip
FEED_FIELDS = {
    "message": ["text", "sender", "sender_name", "recipients", "sent_at", "subject", "channel",
                "direction", "conversation_id", "source"],
    "account": ["name", "username", "profile_url", "headline", "company", "about", "created_at",
                "connections", "followers", "posts", "has_photo", "experiences", "skills",
                "verified"],
    "edge": ["src", "dst", "type", "at"],
}  # fmt: skip


def storable(record: Any) -> None:
    """A record read from hostile input can be written as UTF-8 JSON and stored (no NUL)."""
    assert isinstance(record, Message | Account | Edge), type(record)
    text = json.dumps(record_to_dict(record), ensure_ascii=False)
    text.encode("utf-8")
    assert "\x00" not in text
    for value in (record.id, getattr(record, "sender", None), getattr(record, "src", None)):
        assert value is None or ("\x00" not in value and len(value) < 200_000)


def located(error: InputError) -> None:
    assert error.source or error.line is not None, error
    str(error).encode("utf-8")
    json.dumps(error.to_dict(), ensure_ascii=False).encode("utf-8")


def feed(data: bytes) -> int:
    """JSON Lines through `open_source`: one item per non-blank line, each located or storable."""
    from lurewatch.ingest.feed import JsonLinesReader

    items = list(JsonLinesReader("feed.jsonl", stream=io.BytesIO(data)))  # as `ingest -` reads
    expected = sum(1 for line in data.split(b"\n") if line.strip())
    assert len(items) == expected, (len(items), expected)
    for item in items:
        if isinstance(item, InputError):
            located(item)
            assert item.line is not None
        else:
            storable(item)
    return len(items)


def archive(files: dict[str, bytes], zipped: bool = False) -> int:
    """A LinkedIn export (folder or zip) through `open_source`: records storable, errors located."""
    from lurewatch.ingest import open_source

    with tempfile.TemporaryDirectory(prefix="lw-fuzz-") as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        target: Path = folder
        if zipped:
            target = Path(tmp) / "export.zip"
            with zipfile.ZipFile(target, "w") as zf:
                for name, data in files.items():
                    zf.writestr(name, data)
        return _read_archive(open_source, target)


def zip_bytes(data: bytes) -> int:
    """A mutated zip file: refused with InputError, or read like any archive."""
    from lurewatch.ingest import open_source

    with tempfile.TemporaryDirectory(prefix="lw-fuzz-") as tmp:
        target = Path(tmp) / "export.zip"
        target.write_bytes(data)
        return _read_archive(open_source, target)


def _read_archive(open_source: Callable[..., Any], target: Path) -> int:
    try:
        reader = open_source(target)
    except InputError as exc:  # not an archive, or a refused one: a whole-input error
        located(exc)
        return 0
    count = 0
    try:
        for item in reader:
            count += 1
            if isinstance(item, InputError):
                located(item)
            else:
                storable(item)
    except InputError as exc:  # found hostile mid-read: `ingest` keeps what was read
        located(exc)
    for warning in reader.warnings:
        warning.encode("utf-8")
    return count


def stix(data: bytes) -> int:
    """A STIX bundle: parsed object by object; refused whole only with a located InputError."""
    from lurewatch.intel.stix_in import parse_bundle

    try:
        parsed = parse_bundle(data, "fuzz.json")
    except InputError as exc:
        located(exc)
        return 0
    for error in parsed.rejected:
        located(error)
    for entry in parsed.entries:
        json.dumps(entry.name, ensure_ascii=False).encode("utf-8")
    return len(parsed.entries)


def image(data: bytes) -> int:
    """An uploaded photo: decoded within limits, or refused with ImageError (never another error)."""
    from lurewatch.avatar.loading import ImageError, load_image

    try:
        loaded = load_image("fuzz.img", data)
    except ImageError as exc:
        located(exc)
        return 0
    assert loaded.image.mode == "RGB"
    return 1


_ASSESSOR: list[Any] = []


def check(data: bytes) -> int:
    """`check --input` on a JSONL stream: exactly one JSON output line per non-blank input line."""
    from lurewatch.cli.check import _decoded_lines, _stream

    if not _ASSESSOR:
        from lurewatch.engine.assembly import build_assessor
        from lurewatch.settings import Settings

        settings = Settings.from_env(db_url="sqlite:////nonexistent/fuzz.db")
        _ASSESSOR.append(build_assessor(settings, None))
    out, err = io.StringIO(), io.StringIO()
    handle = io.BytesIO(data)
    handle.name = "fuzz.jsonl"  # type: ignore[attr-defined]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            _stream(_ASSESSOR[0], _decoded_lines(handle), "jsonl", "fuzz.jsonl")
    except InputError as exc:  # a zip given as JSONL: refused whole, as documented
        located(exc)
        return 0
    lines = out.getvalue().split("\n")[:-1]
    # `_decoded_lines` splits like a binary file (on b"\n"); a lone "\r" does not end a line
    expected = sum(1 for line in data.split(b"\n") if line.strip() and _nonblank(line))
    assert len(lines) == expected, (len(lines), expected)
    for line in lines:
        result = json.loads(line)
        assert ("error" in result) != ("score" in result), result
        line.encode("utf-8")
    return len(lines)


def _nonblank(raw: bytes) -> bool:
    try:
        return bool(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return True  # reported as a "not UTF-8" error line


# ------------------------------------------------------------------ seeds and mutations


def feed_seed() -> bytes:
    return (SAMPLE / "feed.jsonl").read_bytes()


def archive_seed() -> dict[str, bytes]:
    folder = SAMPLE / "linkedin-export"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def zip_seed() -> bytes:
    return (SAMPLE / "linkedin-export.zip").read_bytes()


def stix_seed() -> bytes:
    from lurewatch.intel.stix_out import serialize, watchlist_bundle
    from lurewatch.watchlist.seeds import SEED_ENTRIES

    return serialize(watchlist_bundle(SEED_ENTRIES[:5], now="2026-01-01T00:00:00Z")).encode()


def image_seed() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    img = Image.new("RGB", (64, 64))
    for x in range(64):
        img.putpixel((x, x), (x * 4, 255 - x * 4, 128))
    img.save(buf, format="PNG")
    return buf.getvalue()


def hostile_record_line(rnd: random.Random) -> bytes:
    """One JSONL record with a few fields set to hostile or ordinary values."""
    kind = rnd.choice(list(FEED_FIELDS))
    parts = [
        f'"kind": "{kind}"',
        f'"id": {rnd.choice([json.dumps(f"r{rnd.randrange(99)}"), *HOSTILE_JSON])}',
    ]
    for name in rnd.sample(FEED_FIELDS[kind], rnd.randint(0, 4)):
        if rnd.random() < 0.5:
            value = rnd.choice(HOSTILE_JSON)
        else:
            value = json.dumps(rnd.choice(HOSTILE_TEXT) * rnd.randint(1, 3))
        parts.append(f"{json.dumps(name)}: {value}")
    return ("{" + ", ".join(parts) + "}").encode("utf-8", "surrogatepass")


def mutate(rnd: random.Random, data: bytes, tokens: list[bytes]) -> bytes:
    """A few random edits: byte flips, inserted hostile tokens, cuts, repeats, splices."""
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.random()
        at = rnd.randrange(len(buf) + 1)
        if op < 0.25 and buf:
            buf[min(at, len(buf) - 1)] = rnd.randrange(256)
        elif op < 0.55:
            buf[at:at] = rnd.choice(tokens)
        elif op < 0.7 and buf:
            end = min(len(buf), at + rnd.randint(1, 200))
            del buf[at:end]
        elif op < 0.85 and buf:
            end = min(len(buf), at + rnd.randint(1, 100))
            buf[at:at] = buf[at:end] * rnd.randint(2, 5)
        else:
            buf = buf[:at]
    return bytes(buf)


TEXT_TOKENS = [t.encode("utf-8", "surrogatepass") for t in HOSTILE_TEXT + HOSTILE_JSON] + [
    b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b"\xc3", b"\xed\xa0\x80",
]  # fmt: skip
