"""Case tables for persona evidence: cover profiles, genuine profiles, missing fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lurewatch.records import Account, Experience, Message
from lurewatch.scoring.rules import combine
from lurewatch.signals import persona, registry
from lurewatch.signals.views import AccountView

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _ev(account: Account, messages: list[Message] | None = None) -> dict[str, float]:
    view = AccountView(account=account, messages_sent=messages or [])
    return {e.signal: e.strength for e in persona.detect_at(view, NOW)}


COVER = Account(
    id="c1",
    name="Lily Wu",
    username="lilywu8831",
    headline="Senior Headhunter | Global Talent Partner",
    company="RiseHR",
    created_at=NOW - timedelta(days=40),
    connections=540,
    has_photo=True,
    about="Passionate about connecting global talents with international opportunities and cooperation.",
    experiences=[Experience(title="HR Manager", company="Global Talent Ltd")],
)
GENUINE = Account(
    id="g1",
    name="Jana Keller",
    username="jkeller",
    headline="Backend engineer at Acme",
    company="Acme GmbH",
    created_at=NOW - timedelta(days=9 * 365),
    connections=812,
    followers=900,
    following=300,
    posts=140,
    has_photo=True,
    about="Backend engineer since 2012 (Python, Go, Kafka). Speaker at PyCon DE 2019 and 2023.",
    experiences=[
        Experience(title="Engineer", company="Acme"),
        Experience(title="Intern", company="Siemens"),
    ],
    skills=["Python", "Go"],
    education=["TU Berlin"],
)


def test_cover_profile_scores_high_and_genuine_low() -> None:
    cover = persona.detect_at(AccountView(account=COVER), NOW)
    genuine = persona.detect_at(AccountView(account=GENUINE), NOW)
    assert combine(cover) >= 0.7
    assert combine(genuine) < 0.35


@pytest.mark.parametrize(
    ("account", "code"),
    [
        (Account(id="a", headline="Head Hunter at DRHR"), "persona.cover_title"),
        (Account(id="a", title="Chasseuse de têtes"), "persona.cover_title"),
        (Account(id="a", headline="Personalberaterin"), "persona.cover_title"),
        (
            Account(id="a", about="Senior fellow at a think tank on Asia-Europe ties."),
            "persona.cover_title",
        ),
        (Account(id="a", title="Research Fellow, think tank"), "persona.cover_title"),
        (Account(id="a", created_at=NOW - timedelta(days=10)), "persona.young_account"),
        (Account(id="a", headline="Consultant", connections=12), "persona.thin_profile"),
        (
            Account(id="a", company="Move HR", experiences=[Experience(company="Other Ltd")]),
            "persona.employer_not_in_history",
        ),
        (Account(id="a", has_photo=False), "persona.no_photo"),
        (
            Account(id="a", about="Win-win global cooperation, connecting international partners."),
            "persona.vague_bio",
        ),
        (Account(id="a", followers=20, following=1900), "persona.follower_imbalance"),
        (Account(id="a", username="anna.schmidt84921"), "persona.username_digits"),
        (Account(id="a", posts=0), "persona.no_activity"),
    ],
)
def test_case_table(account: Account, code: str) -> None:
    assert code in _ev(account)


@pytest.mark.parametrize(
    ("account", "code"),
    [
        (Account(id="a", headline="Software engineer"), "persona.cover_title"),
        (Account(id="a", created_at=NOW - timedelta(days=2000)), "persona.young_account"),
        (
            Account(id="a", company="Acme", experiences=[Experience(company="ACME GmbH")]),
            "persona.employer_not_in_history",
        ),
        (Account(id="a", has_photo=True), "persona.no_photo"),
        (Account(id="a", followers=400, following=500), "persona.follower_imbalance"),
        (Account(id="a", username="anna_schmidt"), "persona.username_digits"),
        (Account(id="a", posts=25), "persona.no_activity"),
    ],
)
def test_genuine_fields_do_not_fire(account: Account, code: str) -> None:
    assert code not in _ev(account)


def test_missing_fields_give_no_evidence() -> None:
    assert _ev(Account(id="empty")) == {}


def test_contact_list_row_is_not_a_thin_profile() -> None:
    # an archive's Connections.csv carries only name, company and position
    row = Account(id="c", name="Jana Keller", title="Backend engineer", company="Acme GmbH")
    assert _ev(row) == {}


def test_young_account_with_many_contacts_is_stronger() -> None:
    lone = _ev(Account(id="a", created_at=NOW - timedelta(days=60), connections=20))
    busy = _ev(Account(id="a", created_at=NOW - timedelta(days=60), connections=600))
    assert busy["persona.young_account"] > lone["persona.young_account"]


def test_messages_sent_feed_lure_and_outreach_evidence() -> None:
    lure_text = (
        "I came across your profile. Our client in Asia pays $2,000 per short report on policy "
        "developments. Can we continue on WhatsApp?"
    )
    messages = [
        Message(id=f"m{i}", text=lure_text, recipients=[f"target{i}"], sent_at=NOW)
        for i in range(25)
    ]
    found = _ev(Account(id="a"), messages)
    assert found["persona.lure_messages"] >= 0.7
    assert "persona.mass_outreach" in found


def test_every_code_is_registered_for_accounts() -> None:
    for account in (COVER, GENUINE):
        for ev in persona.detect_at(AccountView(account=account), NOW):
            spec = registry.get(ev.signal)
            assert spec is not None and "account" in spec.applies_to
            assert ev.explanation.endswith(".")
            assert 0.0 <= ev.strength <= 1.0


def test_detect_uses_now_without_messages() -> None:
    recent = Account(id="a", created_at=datetime.now(UTC) - timedelta(days=3))
    assert "persona.young_account" in {
        e.signal for e in persona.detect(AccountView(account=recent))
    }
