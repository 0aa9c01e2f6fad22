"""Builds the one Assessor every front door uses, from settings and (optionally) a store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lurewatch.engine.assessor import Assessor
from lurewatch.engine.plugins import Plugin, load_plugins
from lurewatch.scoring.anchored import AnchoredScorer
from lurewatch.scoring.rules import RuleScorer
from lurewatch.signals import language, lure, persona

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


MESSAGE_MAX_SHIFT = (
    0.5  # log-odds the learned message model may move the rules' score (see scoring/anchored.py)
)


def build_assessor(
    settings: Settings, store: Store | None = None, plugins: list[Plugin] | None = None
) -> Assessor:
    plugins = load_plugins(settings, store) if plugins is None else plugins
    message_scorer, account_scorer, levels = _scorers(settings)
    assessor = Assessor(
        message_detectors=[lure.detect, *[d for p in plugins for d in p.message_detectors]],
        account_detectors=[persona.detect, *[d for p in plugins for d in p.account_detectors]],
        message_scorer=message_scorer,
        account_scorer=account_scorer,
        detect_language=language.detect_language,
    )
    if levels is not None:
        assessor.message_levels, assessor.account_levels = levels
    return assessor


def _scorers(settings: Settings):  # noqa: ANN202
    """Learned, calibrated models when their artifacts are present; rules v1 otherwise.

    The message stack (message-stack-v2) already weighs the rule evidence itself (stacking),
    so it is used as it is; the older message-lr-v1 is anchored to the rules.
    """
    rules = RuleScorer()
    if not settings.use_models:
        return rules, rules, None
    try:
        from lurewatch.models.loading import load_scorers
    except ImportError:
        return rules, rules, None
    message, account, levels = load_scorers(settings.models_dir, fallback=rules)
    if message is not rules and not getattr(message, "version", "").startswith("message-stack"):
        # The learned message model re-ranks within a band around the rules (scoring/anchored.py),
        # so the message levels are the rules' levels.
        message = AnchoredScorer(rules, message, max_shift=MESSAGE_MAX_SHIFT)
    # One meaning of "medium" and "high" for every kind (scoring/base.py::Levels): the cut points
    # the artifacts carry were set at 10% / 1% false positives on proxy sets whose base rates
    # (13% spam, 17-47% fake accounts) are far from a professional network's, which put ordinary
    # contacts at "medium". docs/evaluation.md reports the error rates at the shared cut points.
    del levels
    return message, account, None
