"""Plain query functions over the core tables: `fn(conn, ...)`, testable on an in-memory database."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from lurewatch.evidence import Assessment, Evidence
from lurewatch.records import Account, Edge, Message, Record, record_from_dict, record_to_dict
from lurewatch.store.db import insert_ignore, upsert
from lurewatch.store.tables.core import (
    accounts,
    assessments,
    edges,
    ingest_rejects,
    ingest_runs,
    messages,
)
from lurewatch.store.tables.privacy import erased_subjects


def content_hash(data: dict[str, Any]) -> str:
    payload = {k: v for k, v in data.items() if k != "source"}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _row(record: Record, now: datetime) -> tuple[Any, dict[str, Any]]:
    data = record_to_dict(record)
    if isinstance(record, Message):
        return messages, {
            "id": record.id,
            "sender": record.sender,
            "sent_at": record.sent_at,
            "channel": record.channel,
            "text": record.text,
            "data": data,
            "content_hash": content_hash(data),
            "ingested_at": now,
        }
    if isinstance(record, Account):
        return accounts, {
            "id": record.id,
            "name": record.name,
            "company": record.company,
            "created_at": record.created_at,
            "data": data,
            "content_hash": content_hash(data),
            "ingested_at": now,
        }
    return edges, {
        "id": record.id,
        "src": record.src,
        "dst": record.dst,
        "type": record.type,
        "at": record.at,
        "data": data,
        "ingested_at": now,
    }


def subject_digest(account_id: str) -> str:
    """How an erased account id is remembered (never the id itself)."""
    return hashlib.sha256(account_id.encode("utf-8", "surrogatepass")).hexdigest()


def erased_digests(conn: Connection) -> set[str]:
    return set(conn.execute(select(erased_subjects.c.id_digest)).scalars())


def _erased(record: Record, erased: set[str]) -> bool:
    """A record about an erased person: their account, what they sent, their connections."""
    if isinstance(record, Account):
        ids = [record.id]
    elif isinstance(record, Message):
        ids = [record.sender] if record.sender else []
    elif isinstance(record, Edge):
        ids = [record.src, record.dst]
    else:
        return False
    return any(subject_digest(i) in erased for i in ids)


def save_records(conn: Connection, records: Iterable[Record]) -> dict[str, int]:
    """Adds records whose id is new; an id seen before is left as it is (idempotent ingest).
    Records about an erased person (`erased_subjects`) are not stored again.

    Returns counts per kind of records actually added.
    """
    now = datetime.now(UTC)
    batches: dict[str, list[dict[str, Any]]] = {"message": [], "account": [], "edge": []}
    tables = {"message": messages, "account": accounts, "edge": edges}
    seen: set[tuple[str, str]] = set()
    erased = erased_digests(conn)
    for record in records:
        key = (record.kind, record.id)
        if key in seen:
            continue  # the same record twice in one batch
        seen.add(key)
        if erased and _erased(record, erased):
            continue
        if erased and isinstance(record, Message) and record.recipients:
            kept = [r for r in record.recipients if subject_digest(r) not in erased]
            if len(kept) != len(record.recipients):
                record = dataclasses.replace(record, recipients=kept)
        _, row = _row(record, now)
        batches[record.kind].append(row)
    return {kind: insert_ignore(conn, tables[kind], rows) for kind, rows in batches.items()}


def save_assessments(conn: Connection, items: Iterable[Assessment]) -> int:
    now = datetime.now(UTC)
    rows = [
        {
            "kind": a.kind,
            "record_id": a.id,
            "score": float(a.score),
            "level": a.level,
            "model": a.model,
            "language": a.language,
            "evidence": [e.to_dict() for e in a.evidence],
            "advice": a.advice,
            "extra": a.extra,
            "assessed_at": now,
        }
        for a in items
    ]
    for start in range(0, len(rows), 500):
        upsert(conn, assessments, rows[start : start + 500], ["kind", "record_id"])
    return len(rows)


def assessment_from_row(row: Any) -> Assessment:
    return Assessment(
        id=row.record_id,
        kind=row.kind,
        score=row.score,
        level=row.level,
        evidence=[Evidence.from_dict(e) for e in row.evidence],
        advice=list(row.advice),
        model=row.model,
        language=row.language,
        extra=dict(row.extra or {}),
    )


def list_assessments(
    conn: Connection,
    *,
    kind: str | None = None,
    level: str | None = None,
    min_score: float | None = None,
    signal: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Assessment]:
    """Most suspicious first."""
    query = select(assessments)
    if kind:
        query = query.where(assessments.c.kind == kind)
    if level:
        query = query.where(assessments.c.level == level)
    if min_score is not None:
        query = query.where(assessments.c.score >= min_score)
    rows = conn.execute(
        query.order_by(assessments.c.score.desc(), assessments.c.record_id)
        .limit(limit if signal is None else None)
        .offset(offset if signal is None else 0)
    ).all()
    found = [assessment_from_row(r) for r in rows]
    if signal:
        found = [a for a in found if any(e.signal.startswith(signal) for e in a.evidence)]
        found = found[offset : offset + limit]
    return found


def count_assessments(conn: Connection, kind: str | None = None) -> dict[str, int]:
    query = select(assessments.c.level, func.count()).group_by(assessments.c.level)
    if kind:
        query = query.where(assessments.c.kind == kind)
    return {level: n for level, n in conn.execute(query).all()}


def get_assessment(conn: Connection, kind: str, record_id: str) -> Assessment | None:
    row = conn.execute(
        select(assessments).where(
            and_(assessments.c.kind == kind, assessments.c.record_id == record_id)
        )
    ).first()
    return assessment_from_row(row) if row else None


def get_record(conn: Connection, kind: str, record_id: str) -> Record | None:
    table = {"message": messages, "account": accounts, "edge": edges}[kind]
    row = conn.execute(select(table.c.data).where(table.c.id == record_id)).first()
    return record_from_dict(row.data) if row else None


def get_account(conn: Connection, account_id: str) -> Account | None:
    record = get_record(conn, "account", account_id)
    return record if isinstance(record, Account) else None


def iter_records(
    conn: Connection, kind: str, batch: int = 2000, after: str | None = None
) -> Iterable[Record]:
    """Every stored record of one kind (with an id above `after`), in id order, streamed in batches."""
    table = {"message": messages, "account": accounts, "edge": edges}[kind]
    last: str | None = after
    while True:
        query = select(table.c.id, table.c.data).order_by(table.c.id).limit(batch)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield record_from_dict(row.data)
        last = rows[-1].id


def count_records_upto(conn: Connection, kind: str, last: str | None) -> int:
    """Records of one kind with an id up to `last` (all of them when None)."""
    table = {"message": messages, "account": accounts, "edge": edges}[kind]
    query = select(func.count()).select_from(table)
    if last is not None:
        query = query.where(table.c.id <= last)
    return int(conn.execute(query).scalar_one())


def count_records(conn: Connection) -> dict[str, int]:
    return {
        kind: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for kind, table in (("message", messages), ("account", accounts), ("edge", edges))
    }


def messages_by_sender(conn: Connection, sender: str, limit: int = 500) -> list[Message]:
    rows = conn.execute(
        select(messages.c.data)
        .where(messages.c.sender == sender)
        .order_by(messages.c.sent_at)
        .limit(limit)
    ).all()
    return [m for m in (record_from_dict(r.data) for r in rows) if isinstance(m, Message)]


def messages_to(conn: Connection, recipient: str, limit: int = 500) -> list[Message]:
    """Messages whose recipients include `recipient` (JSON list; filtered in Python for portability)."""
    rows = conn.execute(
        select(messages.c.data).where(messages.c.text.is_not(None)).order_by(messages.c.sent_at)
    ).all()
    out = []
    for r in rows:
        if recipient in (r.data.get("recipients") or []):
            out.append(record_from_dict(r.data))
            if len(out) >= limit:
                break
    return [m for m in out if isinstance(m, Message)]


def edges_of(conn: Connection, account_id: str, limit: int = 5000) -> list[Edge]:
    rows = conn.execute(
        select(edges.c.data)
        .where(or_(edges.c.src == account_id, edges.c.dst == account_id))
        .limit(limit)
    ).all()
    return [e for e in (record_from_dict(r.data) for r in rows) if isinstance(e, Edge)]


def recipients_of(conn: Connection, sender: str) -> list[str]:
    """Everyone the account approached: message recipients and invitees (to warn them on removal)."""
    found: set[str] = set()
    for m in messages_by_sender(conn, sender, limit=100_000):
        found.update(m.recipients)
    rows = conn.execute(
        select(edges.c.dst).where(and_(edges.c.src == sender, edges.c.type.like("invitation%")))
    ).all()
    found.update(r.dst for r in rows)
    found.discard(sender)
    return sorted(found)


def record_ingest_run(
    conn: Connection,
    source: str,
    added: dict[str, int],
    unchanged: int,
    rejects: list[dict[str, Any]],
) -> int:
    result = conn.execute(
        ingest_runs.insert().values(
            source=source,
            started_at=datetime.now(UTC),
            added=added,
            unchanged=unchanged,
            rejected=len(rejects),
        )
    )
    primary_key = result.inserted_primary_key
    assert primary_key is not None
    run_id = int(primary_key[0])
    if rejects:
        conn.execute(ingest_rejects.insert(), [{**r, "run_id": run_id} for r in rejects])
    return run_id


def iter_assessments_with_records(
    conn: Connection,
    *,
    kind: str | None = None,
    level: str | None = None,
    batch: int = 1000,
) -> Iterable[tuple[Assessment, dict[str, Any] | None]]:
    """Every stored assessment with its record's JSON form (None if the record is gone),
    in (kind, record id) order, streamed in key-set batches so memory stays flat."""
    last: tuple[str, str] | None = None
    while True:
        query = select(assessments)
        if kind:
            query = query.where(assessments.c.kind == kind)
        if level:
            query = query.where(assessments.c.level == level)
        if last is not None:
            query = query.where(
                or_(
                    assessments.c.kind > last[0],
                    and_(assessments.c.kind == last[0], assessments.c.record_id > last[1]),
                )
            )
        rows = conn.execute(
            query.order_by(assessments.c.kind, assessments.c.record_id).limit(batch)
        ).all()
        if not rows:
            return
        records: dict[tuple[str, str], dict[str, Any]] = {}
        for record_kind, table in (("message", messages), ("account", accounts)):
            ids = [r.record_id for r in rows if r.kind == record_kind]
            if ids:
                for row in conn.execute(
                    select(table.c.id, table.c.data).where(table.c.id.in_(ids))
                ):
                    records[(record_kind, row.id)] = row.data
        names = _account_names(
            conn,
            {
                str(data.get("sender"))
                for (k, _), data in records.items()
                if k == "message" and data.get("sender") and not data.get("sender_name")
            },
        )
        for row in rows:
            data = records.get((row.kind, row.record_id))
            if data is not None and row.kind == "message" and not data.get("sender_name"):
                data = {**data, "sender_name": names.get(str(data.get("sender")))}
            yield assessment_from_row(row), data
        last = (rows[-1].kind, rows[-1].record_id)


def _account_names(conn: Connection, ids: set[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    return {
        row.id: row.name
        for row in conn.execute(
            select(accounts.c.id, accounts.c.name).where(accounts.c.id.in_(ids))
        )
    }


def owner_ids(conn: Connection) -> set[str]:
    """The members whose archives or mailboxes are stored: accounts marked `owner`, and the
    senders of messages marked outgoing. Their messages are context, never a suspect."""
    found = {
        r.id
        for r in conn.execute(
            select(accounts.c.id).where(accounts.c.data["owner"].as_boolean().is_(True))
        )
    }
    found.update(
        r.sender
        for r in conn.execute(
            select(messages.c.sender)
            .where(messages.c.data["direction"].as_string() == "outgoing")
            .where(messages.c.sender.is_not(None))
            .distinct()
        )
    )
    return found


def messages_by_ids(conn: Connection, ids: list[str]) -> list[Message]:
    """The stored messages with these ids (any order; unknown ids left out)."""
    out: list[Message] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(select(messages.c.data).where(messages.c.id.in_(chunk))):
            record = record_from_dict(row.data)
            if isinstance(record, Message):
                out.append(record)
    return out
