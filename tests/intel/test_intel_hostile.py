"""STIX bundles with text no store can hold: the object is a located reject (found by make fuzz)."""

from __future__ import annotations

import json

import pytest

from lurewatch.intel.stix_in import parse_bundle
from lurewatch.intel.stix_out import serialize, watchlist_bundle
from lurewatch.watchlist.seeds import SEED_ENTRIES


@pytest.mark.parametrize("bad", ["\\ud800", "\\u0000"])
def test_identity_with_unwritable_text_is_rejected_and_the_rest_kept(bad: str) -> None:
    text = serialize(watchlist_bundle(SEED_ENTRIES[:3], now="2026-01-01T00:00:00Z"))
    bundle = json.loads(text)
    identities = [o for o in bundle["objects"] if o["type"] == "identity" and "name" in o]
    target = identities[-1]
    raw = json.dumps(bundle).replace(
        json.dumps(target["name"]), json.dumps(target["name"])[:-1] + bad + '"', 1
    )
    parsed = parse_bundle(raw, "hostile.json")
    assert [e.field.startswith("objects[") for e in parsed.rejected] == [True]
    names = [e.name for e in parsed.entries]
    assert target["name"] not in names and len(names) >= 2
    for entry in parsed.entries:
        json.dumps(entry.name, ensure_ascii=False).encode("utf-8")


def test_integer_over_the_conversion_limit_is_a_located_error() -> None:
    from lurewatch.errors import InputError

    with pytest.raises(InputError, match="not valid JSON"):
        parse_bundle('{"type": "bundle", "objects": [' + "1" * 5000 + "]}", "big.json")
