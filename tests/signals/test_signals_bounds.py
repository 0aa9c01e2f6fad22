"""Analysis caps: detectors see at most a bounded part of each record, on every path."""

from __future__ import annotations

from lurewatch.records import Account, Experience, Message
from lurewatch.signals.views import (
    MAX_ANALYSED_CHARS,
    MAX_ANALYSED_ITEMS,
    MAX_NAME_CHARS,
    AccountView,
    bounded_account,
    bounded_message,
    message_view,
)


def test_message_view_reads_at_most_the_cap() -> None:
    long = Message(id="m", text="word " * 200_000, subject="s" * 5_000, sender_name="n" * 5_000)
    view = message_view(long)
    assert len(view.text) <= MAX_ANALYSED_CHARS + MAX_NAME_CHARS + 1
    assert len(view.message.sender_name or "") == MAX_NAME_CHARS
    assert long.text == "word " * 200_000  # the record itself is not changed (it is stored whole)


def test_records_within_the_caps_are_not_copied() -> None:
    message = Message(id="m", text="Dear Sir, a short note.")
    account = Account(id="a", name="Mia Stone", experiences=[Experience(company="Acme")])
    assert bounded_message(message) is message
    assert bounded_account(account) is account


def test_account_view_bounds_fields_and_lists() -> None:
    account = Account(
        id="a",
        name="x" * 100_000,
        headline="h" * 100_000,
        experiences=[Experience(company="c" * 1_000)] * 10_000,
        skills=["s"] * 10_000,
    )
    view = AccountView(account=account)
    assert len(view.account.name or "") == MAX_NAME_CHARS
    assert len(view.account.experiences) == MAX_ANALYSED_ITEMS
    assert all(len(e.company or "") == MAX_NAME_CHARS for e in view.account.experiences)
    assert len(view.account.skills) == MAX_ANALYSED_ITEMS
    assert len(account.experiences) == 10_000


def test_the_assessment_says_what_was_cut() -> None:
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.settings import Settings

    assessor = build_assessor(Settings.from_env(db_url="sqlite:////nonexistent/x.db"), None)
    cut = assessor.assess(Message(id="m", text="a" * 100_000 + " pay 2,000 EUR")).to_dict()
    assert "analysis_note" in cut
    whole = assessor.assess(Message(id="m", text="pay 2,000 EUR")).to_dict()
    assert "analysis_note" not in whole
