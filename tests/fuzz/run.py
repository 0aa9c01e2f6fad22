"""`make fuzz`: the long fuzz run - N mutated inputs per reader, 0 crashes expected.

Mutates seed inputs (the bundled sample archive, feed and a STIX bundle, a small PNG) with
byte flips, hostile tokens (1e18, 4,400-digit numbers, lone surrogates, NUL, BOMs, deep
nesting), cuts, repeats and splices, and feeds each to its oracle in `fuzz_targets`.
Deterministic for a given --seed. Writes the result to docs/benchmarks/fuzz.md.

    .venv/bin/python tests/fuzz/run.py [--n 100000] [--seed 0] [--only feed,check]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import fuzz_targets as t

OUT = Path(__file__).resolve().parents[2] / "docs" / "benchmarks" / "fuzz.md"


def generators() -> dict[str, tuple[Callable[[bytes], object], Callable[[random.Random], bytes]]]:
    feed_seed = t.feed_seed().split(b"\n")
    arch = t.archive_seed()
    zipped = t.zip_seed()
    bundle = t.stix_seed()
    png = t.image_seed()
    tokens = t.TEXT_TOKENS

    def feed_input(rnd: random.Random) -> bytes:
        lines = [rnd.choice(feed_seed) for _ in range(rnd.randint(1, 6))]
        lines += [t.hostile_record_line(rnd) for _ in range(rnd.randint(0, 3))]
        rnd.shuffle(lines)
        return t.mutate(rnd, b"\n".join(lines), tokens) if rnd.random() < 0.7 else b"\n".join(lines)

    def archive_input(rnd: random.Random) -> bytes:
        names = rnd.sample(sorted(arch), rnd.randint(1, len(arch)))
        files = {
            n: t.mutate(rnd, arch[n], tokens) if rnd.random() < 0.8 else arch[n] for n in names
        }
        return repr(files).encode()  # carried as text so the runner can show the failing input

    def zip_input(rnd: random.Random) -> bytes:
        return t.mutate(rnd, zipped, tokens + [b"PK\x03\x04", b"PK\x01\x02", b"\x00" * 8])

    def stix_input(rnd: random.Random) -> bytes:
        return t.mutate(rnd, bundle, tokens + [b'{"type": "identity"}', b'"id": 1e999'])

    def image_input(rnd: random.Random) -> bytes:
        return t.mutate(rnd, png, [b"\x00" * 4, b"\xff" * 4, b"IHDR", b"\x7f\xff\xff\xff", b"IEND"])

    def check_input(rnd: random.Random) -> bytes:
        return feed_input(rnd)

    import ast

    return {
        "feed": (t.feed, feed_input),
        "archive": (lambda b: t.archive(ast.literal_eval(b.decode())), archive_input),
        "zip": (t.zip_bytes, zip_input),
        "stix": (t.stix, stix_input),
        "image": (t.image, image_input),
        "check": (t.check, check_input),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated readers")
    parser.add_argument(
        "--no-write", action="store_true", help="do not update docs/benchmarks/fuzz.md"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="result file (Markdown)")
    args = parser.parse_args(argv)
    wanted = {w for w in args.only.split(",") if w}
    results = []
    total_crashes = 0
    for name, (oracle, make) in generators().items():
        if wanted and name not in wanted:
            continue
        rnd = random.Random(f"{args.seed}:{name}")
        crashes: Counter[str] = Counter()
        example: dict[str, bytes] = {}
        started = time.perf_counter()
        for i in range(1, args.n + 1):
            data = make(rnd)
            try:
                oracle(data)
            except Exception as exc:  # noqa: BLE001 - every escape is a finding
                key = f"{type(exc).__name__}: {str(exc)[:120]}"
                crashes[key] += 1
                if key not in example:
                    example[key] = data
                    print(f"\n[{name}] CRASH #{sum(crashes.values())}: {key}", file=sys.stderr)
                    traceback.print_exc(limit=4, file=sys.stderr)
            if i % max(1, args.n // 20) == 0 or i == args.n:
                rate = i / (time.perf_counter() - started)
                print(
                    f"\r[{name}] {i:,}/{args.n:,} inputs, {sum(crashes.values())} crashes, {rate:,.0f}/s",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
        print(file=sys.stderr)
        elapsed = time.perf_counter() - started
        total_crashes += sum(crashes.values())
        results.append((name, args.n, sum(crashes.values()), len(crashes), elapsed, crashes))
    if not args.no_write:
        write(results, args, args.out)
    return 1 if total_crashes else 0


def write(results: list, args: argparse.Namespace, out: Path = OUT) -> None:
    lines = [
        "# Fuzz run: hostile input to every reader (issue 12)",
        "",
        f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f'`make fuzz FUZZ_ARGS="--n {args.n} --seed {args.seed}"` '
        "(`tests/fuzz/run.py`; the oracles in `tests/fuzz/fuzz_targets.py` are the same the "
        "property tests in CI use with a small fixed budget).",
        "",
        "A crash is any exception other than the reader's own located error, a record that "
        "cannot be stored or written (lone surrogate, NUL, overflow), or a broken contract "
        "(`check --input`: one output line per input line).",
        "",
        "| reader | inputs | crashes | distinct | seconds | inputs/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n, count, distinct, elapsed, _ in results:
        lines.append(
            f"| {name} | {n:,} | {count} | {distinct} | {elapsed:,.0f} | {n / elapsed:,.0f} |"
        )
    for name, _, _, _, _, crashes in results:
        for key, count in crashes.most_common():
            lines.append(f"- {name}: {count} × `{key}`")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
