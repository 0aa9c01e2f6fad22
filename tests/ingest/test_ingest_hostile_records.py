"""Hostile values inside valid JSON: each costs its own record (a located reject), never the batch.

Every value here once escaped validation as a ValueError/OverflowError/UnicodeEncodeError,
aborting `ingest` (losing its batch) and `check --input` (writing nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lurewatch.errors import InputError
from lurewatch.ingest import open_source
from lurewatch.ingest.feed import decode_json
from lurewatch.records import Message, label, record_from_dict, shown

BIG_INT = "1" + "0" * 4400  # over Python's 4,300-digit int/str conversion limit
LONG_FLOAT = "1" + "0" * 400 + ".5"  # json reads it as inf

HOSTILE_LINES = {
    "sent_at": '{"kind": "message", "id": "m", "text": "x", "sent_at": 1e18}',
    "created_at": '{"kind": "account", "id": "a", "created_at": 1e300}',
    "connections": '{"kind": "account", "id": "a", "connections": 1' + "0" * 400 + "}",
    "followers": '{"kind": "account", "id": "a", "followers": ' + LONG_FLOAT + "}",
    "text": '{"kind": "message", "id": "m", "text": "a\\ud800b"}',
    "name": '{"kind": "account", "id": "a", "name": "nul\\u0000here"}',
    "skills": '{"kind": "account", "id": "a", "skills": ["ok", "\\udfff"]}',
    "at": '{"kind": "edge", "src": "a", "dst": "b", "at": -1e300}',
    "id": '{"kind": "message", "id": 1e999, "text": "x"}',
    "posts": '{"kind": "account", "id": "a", "posts": "1' + "0" * 5000 + '"}',
}
NOT_JSON = {
    "a 4,300+-digit integer": '{"kind": "message", "id": ' + BIG_INT + ', "text": "x"}',
    "NaN": '{"kind": "message", "id": "m", "text": NaN}',
    "Infinity": '{"kind": "account", "id": "a", "followers": Infinity}',
    "deep nesting": '{"kind": "message", "id": "m", "text": ' + "[" * 100_000 + "}",
}


@pytest.mark.parametrize("field", sorted(HOSTILE_LINES))
def test_hostile_value_is_a_reject_naming_its_field(field: str) -> None:
    data = decode_json(HOSTILE_LINES[field])
    with pytest.raises(InputError) as err:
        record_from_dict(data)
    assert err.value.field == field
    # the message itself is short and writable as UTF-8 (no 5,000-digit echo, no surrogate)
    assert len(err.value.message) < 300
    err.value.message.encode("utf-8")


@pytest.mark.parametrize("what", sorted(NOT_JSON))
def test_json_that_python_cannot_convert_is_a_located_error(what: str) -> None:
    with pytest.raises(InputError) as err:
        decode_json(NOT_JSON[what], "feed.jsonl", 7)
    assert (err.value.source, err.value.line) == ("feed.jsonl", 7)
    assert len(err.value.message) < 300


def test_dates_at_the_edge_of_the_range() -> None:
    ok = record_from_dict({"kind": "message", "id": "m", "text": "x", "sent_at": 1_700_000_000})
    assert isinstance(ok, Message) and ok.sent_at is not None and ok.sent_at.year == 2023
    in_ms = record_from_dict({"kind": "message", "id": "m", "text": "x", "sent_at": 1.7e12})
    assert isinstance(in_ms, Message) and in_ms.sent_at == ok.sent_at
    for far in ("0001-01-01", "9999-12-31T23:59:59Z", -1e12, 1e17):
        with pytest.raises(InputError, match="out of range"):
            record_from_dict({"kind": "message", "id": "m", "sent_at": far})


def test_counts_are_bounded_so_the_store_can_hold_them() -> None:
    with pytest.raises(InputError, match="too large"):
        record_from_dict({"kind": "account", "id": "a", "followers": 2**63})
    ok = record_from_dict({"kind": "account", "id": "a", "followers": 12_345})
    assert ok.followers == 12_345  # type: ignore[union-attr]


def test_shown_and_label_are_safe_for_any_json_value() -> None:
    huge = int(BIG_INT[:4000])
    assert "digits" in shown(huge) and len(shown(huge)) < 60
    assert len(shown("x" * 50_000_000)) < 120
    shown("a\ud800b").encode("utf-8")
    assert label("a\ud800b") is None and label(huge) is None and label({"x": 1}) is None
    assert label("m1") == "m1" and label(7) == "7"


def test_bad_line_at_5001_of_10000_stores_9999(tmp_path: Path) -> None:
    """The reported loss: a bad line in the middle once cost its batch and everything after it."""
    from lurewatch.engine.service import ingest_sources
    from lurewatch.store import Store, queries

    lines = [
        json.dumps({"kind": "message", "id": f"m{i}", "text": f"hello {i}", "sender": "a"})
        for i in range(10_000)
    ]
    lines[5000] = HOSTILE_LINES["sent_at"]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n")
    store = Store(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        summary = ingest_sources(store, [feed])
        with store.read() as conn:
            counts = queries.count_records(conn)
    finally:
        store.close()
    assert counts["message"] == 9_999
    [reject] = summary.sources[0].rejected
    assert (reject.line, reject.field) == (5001, "sent_at")


def test_every_hostile_line_is_rejected_and_the_good_ones_read(tmp_path: Path) -> None:
    bad = list(HOSTILE_LINES.values()) + list(NOT_JSON.values())
    good = '{"kind": "message", "id": "fine", "text": "hello"}'
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([good, *bad, good.replace("fine", "fine2")]) + "\n")
    items = list(open_source(feed))
    assert len(items) == len(bad) + 2
    assert [type(x) for x in items[1:-1]] == [InputError] * len(bad)
    assert [x.line for x in items[1:-1]] == list(range(2, len(bad) + 2))  # type: ignore[union-attr]
    assert [x.id for x in (items[0], items[-1])] == ["fine", "fine2"]  # type: ignore[union-attr]


def test_check_input_writes_one_line_per_hostile_line(tmp_path: Path) -> None:
    """The JSONL contract holds for hostile lines: an error line each, the good ones scored."""
    from click.testing import CliRunner

    from lurewatch.cli.main import cli

    bad = list(HOSTILE_LINES.values()) + list(NOT_JSON.values())
    good = '{"kind": "message", "id": "fine", "text": "hello"}'
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([*bad, good]) + "\n")
    db = str(tmp_path / "never-created.db")
    result = CliRunner().invoke(
        cli, ["--db", db, "check", "--input", str(feed)], catch_exceptions=False
    )
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out[:-1]] == list(range(1, len(bad) + 1))
    assert all("error" in o for o in out[:-1])
    assert out[-1]["id"] == "fine" and "score" in out[-1]
    assert result.stderr.count("lurewatch: ") == len(bad) + 1  # each line, then the summary


def test_json_array_file_with_a_hostile_item_keeps_the_items_before_it(tmp_path: Path) -> None:
    good = '{"kind": "message", "id": "m1", "text": "hello"}'
    for bad in (NOT_JSON["a 4,300+-digit integer"], NOT_JSON["NaN"], HOSTILE_LINES["text"]):
        path = tmp_path / "records.json"
        path.write_text(f"[\n{good},\n{bad},\n{good.replace('m1', 'm3')}\n]\n")
        items = list(open_source(path))
        assert isinstance(items[0], Message) and items[0].id == "m1"
        assert isinstance(items[1], InputError) and items[1].line == 3


def test_a_record_the_store_refuses_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a database refuse one record (its own limits), the rest of its batch is stored."""
    from lurewatch.engine import service
    from lurewatch.store import Store, queries

    real = queries.save_records

    def picky(conn, records):  # type: ignore[no-untyped-def]
        records = list(records)
        if any(r.id == "m7" for r in records):
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(conn, records)

    monkeypatch.setattr(service.queries, "save_records", picky)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"kind": "message", "id": f"m{i}", "text": "x"}) + "\n" for i in range(20)
        )
    )
    store = Store(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        summary = service.ingest_sources(store, [feed])
        with store.read() as conn:
            assert queries.count_records(conn)["message"] == 19
    finally:
        store.close()
    [reject] = summary.sources[0].rejected
    assert reject.line == 8 and "could not be stored" in reject.message
