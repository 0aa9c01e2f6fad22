"""End to end, whole processes: `lurewatch templates --input FILE` against datasketch at its
fastest doing the same job, on the same 50,000 messages, in the same run.

datasketch side (its own process): read the JSONL, the same normalised texts and character
4-grams, `MinHash.bulk` (NumPy batch hashing), `MinHashLSH.insertion_session`, one query per
message, exact Jaccard on every candidate pair (≥ 0.7), union-find into templates, one JSON line
per message out — what `lurewatch templates` prints. Recall: the share of those verified pairs
(exact Jaccard ≥ 0.7 among datasketch's candidates) that lurewatch puts in one template.
Times: wall and CPU seconds of each process (rusage); the machine is shared, so CPU seconds are
the fairer ratio, and both are reported.

    .venv/bin/python -m benchmarks.bench_templates_e2e [N]
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "benchmarks" / "templates-e2e.md"
CACHE = Path(os.environ.get("LUREWATCH_BENCH_CACHE", "/tmp/scale-cache"))
LUREWATCH = Path(sys.executable).parent / "lurewatch"
N = 50_000
THRESHOLD = 0.7


def write_feed(path: Path, n: int) -> None:
    from benchmarks.bench_templates import corpus

    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(corpus(n, 7)):
            rec = {"kind": "message", "id": f"m{i:06d}", "sender": f"a{i % 5000}", "text": text}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def datasketch_templates(feed: Path, out: Path, pairs_out: Path) -> None:
    """The datasketch pipeline (run in its own process by `main`)."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from lurewatch.templates.normalize import normalize_many

    ids: list[str] = []
    texts: list[str] = []
    with feed.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            ids.append(d["id"])
            texts.append(d.get("text") or "")
    norms = normalize_many(texts)
    sets = []
    for t in norms:
        t = t.ljust(4) if t and len(t) < 4 else t
        sets.append({t[i : i + 4].encode("utf-8") for i in range(len(t) - 3)})
    hashes = MinHash.bulk([list(s) for s in sets], num_perm=128, seed=1)
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    with lsh.insertion_session() as session:
        for i, m in enumerate(hashes):
            session.insert(i, m, check_duplication=False)
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    verified = []
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j <= i:
                continue
            a, b = sets[i], sets[j]
            if a and b and len(a & b) / len(a | b) >= THRESHOLD:
                verified.append((i, j))
                ra, rb = find(i), find(j)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    roots = [find(i) for i in range(len(ids))]
    sizes = np.bincount(roots, minlength=len(ids))
    with out.open("w", encoding="utf-8") as fh:
        for i, mid in enumerate(ids):
            fh.write(
                json.dumps({"id": mid, "template": ids[roots[i]], "size": int(sizes[roots[i]])})
            )
            fh.write("\n")
    pairs_out.write_text(json.dumps([[ids[i], ids[j]] for i, j in verified]), encoding="utf-8")


def _run(args: list[str], stdout: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}:{REPO}"}
    started = time.perf_counter()
    with stdout.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(args)} failed: {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n = next((int(a) for a in argv if a.isdigit()), N)
    CACHE.mkdir(parents=True, exist_ok=True)
    feed = CACHE / f"templates-e2e-{n}.jsonl"
    if not feed.exists():
        write_feed(feed, n)
    ours_out, ds_out, ds_pairs = (CACHE / f"e2e-{k}-{n}" for k in ("ours", "ds", "pairs"))
    ours = _run([str(LUREWATCH), "templates", "--input", str(feed)], ours_out)
    ds = _run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from benchmarks.bench_templates_e2e import "
            "datasketch_templates as f; f(*map(Path, sys.argv[1:]))",
            str(feed),
            str(ds_out),
            str(ds_pairs),
        ],
        CACHE / "e2e-ds-stdout",
    )
    template = {}
    for line in ours_out.open(encoding="utf-8"):
        d = json.loads(line)
        template[d["id"]] = d.get("template")
    truth = json.loads(ds_pairs.read_text(encoding="utf-8"))
    same = sum(1 for a, b in truth if template.get(a) is not None and template[a] == template[b])
    recall = same / len(truth) if truth else 1.0
    ds_templates = len({json.loads(x)["template"] for x in ds_out.open(encoding="utf-8")})
    row = {"n": n, "ours": ours, "datasketch": ds, "pairs": len(truth), "recall": recall}
    print(json.dumps(row), flush=True)
    text = "\n".join(
        [
            "# Templates end to end: `lurewatch templates` vs datasketch at its fastest",
            "",
            f"Run on {platform.node() or 'this machine'} ({os.cpu_count()} CPUs, shared with "
            f"other jobs), Python {platform.python_version()}; "
            "`.venv/bin/python -m benchmarks.bench_templates_e2e` (also run by `make bench`). "
            f"{n:,} messages as JSONL (texts from ../shared/data/messages with light edits, as in "
            "bench_templates). Both sides are whole processes from start-up to the last output "
            "line, in the same run, on the same file. datasketch: `MinHash.bulk` + "
            "`MinHashLSH.insertion_session` + one query per message + exact Jaccard on the "
            "candidates + union-find (the same job), on the same normalised texts and "
            "character 4-grams, 128 permutations, 32 bands × 4 rows.",
            "",
            "| process | wall s | CPU s | peak RSS MB |",
            "|---|---:|---:|---:|",
            f"| `lurewatch templates --input FILE` | {ours['wall']:.1f} | {ours['cpu']:.1f} "
            f"| {ours['rss']:.0f} |",
            f"| datasketch 2.0 pipeline | {ds['wall']:.1f} | {ds['cpu']:.1f} | {ds['rss']:.0f} |",
            f"| **ratio (datasketch / ours)** | **{ds['wall'] / ours['wall']:.1f}×** "
            f"| **{ds['cpu'] / ours['cpu']:.1f}×** | |",
            "",
            f"Recall: {recall:.4f} of the {len(truth):,} pairs with exact Jaccard ≥ {THRESHOLD} "
            f"among datasketch's candidates end in one lurewatch template "
            f"(datasketch: {ds_templates:,} groups incl. singletons). Goal: ≥ 10× end to end "
            "at recall ≥ 0.99.",
            "",
        ]
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
