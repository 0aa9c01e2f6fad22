"""Cost vs input size on hostile input (issue 12): time and peak memory at 10 kB, 100 kB, 1 MB.

Bounded cost means no input of N bytes costs more than a small constant times N. Each case is
timed at three sizes; the baseline, measured in the same run on the same bytes, is one
`json.dumps` + `json.loads` round trip (a linear floor any reader pays). Linear growth shows as
a flat (or falling, where a cap applies) time/baseline ratio and µs per kB.

Run: `.venv/bin/python -m benchmarks.bench_bounds` (writes docs/benchmarks/bounds.md).
"""

from __future__ import annotations

import gc
import json
import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "benchmarks" / "bounds.md"
SIZES = (10_000, 100_000, 1_000_000)
VOCAB = [
    "Dear",
    "Sir",
    "our",
    "client",
    "in",
    "Asia",
    "pays",
    "2,000",
    "EUR",
    "for",
    "a",
    "short",
    "report",
    "please",
    "continue",
    "on",
    "WhatsApp",
    "Global",
    "View",
    "Strategic",
    "Consulting",
    "Shanghai",
    "think",
    "tank",
    "research",
    "paid",
]


def _words(n: int, seed: int = 0) -> str:
    rnd = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n:
        word = rnd.choice(VOCAB)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:n]


def _assessor():  # type: ignore[no-untyped-def]
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.settings import Settings

    return build_assessor(Settings.from_env(db_url="sqlite:////nonexistent/bounds.db"), None)


def cases(tmp: Path) -> dict[str, Callable[[int], tuple[Callable[[], object], str]]]:
    """Case name -> (size -> (the work, the input as text for the baseline))."""
    from lurewatch.ingest import open_source
    from lurewatch.records import Account, Message

    assessor = _assessor()
    assessor.assess(Message(id="warm", text=_words(2_000)))  # lazy models loaded once

    def long_word(n: int) -> tuple[Callable[[], object], str]:
        text = "a" * n
        return (lambda: assessor.assess(Message(id="m", text=text))), text

    def many_words(n: int) -> tuple[Callable[[], object], str]:
        text = _words(n)
        return (lambda: assessor.assess(Message(id="m", text=text))), text

    def long_account(n: int) -> tuple[Callable[[], object], str]:
        text = _words(n, seed=1)
        account = Account(id="a", name=text, company=text, headline=text, about=text)
        return (lambda: assessor.assess(account)), text

    def feed(n: int) -> tuple[Callable[[], object], str]:
        path = tmp / f"feed-{n}.jsonl"
        lines = []
        size = i = 0
        while size < n:
            line = json.dumps({"kind": "message", "id": f"m{i}", "text": _words(150, i)})
            if i % 50 == 7:  # hostile lines among good ones
                line = '{"kind": "message", "id": "x", "text": "a\\ud800", "sent_at": 1e18}'
            lines.append(line)
            size += len(line) + 1
            i += 1
        data = "\n".join(lines) + "\n"
        path.write_text(data)
        return (lambda: sum(1 for _ in open_source(path))), data

    def csv_field(n: int) -> tuple[Callable[[], object], str]:
        folder = tmp / f"export-{n}"
        folder.mkdir(exist_ok=True)
        field = ("x" * 70 + "\r\n") * (n // 72)
        data = (
            "FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER\r\n"
            'Ann,https://www.linkedin.com/in/ann,2025-01-01,"before",INBOX\r\n'
            f'Bob,https://www.linkedin.com/in/bob,2025-01-02,"{field}",INBOX\r\n'
            'Cy,https://www.linkedin.com/in/cy,2025-01-03,"after",INBOX\r\n'
        )
        (folder / "messages.csv").write_text(data, newline="")
        return (lambda: sum(1 for _ in open_source(folder))), data

    return {
        "check: one word of N characters": long_word,
        "check: a message of N bytes of words": many_words,
        "check: an account, four fields of N bytes each": long_account,
        "ingest read: JSONL feed of N bytes (2% hostile lines)": feed,
        "ingest read: messages.csv, one quoted multi-line field of N bytes": csv_field,
    }


def _time(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _peak(work: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="lw-bounds-") as tmpdir:
        for name, make in cases(Path(tmpdir)).items():
            for n in SIZES:
                work, text = make(n)
                base = _time(lambda text=text: json.loads(json.dumps(text)))  # type: ignore[misc]
                took = _time(work)
                peak = _peak(work)
                rows.append((name, n, took, base, peak))
                print(
                    f"{name:<66} {n:>9,} B  {took:8.4f} s  x{took / base:8.1f}  {peak:7.1f} MB",
                    flush=True,
                )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Benchmark: cost vs input size on hostile input (issue 12)",
        "",
        "Regenerate: `.venv/bin/python -m benchmarks.bench_bounds` (in-process, best of 3; "
        f"machine load average {load:.1f} on 2 shared cores during this run).",
        "",
        "Baseline, same run, same bytes: one `json.dumps` + `json.loads` round trip of the "
        "input (a linear floor). Bounded cost shows as a ratio and a µs/kB that stay flat or "
        "fall as the input grows tenfold (they fall where a cap applies: detectors read at most "
        "20,000 characters of a text and 300 of a name). Peak memory by `tracemalloc` "
        "(Python allocations).",
        "",
        "| case | input | seconds | time vs baseline | µs per kB | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n, took, base, peak in rows:
        lines.append(
            f"| {name} | {n:,} B | {took:.4f} | {took / base:,.1f}× | "
            f"{took * 1e6 / (n / 1000):,.1f} | {peak:.1f} |"
        )
    lines += [
        "",
        "Before the caps (same machine, 2026-12-04): one 20,000-character word took 4.0-6.3 s "
        "and 401 MB in `Assessor.assess` (a 100,000-character word: 17 s and 9.6 GB in "
        "`lurewatch check`), quadratic in the word's length; a 50 MB quoted CSV field with line "
        "breaks gave 512,722 rejects and 1 GB.",
        "",
    ]
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
