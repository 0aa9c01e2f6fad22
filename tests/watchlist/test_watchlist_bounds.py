"""Bounded work on hostile input: counted structurally (keys built, cache entries), not timed.

A 100,000-character word once built 100,000 one-letter deletions of 100,000 characters each
(10 GB, 17 s in `lurewatch check`); every cache keyed by words could fill with such words.
"""

from __future__ import annotations

import pytest

from lurewatch.watchlist import matcher as matcher_mod
from lurewatch.watchlist import normalize, similarity
from lurewatch.watchlist.matcher import MAX_WORD_CHARS, Matcher
from lurewatch.watchlist.seeds import SEED_ENTRIES

LONG = "a" * 5_000  # far over every cap; small enough that a regression fails, not hangs


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(SEED_ENTRIES)


@pytest.fixture
def built_chars(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Characters of index keys the matcher builds from query words (deletions + the rest)."""
    counted: list[int] = []
    real = matcher_mod._token_keys

    def counting(token: str) -> list[str]:
        keys = real(token)
        counted.append(sum(len(k) for k in keys))
        return keys

    monkeypatch.setattr(matcher_mod, "_token_keys", counting)
    return counted


def test_a_word_longer_than_any_key_builds_no_keys(matcher: Matcher, built_chars) -> None:
    assert matcher.max_word_chars >= MAX_WORD_CHARS
    for text in (LONG, f"Dear Sir, {LONG} at Global View Strategic Consulting"):
        matcher.match_text(text)
        matcher.match_name(text)
    # the normal words still build their keys; the long word none (it would be 10^10 chars)
    assert sum(built_chars) < 10_000
    assert all(len(word) <= matcher.max_word_chars for word, _ in matcher._word_cache)
    assert all(len(word) <= matcher.max_word_chars for word in matcher._inert)


def test_key_fan_out_is_linear_in_the_words_length(built_chars) -> None:
    """The deletion neighbourhood of an admissible word is at most max_word_chars^2 chars."""
    m = Matcher(SEED_ENTRIES)
    del built_chars[:]  # the index's own keys
    words = ["x" * n for n in (5, 20, 64)]
    m.match_text(" ".join(words))
    assert len(built_chars) == len(words)
    for word, chars in zip(words, built_chars, strict=True):
        assert chars <= (len(word) + 2) ** 2


def test_long_names_are_still_found_next_to_a_long_word(matcher: Matcher) -> None:
    found = matcher.match_text(f"{LONG} Global View Strategic Consulting Ltd {LONG}")
    assert any("Global View" in m.entry.name for m in found)


def test_word_caches_never_hold_long_words() -> None:
    before_fold = normalize._fold_word.cache_info().currsize
    before_sim = similarity._word_similarity.cache_info().currsize
    for i in range(20):
        word = chr(ord("a") + i) * 1_000
        normalize.fold_word(word + "é")
        similarity.word_similarity("global", word, strict=False)
    assert normalize._fold_word.cache_info().currsize == before_fold
    assert similarity._word_similarity.cache_info().currsize == before_sim
    assert similarity.word_similarity("x" * 100, "x" * 100, strict=False)[0] == 1.0
