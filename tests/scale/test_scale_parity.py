"""The engine's assessments stay identical to the recorded golden outputs (make_golden.py),
on the bundled sample and on a generated small feed, whatever was done for speed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parity_run import GOLDEN, SAMPLE, generated_feed, run  # noqa: E402


def _compare(expected: dict, got: dict) -> None:
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    changed = sorted(k for k in expected if k in got and expected[k] != got[k])
    assert not missing and not extra and not changed, (
        f"{len(missing)} missing {missing[:5]}, {len(extra)} extra {extra[:5]}, "
        f"{len(changed)} changed {[(k, expected[k], got[k]) for k in changed[:3]]}"
    )


def test_sample_assessments_match_golden(tmp_path: Path) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = run([SAMPLE / "feed.jsonl", SAMPLE / "linkedin-export.zip"], tmp_path / "a.db")
    _compare(golden["sample"], got)


def test_generated_feed_assessments_match_golden(tmp_path: Path, shared_data: Path) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = run([generated_feed(tmp_path / "feed.jsonl")], tmp_path / "b.db")
    _compare(golden["generated"], got)


def test_compare_notices_a_changed_assessment() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["sample"]
    key = next(iter(golden))
    altered = {**golden, key: {**golden[key], "digest": "0" * 64}}
    with pytest.raises(AssertionError, match="1 changed"):
        _compare(golden, altered)
