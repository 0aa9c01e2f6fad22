"""Benchmark: STIX 2.1 export, plain dicts (ours) vs building `stix2` objects one by one.

Suspected accounts with assessments become identity + user-account + handle and URL
indicators + relationships (7 objects each). Ours: `build_bundle` (deterministic dicts) and
`json.dumps`. Baseline in the same run: the same objects built with `stix2.v21` classes
(`Identity`, `UserAccount`, `Indicator`, `Relationship`) and `Bundle.serialize()`, on a sample
(it is much slower). Our output is then checked with `stix2.parse` on a sample.

    .venv/bin/python -m benchmarks.bench_stix [--objects 100000]

Writes (replaces) the "STIX 2.1 export" section of docs/benchmarks/watchlist.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import stix2

from lurewatch.intel.extension import extension
from lurewatch.intel.stix_out import build_bundle, validate_bundle

OUT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "watchlist.md"
SECTION = "## STIX 2.1 export"
PER_ACCOUNT = 7


def inputs(n_accounts: int) -> tuple[list[dict], dict[str, dict]]:
    accounts = [
        {
            "id": f"acc-{i}",
            "name": f"Persona {i}",
            "username": f"persona-{i}",
            "profile_url": f"https://www.linkedin.com/in/persona-{i}",
            "headline": "Senior head hunter",
        }
        for i in range(n_accounts)
    ]
    assessments = {
        a["id"]: {
            "score": 0.9,
            "level": "high",
            "model": "rules-v1",
            "assessed_at": "2025-03-01T00:00:00+00:00",
            "evidence": [{"signal": "lure.paid_collaboration", "strength": 0.6}],
        }
        for a in accounts
    }
    return accounts, assessments


def with_stix2(accounts: list[dict], assessments: dict[str, dict]) -> str:
    objs = []
    for a in accounts:
        ext = extension(
            assessment={"score": 0.9, "level": "high", "model": "rules-v1", "signals": []}
        )
        ident = stix2.v21.Identity(
            name=a["name"],
            identity_class="individual",
            description="Suspected cover profile.",
            extensions=ext,
        )
        ua = stix2.v21.UserAccount(
            account_type="linkedin",
            user_id=a["id"],
            account_login=a["username"],
            display_name=a["name"],
        )
        objs += [ident, ua, stix2.v21.Relationship(ident, "related-to", ua)]
        for pattern in (
            f"[user-account:account_login = '{a['username']}' AND user-account:account_type = 'linkedin']",
            f"[url:value = '{a['profile_url']}']",
        ):
            ind = stix2.v21.Indicator(
                name="Suspected cover profile",
                pattern=pattern,
                pattern_type="stix",
                valid_from="2025-03-01T00:00:00Z",
            )
            objs += [ind, stix2.v21.Relationship(ind, "related-to", ident)]
    return stix2.v21.Bundle(objects=objs, allow_custom=True).serialize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--baseline-objects", type=int, default=5_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    accounts, assessments = inputs(max(1, args.objects // PER_ACCOUNT))

    t0 = time.perf_counter()
    bundle = build_bundle(accounts=accounts, assessments=assessments, now="2025-03-02T00:00:00Z")
    text = json.dumps(bundle)
    ours_s = time.perf_counter() - t0
    n_ours = len(bundle["objects"])

    sample_acc = accounts[: max(1, args.baseline_objects // PER_ACCOUNT)]
    t0 = time.perf_counter()
    base_text = with_stix2(sample_acc, assessments)
    base_s = time.perf_counter() - t0
    n_base = len(json.loads(base_text)["objects"])

    check = {"type": "bundle", "id": bundle["id"], "objects": bundle["objects"][:2000]}
    t0 = time.perf_counter()
    validate_bundle(check, full=False)
    check_s = time.perf_counter() - t0

    ours_rate, base_rate = n_ours / ours_s, n_base / base_s
    lines = [
        SECTION,
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, one core, shared with other "
        "jobs (absolute figures pessimistic; the ratio is measured in the same run). "
        "Command: `.venv/bin/python -m benchmarks.bench_stix`.",
        "",
        "| exporter | objects | seconds | objects/s |",
        "|---|---|---|---|",
        f"| lurewatch `build_bundle` + `json.dumps` | {n_ours:,} | {ours_s:.2f} | **{ours_rate:,.0f}** |",
        f"| `stix2.v21` objects one by one + `Bundle.serialize()` | {n_base:,} (sample) | {base_s:.2f} | {base_rate:,.0f} |",
        "",
        f"Speed-up: **{ours_rate / base_rate:,.1f}x**. Output size {len(text) / 1e6:.1f} MB. "
        f"Checking 2,000 of our objects with `stix2.parse` took {check_s:.2f} s "
        f"({2000 / check_s:,.0f} objects/s): validation, not construction, is the cost of using the library.",
    ]
    out = "\n".join(lines) + "\n"
    print(out)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        before = OUT.read_text(encoding="utf-8") if OUT.exists() else "# Benchmark: watchlist\n"
        head = before.split(SECTION, 1)[0].rstrip("\n")
        OUT.write_text(head + "\n\n" + out, encoding="utf-8")


if __name__ == "__main__":
    main()
