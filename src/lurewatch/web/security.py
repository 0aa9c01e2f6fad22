"""Who is asking and what they may do: principals, role checks, CSRF, request size limits, headers.

Machines authenticate with an API key (`Authorization: Bearer lw_…` or `X-API-Key`); people
with a login session cookie. Every form POST carries a CSRF token: the session's own token
when logged in, a double-submit cookie otherwise. Cookie-authenticated API writes must send it
in `X-CSRF-Token`.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request

from lurewatch.web.auth import ANONYMOUS, ROLE_RANK, Principal, api_key_principal, session_principal
from lurewatch.web.errors import WebError, error_body

SESSION_COOKIE = "lw_session"
CSRF_COOKIE = "lw_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def resolve_principal(request: Request) -> Principal:
    """Cached per request in `request.state.principal`."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    store = request.app.state.store
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    principal = ANONYMOUS
    if key:
        with store.read() as conn:
            found = api_key_principal(conn, key)
        if found is None:
            raise WebError(401, "the API key is not valid (unknown, revoked or malformed)")
        principal = found
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token and len(token) < 200:
            with store.read() as conn:
                principal = session_principal(conn, token) or ANONYMOUS
    request.state.principal = principal
    return principal


def current(request: Request) -> Principal:
    """FastAPI dependency: the caller, anonymous allowed."""
    return resolve_principal(request)


def require(role: str) -> Callable[[Request], Principal]:
    """FastAPI dependency factory: 401 when not signed in, 403 when the role is too low."""

    def dependency(request: Request) -> Principal:
        principal = resolve_principal(request)
        if not principal.authenticated:
            raise WebError(401, "sign in first (a login session or an API key)")
        if ROLE_RANK.get(principal.role, 0) < ROLE_RANK[role]:
            raise WebError(403, f"this needs the {role} role; you are {principal.role}")
        if (
            principal.via == "session"
            and request.method not in SAFE_METHODS
            and request.url.path.startswith("/api/")
        ):
            sent = request.headers.get("x-csrf-token", "")
            if not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
                raise WebError(403, "missing or wrong X-CSRF-Token header", code="csrf_failed")
        return principal

    dependency.__name__ = f"require_{role}"
    return dependency


def csrf_token(request: Request) -> str:
    """The token forms must send back: the session's, or the double-submit cookie's."""
    principal = resolve_principal(request)
    if principal.via == "session" and principal.csrf:
        return principal.csrf
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token  # set as a cookie on the way out (see `headers_middleware`)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    principal = resolve_principal(request)
    expected = principal.csrf if principal.via == "session" else request.cookies.get(CSRF_COOKIE)
    if not expected or not sent or not hmac.compare_digest(str(sent), expected):
        raise WebError(
            403,
            "the form expired or did not come from this site; reload the page and try again",
            code="csrf_failed",
        )


class LimitsMiddleware:
    """Refuses bodies over the limit: by Content-Length before reading, or while buffering a
    chunked body that declares no length (pure ASGI, so the app never sees an oversized body).
    """

    def __init__(
        self, app: Any, *, max_body: int, max_upload: int, upload_paths: tuple[str, ...]
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_paths = upload_paths

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.max_upload if path.startswith(self.upload_paths) else self.max_body
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    await _too_large(send, "a malformed Content-Length header", 400, "bad_request")
                    return
                if size > limit:
                    await _too_large(
                        send, f"the request is {size:,} bytes; the limit here is {limit:,}"
                    )
                    return
        if any(name == b"content-length" for name, _ in scope.get("headers", [])):
            await self.app(scope, receive, send)  # the server stops at the declared length
            return
        # No length declared (chunked): read up to the limit before the app sees anything.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await _too_large(send, f"the request body is over the limit of {limit:,} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Any, message: str, status: int = 413, code: str = "too_large") -> None:
    body = json.dumps(error_body(code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HeadersMiddleware:
    """Security headers on every response, and the double-submit CSRF cookie when a page made one.

    Pure ASGI (cheaper than a decorator middleware on every request).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS:
                    if name not in present:
                        headers.append((name, value))
                if scope.get("scheme") == "https" and b"strict-transport-security" not in present:
                    # over TLS (directly or via a trusted proxy): browsers keep to https
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                new = (scope.get("state") or {}).get("new_csrf")
                if new:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    cookie = f"{CSRF_COOKIE}={new}; HttpOnly; Path=/; SameSite=strict{secure}"
                    headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


# Route dependencies (module-level so they are built once).
ANYONE = Depends(current)
MEMBER = Depends(require("member"))
ANALYST = Depends(require("analyst"))
ADMIN = Depends(require("admin"))
