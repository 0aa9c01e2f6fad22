"""Hostile archives are refused before anything is read; huge fields cost one row."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from lurewatch.errors import InputError, UnsafeArchiveError
from lurewatch.ingest import ArchiveLimits, open_source
from lurewatch.records import Message

HEADER = "FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER\n"


def row(n: int, content: str) -> str:
    return (
        f"Ann Lee,https://www.linkedin.com/in/ann-{n},2025-01-0{n} 10:00:00 UTC,{content},INBOX\n"
    )


def make_zip(path: Path, members: dict[str, bytes | str], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    "name", ["../../evil/messages.csv", "/etc/messages.csv", "C:/x/messages.csv", "a/../../b.csv"]
)
def test_path_traversal_refused(tmp_path: Path, name: str) -> None:
    z = make_zip(tmp_path / "t.zip", {"messages.csv": HEADER + row(1, "hi"), name: "x"})
    with pytest.raises(UnsafeArchiveError, match="refused"):
        open_source(z)


def test_symlink_member_refused(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "t.zip", {"messages.csv": HEADER + row(1, "hi")}, symlink="Profile.csv")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        open_source(z)


def test_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "bomb.zip", {"messages.csv": HEADER, "pad.bin": b"\0" * (8 << 20)})
    assert os.path.getsize(z) < 100_000
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        open_source(z)


def test_total_size_limit(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "big.zip", {"messages.csv": HEADER + row(1, "x" * 5000)})
    with pytest.raises(UnsafeArchiveError, match="uncompressed"):
        open_source(z, limits=ArchiveLimits(max_total_bytes=1000))


def test_too_many_members(tmp_path: Path) -> None:
    members: dict[str, bytes | str] = {f"f{i}.txt": "" for i in range(60)}
    members["messages.csv"] = HEADER + row(1, "hi")
    z = make_zip(tmp_path / "many.zip", members)
    with pytest.raises(UnsafeArchiveError, match="61 members"):
        open_source(z, limits=ArchiveLimits(max_members=50))


def test_member_larger_than_cap_refused(tmp_path: Path) -> None:
    z = make_zip(
        tmp_path / "t.zip",
        {"messages.csv": HEADER + "".join(row(i, "y" * 400) for i in range(1, 9))},
    )
    with pytest.raises(UnsafeArchiveError, match="limit 1,000"):
        open_source(z, limits=ArchiveLimits(max_member_bytes=1000))


@pytest.mark.parametrize("size", [110_000, 300_000])
def test_huge_field_costs_one_located_row(tmp_path: Path, size: int) -> None:
    # 110k: over the record limit; 300k: over the csv module's field limit.
    text = HEADER + row(1, "before") + row(2, "x" * size) + row(3, "after")
    z = make_zip(tmp_path / "huge.zip", {"messages.csv": text})
    items = list(open_source(z))
    errors = [x for x in items if isinstance(x, InputError)]
    assert [(e.source, e.line) for e in errors] == [("messages.csv", 2)]
    assert [m.text for m in items if isinstance(m, Message)] == ["before", "after"]


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "fake.zip"
    p.write_bytes(b"this is not a zip")
    with pytest.raises(InputError, match="not a readable zip"):
        open_source(p)


def test_zip_detected_without_suffix(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "export.bin", {"messages.csv": HEADER + row(1, "hi")})
    assert [m.text for m in open_source(z) if isinstance(m, Message)] == ["hi"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_folder_link_pointing_outside_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER + row(1, "secret"))
    export = tmp_path / "export"
    export.mkdir()
    (export / "Invitations.csv").write_text(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    )
    os.symlink(outside, export / "messages.csv")
    with pytest.raises(UnsafeArchiveError, match="outside"):
        open_source(export)


def test_folder_link_inside_is_fine(tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "real").mkdir(parents=True)
    (export / "real" / "data.csv").write_text(HEADER + row(1, "inside"))
    os.symlink(export / "real" / "data.csv", export / "messages.csv")
    assert [m.text for m in open_source(export) if isinstance(m, Message)] == ["inside"]


def test_encrypted_member_is_a_located_error_and_the_rest_is_read(tmp_path: Path) -> None:
    z = tmp_path / "enc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(
            "Invitations.csv",
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n",
        )
        zf.writestr("messages.csv", HEADER + row(1, "hi"))
    # Set the "encrypted" flag of messages.csv in its central directory entry.
    data = bytearray(z.read_bytes())
    entry = data.rindex(b"PK\x01\x02")  # the last central directory entry: messages.csv
    data[entry + 8] |= 0x1
    z.write_bytes(bytes(data))
    items = list(open_source(z))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].source == f"{z}:messages.csv" and "encrypted" in items[0].message


def test_corrupt_member_stops_that_file_only(tmp_path: Path) -> None:
    z = make_zip(
        tmp_path / "crc.zip",
        {
            "messages.csv": HEADER + "".join(row(i, f"message number {i}") for i in range(1, 9)),
            "Invitations.csv": "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
            "Ann,Bo,01 Mar 2025,hello,INCOMING,https://www.linkedin.com/in/ann,https://www.linkedin.com/in/bo\n",
        },
    )
    data = bytearray(z.read_bytes())
    at = data.index(b"messages.csv") + len("messages.csv") + 20  # inside the deflated data
    data[at] ^= 0xFF
    z.write_bytes(bytes(data))
    items = list(open_source(z))
    assert [m.text for m in items if isinstance(m, Message)] == ["hello"]
    errors = [x for x in items if isinstance(x, InputError)]
    assert errors and all(e.source.endswith("messages.csv") for e in errors)
