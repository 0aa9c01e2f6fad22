"""The member's own messages are context, and conversations are read whole, on every path.

One invented archive (written here, no real texts) goes through `scan` and through
`ingest` + `analyze` (the web upload's path); both must give the same level for the same
message and account, the member is never a suspect, and a harmless opener followed by a move
to WhatsApp makes the conversation and its sender an approach.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from lurewatch.cases import store as case_store
from lurewatch.engine.assembly import build_assessor
from lurewatch.engine.scan import scan_archive
from lurewatch.engine.service import analyze, ingest_sources
from lurewatch.ingest import open_source
from lurewatch.records import Message
from lurewatch.settings import Settings
from lurewatch.store import Store, queries
from lurewatch.store.tables.cases import cases
from lurewatch.store.tables.web import organisations

OWNER_URL = "https://www.linkedin.com/in/nora-keller-invented"
STRANGER_URL = "https://www.linkedin.com/in/viktor-hale-invented"
COLLEAGUE_URL = "https://www.linkedin.com/in/paul-roth-invented"
OPENER = (
    "Hello Nora, I enjoyed your talk on grid resilience last month. "
    "I would be glad to connect and exchange views some time."
)
MOVE = (
    "Great! Could we continue this conversation on WhatsApp? It is easier for me: +44 7700 900123"
)
REFUSAL = (
    "Thank you, but I do not write paid reports for anyone, and I will not move to WhatsApp. "
    "Please stop offering me a paid trip to Shanghai."
)
OWN_INVITATION = (
    "Dear Tom, our institute covers all expenses for the seminar in Beijing; "
    "we pay a generous fee for a short report. Let's continue on WhatsApp."
)
MSG_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    _write(
        root / "Profile.csv",
        ["First Name", "Last Name", "Headline", "Summary"],
        [["Nora", "Keller", "Energy policy adviser", "Grid security and EU energy policy."]],
    )
    conv, colleague = "conv-viktor-1", "conv-paul-1"
    stranger = ["Viktor Hale", STRANGER_URL, "Nora Keller", OWNER_URL]
    owner = ["Nora Keller", OWNER_URL, "Viktor Hale", STRANGER_URL]
    _write(
        root / "messages.csv",
        MSG_HEADER,
        [
            [conv, "", *stranger, "2025-03-01 09:00:00 UTC", "", OPENER, "INBOX"],
            [conv, "", *owner, "2025-03-01 18:00:00 UTC", "", "Nice to meet you.", "SENT"],
            [conv, "", *stranger, "2025-03-03 08:30:00 UTC", "", MOVE, "INBOX"],
            [conv, "", *owner, "2025-03-03 20:00:00 UTC", "", REFUSAL, "SENT"],
            [
                colleague,
                "",
                "Paul Roth",
                COLLEAGUE_URL,
                "Nora Keller",
                OWNER_URL,
                "2025-03-02 10:00:00 UTC",
                "",
                "Hi Nora, could you send me the slides from Tuesday? Thanks!",
                "INBOX",
            ],
        ],
    )
    _write(
        root / "Invitations.csv",
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"],
        [
            [
                "Nora Keller",
                "Tom Berger",
                "3/5/25, 10:00 AM",
                OWN_INVITATION,
                "OUTGOING",
                OWNER_URL,
                "https://www.linkedin.com/in/tom-berger-invented",
            ]
        ],
    )
    return root


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(use_models=False)


@pytest.fixture(scope="module")
def analysed(archive: Path, settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'lw.db'}")
    ingest_sources(store, [archive])
    analyze(store, settings, skip=frozenset({"graph"}))
    with store.read() as conn:
        messages = {
            m.id: (m, queries.get_assessment(conn, "message", m.id))
            for m in queries.iter_records(conn, "message")
            if isinstance(m, Message)
        }
        accounts = {
            a.id: queries.get_assessment(conn, "account", a.id)
            for a in queries.iter_records(conn, "account")
        }
    yield store, messages, accounts
    store.close()


@pytest.fixture(scope="module")
def scanned(archive: Path, settings: Settings):
    return scan_archive(archive, settings)


def _by_text(messages, text):
    return next(a for m, a in messages.values() if (m.text or "") == text)


def _owner_id(archive: Path) -> str:
    owner = open_source(archive).owner
    assert owner is not None
    return owner.id


def test_the_members_own_messages_are_context_never_suspects(archive, analysed):
    _, messages, accounts = analysed
    owner_id = _owner_id(archive)
    own = [(m, a) for m, a in messages.values() if m.sender == owner_id]
    assert len(own) == 3  # two replies and the invitation
    for message, assessment in own:
        assert message.direction == "outgoing"
        assert assessment.level == "low" and assessment.score == 0.0, message.text
        assert assessment.model == "context"
        assert [e.signal for e in assessment.evidence] == ["context.own_message"]
    assert accounts[owner_id].level == "low" and accounts[owner_id].score == 0.0


def test_the_same_invitation_is_a_lure_when_a_stranger_sends_it(settings):
    """The member's invitation is low only because it is theirs: the text itself is a lure."""
    assessor = build_assessor(settings)
    incoming = assessor.assess_message(Message(id="x", text=OWN_INVITATION))
    outgoing = assessor.assess_message(Message(id="y", text=OWN_INVITATION, direction="outgoing"))
    assert incoming.level == "high"
    assert outgoing.level == "low" and outgoing.model == "context"


def test_cases_are_never_opened_against_the_member(archive, analysed):
    store, messages, _ = analysed
    with store.write() as conn:
        org = conn.execute(
            insert(organisations).values(name="Ministry", created_at=datetime.now(UTC))
        ).inserted_primary_key[0]
        case_store.sync_from_assessments(conn, org, min_level="medium")
        opened = {
            (r.subject_kind, r.subject_id)
            for r in conn.execute(select(cases).where(cases.c.org_id == org))
        }
    owner_id = _owner_id(archive)
    own_ids = {m.id for m, _ in messages.values() if m.sender == owner_id}
    assert ("account", owner_id) not in opened
    assert not {i for k, i in opened if k == "message"} & own_ids
    assert any(k == "account" and "viktor" in i for k, i in opened)  # the stranger is


def test_a_harmless_opener_then_whatsapp_makes_the_conversation_an_approach(analysed, settings):
    _, messages, _ = analysed
    alone = build_assessor(settings).assess_message(Message(id="o", text=OPENER))
    assert alone.level == "low"  # the opener by itself is harmless
    opener = _by_text(messages, OPENER)
    move = _by_text(messages, MOVE)
    for assessment in (opener, move):
        assert assessment.level == "high", assessment
        context = next(e for e in assessment.evidence if e.signal == "conversation.context")
        carriers = {(c["message_id"], c["signal"]) for c in context.values["carriers"]}
        assert any(signal.startswith("lure.offplatform") for _, signal in carriers)
        assert "message 1 of 2025-03-01" in context.explanation
        assert "WhatsApp" in context.explanation
        assert context.span is None  # its quotes come from other messages
        assert assessment.extra["conversation"]["of"] == 2
    assert opener.extra["conversation"]["own_score"] == pytest.approx(alone.score, abs=1e-3)


def test_the_sender_of_a_high_message_is_never_rated_lower(analysed):
    _, messages, accounts = analysed
    rank = {"low": 0, "medium": 1, "high": 2}
    for message, assessment in messages.values():
        if assessment.model == "context" or not message.sender:
            continue
        account = accounts[message.sender]
        assert account.score >= assessment.score - 1e-9
        assert rank[account.level] >= rank[assessment.level]
    stranger = next(a for i, a in accounts.items() if "viktor" in i)
    assert stranger.level == "high"
    assert stranger.evidence[0].signal == "context.sent_rated"


def test_scan_and_analyze_give_the_same_levels(archive, analysed, scanned):
    _, messages, accounts = analysed
    owner_id = _owner_id(archive)
    items = scanned.items()
    scanned_messages = {i["id"]: i for i in items if i["kind"] == "message"}
    scanned_accounts = {i["id"]: i for i in items if i["kind"] == "account"}
    # the member's own messages are not items to review in scan, and context in analyze
    own_ids = {m.id for m, _ in messages.values() if m.sender == owner_id}
    assert not own_ids & set(scanned_messages)
    assert owner_id not in scanned_accounts
    assert scanned_messages  # the stranger's and the colleague's messages
    for message_id, item in scanned_messages.items():
        stored = messages[message_id][1]
        assert (item["level"], round(item["score"], 4)) == (stored.level, round(stored.score, 4))
    for sender in scanned.senders:
        stored = accounts[sender.account.id]
        assert sender.level == stored.level, sender.account.id
        assert scanned_accounts[sender.account.id]["level"] == stored.level
    json.dumps(items)  # the contract stays plain JSON


def test_a_feed_marks_the_member_by_owner_or_direction(tmp_path, settings):
    """Feeds: `owner: true` on the member's account, or `direction: outgoing` on a message."""
    records = [
        {"kind": "account", "id": "me", "name": "Nora Keller", "owner": True},
        {"kind": "account", "id": "s1", "name": "Viktor Hale"},
        {"kind": "account", "id": "colleague", "name": "Paul Roth"},
        {
            "kind": "message",
            "id": "f1",
            "sender": "s1",
            "recipients": ["me"],
            "conversation_id": "c1",
            "sent_at": "2025-03-01T09:00:00Z",
            "text": OPENER,
        },
        {
            "kind": "message",
            "id": "f2",
            "sender": "me",
            "recipients": ["s1"],
            "conversation_id": "c1",
            "sent_at": "2025-03-02T09:00:00Z",
            "text": OWN_INVITATION,
        },
        {
            "kind": "message",
            "id": "f3",
            "sender": "s1",
            "recipients": ["me"],
            "conversation_id": "c1",
            "sent_at": "2025-03-03T09:00:00Z",
            "text": MOVE,
        },
        {
            "kind": "message",
            "id": "f4",
            "sender": "colleague",
            "direction": "outgoing",
            "text": OWN_INVITATION,
        },
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'feed.db'}")
    try:
        ingest_sources(store, [feed])
        analyze(store, settings)
        with store.read() as conn:
            got = {
                (kind, rid): queries.get_assessment(conn, kind, rid)
                for kind, rid in [
                    ("message", "f1"),
                    ("message", "f2"),
                    ("message", "f3"),
                    ("message", "f4"),
                    ("account", "me"),
                    ("account", "s1"),
                    ("account", "colleague"),
                ]
            }
    finally:
        store.close()
    for key in [("message", "f2"), ("message", "f4"), ("account", "me"), ("account", "colleague")]:
        assert got[key] is not None and got[key].model == "context", key
        assert got[key].level == "low" and got[key].score == 0.0
    assert got[("message", "f1")].level == got[("message", "f3")].level == "high"
    assert got[("account", "s1")].level == "high"


def test_check_reads_an_outgoing_record_as_context(tmp_path):
    from click.testing import CliRunner

    from lurewatch.cli.main import cli

    feed = tmp_path / "in.jsonl"
    rows = [
        {"kind": "message", "id": "o", "direction": "outgoing", "text": OWN_INVITATION},
        {"kind": "message", "id": "i", "text": OWN_INVITATION},
        {"kind": "message", "id": "bad", "direction": "sideways", "text": "hi"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "check", "--input", str(feed), "--format", "jsonl"]
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["o", "i", "bad"]
    assert out[0]["level"] == "low" and out[0]["model"] == "context"
    assert out[1]["level"] in {"medium", "high"}  # the same text, not outgoing: a suspect again
    assert "direction" in out[2]["error"] and result.exit_code == 1
