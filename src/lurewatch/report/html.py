"""The self-contained HTML report of a scan: one page, no external resources, all text escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from lurewatch import __version__

_env = Environment(
    loader=PackageLoader("lurewatch.report", "templates"),
    autoescape=select_autoescape(["html"], default=True),
)


def render_scan_report(context: dict[str, Any]) -> str:
    data = {
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **context,
    }
    return _env.get_template("scan.html").render(**data)
