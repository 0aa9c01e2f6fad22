"""Scaling: `lurewatch ingest` + `lurewatch analyze` (whole processes) on growing generated feeds.

Feeds from `benchmarks/feedgen.py` (10 messages and ~10 connections per account, SMS-proxy
texts in EN/DE/FR read at run time + invented lure templates), cached under
$LUREWATCH_BENCH_CACHE (default /tmp/scale-cache). Per size: wall seconds, CPU seconds of the
two processes (the 2-core machine is shared, so wall time carries other people's load),
records/s, peak RSS. Baseline in the same run, on the same feed: the floor of reading and
storing it — `json.loads` per line and one stdlib `sqlite3` `executemany` into a bare table
(no validation, no idempotence, no analysis).

    .venv/bin/python -m benchmarks.bench_scale [ACCOUNTS ...]   # default 1000 5000 20000
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import feedgen

REPO = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("LUREWATCH_BENCH_OUT", REPO / "docs" / "benchmarks" / "scale.md"))
# another checkout's src/ to measure (e.g. the engine before the speed work), same feeds
SRC = os.environ.get("LUREWATCH_BENCH_SRC", str(REPO / "src"))
CACHE = Path(os.environ.get("LUREWATCH_BENCH_CACHE", "/tmp/scale-cache"))
LUREWATCH = Path(sys.executable).parent / "lurewatch"
SIZES = [1000, 5000, 20000]


def _run(args: list[str]) -> dict[str, float]:
    """Runs one process; its wall and CPU seconds and peak RSS (MB), from wait4's rusage."""
    env = {**os.environ, "PYTHONPATH": SRC}
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
    }


def baseline(feed: Path, db: Path) -> dict[str, float]:
    """json.loads + one sqlite3 executemany: the floor of reading and storing the feed."""
    db.unlink(missing_ok=True)
    c0, t0 = time.process_time(), time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE r (id TEXT PRIMARY KEY, kind TEXT, data TEXT)")
    with feed.open(encoding="utf-8") as fh:
        rows = ((d["id"], d["kind"], json.dumps(d)) for d in map(json.loads, fh))
        con.executemany("INSERT INTO r VALUES (?, ?, ?)", rows)
    con.commit()
    con.close()
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def measure(accounts: int) -> dict[str, float]:
    CACHE.mkdir(parents=True, exist_ok=True)
    feed = CACHE / f"feed-{accounts}.jsonl"
    if not feed.exists():
        feedgen.write(feed, accounts, seed=0)
    records = sum(1 for _ in feed.open(encoding="utf-8"))
    db = CACHE / f"bench-{accounts}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    ingest = _run([str(LUREWATCH), "--db", str(db), "ingest", str(feed)])
    analyze = _run([str(LUREWATCH), "--db", str(db), "analyze", "--format", "json"])
    base = baseline(feed, CACHE / f"baseline-{accounts}.db")
    row = {
        "accounts": accounts,
        "records": records,
        "ingest_wall": ingest["wall"],
        "analyze_wall": analyze["wall"],
        "wall": ingest["wall"] + analyze["wall"],
        "cpu": ingest["cpu"] + analyze["cpu"],
        "rss": max(ingest["rss"], analyze["rss"]),
        "base_wall": base["wall"],
        "base_cpu": base["cpu"],
    }
    print(json.dumps(row), flush=True)
    return row


def report(rows: list[dict[str, float]]) -> str:
    lines = [
        "# Scaling benchmark: ingest + analyze on growing platform feeds",
        "",
        f"Run on {platform.node() or 'this machine'} ({os.cpu_count()} CPUs, shared with other "
        f"jobs), Python {platform.python_version()}; `make bench` or "
        "`.venv/bin/python -m benchmarks.bench_scale [ACCOUNTS ...]`. Feeds from "
        "`benchmarks/feedgen.py` (seed 0): per account 1 profile, 10 messages (SMS-proxy texts "
        "in EN/DE/FR from ../shared/data, 2% fake accounts sending invented lure templates) and "
        "5 outgoing connections (~10 per account). SQLite store. Each command is a whole "
        "process (`lurewatch ingest FEED`, then `lurewatch analyze`). *CPU s* is the CPU time "
        "of both processes (and their workers): the machine is shared, so wall time includes "
        "other people's load; cost per record is judged on CPU µs/record.",
        "",
        "Baseline, same run, same feed: `json.loads` of each line and one stdlib `sqlite3` "
        "`executemany` into a bare table — the floor of reading and storing, with no "
        "validation and no analysis.",
        "",
        "| accounts | records | ingest s | analyze s | wall s | records/s (wall) | CPU s "
        "| CPU µs/record | peak RSS MB | baseline CPU s | × baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['accounts']:,} | {r['records']:,} | {r['ingest_wall']:.1f} "
            f"| {r['analyze_wall']:.1f} | {r['wall']:.1f} | {r['records'] / r['wall']:,.0f} "
            f"| {r['cpu']:.1f} | {1e6 * r['cpu'] / r['records']:,.0f} | {r['rss']:.0f} "
            f"| {r['base_cpu']:.2f} | {r['cpu'] / max(r['base_cpu'], 1e-9):.0f}× |"
        )
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        growth = (b["cpu"] / b["records"]) / (a["cpu"] / a["records"])
        per_rec = b["cpu"] / b["records"]
        goal = 21e6  # 1M accounts, 10M messages, 10M edges
        lines += [
            "",
            f"Cost per record from {a['records']:,} to {b['records']:,} records: ×{growth:.2f} "
            "(1.00 = flat).",
            f"Goal: 1M accounts, 10M messages and 10M edges (~21M records) in 30 minutes on 2 "
            f"cores, i.e. ≤ {2 * 1800 / goal * 1e6:.0f} CPU µs/record with both cores busy "
            f"(≤ {1800 / goal * 1e6:.0f} on one). At {1e6 * per_rec:,.0f} CPU µs/record that "
            f"feed would take {goal * per_rec / 3600:.1f} CPU hours: "
            f"{per_rec / (2 * 1800 / goal):.0f}× too slow with both cores, "
            f"{per_rec / (1800 / goal):.0f}× on the one core used today.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    sizes = [int(a) for a in argv if a.isdigit()] or SIZES
    rows = [measure(n) for n in sizes]
    table = report(rows)
    culprits = OUT.read_text(encoding="utf-8").split("\n## ", 1) if OUT.exists() else []
    tail = "\n## " + culprits[1] if len(culprits) == 2 else ""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table + tail, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
