"""Mojibake repair: garbled archive names come back as written, correct text is never touched."""

from __future__ import annotations

import pytest

from lurewatch.ingest.text_repair import MAX_REPAIR_CHARS, repair_mojibake


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("RenÃ© Dupont", "René Dupont"),
        ("JÃ¼rgen MÃ¼ller", "Jürgen Müller"),
        ("FranÃ§oise LefÃ¨vre", "Françoise Lefèvre"),
        ("Ã‰cole Normale", "École Normale"),
        ("Ð\x9cÐ¾Ñ\x81ÐºÐ²Ð°", "Москва"),
        ("Thanks â€” see you", "Thanks — see you"),
    ],
)
def test_garbled_text_is_repaired(garbled, fixed):
    assert repair_mojibake(garbled) == fixed


@pytest.mark.parametrize(
    "text",
    ["plain ascii", "René Dupont", "Ça va ? À bientôt, Straße", "张伟", "Zoë, naïve café", ""],
)
def test_correct_text_is_left_alone(text):
    assert repair_mojibake(text) == text


def test_very_long_text_is_not_repaired_so_cost_stays_bounded():
    text = "Ã©" * (MAX_REPAIR_CHARS // 2 + 1)
    assert repair_mojibake(text) == text
