"""Chart geometry for server-side SVG (no JavaScript, no CDN).

Functions here compute numbers only; the `charts.html` Jinja macros draw them and escape
every label, so names and companies from the data can never inject markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    w: float
    h: float
    href: str | None = None
    tone: str = "neutral"


def hbars(
    items: Sequence[tuple[str, float]],
    *,
    width: int = 520,
    row: int = 22,
    label_w: int = 200,
    hrefs: list[str | None] | None = None,
    tones: list[str] | None = None,
) -> dict[str, Any]:
    """Horizontal bars (most suspicious accounts, targeted organisations)."""
    top = max((v for _, v in items), default=0) or 1
    span = width - label_w - 60
    bars = [
        Bar(
            label,
            value,
            label_w,
            i * row + 4,
            max(1.0, span * value / top),
            row - 8,
            (hrefs or [None] * len(items))[i],
            (tones or ["neutral"] * len(items))[i],
        )
        for i, (label, value) in enumerate(items)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(row, len(items) * row + 8),
        "label_w": label_w,
    }


def columns(
    items: list[tuple[str, dict[str, float]]],
    series: list[str],
    *,
    width: int = 560,
    height: int = 200,
) -> dict[str, Any]:
    """Stacked columns over time (assessments per week, by level)."""
    n = max(1, len(items))
    pad_l, pad_b = 36, 34
    col_w = (width - pad_l - 10) / n
    top = max((sum(v.values()) for _, v in items), default=0) or 1
    scale = (height - pad_b - 10) / top
    cols = []
    for i, (label, values) in enumerate(items):
        y = float(height - pad_b)
        parts = []
        for s in series:
            h = values.get(s, 0) * scale
            y -= h
            parts.append(
                {"series": s, "value": values.get(s, 0), "y": y, "h": h, "tone": _tone(s, series)}
            )
        cols.append(
            {
                "label": label,
                "x": pad_l + i * col_w + 2,
                "w": max(2.0, col_w - 4),
                "parts": parts,
                "total": sum(values.values()),
                "show_label": n <= 12 or i % math.ceil(n / 12) == 0,
            }
        )
    tick_values = sorted({0, math.ceil(top / 2), round(top)})
    ticks = [{"value": v, "y": height - pad_b - v * scale} for v in tick_values]
    legend = [
        {"label": s, "tone": _tone(s, series), "x": pad_l + 110 * i} for i, s in enumerate(series)
    ]
    return {
        "legend": legend,
        "cols": cols,
        "width": width,
        "height": height,
        "base": height - pad_b,
        "ticks": ticks,
        "pad_l": pad_l,
        "series": series,
    }


def network(
    center: list[str],
    rings: list[list[str]],
    links: list[tuple[str, str]],
    labels: dict[str, str],
    kinds: dict[str, str],
    *,
    size: int = 520,
) -> dict[str, Any]:
    """A radial picture: `center` nodes in the middle ring, each further ring outside it.

    Deterministic (no random layout) so screenshots and tests are stable.
    """
    c = size / 2
    pos: dict[str, tuple[float, float]] = {}
    all_rings = [center, *rings]
    for depth, ring in enumerate(all_rings):
        if not ring:
            continue
        radius = (
            0.0
            if depth == 0 and len(ring) == 1
            else (size / 2 - 40) * (0.28 + 0.72 * depth / max(1, len(all_rings) - 1))
            if len(all_rings) > 1
            else size / 3
        )
        if depth == 0 and len(ring) > 1:
            radius = size * 0.16
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) - math.pi / 2 + depth * 0.3
            pos[node] = (
                round(c + radius * math.cos(angle), 1),
                round(c + radius * math.sin(angle), 1),
            )
    nodes = [
        {"id": n, "x": x, "y": y, "label": labels.get(n, n), "kind": kinds.get(n, "other")}
        for n, (x, y) in pos.items()
    ]
    lines = [
        {"x1": pos[a][0], "y1": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]}
        for a, b in links
        if a in pos and b in pos
    ]
    return {"nodes": nodes, "links": lines, "size": size}


def _tone(name: str, series: list[str]) -> str:
    """CSS class for a series: levels keep their colours; other series get a palette slot."""
    if name in ("low", "medium", "high"):
        return f"series-{name}"
    return f"series-s{series.index(name) % 6}"
