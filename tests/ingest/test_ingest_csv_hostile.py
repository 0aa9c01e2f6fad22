"""Hostile CSV exports: a huge multi-line field costs one row; wide encodings; smuggled NULs."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from lurewatch.errors import InputError
from lurewatch.ingest import open_source
from lurewatch.ingest.csvtable import MAX_LINE_CHARS
from lurewatch.ingest.ids import normalise_profile_url
from lurewatch.records import Account, Message

HEADER = "FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER\r\n"


def row(n: int, content: str) -> str:
    return f'Ann Lee,https://www.linkedin.com/in/ann-{n},2025-01-0{n} 10:00:00 UTC,"{content}",INBOX\r\n'


def export(tmp_path: Path, data: str | bytes) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    target = folder / "messages.csv"
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8", newline="")
    else:
        target.write_bytes(data)
    return folder


def read(folder: Path) -> tuple[list[Message], list[InputError]]:
    items = list(open_source(folder))
    return (
        [x for x in items if isinstance(x, Message)],
        [x for x in items if isinstance(x, InputError)],
    )


def test_multi_line_field_over_the_limit_is_one_reject(tmp_path: Path) -> None:
    """Once: one bogus row per line of the field (512,722 rejects for 50 MB)."""
    field = ("x" * 70 + "\r\n") * 20_000  # 1.4 MB in 20,000 lines, inside quotes
    folder = export(tmp_path, HEADER + row(1, "before") + row(2, field) + row(3, "after"))
    messages, errors = read(folder)
    assert [m.text for m in messages] == ["before", "after"]
    assert [(e.line, "field limit" in e.message) for e in errors] == [(2, True)]
    assert [m.source.row for m in messages] == [1, 3]  # type: ignore[union-attr]


@pytest.mark.slow
def test_fifty_megabyte_field_with_line_breaks(tmp_path: Path) -> None:
    field = ("y" * 90 + "\n") * 550_000
    folder = export(tmp_path, HEADER + row(1, "before") + row(2, field) + row(3, "after"))
    messages, errors = read(folder)
    assert [m.text for m in messages] == ["before", "after"] and len(errors) == 1


def test_line_longer_than_the_piece_size_is_one_reject(tmp_path: Path) -> None:
    long_line = "Ann Lee,," + "z" * (MAX_LINE_CHARS + 10) + ",x,INBOX\r\n"  # unquoted, no breaks
    folder = export(tmp_path, HEADER + row(1, "before") + long_line + row(3, "after"))
    messages, errors = read(folder)
    assert [m.text for m in messages] == ["before", "after"]
    assert [e.line for e in errors] == [2]


def test_an_unclosed_quote_costs_the_rest_of_the_file_once(tmp_path: Path) -> None:
    folder = export(
        tmp_path, HEADER + row(1, "before") + 'Ann,,,"' + "w" * 200_000 + "\r\nmore\r\n"
    )
    messages, errors = read(folder)
    assert [m.text for m in messages] == ["before"] and len(errors) == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_wide_encodings_with_a_byte_order_mark_are_decoded(tmp_path: Path, codec: str) -> None:
    text = HEADER + row(1, "héllo") + row(2, "wörld")
    data = text.encode(codec)
    if not codec.endswith(("16", "32")):  # the -be/-le codecs write no mark: add it
        bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}[codec]
        data = bom + data
    messages, errors = read(export(tmp_path, data))
    assert errors == [] and [m.text for m in messages] == ["héllo", "wörld"]
    assert all("\x00" not in (m.sender_name or "") for m in messages)


def test_wide_encoding_without_a_mark_is_a_clear_error(tmp_path: Path) -> None:
    messages, errors = read(export(tmp_path, (HEADER + row(1, "hi")).encode("utf-16-le")))
    assert messages == []
    assert [("unsupported encoding" in e.message, e.source) for e in errors] == [
        (True, f"{tmp_path / 'export'}/messages.csv")
    ]


@pytest.mark.parametrize("escape", ["%00", "%0A", "%1F", "%7F"])
def test_percent_encoded_control_characters_never_reach_an_id(tmp_path: Path, escape: str) -> None:
    url = f"https://www.linkedin.com/in/ann{escape}lee"
    assert normalise_profile_url(url) is None
    line = f"Ann Lee,{url},2025-01-01 10:00:00 UTC,hi,INBOX\r\n"
    items = list(open_source(export(tmp_path, HEADER + line)))
    ids = [x.id for x in items if isinstance(x, Account | Message)]
    ids += [s for x in items if isinstance(x, Message) for s in (x.sender or "",)]
    assert ids and not any(ch in i for i in ids for ch in "\x00\n\x1f\x7f")


def test_zip_needing_a_newer_version_is_refused_cleanly(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError ("zip file version 6.9"): found by `make fuzz`."""
    import zipfile

    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("messages.csv", HEADER + row(1, "hi"))
    data = bytearray(z.read_bytes())
    at = data.index(b"PK\x01\x02") + 6  # central directory: version needed to extract
    data[at : at + 2] = (69).to_bytes(2, "little")
    z.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a readable zip file"):
        open_source(z)
