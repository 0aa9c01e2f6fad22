"""Throughput and latency of `check` (issue 2): messages/s on one core over a JSONL stream, warm latency.

Baseline, measured in the same run: reading + parsing + re-serialising the same JSONL with no
detection at all (the I/O floor). Run: `.venv/bin/python -m benchmarks.bench_check [N]`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "docs" / "benchmarks" / "check.md"


def corpus(n: int, seed: int = 0) -> list[str]:
    texts: list[str] = []
    sms = DATA / "messages/sms_spam_uci/SMSSpamCollection"
    for line in sms.read_text(encoding="utf-8", errors="replace").splitlines():
        if "\t" in line:
            texts.append(line.split("\t", 1)[1])
    import csv

    with open(
        DATA / "messages/sms_spam_multilingual/data-en-hi-de-fr.csv",
        encoding="utf-8",
        errors="replace",
    ) as f:
        for row in csv.DictReader(f):
            texts.extend(t for t in (row.get("text_de"), row.get("text_fr")) if t)
    rnd = random.Random(seed)
    return [rnd.choice(texts) for _ in range(n)]


def write_jsonl(texts: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(
                json.dumps({"kind": "message", "id": f"m{i}", "text": t, "channel": "message"})
                + "\n"
            )


def one_core(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if shutil_which("taskset") else cmd


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def run_cli(path: Path, extra_env: dict[str, str]) -> float:
    env = {**os.environ, **extra_env}
    started = time.perf_counter()
    out = subprocess.run(
        one_core(
            [str(REPO / ".venv/bin/lurewatch"), "check", "--input", str(path), "--format", "jsonl"]
        ),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed = time.perf_counter() - started
    assert out.stdout.count("\n") == sum(1 for _ in path.open()), "one output line per input"
    return elapsed


def floor(path: Path) -> float:
    code = (
        "import json,sys\n"
        "out=sys.stdout\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    d=json.loads(line); out.write(json.dumps({'id': d['id'], 'score': 0.0})+'\\n')\n"
    )
    started = time.perf_counter()
    subprocess.run(
        one_core([sys.executable, "-c", code, str(path)]), capture_output=True, check=True
    )
    return time.perf_counter() - started


def latency(samples: int = 300) -> tuple[float, float]:
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.records import Message
    from lurewatch.settings import Settings

    assessor = build_assessor(Settings.from_env())
    texts = corpus(samples, seed=1)
    assessor.assess_message(Message(id="warm", text=texts[0]))
    times = []
    for i, t in enumerate(texts):
        started = time.perf_counter()
        assessor.assess_message(Message(id=str(i), text=t))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main(n: int | None = None) -> None:
    n = n or int(os.environ.get("BENCH_CHECK_N", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messages.jsonl"
        write_jsonl(corpus(n), path)
        base = floor(path)
        models = run_cli(path, {})
        rules = run_cli(path, {"LUREWATCH_RULES_ONLY": "1"})
    p50, p99 = latency()
    rows = [
        ("I/O floor (parse + write JSONL, no detection) — baseline", base),
        ("`lurewatch check` with the shipped models", models),
        ("`lurewatch check --rules-only` (LUREWATCH_RULES_ONLY=1)", rules),
    ]
    lines = [
        "# Benchmark: `check` throughput and latency",
        "",
        f"Regenerate: `.venv/bin/python -m benchmarks.bench_check` (N={n:,} messages from the shared SMS/multilingual",
        "proxies, JSONL in, JSONL out, one core via `taskset -c 0`, process start-up included).",
        "",
        "| run | seconds | messages/s | time vs baseline |",
        "|---|---:|---:|---:|",
    ]
    for label, seconds in rows:
        lines.append(f"| {label} | {seconds:.2f} | {n / seconds:,.0f} | {seconds / base:.1f}× |")
    lines += [
        "",
        f"Single-message latency, warm, in-process (`Assessor.assess_message`, 300 messages): p50 {p50:.2f} ms, p99 {p99:.2f} ms.",
        "",
        "Goals (issue 2): ≥ 5,000 messages/s on one core without embeddings; < 50 ms warm latency.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
