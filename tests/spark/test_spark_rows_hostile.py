"""The Spark job parses lines with the same validation as `ingest`: hostile values are rejects.

Pure Python (no Spark session): `rows.parse_lines` is what the executors run on each line.
"""

from __future__ import annotations

import json

from lurewatch.engine.spark import rows

LINES = [
    b'{"kind": "message", "id": 1' + b"0" * 4400 + b', "text": "x"}',
    b'{"kind": "message", "id": "m", "text": "a\\ud800"}',
    b'{"kind": "account", "id": "a", "created_at": 1e300}',
    b'{"kind": "message", "id": "n", "text": NaN}',
    b'{"kind": "message", "id": "a\\ud800", "text": "x", "sent_at": 1e18}',
    b'{"kind": "message", "id": "ok", "text": "fine"}',
]


def test_hostile_lines_are_located_rejects_and_storable() -> None:
    out = list(rows.parse_lines((1, "f.jsonl", i, raw) for i, raw in enumerate(LINES, 1)))
    parsed = [dict(zip(rows.PARSED, r, strict=True)) for r in out]
    assert [p["line"] for p in parsed] == list(range(1, len(LINES) + 1))
    assert [p["error"] is None for p in parsed] == [False] * (len(LINES) - 1) + [True]
    assert [p["field"] for p in parsed[:5]] == [None, "text", "created_at", None, "id"]
    assert parsed[4]["id"] is None  # a lone surrogate id is not echoed into the reject row
    for p in parsed:  # every column can be written to Parquet as UTF-8
        json.dumps(p, ensure_ascii=False).encode("utf-8")
