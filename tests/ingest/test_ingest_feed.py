"""Platform feeds: JSON Lines (file or stdin) and JSON arrays, errors located by line and field."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from lurewatch.errors import InputError
from lurewatch.ingest import SourceReader, open_source
from lurewatch.records import Account, Edge, Message

LINES = [
    '{"kind": "account", "id": "a1", "name": "Mia Stone", "company": "Global View Strategic Consulting Ltd"}',
    "",
    '{"kind": "message", "id": "m1", "sender": "a1", "recipients": ["b1"], "text": "Paid paper?", "channel": "inmail"}',
    "{not json",
    '{"kind": "message", "id": "m2", "text": "x", "sent_at": "last tuesday"}',
    '{"kind": "edge", "src": "a1", "dst": "b1", "type": "invitation_ignored"}',
    '{"kind": "teapot", "id": "t"}',
    "[1, 2]",
    '   {"kind": "account", "id": "a2", "followers": -3}',
]


def check_feed(reader: SourceReader, name: str) -> None:
    items = list(reader)
    assert reader.owner is None
    records = [x for x in items if not isinstance(x, InputError)]
    errors = [x for x in items if isinstance(x, InputError)]
    assert [type(r) for r in records] == [Account, Message, Edge]
    assert [r.source.row for r in records] == [
        1,
        3,
        6,
    ]  # physical lines; the blank one counted, skipped
    assert all(r.source.file == name for r in records)
    assert [(e.line, e.field) for e in errors] == [
        (4, None),
        (5, "sent_at"),
        (7, "kind"),
        (8, None),
        (9, "followers"),
    ]
    assert all(e.source == name for e in errors)
    assert "not valid JSON" in errors[0].message
    assert isinstance(records[1], Message) and records[1].recipients == ["b1"]


def test_jsonl_file(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    check_feed(open_source(p), str(p))


def test_ndjson_with_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "feed.ndjson"
    p.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(LINES).encode())
    check_feed(open_source(p), str(p))


def test_stdin_text_and_binary() -> None:
    check_feed(open_source("-", stdin=io.StringIO("\n".join(LINES))), "<stdin>")
    check_feed(open_source(None, stdin=io.StringIO("\n".join(LINES))), "<stdin>")

    class FakeStdin(io.StringIO):
        buffer = io.BytesIO("\n".join(LINES).encode())

    check_feed(open_source("-", stdin=FakeStdin()), "<stdin>")


def test_stdin_can_only_be_read_once() -> None:
    reader = open_source("-", stdin=io.StringIO(LINES[0]))
    assert len(list(reader)) == 1
    with pytest.raises(InputError, match="once"):
        list(reader)


def test_bad_utf8_costs_one_line(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_bytes(
        LINES[0].encode() + b'\n{"kind":"account","id":"\xff"}\n' + LINES[5].encode() + b"\n"
    )
    items = list(open_source(p))
    assert isinstance(items[1], InputError) and items[1].line == 2 and "UTF-8" in items[1].message
    assert isinstance(items[0], Account) and isinstance(items[2], Edge)


def test_json_array_located_by_line(tmp_path: Path) -> None:
    p = tmp_path / "feed.json"
    p.write_text(
        '[\n  {"kind": "account", "id": "a1"},\n  {"kind": "account"},\n\n  {"kind": "edge", "src": "a", "dst": "b"}\n]\n'
    )
    items = list(open_source(p))
    assert isinstance(items[0], Account) and items[0].source.row == 2
    assert isinstance(items[1], InputError) and (items[1].line, items[1].field) == (3, "id")
    assert isinstance(items[2], Edge) and items[2].source.row == 5


def test_json_array_broken_midway_keeps_earlier_items(tmp_path: Path) -> None:
    p = tmp_path / "feed.json"
    p.write_text('[{"kind": "account", "id": "a1"},\n {"kind": "account", "id": }]')
    items = list(open_source(p))
    assert isinstance(items[0], Account)
    assert (
        isinstance(items[1], InputError)
        and items[1].line == 2
        and "rest of the file" in items[1].message
    )


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    p = tmp_path / "feed.json"
    p.write_text("\n".join(json.dumps({"kind": "account", "id": f"a{i}"}) for i in range(3)))
    assert [r.id for r in open_source(p)] == ["a0", "a1", "a2"]


def test_ids_stable_across_reads(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(LINES))
    assert [getattr(x, "id", None) for x in open_source(p)] == [
        getattr(x, "id", None) for x in open_source(p)
    ]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda d: d / "missing.jsonl", "no such file"),
        (lambda d: (d / "notes.txt").write_text("x") and d / "notes.txt", "unknown input type"),
    ],
)
def test_bad_paths_name_the_path(tmp_path: Path, make, match: str) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError, match=match) as info:
        open_source(path)
    assert info.value.source == str(path)


def test_dash_without_stdin() -> None:
    with pytest.raises(InputError, match="no input"):
        open_source("-")


@pytest.mark.parametrize("as_text", [False, True])
def test_overlong_line_is_skipped_and_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_text: bool
) -> None:
    from lurewatch.ingest import feed

    monkeypatch.setattr(feed, "MAX_LINE_BYTES", 200)
    long_line = json.dumps({"kind": "account", "id": "big", "about": "x" * 450})
    text = LINES[0] + "\n" + long_line + "\n" + LINES[5] + "\n"
    if as_text:
        reader = open_source("-", stdin=io.StringIO(text))
    else:
        p = tmp_path / "feed.jsonl"
        p.write_text(text)
        reader = open_source(p)
    items = list(reader)
    assert isinstance(items[0], Account) and isinstance(items[2], Edge) and len(items) == 3
    assert (
        isinstance(items[1], InputError)
        and items[1].line == 2
        and "longer than" in items[1].message
    )
    assert items[2].source.row == 3
