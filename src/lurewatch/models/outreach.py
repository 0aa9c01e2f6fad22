"""Reads the real outreach corpus (../shared/data/messages/real_outreach/*.jsonl) into rows.

Each item is a real message quoted from a public page; `source` names that page. The group key
(which no split may cut) is the source's repository (GitHub) or host + path (elsewhere), so the
personas of one researcher's collection, or the several quotes of one article, stay on one side;
items whose texts start alike (one template sent to several people) are joined to one group too.
A malformed line is reported (file, line, field) and skipped; the rest is read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from lurewatch.models.datasets import TextRow
from lurewatch.signals.views import clean_text

OUTREACH_DIR = Path("messages") / "real_outreach"
PROXY = "outreach"
LABELS = {"approach": 1, "legitimate": 0}
TEMPLATE_PREFIX_WORDS = 8  # texts whose first 8 words match are one template


def source_group(source: str) -> str:
    """The unit no split may cut: a GitHub repository, else host + path (no query, no anchor)."""
    source = (source or "").strip()
    m = re.search(r"github\.com/([^/\s]+)/([^/\s#?]+)", source, re.IGNORECASE)
    if m:
        return f"github:{m.group(1).lower()}/{m.group(2).lower()}"
    if re.match(r"https?://", source, re.IGNORECASE):
        parts = urlsplit(source)
        host = parts.netloc.lower().removeprefix("www.")
        return f"web:{host}{parts.path.rstrip('/').lower()}"
    return "other:" + re.sub(r"\s+", " ", source.lower())[:200]


def _prefix(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower())[:TEMPLATE_PREFIX_WORDS])


def load_outreach(data_dir: Path, warn: Callable[[str], None] | None = None) -> list[TextRow]:
    """All items of every `*.jsonl` file, in file and line order, with merged group keys."""
    warn = warn or (lambda line: print(f"lurewatch: {line}", file=sys.stderr))
    folder = Path(data_dir) / OUTREACH_DIR
    rows: list[TextRow] = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8", errors="replace") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                row = _row(line, f"{path.name}, line {number}", warn)
                if row is not None:
                    rows.append(row)
    return _merge_templates(rows)


def _row(line: str, where: str, warn: Callable[[str], None]) -> TextRow | None:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        warn(f"{where}: not valid JSON ({exc.msg}); skipped")
        return None
    if not isinstance(rec, dict):
        warn(f"{where}: not a JSON object; skipped")
        return None
    label = LABELS.get(str(rec.get("label") or "").strip().lower())
    if label is None:
        warn(f"{where}: field 'label' must be 'approach' or 'legitimate'; skipped")
        return None
    text = rec.get("text")
    text = clean_text(text) if isinstance(text, str) else ""
    if not text:
        warn(f"{where}: field 'text' is empty or missing; skipped")
        return None
    source = str(rec.get("source") or rec.get("id") or where)
    return TextRow(
        text=text,
        label=label,
        proxy=PROXY,
        language=str(rec.get("lang") or "und").strip().lower() or "und",
        group=source_group(source),
        kind=str(rec.get("family") or "unknown").strip().lower() or "unknown",
        source=source,
    )


def _merge_templates(rows: list[TextRow]) -> list[TextRow]:
    """Joins the groups of items that share a template opening (union-find over group keys)."""
    parent: dict[str, str] = {}

    def find(g: str) -> str:
        while parent.get(g, g) != g:
            g = parent[g]
        return g

    first_group: dict[str, str] = {}
    for row in rows:
        key = _prefix(row.text)
        if len(key.split()) < TEMPLATE_PREFIX_WORDS:
            continue  # a short text: a shared opening says nothing
        if key in first_group:
            a, b = sorted((find(first_group[key]), find(row.group)))
            if a != b:
                parent[b] = a
        else:
            first_group[key] = row.group
    from dataclasses import replace

    return [replace(r, group=find(r.group)) for r in rows]
