"""Load test of the web UI and API on loopback: requests/s, latency percentiles, 0 errors,
server memory flat.

A real `lurewatch serve` (uvicorn, one process) on 127.0.0.1 over a store seeded like
`serve --demo` (the bundled invented sample, analyzed, one organisation, a case queue).
Phases, each bounded by a request count and a time limit:
  * POST /api/v1/check (anonymous) at concurrency 20, 50 and 100, real SMS texts (UCI SMS
    Spam Collection from ../shared/data, else the bundled sample feed);
  * POST /api/v1/reports (a member's API key) at concurrency 20: scored, stored, queued;
  * GET /cases/{id} (the case page, an analyst's API key) at concurrency 50: rendered, and
    each view writes an audit read event;
  * a login spray: failed logins with ever-new e-mails at concurrency 20 (the per-address
    limit answers 429 after 30; every answer must be 401 or 429, never 5xx).
The server's resident memory (VmRSS) is read after warm-up and after every phase.

Baselines measured in the same run:
  * in-process: the same Assessor (same store and plugins) on the same texts, no HTTP,
  * HTTP floor: GET /api/v1/health through the same server and clients (no detection).

Run: `.venv/bin/python -m benchmarks.bench_web [REQUESTS] [CONCURRENCY,…]` (default 300, 20,50,100).
Loopback only (127.0.0.1); nothing else is contacted.
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
    url: str,
    method: str,
    bodies: list[dict | None],
    concurrency: int,
    *,
    headers: dict[str, str] | None = None,
    form: bool = False,
    ok_codes: tuple[int, ...] = (200,),
) -> dict[str, float]:
    """`bodies` requests from `concurrency` keep-alive clients; an error is any other status."""
    latencies: list[float] = []
    errors = 0
    codes: dict[int, int] = {}
    queue: asyncio.Queue[dict | None] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    deadline = time.perf_counter() + TIME_LIMIT_S

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty() and time.perf_counter() < deadline:
            body = queue.get_nowait()
            extra = {"X-Forwarded-For": body.pop("_from")} if body and "_from" in body else None
            start = time.perf_counter()
            try:
                if form:
                    r = await client.request(method, url, data=body, headers=extra)
                else:
                    r = await client.request(method, url, json=body)
                codes[r.status_code] = codes.get(r.status_code, 0) + 1
                ok = r.status_code in ok_codes
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += 0 if ok else 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:
        if form:  # the login form's double-submit CSRF cookie, shared by every request
            page = await client.get(url)
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            for body in queue._queue:  # type: ignore[attr-defined]
                body["csrf_token"] = token
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
        "codes": dict(sorted(codes.items())),
    }


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """The server's resident memory (VmRSS) or its peak so far (VmHWM), from Linux /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def seed(db: Path) -> dict[str, str]:
    """The store `serve --demo` makes, plus API keys for its member and analyst."""
    from lurewatch.settings import Settings
    from lurewatch.store import Store
    from lurewatch.web import auth
    from lurewatch.web.demo import prepare_demo

    settings = Settings.from_env(db_url=str(db))
    store = Store(settings.db_url)
    prepare_demo(store, settings, "bench-password-not-secret")
    keys = {}
    with store.write() as conn:
        for u in auth.list_users(conn):
            keys[u["role"]] = auth.create_api_key(conn, int(u["id"]), "bench")
    store.close()
    return keys


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


def row(name: str, r: dict) -> str:
    return (
        f"| {name} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
        f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} |"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    levels = [int(c) for c in (sys.argv[2] if len(sys.argv) > 2 else "20,50,100").split(",")]
    sample, origin = texts(n)
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="lurewatch-bench-web-")
    db = Path(tmp) / "bench.db"
    keys = seed(db)
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
            "--log-level",
            "warning",
            # the bench is the trusted proxy: it names a new client address per request in
            # the botnet phase (and nothing else can reach a loopback server)
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict] = {}
    memory: list[tuple[str, float]] = []
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
        analyst = {"X-API-Key": keys["analyst"]}
        member = {"X-API-Key": keys["member"]}
        for t in sample[:20]:  # warm the server's Assessor and templates
            httpx.post(f"{base}/api/v1/check", json={"text": t}, timeout=30)
        cases = httpx.get(f"{base}/api/v1/cases?limit=500", headers=analyst, timeout=30).json()
        case_ids = [c["id"] for c in cases["items"]]
        if not case_ids:
            raise SystemExit("the seeded store has no cases")
        httpx.get(f"{base}/cases/{case_ids[0]}", headers=analyst, timeout=30)
        memory.append(("after warm-up", rss_mb(server.pid)))
        top = max(levels)
        results["floor"] = asyncio.run(load(f"{base}/api/v1/health", "GET", [None] * n, top))
        for c in levels:
            results[f"check@{c}"] = asyncio.run(
                load(f"{base}/api/v1/check", "POST", [{"text": t} for t in sample], c)
            )
            memory.append((f"after check at {c}", rss_mb(server.pid)))
        reports = [
            {"message_text": t, "sender_name": f"Sender {i}", "note": "bench"}
            for i, t in enumerate(sample[: max(50, n // 2)])
        ]
        results["report@20"] = asyncio.run(
            load(f"{base}/api/v1/reports", "POST", reports, 20, headers=member, ok_codes=(201,))
        )
        memory.append(("after reports", rss_mb(server.pid)))
        pages = [case_ids[i % len(case_ids)] for i in range(n)]
        results["case@50"] = asyncio.run(load_pages(f"{base}/cases/", pages, 50, analyst))
        memory.append(("after case pages", rss_mb(server.pid)))
        spray = [
            {"email": f"nobody-{i}@spray.example", "password": "wrong-password-1", "next": "/"}
            for i in range(200)
        ]
        results["login-spray@20"] = asyncio.run(
            load(f"{base}/login", "POST", spray, 20, form=True, ok_codes=(401, 429))
        )
        memory.append(("after 200 failed logins (new e-mails, one address)", rss_mb(server.pid)))
        botnet = [
            {
                "email": f"nobody-{i}@botnet.example",
                "password": "wrong-password-1",
                "next": "/",
                "_from": f"198.51.{i // 250}.{i % 250 + 1}",
            }
            for i in range(200)
        ]
        results["login-botnet@20"] = asyncio.run(
            load(f"{base}/login", "POST", botnet, 20, form=True, ok_codes=(401, 503))
        )
        memory.append(("after 200 failed logins (new e-mails, 200 addresses)", rss_mb(server.pid)))
        for c in levels:  # again at the end: memory flat under repeated load
            results[f"check@{c} (again)"] = asyncio.run(
                load(f"{base}/api/v1/check", "POST", [{"text": t} for t in sample], c)
            )
        memory.append(("at the end", rss_mb(server.pid)))
        peak = rss_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=20)
    engine = in_process(sample[: min(n, 400)], db)

    load_avg = os.getloadavg()[0]
    cpu = f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, load average {load_avg:.1f} at the end of the run (shared with other work)"
    best_check = max(
        (r for k, r in results.items() if k.startswith("check@")), key=lambda r: r["rps"]
    )
    errors = sum(r["errors"] for r in results.values())
    total = sum(r["requests"] for r in results.values())
    spray_codes = results["login-spray@20"]["codes"]
    mems = [m for _, m in memory]
    lines = [
        "# Web load test (loopback)",
        "",
        f"`.venv/bin/python -m benchmarks.bench_web {n} {','.join(map(str, levels))}` — one `lurewatch serve`",
        "process (uvicorn) on 127.0.0.1 over the `serve --demo` store (bundled invented sample,",
        f"{len(case_ids)} cases); keep-alive clients (httpx); each phase bounded at its request count and {TIME_LIMIT_S:.0f} s.",
        f"Texts: {origin}. Machine: {cpu}; Python {platform.python_version()}.",
        "",
        "| what @ concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
        *(row(k.replace("@", " @ "), r) for k, r in results.items() if k != "floor"),
        row(
            "baseline: GET /api/v1/health @ " + str(max(levels)) + " (HTTP floor)", results["floor"]
        ),
        "",
        "check = `POST /api/v1/check` (anonymous); report = `POST /api/v1/reports` (member: scored, stored, "
        "queued); case = the `/cases/{id}` page (analyst: rendered, one audit read event each); login-spray = "
        f"`POST /login` with 200 new e-mails from one address (answers: {spray_codes}; 429 once the "
        "per-address limit of 30 failures is reached, so only 30 passwords were hashed); login-botnet = the "
        f"same from 200 addresses (X-Forwarded-For through `--proxy-headers`; answers: "
        f"{results['login-botnet@20']['codes']}): every attempt is hashed, at most `min(4, cores)` at once, "
        "so memory stays bounded and latency is the hashing queue; a login that waits over 30 s for a "
        "hashing slot is answered 503 (busy), counted here as an expected answer.",
        "",
        f"Baseline, in-process (same Assessor, no HTTP, one thread): {engine['per_s']:.1f} checks/s, p50 {engine['p50_ms']:.1f} ms, p99 {engine['p99_ms']:.1f} ms.",
        "",
        "Server memory (VmRSS): "
        + ", ".join(f"{label} {m:.0f} MB" for label, m in memory)
        + f"; growth from warm-up to the end {mems[-1] - mems[0]:+.0f} MB; peak (VmHWM) over the whole run {peak:.0f} MB.",
        "",
        f"- Errors: {errors} of {total} requests.",
        f"- Best check rate {best_check['rps']:.1f} req/s = {best_check['rps'] / engine['per_s']:.2f}× the in-process engine rate; "
        f"the HTTP floor serves {results['floor']['rps'] / best_check['rps']:.1f}× the requests/s of check.",
        "",
        "Limits: CPU-bound detection runs under the GIL in each process; scale with `lurewatch serve --workers N`",
        "(about one per core) or processes behind a proxy. SQLite serialises writes (reports, audit reads); PostgreSQL",
        "does not. Numbers come from a small shared machine and vary run to run.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(json.dumps({"results": results, "engine": engine, "memory": memory}, indent=1))
    if errors:
        raise SystemExit(1)


async def load_pages(
    prefix: str, ids: list[int], concurrency: int, headers: dict[str, str]
) -> dict[str, float]:
    """GET prefix+id for each id (pages differ per case)."""
    latencies: list[float] = []
    errors = 0
    codes: dict[int, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in ids:
        queue.put_nowait(i)
    deadline = time.perf_counter() + TIME_LIMIT_S

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty() and time.perf_counter() < deadline:
            case_id = queue.get_nowait()
            start = time.perf_counter()
            try:
                r = await client.get(f"{prefix}{case_id}")
                codes[r.status_code] = codes.get(r.status_code, 0) + 1
                ok = r.status_code == 200 and "<html" in r.text
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += 0 if ok else 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:
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
        "codes": dict(sorted(codes.items())),
    }


if __name__ == "__main__":
    main()
