"""lurewatch's STIX 2.1 extension definition: where assessments and watchlist facts travel.

STIX 2.1 wants custom data in a property-extension declared by an `extension-definition`
object, not in ad-hoc `x_` fields. Ids are fixed (UUIDv5) so every export refers to the
same definition and a peer can recognise it.
"""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("6f1c3a52-2b1e-4c8e-9d51-5a0c1e7b4a10")  # lurewatch's UUIDv5 namespace
PRODUCER_ID = "identity--" + str(
    uuid.UUID(bytes=uuid.uuid5(NAMESPACE, "producer:lurewatch").bytes, version=4)
)
EXTENSION_ID = "extension-definition--" + str(
    uuid.UUID(bytes=uuid.uuid5(NAMESPACE, "extension:lurewatch-v1").bytes, version=4)
)
DEFINED_AT = "2026-11-27T00:00:00.000Z"
SCHEMA_VERSION = "1.1.0"  # 1.1: optional MinHash signature on template indicators
SCHEMA_MODIFIED = "2026-11-28T00:00:00.000Z"

SCHEMA = """lurewatch property-extension v1.1 (plain-text schema). Objects may carry, under the
extension id, "extension_type": "property-extension" and any of:
- "assessment": {"score": number 0..1, "level": "low"|"medium"|"high", "model": string,
  "assessed_at": timestamp, "signals": [{"signal": "family.name", "strength": number 0..1,
  "description": string}]} - on identity (individual) and user-account of suspected cover profiles;
- "watchlist": {"kind": "organisation"|"persona", "source": string (publisher), "published":
  date string, "expires": date string or null, "aliases": [string], "country": string or null,
  "notes": string, "entry_id": string, "added": timestamp, "source_url": string or null} - on identity objects for published front companies and personas;
- "campaign": {"accounts": integer, "targets": integer (a count only: approached members are
  never identified), "first_seen": timestamp, "last_seen": timestamp} - on campaign;
- "artifact": {"kind": "template"|"avatar"|"handle"|"url", "value": string, "algorithm": string,
  and for templates optionally "minhash": [integer], "scheme": string, "size": integer} - on
  indicator.
Personal data of approached members is never carried."""


def producer_identity() -> dict[str, Any]:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": PRODUCER_ID,
        "created": DEFINED_AT,
        "modified": DEFINED_AT,
        "name": "lurewatch",
        "identity_class": "system",
        "description": "Finds fake professional-network cover profiles and the lure messages they send.",
    }


def extension_definition() -> dict[str, Any]:
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": PRODUCER_ID,
        "created": DEFINED_AT,
        "modified": SCHEMA_MODIFIED,
        "name": "lurewatch assessment and watchlist properties",
        "description": "Scores, evidence signal codes and watchlist provenance attached by lurewatch.",
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "extension_types": ["property-extension"],
    }


def extension(**properties: Any) -> dict[str, Any]:
    """The `extensions` value for one object."""
    return {EXTENSION_ID: {"extension_type": "property-extension", **properties}}


def extension_data(obj: dict[str, Any]) -> dict[str, Any]:
    """Our extension's properties on a received object ({} when absent)."""
    exts = obj.get("extensions")
    if not isinstance(exts, dict):
        return {}
    data = exts.get(EXTENSION_ID)
    return data if isinstance(data, dict) else {}
