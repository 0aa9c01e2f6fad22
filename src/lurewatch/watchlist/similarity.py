"""Word-level similarity for watchlist matching: each rule returns a score and the reason shown.

Pure functions on folded words (see `normalize`), memoised because screened names repeat
words. The reasons are the phrases an analyst reads in a match's explanation.
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from lurewatch.watchlist.normalize import Token


@lru_cache(maxsize=200_000)
def sound(token: str) -> str:
    """Metaphone key: 'Starlite' and 'Starlight' both sound STRLT."""
    return jellyfish.metaphone(token) if token.isalpha() else token


def translit_readings(token: str) -> list[str]:
    """Latin readings of a transliterated word: Russian 'kh'/'dzh' spellings, Palladius 'Van' for Wang."""
    out = [token]
    alt = token.replace("dzh", "j").replace("zh", "j").replace("kh", "h").replace("ei", "a")
    if alt != token:
        out.append(alt)
    if token.endswith("n"):
        out.extend(r + "g" for r in list(out))
    return out


def translit_sound(token: str) -> str:
    """Sound key for transliterated words; 'w' and 'v' merged (Wu written in Cyrillic reads back Vu)."""
    return sound(token.replace("w", "v"))


# A query word longer than this is compared for equality only, and never memoised: the
# matcher's index cannot reach it (see matcher.MAX_WORD_CHARS), and a cache of 500,000 entries
# must not hold hostile 100,000-character words.
MAX_FUZZY_WORD_CHARS = 64


def word_similarity(entry_word: str, query: Token | str, *, strict: bool) -> tuple[float, str]:
    """How alike two folded words are, and why: same, typo, sound-alike, stem, transliteration."""
    text = query if isinstance(query, str) else query.text
    if len(text) > MAX_FUZZY_WORD_CHARS:
        return (1.0, "same word") if text == entry_word else (0.0, "")
    if isinstance(query, str):
        return _word_similarity(entry_word, query, False, False, strict)
    return _word_similarity(entry_word, query.text, query.translit, query.lookalike, strict)


@lru_cache(maxsize=500_000)
def _word_similarity(
    entry_word: str, q: str, translit: bool, lookalike: bool, strict: bool
) -> tuple[float, str]:
    if entry_word == q:
        if lookalike:
            return 1.0, "look-alike characters (other script or digits)"
        if translit:
            return 1.0, "transliterated from another script"
        return 1.0, "same word"
    if translit and len(q) >= 2:
        target = translit_sound(entry_word)
        if any(translit_sound(alt) == target for alt in translit_readings(q)):
            return 0.9, "sounds alike after transliteration"
    if strict:
        return 0.0, ""
    la, lb = len(entry_word), len(q)
    if min(la, lb) >= 4:
        dist = OSA.distance(entry_word, q, score_cutoff=2)
        if dist <= (1 if max(la, lb) <= 7 else 2):
            return (
                0.92 if dist == 1 else 0.86
            ), f"spelling differs ({dist} edit{'s' if dist > 1 else ''})"
    if (
        min(la, lb) >= 3
        and entry_word[0] == q[0]
        and abs(la - lb) <= 3
        and sound(entry_word) == sound(q)
        and fuzz.ratio(entry_word, q) >= (55 if min(la, lb) <= 4 else 75)
    ):
        return 0.9, "sounds alike (look-alike brand spelling)"
    if min(la, lb) >= 7 and entry_word[:6] == q[:6]:
        return 0.85, "same stem"
    return 0.0, ""


def compact_similarity(entry_compact: str, joined: str, *, exact: bool) -> float:
    """Spaceless comparison: one edit allowed from 6 letters, two from 10, three from 20.

    Edits, not a letter-overlap ratio: a ratio lets a whole missing word through in a long
    name ("Global Strategic Consulting" inside "Global View Strategic Consulting").
    """
    if entry_compact == joined:
        return 1.0
    n = len(entry_compact)
    if exact or n < 6:
        return 0.0
    dist = OSA.distance(entry_compact, joined, score_cutoff=3)
    if dist == 1:
        return 0.92
    if dist == 2 and n >= 10:
        return 0.86
    if dist == 3 and n >= 20:
        return 0.85
    return 0.0
