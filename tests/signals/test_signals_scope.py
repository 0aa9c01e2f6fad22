"""Refusals, negations, quotations and warnings do not fire lure indicators at full strength.

Invented texts in English, French and German; the approaches below them must keep their
strength (set phrases, questions, denied warnings and determiners are not refusals).
"""

from __future__ import annotations

import pytest

from lurewatch.records import Message
from lurewatch.scoring.rules import combine
from lurewatch.signals import lure
from lurewatch.signals.scope import MUTED_FACTOR
from lurewatch.signals.views import message_view


def _detect(text: str, scoped: bool = True):
    return lure.detect(message_view(Message(id="m", text=text)), scoped=scoped)


MUTED = [
    # refusals and negations
    ("I will not move to WhatsApp.", "lure.offplatform_app", "negated"),
    ("Thank you, but I won't continue on Telegram with you.", "lure.offplatform", "negated"),
    ("I refuse any honorarium for this.", "lure.paid_collaboration", "negated"),
    ("Je ne souhaite pas être rémunéré pour cela.", "lure.paid_collaboration", "negated"),
    ("Merci, mais je ne passerai jamais sur WhatsApp.", "lure.offplatform_app", "negated"),
    ("Ich werde nicht auf Telegram wechseln.", "lure.offplatform_app", "negated"),
    ("Das Honorar von 2.000 Euro nehme ich nicht an.", "lure.paid_amount", "negated"),
    # quotations and reported speech
    ('You wrote "all expenses paid" in your last message.', "lure.travel_expenses", "quoted"),
    ("Vous avez écrit « tous frais payés » hier.", "lure.travel_expenses", "quoted"),
    (
        "Sie schrieben „alle Kosten werden übernommen“ in Ihrer Nachricht.",
        "lure.travel_expenses",
        "quoted",
    ),
    ("You offered me a paid trip to Singapore.", "lure.travel_expenses", "reported"),
    # warnings describing scams
    (
        "Beware of recruiters who ask you to move to WhatsApp.",
        "lure.offplatform_app",
        "warning",
    ),
    (
        "Méfiez-vous des recruteurs qui vous demandent de passer sur WhatsApp.",
        "lure.offplatform_app",
        "warning",
    ),
    ("Vorsicht vor Betrügern, die Sie auf Telegram locken.", "lure.offplatform_app", "warning"),
]


@pytest.mark.parametrize("text, code, why", MUTED, ids=[t for t, _, _ in MUTED])
def test_refused_quoted_or_warned_lure_words_are_muted(text, code, why):
    before = {e.signal: e for e in _detect(text, scoped=False)}
    after = {e.signal: e for e in _detect(text)}
    codes = [c for c in before if c.startswith(code)]
    assert codes, f"the unscoped detector should fire {code} here"
    for c in codes:
        muted = after[c]
        assert muted.strength <= before[c].strength * MUTED_FACTOR + 1e-9
        assert why in muted.values["context"]
        assert muted.quote == before[c].quote  # still shown, with the reason
    assert combine(list(after.values())) < 0.35  # never medium on its own


def test_a_members_refusal_reads_low_in_every_language():
    refusals = [
        "Thank you, but I do not write paid reports for anyone, and I will not move to WhatsApp.",
        "Merci, mais je n'écris pas de notes rémunérées et je ne passerai pas sur WhatsApp.",
        "Danke, aber ich schreibe keine bezahlten Berichte und ich werde nicht auf Telegram wechseln.",
    ]
    for text in refusals:
        assert combine(_detect(text)) < 0.2, text
        assert combine(_detect(text)) < combine(_detect(text, scoped=False)), text


KEPT = [
    (
        "Please do not hesitate to contact me on WhatsApp for the paid collaboration.",
        "lure.offplatform_request",
    ),
    ("Why not continue on WhatsApp? We pay USD 2,000 per report.", "lure.offplatform_request"),
    ("This is not a scam: earn 500 USD per day, contact us on Telegram.", "lure.paid_easy_money"),
    ("This is not a scam: earn 500 USD per day, contact us on Telegram.", "lure.offplatform_app"),
    ("No fees, no experience needed, earn 300 euros per day on WhatsApp.", "lure.paid_easy_money"),
    ("I cannot say more here, but let's continue on WhatsApp.", "lure.offplatform_request"),
    ("N'hésitez pas à me contacter sur WhatsApp.", "lure.offplatform_app"),
    ("Zögern Sie nicht, mich auf Telegram zu kontaktieren.", "lure.offplatform_app"),
    ("Ce n'est pas compliqué : gagnez 300 € par jour sur Telegram.", "lure.offplatform_app"),
    ("Wir bieten nicht nur ein Honorar von 2.000 Euro.", "lure.paid_collaboration"),
    ("Call me on +44 7700 900123, not here.", "lure.offplatform_phone"),
    ("You can ask me anything on WhatsApp.", "lure.offplatform_app"),
    ("They offer a paid trip to Shanghai for experts.", "lure.travel_expenses"),
]


@pytest.mark.parametrize("text, code", KEPT, ids=[f"{t[:40]}|{c}" for t, c in KEPT])
def test_real_approaches_keep_their_strength(text, code):
    before = {e.signal: e.strength for e in _detect(text, scoped=False)}
    after = {e.signal: e for e in _detect(text)}
    assert code in before and code in after
    assert after[code].strength == pytest.approx(before[code])
    assert "context" not in after[code].values or not any(
        w in after[code].values["context"] for w in ("negated", "quoted", "warning", "reported")
    )


def test_an_asserted_hit_wins_over_a_muted_one():
    text = "I will not pay you. But we offer a paid trip to Shanghai, all expenses paid."
    found = {e.signal: e for e in _detect(text)}
    assert found["lure.travel_expenses"].strength >= 0.45
    assert "negated" not in (found["lure.travel_expenses"].values.get("context") or "")


def test_muted_evidence_quotes_stay_exact():
    for text, _, _ in MUTED:
        view = message_view(Message(id="m", text=text))
        for e in lure.detect(view):
            assert e.span is not None and view.text[e.span[0] : e.span[1]] == e.quote


def test_the_context_eval_section_runs_on_the_shared_corpus(tmp_path):
    from pathlib import Path

    from lurewatch.evaluation.base import EvalContext
    from lurewatch.signals import evaluation

    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not (data / "messages" / "real_outreach").exists():
        pytest.skip("shared data not available")
    ctx = EvalContext(
        data_dir=data, img_dir=tmp_path, models_dir=tmp_path, quick=True, progress=lambda _: None
    )
    section = evaluation.evaluate(ctx)
    assert "real_outreach" in section.markdown
    # muting refused / quoted words must not cost recall on real approaches
    assert section.metrics["real_outreach_roc_auc_with"] >= (
        section.metrics["real_outreach_roc_auc_without"] - 0.01
    )
