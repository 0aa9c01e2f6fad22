"""Text rendering of assessments for the terminal (the JSON forms are `Assessment.to_dict`)."""

from __future__ import annotations

import click

from lurewatch.evidence import Assessment

_COLOURS = {"high": "red", "medium": "yellow", "low": "green"}
_VERDICT = {
    "high": "HIGH RISK — this looks like a cover approach",
    "medium": "MEDIUM RISK — verify before engaging",
    "low": "LOW RISK — no strong sign of a cover approach",
}


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_assessment(a: Assessment, *, title: str | None = None, colour: bool = True) -> str:
    lines = []
    head = f"{_VERDICT.get(a.level, a.level)}  (score {a.score:.2f})"
    lines.append(click.style(head, fg=_COLOURS.get(a.level), bold=True) if colour else head)
    if title:
        lines.append(f"  {title}")
    lines.append(
        f"  {a.kind} {a.id} · scored by {a.model}"
        + (f" · language {a.language}" if a.language else "")
    )
    if a.extra.get("language_note"):
        lines.append(f"  note: {a.extra['language_note']}")
    strong = [e for e in a.evidence if e.strength > 0]
    if strong:
        lines.append("  Evidence:")
        for e in strong:
            quote = f'  "{_clip(e.quote, 100)}"' if e.quote else ""
            lines.append(f"   • [{e.signal} {e.strength:.2f}] {e.explanation}{quote}")
    else:
        lines.append("  Evidence: none of the indicators were found.")
    features = a.extra.get("top_features") or []
    if features:
        lines.append(
            "  What the model weighed most: "
            + "; ".join(f"{f['feature']} ({f['weight']:+.2f})" for f in features[:4])
        )
    if a.advice:
        lines.append("  What to do:")
        for tip in a.advice:
            lines.append(f"   → {tip}")
    return "\n".join(lines)
