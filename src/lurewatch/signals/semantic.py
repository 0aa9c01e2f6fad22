"""`semantic.*` evidence: the message reads like known real messages (nearest neighbours by meaning).

Pure: the neighbours (family, label, source, similarity) in, evidence out. The message model
(`models.message_stack`) finds them among the real outreach corpus it was trained on, by
multilingual-e5-small embeddings; the corpus texts themselves are not shipped, only their
quantised vectors, families and sources, so a reviewer can look each one up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register

NEAREST = "semantic.nearest_known_approaches"
MIN_APPROACHES = 3  # of the k nearest

register(
    SignalSpec(
        code=NEAREST,
        applies_to=("message",),
        description="Reads like known real approaches: most of the nearest known messages "
        "(by multilingual meaning) are approaches.",
        weight=0.3,
    )
)


@dataclass(frozen=True, slots=True)
class Neighbour:
    family: str
    label: int  # 1 = approach
    source: str
    similarity: float


def _opening(text: str, limit: int = 120, least: int = 40) -> str:
    """The message's opening sentences, verbatim (at least `least`, at most `limit` characters)."""
    text = text.strip()
    for m in re.finditer(r"[.!?\n]", text):
        if m.end() >= least:
            return text[: min(m.end(), limit)].strip()
    return text[:limit]


def neighbour_evidence(text: str, neighbours: Sequence[Neighbour]) -> Evidence | None:
    """'Reads like known task-scam openers (4 of the 5 nearest known messages)', or None."""
    approaches = [n for n in neighbours if n.label == 1]
    if len(approaches) < MIN_APPROACHES or not neighbours:
        return None
    families = Counter(n.family for n in approaches).most_common()
    top = families[0][0]
    mix = ", ".join(f"{f} x{c}" for f, c in families)
    nearest = approaches[0]
    explanation = (
        f"Reads like known {top} messages ({len(approaches)} of the {len(neighbours)} nearest "
        f"known real messages are approaches: {mix}); nearest: {nearest.family}, "
        f"{nearest.source}."
    )
    return Evidence(
        signal=NEAREST,
        strength=round(0.6 * len(approaches) / len(neighbours), 4),
        explanation=explanation,
        quote=_opening(text) or None,
        values={
            "neighbours": [
                {
                    "family": n.family,
                    "label": "approach" if n.label else "legitimate",
                    "source": n.source,
                    "similarity": round(n.similarity, 3),
                }
                for n in neighbours
            ]
        },
    )


def neighbour_summary(neighbours: Sequence[Neighbour]) -> str:
    """One line for the top features, also when the neighbours are legitimate."""
    if not neighbours:
        return ""
    label = Counter(n.label for n in neighbours).most_common(1)[0][0]
    same = [n for n in neighbours if n.label == label]
    family = Counter(n.family for n in same).most_common(1)[0][0]
    kind = "approaches" if label else "legitimate messages"
    return f"reads like known {family} {kind} ({len(same)} of the {len(neighbours)} nearest)"
