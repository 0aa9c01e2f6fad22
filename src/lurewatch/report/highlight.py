"""Evidence quoted in context: the message with each quoted span marked, every piece escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

from lurewatch.evidence import Evidence


def highlight(text: str, evidence: list[Evidence]) -> Markup:
    """Returns safe HTML: untrusted text escaped, evidence spans wrapped in <mark title="signal">."""
    spans = sorted(
        {
            (e.span[0], e.span[1], e.signal)
            for e in evidence
            if e.span and 0 <= e.span[0] < e.span[1] <= len(text)
        }
    )
    out: list[str] = []
    pos = 0
    for start, end, signal in spans:
        if start < pos:  # overlapping spans: keep the first
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark title="{escape(signal)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
