"""Ingest throughput: parsing a LinkedIn archive and a JSONL feed, then storing records idempotently.

Baselines, measured in the same run on the same files: the standard library's `csv.DictReader`
over the archive's messages.csv (no validation, no records), `json.loads` over the feed, and a
bare SQLAlchemy `executemany` insert of the same rows (no idempotence check).
Run: `.venv/bin/python -m benchmarks.bench_ingest [N]`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "docs" / "benchmarks" / "ingest.md"


def texts(n: int) -> list[str]:
    rows = [
        ln.split("\t", 1)[1]
        for ln in (DATA / "messages/sms_spam_uci/SMSSpamCollection")
        .read_text(encoding="utf-8", errors="replace")
        .splitlines()
        if "\t" in ln
    ]
    rnd = random.Random(0)
    return [rnd.choice(rows) for _ in range(n)]


def make_archive(path: Path, n: int) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "SUBJECT",
            "CONTENT",
            "FOLDER",
        ]
    )
    for i, t in enumerate(texts(n)):
        w.writerow(
            [
                f"c{i % 5000}",
                "",
                f"Person {i % 3000}",
                f"https://www.linkedin.com/in/p{i % 3000}",
                "Me Myself",
                "https://www.linkedin.com/in/me",
                "2025-03-01 10:00:00 UTC",
                "",
                t,
                "INBOX",
            ]
        )
    content = "\ufeff" + buf.getvalue()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("messages.csv", content)
    return content


def make_feed(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate(texts(n)):
            f.write(
                json.dumps(
                    {
                        "kind": "message",
                        "id": f"m{i}",
                        "sender": f"a{i % 3000}",
                        "recipients": [f"r{i % 7000}"],
                        "text": t,
                        "sent_at": "2025-03-01T10:00:00Z",
                    }
                )
                + "\n"
            )


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main(n: int | None = None) -> None:
    from sqlalchemy import create_engine

    from lurewatch.engine.service import ingest_sources
    from lurewatch.ingest import open_source
    from lurewatch.store import Store
    from lurewatch.store.tables.core import messages

    n = n or int(os.environ.get("BENCH_INGEST_N", "50000"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        archive = tmpdir / "export.zip"
        content = make_archive(archive, n)
        feed = tmpdir / "feed.jsonl"
        make_feed(feed, n)

        t_csv, _ = timed(
            lambda: sum(1 for _ in csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
        )
        t_archive, count = timed(lambda: sum(1 for _ in open_source(archive)))
        rows.append(
            (
                "archive messages.csv → records (`open_source`)",
                n,
                t_archive,
                "csv.DictReader",
                t_csv,
            )
        )

        t_json, _ = timed(
            lambda: sum(1 for line in feed.open(encoding="utf-8") if json.loads(line))
        )
        t_feed, _ = timed(lambda: sum(1 for _ in open_source(feed)))
        rows.append(
            (
                "JSONL feed → validated records (`open_source`)",
                n,
                t_feed,
                "json.loads per line",
                t_json,
            )
        )

        store = Store(f"sqlite:///{tmpdir / 'lw.db'}")
        t_store, _ = timed(lambda: ingest_sources(store, [feed]))
        t_again, _ = timed(lambda: ingest_sources(store, [feed]))
        raw = create_engine(f"sqlite:///{tmpdir / 'raw.db'}")
        messages.metadata.create_all(raw, tables=[messages])
        recs = [json.loads(line) for line in feed.open(encoding="utf-8")]

        def bare() -> None:
            from datetime import UTC, datetime

            now = datetime.now(UTC)
            with raw.begin() as conn:
                conn.execute(
                    messages.insert(),
                    [
                        {
                            "id": r["id"],
                            "sender": r["sender"],
                            "text": r["text"],
                            "data": r,
                            "content_hash": "",
                            "ingested_at": now,
                        }
                        for r in recs
                    ],
                )

        t_bare, _ = timed(bare)
        rows.append(
            (
                "feed → SQLite store, first ingest (`ingest_sources`)",
                n,
                t_store,
                "bare executemany insert",
                t_bare,
            )
        )
        rows.append(
            (
                "feed → SQLite store, same feed again (adds nothing)",
                n,
                t_again,
                "bare executemany insert",
                t_bare,
            )
        )
    lines = [
        "# Benchmark: ingest",
        "",
        f"Regenerate: `.venv/bin/python -m benchmarks.bench_ingest` (N={n:,} messages from the shared SMS proxy texts).",
        "",
        "| run | input rows | seconds | rows/s | baseline (same run) | baseline s | time vs baseline |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for label, k, t, base_label, base in rows:
        lines.append(
            f"| {label} | {k:,} | {t:.2f} | {k / t:,.0f} | {base_label} | {base:.2f} | {t / base:.1f}× |"
        )
    lines += [
        "",
        "The gap to the baselines is validation, stable ids, located errors and the idempotence check.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
