"""Intel persistence: TAXII collections, stored STIX objects, imports and exports from the store.

Plain `fn(conn)` queries plus two store-level jobs (`import_bundle`, `export_from_store`).
Tables of other families (campaigns, avatars) are read by reflection when they exist, so
this module does not depend on their code.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, inspect, select

from lurewatch.errors import InputError
from lurewatch.intel.extension import NAMESPACE
from lurewatch.intel.stix_in import ParsedBundle, load_json, parse_bundle
from lurewatch.intel.stix_out import LEVEL_ORDER, build_bundle
from lurewatch.store import Store
from lurewatch.store.tables.intel import intel_objects, taxii_collections


def _collection_id(name: str) -> str:
    return str(uuid.UUID(bytes=uuid.uuid5(NAMESPACE, f"collection:{name}").bytes, version=4))


PUBLISH_COLLECTION = _collection_id("publish")
INBOX_COLLECTION = _collection_id("inbox")
DEFAULT_COLLECTIONS = (
    {
        "id": PUBLISH_COLLECTION,
        "title": "lurewatch intelligence",
        "description": "Suspected cover profiles, front companies, campaigns and indicators this lurewatch publishes.",
        "can_read": True,
        "can_write": False,
    },
    {
        "id": INBOX_COLLECTION,
        "title": "Received intelligence",
        "description": "STIX objects pushed by peers or imported from agency bundles.",
        "can_read": True,
        "can_write": True,
    },
)


def ensure_collections(conn: Connection) -> None:
    have = set(conn.execute(select(taxii_collections.c.id)).scalars())
    now = datetime.now(UTC)
    for col in DEFAULT_COLLECTIONS:
        if col["id"] not in have:
            conn.execute(taxii_collections.insert().values(**col, created_at=now))


def list_collections(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(taxii_collections).order_by(taxii_collections.c.created_at, taxii_collections.c.id)
    )
    return [dict(r._mapping) for r in rows]


def get_collection(conn: Connection, collection_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(taxii_collections).where(taxii_collections.c.id == collection_id)
    ).first()
    return dict(row._mapping) if row else None


def object_version(obj: dict[str, Any]) -> str:
    return str(obj.get("modified") or obj.get("created") or "unversioned")[:40]


def add_objects(
    conn: Connection,
    collection_id: str,
    objects: Iterable[dict[str, Any]],
    known: set[str] | None,
    origin: str,
) -> tuple[int, int]:
    """Stores object versions not yet in the collection; returns (added, already there)."""
    now = datetime.now(UTC)
    now = now.replace(
        microsecond=now.microsecond // 1000 * 1000
    )  # TAXII timestamps carry milliseconds
    added = present = 0
    objs = list(objects)
    have: set[tuple[str, str]] = set()
    ids = list({str(o["id"]) for o in objs})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        have.update(
            (r.stix_id, r.version)
            for r in conn.execute(
                select(intel_objects.c.stix_id, intel_objects.c.version).where(
                    intel_objects.c.collection_id == collection_id,
                    intel_objects.c.stix_id.in_(chunk),
                )
            )
        )
    rows = []
    for obj in objs:
        key = (str(obj["id"]), object_version(obj))
        if key in have:
            present += 1
            continue
        have.add(key)
        rows.append(
            {
                "collection_id": collection_id,
                "stix_id": key[0],
                "version": key[1],
                "type": str(obj.get("type"))[:100],
                "known": True if known is None else key[0] in known,
                "data": obj,
                "date_added": now,
                "origin": origin[:1000],
            }
        )
        added += 1
    for start in range(0, len(rows), 1000):
        conn.execute(intel_objects.insert(), rows[start : start + 1000])
    return added, present


def get_objects(
    conn: Connection,
    collection_id: str,
    *,
    added_after: datetime | None = None,
    after_seq: int | None = None,
    limit: int = 1000,
    ids: list[str] | None = None,
    types: list[str] | None = None,
    versions: str = "last",
) -> tuple[list[Any], bool]:
    """Object rows in `date_added` order (paged by sequence number); returns (rows, more)."""
    stmt = select(intel_objects).where(intel_objects.c.collection_id == collection_id)
    if added_after is not None:
        after = (
            added_after.astimezone(UTC) if added_after.tzinfo else added_after.replace(tzinfo=UTC)
        )
        if conn.dialect.name == "sqlite":  # stored as naive UTC text there
            after = after.replace(tzinfo=None)
        stmt = stmt.where(intel_objects.c.date_added > after)
    if after_seq is not None:
        stmt = stmt.where(intel_objects.c.seq > after_seq)
    if ids:
        stmt = stmt.where(intel_objects.c.stix_id.in_(ids))
    if types:
        stmt = stmt.where(intel_objects.c.type.in_(types))
    if versions in ("last", "first"):
        agg = func.max if versions == "last" else func.min
        chosen = (
            select(intel_objects.c.stix_id, agg(intel_objects.c.version).label("v"))
            .where(intel_objects.c.collection_id == collection_id)
            .group_by(intel_objects.c.stix_id)
            .subquery()
        )
        stmt = stmt.join(
            chosen,
            (chosen.c.stix_id == intel_objects.c.stix_id) & (chosen.c.v == intel_objects.c.version),
        )
    rows = list(conn.execute(stmt.order_by(intel_objects.c.seq).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def count_objects(conn: Connection, collection_id: str | None = None) -> Counter[str]:
    stmt = select(intel_objects.c.type, func.count()).group_by(intel_objects.c.type)
    if collection_id:
        stmt = stmt.where(intel_objects.c.collection_id == collection_id)
    return Counter({t: n for t, n in conn.execute(stmt)})


# ---------------------------------------------------------------------- import


@dataclass
class ImportReport:
    source: str
    objects: int = 0
    stored: int = 0
    already: int = 0
    types: Counter[str] = field(default_factory=Counter)
    unknown_types: Counter[str] = field(default_factory=Counter)
    entries_added: int = 0
    entries_updated: int = 0
    rejected: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.source}: {self.objects} objects ({', '.join(f'{t} {n}' for t, n in sorted(self.types.items())) or 'none'}); "
            f"{self.stored} stored, {self.already} already there",
            f"watchlist: {self.entries_added} added, {self.entries_updated} updated",
        ]
        if self.unknown_types:
            kept = ", ".join(f"{t} ({n})" for t, n in sorted(self.unknown_types.items()))
            lines.append(f"unknown object types kept (not interpreted): {kept}")
        if self.rejected:
            lines.append(f"{len(self.rejected)} objects rejected:")
            lines.extend(f"  {r}" for r in self.rejected[:50])
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "objects": self.objects,
            "stored": self.stored,
            "already": self.already,
            "types": dict(self.types),
            "unknown_types": dict(self.unknown_types),
            "entries_added": self.entries_added,
            "entries_updated": self.entries_updated,
            "rejected": self.rejected,
        }


def import_parsed(
    store: Store, parsed: ParsedBundle, origin: str, collection_id: str = INBOX_COLLECTION
) -> ImportReport:
    """Stores every valid object (unknown types too) and adds the identities to the watchlist."""
    from lurewatch.watchlist.repository import save_entries

    report = ImportReport(
        source=parsed.source, objects=len(parsed.objects), types=parsed.type_counts()
    )
    report.unknown_types = parsed.unknown_types
    report.rejected = [str(r) for r in parsed.rejected]
    with store.write() as conn:
        ensure_collections(conn)
        report.stored, report.already = add_objects(
            conn, collection_id, parsed.objects, parsed.known, origin
        )
        report.entries_added, report.entries_updated = save_entries(conn, parsed.entries, origin)
    return report


def import_bundle_file(store: Store, path: Path) -> ImportReport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    data = load_json(raw, str(path))
    parsed = parse_bundle(data, source=path.name)
    return import_parsed(store, parsed, f"import:{path.name}")


# ---------------------------------------------------------------------- export


def _reflect(conn: Connection, name: str) -> Table | None:
    if not inspect(conn).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=conn)


def _approached(conn: Connection) -> set[str]:
    """Every account that received a message or an invitation: members, never exported as
    suspects unless their own assessment rates them medium or above."""
    from lurewatch.store.tables.core import edges as edges_t
    from lurewatch.store.tables.core import messages as messages_t

    found: set[str] = set()
    for (data,) in conn.execute(select(messages_t.c.data)):
        if isinstance(data, dict):
            found.update(str(r) for r in data.get("recipients") or [])
    found.update(
        str(r)
        for r in conn.execute(
            select(edges_t.c.dst).where(edges_t.c.type.like("invitation%"))
        ).scalars()
    )
    return found


def export_from_store(
    conn: Connection,
    *,
    min_level: str = "high",
    include_watchlist: bool = True,
    now: Any = None,
    signatures: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A bundle of what the store knows: suspected accounts with their assessments, campaigns
    and their artifacts (when the campaigns tables exist), avatar hashes (when an `avatars`
    table exists) and the watchlist. `signatures` maps a template id to its MinHash signature
    (`engine.plugins.templates.store_fingerprints`), carried on the template indicators."""
    from lurewatch.store.tables.core import accounts as accounts_t
    from lurewatch.store.tables.core import assessments as assessments_t

    if min_level not in LEVEL_ORDER:
        raise InputError(
            f"must be one of {', '.join(LEVEL_ORDER)}; got {min_level!r}", field="min_level"
        )
    levels = [lvl for lvl, rank in LEVEL_ORDER.items() if rank >= LEVEL_ORDER[min_level]]
    assessed = {
        r.record_id: {
            "score": r.score,
            "level": r.level,
            "model": r.model,
            "evidence": r.evidence,
            "assessed_at": r.assessed_at,
        }
        for r in conn.execute(
            select(assessments_t).where(
                assessments_t.c.kind == "account", assessments_t.c.level.in_(levels)
            )
        )
    }
    if "low" in levels:  # a member who was approached is not a suspect, whatever the level asked
        for account_id in _approached(conn) & set(assessed):
            if assessed[account_id]["level"] == "low":
                del assessed[account_id]
    campaigns: list[dict[str, Any]] = []
    templates: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    avatars: list[dict[str, Any]] = []
    wanted = set(assessed)
    camp_t = _reflect(conn, "campaigns")
    if camp_t is not None and "data" in camp_t.c:
        for (data,) in conn.execute(select(camp_t.c.data)):
            if not isinstance(data, dict):
                continue
            all_members = [m for m in data.get("accounts") or [] if isinstance(m, dict)]
            # only members the campaign flagged, or assessed at min_level, leave the store: a
            # campaign can sweep in a real person who shares an artifact with the fakes
            members = [
                str(m.get("account"))
                for m in all_members
                if m.get("flagged") or str(m.get("account")) in assessed
            ]
            wanted.update(members)
            cid = str(data.get("id"))
            campaigns.append(
                {
                    "id": cid,
                    "name": f"lurewatch campaign {cid}",
                    "accounts": members,
                    "size": len(all_members),
                    "first_seen": data.get("first_seen"),
                    "last_seen": data.get("last_seen"),
                    "targets": data.get("targets")
                    or 0,  # a count only; target_sample is never read
                }
            )
            for art in data.get("artifacts") or []:
                kind, value = art.get("kind"), art.get("value")
                if not kind or not value:
                    continue
                item = {
                    "kind": kind,
                    "value": value,
                    "accounts": art.get("accounts") or [],
                    "campaign": cid,
                }
                if kind == "template":
                    templates.append(
                        {
                            # the template id is a message id of ours: share a digest of it
                            "fingerprint": "template-"
                            + hashlib.sha256(str(value).encode()).hexdigest()[:20],
                            "accounts": item["accounts"],
                            "campaign": cid,
                            "signature": (signatures or {}).get(str(value)),
                        }
                    )
                elif kind == "avatar":
                    avatars.extend({"account_id": a, "phash": value} for a in item["accounts"])
                elif kind != "watchlist":
                    contacts.append(item)
    avatar_t = _reflect(conn, "avatars")
    if avatar_t is not None and {"account_id", "phash"} <= set(avatar_t.c.keys()):
        for r in conn.execute(select(avatar_t.c.account_id, avatar_t.c.phash)):
            if str(r.account_id) in wanted and r.phash:
                avatars.append({"account_id": str(r.account_id), "phash": str(r.phash)})
    accounts = []
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        for (data,) in conn.execute(
            select(accounts_t.c.data).where(accounts_t.c.id.in_(ids[start : start + 500]))
        ):
            if isinstance(data, dict):
                accounts.append(data)
    entries = []
    if include_watchlist:
        from lurewatch.watchlist.repository import has_table, list_entries

        if has_table(conn):
            entries = [e for e in list_entries(conn) if not e.expired()]
    sightings: list[dict[str, Any]] = []
    alerts_t = _reflect(conn, "graph_alerts")
    if alerts_t is not None and {"account_id", "organisation", "staff"} <= set(alerts_t.c.keys()):
        # graph early warnings about exported accounts: counts only (never the staff reached)
        for r in conn.execute(select(alerts_t)):
            row = r._mapping
            if str(row["account_id"]) in wanted:
                sightings.append(
                    {
                        "account": str(row["account_id"]),
                        "organisation": row["organisation"],
                        "staff": row["staff"],
                        "days": row.get("days"),
                        "same_department": row.get("same_department"),
                        "department": row.get("department"),
                        "first": row.get("first_at"),
                        "last": row.get("last_at"),
                    }
                )
    seen_avatars = set()
    unique_avatars = []
    for av in avatars:
        key = (av["account_id"], av["phash"])
        if key not in seen_avatars:
            seen_avatars.add(key)
            unique_avatars.append(av)
    return build_bundle(
        accounts=accounts,
        assessments=assessed,
        campaigns=campaigns,
        templates=templates,
        avatars=unique_avatars,
        contacts=contacts,
        entries=entries,
        sightings=sightings,
        min_level=min_level,
        now=now,
    )


def publish(
    store: Store, bundle: dict[str, Any], collection_id: str = PUBLISH_COLLECTION
) -> tuple[int, int]:
    """Puts an exported bundle's objects into a TAXII collection (new versions only)."""
    with store.write() as conn:
        ensure_collections(conn)
        return add_objects(conn, collection_id, bundle["objects"], None, "export")


def read_bundle_text(path: Path) -> Any:
    return load_json(path.read_bytes(), str(path))
