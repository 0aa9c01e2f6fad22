"""The FastAPI application factory: one store, one Assessor, the API and the pages.

`create_app(settings, store=None)` opens the store from `settings.db_url` unless one is
given (tests pass an in-memory or PostgreSQL store). The Assessor is built on first use and
shared by every request, exactly as the CLI builds it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from lurewatch import __version__
from lurewatch.store import Store
from lurewatch.web import errors
from lurewatch.web.data import OptionalTables
from lurewatch.web.security import HeadersMiddleware, LimitsMiddleware

if TYPE_CHECKING:
    from lurewatch.engine.assessor import Assessor
    from lurewatch.settings import Settings

HERE = Path(__file__).resolve().parent
MAX_BODY = 1 * 1024 * 1024  # JSON and forms
MAX_UPLOAD = 50 * 1024 * 1024  # archives and feeds
UPLOAD_PATHS = ("/api/v1/ingest", "/report")
log = logging.getLogger("lurewatch.web")


def templates_env() -> Environment:
    """Autoescape on for every template: untrusted text is escaped wherever it is shown."""
    from lurewatch.web import views

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(verdict_words=views.verdict_words, short=views.short, version=__version__)
    return env


def create_app(
    settings: Settings,
    store: Store | None = None,
    *,
    assessor: Assessor | None = None,
    max_body: int = MAX_BODY,
    max_upload: int = MAX_UPLOAD,
) -> FastAPI:
    app = FastAPI(
        title="lurewatch",
        version=__version__,
        description="Finds fake professional-network cover profiles and the lure messages they send. "
        "Every verdict comes with its evidence and advice. Authenticate with `Authorization: Bearer <API key>`.",
        docs_url=None,  # Swagger UI loads from a CDN: we serve our own page at /api instead
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.db_url)
    app.state.templates = templates_env()
    app.state.optional = OptionalTables()
    app.state.limits = {"max_body": max_body, "max_upload": max_upload}
    from lurewatch.web.throttle import LoginThrottle

    app.state.login_throttle = LoginThrottle()

    lock = threading.Lock()
    holder: dict[str, Assessor | None] = {"assessor": assessor}

    def get_assessor() -> Assessor:
        if holder["assessor"] is None:
            with lock:
                if holder["assessor"] is None:
                    from lurewatch.engine.assembly import build_assessor

                    holder["assessor"] = build_assessor(settings, app.state.store)
        assert holder["assessor"] is not None
        return holder["assessor"]

    def reset_assessor() -> None:
        if assessor is None:  # an injected assessor stays
            holder["assessor"] = None

    app.state.assessor = get_assessor
    app.state.reset_assessor = reset_assessor

    errors.install(app)
    app.add_middleware(HeadersMiddleware)
    app.add_middleware(
        LimitsMiddleware, max_body=max_body, max_upload=max_upload, upload_paths=UPLOAD_PATHS
    )

    from lurewatch.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    _mount_taxii(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` and `lurewatch serve --workers N`: settings from LUREWATCH_*."""
    from lurewatch.settings import Settings

    return create_app(Settings.from_env())


def _mount_taxii(app: FastAPI) -> None:
    """The intel capability's TAXII 2.1 endpoints at /taxii2/, for analysts (API key or session)."""
    try:
        from lurewatch.intel.taxii_server import taxii_router
    except ImportError:
        return

    def analyst_only(request: Request) -> bool:
        from lurewatch.web.errors import WebError
        from lurewatch.web.security import resolve_principal

        try:
            return resolve_principal(request).at_least("analyst")
        except WebError:
            return False

    try:
        app.include_router(taxii_router(app.state.store, auth=analyst_only))
    except Exception as exc:  # noqa: BLE001 - an optional add-on must not stop the UI
        log.warning("TAXII endpoints not mounted: %s", exc)
