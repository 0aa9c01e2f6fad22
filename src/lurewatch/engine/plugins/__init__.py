"""Signal families that need resources (a store, an index, a model) plug into the assessor here.

Each module in this package defines `plugin(settings, store) -> Plugin | None` (None when its
resources are absent). The pure detectors live in the family's own package; the plugin only
binds them to what the store or the bundled artifacts hold.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lurewatch.evidence import Evidence
from lurewatch.signals.views import AccountView, MessageView

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Plugin:
    name: str
    message_detectors: list[Callable[[MessageView], list[Evidence]]] = field(default_factory=list)
    account_detectors: list[Callable[[AccountView], list[Evidence]]] = field(default_factory=list)
    # Batch work `analyze` runs before scoring (index updates, graph propagation, campaign linking).
    prepare: Callable[[ProgressFn], None] | None = None
    order: int = 100  # prepare order: lower runs first (templates before campaigns)
    # Set by a plugin whose `prepare` result lives in the store: resuming an interrupted
    # `analyze` calls this instead of redoing a `prepare` that had finished.
    resume: Callable[[], None] | None = None


def load_plugins(settings: Settings, store: Store | None) -> list[Plugin]:
    plugins: list[Plugin] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        factory = getattr(module, "plugin", None)
        if factory is None:
            continue
        made = factory(settings, store)
        if made is not None:
            plugins.append(made)
    return sorted(plugins, key=lambda p: (p.order, p.name))
