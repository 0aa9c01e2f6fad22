"""Personal data of the people in the store: audited reads, per-subject export and erasure
(GDPR arts. 15 and 17) and retention periods. Plain `fn(conn, …)` queries.

A *subject* is an identifier: a user's e-mail (a reporter, an analyst) or a record id (an
account: a suspect, or a member who was approached). Export and erasure look for it in every
role. `org_id` scopes what belongs to an organisation (users, reports, cases, audit entries);
None is the operator, who sees every organisation. Shared store records (accounts, messages,
edges, assessments and what analysis derived from them) are erased only with `shared=True`.

Audit trails stay append-only: an erasure writes an `erase` event first, registers each
trail row it must blank in `audit_redactions`, then blanks only the content columns — the
only UPDATE the database triggers allow (see `store.tables.privacy`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, MetaData, Table, and_, delete, func, inspect, or_, select, text

from lurewatch.records import record_from_dict
from lurewatch.store import queries
from lurewatch.store.tables.cases import case_events, cases
from lurewatch.store.tables.core import (
    accounts,
    assessments,
    edges,
    ingest_rejects,
    ingest_runs,
    messages,
)
from lurewatch.store.tables.privacy import (
    ERASED,
    ERASED_DATA,
    audit_log,
    audit_redactions,
    erased_subjects,
)
from lurewatch.store.tables.web import api_keys, member_reports, sessions, users

# Tables other capabilities own that hold one row per account (or per message): derived
# from the records, rebuilt by `lurewatch analyze`; erased with the subject when present.
DERIVED_BY_ACCOUNT = {
    "avatars": "account_id",
    "campaign_members": "account_id",
    "graph_scores": "account_id",
    "graph_alerts": "account_id",
}
DERIVED_BY_MESSAGE = {"template_signatures": "message_id"}
REPORT_CONTENT = ("message_text", "note", "file_name", "file_sha256")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does it, as the audit log records it (None id and "operator": the command line)."""

    id: int | None
    email: str
    org_id: int | None = None


OPERATOR = Actor(None, "operator")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(row: Any) -> dict[str, Any]:
    return {k: _iso(v) for k, v in row._mapping.items()}


# ------------------------------------------------------------------ audit log


def audit(
    conn: Connection,
    actor: Actor,
    action: str,
    subject_kind: str,
    subject_id: str | None,
    **data: Any,
) -> int:
    """Appends one audit event (a read of personal data, an export, an erasure, a retention run)."""
    return int(
        conn.execute(
            audit_log.insert()
            .values(
                at=_now(),
                org_id=actor.org_id,
                actor_id=actor.id,
                actor=actor.email,
                action=action,
                subject_kind=subject_kind,
                subject_id=None if subject_id is None else str(subject_id)[:1100],
                data=data,
            )
            .returning(audit_log.c.id)
        ).scalar_one()
    )


def audit_events(
    conn: Connection,
    org_id: int | None = None,
    *,
    action: str | None = None,
    subject_id: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if org_id is not None:
        query = query.where(audit_log.c.org_id == org_id)
    if action:
        query = query.where(audit_log.c.action == action)
    if subject_id is not None:
        query = query.where(audit_log.c.subject_id == subject_id)
    return [_row(r) for r in conn.execute(query).all()]


def _redact(
    conn: Connection, table: str, row_ids: list[int], erasure_id: int, **content: Any
) -> int:
    """Registers then blanks content columns of trail rows (the only UPDATE the triggers allow)."""
    if not row_ids:
        return 0
    now = _now()
    conn.execute(
        audit_redactions.insert(),
        [{"at": now, "erasure_id": erasure_id, "table_name": table, "row_id": i} for i in row_ids],
    )
    json_cast = "CAST(:data AS JSON)" if conn.dialect.name == "postgresql" else ":data"
    sets = ", ".join(
        f"{column} = NULL"
        if value is None
        else (f"{column} = {json_cast}" if column == "data" else f"{column} = :{column}")
        for column, value in content.items()
    )
    params = {k: v for k, v in content.items() if v is not None}
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start : start + 500]
        marks = ", ".join(f":id{i}" for i in range(len(chunk)))
        conn.execute(
            text(f"UPDATE {table} SET {sets} WHERE id IN ({marks})"),  # noqa: S608 - fixed names
            {**params, **{f"id{i}": v for i, v in enumerate(chunk)}},
        )
    return len(row_ids)


# ------------------------------------------------------------------ subjects


def _user(conn: Connection, subject: str, org_id: int | None) -> Any:
    if "@" not in subject:
        return None
    query = select(users).where(users.c.email == subject.strip().lower())
    if org_id is not None:  # another organisation's user is not found (no existence leak)
        query = query.where(users.c.org_id == org_id)
    return conn.execute(query).first()


def _optional(conn: Connection, name: str) -> Table | None:
    if not inspect(conn).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=conn)


def _cases_about(conn: Connection, ids: list[str], org_id: int | None) -> list[Any]:
    if not ids:
        return []
    query = select(cases).where(cases.c.subject_id.in_(ids))
    if org_id is not None:
        query = query.where(cases.c.org_id == org_id)
    return list(conn.execute(query).all())


def subject_export(conn: Connection, subject: str, org_id: int | None = None) -> dict[str, Any]:
    """Everything held about `subject` (GDPR art. 15), as JSON-ready sections; empty when nothing."""
    subject = subject.strip()
    out: dict[str, Any] = {"subject": subject, "exported_at": _now().isoformat()}
    user = _user(conn, subject, org_id)
    if user is not None:
        info = _row(user)
        info.pop("password_hash", None)
        out["user"] = info
        out["api_keys"] = [
            _row(r)
            for r in conn.execute(
                select(
                    api_keys.c.prefix, api_keys.c.name, api_keys.c.created_at, api_keys.c.revoked_at
                ).where(api_keys.c.user_id == user.id)
            ).all()
        ]
        out["sessions"] = conn.execute(
            select(func.count()).select_from(sessions).where(sessions.c.user_id == user.id)
        ).scalar_one()
        out["reports_made"] = [
            _row(r)
            for r in conn.execute(
                select(member_reports).where(member_reports.c.reporter_id == user.id)
            ).all()
        ]
        out["case_events_by"] = [
            _row(r)
            for r in conn.execute(
                select(case_events).where(case_events.c.actor_id == user.id)
            ).all()
        ]
        out["audit_by"] = [
            _row(r)
            for r in conn.execute(select(audit_log).where(audit_log.c.actor_id == user.id)).all()
        ]
    account = conn.execute(select(accounts.c.data).where(accounts.c.id == subject)).first()
    if account is not None:
        out["account"] = account.data
    found = queries.get_assessment(conn, "account", subject)
    if found is not None:
        out["assessment"] = found.to_dict()
    sent = [m.id for m in queries.messages_by_sender(conn, subject, limit=100_000)]
    out["messages_sent"] = [
        r.data for r in conn.execute(select(messages.c.data).where(messages.c.sender == subject))
    ]
    out["messages_received"] = [
        r.data
        for r in conn.execute(select(messages.c.data)).all()
        if subject in (r.data.get("recipients") or [])
    ]
    out["edges"] = [
        r.data
        for r in conn.execute(
            select(edges.c.data).where(or_(edges.c.src == subject, edges.c.dst == subject))
        ).all()
    ]
    reports = select(member_reports).where(member_reports.c.account_id == subject)
    if org_id is not None:
        reports = reports.where(member_reports.c.org_id == org_id)
    out["reports_about"] = [_row(r) for r in conn.execute(reports).all()]
    about = _cases_about(conn, [subject, *sent], org_id)
    out["cases_about"] = [
        {
            **_row(c),
            "events": [
                _row(e)
                for e in conn.execute(
                    select(case_events)
                    .where(case_events.c.case_id == c.id)
                    .order_by(case_events.c.id)
                ).all()
            ],
        }
        for c in about
    ]
    reads = select(audit_log).where(audit_log.c.subject_id == subject)
    if org_id is not None:
        reads = reads.where(audit_log.c.org_id == org_id)
    out["audit_about"] = [_row(r) for r in conn.execute(reads).all()]
    derived: dict[str, list[dict[str, Any]]] = {}
    for name, column in DERIVED_BY_ACCOUNT.items():
        table = _optional(conn, name)
        if table is not None:
            rows = conn.execute(select(table).where(table.c[column] == subject)).all()
            if rows:
                derived[name] = [_row(r) for r in rows]
    out["derived"] = derived
    out["found"] = any(
        out.get(k)
        for k in (
            "user",
            "account",
            "assessment",
            "messages_sent",
            "messages_received",
            "edges",
            "reports_about",
            "cases_about",
            "audit_about",
            "derived",
        )
    )
    return json.loads(json.dumps(out, default=str))


def subject_erase(
    conn: Connection,
    subject: str,
    actor: Actor,
    *,
    org_id: int | None = None,
    shared: bool = True,
    reason: str | None = None,
) -> dict[str, int]:
    """Removes or blanks everything held about `subject` (GDPR art. 17); returns counts per kind.

    The erasure is itself an audit event (who, when, why, counts) that does not name the
    subject, so the trail keeps its integrity without keeping the person.
    """
    subject = subject.strip()
    erasure_id = audit(conn, actor, "erase", "subject", None, reason=(reason or "")[:500] or None)
    counts: dict[str, int] = {}

    def add(kind: str, n: int) -> None:
        if n:
            counts[kind] = counts.get(kind, 0) + n

    user = _user(conn, subject, org_id)
    if user is not None:
        uid = int(user.id)
        conn.execute(
            users.update()
            .where(users.c.id == uid)
            .values(
                email=f"erased-{uid}@erased.invalid",
                name=None,
                password_hash=None,
                active=False,
            )
        )
        add("user", 1)
        add("sessions", conn.execute(sessions.delete().where(sessions.c.user_id == uid)).rowcount)
        add(
            "api_keys",
            conn.execute(
                api_keys.update()
                .where(and_(api_keys.c.user_id == uid, api_keys.c.revoked_at.is_(None)))
                .values(revoked_at=_now(), name=None)
            ).rowcount,
        )
        add(
            "reports_made",
            conn.execute(
                member_reports.update()
                .where(member_reports.c.reporter_id == uid)
                .values(**dict.fromkeys(REPORT_CONTENT))
            ).rowcount,
        )
        by_user = or_(case_events.c.actor_id == uid, case_events.c.actor == user.email)
        ids = list(conn.execute(select(case_events.c.id).where(by_user)).scalars())
        add("case_events", _redact(conn, "case_events", ids, erasure_id, actor=ERASED))
        ids = list(
            conn.execute(
                select(audit_log.c.id).where(
                    and_(
                        or_(audit_log.c.actor_id == uid, audit_log.c.actor == user.email),
                        audit_log.c.id != erasure_id,
                    )
                )
            ).scalars()
        )
        add("audit_log", _redact(conn, "audit_log", ids, erasure_id, actor=ERASED))
        subject_ids = [subject.lower(), user.email]
    else:
        subject_ids = [subject]

    # what the organisation holds about the subject as a reported or case account
    sent = list(conn.execute(select(messages.c.id).where(messages.c.sender == subject)).scalars())
    reports = member_reports.update().where(member_reports.c.account_id == subject)
    if org_id is not None:
        reports = reports.where(member_reports.c.org_id == org_id)
    add(
        "reports_about",
        conn.execute(
            reports.values(
                account_id=None,
                sender_name=None,
                company=None,
                assessment=None,
                **dict.fromkeys(REPORT_CONTENT),
            )
        ).rowcount,
    )
    for case in _cases_about(conn, [subject, *sent], org_id):
        conn.execute(
            cases.update()
            .where(cases.c.id == case.id)
            .values(subject_id=f"erased:{case.id}", title=ERASED, updated_at=_now())
        )
        add("cases", 1)
        ids = list(
            conn.execute(select(case_events.c.id).where(case_events.c.case_id == case.id)).scalars()
        )
        add(
            "case_events",
            _redact(conn, "case_events", ids, erasure_id, reason=None, data=ERASED_DATA),
        )
    about = select(audit_log.c.id).where(
        and_(audit_log.c.subject_id.in_(subject_ids), audit_log.c.id != erasure_id)
    )
    if org_id is not None:
        about = about.where(audit_log.c.org_id == org_id)
    add(
        "audit_log",
        _redact(
            conn, "audit_log", list(conn.execute(about).scalars()), erasure_id, subject_id=ERASED
        ),
    )
    if shared:
        for kind, n in _erase_shared(conn, subject, sent).items():
            add(kind, n)
        digest = queries.subject_digest(subject)
        if digest not in queries.erased_digests(conn):
            conn.execute(erased_subjects.insert().values(id_digest=digest, at=_now()))
    # the counts go into a second event: the first is never changed (append-only)
    audit(conn, actor, "erased", "subject", None, erasure_id=erasure_id, counts=counts)
    return counts


def _names_of(conn: Connection, subject: str) -> list[str]:
    """The subject's full name and first name (3+ letters), longest first, to blank in the
    messages they received ("Dear Ana, …"); other mentions in free text are not found."""
    row = conn.execute(select(accounts.c.name).where(accounts.c.id == subject)).first()
    if row is None or not row.name:
        return []
    full = " ".join(str(row.name).split())
    parts = {full, full.split(" ")[0]}
    return sorted((p for p in parts if len(p) >= 3), key=len, reverse=True)


def _blank_names(text_value: str, names: list[str]) -> str:
    for name in names:
        text_value = re.sub(rf"\b{re.escape(name)}\b", ERASED, text_value)
    return text_value


def _erase_shared(conn: Connection, subject: str, sent: list[str]) -> dict[str, int]:
    """The platform's shared records about an account id: the record, its messages, its edges,
    its place in others' messages, and what analysis derived from them."""
    counts: dict[str, int] = {}
    names = _names_of(conn, subject)  # before the record goes
    counts["accounts"] = conn.execute(accounts.delete().where(accounts.c.id == subject)).rowcount
    counts["assessments"] = conn.execute(
        assessments.delete().where(
            or_(
                and_(assessments.c.kind == "account", assessments.c.record_id == subject),
                and_(assessments.c.kind == "message", assessments.c.record_id.in_(sent or [""])),
            )
        )
    ).rowcount
    for name, column in DERIVED_BY_MESSAGE.items():
        table = _optional(conn, name)
        if table is not None and sent:
            counts[name] = conn.execute(delete(table).where(table.c[column].in_(sent))).rowcount
    counts["messages_sent"] = conn.execute(
        messages.delete().where(messages.c.sender == subject)
    ).rowcount
    received = 0
    for row in conn.execute(select(messages.c.id, messages.c.data)).all():
        recipients = row.data.get("recipients") or []
        if subject in recipients:
            data = {**row.data, "recipients": [r for r in recipients if r != subject]}
            for field in ("text", "subject"):
                if isinstance(data.get(field), str):
                    data[field] = _blank_names(data[field], names)
            record_from_dict(data)  # still a valid record
            conn.execute(
                messages.update()
                .where(messages.c.id == row.id)
                .values(data=data, text=data.get("text"), content_hash=queries.content_hash(data))
            )
            received += 1
    counts["messages_received"] = received
    counts["edges"] = conn.execute(
        edges.delete().where(or_(edges.c.src == subject, edges.c.dst == subject))
    ).rowcount
    for name, column in DERIVED_BY_ACCOUNT.items():
        table = _optional(conn, name)
        if table is not None:
            counts[name] = conn.execute(delete(table).where(table.c[column] == subject)).rowcount
    counts["ingest_rejects"] = conn.execute(
        ingest_rejects.update()
        .where(ingest_rejects.c.raw.contains(subject, autoescape=True))
        .values(raw=None)
    ).rowcount
    return {k: v for k, v in counts.items() if v}


# ------------------------------------------------------------------ retention


RETENTION_KINDS: Mapping[str, str] = {
    "sessions": "login sessions, days after they expired",
    "ingest_rejects": "rejected input lines (they keep the raw text), days after the ingest run",
    "member_reports": "members' reports, days after they were made, once their case is decided",
    "messages": "messages, days after they were sent (or ingested), unless under an open case",
    "edges": "connections and invitations, days after they happened (or were ingested)",
    "accounts": "account records, days after they were last ingested, unless under an open case",
    "decided_cases": "decided cases' titles, subjects and trail content, days after the decision",
    "audit_reads": "the subject named in read events of the audit log, days after the read",
}


def _open_subjects(conn: Connection) -> set[str]:
    return set(conn.execute(select(cases.c.subject_id).where(cases.c.status == "open")).scalars())


def _expired(conn: Connection, days: Mapping[str, int], now: datetime) -> dict[str, list[Any]]:
    """The keys of every row past its retention period, per kind (0 or absent: kept)."""

    def cutoff(kind: str) -> datetime | None:
        n = int(days.get(kind, 0) or 0)
        return now - timedelta(days=n) if n > 0 else None

    found: dict[str, list[Any]] = {}
    if (c := cutoff("sessions")) is not None:
        found["sessions"] = list(
            conn.execute(select(sessions.c.token_hash).where(sessions.c.expires_at < c)).scalars()
        )
    if (c := cutoff("ingest_rejects")) is not None:
        found["ingest_rejects"] = list(
            conn.execute(
                select(ingest_rejects.c.id)
                .select_from(
                    ingest_rejects.join(ingest_runs, ingest_runs.c.id == ingest_rejects.c.run_id)
                )
                .where(ingest_runs.c.started_at < c)
            ).scalars()
        )
    if (c := cutoff("member_reports")) is not None:
        decided = select(cases.c.id).where(cases.c.status == "decided")
        found["member_reports"] = list(
            conn.execute(
                select(member_reports.c.id).where(
                    and_(
                        member_reports.c.created_at < c,
                        or_(
                            member_reports.c.case_id.is_(None),
                            member_reports.c.case_id.in_(decided),
                        ),
                    )
                )
            ).scalars()
        )
    held = _open_subjects(conn)
    if (c := cutoff("messages")) is not None:
        rows = conn.execute(
            select(messages.c.id, messages.c.sender).where(
                func.coalesce(messages.c.sent_at, messages.c.ingested_at) < c
            )
        ).all()
        found["messages"] = [r.id for r in rows if r.id not in held and r.sender not in held]
    if (c := cutoff("edges")) is not None:
        rows = conn.execute(
            select(edges.c.id, edges.c.src).where(
                func.coalesce(edges.c.at, edges.c.ingested_at) < c
            )
        ).all()
        found["edges"] = [r.id for r in rows if r.src not in held]
    if (c := cutoff("accounts")) is not None:
        stale = conn.execute(select(accounts.c.id).where(accounts.c.ingested_at < c)).scalars()
        found["accounts"] = [i for i in stale if i not in held]
    if (c := cutoff("decided_cases")) is not None:
        found["decided_cases"] = list(
            conn.execute(
                select(cases.c.id).where(
                    and_(
                        cases.c.status == "decided",
                        cases.c.updated_at < c,
                        cases.c.title != ERASED,
                    )
                )
            ).scalars()
        )
    if (c := cutoff("audit_reads")) is not None:
        found["audit_reads"] = list(
            conn.execute(
                select(audit_log.c.id).where(
                    and_(
                        audit_log.c.action == "read",
                        audit_log.c.at < c,
                        audit_log.c.subject_id != ERASED,
                    )
                )
            ).scalars()
        )
    return {k: v for k, v in found.items() if v}


def retention_plan(
    conn: Connection, days: Mapping[str, int], now: datetime | None = None
) -> dict[str, int]:
    """How many rows of each kind are past their period (what `apply` would remove)."""
    return {k: len(v) for k, v in _expired(conn, days, now or _now()).items()}


def retention_apply(
    conn: Connection, days: Mapping[str, int], actor: Actor = OPERATOR, now: datetime | None = None
) -> dict[str, int]:
    """Removes (or, in audit trails, blanks) every row past its period; one audit event says how many."""
    expired = _expired(conn, days, now or _now())
    event = audit(
        conn,
        actor,
        "retention",
        "store",
        None,
        periods={k: int(v) for k, v in days.items()},
        counts={k: len(v) for k, v in expired.items()},
    )
    for kind, ids in _chunks(expired):
        if kind == "sessions":
            conn.execute(sessions.delete().where(sessions.c.token_hash.in_(ids)))
        elif kind == "ingest_rejects":
            conn.execute(ingest_rejects.delete().where(ingest_rejects.c.id.in_(ids)))
        elif kind == "member_reports":
            conn.execute(member_reports.delete().where(member_reports.c.id.in_(ids)))
        elif kind == "messages":
            conn.execute(
                assessments.delete().where(
                    and_(assessments.c.kind == "message", assessments.c.record_id.in_(ids))
                )
            )
            table = _optional(conn, "template_signatures")
            if table is not None:
                conn.execute(delete(table).where(table.c.message_id.in_(ids)))
            conn.execute(messages.delete().where(messages.c.id.in_(ids)))
        elif kind == "edges":
            conn.execute(edges.delete().where(edges.c.id.in_(ids)))
        elif kind == "accounts":
            conn.execute(
                assessments.delete().where(
                    and_(assessments.c.kind == "account", assessments.c.record_id.in_(ids))
                )
            )
            for name, column in DERIVED_BY_ACCOUNT.items():
                table = _optional(conn, name)
                if table is not None:
                    conn.execute(delete(table).where(table.c[column].in_(ids)))
            conn.execute(accounts.delete().where(accounts.c.id.in_(ids)))
        elif kind == "decided_cases":
            for case_id in ids:
                conn.execute(
                    cases.update()
                    .where(cases.c.id == case_id)
                    .values(subject_id=f"erased:{case_id}", title=ERASED)
                )
            events = list(
                conn.execute(
                    select(case_events.c.id).where(case_events.c.case_id.in_(ids))
                ).scalars()
            )
            _redact(conn, "case_events", events, event, reason=None, data=ERASED_DATA)
        elif kind == "audit_reads":
            _redact(conn, "audit_log", list(ids), event, subject_id=ERASED)
    return {k: len(v) for k, v in expired.items()}


def _chunks(expired: dict[str, list[Any]]) -> Iterator[tuple[str, list[Any]]]:
    for kind, ids in expired.items():
        for start in range(0, len(ids), 500):
            yield kind, ids[start : start + 500]
