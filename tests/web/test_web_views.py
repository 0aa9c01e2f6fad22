"""Pure presentation helpers: quotes placed in context, chart geometry."""

from __future__ import annotations

import pytest

from lurewatch.web import charts
from lurewatch.web.views import evidence_rows, in_context, short


@pytest.mark.parametrize(
    ("text", "quote", "span", "before", "match", "after"),
    [
        (
            "We pay a generous fee for reports",
            "generous fee",
            [9, 21],
            "We pay a ",
            "generous fee",
            " for reports",
        ),
        (
            "We pay a generous fee for reports",
            "GENEROUS FEE",
            None,
            "We pay a ",
            "generous fee",
            " for reports",
        ),  # found by search
        (
            "We pay a generous fee",
            "generous fee",
            [0, 5],
            "We pay a ",
            "generous fee",
            "",
        ),  # a stale span falls back to search
        (
            "Name\nHR | Head Hunter | X\nAbout",
            "Head Hunter",
            None,
            "HR | ",
            "Head Hunter",
            " | X",
        ),  # stays in its line
    ],
)
def test_in_context(
    text: str, quote: str, span: list[int] | None, before: str, match: str, after: str
) -> None:
    q = in_context(text, quote, span)
    assert q is not None and (q.before, q.match, q.after) == (before, match, after)


def test_in_context_clips_long_text_and_handles_missing_quotes() -> None:
    text = "a " * 200 + "WhatsApp" + " b" * 200
    q = in_context(text, "WhatsApp", None, width=20)
    assert q is not None and q.clipped_start and q.clipped_end and len(q.before) < 40
    assert in_context(text, "Signal", None) is None
    assert in_context("", "x", [0, 1]) is None
    assert in_context("short", None, [0, 99]) is None


def test_evidence_rows_keep_every_item_and_add_context() -> None:
    rows = evidence_rows(
        {
            "evidence": [
                {"signal": "a.b", "strength": 0.5, "quote": "fee", "span": [4, 7]},
                {"signal": "c.d", "strength": 0.0},
            ]
        },
        "Big fee here",
    )
    assert [r["percent"] for r in rows] == [50, 0]
    assert rows[0]["context"].match == "fee" and rows[1]["context"] is None


def test_short_joins_lists_and_cuts() -> None:
    assert short(["a", "b"]) == "a; b"
    assert short("x" * 100, 10) == "x" * 9 + "…"
    assert short(None) == "" and short(0) == "0"


def test_chart_geometry() -> None:
    bars = charts.hbars([("a", 2.0), ("b", 1.0)], width=400, label_w=100)
    assert bars["bars"][0].w == pytest.approx(2 * bars["bars"][1].w)
    cols = charts.columns(
        [("2026-W01", {"high": 3, "medium": 1}), ("2026-W02", {"high": 0, "medium": 2})],
        ["medium", "high"],
    )
    assert [t["value"] for t in cols["ticks"]] == [0, 2, 4]
    first = cols["cols"][0]["parts"]
    assert first[0]["h"] + first[1]["h"] == pytest.approx(cols["base"] - cols["ticks"][-1]["y"])
    net = charts.network(
        ["c"], [["x", "y"], ["z"]], [("c", "x"), ("x", "z"), ("q", "x")], {"c": "C"}, {}
    )
    assert {n["id"] for n in net["nodes"]} == {"c", "x", "y", "z"} and len(net["links"]) == 2
    centre = next(n for n in net["nodes"] if n["id"] == "c")
    assert (centre["x"], centre["y"]) == (net["size"] / 2, net["size"] / 2)


def test_columns_legend_names_every_series() -> None:
    cols = charts.columns(
        [("2026-W01", {"government": 2, "defence": 1})], ["government", "defence"]
    )
    assert [item["label"] for item in cols["legend"]] == ["government", "defence"]
    assert cols["legend"][0]["tone"] != cols["legend"][1]["tone"]
    assert (
        charts.columns([("w", {"high": 1})], ["medium", "high"])["legend"][1]["tone"]
        == "series-high"
    )
