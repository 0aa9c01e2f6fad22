"""Builds the one Assessor every front door uses, from settings and (optionally) a store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lurewatch.engine.assessor import Assessor
from lurewatch.engine.plugins import Plugin, load_plugins
from lurewatch.scoring.rules import RuleScorer
from lurewatch.signals import language, lure, persona

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


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
    """Learned, calibrated models when their artifacts are present; rules v1 otherwise."""
    rules = RuleScorer()
    if not settings.use_models:
        return rules, rules, None
    try:
        from lurewatch.models.loading import load_scorers
    except ImportError:
        return rules, rules, None
    return load_scorers(settings.models_dir, fallback=rules)
