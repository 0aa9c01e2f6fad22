"""The bundled INVENTED demo data parses cleanly and the zip matches the folder and the generator."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lurewatch
from lurewatch.errors import InputError
from lurewatch.ingest import open_source
from lurewatch.records import Account, Edge, Message, record_to_dict

SAMPLE = Path(lurewatch.__file__).resolve().parent / "data" / "sample"


def test_sample_files_are_marked_invented() -> None:
    for readme in (SAMPLE / "README.md", SAMPLE / "linkedin-export" / "README.md"):
        assert "INVENTED DEMO DATA" in readme.read_text(encoding="utf-8")
    assert (SAMPLE / "linkedin-export.zip").stat().st_size < 50_000


def test_sample_archive_zip_equals_folder_and_has_no_errors() -> None:
    zipped = open_source(SAMPLE / "linkedin-export.zip")
    folder = open_source(SAMPLE / "linkedin-export")
    z_items, f_items = list(zipped), list(folder)
    assert not [x for x in z_items if isinstance(x, InputError)]
    assert zipped.warnings == [] and folder.warnings == []
    assert [record_to_dict(x) for x in z_items] == [record_to_dict(x) for x in f_items]
    assert zipped.owner is not None and zipped.owner.name == "Camille Laurent"
    msgs = [x for x in z_items if isinstance(x, Message)]
    assert 18 <= len(msgs) <= 30
    assert {m.channel for m in msgs} == {"invitation", "message", "inmail"}
    assert any("&amp;" in m.text for m in msgs) and any("\n" in m.text for m in msgs)
    assert (SAMPLE / "linkedin-export" / "messages.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_sample_feed_covers_every_record_kind() -> None:
    items = list(open_source(SAMPLE / "feed.jsonl"))
    assert not [x for x in items if isinstance(x, InputError)]
    kinds = Counter(type(x) for x in items)
    assert 40 <= len(items) <= 80
    assert kinds[Account] >= 10 and kinds[Message] >= 10 and kinds[Edge] >= 10
    types = {x.type for x in items if isinstance(x, Edge)}
    assert {"invitation_accepted", "invitation_ignored", "connection"} <= types
    companies = {x.company for x in items if isinstance(x, Account)}
    assert "China Center of International Politics and Economy" in companies
    assert any(isinstance(x, Account) and x.has_photo is False for x in items)


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path)
    for name in (
        "feed.jsonl",
        "linkedin-export.zip",
        "linkedin-export/messages.csv",
        "linkedin-export/Invitations.csv",
    ):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
