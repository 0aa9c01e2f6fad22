"""Template index benchmark: recall against brute force, throughput and memory against datasketch, scale.

    .venv/bin/python -m benchmarks.bench_templates            # full: 20k recall, 200k vs datasketch, 1M scale
    .venv/bin/python -m benchmarks.bench_templates --quick    # small sizes, for a smoke run

Messages are real texts from ../shared/data/messages (SMS and its translations, CLAIR,
EMSCAD) with generated light edits (90 % of messages edited, so few are exact copies).
Each measured phase runs in its own process so its peak memory (ru_maxrss, minus the
process's memory after the texts were loaded) belongs to it alone. Writes
docs/benchmarks/templates.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
QUERIES = 1000


def corpus(n: int, seed: int, n_bases: int | None = None) -> list[str]:
    """n messages: real texts, 90 % of them with one or more light edits (deterministic)."""
    from lurewatch.templates.evaluation import EDIT_KINDS, light_edit, load_texts

    texts = [t for _, t in load_texts(DATA) if len(t) >= 20]
    rng = random.Random(seed)
    if n_bases is not None:
        texts = rng.sample(texts, min(n_bases, len(texts)))
    out = []
    for _ in range(n):
        t = rng.choice(texts)
        if rng.random() < 0.9:
            t = light_edit(t, rng.choice(EDIT_KINDS), rng)
        out.append(t)
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- phases (each in a subprocess)


def phase_ours(n: int, seed: int, sketch_stage: bool = True) -> dict:
    from lurewatch.templates.index import TemplateIndex
    from lurewatch.templates.lsh import LSHBands, band_keys
    from lurewatch.templates.minhash import MinHasher
    from lurewatch.templates.normalize import normalize_many
    from lurewatch.templates.shingles import shingle_batch

    texts = corpus(n, seed)
    queries = corpus(QUERIES, seed + 1)
    base = _rss_mb()
    t = time.process_time()
    norms = normalize_many(texts)
    qnorms = normalize_many(queries)
    t_norm = time.process_time() - t
    # the sketch stage alone, on the same normalised texts datasketch gets
    t = time.process_time()
    if not sketch_stage:  # the scale run measures the whole pipeline only
        norms = qnorms = []
    hasher = MinHasher(128, 1)
    hashes, offsets = shingle_batch(norms)
    sigs = hasher.signatures(hashes, offsets)
    lsh = LSHBands(32, 4)
    lsh.append(band_keys(sigs, 32, 4))
    lsh.merge()
    qh, qo = shingle_batch(qnorms)
    qsig = hasher.signatures(qh, qo)
    qkeys = band_keys(qsig, 32, 4)
    hits = sum(len(lsh.query(k)[0]) for k in qkeys) if len(qkeys) else 0
    t_sketch = time.process_time() - t
    del hashes, offsets, sigs, lsh
    # the whole pipeline: normalise, sketch, index, verify every candidate, cluster; then queries
    t = time.process_time()
    index = TemplateIndex(keep_shingles=False)
    index.add_many([str(i) for i in range(n)], texts)
    t_add = time.process_time() - t
    index.text_loader = lambda ids: {i: texts[int(i)] for i in ids}
    t = time.process_time()
    found = sum(1 for q in queries if index.query(q) is not None)
    t_query = time.process_time() - t
    mem = index.memory_bytes()
    return {
        "n": n,
        "normalise_s": t_norm,
        "sketch_index_query_s": t_sketch,
        "candidates_per_query": hits / QUERIES,
        "pipeline_add_s": t_add,
        "pipeline_query_s": t_query,
        "queries_matched": found,
        "rows": int(index.lsh.rows),
        "templates": len(index.clusters(min_size=2)),
        "candidate_pairs": index.candidate_pairs,
        "verified_pairs": index.verified_pairs,
        "index_bytes": mem,
        "peak_rss_mb": _rss_mb() - base,
    }


def phase_datasketch(n: int, seed: int) -> dict:
    from datasketch import MinHash, MinHashLSH

    from lurewatch.templates.normalize import normalize_many
    from lurewatch.templates.shingles import NGRAM

    texts = corpus(n, seed)
    queries = corpus(QUERIES, seed + 1)
    norms = normalize_many(texts)
    qnorms = normalize_many(queries)
    base = _rss_mb()

    def shingles(t: str) -> list[bytes]:
        t = t.ljust(NGRAM) if t and len(t) < NGRAM else t
        return [t[i : i + NGRAM].encode("utf-8") for i in range(len(t) - NGRAM + 1)]

    t = time.process_time()
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    proto = MinHash(num_perm=128, seed=1)
    with lsh.insertion_session() as session:
        for i, norm in enumerate(norms):
            m = proto.copy()
            m.update_batch(shingles(norm))
            session.insert(str(i), m)
    hits = 0
    for q in qnorms:
        m = proto.copy()
        m.update_batch(shingles(q))
        hits += len(lsh.query(m))
    elapsed = time.process_time() - t
    return {
        "n": n,
        "sketch_index_query_s": elapsed,
        "candidates_per_query": hits / QUERIES,
        "peak_rss_mb": _rss_mb() - base,
    }


def phase_recall(n: int, seed: int) -> dict:
    """Brute-force Jaccard ≥ 0.7 pairs vs LSH candidates, verified pairs and clusters."""
    from scipy import sparse

    from lurewatch.templates.index import TemplateIndex
    from lurewatch.templates.lsh import band_keys
    from lurewatch.templates.minhash import MinHasher
    from lurewatch.templates.normalize import normalize_many
    from lurewatch.templates.shingles import jaccard, shingle_batch

    texts = corpus(n, seed, n_bases=n // 4)  # bases reused ~4 times: many near-duplicate pairs
    norms = normalize_many(texts)
    hashes, offsets = shingle_batch(norms)
    sets = [np.unique(hashes[offsets[i] : offsets[i + 1]]) for i in range(n)]
    vocab, inverse = np.unique(np.concatenate(sets), return_inverse=True)
    lengths = np.array([len(s) for s in sets])
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    x = sparse.csr_matrix(
        (np.ones(len(inverse), np.float32), inverse, indptr), shape=(n, len(vocab))
    )
    xt = x.T.tocsr()
    t = time.process_time()
    true_pairs = []
    for start in range(0, n, 1000):
        inter = (x[start : start + 1000] @ xt).toarray()
        union = lengths[start : start + 1000, None] + lengths[None, :] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            jac = np.where(union > 0, inter / union, 0.0)
        ii, jj = np.nonzero(jac >= 0.7 - 1e-9)
        keep = (ii + start) < jj
        true_pairs.append(np.stack((ii[keep] + start, jj[keep]), axis=1))
    pairs = np.concatenate(true_pairs)
    t_brute = time.process_time() - t
    # exact check of the brute force's float arithmetic with the index's own Jaccard
    pairs = np.array(
        [p for p in pairs.tolist() if jaccard(sets[p[0]], sets[p[1]]) >= 0.7], dtype=np.int64
    ).reshape(-1, 2)
    sigs = MinHasher(128, 1).signatures(hashes, offsets)
    keys = band_keys(sigs, 32, 4)
    shared = (keys[pairs[:, 0]] == keys[pairs[:, 1]]).any(axis=1)
    candidate_recall = float(shared.mean()) if len(pairs) else 1.0
    # all candidate pairs (every pair sharing a band), each verified exactly
    cand: set[tuple[int, int]] = set()
    for band in range(32):
        order = np.argsort(keys[:, band], kind="stable")
        k = keys[order, band]
        starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
        ends = np.concatenate((starts[1:], [n]))
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            if e - s > 1:
                members = sorted(order[s:e].tolist())
                cand.update((a, b) for ai, a in enumerate(members) for b in members[ai + 1 :])
    verified = {p for p in cand if jaccard(sets[p[0]], sets[p[1]]) >= 0.7}
    truth = {tuple(p) for p in pairs.tolist()}
    index = TemplateIndex()
    index.add_many([str(i) for i in range(n)], texts)
    assign = index.assignments()
    same = sum(1 for a, b in truth if assign[str(a)][0] == assign[str(b)][0])
    return {
        "n": n,
        "true_pairs": len(truth),
        "brute_force_s": t_brute,
        "candidate_pairs": len(cand),
        "candidate_recall": candidate_recall,
        "verified_pairs": len(verified),
        "verified_precision": len(verified & truth) / len(verified) if verified else 1.0,
        "verified_recall": len(verified & truth) / len(truth) if truth else 1.0,
        "cluster_recall": same / len(truth) if truth else 1.0,
    }


PHASES = {
    "ours": phase_ours,
    "scale": lambda n, seed: phase_ours(n, seed, sketch_stage=False),
    "datasketch": phase_datasketch,
    "recall": phase_recall,
}


def run_phase(name: str, n: int, seed: int) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.bench_templates",
        "--phase",
        name,
        "--n",
        str(n),
        "--seed",
        str(seed),
    ]
    print(f"  running {name} on {n:,} messages …", flush=True)
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(recall: dict, ours: dict, ds: dict, scale: dict | None) -> str:
    rows = max(ours["rows"], 1)
    per_msg = sum(ours["index_bytes"].values()) / rows
    breakdown = ", ".join(f"{k} {v / rows:,.0f}" for k, v in ours["index_bytes"].items())
    ratio = ds["sketch_index_query_s"] / ours["sketch_index_query_s"]
    ratio_full = ds["sketch_index_query_s"] / (ours["pipeline_add_s"] + ours["pipeline_query_s"])
    lines = [
        "# Template index benchmark",
        "",
        f"Run on {platform.node() or 'this machine'} ({os.cpu_count()} CPUs, shared with other jobs), Python "
        f"{platform.python_version()}, NumPy {np.__version__}; `python -m benchmarks.bench_templates`. "
        "Messages: real texts from ../shared/data/messages (SMS Spam Collection and its de/fr/hi "
        "translations, CLAIR, EMSCAD) with generated light edits on 90 % of them. Parameters for "
        "both implementations: 128 permutations, LSH 32 bands × 4 rows, character 4-grams of the "
        "normalised text, threshold J ≥ 0.7. Times are CPU seconds of the measuring process "
        "(`time.process_time`): the 2-core machine was shared with other jobs during the run, so "
        "wall-clock time was several times longer and not comparable between phases.",
        "",
        f"## Recall and precision against brute force ({recall['n']:,} messages)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| pairs with exact Jaccard ≥ 0.7 (brute force, sparse matrix products, {recall['brute_force_s']:.0f} CPU s) | {recall['true_pairs']:,} |",
        f"| LSH candidate recall of those pairs | {recall['candidate_recall']:.4f} |",
        f"| candidate pairs (all pairs sharing a band) | {recall['candidate_pairs']:,} |",
        f"| pairs kept after exact verification | {recall['verified_pairs']:,} |",
        f"| precision of verified pairs | {recall['verified_precision']:.4f} |",
        f"| recall of verified pairs | {recall['verified_recall']:.4f} |",
        f"| true pairs that end in one template (clusters) | {recall['cluster_recall']:.4f} |",
        "",
        "Theory: P(candidate | J = 0.7) = 1 − (1 − 0.7⁴)³² = 0.99985. The index also accepts "
        "short-text pairs that differ by about one word (≤ 12 shingles apart, ≥ 15 shared; see "
        "docs/templates.md); those are outside this J ≥ 0.7 check, which verifies the Jaccard "
        "criterion on its own.",
        "",
        f"## Throughput and memory ({ours['n']:,} messages + {QUERIES:,} queries), same run",
        "",
        "| stage | ours (NumPy) | datasketch 2.0 (MinHash + MinHashLSH) |",
        "|---|---|---|",
        f"| signatures + LSH index + {QUERIES:,} queries, from normalised texts | {ours['sketch_index_query_s']:.1f} s | {ds['sketch_index_query_s']:.1f} s |",
        f"| messages per second (that stage) | {ours['n'] / ours['sketch_index_query_s']:,.0f} | {ds['n'] / ds['sketch_index_query_s']:,.0f} |",
        f"| **speed-up** | **{ratio:.1f}×** | 1× |",
        f"| peak memory of the phase (process RSS above the loaded texts) | {ours['peak_rss_mb']:.0f} MB | {ds['peak_rss_mb']:.0f} MB |",
        f"| candidates per query | {ours['candidates_per_query']:.1f} | {ds['candidates_per_query']:.1f} |",
        "",
        "Our whole pipeline on the same messages (what `lurewatch templates` and `analyze` run):",
        "",
        "| step | time |",
        "|---|---|",
        f"| normalisation alone (placeholders, accents, punctuation) | {ours['normalise_s']:.1f} s |",
        f"| add all: normalise, exact-copy collapse, shingles, MinHash, LSH, verify every candidate, cluster | {ours['pipeline_add_s']:.1f} s |",
        f"| {QUERIES:,} verified queries | {ours['pipeline_query_s']:.2f} s ({ours['queries_matched']} matched a template) |",
        f"| distinct normalised texts indexed / templates of ≥ 2 | {ours['rows']:,} / {ours['templates']:,} |",
        f"| candidate pairs / verified (others skipped: already one template) | {ours['candidate_pairs']:,} / {ours['verified_pairs']:,} |",
        f"| whole pipeline vs datasketch's sketch-and-index stage alone | {ratio_full:.1f}× faster |",
        "",
        f"Index memory per indexed text: {per_msg:,.0f} bytes "
        f"({breakdown}); "
        "the store keeps 512 bytes of signature per message. Python objects per message (id string, "
        "dict entries, union-find lists) add roughly 300–400 bytes on top.",
    ]
    if scale is not None:
        rows_s = max(scale["rows"], 1)
        index_b = sum(scale["index_bytes"].values())
        # persistent state after a batch: numeric index + Python bookkeeping (~400 B per message)
        resident_gb = (index_b / rows_s * scale["rows"] * 10 + 400 * scale["n"] * 10) / 1e9
        batch_gb = scale["peak_rss_mb"] / 1024
        lines += [
            "",
            f"## Scale: measured at {scale['n']:,}, extrapolated to 10M",
            "",
            "| measure | measured at 1M | 10M (extrapolated) |",
            "|---|---|---|",
            f"| add all (normalise, hash, index, verify, cluster), CPU | {scale['pipeline_add_s']:.0f} s | {scale['pipeline_add_s'] * 10 * 1.1 / 60:.0f} min |",
            f"| of which normalisation (measured separately) | {scale['normalise_s']:.0f} s | {scale['normalise_s'] * 10 / 60:.0f} min |",
            f"| {QUERIES:,} verified queries against the full index | {scale['pipeline_query_s']:.1f} s | ~{scale['pipeline_query_s'] * 1.2:.1f} s (logarithmic lookups) |",
            f"| distinct normalised texts / templates of ≥ 2 | {scale['rows']:,} / {scale['templates']:,} | — |",
            f"| numeric index (signatures + LSH) | {index_b / 1e6:,.0f} MB | {index_b * 10 / 1e9:,.1f} GB |",
            f"| peak memory of the phase (one batch of all messages) | {scale['peak_rss_mb']:,.0f} MB | {batch_gb * 10:,.0f} GB as one batch |",
            f"| peak memory fed as ten incremental batches of 1M | — | ~{resident_gb + batch_gb:,.0f} GB (index + bookkeeping {resident_gb:,.1f} GB, plus one batch's temporaries {batch_gb:,.1f} GB) |",
            "",
            "Method: time — every step is linear in the number of messages except the per-band "
            "sorts (n log n: about +10 % from 1M to 10M, hence ×1.1) and the verification, which "
            "grows with the number of candidate pairs (linear while templates stay a bounded "
            "share of the traffic: exact copies collapse, and pairs inside an already joined "
            "template are not re-verified). Memory — the peak of one batch is dominated by its "
            "temporaries (the flat shingle hashes of every text in the batch, kept for exact "
            "verification), so 10M in one batch (×10) does not fit this 23 GB machine; the index "
            "itself grows by the measured numeric bytes per distinct text plus ~400 B of Python "
            "bookkeeping per message (id string, dict and list entries), which is how the "
            "incremental figure is computed (an estimate, not measured at 10M). The analyze "
            "plugin re-derives shingles from stored texts (`keep_shingles=False`) for the same reason.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Called with no arguments by `python -m benchmarks` (full run); argv when run directly."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--recall-n", type=int, default=20_000)
    parser.add_argument("--scale-n", type=int, default=1_000_000)
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument(
        "--reuse-datasketch",
        help="JSON of an earlier datasketch phase (same seed and size) instead of rerunning it",
    )
    parser.add_argument(
        "--reuse-recall",
        help="JSON of an earlier recall phase (same seed and size) instead of rerunning it",
    )
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks" / "templates.md"))
    args = parser.parse_args([] if argv is None else argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.n, args.seed)))
        return
    if args.quick:
        args.n, args.recall_n, args.scale_n = 20_000, 4_000, 0
    if not DATA.exists():
        sys.exit(f"shared data not found at {DATA}")
    if args.reuse_recall:
        recall = json.loads(Path(args.reuse_recall).read_text(encoding="utf-8"))
    else:
        recall = run_phase("recall", args.recall_n, args.seed)
    print(json.dumps(recall, indent=1))
    ours = run_phase("ours", args.n, args.seed)
    print(json.dumps(ours, indent=1))
    if args.reuse_datasketch:
        ds = json.loads(Path(args.reuse_datasketch).read_text(encoding="utf-8"))
    else:
        ds = run_phase("datasketch", args.n, args.seed)
    print(json.dumps(ds, indent=1))
    scale = (
        None if args.no_scale or not args.scale_n else run_phase("scale", args.scale_n, args.seed)
    )
    if scale:
        print(json.dumps(scale, indent=1))
    text = report(recall, ours, ds, scale)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
