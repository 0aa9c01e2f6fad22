"""Load test of the web check API on loopback: requests/s and latency percentiles, 0 errors.

A real `lurewatch serve` (uvicorn, one process) on 127.0.0.1; N concurrent clients POST
/api/v1/check with real SMS texts (UCI SMS Spam Collection from ../shared/data, else the
bundled sample feed). Bounded by a request count and a time limit.

Baselines measured in the same run:
  * in-process: the same Assessor (same store and plugins) on the same texts, no HTTP,
  * HTTP floor: GET /api/v1/health through the same server and clients (no detection).

Run: `.venv/bin/python -m benchmarks.bench_web [REQUESTS] [CONCURRENCY] [WORKERS]` (default 600, 8, 1).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "docs" / "benchmarks" / "web.md"
TIME_LIMIT_S = 120.0


def texts(n: int) -> tuple[list[str], str]:
    sms = DATA / "messages" / "sms_spam_uci" / "SMSSpamCollection"
    if sms.exists():
        rows = [
            line.split("\t", 1)[1]
            for line in sms.read_text(encoding="utf-8", errors="replace").splitlines()
            if "\t" in line
        ]
        origin = "UCI SMS Spam Collection (../shared/data)"
    else:
        feed = REPO / "src" / "lurewatch" / "data" / "sample" / "feed.jsonl"
        rows = [
            json.loads(x).get("text", "") for x in feed.read_text(encoding="utf-8").splitlines()
        ]
        rows = [r for r in rows if r]
        origin = "bundled sample feed (invented)"
    return [rows[i % len(rows)] for i in range(n)], origin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def load(
    url: str, method: str, bodies: list[dict | None], concurrency: int
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[dict | None] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    deadline = time.perf_counter() + TIME_LIMIT_S

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty() and time.perf_counter() < deadline:
            body = queue.get_nowait()
            start = time.perf_counter()
            try:
                r = await client.request(method, url, json=body)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += 0 if ok else 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * pct(latencies, 50),
        "p95_ms": 1000 * pct(latencies, 95),
        "p99_ms": 1000 * pct(latencies, 99),
        "max_ms": 1000 * max(latencies),
    }


def in_process(sample: list[str], db: Path) -> dict[str, float]:
    """The same Assessor the server builds (same store, so the same plugins), called directly."""
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.records import Message
    from lurewatch.settings import Settings
    from lurewatch.store import Store

    settings = Settings.from_env(db_url=str(db))
    assessor = build_assessor(settings, Store(settings.db_url))
    for t in sample[:20]:  # warm up (lexicons, models)
        assessor.assess_message(Message(id="w", text=t))
    times = []
    for t in sample:
        start = time.perf_counter()
        assessor.assess_message(Message(id="check", text=t))
        times.append(time.perf_counter() - start)
    return {
        "per_s": len(times) / sum(times),
        "p50_ms": 1000 * pct(times, 50),
        "p99_ms": 1000 * pct(times, 99),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    sample, origin = texts(n)
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="lurewatch-bench-web-")
    db = Path(tmp) / "bench.db"
    env = {**os.environ, "LUREWATCH_DB": str(db)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lurewatch.cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit(
                f"server did not start: {server.stderr.read().decode() if server.stderr else ''}"
            )
        for t in sample[:20]:  # warm the server's Assessor
            httpx.post(f"{base}/api/v1/check", json={"text": t}, timeout=30)
        floor = asyncio.run(load(f"{base}/api/v1/health", "GET", [None] * min(n, 400), concurrency))
        check = asyncio.run(
            load(f"{base}/api/v1/check", "POST", [{"text": t} for t in sample], concurrency)
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    engine = in_process(sample[: min(n, 400)], db)

    load_avg = os.getloadavg()[0]
    cpu = f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, load average {load_avg:.1f} at the end of the run (shared with other work)"
    lines = [
        "# Web API load test (loopback)",
        "",
        "`.venv/bin/python -m benchmarks.bench_web "
        + f"{n} {concurrency} {workers}` — `lurewatch serve --workers {workers}` (uvicorn) on",
        f"127.0.0.1, {concurrency} concurrent keep-alive clients (httpx), bounded at {n} requests and {TIME_LIMIT_S:.0f} s.",
        f"Texts: {origin}. Machine: {cpu}; Python {platform.python_version()}.",
        "",
        "| what | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
        f"| POST /api/v1/check (message) | {check['requests']} | {check['errors']} | {check['rps']:.1f} | {check['p50_ms']:.1f} | {check['p95_ms']:.1f} | {check['p99_ms']:.1f} | {check['max_ms']:.1f} |",
        f"| baseline: GET /api/v1/health (HTTP floor, no detection) | {floor['requests']} | {floor['errors']} | {floor['rps']:.1f} | {floor['p50_ms']:.1f} | {floor['p95_ms']:.1f} | {floor['p99_ms']:.1f} | {floor['max_ms']:.1f} |",
        "",
        f"Baseline, in-process (same Assessor, no HTTP, one thread): {engine['per_s']:.1f} checks/s, p50 {engine['p50_ms']:.1f} ms, p99 {engine['p99_ms']:.1f} ms.",
        "",
        f"- Web check throughput is {check['rps'] / engine['per_s']:.2f}× the in-process engine rate "
        f"(HTTP, JSON and validation cost {max(0.0, 1000 / check['rps'] - 1000 / engine['per_s']):.1f} ms per request at this concurrency).",
        f"- The HTTP floor serves {floor['rps'] / check['rps']:.1f}× the requests/s of check: "
        + (
            "detection dominates the cost."
            if floor["rps"] > 2 * check["rps"]
            else "on this machine most of a check's time is the HTTP stack and the load generator sharing the same CPUs, not detection."
        ),
        f"- Errors: {check['errors'] + floor['errors']} of {check['requests'] + floor['requests']} requests.",
        "",
        "Limits: CPU-bound detection runs under the GIL in each process; scale with `lurewatch serve --workers N`",
        "(about one per core) or processes behind a proxy. Numbers come from a small shared machine and vary run to run.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(json.dumps({"check": check, "floor": floor, "engine": engine}, indent=1))
    if check["errors"] or floor["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
