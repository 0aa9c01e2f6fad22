"""Turning results into what a page shows: evidence quoted in context, short labels.

Everything here returns plain strings; the templates escape them (autoescape is on), so
untrusted text is never marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CONTEXT_CHARS = 90


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quote inside its surrounding text: the page shows before + <mark>match</mark> + after."""

    before: str
    match: str
    after: str
    clipped_start: bool
    clipped_end: bool


def in_context(
    text: str,
    quote: str | None,
    span: list[int] | tuple[int, int] | None,
    width: int = CONTEXT_CHARS,
) -> Quoted | None:
    """Finds the quote in the checked text (by its span, else by search) with `width` characters around it."""
    if not text:
        return None
    start = end = None
    if span and len(span) == 2:
        s, e = int(span[0]), int(span[1])
        if 0 <= s < e <= len(text) and (not quote or text[s:e].casefold() == quote.casefold()):
            start, end = s, e
    if start is None and quote:
        at = text.casefold().find(quote.casefold())
        if at >= 0 and len(text.casefold()) == len(text):
            start, end = at, at + len(quote)
    if start is None or end is None:
        return None
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    # widen to word boundaries so the context does not start mid-word
    while lo > 0 and not text[lo - 1].isspace() and start - lo < width + 15:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < width + 15:
        hi += 1
    # keep the context inside the quote's own line (a profile's field, a message's paragraph)
    line_start = text.rfind("\n", lo, start)
    if line_start >= 0:
        lo = line_start + 1
    line_end = text.find("\n", end, hi)
    if line_end >= 0:
        hi = line_end
    clipped_start = lo > 0 and text[lo - 1] != "\n"
    clipped_end = hi < len(text) and text[hi] != "\n"
    return Quoted(text[lo:start], text[start:end], text[end:hi], clipped_start, clipped_end)


def evidence_rows(assessment: dict[str, Any], text: str | None) -> list[dict[str, Any]]:
    """The assessment's evidence with, for each, the quote placed in the checked text."""
    rows = []
    for ev in assessment.get("evidence", []):
        quoted = in_context(text or "", ev.get("quote"), ev.get("span")) if text else None
        rows.append({**ev, "context": quoted, "percent": round(100 * float(ev.get("strength", 0)))})
    return rows


def verdict_words(level: str) -> str:
    return {
        "high": "Likely a cover approach",
        "medium": "Suspicious: check before you answer",
        "low": "No strong sign of a cover approach",
    }.get(level, level)


def short(text: Any, n: int = 80) -> str:
    """One line of at most n characters; lists are joined with '; ' (campaign reasons, artifacts)."""
    if isinstance(text, list | tuple):
        text = "; ".join(short(t, n) for t in text)
    elif isinstance(text, dict):
        text = "; ".join(f"{k}: {v}" for k, v in text.items())
    value = " ".join(str(text if text is not None else "").split())
    return value if len(value) <= n else value[: n - 1] + "…"
