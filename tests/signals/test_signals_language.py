"""Language detection: covered languages, uncovered ones, scripts, and texts too short to tell."""

from __future__ import annotations

import pytest

from lurewatch.records import Message
from lurewatch.signals import language
from lurewatch.signals.views import message_view


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hello, I came across your profile and would like to offer you a collaboration with our client.",
            ("en", True),
        ),
        (
            "Bonjour, je me permets de vous contacter au sujet d'une collaboration avec notre client.",
            ("fr", True),
        ),
        (
            "Guten Tag, ich bin auf Ihr Profil gestoßen und möchte Ihnen eine Zusammenarbeit anbieten.",
            ("de", True),
        ),
        (
            "Hola, me gustaría hablar con usted sobre una oportunidad para su empresa y su equipo.",
            ("es", False),
        ),
        (
            "Ciao, ti scrivo per una proposta di lavoro molto interessante per il tuo profilo.",
            ("it", False),
        ),
        ("Здравствуйте, я хотел бы предложить вам сотрудничество с нашим клиентом.", ("ru", False)),
        ("您好，我们的客户希望与您合作，报酬丰厚。", ("zh", False)),
    ],
)
def test_detects_language_and_coverage(text: str, expected: tuple[str, bool]) -> None:
    assert language.detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "ok", "ok thx 2moro"])
def test_short_or_empty_text_is_unknown_but_not_flagged(text: str) -> None:
    assert language.detect_language(text) == (None, True)


def test_ambiguous_longer_text_falls_back_to_lingua() -> None:
    # no function words of any list, long enough for the statistical detector
    text = "Thanks! Great meeting yesterday. Quarterly numbers look strong, revenue growth impressive, margins stable, outlook positive, team motivated."
    code, covered = language.detect_language(text)
    assert code == "en" and covered


def test_uncovered_language_yields_zero_strength_note() -> None:
    view = message_view(
        Message(
            id="m",
            text="Hola, me gustaría hablar con usted sobre una oportunidad muy interesante para su empresa.",
        )
    )
    view.language, view.language_covered = language.detect_language(view.text)
    notes = language.detect(view)
    assert [e.signal for e in notes] == ["language.not_covered"]
    assert notes[0].strength == 0.0 and "es" in notes[0].explanation


def test_covered_language_yields_no_note() -> None:
    view = message_view(Message(id="m", text="Hello, how are you doing today? I hope all is well."))
    view.language, view.language_covered = language.detect_language(view.text)
    assert language.detect(view) == []
