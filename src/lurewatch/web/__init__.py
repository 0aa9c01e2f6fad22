"""Web UI and REST API (FastAPI). Import `create_app` from here; heavy imports happen lazily."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    from lurewatch.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["create_app"]
