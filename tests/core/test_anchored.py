import math

import pytest

from lurewatch.evidence import Evidence
from lurewatch.scoring.anchored import AnchoredScorer, anchor
from lurewatch.scoring.base import Score


class Fixed:
    def __init__(self, p: float, version: str) -> None:
        self.p, self.version = p, version

    def score(self, view, evidence):
        return Score(self.p, self.version, [("a feature", 1.0)])


@pytest.mark.parametrize("rules, learned", [(0.18, 0.99), (0.9, 0.01), (0.5, 0.5), (0.02, 0.03)])
def test_the_learned_model_moves_the_rules_odds_at_most_by_the_cap(rules, learned):
    out = anchor(rules, learned, 0.5)
    shift = math.log(out / (1 - out)) - math.log(rules / (1 - rules))
    assert abs(shift) <= 0.5 + 1e-9
    assert (out - rules) * (learned - rules) >= 0  # moves toward the learned opinion, never away


def test_zero_cap_is_the_rules_score():
    assert anchor(0.3, 0.99, 0.0) == pytest.approx(0.3)


def test_scorer_names_both_models_and_keeps_learned_explanations():
    scorer = AnchoredScorer(Fixed(0.2, "rules-v1"), Fixed(0.95, "message-lr-v1"), 0.5)
    result = scorer.score(None, [Evidence("lure.paid_amount", 0.4, "x")])
    assert 0.2 < result.probability < 0.3
    assert "message-lr-v1" in result.model and "anchored" in result.model
    assert result.top_features == [("a feature", 1.0)]


def test_bad_cap_is_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="max_shift"):
        AnchoredScorer(Fixed(0.2, "r"), Fixed(0.2, "l"), -1)
