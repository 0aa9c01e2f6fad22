"""Binds the watchlist detectors to the store's entries, or to the bundled seeds without a store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lurewatch.engine.plugins import Plugin
from lurewatch.watchlist.matcher import Matcher
from lurewatch.watchlist.seeds import SEED_ENTRIES
from lurewatch.watchlist.signals import account_detector, message_detector

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


def load_matcher(store: Store | None) -> Matcher:
    """The store's watchlist when it has one (entries added, removed, imported), else the seeds."""
    if store is not None:
        from lurewatch.watchlist.repository import has_table, list_entries

        with store.read() as conn:
            if has_table(conn):
                return Matcher(list_entries(conn))
    return Matcher(SEED_ENTRIES)


def plugin(settings: Settings, store: Store | None) -> Plugin:
    matcher = load_matcher(store)
    return Plugin(
        name="watchlist",
        message_detectors=[message_detector(matcher)],
        account_detectors=[account_detector(matcher)],
        order=10,
    )
