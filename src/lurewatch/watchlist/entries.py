"""The watchlist entry record: a published front company or persona, always with its source."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lurewatch.errors import InputError

KINDS: tuple[str, ...] = ("organisation", "persona")


@dataclass(slots=True, frozen=True)
class Entry:
    """One watched name. `source` and `published` say who published it and when.

    Entries are never "true": they are claims of a named publisher. Matching only says a name
    resembles a claim, and the evidence keeps the source so a reviewer can weigh it.
    """

    id: str
    name: str
    kind: str  # "organisation" | "persona"
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166 alpha-2 of the service behind it, when published
    source: str = ""  # who published it ("BfV press release")
    published: str | None = None  # ISO date or month ("2017-12")
    source_url: str | None = None
    added: str | None = None  # ISO datetime the entry entered this watchlist
    expires: str | None = None  # ISO date after which it is no longer matched
    notes: str = ""
    sectors: tuple[str, ...] = ()  # STIX identity sectors, for organisations
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def expired(self, today: date | None = None) -> bool:
        if not self.expires:
            return False
        today = today or datetime.now(UTC).date()
        try:
            return date.fromisoformat(self.expires[:10]) < today
        except ValueError:
            return False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "country": self.country,
            "source": self.source,
            "published": self.published,
            "source_url": self.source_url,
            "added": self.added,
            "expires": self.expires,
            "notes": self.notes,
            "sectors": list(self.sectors),
        }
        if self.extra:
            out["extra"] = self.extra
        return out


def make_id(kind: str, name: str) -> str:
    """A stable, readable id: kind prefix, slug, and a short hash (two entries may share a slug)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "entry"
    digest = hashlib.sha1(f"{kind}|{name}".encode()).hexdigest()[:6]
    return f"{'org' if kind == 'organisation' else 'persona'}-{slug}-{digest}"


def _text(
    data: dict[str, Any], key: str, *, required: bool = False, limit: int = 500
) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InputError("is required", field=key)
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InputError(f"expected text, got {type(value).__name__}", field=key)
    text = str(value).strip()
    if len(text) > limit:
        raise InputError(f"is {len(text)} characters long (limit {limit})", field=key)
    return text


def _list(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in value.split("|")]
    if not isinstance(value, list):
        raise InputError(f"expected a list of text, got {type(value).__name__}", field=key)
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise InputError(f"item {i} is not text", field=key)
        if item.strip():
            out.append(item.strip()[:500])
    return tuple(out)


def entry_from_dict(data: Any) -> Entry:
    """Validates one JSON object into an Entry; raises InputError naming the field."""
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object, got {type(data).__name__}")
    name = _text(data, "name", required=True)
    assert name is not None
    kind = (_text(data, "kind") or "organisation").lower()
    if kind in {"organization", "org", "company"}:
        kind = "organisation"
    if kind in {"person", "individual"}:
        kind = "persona"
    if kind not in KINDS:
        raise InputError(f"must be one of {', '.join(KINDS)}; got {kind!r}", field="kind")
    source = _text(data, "source", required=True)
    for key in ("published", "expires"):
        value = _text(data, key)
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?([T ].*)?", value):
            raise InputError(
                f"expected an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), got {value!r}", field=key
            )
    extra = data.get("extra")
    return Entry(
        id=_text(data, "id") or make_id(kind, name),
        name=name,
        kind=kind,
        aliases=_list(data, "aliases"),
        country=_text(data, "country"),
        source=source or "",
        published=_text(data, "published"),
        source_url=_text(data, "source_url", limit=2000),
        added=_text(data, "added"),
        expires=_text(data, "expires"),
        notes=_text(data, "notes", limit=5000) or "",
        sectors=_list(data, "sectors"),
        extra=dict(extra) if isinstance(extra, dict) else {},
    )
