"""Server-rendered pages. Every form carries a CSRF token; every page checks role and organisation."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from lurewatch.cases import store as case_store
from lurewatch.cases.rules import DECISION_HELP, DECISIONS
from lurewatch.errors import InputError
from lurewatch.records import record_to_dict
from lurewatch.store import queries
from lurewatch.web import auth, charts, data, services, views
from lurewatch.web.api import actor, approached_csv
from lurewatch.web.auth import Principal
from lurewatch.web.campaigns import account_neighbourhood, campaign_detail
from lurewatch.web.errors import WebError
from lurewatch.web.privacy import audit_read, erase_subject, export_subject
from lurewatch.web.security import (
    ADMIN,
    ANALYST,
    ANYONE,
    MEMBER,
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    current,
)

router = APIRouter(include_in_schema=False)
PAGE = 50
TEXT_FIELD = 100_000  # characters, as in the API models (a longer field is a 422 naming it)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    principal = current(request)
    html = request.app.state.templates.get_template(template).render(
        principal=principal, csrf=csrf_token(request), path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code)


def back(url: str, **params: Any) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(url + (f"?{query}" if query else ""), status_code=303)


@router.get("/")
def home(p: Principal = ANYONE) -> RedirectResponse:
    return back("/dashboard" if p.at_least("analyst") else "/check")


# ------------------------------------------------------------------ check


@router.get("/check")
def check_page(request: Request) -> HTMLResponse:
    return render(request, "check.html", form={"kind": "message"}, result=None)


@router.post("/check")
def check_submit(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    kind: str = Form("message", max_length=2000),
    text: str = Form("", max_length=TEXT_FIELD),
    subject: str = Form("", max_length=2000),
    channel: str = Form("message", max_length=2000),
    sender_name: str = Form("", max_length=2000),
    name: str = Form("", max_length=2000),
    headline: str = Form("", max_length=2000),
    company: str = Form("", max_length=2000),
    about: str = Form("", max_length=TEXT_FIELD),
    connections: str = Form("", max_length=2000),
    created_at: str = Form("", max_length=2000),
) -> HTMLResponse:
    check_csrf(request, csrf_token)
    form = {
        "kind": kind,
        "text": text,
        "subject": subject,
        "channel": channel,
        "sender_name": sender_name,
        "name": name,
        "headline": headline,
        "company": company,
        "about": about,
        "connections": connections,
        "created_at": created_at,
    }
    if kind == "account":
        payload = {
            "kind": "account",
            "name": name,
            "headline": headline,
            "company": company,
            "about": about,
            "connections": connections,
            "created_at": created_at,
        }
    else:
        payload = {
            "kind": "message",
            "text": text,
            "subject": subject,
            "channel": channel,
            "sender_name": sender_name,
        }
    try:
        checked = services.check(request.app.state.assessor(), payload)
    except InputError as exc:
        return render(
            request, "check.html", status_code=400, form=form, result=None, error=str(exc)
        )
    result = checked.assessment.to_dict()
    return render(
        request,
        "check.html",
        form=form,
        result=result,
        evidence=views.evidence_rows(result, checked.text),
    )


# ------------------------------------------------------------------ login


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), error=None)


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no //host): no open redirect."""
    return (
        target
        if target.startswith("/") and not target.startswith("//") and "\\" not in target
        else "/"
    )


@router.post("/login")
def login_submit(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    email: str = Form("", max_length=2000),
    password: str = Form("", max_length=1024),
    next: str = Form("/", max_length=2000),
) -> Response:
    check_csrf(request, csrf_token)
    store = request.app.state.store
    throttle = request.app.state.login_throttle
    ip = request.client.host if request.client else None
    refused = throttle.begin(email, ip)  # counted now: concurrent guesses cannot slip past
    if refused:
        return render(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            error="Too many failed attempts from your address; wait 15 minutes and try again."
            if refused == "address"
            else "Too many failed attempts for this e-mail; wait 15 minutes and try again.",
        )
    who = None
    if len(email) <= 320 and len(password) <= auth.MAX_PASSWORD:
        try:
            with store.read() as conn:
                who = auth.authenticate(conn, email, password)
        except auth.HashBusy as exc:
            # the attempt stays counted: a flood that saturates hashing is still limited
            raise WebError(503, str(exc)) from None
    if who is None or who.user_id is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error="Wrong e-mail or password.",
        )
    throttle.succeeded(email, ip)
    with store.write() as conn:
        token, _ = auth.start_session(conn, who.user_id)
    response = back(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=auth.SESSION_HOURS * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with request.app.state.store.write() as conn:
            auth.end_session(conn, token)
    response = back("/check")
    response.delete_cookie(SESSION_COOKIE)
    return response


# ------------------------------------------------------------------ reports


@router.get("/report")
def report_page(request: Request, _: Principal = MEMBER) -> HTMLResponse:
    return render(request, "report.html", form={}, done=None)


@router.post("/report")
def report_submit(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    message_text: str = Form("", max_length=TEXT_FIELD),
    sender_name: str = Form("", max_length=2000),
    account_id: str = Form("", max_length=2000),
    company: str = Form("", max_length=2000),
    note: str = Form("", max_length=5000),
    prefill: str = Form("", max_length=2000),
    file: Annotated[UploadFile | None, File()] = None,
    p: Principal = MEMBER,
) -> HTMLResponse:
    check_csrf(request, csrf_token)
    form = {
        "message_text": message_text,
        "sender_name": sender_name,
        "account_id": account_id,
        "company": company,
        "note": note,
    }
    if prefill:  # from the check page: show the filled form, the member reviews and sends it
        return render(request, "report.html", form=form, done=None)
    content = (
        file.file.read(services.MAX_REPORT_FILE + 1) if file is not None and file.filename else None
    )
    try:
        done = services.submit_report(
            request.app.state.store,
            request.app.state.assessor(),
            p,
            message_text=message_text,
            sender_name=sender_name,
            account_id=account_id,
            company=company,
            note=note,
            file_name=file.filename if file is not None else None,
            file_content=content,
        )
    except InputError as exc:
        return render(request, "report.html", status_code=400, form=form, done=None, error=str(exc))
    return render(request, "report.html", form={}, done=done)


@router.get("/reports")
def reports_page(
    request: Request, offset: int = Query(0, ge=0), p: Principal = MEMBER
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        items = services.list_reports(conn, p, PAGE, offset)
    audit_read(request, p, "reports", None, ids=[r["id"] for r in items])
    return render(request, "reports.html", reports=items, offset=offset, page=PAGE)


# ------------------------------------------------------------------ analyst views


@router.get("/dashboard")
def dashboard(request: Request, _: Principal = ANALYST) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        counts = data.level_counts(conn)
        totals = data.totals(conn)
        top = data.top_accounts(conn, 10)
        weeks = data.suspicious_over_time(conn)
        targets = data.targeted(conn)
        table = request.app.state.optional.get(conn, "campaigns")
        campaigns = data.rows_of(conn, table, 8) if table is not None else None
        alerts_table = request.app.state.optional.get(conn, "graph_alerts")
        alerts = data.rows_of(conn, alerts_table, 10) if alerts_table is not None else []
    top_chart = charts.hbars(
        [(views.short(a["name"] or a["record_id"], 28), round(a["score"], 3)) for a in top],
        hrefs=[f"/accounts/{quote(a['record_id'], safe='')}" for a in top],
        tones=[a["level"] for a in top],
    )
    return render(
        request,
        "dashboard.html",
        counts=counts,
        totals=totals,
        top_chart=top_chart,
        time_chart=charts.columns(weeks, ["medium", "high"]) if weeks else None,
        org_chart=charts.hbars([(views.short(o, 28), n) for o, n in targets.organisations])
        if targets.organisations
        else None,
        sector_chart=charts.hbars(targets.sectors) if targets.sectors else None,
        sector_time_chart=charts.columns(targets.sectors_by_week, targets.series)
        if targets.sectors_by_week
        else None,
        campaigns=campaigns,
        alerts=alerts,
    )


@router.get("/assessments")
def assessments_page(
    request: Request,
    kind: str = Query("account", pattern="^(account|message)$"),
    level: str | None = Query(None, pattern="^(low|medium|high)?$"),
    offset: int = Query(0, ge=0),
    _: Principal = ANALYST,
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        found = queries.list_assessments(
            conn, kind=kind, level=level or None, limit=PAGE, offset=offset
        )
        names = data.names_of(conn, [a.id for a in found]) if kind == "account" else {}
    return render(
        request,
        "assessments.html",
        items=[a.to_dict() for a in found],
        names=names,
        kind=kind,
        level=level,
        offset=offset,
        page=PAGE,
    )


@router.get("/accounts/{account_id:path}")
def account_page(request: Request, account_id: str, p: Principal = ANALYST) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        account = queries.get_account(conn, account_id)
        assessment = queries.get_assessment(conn, "account", account_id)
        if account is None and assessment is None:
            raise WebError(404, f"no account {account_id!r}")
        sent = queries.messages_by_sender(conn, account_id, limit=100)
        levels = {
            a.id: a for a in (queries.get_assessment(conn, "message", m.id) for m in sent) if a
        }
        approached = queries.recipients_of(conn, account_id)
        approached_names = data.names_of(conn, approached[:200])
        picture = account_neighbourhood(conn, account_id)
    audit_read(request, p, "account", account_id)
    result = assessment.to_dict() if assessment else None
    text = services.account_text(account) if account else ""
    return render(
        request,
        "account.html",
        account=record_to_dict(account) if account else {"id": account_id},
        result=result,
        evidence=views.evidence_rows(result, text) if result else [],
        sent=[
            {
                "record": record_to_dict(m),
                "assessment": levels[m.id].to_dict() if m.id in levels else None,
            }
            for m in sent
        ],
        approached=[{"id": a, **approached_names.get(a, {})} for a in approached[:200]],
        approached_total=len(approached),
        picture=picture,
    )


@router.get("/campaigns")
def campaigns_page(
    request: Request, offset: int = Query(0, ge=0), _: Principal = ANALYST
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        table = request.app.state.optional.get(conn, "campaigns")
        items = data.rows_of(conn, table, PAGE, offset) if table is not None else None
    return render(request, "campaigns.html", items=items, offset=offset, page=PAGE)


@router.get("/campaigns/{campaign_id}")
def campaign_page(request: Request, campaign_id: str, _: Principal = ANALYST) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        detail = campaign_detail(conn, request.app.state.optional, campaign_id)
        if detail is None:
            raise WebError(404, f"no campaign {campaign_id!r}")
        names = data.names_of(conn, detail["targets"][:200])
    timeline = (
        charts.columns(detail["timeline"], ["low", "medium", "high"])
        if detail["timeline"]
        else None
    )
    return render(request, "campaign.html", detail=detail, target_names=names, timeline=timeline)


# ------------------------------------------------------------------ cases


@router.get("/cases")
def cases_page(
    request: Request,
    status: str | None = Query("open", pattern="^(open|decided|all)$"),
    offset: int = Query(0, ge=0),
    notice: str | None = Query(None, max_length=200),
    mine: bool = False,
    p: Principal = ANALYST,
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        items, total = case_store.list_cases(
            conn,
            p.org_id or 0,
            status=None if status == "all" else status,
            assignee_id=p.user_id if mine else None,
            limit=PAGE,
            offset=offset,
        )
    return render(
        request,
        "cases.html",
        items=items,
        total=total,
        status=status,
        offset=offset,
        page=PAGE,
        request_notice=notice,
        mine=mine,
    )


@router.post("/cases/sync")
def cases_sync(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    min_level: str = Form("high", max_length=2000),
    p: Principal = ANALYST,
) -> Response:
    check_csrf(request, csrf_token)
    if min_level not in ("medium", "high"):
        raise WebError(400, "min_level must be medium or high", code="invalid_input")
    with request.app.state.store.write() as conn:
        created = case_store.sync_from_assessments(conn, p.org_id or 0, min_level=min_level)
    return back(
        "/cases", notice=f"{created} new case(s) from assessments rated {min_level} or above"
    )


def _case(conn: Any, p: Principal, case_id: int) -> dict[str, Any]:
    case = case_store.get_case(conn, p.org_id or 0, case_id)
    if case is None:
        raise WebError(404, f"no case {case_id}")
    return case


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    case_id: int,
    notice: str | None = None,
    error: str | None = None,
    p: Principal = ANALYST,
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        case = _case(conn, p, case_id)
        trail = case_store.events(conn, case_id)
        reports = services.reports_for_case(conn, p.org_id or 0, case_id)
        analysts = [u for u in auth.list_users(conn, p.org_id) if u["role"] in ("analyst", "admin")]
        subject = None
        if case["subject_kind"] in ("account", "message"):
            found = queries.get_assessment(conn, case["subject_kind"], case["subject_id"])
            subject = found.to_dict() if found else None
        approached = case_store.approached(conn, case) if case["decision"] == "remove" else None
    audit_read(request, p, "case", str(case_id))
    return render(
        request,
        "case.html",
        case=case,
        trail=trail,
        reports=reports,
        analysts=analysts,
        subject=subject,
        decisions=[(d, DECISION_HELP[d]) for d in DECISIONS],
        approached=approached,
        notice=notice,
        error=error,
    )


@router.post("/cases/{case_id}/{action}")
def case_action(
    request: Request,
    case_id: int,
    action: str,
    csrf_token: str = Form("", max_length=200),
    assignee: str = Form("", max_length=2000),
    comment: str = Form("", max_length=5000),
    decision: str = Form("", max_length=2000),
    reason: str = Form("", max_length=5000),
    p: Principal = ANALYST,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        with request.app.state.store.write() as conn:
            _case(conn, p, case_id)
            if action == "assign":
                assignee_id = None
                if assignee:
                    match = [u for u in auth.list_users(conn, p.org_id) if u["email"] == assignee]
                    if not match:
                        raise InputError("is not a user of your organisation", field="assignee")
                    assignee_id = int(match[0]["id"])
                case_store.assign(conn, p.org_id or 0, case_id, actor(p), assignee_id, reason)
            elif action == "comment":
                case_store.comment(conn, p.org_id or 0, case_id, actor(p), comment)
            elif action == "decide":
                case_store.decide(conn, p.org_id or 0, case_id, actor(p), decision, reason)
            elif action == "reopen":
                case_store.reopen(conn, p.org_id or 0, case_id, actor(p), reason)
            else:
                raise WebError(404, f"no action {action!r}")
    except InputError as exc:
        return back(f"/cases/{case_id}", error=str(exc))
    return back(f"/cases/{case_id}", notice=f"{action} recorded")


@router.get("/cases/{case_id}/approached.csv")
def case_approached_csv(
    request: Request, case_id: int, p: Principal = ANALYST
) -> PlainTextResponse:
    with request.app.state.store.write() as conn:
        case = _case(conn, p, case_id)
        rows = case_store.approached(conn, case)
        case_store.record_export(conn, p.org_id or 0, case_id, actor(p), len(rows))
    return PlainTextResponse(
        approached_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="case-{case_id}-approached.csv"'},
    )


# ------------------------------------------------------------------ admin


@router.get("/admin")
def admin_page(
    request: Request,
    error: str | None = Query(None, max_length=500),
    p: Principal = ADMIN,
) -> HTMLResponse:
    with request.app.state.store.read() as conn:
        people = auth.list_users(conn, p.org_id)
        keys = auth.list_api_keys(conn, p.org_id or 0)
    return render(request, "admin.html", people=people, keys=keys, new_key=None, error=error)


@router.post("/admin/users")
def admin_add_user(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    email: str = Form("", max_length=2000),
    role: str = Form("member", max_length=2000),
    password: str = Form("", max_length=1024),
    name: str = Form("", max_length=2000),
    p: Principal = ADMIN,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        with request.app.state.store.write() as conn:
            auth.add_user_quietly(
                conn,
                email,
                role=role,
                org=p.org_name or "",
                password=password or None,
                name=name or None,
            )
    except InputError as exc:
        return back("/admin", error=str(exc))
    return back("/admin")


@router.post("/admin/keys")
def admin_add_key(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    email: str = Form("", max_length=2000),
    name: str = Form("", max_length=2000),
    p: Principal = ADMIN,
) -> HTMLResponse:
    check_csrf(request, csrf_token)
    with request.app.state.store.write() as conn:
        match = [
            u
            for u in auth.list_users(conn, p.org_id)
            if u["email"] == (email.strip().lower() or p.email)
        ]
        if not match:
            raise WebError(400, "no such user in your organisation", code="invalid_input")
        key = auth.create_api_key(conn, int(match[0]["id"]), name or None)
    with request.app.state.store.read() as conn:
        people = auth.list_users(conn, p.org_id)
        keys = auth.list_api_keys(conn, p.org_id or 0)
    # shown once, in the page body (never in a URL, where logs would keep it)
    return render(request, "admin.html", people=people, keys=keys, new_key=key, error=None)


@router.post("/admin/keys/{prefix}/revoke")
def admin_revoke_key(
    request: Request,
    prefix: str,
    csrf_token: str = Form("", max_length=200),
    p: Principal = ADMIN,
) -> Response:
    check_csrf(request, csrf_token)
    with request.app.state.store.write() as conn:
        if not auth.revoke_api_key(conn, prefix, p.org_id):
            raise WebError(404, "no such key in your organisation")
    return back("/admin")


@router.get("/admin/subjects")
def admin_subjects(
    request: Request,
    subject: str = Query("", max_length=1100),
    notice: str | None = Query(None, max_length=500),
    p: Principal = ADMIN,
) -> HTMLResponse:
    """Find what is held about a person: sections and counts; JSON export; erasure form."""
    found = export_subject(request.app.state.store, p, subject) if subject.strip() else None
    sections = (
        [
            (k, len(v) if isinstance(v, list | dict) else 1)
            for k, v in found.items()
            if k not in ("subject", "exported_at", "found") and v
        ]
        if found
        else []
    )
    with request.app.state.store.read() as conn:
        from lurewatch.store import privacy

        recent = privacy.audit_events(conn, p.org_id, limit=30)
    return render(
        request,
        "subjects.html",
        subject=subject,
        found=found,
        sections=sections,
        recent=recent,
        notice=notice,
    )


@router.get("/admin/subjects/export.json")
def admin_subject_export(
    request: Request, subject: str = Query(..., min_length=1, max_length=1100), p: Principal = ADMIN
) -> Response:
    import json

    found = export_subject(request.app.state.store, p, subject)
    return Response(
        json.dumps(found, ensure_ascii=False, indent=2, sort_keys=True),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="subject-export.json"'},
    )


@router.post("/admin/subjects/erase")
def admin_subject_erase(
    request: Request,
    csrf_token: str = Form("", max_length=200),
    subject: str = Form("", max_length=1100),
    reason: str = Form("", max_length=500),
    confirm: str = Form("", max_length=10),
    p: Principal = ADMIN,
) -> Response:
    check_csrf(request, csrf_token)
    if not subject.strip() or not reason.strip() or confirm != "yes":
        raise WebError(
            422,
            "give the subject, the request's reference as the reason, and tick the confirmation",
            code="invalid_input",
        )
    counts = erase_subject(request.app.state.store, p, subject, reason)
    total = sum(counts.values())
    return back(
        "/admin/subjects",
        notice=f"erased: {total} item(s) ({', '.join(f'{k} {v}' for k, v in sorted(counts.items())) or 'nothing held'})",
    )


@router.get("/api")
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    routes = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            routes.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "tags": op.get("tags", []),
                }
            )
    return render(request, "api.html", routes=routes, spec_url=request.app.openapi_url)
