"""Template evidence inside one batch, without a store (a member's archive in `scan`, a JSONL in `check`).

A member who received the same approach from three "recruiters" has a template in their own
inbox. `batch_detector(messages)` clusters the batch in memory and returns a message
detector (the same `template.mass_sent` evidence as the store-backed plugin) that the
assessor can run like any other. Pure: records in, a detector out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lurewatch.evidence import Evidence
from lurewatch.records import Message
from lurewatch.signals.views import MessageView, message_view
from lurewatch.templates import signals as tsignals
from lurewatch.templates.index import TemplateIndex
from lurewatch.templates.normalize import normalize, readable

LureFn = Callable[[MessageView], float]


def _lure(view: MessageView) -> float:
    try:
        from lurewatch.signals import lure

        found = lure.detect(view)
    except Exception:  # lure signals missing or broken: content counts as neutral
        return 0.0
    return max((e.strength for e in found if e.signal.startswith("lure.")), default=0.0)


def batch_stats(
    messages: Sequence[Message], lure_fn: LureFn = _lure
) -> dict[str, tsignals.TemplateStats]:
    """message id -> statistics of its template, for messages in a template of two or more."""
    views = {m.id: message_view(m) for m in messages}
    index = TemplateIndex()
    index.add_many(list(views), [v.text for v in views.values()])
    by_id = {m.id: m for m in messages}
    out: dict[str, tsignals.TemplateStats] = {}
    for members in index.clusters(min_size=2):
        infos = [
            tsignals.Member(
                i,
                by_id[i].sender or by_id[i].sender_name,
                list(by_id[i].recipients),
                by_id[i].sent_at,
            )
            for i in members
        ]
        stats = tsignals.build_stats(
            members[0],
            infos,
            lure=lure_fn(views[members[0]]),
            sample=readable(normalize(views[members[0]].text)),
        )
        for i in members:
            out[i] = stats
    return out


def batch_detector(
    messages: Sequence[Message], lure_fn: LureFn = _lure
) -> Callable[[MessageView], list[Evidence]]:
    """A message detector that knows the templates of this batch (see the module docstring)."""
    stats = batch_stats(messages, lure_fn)

    def detect(view: MessageView) -> list[Evidence]:
        return tsignals.message_evidence(stats.get(view.message.id))

    return detect
