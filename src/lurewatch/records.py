"""Typed records: the shapes every source is parsed into and every detector reads.

Slotted dataclasses inside (millions of them in a batch), plain JSON dicts at the edges.
The JSON form is documented by `schemas/records.schema.json`; `from_dict` validates it and
raises `InputError` naming the offending field.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from lurewatch.errors import InputError

MessageChannel = Literal["invitation", "message", "inmail"]
EdgeType = Literal[
    "invitation_sent",
    "invitation_accepted",
    "invitation_ignored",
    "invitation_reported",
    "connection",
]
MESSAGE_CHANNELS: tuple[str, ...] = ("invitation", "message", "inmail")
EDGE_TYPES: tuple[str, ...] = (
    "invitation_sent",
    "invitation_accepted",
    "invitation_ignored",
    "invitation_reported",
    "connection",
)
RECORD_KINDS: tuple[str, ...] = ("message", "account", "edge")

MAX_TEXT_CHARS = 100_000  # longer text fields are refused: no real message is that long
MAX_COUNT = 10**12  # counts (connections, followers, ...) above this are not real and overflow SQL
MIN_YEAR, MAX_YEAR = 1900, 2199  # dates outside are typing errors, and overflow date arithmetic
MAX_LIST_ITEMS = 10_000  # recipients, skills, education, experiences of one record
_SHOWN_CHARS = 60  # an offending value is quoted in an error message up to this length


@dataclass(slots=True)
class Source:
    """Where a record came from, so every verdict can point back to a file and row."""

    file: str | None = None
    row: int | None = None
    # fields as they were before mojibake repair ("RenÃ© Dupont"), so nothing is lost
    original: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "row": self.row}
        if self.original:
            out["original"] = dict(self.original)
        return out


@dataclass(slots=True)
class Message:
    id: str
    text: str = ""
    sender: str | None = None
    sender_name: str | None = None
    recipients: list[str] = field(default_factory=list)
    sent_at: datetime | None = None
    subject: str | None = None
    channel: str = "message"
    direction: str | None = None  # "incoming" | "outgoing" when known (member archives)
    conversation_id: str | None = None
    source: Source | None = None
    kind: str = "message"


@dataclass(slots=True)
class Experience:
    title: str | None = None
    company: str | None = None
    started: str | None = None
    ended: str | None = None
    description: str | None = None


@dataclass(slots=True)
class Account:
    id: str
    name: str | None = None
    username: str | None = None
    profile_url: str | None = None
    headline: str | None = None
    title: str | None = None
    company: str | None = None
    location: str | None = None
    about: str | None = None
    created_at: datetime | None = None
    # When the counts below were read (a crawl or export time); None = now, at scoring time.
    observed_at: datetime | None = None
    connections: int | None = None
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    has_photo: bool | None = None
    photo: str | None = None
    experiences: list[Experience] = field(default_factory=list)
    education: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    verified: bool | None = None
    # the member whose archive or mailbox this is: their messages are context, never a suspect
    owner: bool | None = None
    source: Source | None = None
    kind: str = "account"


@dataclass(slots=True)
class Edge:
    id: str
    src: str
    dst: str
    type: str = "connection"
    at: datetime | None = None
    source: Source | None = None
    kind: str = "edge"


Record = Message | Account | Edge


# ---------------------------------------------------------------- parsing helpers


def parse_datetime(value: Any, field_name: str) -> datetime | None:
    """Accepts ISO 8601, LinkedIn's 'YYYY-MM-DD HH:MM:SS UTC', '01 Mar 2025', and epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value, field_name)
    if not isinstance(value, str):
        raise InputError(f"expected a date string, got {type(value).__name__}", field=field_name)
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4]
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in ("%d %b %Y", "%d %B %Y", "%m/%d/%y, %I:%M %p", "%m/%d/%Y", "%Y/%m/%d %H:%M:%S"):
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            raise InputError(f"not a date: {shown(value)}", field=field_name) from None
    assert parsed is not None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InputError(
            f"date out of range ({MIN_YEAR}-{MAX_YEAR}): {shown(value)}", field=field_name
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_MIN_EPOCH = datetime(MIN_YEAR, 1, 1, tzinfo=UTC).timestamp()
_MAX_EPOCH = datetime(MAX_YEAR, 12, 31, tzinfo=UTC).timestamp()


def _epoch(value: float, field_name: str) -> datetime:
    """Epoch seconds (or milliseconds, above 1e11) -> UTC; range-checked before converting.

    Checked first because `fromtimestamp` raises ValueError/OverflowError/OSError on 1e18 or a
    400-digit number, and an int too large for a float cannot even be divided.
    """
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InputError(f"not a date: {shown(value)}", field=field_name)
    seconds = number / 1000 if number > 1e11 else number
    if not _MIN_EPOCH <= seconds <= _MAX_EPOCH:
        raise InputError(
            f"date out of range ({MIN_YEAR}-{MAX_YEAR}): {shown(value)}", field=field_name
        )
    return datetime.fromtimestamp(seconds, tz=UTC)


def shown(value: Any) -> str:
    """A value quoted in an error message: short, and safe for any value JSON can hold.

    `repr` of a 4,300-digit int raises ValueError, and a 50 MB string must not become a 50 MB
    message; a lone surrogate is shown escaped so the message itself can be written out.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a {'negative ' if value < 0 else ''}number of about {int(value.bit_length() * 0.30103):,} digits"
    if isinstance(value, str):
        text = value[:_SHOWN_CHARS]
        out = repr(text).encode("utf-8", "backslashreplace").decode("utf-8")
        return out + (
            f" (+{len(value) - _SHOWN_CHARS:,} characters)" if len(value) > _SHOWN_CHARS else ""
        )
    if isinstance(value, dict | list):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    return repr(value)[:_SHOWN_CHARS]


def label(value: Any) -> str | None:
    """An `id`/`kind` echoed beside a reject: kept only when it is short, printable text."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, int) and value.bit_length() > 256:
        return None
    text = str(value)
    if len(text) > 200:
        return None
    try:
        return check_text(text, None)
    except InputError:
        return None


def check_text(text: str, field_name: str | None) -> str:
    """Refuses text that cannot be stored or written: a lone surrogate or a NUL character.

    `"a\\ud800b"` is valid JSON, but no UTF-8 encoder (SQLite, PostgreSQL, stdout) accepts it;
    PostgreSQL refuses NUL in text. One linear pass; ASCII text (most of it) is one C call.
    """
    if "\x00" in text:
        raise InputError(
            f"holds a NUL character at position {text.index(chr(0)) + 1}", field=field_name
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"not valid Unicode text: lone surrogate {text[exc.start]!r} at position "
                f"{exc.start + 1}".encode("ascii", "backslashreplace").decode("ascii"),
                field=field_name,
            ) from None
    return text


def _str(data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InputError("is required", field=key)
        return None
    return _text(value, key)


def _text(value: Any, key: str) -> str:
    """A JSON scalar as text: strings checked, numbers written out (within bounds)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"expected text, got {type(value).__name__}", field=key)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"expected text, got {value!r}", field=key)
    if isinstance(value, int) and value.bit_length() > 256:
        raise InputError(f"expected text, got {shown(value)}", field=key)
    text = str(value)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"is {len(text):,} characters long (limit {MAX_TEXT_CHARS:,})", field=key)
    return check_text(text, key)


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InputError("expected a number, got true/false", field=key)
    if isinstance(value, int):
        number: float = value if abs(value) <= MAX_COUNT else (2.0 * MAX_COUNT) * (value > 0 or -1)
    else:
        try:
            number = (
                float(value.replace(",", "").replace("+", "")[:64])
                if isinstance(value, str)
                else float(value)
            )
        except (TypeError, ValueError, OverflowError):
            raise InputError(f"expected a number, got {shown(value)}", field=key) from None
    if math.isnan(number) or number < 0:
        raise InputError(f"expected a non-negative number, got {shown(value)}", field=key)
    if number > MAX_COUNT:
        raise InputError(f"{shown(value)} is too large (limit {MAX_COUNT:,})", field=key)
    return int(number)


def _bool(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and math.isfinite(value):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1", "y"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "0", "n"}:
        return False
    raise InputError(f"expected true or false, got {value!r}", field=key)


def _str_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = _text(value, key).split(",")
        parts = [part.strip() for part in value if part.strip()]
    elif not isinstance(value, list):
        raise InputError(f"expected a list, got {type(value).__name__}", field=key)
    else:
        parts = value
    if len(parts) > MAX_LIST_ITEMS:
        raise InputError(f"{len(parts):,} items (limit {MAX_LIST_ITEMS:,})", field=key)
    out = []
    for i, item in enumerate(parts):
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise InputError(f"item {i} is not text", field=key)
        out.append(_text(item, key))
    return out


def _source(data: dict[str, Any]) -> Source | None:
    value = data.get("source")
    if isinstance(value, dict):
        row = value.get("row")
        file = value.get("file")
        original = value.get("original")
        return Source(
            file=_text(file, "source") if isinstance(file, str) else None,
            row=row
            if isinstance(row, int) and not isinstance(row, bool) and 0 <= row < 2**62
            else None,
            original={
                str(k)[:100]: _text(v, "source.original")
                for k, v in list(original.items())[:100]
                if isinstance(v, str)
            }
            if isinstance(original, dict) and original
            else None,
        )
    return None


def _id(data: dict[str, Any]) -> str:
    value = data.get("id")
    if value is None or value == "" or isinstance(value, bool | list | dict):
        raise InputError("is required (a string or number)", field="id")
    return _text(value, "id")


def _experiences(data: dict[str, Any]) -> list[Experience]:
    value = data.get("experiences")
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("expected a list of {title, company, started, ended}", field="experiences")
    if len(value) > MAX_LIST_ITEMS:
        raise InputError(f"{len(value):,} items (limit {MAX_LIST_ITEMS:,})", field="experiences")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(Experience(title=_text(item, "experiences")))
            continue
        if not isinstance(item, dict):
            raise InputError(f"item {i} is not an object", field="experiences")
        out.append(
            Experience(
                title=_str(item, "title"),
                company=_str(item, "company"),
                started=_str(item, "started"),
                ended=_str(item, "ended"),
                description=_str(item, "description"),
            )
        )
    return out


_DIRECTIONS = {
    "incoming": "incoming",
    "received": "incoming",
    "inbound": "incoming",
    "outgoing": "outgoing",
    "sent": "outgoing",
    "outbound": "outgoing",
}


def _direction(data: dict[str, Any]) -> str | None:
    value = _str(data, "direction")
    if value is None:
        return None
    found = _DIRECTIONS.get(value.strip().casefold())
    if found is None:
        raise InputError(f"must be incoming or outgoing; got {value[:40]!r}", field="direction")
    return found


def message_from_dict(data: dict[str, Any]) -> Message:
    channel = (_str(data, "channel") or "message").lower()
    if channel not in MESSAGE_CHANNELS:
        raise InputError(
            f"must be one of {', '.join(MESSAGE_CHANNELS)}; got {shown(channel)}", field="channel"
        )
    recipients = data.get("recipients")
    if recipients is None and data.get("recipient") is not None:
        recipients = [data["recipient"]]
    return Message(
        id=_id(data),
        text=_str(data, "text") or "",
        sender=_str(data, "sender"),
        sender_name=_str(data, "sender_name"),
        recipients=_str_list({"recipients": recipients}, "recipients"),
        sent_at=parse_datetime(data.get("sent_at"), "sent_at"),
        subject=_str(data, "subject"),
        channel=channel,
        direction=_direction(data),
        conversation_id=_str(data, "conversation_id"),
        source=_source(data),
    )


def account_from_dict(data: dict[str, Any]) -> Account:
    return Account(
        id=_id(data),
        name=_str(data, "name"),
        username=_str(data, "username"),
        profile_url=_str(data, "profile_url"),
        headline=_str(data, "headline"),
        title=_str(data, "title"),
        company=_str(data, "company"),
        location=_str(data, "location"),
        about=_str(data, "about"),
        created_at=parse_datetime(data.get("created_at"), "created_at"),
        observed_at=parse_datetime(data.get("observed_at"), "observed_at"),
        connections=_int(data, "connections"),
        followers=_int(data, "followers"),
        following=_int(data, "following"),
        posts=_int(data, "posts"),
        has_photo=_bool(data, "has_photo"),
        photo=_str(data, "photo"),
        experiences=_experiences(data),
        education=_str_list(data, "education"),
        skills=_str_list(data, "skills"),
        verified=_bool(data, "verified"),
        owner=_bool(data, "owner"),
        source=_source(data),
    )


def edge_from_dict(data: dict[str, Any]) -> Edge:
    edge_type = (_str(data, "type") or "connection").lower()
    if edge_type not in EDGE_TYPES:
        raise InputError(
            f"must be one of {', '.join(EDGE_TYPES)}; got {shown(edge_type)}", field="type"
        )
    src = _str(data, "src", required=True)
    dst = _str(data, "dst", required=True)
    assert src is not None and dst is not None
    return Edge(
        id=_id(data) if data.get("id") else f"{src}|{edge_type}|{dst}",
        src=src,
        dst=dst,
        type=edge_type,
        at=parse_datetime(data.get("at"), "at"),
        source=_source(data),
    )


def record_from_dict(data: Any) -> Record:
    """Validates one JSON object into a record; raises InputError naming the field.

    Any other exception a hostile value provokes (an overflow, a conversion limit) is turned
    into an InputError too: a record-level problem must cost that record only, never the batch.
    """
    try:
        return _record_from_dict(data)
    except InputError:
        raise
    except (ValueError, OverflowError, TypeError, OSError, RecursionError) as exc:
        raise InputError(f"cannot be read ({type(exc).__name__}: {shown(str(exc))})") from None


def _record_from_dict(data: Any) -> Record:
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object, got {type(data).__name__}")
    kind = data.get("kind")
    if kind is None:
        # Tolerate feeds that omit kind when the shape is unambiguous.
        if "text" in data or "recipients" in data:
            kind = "message"
        elif "src" in data and "dst" in data:
            kind = "edge"
        else:
            raise InputError(f"is required: one of {', '.join(RECORD_KINDS)}", field="kind")
    if kind == "message":
        return message_from_dict(data)
    if kind == "account":
        return account_from_dict(data)
    if kind == "edge":
        return edge_from_dict(data)
    raise InputError(f"must be one of {', '.join(RECORD_KINDS)}; got {shown(kind)}", field="kind")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _json_value(v) for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    """The documented JSON form (None fields left out)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value is None or value == []:
            continue
        out[f.name] = _json_value(value)
    return out
