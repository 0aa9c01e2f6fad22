"""Importing this module registers every built-in signal family (see `registry.all_signals`)."""

from __future__ import annotations

import importlib
import importlib.util

# Each module registers its SignalSpecs at import time.
SIGNAL_MODULES: tuple[str, ...] = (
    "lurewatch.signals.lure",
    "lurewatch.signals.persona",
    "lurewatch.signals.language",
    "lurewatch.signals.identity",
    "lurewatch.signals.conversation",
    "lurewatch.signals.semantic",
    "lurewatch.watchlist.signals",
    "lurewatch.templates.signals",
    "lurewatch.campaigns.signals",
    "lurewatch.graph.signals",
    "lurewatch.avatar.signals",
)

for _name in SIGNAL_MODULES:
    if (
        importlib.util.find_spec(_name.rsplit(".", 1)[0]) is not None
        and importlib.util.find_spec(_name) is not None
    ):
        importlib.import_module(_name)
