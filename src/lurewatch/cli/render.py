"""Text rendering of assessments for the terminal (the JSON forms are `Assessment.to_dict`)."""

from __future__ import annotations

import click

from lurewatch.cli.terminal import terminal_safe
from lurewatch.evidence import Assessment

_COLOURS = {"high": "red", "medium": "yellow", "low": "green"}
_VERDICT = {
    "high": "HIGH RISK — this looks like a cover approach",
    "medium": "MEDIUM RISK — some warning signs: verify before engaging",
    "low": "LOW RISK — no strong sign of a cover approach (not a guarantee)",
}


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(terminal_safe(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_assessment(a: Assessment, *, title: str | None = None, colour: bool = True) -> str:
    """Verdict first, then the evidence quoted from the text, then what to do; model detail last."""
    lines = []
    head = f"{_VERDICT.get(a.level, a.level)}  (score {a.score:.2f} of 1)"
    lines.append(click.style(head, fg=_COLOURS.get(a.level), bold=True) if colour else head)
    if title:
        lines.append(f"  {_clip(title, 400)}")
    what = a.kind if a.id in ("", a.kind, "stdin") else f"{a.kind} {_clip(a.id, 200)}"
    lines.append(f"  Checked: {what}" + (f" · language {a.language}" if a.language else ""))
    if a.extra.get("language_note"):
        lines.append(f"  Note: {_clip(str(a.extra['language_note']), 400)}")
    strong = sorted((e for e in a.evidence if e.strength > 0), key=lambda e: -e.strength)
    if strong:
        lines.append("  Why (strongest first):")
        for e in strong:
            quote = f' "{_clip(e.quote, 100)}"' if e.quote else ""
            code = f"[{e.signal}, {e.strength:.2f}]"
            lines.append(
                f"   • {_clip(e.explanation, 400)}{quote}  "
                + (click.style(code, dim=True) if colour else code)
            )
    else:
        lines.append("  Why: none of the indicators were found.")
    if a.advice:
        lines.append("  What to do:")
        for tip in a.advice:
            lines.append(f"   → {_clip(tip, 400)}")
    detail = f"  Scored by {a.model}"
    features = a.extra.get("top_features") or []
    if features:
        detail += "; the model weighed most: " + "; ".join(
            f"{_clip(str(f['feature']), 80)} ({f['weight']:+.2f})" for f in features[:3]
        )
    lines.append(click.style(detail, dim=True) if colour else detail)
    return "\n".join(lines)
