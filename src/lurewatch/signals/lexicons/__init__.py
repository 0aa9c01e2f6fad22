"""Lure lexicons: one module per language plus language-independent patterns.

A `Term` is one regular expression tied to the signal code it supports. Terms whose code
starts with ``ctx.`` are not evidence: they recognise the context of legitimate outreach
(a job advert, a conference programme, a newsletter) that lowers the strength of other
hits. Every lexicon runs on every message (messages mix languages); the detected language
only says whether a language is covered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    code: str  # "lure.<name>" evidence code, or "ctx.<kind>" for a legitimate-context cue
    pattern: str  # regex, compiled case-insensitive and Unicode-aware
    strength: float  # strength of a hit before context adjustments
    note: str = ""  # a more specific explanation for this hit; "" uses the code's sentence
    case_sensitive: bool = False


COVERED_LANGUAGES: tuple[str, ...] = ("en", "fr", "de")


def all_terms() -> list[Term]:
    """Every term of every lexicon, in a stable order (shared first)."""
    from lurewatch.signals.lexicons import de, en, fr, shared

    return [*shared.TERMS, *en.TERMS, *fr.TERMS, *de.TERMS]
