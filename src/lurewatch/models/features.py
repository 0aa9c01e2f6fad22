"""Features the learned scorers read: the same function at training time and at `check` time.

Message features are (1) the strongest rule evidence per signal code and (2) word unigrams and
bigrams, binary, scaled by 1/sqrt(number of distinct terms) so a long text is not louder than a
short one. Terms are looked up in a dict of learned weights: no hashing, no sklearn call per
message, and every weight has a readable name for the explanation.

Account features are computed from the `Account` record only (never from a dataset's own
columns), so a LinkedIn-style profile gets exactly the features the model was trained on.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from lurewatch.evidence import Evidence
from lurewatch.records import Account

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

ACCOUNT_FEATURES: tuple[tuple[str, str], ...] = (
    ("log_followers", "number of followers or connections (log)"),
    ("log_following", "number of accounts followed (log)"),
    ("log_posts", "number of posts (log)"),
    ("follow_ratio", "followers per account followed (log ratio)"),
    ("no_posts", "has never posted"),
    ("no_photo", "has no profile photo"),
    ("bio_missing", "has no bio or 'about' text"),
    ("log_bio_len", "length of the bio (log)"),
    ("username_digits", "share of digits in the username"),
    ("username_long", "username longer than 12 characters"),
)
ACCOUNT_FEATURE_NAMES = tuple(name for name, _ in ACCOUNT_FEATURES)
ACCOUNT_FEATURE_WORDS = dict(ACCOUNT_FEATURES)


def _log(n: int | None) -> float | None:
    return None if n is None else math.log1p(max(n, 0))


def account_vector(account: Account) -> list[float | None]:
    """Platform-independent account features: logs, ratios and presence, which transfer across sites.

    LinkedIn counts connections (mutual) where other sites count followers: when only
    `connections` is known it stands for followers, and following (hence the follow ratio)
    is unknown. An unknown count or
    photo is None, not zero: the scorer fills it with the training mean so it moves nothing
    (a profile export without a post count has not "never posted").
    """
    followers = account.followers if account.followers is not None else account.connections
    following = account.following  # connections are mutual: they say nothing about following
    about = (account.about or "").strip()
    username = account.username or ""
    digits = sum(ch.isdigit() for ch in username)
    log_followers, log_following = _log(followers), _log(following)
    return [
        log_followers,
        log_following,
        _log(account.posts),
        None if log_followers is None or log_following is None else log_followers - log_following,
        None if account.posts is None else float(account.posts == 0),
        None if account.has_photo is None else float(not account.has_photo),
        1.0 if not about else 0.0,
        math.log1p(len(about)),
        digits / len(username) if username else 0.0,
        1.0 if len(username) > 12 else 0.0,
    ]


def account_age_days(account: Account, now: datetime | None = None) -> float | None:
    if account.created_at is None:
        return None
    now = now or datetime.now(UTC)
    return max((now - account.created_at).total_seconds() / 86400.0, 0.0)
