"""Runs ingest + analyze on a feed and digests every assessment (shared by the parity test and
`make_golden.py`, which records today's engine's outputs as the golden file).

A digest is the SHA-256 of the assessment's canonical JSON (score, level, evidence, advice,
model, extra), so the golden file holds no message text. Wall-clock "now" is frozen: an account
that sent nothing is aged against now, which would otherwise drift from day to day. The run
happens in a child process with PYTHONHASHSEED=0: some ties (e.g. graph targeting between two
equally hit organisations) are broken by set order, which follows the string hash seed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "data" / "parity-golden.json"
SAMPLE = REPO / "src" / "lurewatch" / "data" / "sample"
GENERATED_ACCOUNTS = 300  # the generated small feed: 300 accounts, ~6,300 records
FROZEN = datetime(2027, 1, 1, tzinfo=UTC)


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        return FROZEN if tz is not None else FROZEN.replace(tzinfo=None)


def digest(item: dict) -> str:
    body = {k: v for k, v in item.items() if k not in ("assessed_at",)}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def run(sources: list[Path], db: Path) -> dict[str, dict[str, object]]:
    """`kind:id` -> {level, score, digest} for every assessment after ingest + analyze."""
    # LUREWATCH_PARITY_SRC: another checkout's src/ (make_golden.py records the base commit's)
    src = os.environ.get("LUREWATCH_PARITY_SRC", str(REPO / "src"))
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, __file__, str(db), *map(str, sources)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"parity run failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def _run_here(sources: list[Path], db: Path) -> dict[str, dict[str, object]]:
    from lurewatch.engine.service import analyze, ingest_sources
    from lurewatch.settings import Settings
    from lurewatch.store import Store, queries

    settings = Settings(db_url=f"sqlite:///{db}")
    with ExitStack() as stack:
        for target in (
            "lurewatch.signals.persona.datetime",
            "lurewatch.models.account_features.datetime",
        ):
            stack.enter_context(mock.patch(target, _FrozenDatetime))
        store = Store(settings.db_url)
        ingest_sources(store, sources)
        analyze(store, settings)
        with store.read() as conn:
            found = queries.list_assessments(conn, limit=10_000_000)
        store.close()
    return {
        f"{a.kind}:{a.id}": {"level": a.level, "score": a.score, "digest": digest(a.to_dict())}
        for a in sorted(found, key=lambda a: (a.kind, a.id))
    }


def generated_feed(path: Path) -> Path:
    """The generated small feed (needs ../shared/data)."""
    sys.path.insert(0, str(REPO))
    from benchmarks import feedgen

    feedgen.write(path, GENERATED_ACCOUNTS, seed=0)
    return path


if __name__ == "__main__":
    result = _run_here([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))
    sys.stdout.write(json.dumps(result))
