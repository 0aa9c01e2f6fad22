"""`python -m benchmarks`: runs every benchmark module (bench_*.py) in turn; results go to docs/benchmarks/."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = set(argv)
    here = Path(__file__).resolve().parent
    failed = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda i: i.name):
        if not info.name.startswith("bench_") or (
            wanted and info.name not in wanted and info.name[6:] not in wanted
        ):
            continue
        print(f"\n=== {info.name} ===", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{info.name}")
        try:
            module.main() if hasattr(module, "main") else None
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
            print(f"FAILED: {exc}", flush=True)
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    for line in failed:
        print("failed:", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
