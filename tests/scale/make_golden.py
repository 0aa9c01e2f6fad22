"""Records the engine's assessments on the bundled sample and a generated small feed as the
parity golden file (run once with the engine to keep; the parity test compares against it).

Speed work must leave the golden unchanged. A change meant to alter verdicts (new rules, a
retrained model, a new detector version) regenerates it from the worktree's own src/
(`LUREWATCH_NO_EMBEDDINGS=1 PYTHONHASHSEED=0 .venv/bin/python tests/scale/make_golden.py`: the tests score
without embeddings) in the same commit, which says why.

It was first recorded from the engine before the speed work:

    git archive BASE src | tar -x -C /tmp/base
    LUREWATCH_PARITY_SRC=/tmp/base/src .venv/bin/python tests/scale/make_golden.py

(BASE: the commit before the speed work, 85a3a95, with one fix applied: an account's
strongest template is chosen among equally strong ones by id (`sorted(tids)` in
engine/plugins/templates.py), not by set order. Without LUREWATCH_PARITY_SRC the worktree's
own src/ runs.)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parity_run import GOLDEN, SAMPLE, generated_feed, run  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        golden = {
            "sample": run([SAMPLE / "feed.jsonl", SAMPLE / "linkedin-export.zip"], t / "a.db"),
            "generated": run([generated_feed(t / "feed.jsonl")], t / "b.db"),
        }
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{GOLDEN}: {sum(len(v) for v in golden.values())} assessments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
