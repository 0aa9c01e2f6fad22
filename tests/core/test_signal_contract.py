"""One contract test over every registered detector: registered codes, valid strengths, honest quotes."""

from __future__ import annotations

import pytest

from lurewatch.engine.assembly import build_assessor
from lurewatch.records import Account, Experience, Message
from lurewatch.settings import Settings
from lurewatch.signals.registry import all_signals, get

MESSAGES = [
    "Dear Sir, our client in Asia pays 2,000 USD per short report on policy developments. WhatsApp me.",
    "Sehr geehrte Frau Dr. Weber, unser Thinktank bietet ein großzügiges Honorar für eine kurze Analyse. Reise nach Peking, alle Kosten übernommen.",
    "Bonjour, cabinet de conseil, nous vous invitons à un séminaire à Pékin, tous frais payés. Écrivez-moi sur WeChat.",
    "Hi, lunch tomorrow?",
    "",
    "&lt;b&gt;Bold&lt;/b&gt; &amp; entities, émojis 😀, 中文 名字",
    "x" * 5000,
]
ACCOUNTS = [
    Account(
        id="a1",
        name="Rachel Li",
        headline="Senior Head Hunter",
        company="RiseHR",
        followers=3,
        following=800,
        has_photo=False,
    ),
    Account(id="a2"),
    Account(
        id="a3",
        name="张伟",
        title="Research Fellow",
        company="Center for Sino-Europe Development Studies",
        experiences=[Experience(title="Analyst", company="Other Co")],
    ),
]


@pytest.fixture(scope="module")
def assessor():
    return build_assessor(Settings(use_models=False))


def test_every_signal_has_a_description_and_valid_weight():
    specs = all_signals()
    assert specs
    for spec in specs:
        assert spec.description.strip() and 0 <= spec.weight <= 1
        assert set(spec.applies_to) <= {"message", "account"}


@pytest.mark.parametrize("text", MESSAGES)
def test_message_detectors_emit_registered_valid_evidence(assessor, text):
    view = assessor.view_message(Message(id="m", text=text))
    for detect in assessor.message_detectors:
        for ev in detect(view):
            assert get(ev.signal) is not None, f"{ev.signal} is not registered"
            assert 0 <= ev.strength <= 1 and ev.explanation
            if ev.span:
                assert view.text[ev.span[0] : ev.span[1]] == ev.quote


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.id)
def test_account_detectors_emit_registered_valid_evidence(assessor, account):
    result = assessor.assess_account(account)
    for ev in result.evidence:
        assert get(ev.signal) is not None, f"{ev.signal} is not registered"
        assert 0 <= ev.strength <= 1 and ev.explanation
    assert 0 <= result.score <= 1


def test_verified_accounts_are_not_scored_as_covers(assessor):
    account = Account(id="me", name="Camille Laurent", verified=True)
    result = assessor.assess_account(account)
    assert result.level == "low" and result.score == 0.0 and result.model == "verified"
    assert [e.signal for e in result.evidence] == ["identity.verified"]
