"""Cases in the store: every change goes with an audit event in the same transaction.

Plain `fn(conn, ...)` functions; each takes the caller's organisation so one organisation
can never read or change another's cases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from lurewatch.cases.rules import (
    Actor,
    CaseRuleError,
    check_decision,
    check_reason,
    check_reopen,
    priority,
)
from lurewatch.store import queries
from lurewatch.store.tables.cases import case_events, cases
from lurewatch.store.tables.core import accounts, assessments, messages
from lurewatch.store.tables.web import users

LEVELS_AT_LEAST = {
    "low": ("low", "medium", "high"),
    "medium": ("medium", "high"),
    "high": ("high",),
}


def _now() -> datetime:
    return datetime.now(UTC)


def _event(
    conn: Connection,
    case_id: int,
    actor: Actor,
    action: str,
    reason: str | None = None,
    **data: Any,
) -> None:
    conn.execute(
        case_events.insert().values(
            case_id=case_id,
            at=_now(),
            actor_id=actor.id,
            actor=actor.email,
            action=action,
            reason=reason,
            data=data,
        )
    )


def _touch(conn: Connection, case_id: int, **values: Any) -> None:
    conn.execute(cases.update().where(cases.c.id == case_id).values(updated_at=_now(), **values))


def open_case(
    conn: Connection,
    org_id: int,
    *,
    subject_kind: str,
    subject_id: str,
    title: str,
    score: float,
    level: str | None,
    origin: str,
    actor: Actor,
    report_id: int | None = None,
) -> tuple[int, bool]:
    """Returns (case id, created). A second report on the same subject joins the open case."""
    row = conn.execute(
        select(cases).where(
            and_(
                cases.c.org_id == org_id,
                cases.c.subject_kind == subject_kind,
                cases.c.subject_id == subject_id,
            )
        )
    ).first()
    reports = 1 if report_id is not None else 0
    if row is None:
        now = _now()
        case_id = int(
            conn.execute(
                cases.insert()
                .values(
                    org_id=org_id,
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                    title=title[:300],
                    status="open",
                    priority=priority(score, reports),
                    level=level,
                    origin=origin,
                    reports=reports,
                    created_at=now,
                    updated_at=now,
                )
                .returning(cases.c.id)
            ).scalar_one()
        )
        _event(
            conn, case_id, actor, "opened", None, origin=origin, score=round(score, 4), level=level
        )
        if report_id is not None:
            _event(conn, case_id, actor, "report_added", None, report_id=report_id)
        return case_id, True
    case_id = int(row.id)
    if report_id is not None:
        new_reports = int(row.reports) + 1
        _touch(
            conn,
            case_id,
            reports=new_reports,
            priority=priority(max(score, _score_of(row)), new_reports),
        )
        _event(conn, case_id, actor, "report_added", None, report_id=report_id)
    return case_id, False


def _score_of(row: Any) -> float:
    return max(0.0, float(row.priority) - min(int(row.reports), 5) * 0.2)


def sync_from_assessments(
    conn: Connection,
    org_id: int,
    *,
    min_level: str = "high",
    limit: int = 500,
    kinds: tuple[str, ...] = ("account", "message"),
) -> int:
    """Opens a case for every assessment at or above `min_level` that has none yet; returns how many."""
    rows = conn.execute(
        select(
            assessments.c.kind, assessments.c.record_id, assessments.c.score, assessments.c.level
        )
        .where(
            and_(
                assessments.c.level.in_(LEVELS_AT_LEAST.get(min_level, ("high",))),
                assessments.c.kind.in_(kinds),
            )
        )
        .order_by(assessments.c.score.desc())
        .limit(limit)
    ).all()
    created = 0
    for r in rows:
        _, new = open_case(
            conn,
            org_id,
            subject_kind=r.kind,
            subject_id=r.record_id,
            title=_title(conn, r.kind, r.record_id),
            score=float(r.score),
            level=r.level,
            origin="assessment",
            actor=Actor.system(),
        )
        created += int(new)
    return created


def _title(conn: Connection, kind: str, record_id: str) -> str:
    if kind == "account":
        row = conn.execute(
            select(accounts.c.name, accounts.c.company).where(accounts.c.id == record_id)
        ).first()
        if row and row.name:
            return f"{row.name}" + (f" ({row.company})" if row.company else "")
        return f"account {record_id}"
    found = conn.execute(
        select(messages.c.sender, messages.c.text, accounts.c.name)
        .select_from(messages.outerjoin(accounts, accounts.c.id == messages.c.sender))
        .where(messages.c.id == record_id)
    ).first()
    if found:
        snippet = " ".join((found.text or "").split())[:80]
        return f"message from {found.name or found.sender or 'unknown'}: {snippet}"
    return f"message {record_id}"


def list_cases(
    conn: Connection,
    org_id: int,
    *,
    status: str | None = None,
    assignee_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The queue, most urgent first, with the total for paging."""
    where = [cases.c.org_id == org_id]
    if status:
        where.append(cases.c.status == status)
    if assignee_id is not None:
        where.append(cases.c.assignee_id == assignee_id)
    total = conn.execute(select(func.count()).select_from(cases).where(and_(*where))).scalar_one()
    rows = conn.execute(
        select(cases, users.c.email.label("assignee"))
        .select_from(cases.outerjoin(users, users.c.id == cases.c.assignee_id))
        .where(and_(*where))
        .order_by(cases.c.status.desc(), cases.c.priority.desc(), cases.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_case_dict(r) for r in rows], int(total)


def get_case(conn: Connection, org_id: int, case_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(cases, users.c.email.label("assignee"))
        .select_from(cases.outerjoin(users, users.c.id == cases.c.assignee_id))
        .where(and_(cases.c.id == case_id, cases.c.org_id == org_id))
    ).first()
    return _case_dict(row) if row else None


def _case_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "subject_kind": row.subject_kind,
        "subject_id": row.subject_id,
        "title": row.title,
        "status": row.status,
        "decision": row.decision,
        "priority": row.priority,
        "level": row.level,
        "origin": row.origin,
        "reports": row.reports,
        "assignee_id": row.assignee_id,
        "assignee": row.assignee,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def events(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "at": r.at.isoformat() if r.at else None,
            "actor": r.actor,
            "action": r.action,
            "reason": r.reason,
            "data": r.data or {},
        }
        for r in rows
    ]


def _require(conn: Connection, org_id: int, case_id: int) -> dict[str, Any]:
    case = get_case(conn, org_id, case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    return case


def assign(
    conn: Connection,
    org_id: int,
    case_id: int,
    actor: Actor,
    assignee_id: int | None,
    reason: str | None = None,
) -> dict[str, Any]:
    case = _require(conn, org_id, case_id)
    assignee_email = None
    if assignee_id is not None:
        row = conn.execute(
            select(users.c.email, users.c.org_id, users.c.role).where(users.c.id == assignee_id)
        ).first()
        if row is None or row.org_id != org_id or row.role not in ("analyst", "admin"):
            raise CaseRuleError(
                "must be an analyst or admin of your organisation", field="assignee"
            )
        assignee_email = row.email
    clean = check_reason(reason, required=False)
    _touch(conn, case_id, assignee_id=assignee_id)
    _event(
        conn, case_id, actor, "assigned", clean, assignee=assignee_email, previous=case["assignee"]
    )
    return _require(conn, org_id, case_id)


def comment(conn: Connection, org_id: int, case_id: int, actor: Actor, text: str) -> dict[str, Any]:
    _require(conn, org_id, case_id)
    clean = check_reason(text, required=True, field="comment")
    _touch(conn, case_id)
    _event(conn, case_id, actor, "commented", clean)
    return _require(conn, org_id, case_id)


def decide(
    conn: Connection, org_id: int, case_id: int, actor: Actor, decision: str, reason: str | None
) -> dict[str, Any]:
    case = _require(conn, org_id, case_id)
    clean = check_decision(case["status"], decision, reason)
    data: dict[str, Any] = {"decision": decision}
    if decision == "remove":
        data["approached"] = len(approached(conn, case))
    _touch(conn, case_id, status="decided", decision=decision)
    _event(conn, case_id, actor, "decided", clean, **data)
    return _require(conn, org_id, case_id)


def reopen(
    conn: Connection, org_id: int, case_id: int, actor: Actor, reason: str | None
) -> dict[str, Any]:
    case = _require(conn, org_id, case_id)
    clean = check_reopen(case["status"], reason)
    _touch(conn, case_id, status="open", decision=None)
    _event(conn, case_id, actor, "reopened", clean, previous=case["decision"])
    return _require(conn, org_id, case_id)


def subject_account(conn: Connection, case: dict[str, Any]) -> str | None:
    """The account a case is about: itself, or a message's sender."""
    if case["subject_kind"] == "account":
        return str(case["subject_id"])
    row = conn.execute(select(messages.c.sender).where(messages.c.id == case["subject_id"])).first()
    return row.sender if row else None


def approached(conn: Connection, case: dict[str, Any]) -> list[dict[str, Any]]:
    """The members the case's account approached (messages and invitations), to warn them."""
    account_id = subject_account(conn, case)
    if not account_id:
        return []
    ids = queries.recipients_of(conn, account_id)
    if not ids:
        return []
    known = {
        r.id: r
        for r in conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.company).where(accounts.c.id.in_(ids))
        ).all()
    }
    return [
        {
            "member_id": i,
            "name": known[i].name if i in known else None,
            "company": known[i].company if i in known else None,
            "approached_by": account_id,
        }
        for i in ids
    ]


def record_export(conn: Connection, org_id: int, case_id: int, actor: Actor, rows: int) -> None:
    _require(conn, org_id, case_id)
    _event(conn, case_id, actor, "exported", None, what="approached members", rows=rows)


__all__ = [
    "CaseRuleError",
    "approached",
    "assign",
    "comment",
    "decide",
    "events",
    "get_case",
    "list_cases",
    "open_case",
    "record_export",
    "reopen",
    "sync_from_assessments",
]
