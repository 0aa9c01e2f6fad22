"""A TAXII 2.1 server over the store: discovery, API root, collections, objects, manifest, status.

`taxii_router(store, auth=...)` is a FastAPI `APIRouter` (mount it in the web app);
`create_taxii_app(store, auth=...)` wraps it in a standalone app (`lurewatch intel
serve-taxii`). Every response uses the TAXII media type; requests that do not accept it get
406, pushes that are not TAXII JSON get 415. Objects are paged in the order they were added
(`limit`, opaque `next`), filtered by `added_after` and `match[id|type|version]`.
Authentication is HTTP Basic or an API key (`Authorization: Bearer KEY` or `X-API-Key`).
"""

from __future__ import annotations

import base64
import hmac
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from lurewatch.errors import InputError
from lurewatch.intel.repository import (
    ensure_collections,
    get_collection,
    get_objects,
    import_parsed,
    list_collections,
)
from lurewatch.intel.stix_in import parse_bundle
from lurewatch.intel.stix_out import timestamp
from lurewatch.store import Store

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
API_ROOT = "api1"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_CONTENT_LENGTH = 50_000_000

Authenticator = Callable[[Request], bool]


def basic_auth(user: str, password: str) -> Authenticator:
    """HTTP Basic authentication against one configured user (constant-time comparison)."""
    expected = base64.b64encode(f"{user}:{password}".encode()).decode()

    def check(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Basic ") and hmac.compare_digest(header[6:].strip(), expected)

    return check


def api_key_auth(keys: set[str]) -> Authenticator:
    """API keys in `Authorization: Bearer KEY` or `X-API-Key: KEY`."""

    def check(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        given = (
            header[7:].strip()
            if header.startswith("Bearer ")
            else request.headers.get("x-api-key", "")
        )
        return bool(given) and any(hmac.compare_digest(given, k) for k in keys)

    return check


def any_of(*checks: Authenticator) -> Authenticator:
    return lambda request: any(c(request) for c in checks)


def no_auth(_request: Request) -> bool:
    """For tests and a loopback-only demo; never for a server others can reach."""
    return True


def _taxii(content: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(content, ensure_ascii=False, default=str),
        status_code=status_code,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _error(
    status: int, title: str, description: str = "", headers: dict[str, str] | None = None
) -> Response:
    body = {"title": title, "description": description, "http_status": str(status)}
    return _taxii(body, status, headers)


def _stamp(value: Any) -> str:
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return timestamp(value)


def _parse_time(value: str, name: str) -> datetime:
    try:
        text = value.strip().replace("Z", "+00:00")
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a timestamp: {value!r}", field=name) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def taxii_router(
    store: Store,
    *,
    auth: Authenticator,
    title: str = "lurewatch TAXII 2.1",
    prefix: str = "/taxii2",
) -> APIRouter:
    """The TAXII endpoints under `prefix` (discovery at `{prefix}/`, API root at `{prefix}/api1/`)."""
    router = APIRouter(prefix=prefix)
    statuses: OrderedDict[str, dict[str, Any]] = OrderedDict()
    lock = threading.Lock()
    with store.write() as conn:
        ensure_collections(conn)

    def guard(request: Request, *, writing: bool = False) -> Response | None:
        if not auth(request):
            return _error(
                401,
                "Unauthorized",
                "Give HTTP Basic credentials or an API key.",
                {"WWW-Authenticate": 'Basic realm="taxii"'},
            )
        accept = request.headers.get("accept", "")
        if accept and not any(m in accept for m in ("application/taxii+json", "*/*")):
            return _error(406, "Not Acceptable", f"This server answers in {MEDIA_TYPE}.")
        if "version=" in accept and "version=2.1" not in accept and "*/*" not in accept:
            return _error(406, "Not Acceptable", "Only TAXII 2.1 is served.")
        if writing:
            ctype = request.headers.get("content-type", "")
            if not ctype.startswith("application/taxii+json"):
                return _error(415, "Unsupported Media Type", f"Send {MEDIA_TYPE}.")
        return None

    def collection_resource(col: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": col["id"],
            "title": col["title"],
            "description": col.get("description") or "",
            "can_read": bool(col["can_read"]),
            "can_write": bool(col["can_write"]),
            "media_types": [STIX_MEDIA_TYPE],
        }

    def find(collection_id: str) -> dict[str, Any] | None:
        with store.read() as conn:
            return get_collection(conn, collection_id)

    @router.get("/")
    def discovery(request: Request) -> Response:
        if (err := guard(request)) is not None:
            return err
        root = str(request.url_for("taxii_api_root", api_root=API_ROOT))
        return _taxii(
            {
                "title": title,
                "description": "Suspected cover profiles, front companies and lure campaigns (lurewatch).",
                "default": root,
                "api_roots": [root],
            }
        )

    @router.get("/{api_root}/", name="taxii_api_root")
    def api_root_info(request: Request, api_root: str) -> Response:
        if (err := guard(request)) is not None:
            return err
        if api_root != API_ROOT:
            return _error(404, "Not Found", f"no API root {api_root!r}")
        return _taxii(
            {
                "title": title,
                "description": "lurewatch intelligence exchange",
                "versions": [MEDIA_TYPE],
                "max_content_length": MAX_CONTENT_LENGTH,
            }
        )

    @router.get("/{api_root}/collections/")
    def collections(request: Request, api_root: str) -> Response:
        if (err := guard(request)) is not None:
            return err
        if api_root != API_ROOT:
            return _error(404, "Not Found", f"no API root {api_root!r}")
        with store.read() as conn:
            cols = list_collections(conn)
        return _taxii({"collections": [collection_resource(c) for c in cols]})

    @router.get("/{api_root}/collections/{collection_id}/")
    def collection(request: Request, api_root: str, collection_id: str) -> Response:
        if (err := guard(request)) is not None:
            return err
        col = find(collection_id) if api_root == API_ROOT else None
        if col is None:
            return _error(404, "Not Found", f"no collection {collection_id!r}")
        return _taxii(collection_resource(col))

    def _query(
        request: Request, collection_id: str, object_id: str | None = None
    ) -> tuple[list[Any], bool, Response | None]:
        params = request.query_params
        try:
            limit = min(MAX_LIMIT, max(1, int(params.get("limit") or DEFAULT_LIMIT)))
            after_seq = int(params["next"]) if params.get("next") else None
            added_after = (
                _parse_time(params["added_after"], "added_after")
                if params.get("added_after")
                else None
            )
        except (ValueError, InputError) as exc:
            return [], False, _error(400, "Bad Request", str(exc))
        ids = (
            [object_id]
            if object_id
            else [v for v in (params.get("match[id]") or "").split(",") if v]
        )
        types = [v for v in (params.get("match[type]") or "").split(",") if v]
        versions = params.get("match[version]") or "last"
        mode = versions if versions in ("last", "first", "all") else "all"
        with store.read() as conn:
            rows, more = get_objects(
                conn,
                collection_id,
                added_after=added_after,
                after_seq=after_seq,
                limit=limit,
                ids=ids or None,
                types=types or None,
                versions=mode,
            )
        if mode == "all" and versions != "all":
            wanted = {_stamp(_parse_time(v, "match[version]")) for v in versions.split(",") if v}
            rows = (
                [r for r in rows if _stamp(_parse_time(r.version, "version")) in wanted]
                if wanted
                else rows
            )
        return rows, more, None

    def _readable(
        request: Request, api_root: str, collection_id: str
    ) -> tuple[dict[str, Any] | None, Response | None]:
        if (err := guard(request)) is not None:
            return None, err
        col = find(collection_id) if api_root == API_ROOT else None
        if col is None:
            return None, _error(404, "Not Found", f"no collection {collection_id!r}")
        if not col["can_read"]:
            return None, _error(403, "Forbidden", "this collection cannot be read")
        return col, None

    def _headers(rows: list[Any]) -> dict[str, str]:
        if not rows:
            return {}
        stamps = sorted(_stamp(r.date_added) for r in rows)
        return {"X-TAXII-Date-Added-First": stamps[0], "X-TAXII-Date-Added-Last": stamps[-1]}

    def _envelope(rows: list[Any], more: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"more": more}
        if more and rows:
            out["next"] = str(rows[-1].seq)
        if rows:
            out["objects"] = [r.data for r in rows]
        return out

    @router.get("/{api_root}/collections/{collection_id}/objects/")
    def get_objects_endpoint(request: Request, api_root: str, collection_id: str) -> Response:
        _col, err = _readable(request, api_root, collection_id)
        if err is not None:
            return err
        rows, more, err = _query(request, collection_id)
        if err is not None:
            return err
        return _taxii(_envelope(rows, more), headers=_headers(rows))

    @router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/")
    def get_object_endpoint(
        request: Request, api_root: str, collection_id: str, object_id: str
    ) -> Response:
        _col, err = _readable(request, api_root, collection_id)
        if err is not None:
            return err
        rows, more, err = _query(request, collection_id, object_id)
        if err is not None:
            return err
        if not rows and not request.query_params.get("next"):
            return _error(404, "Not Found", f"no object {object_id!r} in this collection")
        return _taxii(_envelope(rows, more), headers=_headers(rows))

    @router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/versions/")
    def versions_endpoint(
        request: Request, api_root: str, collection_id: str, object_id: str
    ) -> Response:
        _col, err = _readable(request, api_root, collection_id)
        if err is not None:
            return err
        with store.read() as conn:
            rows, more = get_objects(
                conn, collection_id, ids=[object_id], versions="all", limit=MAX_LIMIT
            )
        if not rows:
            return _error(404, "Not Found", f"no object {object_id!r} in this collection")
        return _taxii(
            {
                "more": more,
                "versions": [
                    _stamp(_parse_time(r.version, "version"))
                    if r.version != "unversioned"
                    else _stamp(r.date_added)
                    for r in rows
                ],
            },
            headers=_headers(rows),
        )

    @router.get("/{api_root}/collections/{collection_id}/manifest/")
    def manifest_endpoint(request: Request, api_root: str, collection_id: str) -> Response:
        _col, err = _readable(request, api_root, collection_id)
        if err is not None:
            return err
        rows, more, err = _query(request, collection_id)
        if err is not None:
            return err
        out: dict[str, Any] = {"more": more}
        if more and rows:
            out["next"] = str(rows[-1].seq)
        if rows:
            out["objects"] = [
                {
                    "id": r.stix_id,
                    "date_added": _stamp(r.date_added),
                    "version": r.data.get("modified")
                    or r.data.get("created")
                    or _stamp(r.date_added),
                    "media_type": STIX_MEDIA_TYPE,
                }
                for r in rows
            ]
        return _taxii(out, headers=_headers(rows))

    @router.post("/{api_root}/collections/{collection_id}/objects/")
    async def add_objects_endpoint(request: Request, api_root: str, collection_id: str) -> Response:
        if (err := guard(request, writing=True)) is not None:
            return err
        col = find(collection_id) if api_root == API_ROOT else None
        if col is None:
            return _error(404, "Not Found", f"no collection {collection_id!r}")
        if not col["can_write"]:
            return _error(403, "Forbidden", "this collection does not accept objects")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_CONTENT_LENGTH:
            return _error(413, "Payload Too Large", f"at most {MAX_CONTENT_LENGTH} bytes")
        body = await request.body()
        if len(body) > MAX_CONTENT_LENGTH:
            return _error(413, "Payload Too Large", f"at most {MAX_CONTENT_LENGTH} bytes")
        requested = _stamp(datetime.now(UTC))
        try:
            parsed = parse_bundle(body, source="TAXII push")
        except InputError as exc:
            return _error(422, "Unprocessable Entity", str(exc))
        import_parsed(
            store,
            parsed,
            f"push:{request.client.host if request.client else 'unknown'}",
            collection_id,
        )
        successes = [
            {"id": o["id"], "version": o.get("modified") or o.get("created") or requested}
            for o in parsed.objects
        ]
        failures = [{"id": str(r.field or ""), "message": r.message} for r in parsed.rejected]
        status_id = str(uuid.uuid4())
        status: dict[str, Any] = {
            "id": status_id,
            "status": "complete",
            "request_timestamp": requested,
            "total_count": len(successes) + len(failures),
            "success_count": len(successes),
            "successes": successes,
            "failure_count": len(failures),
            "failures": failures,
            "pending_count": 0,
            "pendings": [],
        }
        with lock:
            statuses[status_id] = status
            while len(statuses) > 1000:
                statuses.popitem(last=False)
        return _taxii(status, 202)

    @router.get("/{api_root}/status/{status_id}/")
    def status_endpoint(request: Request, api_root: str, status_id: str) -> Response:
        if (err := guard(request)) is not None:
            return err
        with lock:
            status = statuses.get(status_id)
        if status is None or api_root != API_ROOT:
            return _error(404, "Not Found", f"no status {status_id!r}")
        return _taxii(status)

    return router


def create_taxii_app(
    store: Store, *, auth: Authenticator, title: str = "lurewatch TAXII 2.1"
) -> FastAPI:
    """A standalone TAXII 2.1 app (the web app mounts `taxii_router` instead)."""
    app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(taxii_router(store, auth=auth, title=title))

    @app.exception_handler(404)
    async def not_found(_request: Request, _exc: Exception) -> Response:
        return _error(404, "Not Found", "no such TAXII resource")

    @app.exception_handler(405)
    async def not_allowed(_request: Request, _exc: Exception) -> Response:
        return _error(405, "Method Not Allowed")

    return app
