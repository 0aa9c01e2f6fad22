"""Lure lexicons: one module per language plus language-independent patterns.

A `Term` is one regular expression tied to the signal code it supports. Terms whose code
starts with ``ctx.`` are not evidence: they recognise the context of legitimate outreach
(a job advert, a conference programme, a newsletter) that lowers the strength of other
hits. Every lexicon runs on every message (messages mix languages); the detected language
only says whether a language is covered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Term:
    code: str  # "lure.<name>" evidence code, or "ctx.<kind>" for a legitimate-context cue
    pattern: str  # regex, compiled case-insensitive and Unicode-aware
    strength: float  # strength of a hit before context adjustments
    note: str = ""  # a more specific explanation for this hit; "" uses the code's sentence
    case_sensitive: bool = False
    # Lower-case substrings one of which any match contains: a cheap pre-filter for terms that
    # start with a common word ("your", "a", "ein"). Empty: derived from the pattern's start.
    needs: tuple[str, ...] = ()
    # A regex finding the only places a match can start (a currency sign, a digit): the term is
    # then tried there instead of searched across the whole text. Empty: not used.
    anchor: str = ""


COVERED_LANGUAGES: tuple[str, ...] = ("en", "fr", "de")


def all_terms() -> list[Term]:
    """Every term of every lexicon, in a stable order (shared first).

    A module's ``NEEDS`` maps the start of a pattern to the substrings it needs (see `Term`).
    """
    from lurewatch.signals.lexicons import de, en, fr, shared

    out: list[Term] = []
    for module in (shared, en, fr, de):
        needs: dict[str, tuple[str, ...]] = getattr(module, "NEEDS", {})
        for term in module.TERMS:
            for start, words in needs.items():
                if term.pattern.startswith(start):
                    term = replace(term, needs=words)
                    break
            out.append(term)
    return out
