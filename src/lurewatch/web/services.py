"""What a web request does, once, for both the API and the pages (handlers stay thin).

`check` runs the same Assessor as `lurewatch check`; `submit_report` stores a member's report,
scores it and puts it in the organisation's case queue.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, and_, select

from lurewatch.cases import store as case_store
from lurewatch.cases.rules import Actor
from lurewatch.engine.assessor import Assessor
from lurewatch.errors import InputError
from lurewatch.evidence import Assessment
from lurewatch.records import Account, Message, record_from_dict
from lurewatch.signals.views import message_view
from lurewatch.store import Store, queries
from lurewatch.store.tables.web import member_reports, users
from lurewatch.web.auth import Principal

REPORT_FILE_TYPES = {
    ".txt",
    ".eml",
    ".csv",
    ".json",
    ".jsonl",
    ".png",
    ".jpg",
    ".jpeg",
    ".pdf",
    ".zip",
}
TEXT_FILE_TYPES = {".txt", ".eml", ".csv", ".json", ".jsonl"}
MAX_REPORT_FILE = 5 * 1024 * 1024
MAX_FIELD = 100_000


@dataclass(slots=True)
class Checked:
    assessment: Assessment
    text: str  # the string evidence quotes and spans refer to
    record: Message | Account


def account_text(account: Account) -> str:
    parts = [
        account.name,
        account.headline,
        account.title,
        account.company,
        account.location,
        account.about,
    ]
    parts += [f"{e.title or ''} {e.company or ''}".strip() for e in account.experiences]
    return "\n".join(p for p in parts if p)


def check(assessor: Assessor, data: dict[str, Any]) -> Checked:
    """One message or profile, as `lurewatch check` does it."""
    payload = {k: v for k, v in data.items() if v is not None and v != ""}
    payload.setdefault("kind", "message")
    payload.setdefault("id", "check")
    if (
        payload["kind"] == "message"
        and not str(payload.get("text", "")).strip()
        and not payload.get("subject")
    ):
        raise InputError("is empty: paste the message you received", field="text")
    record = record_from_dict(payload)
    if isinstance(record, Message):
        return Checked(assessor.assess_message(record), message_view(record).text, record)
    if isinstance(record, Account):
        return Checked(assessor.assess_account(record), account_text(record), record)
    raise InputError("only a message or an account can be checked", field="kind")


def safe_file_name(name: str | None) -> str:
    """The last path part only, at most 200 characters; kept for display (escaped), never as a path."""
    base = PurePath((name or "").replace("\\", "/")).name
    return base[:200] or "upload"


def read_report_file(name: str | None, content: bytes) -> tuple[str, str | None]:
    """Validates an attachment; returns (display name, text when it is a text file)."""
    display = safe_file_name(name)
    suffix = PurePath(display.lower()).suffix
    if suffix not in REPORT_FILE_TYPES:
        raise InputError(
            f"'{display}' is not an accepted type ({', '.join(sorted(REPORT_FILE_TYPES))})",
            field="file",
        )
    if len(content) > MAX_REPORT_FILE:
        raise InputError(
            f"'{display}' is {len(content):,} bytes; the limit is {MAX_REPORT_FILE:,}", field="file"
        )
    if suffix in TEXT_FILE_TYPES:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"'{display}' is not UTF-8 text (byte {exc.start})", field="file"
            ) from None
        if "\x00" in text:
            raise InputError(f"'{display}' contains binary data", field="file")
        return display, text[:MAX_FIELD]
    return display, None


def _clip(value: str | None, field: str, limit: int = MAX_FIELD) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise InputError(f"is {len(text):,} characters long (limit {limit:,})", field=field)
    return text or None


def submit_report(
    store: Store,
    assessor: Assessor,
    principal: Principal,
    *,
    message_text: str | None,
    sender_name: str | None,
    account_id: str | None,
    company: str | None,
    note: str | None,
    file_name: str | None = None,
    file_content: bytes | None = None,
) -> dict[str, Any]:
    if principal.user_id is None or principal.org_id is None:
        raise InputError("sign in to report")
    text = _clip(message_text, "message_text")
    sender = _clip(sender_name, "sender_name", 300)
    account_ref = _clip(account_id, "account_id", 500)
    employer = _clip(company, "company", 300)
    remark = _clip(note, "note", 5000)
    display = size = digest = None
    if file_content is not None and (file_name or file_content):
        display, file_text = read_report_file(file_name, file_content)
        size, digest = len(file_content), hashlib.sha256(file_content).hexdigest()
        if file_text and not text:
            text = file_text.strip()[:MAX_FIELD] or None
    if not any((text, sender, account_ref, employer)):
        raise InputError(
            "is empty: give the message text, the sender's name or profile, or attach the message",
            field="message_text",
        )

    checked: Checked | None = None
    if text:
        checked = check(
            assessor,
            {
                "kind": "message",
                "id": f"report-{uuid.uuid4().hex[:12]}",
                "text": text,
                "sender": account_ref,
                "sender_name": sender,
            },
        )
    stored_assessment = None
    if account_ref:
        with store.read() as conn:
            stored_assessment = queries.get_assessment(conn, "account", account_ref)
    if checked is None and (sender or employer):
        checked = check(
            assessor,
            {
                "kind": "account",
                "id": account_ref or "reported",
                "name": sender,
                "company": employer,
            },
        )
    verdicts = [
        a for a in (checked.assessment if checked else None, stored_assessment) if a is not None
    ]
    best = max(verdicts, key=lambda a: a.score) if verdicts else None

    actor = Actor(principal.user_id, principal.email)
    with store.write() as conn:
        report_id = int(
            conn.execute(
                member_reports.insert()
                .values(
                    org_id=principal.org_id,
                    reporter_id=principal.user_id,
                    account_id=account_ref,
                    sender_name=sender,
                    company=employer,
                    message_text=text,
                    note=remark,
                    file_name=display,
                    file_size=size,
                    file_sha256=digest,
                    score=best.score if best else None,
                    level=best.level if best else None,
                    assessment=checked.assessment.to_dict() if checked else None,
                    created_at=datetime.now(UTC),
                )
                .returning(member_reports.c.id)
            ).scalar_one()
        )
        subject_kind, subject_id = (
            ("account", account_ref) if account_ref else ("report", str(report_id))
        )
        title = "report: " + " · ".join(p for p in (sender, employer, (text or "")[:60]) if p)
        case_id, _ = case_store.open_case(
            conn,
            principal.org_id,
            subject_kind=subject_kind,
            subject_id=subject_id,
            title=title,
            score=best.score if best else 0.0,
            level=best.level if best else None,
            origin="report",
            actor=actor,
            report_id=report_id,
        )
        conn.execute(
            member_reports.update().where(member_reports.c.id == report_id).values(case_id=case_id)
        )
    return {
        "id": report_id,
        "case_id": case_id,
        "file_name": display,
        "assessment": checked.assessment.to_dict()
        if checked
        else (stored_assessment.to_dict() if stored_assessment else None),
    }


def list_reports(
    conn: Connection, principal: Principal, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """A member sees their own reports; analysts and admins see their organisation's. Never another org's."""
    if principal.org_id is None:
        return []
    where = [member_reports.c.org_id == principal.org_id]
    if not principal.at_least("analyst"):
        where.append(member_reports.c.reporter_id == principal.user_id)
    rows = conn.execute(
        select(member_reports, users.c.email.label("reporter"))
        .select_from(member_reports.join(users, users.c.id == member_reports.c.reporter_id))
        .where(and_(*where))
        .order_by(member_reports.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    out = []
    for r in rows:
        item = dict(r._mapping)
        item["created_at"] = item["created_at"].isoformat() if item.get("created_at") else None
        out.append(item)
    return out


def reports_for_case(conn: Connection, org_id: int, case_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(member_reports, users.c.email.label("reporter"))
        .select_from(member_reports.join(users, users.c.id == member_reports.c.reporter_id))
        .where(and_(member_reports.c.org_id == org_id, member_reports.c.case_id == case_id))
        .order_by(member_reports.c.id)
    ).all()
    return [dict(r._mapping) for r in rows]


def get_report(conn: Connection, org_id: int, report_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(member_reports).where(
            and_(member_reports.c.id == report_id, member_reports.c.org_id == org_id)
        )
    ).first()
    return dict(row._mapping) if row else None
