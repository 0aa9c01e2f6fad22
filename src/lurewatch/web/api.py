"""REST API v1 (JSON). Thin: each handler checks who may call it, then calls one shared function.

Errors always have the shape `{"error": {"code", "message", "details"}}`; lists page with
`limit`/`offset` and answer `{"items", "limit", "offset", "next_offset"}`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from lurewatch.cases import store as case_store
from lurewatch.cases.rules import DECISIONS, Actor
from lurewatch.store import queries
from lurewatch.web import auth, data, services
from lurewatch.web.auth import Principal
from lurewatch.web.errors import WebError
from lurewatch.web.privacy import audit_read, erase_subject, export_subject
from lurewatch.web.security import ADMIN, ANALYST, ANYONE, MEMBER

router = APIRouter(prefix="/api/v1")
Limit = Query(50, ge=1, le=500, description="page size (1–500)")
Offset = Query(0, ge=0, le=10_000_000, description="items to skip")


def page(items: list[Any], limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "items": items,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(items) == limit else None,
    }
    if total is not None:
        out["total"] = total
    return out


def actor(p: Principal) -> Actor:
    return Actor(p.user_id, p.email)


def _record_fields() -> frozenset[str]:
    from dataclasses import fields

    from lurewatch.records import Account, Message

    return frozenset(f.name for cls in (Message, Account) for f in fields(cls))


RECORD_FIELDS = _record_fields()


class Strict(BaseModel):
    """Request bodies refuse fields they do not know (422), so a typo is never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class CheckRequest(BaseModel):
    """A message (default) or a profile. Any field of the record's JSON form is accepted;
    anything else is refused (422)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "kind": "message",
                    "text": "Our client in Asia pays well for short reports. Can we continue on WhatsApp?",
                }
            ]
        },
    )
    kind: Literal["message", "account"] = "message"
    text: str | None = Field(None, max_length=100_000)
    subject: str | None = Field(None, max_length=2_000)
    channel: Literal["invitation", "message", "inmail"] | None = None
    sender_name: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=500)
    headline: str | None = Field(None, max_length=2_000)
    company: str | None = Field(None, max_length=500)
    about: str | None = Field(None, max_length=100_000)


@router.post(
    "/check", tags=["check"], summary="Check one message or profile: verdict, evidence, advice"
)
def check(request: Request, body: CheckRequest, _: Principal = ANYONE) -> dict[str, Any]:
    unknown = sorted(set(body.model_extra or {}) - RECORD_FIELDS)
    if unknown:
        raise WebError(
            422,
            f"field '{unknown[0][:100]}': not a field of a message or an account",
            code="invalid_input",
            details={"field": unknown[0][:100], "unknown": [u[:100] for u in unknown[:20]]},
        )
    checked = services.check(request.app.state.assessor(), body.model_dump(exclude_none=True))
    out = checked.assessment.to_dict()
    out["checked_text"] = checked.text
    return out


@router.get("/assessments", tags=["results"], summary="List assessments, most suspicious first")
def list_assessments(
    request: Request,
    kind: Literal["message", "account"] | None = None,
    level: Literal["low", "medium", "high"] | None = None,
    min_score: float | None = Query(None, ge=0, le=1),
    signal: str | None = Query(
        None, max_length=100, description="only those with evidence whose code starts with this"
    ),
    limit: int = Limit,
    offset: int = Offset,
    _: Principal = ANALYST,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        found = queries.list_assessments(
            conn,
            kind=kind,
            level=level,
            min_score=min_score,
            signal=signal,
            limit=limit,
            offset=offset,
        )
    return page([a.to_dict() for a in found], limit, offset)


@router.get("/accounts", tags=["records"], summary="Search accounts by name, company or id")
def list_accounts(
    request: Request,
    q: str | None = Query(None, max_length=200),
    limit: int = Limit,
    offset: int = Offset,
    p: Principal = ANALYST,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        items = data.search_accounts(conn, q, limit, offset)
    audit_read(request, p, "accounts", q, count=len(items))
    return page(items, limit, offset)


@router.get(
    "/accounts/{account_id:path}",
    tags=["records"],
    summary="One account: profile, assessment, messages, who it approached",
)
def get_account(request: Request, account_id: str, p: Principal = ANALYST) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        account = queries.get_account(conn, account_id)
        if account is None:
            raise WebError(404, f"no account {account_id!r}")
        assessment = queries.get_assessment(conn, "account", account_id)
        sent = queries.messages_by_sender(conn, account_id, limit=200)
        approached = queries.recipients_of(conn, account_id)
    from lurewatch.records import record_to_dict

    audit_read(request, p, "account", account_id)

    return {
        "account": record_to_dict(account),
        "assessment": assessment.to_dict() if assessment else None,
        "messages_sent": [record_to_dict(m) for m in sent],
        "approached": approached,
    }


@router.get("/messages", tags=["records"], summary="List messages with their scores")
def list_messages(
    request: Request,
    sender: str | None = Query(None, max_length=500),
    level: Literal["low", "medium", "high"] | None = None,
    limit: int = Limit,
    offset: int = Offset,
    p: Principal = ANALYST,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        items = data.list_messages(conn, sender, limit, offset, level)
    audit_read(request, p, "messages", sender, count=len(items))
    return page(items, limit, offset)


@router.get(
    "/campaigns",
    tags=["results"],
    summary="Campaigns found by `lurewatch analyze` (when that capability is installed)",
)
def list_campaigns(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    _: Principal = ANALYST,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        table = request.app.state.optional.get(conn, "campaigns")
        items = data.rows_of(conn, table, limit, offset) if table is not None else []
    return page(items, limit, offset)


@router.get(
    "/campaigns/{campaign_id}", tags=["results"], summary="One campaign: members, artifacts"
)
def get_campaign(request: Request, campaign_id: str, _: Principal = ANALYST) -> dict[str, Any]:
    from lurewatch.web.campaigns import campaign_detail

    with request.app.state.store.read() as conn:
        detail = campaign_detail(conn, request.app.state.optional, campaign_id)
    if detail is None:
        raise WebError(404, f"no campaign {campaign_id!r}")
    return detail


@router.get(
    "/watchlist",
    tags=["intel"],
    summary="Watchlist entries (front companies, personas), when present",
)
def list_watchlist(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    _: Principal = ANALYST,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        table = request.app.state.optional.get(conn, "watchlist_entries")
        items = data.rows_of(conn, table, limit, offset) if table is not None else []
    return page(items, limit, offset)


@router.post(
    "/ingest",
    tags=["records"],
    summary="Upload JSONL records or a LinkedIn archive (.zip) into the store",
)
def ingest(
    request: Request,
    files: Annotated[list[UploadFile], File(description="JSONL feeds or .zip archives")],
    p: Principal = ANALYST,
) -> dict[str, Any]:
    from lurewatch.engine.service import ingest_sources

    if len(files) > 20:
        raise WebError(400, "at most 20 files per upload", code="invalid_input")
    with tempfile.TemporaryDirectory(prefix="lurewatch-upload-") as tmp:
        paths = []
        for i, upload in enumerate(files):
            name = services.safe_file_name(upload.filename)
            if Path(name.lower()).suffix not in {".jsonl", ".json", ".zip", ".csv", ".ndjson"}:
                raise WebError(
                    415, f"'{name}' is not a JSONL feed or a .zip archive", details={"file": name}
                )
            path = Path(tmp) / f"{i:02d}-{name}"
            with path.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    out.write(chunk)
            paths.append(path)
        summary = ingest_sources(request.app.state.store, paths)
    result = summary.to_dict()
    for one in result["sources"]:  # report the names the user sent, not our temporary paths
        one["source"] = (
            Path(str(one["source"])).name[3:]
            if Path(str(one["source"])).name[:2].isdigit()
            else Path(str(one["source"])).name
        )
        for rej in one["rejected"]:
            if rej.get("source"):
                rej["source"] = one["source"]
    return result


@router.post(
    "/analyze",
    tags=["records"],
    summary="Score everything in the store (what `lurewatch analyze` does)",
)
def analyze(request: Request, _: Principal = ANALYST) -> dict[str, Any]:
    from lurewatch.engine.service import analyze as run_analyze

    result = run_analyze(request.app.state.store, request.app.state.settings).to_dict()
    request.app.state.reset_assessor()
    return result


# ------------------------------------------------------------------ reports


class ReportRequest(Strict):
    message_text: str | None = Field(None, max_length=100_000)
    sender_name: str | None = Field(None, max_length=300)
    account_id: str | None = Field(None, max_length=500)
    company: str | None = Field(None, max_length=300)
    note: str | None = Field(None, max_length=5_000)


@router.post(
    "/reports",
    tags=["reports"],
    summary="Report a suspicious approach (goes to your organisation's queue)",
    status_code=201,
)
def create_report(request: Request, body: ReportRequest, p: Principal = MEMBER) -> dict[str, Any]:
    return services.submit_report(
        request.app.state.store, request.app.state.assessor(), p, **body.model_dump()
    )


@router.get(
    "/reports", tags=["reports"], summary="Your reports (members) or your organisation's (analysts)"
)
def list_reports(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    p: Principal = MEMBER,
) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        items = services.list_reports(conn, p, limit, offset)
    audit_read(request, p, "reports", None, ids=[r["id"] for r in items])
    return page(items, limit, offset)


# ------------------------------------------------------------------ cases


class SyncRequest(Strict):
    min_level: Literal["medium", "high"] = "high"
    limit: int = Field(500, ge=1, le=10_000)


class AssignRequest(Strict):
    assignee: str | None = Field(
        None,
        description="e-mail of an analyst in your organisation; null to unassign",
        max_length=320,
    )
    reason: str | None = Field(None, max_length=5_000)


class CommentRequest(Strict):
    comment: str = Field(..., min_length=1, max_length=5_000)


class DecideRequest(Strict):
    decision: Literal["dismiss", "restrict", "remove", "escalate"]
    reason: str = Field(
        ..., min_length=1, max_length=5_000, description="why: it goes into the audit trail"
    )


class ReopenRequest(Strict):
    reason: str = Field(..., min_length=1, max_length=5_000)


@router.get("/cases", tags=["cases"], summary="Your organisation's triage queue, most urgent first")
def list_cases(
    request: Request,
    status: Literal["open", "decided"] | None = None,
    mine: bool = Query(False, description="only cases assigned to you"),
    limit: int = Limit,
    offset: int = Offset,
    p: Principal = ANALYST,
) -> dict[str, Any]:
    assert p.org_id is not None
    with request.app.state.store.read() as conn:
        items, total = case_store.list_cases(
            conn,
            p.org_id,
            status=status,
            assignee_id=p.user_id if mine else None,
            limit=limit,
            offset=offset,
        )
    return page(items, limit, offset, total)


@router.post(
    "/cases/sync", tags=["cases"], summary="Open cases for assessments at or above a level"
)
def sync_cases(request: Request, body: SyncRequest, p: Principal = ANALYST) -> dict[str, Any]:
    assert p.org_id is not None
    with request.app.state.store.write() as conn:
        created = case_store.sync_from_assessments(
            conn, p.org_id, min_level=body.min_level, limit=body.limit
        )
    return {"created": created}


def _case_or_404(conn: Any, p: Principal, case_id: int) -> dict[str, Any]:
    assert p.org_id is not None
    case = case_store.get_case(conn, p.org_id, case_id)
    if case is None:  # another organisation's case looks exactly like a missing one
        raise WebError(404, f"no case {case_id}")
    return case


@router.get("/cases/{case_id}", tags=["cases"], summary="One case with its reports and audit trail")
def get_case(request: Request, case_id: int, p: Principal = ANALYST) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        case = _case_or_404(conn, p, case_id)
        case["events"] = case_store.events(conn, case_id)
        case["reports"] = [
            _jsonable(r) for r in services.reports_for_case(conn, p.org_id or 0, case_id)
        ]
    audit_read(request, p, "case", str(case_id))
    return case


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(row, default=str))


def _user_id(conn: Any, p: Principal, email: str | None) -> int | None:
    if not email:
        return None
    for u in auth.list_users(conn, p.org_id):
        if u["email"] == email.strip().lower():
            return int(u["id"])
    raise WebError(
        400,
        f"no user {email!r} in your organisation",
        code="invalid_input",
        details={"field": "assignee"},
    )


@router.post("/cases/{case_id}/assign", tags=["cases"])
def assign_case(
    request: Request, case_id: int, body: AssignRequest, p: Principal = ANALYST
) -> dict[str, Any]:
    with request.app.state.store.write() as conn:
        _case_or_404(conn, p, case_id)
        return case_store.assign(
            conn, p.org_id or 0, case_id, actor(p), _user_id(conn, p, body.assignee), body.reason
        )


@router.post("/cases/{case_id}/comment", tags=["cases"])
def comment_case(
    request: Request, case_id: int, body: CommentRequest, p: Principal = ANALYST
) -> dict[str, Any]:
    with request.app.state.store.write() as conn:
        _case_or_404(conn, p, case_id)
        return case_store.comment(conn, p.org_id or 0, case_id, actor(p), body.comment)


@router.post("/cases/{case_id}/decide", tags=["cases"], summary=f"Decide: {', '.join(DECISIONS)}")
def decide_case(
    request: Request, case_id: int, body: DecideRequest, p: Principal = ANALYST
) -> dict[str, Any]:
    with request.app.state.store.write() as conn:
        _case_or_404(conn, p, case_id)
        return case_store.decide(conn, p.org_id or 0, case_id, actor(p), body.decision, body.reason)


@router.post("/cases/{case_id}/reopen", tags=["cases"])
def reopen_case(
    request: Request, case_id: int, body: ReopenRequest, p: Principal = ANALYST
) -> dict[str, Any]:
    with request.app.state.store.write() as conn:
        _case_or_404(conn, p, case_id)
        return case_store.reopen(conn, p.org_id or 0, case_id, actor(p), body.reason)


@router.get(
    "/cases/{case_id}/approached",
    tags=["cases", "exports"],
    summary="Members the case's account approached (JSON or CSV), to warn them",
)
def approached(
    request: Request,
    case_id: int,
    format: Literal["json", "csv"] = "json",
    p: Principal = ANALYST,
) -> Any:
    with request.app.state.store.write() as conn:
        case = _case_or_404(conn, p, case_id)
        rows = case_store.approached(conn, case)
        case_store.record_export(conn, p.org_id or 0, case_id, actor(p), len(rows))
    if format == "csv":
        return PlainTextResponse(
            approached_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="case-{case_id}-approached.csv"'
            },
        )
    return {"case_id": case_id, "items": rows}


def approached_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["member_id", "name", "company", "approached_by"])
    writer.writeheader()
    for row in rows:
        # neutralise spreadsheet formulas in untrusted names (CSV injection)
        writer.writerow(
            {
                k: ("'" + str(v) if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
                for k, v in row.items()
            }
        )
    return buf.getvalue()


# ------------------------------------------------------------------ exports


@router.get(
    "/export/assessments.jsonl", tags=["exports"], summary="Every assessment as JSONL (streamed)"
)
def export_assessments(
    request: Request,
    kind: Literal["message", "account"] | None = None,
    p: Principal = ANALYST,
) -> StreamingResponse:
    store = request.app.state.store
    audit_read(request, p, "export", "assessments.jsonl", record_kind=kind)

    def lines() -> Iterator[bytes]:
        offset = 0
        while True:
            with store.read() as conn:
                batch = queries.list_assessments(conn, kind=kind, limit=1000, offset=offset)
            if not batch:
                return
            for a in batch:
                yield (json.dumps(a.to_dict(), ensure_ascii=False) + "\n").encode()
            offset += len(batch)

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.get(
    "/export/cases.jsonl",
    tags=["exports", "cases"],
    summary="Your organisation's cases with their full audit trails, as JSONL (streamed)",
)
def export_cases(request: Request, p: Principal = ANALYST) -> StreamingResponse:
    store = request.app.state.store
    audit_read(request, p, "export", "cases.jsonl")
    org_id = p.org_id or 0

    def lines() -> Iterator[bytes]:
        offset = 0
        while True:
            with store.read() as conn:
                batch, _ = case_store.list_cases(conn, org_id, limit=200, offset=offset)
                for case in batch:
                    case["events"] = case_store.events(conn, case["id"])
                    yield (json.dumps(case, ensure_ascii=False, default=str) + "\n").encode()
            if len(batch) < 200:
                return
            offset += len(batch)

    return StreamingResponse(lines(), media_type="application/x-ndjson")


# ------------------------------------------------------------------ users and keys


class UserRequest(Strict):
    email: str = Field(..., max_length=320)
    role: Literal["member", "reporter", "analyst", "admin"]
    password: str | None = Field(None, min_length=10, max_length=1024)
    name: str | None = Field(None, max_length=300)


class KeyRequest(Strict):
    email: str | None = Field(None, max_length=320, description="whose key (default: yours)")
    name: str | None = Field(None, max_length=200)


@router.get("/me", tags=["users"], summary="Who you are: e-mail, role, organisation")
def me(p: Principal = MEMBER) -> dict[str, Any]:
    return {"email": p.email, "role": p.role, "organisation": p.org_name, "via": p.via}


@router.get("/users", tags=["users"], summary="Users of your organisation")
def users_list(request: Request, p: Principal = ADMIN) -> dict[str, Any]:
    with request.app.state.store.read() as conn:
        return {"items": auth.list_users(conn, p.org_id)}


@router.post("/users", tags=["users"], summary="Add a user to your organisation", status_code=201)
def users_add(request: Request, body: UserRequest, p: Principal = ADMIN) -> dict[str, Any]:
    """The same answer whether the address was free or belongs to another organisation
    (which is not revealed): the list of your organisation's users shows who is in it."""
    with request.app.state.store.write() as conn:
        auth.add_user_quietly(
            conn,
            body.email,
            role=body.role,
            org=p.org_name or "",
            password=body.password,
            name=body.name,
        )
    return {
        "email": body.email.strip().lower(),
        "role": auth.normalise_role(body.role),
        "organisation": p.org_name,
        "note": "added unless the address is already in use on this platform (GET /users lists your people)",
    }


@router.post("/keys", tags=["users"], summary="Create an API key (shown once)", status_code=201)
def keys_add(request: Request, body: KeyRequest, p: Principal = ADMIN) -> dict[str, Any]:
    with request.app.state.store.write() as conn:
        user_id = _user_id(conn, p, body.email) if body.email else p.user_id
        assert user_id is not None
        key = auth.create_api_key(conn, user_id, body.name)
    return {"key": key, "prefix": key.split("_")[1], "note": "store it now: it is not shown again"}


class EraseRequest(Strict):
    subject: str = Field(..., min_length=1, max_length=1100, description="e-mail or account id")
    reason: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="the request's reference: kept in the audit log",
    )


@router.get(
    "/subjects/export",
    tags=["privacy"],
    summary="Everything held about a person (GDPR art. 15): your organisation's data and the shared records",
)
def subject_export(
    request: Request,
    subject: str = Query(..., min_length=1, max_length=1100, description="e-mail or account id"),
    p: Principal = ADMIN,
) -> dict[str, Any]:
    return export_subject(request.app.state.store, p, subject)


@router.post(
    "/subjects/erase",
    tags=["privacy"],
    summary="Erase what your organisation holds about a person (GDPR art. 17); audited",
)
def subject_erase(request: Request, body: EraseRequest, p: Principal = ADMIN) -> dict[str, Any]:
    counts = erase_subject(request.app.state.store, p, body.subject, body.reason)
    return {
        "erased": counts,
        "note": "shared store records (accounts, messages) are erased by the operator: "
        "lurewatch subject erase",
    }


@router.get("/health", tags=["check"], summary="Liveness: the server answers and the store opens")
def health(request: Request) -> dict[str, Any]:
    return {"status": "ok", "version": request.app.version}


@router.get("/signals", tags=["check"], summary="Every signal lurewatch can report")
def signals(_: Principal = ANYONE) -> dict[str, Any]:
    import lurewatch.signals.catalog  # noqa: F401  (registers every family)
    from lurewatch.signals.registry import all_signals

    return {
        "items": [
            {
                "code": s.code,
                "applies_to": list(s.applies_to)
                if not isinstance(s.applies_to, str)
                else s.applies_to,
                "description": s.description,
            }
            for s in all_signals()
        ]
    }
