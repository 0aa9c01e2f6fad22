"""STIX 2.1 in: an agency's bundle becomes watchlist entries and stored indicators.

Nothing is dropped. Objects of types the `stix2` library does not know (an agency's
`x-...` types) are kept whole and reported; an object that fails validation is reported
with its position and reason and the rest is processed. Only a document that is not a
STIX bundle at all is refused, with an `InputError` saying where.

Which identities become watchlist entries: those carrying lurewatch's watchlist extension
(exact provenance), and other `organization` / `individual` identities except the
publishers themselves (identities only referenced as `created_by_ref`) and suspected
accounts exported with an assessment (those are accounts, not published names).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lurewatch.errors import InputError
from lurewatch.intel.extension import extension_data
from lurewatch.records import shown
from lurewatch.watchlist.entries import Entry, entry_from_dict, make_id

MAX_BUNDLE_BYTES = 200_000_000


@dataclass
class ParsedBundle:
    """What a bundle held: valid objects (known or not), entries to watch, and what was wrong."""

    source: str
    objects: list[dict[str, Any]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # ids of objects whose type stix2 knows
    entries: list[Entry] = field(default_factory=list)
    unknown_types: Counter[str] = field(default_factory=Counter)
    rejected: list[InputError] = field(default_factory=list)

    def type_counts(self) -> Counter[str]:
        return Counter(str(o.get("type")) for o in self.objects)


def _known_types() -> set[str]:
    from stix2 import registry

    maps = registry.STIX2_OBJ_MAPS.get("2.1", {})
    known = {"marking-definition", "extension-definition", "language-content"}
    for group in ("objects", "observables"):
        known.update(maps.get(group, {}))
    known.discard("bundle")
    return known


def load_json(text: str | bytes, source: str) -> Any:
    if len(text) > MAX_BUNDLE_BYTES:
        raise InputError(f"is larger than {MAX_BUNDLE_BYTES:,} bytes", source=source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg}, column {exc.colno})", source=source, line=exc.lineno
        ) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", source=source) from None
    except ValueError as exc:  # e.g. an integer over Python's 4,300-digit conversion limit
        raise InputError(f"not valid JSON: {str(exc).split(';')[0]}", source=source) from None


def _unwritable(obj: dict[str, Any]) -> str | None:
    """Why an object could not be stored or shown, or None: a lone surrogate ("\\ud800" is
    valid JSON, but no UTF-8 writer accepts it) or a NUL character (PostgreSQL refuses it)."""
    try:
        text = json.dumps(obj, ensure_ascii=False)
    except (ValueError, RecursionError):
        return "cannot be written back as JSON"
    if "\\u0000" in text or "\x00" in text:
        return "holds a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds text that is not valid Unicode (a lone surrogate)"
    return None


def parse_bundle(data: Any, source: str = "<bundle>") -> ParsedBundle:
    """Validates a bundle (or a TAXII envelope) object by object; maps identities to entries."""
    import stix2
    from stix2.exceptions import STIXError

    if isinstance(data, str | bytes):
        data = load_json(data, source)
    if not isinstance(data, dict):
        raise InputError(
            f"expected a STIX bundle (a JSON object), got {type(data).__name__}", source=source
        )
    if data.get("type") not in ("bundle", None) or ("type" not in data and "objects" not in data):
        raise InputError(
            f"expected a STIX bundle, got type {data.get('type')!r}", source=source, field="type"
        )
    objects = data.get("objects", [])
    if objects is None:
        objects = []
    if not isinstance(objects, list):
        raise InputError("expected a list of STIX objects", source=source, field="objects")
    known_types = _known_types()
    out = ParsedBundle(source=source)
    for i, obj in enumerate(objects):
        where = f"objects[{i}]"
        if not isinstance(obj, dict):
            out.rejected.append(InputError("not a JSON object", source=source, field=where))
            continue
        type_, ident = obj.get("type"), obj.get("id")
        if (
            not isinstance(type_, str)
            or not isinstance(ident, str)
            or not ident.startswith(f"{type_}--")
        ):
            out.rejected.append(
                InputError(
                    f"needs a 'type' and an 'id' of the form type--UUID (got {shown(ident)})",
                    source=source,
                    field=where,
                )
            )
            continue
        problem = _unwritable(obj)
        if problem:
            out.rejected.append(
                InputError(f"{shown(ident)}: {problem}", source=source, field=where)
            )
            continue
        if type_ in known_types:
            try:
                stix2.parse(obj, allow_custom=True, version="2.1")
            except (STIXError, ValueError, KeyError, TypeError, AttributeError) as exc:
                out.rejected.append(
                    InputError(
                        f"{shown(ident)}: invalid {type_}: {shown(str(exc))}",
                        source=source,
                        field=where,
                    )
                )
                continue
            except Exception as exc:  # noqa: BLE001 - the validator on hostile data: one object lost
                out.rejected.append(
                    InputError(
                        f"{shown(ident)}: cannot be validated ({type(exc).__name__})",
                        source=source,
                        field=where,
                    )
                )
                continue
            out.known.add(ident)
        else:
            out.unknown_types[type_] += 1
        out.objects.append(obj)
    out.entries = _entries(out.objects, source, out.rejected)
    return out


def _entries(objects: list[dict[str, Any]], source: str, rejected: list[InputError]) -> list[Entry]:
    by_id = {o["id"]: o for o in objects}
    publishers = {o.get("created_by_ref") for o in objects if o.get("created_by_ref")}
    entries: list[Entry] = []
    for obj in objects:
        if obj.get("type") != "identity":
            continue
        ext = extension_data(obj)
        watch = ext.get("watchlist") if isinstance(ext.get("watchlist"), dict) else None
        if watch is None:
            if obj["id"] in publishers or "assessment" in ext:
                continue
            if obj.get("identity_class") not in ("organization", "individual"):
                continue
        kind = (watch or {}).get("kind") or (
            "organisation" if obj.get("identity_class") == "organization" else "persona"
        )
        publisher = by_id.get(obj.get("created_by_ref") or "", {}).get("name")
        data = {
            "name": obj.get("name"),
            "kind": kind,
            "aliases": (watch or {}).get("aliases") or [],
            "source": (watch or {}).get("source") or publisher or f"STIX bundle {source}",
            "published": (watch or {}).get("published") or str(obj.get("created", ""))[:10] or None,
            "expires": (watch or {}).get("expires"),
            "added": (watch or {}).get("added"),
            "source_url": (watch or {}).get("source_url"),
            "country": (watch or {}).get("country"),
            "notes": (watch or {}).get("notes") or obj.get("description") or "",
            "sectors": obj.get("sectors") or [],
            "extra": {"stix_id": obj["id"]},
        }
        data["id"] = (watch or {}).get("entry_id") or make_id(kind, str(obj.get("name")))
        try:
            entries.append(entry_from_dict(data))
        except InputError as exc:
            rejected.append(
                InputError(
                    f"{obj['id']}: cannot become a watchlist entry: {exc.message}",
                    source=source,
                    field=exc.field,
                )
            )
    return entries
