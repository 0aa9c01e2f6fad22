"""`avatar.*` evidence: registered codes, strengths in [0, 1], sentences an analyst can check."""

from __future__ import annotations

import pytest

from lurewatch.avatar import signals
from lurewatch.avatar.checker import AvatarResult
from lurewatch.avatar.cues import BackgroundCues, FaceCues
from lurewatch.avatar.index import PhotoMatch
from lurewatch.signals import registry


def _result(**kw) -> AvatarResult:
    base = dict(
        id="p.jpg", score=0.9, model="m", top_features=[("spec_r3", 1.2), ("sat_mean", -0.4)]
    )
    return AvatarResult(**(base | kw))


def test_reuse_sentence_counts_other_accounts():
    matches = [PhotoMatch(k, d) for k, d in (("b", 3), ("c", 20), ("d", 40))]
    (ev,) = signals.reuse_evidence(matches)
    assert ev.signal == "avatar.reused_photo"
    assert ev.explanation.startswith("The same photo is used by 3 other accounts: b, c, d")
    assert ev.values["accounts"] == ["b", "c", "d"] and 0 < ev.strength <= 1


def test_synthetic_evidence_threshold_and_drivers():
    (ev,) = signals.synthetic_evidence(_result())
    assert ev.strength == 0.9 and "noise power spectrum" in ev.explanation
    assert (
        signals.synthetic_evidence(_result(score=0.6), report_min=signals.SYNTHETIC_REPORT_MIN)
        == []
    )
    assert signals.synthetic_evidence(_result(score=None)) == []


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"faces": FaceCues(0, 0.0, None, False)}, "avatar.no_face"),
        ({"faces": FaceCues(3, 0.1, None, False)}, "avatar.several_faces"),
        ({"faces": FaceCues(1, 0.3, ((0.385, 0.48), (0.615, 0.48)), True)}, "avatar.aligned_face"),
        ({"background": BackgroundCues(3.0, 0.5, True)}, "avatar.studio_look"),
        ({"editing_software": "Adobe Photoshop 25.0"}, "avatar.edited"),
        (
            {"generator_hints": ("text chunk 'parameters' (written by image generators)",)},
            "avatar.generator_metadata",
        ),
    ],
)
def test_each_cue_gives_its_registered_signal(kw, code):
    found = signals.evidence_for(_result(**kw))
    assert code in {e.signal for e in found}
    for e in found:
        assert registry.get(e.signal) is not None and 0 <= e.strength <= 1 and e.explanation


def test_error_gives_one_zero_strength_item():
    (ev,) = signals.evidence_for(AvatarResult(id="x.jpg", error="truncated or corrupt image"))
    assert ev.signal == "avatar.unreadable" and ev.strength == 0 and "truncated" in ev.explanation
