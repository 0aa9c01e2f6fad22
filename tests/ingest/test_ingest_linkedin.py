"""LinkedIn export archives: mapping, format quirks, located errors, stable ids."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lurewatch.errors import InputError
from lurewatch.ingest import SourceReader, open_source
from lurewatch.ingest.csvtable import parse_export_date
from lurewatch.ingest.ids import account_id, normalise_profile_url
from lurewatch.records import Account, Edge, Message, record_to_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "linkedin"


def read_all(path: Path | str) -> tuple[SourceReader, list]:
    reader = open_source(path)
    return reader, list(reader)


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, prefix + f.name)
    return target


def by_kind(items: list, cls: type) -> list:
    return [x for x in items if isinstance(x, cls)]


# ---------------------------------------------------------------- the basic archive


def test_basic_folder_maps_every_file() -> None:
    reader, items = read_all(FIXTURES / "basic")
    assert not [x for x in items if isinstance(x, InputError)]
    assert reader.warnings == []
    owner = reader.owner
    assert owner is not None
    assert owner.id == "li:in/claire-martin-test"  # URL found on the sent side of Invitations.csv
    assert owner.name == "Claire Martin"
    assert owner.headline == "Policy officer at a ministry"
    assert owner.about == "Energy policy,\nEU affairs"  # multi-line quoted field, after a BOM
    assert owner.location == "Paris, France"
    assert [e.company for e in owner.experiences] == [
        "Ministry of Energy Transition",
        "Grid Operator SA",
    ]
    assert (owner.title, owner.company) == ("Policy Officer", "Ministry of Energy Transition")
    assert items[0] is owner or items[0] == owner

    accounts = {a.id: a for a in by_kind(items, Account)}
    paul = accounts["li:in/paul-durand-test"]
    assert (paul.name, paul.company, paul.title) == (
        "Paul Durand",
        "Ministry of Energy Transition",
        "Head of Unit",
    )
    assert paul.source.file == "Connections.csv" and paul.source.row == 1  # Notes preamble skipped
    assert "li:in/laura-chen-test" in accounts  # an inviter becomes an account
    assert "li:in/tom-baker-test" in accounts  # so does a message sender

    edges = {e.id: e for e in by_kind(items, Edge)}
    conn = edges["li:in/claire-martin-test|connection|li:in/paul-durand-test"]
    assert conn.type == "connection" and conn.at.isoformat() == "2024-02-12T00:00:00+00:00"
    inv = edges["li:in/laura-chen-test|invitation_sent|li:in/claire-martin-test"]
    assert inv.at.isoformat() == "2025-03-01T10:00:00+00:00"


def test_basic_messages_and_invitations() -> None:
    _, items = read_all(FIXTURES / "basic")
    msgs = by_kind(items, Message)
    lure = next(m for m in msgs if m.channel == "invitation" and m.direction == "incoming")
    assert "&amp;" in lure.text  # raw text kept; detectors unescape
    assert lure.sender == "li:in/laura-chen-test" and lure.sender_name == "Laura Chen"
    assert lure.recipients == ["li:in/claire-martin-test"]
    assert lure.source.file == "Invitations.csv" and lure.source.row == 1
    empty = next(m for m in msgs if m.channel == "invitation" and m.direction == "outgoing")
    assert empty.text == ""  # an invitation without a note is still a message record

    whatsapp = next(m for m in msgs if "WhatsApp" in m.text)
    assert whatsapp.text.startswith("Thank you for connecting!\nCould we")
    assert whatsapp.channel == "message" and whatsapp.direction == "incoming"
    assert whatsapp.conversation_id == "2-abc=="
    assert whatsapp.sent_at.isoformat() == "2025-03-02T08:30:00+00:00"
    reply = next(m for m in msgs if m.text == "I prefer to stay here.")
    assert reply.direction == "outgoing" and reply.recipients == ["li:in/laura-chen-test"]
    inmail = next(m for m in msgs if m.subject)
    assert inmail.channel == "inmail" and inmail.subject == "Senior Analyst role"


def test_ids_are_stable_across_reads_and_between_zip_and_folder(tmp_path: Path) -> None:
    _, first = read_all(FIXTURES / "basic")
    _, second = read_all(FIXTURES / "basic")
    _, zipped = read_all(
        zip_folder(FIXTURES / "basic", tmp_path / "export.zip", prefix="Basic_LinkedInDataExport/")
    )
    ids = [x.id for x in first]
    assert ids == [x.id for x in second]
    assert ids == [x.id for x in zipped]
    assert len(set(ids)) == len(ids)  # each account yielded once; no clashing message ids
    assert [record_to_dict(x) for x in first] == [record_to_dict(x) for x in second]
    assert (
        zipped[1].source.file == "Basic_LinkedInDataExport/Connections.csv"
    )  # the path inside the archive


def test_reader_can_be_iterated_twice() -> None:
    reader = open_source(FIXTURES / "basic")
    assert [x.id for x in reader] == [x.id for x in reader]


# ---------------------------------------------------------------- other export versions


def test_header_variants_dates_and_unknown_columns_warned_once() -> None:
    reader, items = read_all(FIXTURES / "variants")
    assert not [x for x in items if isinstance(x, InputError)]
    msgs = by_kind(items, Message)
    german = next(m for m in msgs if m.text.startswith("Guten Tag"))
    assert german.sender == "li:in/max-huber-test"  # de.linkedin.com, case, query, trailing slash
    assert (
        german.sent_at.isoformat() == "2025-03-04T09:05:00+00:00"
    )  # narrow no-break space before AM
    assert german.direction == "incoming"
    assert reader.owner is not None and reader.owner.id == "li:in/eva-roth-test"
    assert reader.owner.name == "Eva Roth"
    unknown = [w for w in reader.warnings if "unknown column" in w]
    assert sorted(unknown) == [
        "Invitations.csv: unknown column 'Extra Col' ignored",
        "messages.csv: unknown column 'NEW FIELD' ignored",
    ]
    assert any("Profile.csv not in the archive" in w for w in reader.warnings)
    assert any("Connections.csv not in the archive" in w for w in reader.warnings)


def test_sponsored_is_inmail_and_hidden_members_stay_apart() -> None:
    _, items = read_all(FIXTURES / "variants")
    msgs = {m.text: m for m in by_kind(items, Message)}
    assert msgs["Buy our product"].channel == "inmail"
    hidden = {msgs["Hello from a hidden member"].sender, msgs["Another hidden member"].sender}
    assert len(hidden) == 2  # two "LinkedIn Member" strangers are not one account
    group = msgs["Hallo zusammen"]
    assert group.recipients == ["li:in/eva-roth-test", "li:in/jo-kim-test"]


# ---------------------------------------------------------------- bad rows


def test_malformed_rows_are_located_and_the_rest_is_read() -> None:
    reader, items = read_all(FIXTURES / "malformed")
    errors = [x for x in items if isinstance(x, InputError)]
    texts = [m.text for m in by_kind(items, Message)]
    assert "first good row" in texts
    assert "last good row\nspanning two lines" in texts
    assert "a date nobody can read" in texts  # kept, without its date, with a located warning
    assert any("messages.csv row 4, field 'DATE'" in w for w in reader.warnings)
    located = {(e.source, e.line, e.field) for e in errors}
    assert ("messages.csv", 2, None) in located  # too many fields
    assert ("messages.csv", 3, "FROM") in located  # no sender
    assert ("Positions.csv", None, "Company Name") in located  # required column missing
    too_many = next(e for e in errors if e.line == 2)
    assert "12 fields" in str(too_many) and "file line 3" in str(too_many)
    assert len(errors) == 3


def test_order_follows_the_input() -> None:
    _, items = read_all(FIXTURES / "malformed")
    rows = [
        (x.source.file, x.source.row) if not isinstance(x, InputError) else (x.source, x.line)
        for x in items
    ]
    messages_rows = [r for f, r in rows if f == "messages.csv"]
    assert messages_rows == sorted(messages_rows)


def test_a_folder_without_export_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="not a LinkedIn data archive"):
        open_source(tmp_path)


def test_missing_header_and_windows_1252_bytes(tmp_path: Path) -> None:
    (tmp_path / "Invitations.csv").write_text("just,some\nrandom,cells\n")
    (tmp_path / "messages.csv").write_bytes(
        b"FROM,CONTENT,SENDER PROFILE URL\nAnn,caf\xe9 au lait,https://www.linkedin.com/in/ann\n"
    )
    reader, items = read_all(tmp_path)
    errors = [x for x in items if isinstance(x, InputError)]
    assert any(e.source == "Invitations.csv" and "no header row" in e.message for e in errors)
    msg = by_kind(items, Message)[0]
    assert msg.text == "café au lait"  # a byte that is not UTF-8 is read as Windows-1252 (Excel)


# ---------------------------------------------------------------- ids and dates


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe/", "li:in/jane-doe"),
        ("http://fr.linkedin.com/in/Jane-Doe?trk=public", "li:in/jane-doe"),
        ("linkedin.com/in/jane-doe", "li:in/jane-doe"),
        (
            "https://www.linkedin.com/in/ACoAABcDeF",
            "li:in/ACoAABcDeF",
        ),  # member ids keep their case
        ("https://www.linkedin.com/in/j%C3%BCrgen-m", "li:in/jürgen-m"),
        ("https://www.linkedin.com/company/acme/", "li:company/acme"),
        ("https://example.org/people/x", "url:example.org/people/x"),
        ("", None),
        ("not a url", None),
    ],
)
def test_normalise_profile_url(url: str, expected: str | None) -> None:
    assert normalise_profile_url(url) == expected


def test_account_id_falls_back_to_the_name() -> None:
    assert account_id(None, "Jane  DOE") == account_id("", "jane doe")
    assert account_id(None, "Jane Doe").startswith("li:name/")
    assert account_id(None, "  ") is None
    assert account_id(None, "LinkedIn Member", scope="a") != account_id(
        None, "LinkedIn Member", scope="b"
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-03-01 10:00:00 UTC", "2025-03-01T10:00:00+00:00"),
        ("3/1/25, 10:00 AM", "2025-03-01T10:00:00+00:00"),
        ("3/1/25, 10:00\u202fPM", "2025-03-01T22:00:00+00:00"),
        ("01 Mar 2025", "2025-03-01T00:00:00+00:00"),
        ("Mar 1, 2025", "2025-03-01T00:00:00+00:00"),
        ("2025-03-01T10:00:00Z", "2025-03-01T10:00:00+00:00"),
        ("Jan 2021", "2021-01-01T00:00:00+00:00"),
        ("2026-06-05 09:00 UTC", "2026-06-05T09:00:00+00:00"),
        ("Jun 5, 2026, 9:00 AM", "2026-06-05T09:00:00+00:00"),
        ("5 Jun 2026", "2026-06-05T00:00:00+00:00"),
    ],
)
def test_export_dates(text: str, iso: str) -> None:
    assert parse_export_date(text).isoformat() == iso


def test_unreadable_date_raises() -> None:
    with pytest.raises(InputError):
        parse_export_date("the day after tomorrow")


# ---------------------------------------------------------------- more export quirks


MSG_HEADER = "CONVERSATION ID,FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER"


def test_cr_line_ends_nul_bytes_and_connections_without_preamble(tmp_path: Path) -> None:
    (tmp_path / "messages.csv").write_bytes(
        (
            MSG_HEADER
            + '\rc1,Ann Lee,,2025-01-01 10:00:00 UTC,"two\rlines",INBOX\rc2,Bo Park,,,nul\x00here,INBOX\r'
        ).encode()
    )
    (tmp_path / "connections.CSV").write_text(
        "first name,last name,profile url,company,title,connected at\nAnn,Lee,,Acme,CEO,01 Jan 2020\n"
    )
    reader, items = read_all(tmp_path)
    assert not [x for x in items if isinstance(x, InputError)]
    texts = [m.text for m in by_kind(items, Message)]
    assert texts == ["two\rlines", "nulhere"]
    ann = next(a for a in by_kind(items, Account) if a.name == "Ann Lee")
    assert (ann.company, ann.title) == ("Acme", "CEO")
    # No Profile.csv and nothing sent: the owner is unknown and says so.
    assert reader.owner is None
    assert any("owner is unknown" in w for w in reader.warnings)
    assert by_kind(items, Edge)[0].src == "li:owner"


def test_too_many_bad_rows_stop_the_file(tmp_path: Path) -> None:
    bad = "".join(
        f"c{i},a,b,c,text {i},INBOX,x,y\n" for i in range(1100)
    )  # 8 fields under 6 columns
    (tmp_path / "messages.csv").write_text(MSG_HEADER + "\n" + bad)
    _, items = read_all(tmp_path)
    errors = [x for x in items if isinstance(x, InputError)]
    assert len(errors) == 1001
    assert "rest of the file is not read" in errors[-1].message


def test_preamble_rows_elsewhere_are_warned(tmp_path: Path) -> None:
    (tmp_path / "Invitations.csv").write_text(
        "Exported by a tool\nFrom,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        "Ann Lee,Bo Park,01 Mar 2025,hello,INCOMING,https://www.linkedin.com/in/ann,https://www.linkedin.com/in/bo\n"
    )
    reader, items = read_all(tmp_path)
    assert [m.text for m in by_kind(items, Message)] == ["hello"]
    assert "Invitations.csv: 1 row(s) before the header skipped" in reader.warnings
    assert reader.owner is not None and reader.owner.id == "li:in/bo"


def test_old_export_without_urls_maps_the_owner_by_name(tmp_path: Path) -> None:
    (tmp_path / "Profile.csv").write_text("First Name,Last Name,Headline\nBo,Park,Analyst\n")
    (tmp_path / "messages.csv").write_text(
        "CONVERSATION ID,FROM,TO,DATE,CONTENT,FOLDER\n"
        "c1,Ann Lee,Bo Park,2025-01-01 10:00:00 UTC,hello,INBOX\n"
        "c1,Bo Park,Ann Lee,2025-01-01 11:00:00 UTC,hi back,SENT\n"
    )
    reader, items = read_all(tmp_path)
    owner = reader.owner
    assert owner is not None and owner.id.startswith("li:name/")
    hello, back = by_kind(items, Message)
    assert hello.recipients == [owner.id] and hello.direction == "incoming"
    assert back.sender == owner.id and back.direction == "outgoing"
    assert [a.name for a in by_kind(items, Account)] == ["Bo Park", "Ann Lee"]  # the owner once


def test_one_export_csv_alone(tmp_path: Path) -> None:
    reader, items = read_all(FIXTURES / "basic" / "messages.csv")
    assert reader.warnings == []
    assert [m.source.file for m in by_kind(items, Message)] == ["messages.csv"] * 3
    assert (
        reader.owner is not None and reader.owner.id == "li:in/claire-martin-test"
    )  # from the SENT folder
    other = tmp_path / "contacts.csv"
    other.write_text("a,b\n")
    with pytest.raises(InputError, match="not part of a LinkedIn export"):
        open_source(other)


def test_docs_describe_every_export_file_and_limit() -> None:
    from lurewatch.ingest.archive import ArchiveLimits
    from lurewatch.ingest.linkedin import OPTIONAL_FILES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "ingest.md").read_text(encoding="utf-8")
    for spec in OPTIONAL_FILES:
        assert f"`{spec.file}`" in doc, spec.file
    lim = ArchiveLimits()
    for shown in (
        f"{lim.max_members:,}",
        "1 GiB",
        f"{lim.max_member_bytes >> 20} MiB",
        f"{lim.max_ratio:.0f}:1",
    ):
        assert shown in doc, shown  # the documented defaults are the real ones
    assert lim.max_total_bytes == 1 << 30
    assert "UnsafeArchiveError" in doc


def test_owner_found_as_the_one_in_every_conversation(tmp_path: Path) -> None:
    # An export version that files the owner's own messages under INBOX, without Profile.csv.
    li = "https://linkedin.com/in/"
    (tmp_path / "messages.csv").write_text(
        "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,CONTENT,FOLDER\n"
        f"c1,Ann,{li}ann,Me,{li}me,2025-01-01 10:00:00 UTC,hello,INBOX\n"
        f"c1,Me,{li}me,Ann,{li}ann,2025-01-01 10:05:00 UTC,hi Ann,INBOX\n"
        f"c2,Bo,{li}bo,Me,{li}me,2025-01-02 10:00:00 UTC,paid paper?,INBOX\n"
    )
    reader, items = read_all(tmp_path)
    assert reader.owner is not None and reader.owner.id == "li:in/me" and reader.owner.name == "Me"
    directions = {m.text: m.direction for m in by_kind(items, Message)}
    assert directions == {"hello": "incoming", "hi Ann": "outgoing", "paid paper?": "incoming"}
