"""Features the learned scorers read: the same function at training time and at `check` time.

Message features are (1) the strongest rule evidence per signal code and (2) word unigrams and
bigrams, binary, scaled by 1/sqrt(number of distinct terms) so a long text is not louder than a
short one. Terms are looked up in a dict of learned weights: no hashing, no sklearn call per
message, and every weight has a readable name for the explanation.

Account features are computed from the `Account` record only (never from a dataset's own
columns), so a LinkedIn-style profile gets exactly the features the model was trained on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lurewatch.evidence import Evidence

_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match[str]) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Rémunération' and 'remuneration' are one term.

    Combining marks are looked for only in the non-ASCII runs (no ASCII character is one):
    a per-character loop over whole messages was most of this function's time.
    """
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return _NON_ASCII.sub(_without_marks, decomposed)


# Function words carry register and language, not intent: on the proxies they separate formal
# English fraud letters from casual (and translated) SMS, which would teach the model that any
# polite English message is a scam and any German one is not. They, digit runs (amounts and
# phone numbers are rule evidence already) and HTML-entity debris are not features.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "can",
        "will",
        "just",
        "should",
        "now",
        "s",
        "t",
        "d",
        "ll",
        "m",
        "re",
        "ve",
        "y",
        "o",
        "u",
        "ur",
        "im",
        "dont",
        "ok",
        "lt",
        "gt",
        "amp",
        "nbsp",
        "quot",
        "apos",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "ou",
        "mais",
        "donc",
        "car",
        "ni",
        "je",
        "tu",
        "il",
        "elle",
        "nous",
        "vous",
        "ils",
        "elles",
        "me",
        "te",
        "se",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "notre",
        "votre",
        "leur",
        "leurs",
        "ce",
        "cet",
        "cette",
        "ces",
        "qui",
        "que",
        "quoi",
        "dont",
        "ou",
        "est",
        "sont",
        "suis",
        "es",
        "etes",
        "etait",
        "ete",
        "avoir",
        "avez",
        "ai",
        "as",
        "a",
        "ont",
        "en",
        "dans",
        "sur",
        "sous",
        "pour",
        "par",
        "avec",
        "sans",
        "au",
        "aux",
        "pas",
        "ne",
        "plus",
        "tres",
        "y",
        "c",
        "j",
        "l",
        "n",
        "s",
        "qu",
        "d",
        "m",
        "t",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "und",
        "oder",
        "aber",
        "wenn",
        "dass",
        "ich",
        "du",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "mich",
        "mir",
        "dich",
        "dir",
        "uns",
        "euch",
        "sein",
        "seine",
        "ihre",
        "ihr",
        "mein",
        "meine",
        "dein",
        "deine",
        "ist",
        "sind",
        "bin",
        "bist",
        "war",
        "waren",
        "hat",
        "habe",
        "hast",
        "haben",
        "wird",
        "werden",
        "zu",
        "zum",
        "zur",
        "in",
        "im",
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "von",
        "vor",
        "fur",
        "uber",
        "um",
        "nicht",
        "kein",
        "keine",
        "auch",
        "noch",
        "schon",
        "so",
        "wie",
        "was",
        "wer",
        "wo",
        "den",
        "dem",
        "des",
        "ja",
        "nein",
    ]
)


def terms(text: str) -> set[str]:
    """Distinct content-word unigrams and bigrams (function words, digits and single letters dropped)."""
    words = [
        w
        for w in _TOKEN.findall(fold(text))
        if len(w) > 1 and not w[0].isdigit() and w not in _STOP
    ]
    out = set(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


def signal_strengths(evidence: Iterable[Evidence]) -> dict[str, float]:
    """The strongest hit per signal code (ten money words are one money signal)."""
    best: dict[str, float] = {}
    for ev in evidence:
        if ev.strength > best.get(ev.signal, 0.0):
            best[ev.signal] = ev.strength
    return best


# ----------------------------------------------------------------------------- accounts
# Account features live in `account_features` (one module for the account model's inputs).
from lurewatch.models.account_features import (  # noqa: E402
    ACCOUNT_FEATURE_WORDS,
    ACCOUNT_FEATURES,
    V1_FEATURES,
    V2_FEATURES,
    account_age_days,
    account_vector,
)

ACCOUNT_FEATURE_NAMES = V2_FEATURES

__all__ = [
    "ACCOUNT_FEATURES",
    "ACCOUNT_FEATURE_NAMES",
    "ACCOUNT_FEATURE_WORDS",
    "V1_FEATURES",
    "V2_FEATURES",
    "account_age_days",
    "account_vector",
]
