"""Why failed logins used to cost memory: concurrent argon2 verifications, with and without the
hash gate, measured in the same run.

Each variant runs in a fresh Python process: ATTEMPTS failed logins for ever-new e-mails
(`auth.authenticate` on an empty user table, so every one verifies against the dummy hash
with the production argon2id cost, 64 MiB each) from THREADS threads, as the web server's
thread pool would run them. Reported: wall time, p50/p99 per attempt, and the process's
peak resident memory (ru_maxrss) above its start.

  * baseline ("no gate"): as before the fix, every thread hashes at once;
  * gated: at most `HashGate` slots (min(4, cores)) hash at once.

Run: `.venv/bin/python -m benchmarks.bench_login [ATTEMPTS] [THREADS]` (default 40 40).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "benchmarks" / "login.md"

CHILD = r"""
import json, os, resource, sys, tempfile, threading, time
from lurewatch.store import Store
from lurewatch.web import auth
from lurewatch.web.throttle import HashGate

attempts, threads, gated = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
auth.hash_gate = HashGate(timeout=600) if gated else HashGate(slots=10_000)
store = Store("sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="lw-bench-login-"), "l.db"))
start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
lock = threading.Lock()
queue = list(range(attempts))

def work():
    while True:
        with lock:
            if not queue:
                return
            i = queue.pop()
        t = time.perf_counter()
        with store.read() as conn:
            assert auth.authenticate(conn, f"nobody-{i}@spray.example", "wrong-password-1") is None
        with lock:
            times.append(time.perf_counter() - t)

t0 = time.perf_counter()
pool = [threading.Thread(target=work) for _ in range(threads)]
for p in pool: p.start()
for p in pool: p.join()
wall = time.perf_counter() - t0
times.sort()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "attempts": len(times), "wall_s": wall,
    "p50_ms": 1000 * times[len(times) // 2], "p99_ms": 1000 * times[min(len(times) - 1, int(0.99 * len(times)))],
    "peak_mb": peak_kb / 1024, "growth_mb": (peak_kb - start_kb) / 1024,
    "slots": auth.hash_gate.slots,
}))
"""


def run(attempts: int, threads: int, gated: bool) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(attempts), str(threads), "1" if gated else "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    attempts = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    base = run(attempts, threads, gated=False)
    gated = run(attempts, threads, gated=True)
    load = os.getloadavg()[0]
    lines = [
        "# Failed logins: memory and latency of password hashing",
        "",
        f"`.venv/bin/python -m benchmarks.bench_login {attempts} {threads}` — {attempts} failed logins for new",
        f"e-mails from {threads} threads (the server's thread pool), production argon2id cost (64 MiB per",
        "verification), each variant in a fresh process. Machine: "
        f"{platform.machine()}, {os.cpu_count()} logical CPUs, load average {load:.1f} (shared); "
        f"Python {platform.python_version()}.",
        "",
        "| variant | attempts | wall s | p50 ms | p99 ms | peak RSS MB | growth MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in (
        ("baseline: no gate (before)", base),
        (f"hash gate, {gated['slots']} slots", gated),
    ):
        lines.append(
            f"| {name} | {r['attempts']} | {r['wall_s']:.1f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | "
            f"{r['peak_mb']:.0f} | {r['growth_mb']:+.0f} |"
        )
    lines += [
        "",
        f"- Peak memory growth with the gate is {gated['growth_mb'] / max(base['growth_mb'], 1):.2f}× the "
        f"ungated baseline ({gated['growth_mb']:.0f} vs {base['growth_mb']:.0f} MB): without it every thread "
        "holds its own 64 MiB argon2 buffer at once.",
        f"- Throughput: {attempts / gated['wall_s']:.1f} vs {attempts / base['wall_s']:.1f} attempts/s "
        "(the cores do the same work either way; with the gate it is queued instead of interleaved).",
        "- In the server, the per-address limit (30 failures / 15 min) stops a one-address spray before",
        "  any of this; the gate bounds what many addresses can cost ([web.md](web.md) load test).",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
