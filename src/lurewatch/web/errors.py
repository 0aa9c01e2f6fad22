"""The one web error handler: every error becomes `{"error": {"code", "message", "details"}}`.

API routes (under /api) answer JSON; pages answer a small HTML page (a 401 on a page sends
the browser to the login form instead). The shape is pinned by a test.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from lurewatch.errors import InputError, LurewatchError, StoreError

log = logging.getLogger("lurewatch.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class WebError(Exception):
    """Raised by handlers for a clean error answer with a stable code."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, details: Any = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        self.details = details


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details if details is not None else {},
        }
    }


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.startswith("/taxii")


def respond(
    request: Request, status: int, code: str, message: str, details: Any = None
) -> Response:
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    from lurewatch.web.security import csrf_token  # late: security imports this module

    try:
        token = csrf_token(request)
        principal = request.state.principal
    except Exception:  # noqa: BLE001 - the error page must render even when auth failed
        token, principal = "", None
    html = request.app.state.templates.get_template("error.html").render(
        status=status,
        code=code,
        message=message,
        details=details,
        principal=principal,
        csrf=token,
        path=request.url.path,
    )
    return HTMLResponse(html, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        details = {k: v for k, v in exc.to_dict().items() if k != "error" and v is not None}
        return respond(request, 400, "invalid_input", str(exc), details)

    @app.exception_handler(LookupError)
    async def _missing(request: Request, exc: LookupError) -> Response:
        return respond(request, 404, "not_found", str(exc).strip("'\""))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return respond(
            request, 503, "store_unavailable", "the store is not available; try again later"
        )

    @app.exception_handler(LurewatchError)
    async def _lurewatch(request: Request, exc: LurewatchError) -> Response:
        return respond(request, 400, "error", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = (
            exc.detail
            if isinstance(exc.detail, str)
            else CODES.get(exc.status_code, "error").replace("_", " ")
        )
        return respond(request, exc.status_code, CODES.get(exc.status_code, "error"), message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "field": ".".join(
                    str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")
                ),
                "error": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        first = problems[0] if problems else {"field": "", "error": "invalid request"}
        message = (
            f"field '{first['field']}': {first['error']}" if first["field"] else first["error"]
        )
        return respond(request, 422, "invalid_input", message, {"problems": problems})

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(
            request, 500, "internal_error", "something went wrong on our side; it has been logged"
        )
