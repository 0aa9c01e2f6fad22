"""The scoring shortcuts (accent folding by runs, memoised word contributions) change no score."""

from __future__ import annotations

import unicodedata

import pytest

from lurewatch.evidence import Evidence
from lurewatch.models import MESSAGE_ARTIFACT
from lurewatch.models.features import fold
from lurewatch.models.linear import load_artifact
from lurewatch.models.scorers import MessageScorer
from lurewatch.records import Message
from lurewatch.settings import BUNDLED_MODELS_DIR
from lurewatch.signals.views import message_view

TEXTS = [
    "Rémunération attractive, écrivez-moi sur WhatsApp",
    "Ärger über Überweisung: 5.000 € für einen kurzen Bericht",
    "ﬁnancial ﬂexibility, Ｆｕｌｌ－ｗｉｄｔｈ, e\u0301 a\u0300\u0301",
    "上海社会科学院 邀请您 한국어 Ωμέγα Жж",
    "plain ascii: we pay well for short reports",
    "",
]


def _per_character_fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize("text", TEXTS)
def test_fold_strips_marks_as_the_per_character_definition(text: str) -> None:
    assert fold(text) == _per_character_fold(text)


@pytest.mark.skipif(
    not (BUNDLED_MODELS_DIR / MESSAGE_ARTIFACT).exists(), reason="no bundled message model"
)
def test_memoised_word_contributions_give_the_same_scores() -> None:
    # message-lr-v1 (kept beside message-stack-v2 for comparison in `lurewatch eval`)
    scorer = MessageScorer(load_artifact(BUNDLED_MODELS_DIR / MESSAGE_ARTIFACT, "message"))
    evidence = [Evidence("lure.paid_amount", 0.6, "")]
    for text in TEXTS:
        view = message_view(Message(id="m", text=text))
        direct = list(scorer._text_contributions(view.text))
        first = scorer.score(view, evidence)
        again = scorer.score(view, evidence)  # from the memo
        assert first == again
        strengths, _ = scorer._split(evidence)
        contributions = scorer._contributions(view, strengths)
        assert contributions[len(contributions) - len(direct) :] == direct  # words come last
    long_text = " ".join(TEXTS) * 60  # past the memo's length limit: computed directly
    view = message_view(Message(id="long", text=long_text))
    assert scorer.score(view, []) == scorer.score(view, [])
