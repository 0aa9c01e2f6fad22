"""The screening shortcuts (counting in C, the join pre-check, the text memo) change no result."""

from __future__ import annotations

import sys

import pytest

from lurewatch.watchlist import normalize
from lurewatch.watchlist.labelled import dev_cases, holdout_cases
from lurewatch.watchlist.labelled import test_cases as _test_cases
from lurewatch.watchlist.matcher import Matcher
from lurewatch.watchlist.normalize import tokenize
from lurewatch.watchlist.seeds import SEED_ENTRIES

NAMES = [c.name for c in dev_cases() + _test_cases() + holdout_cases()]
SENTENCES = [
    "Hello, I recruit for {} and we pay well for short reports.",
    "{}",
    "Greetings from {} - call me on WhatsApp",
    "i m u r a b c {} x y",
]
TEXTS = [s.format(n) for s in SENTENCES for n in NAMES] + [
    "Ri\u200bseHR, Ｍｏｖｅ ＨＲ, Gl0bal V1ew, M0$e, a@b $5 5@5",
    "Рейчел Ли пишет вам из 上海社会科学院",
    "K\u212aelvin \u0130stanbul Ω",
]


def _per_character_mostly_latin(text: str) -> bool:
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    letters = sum(1 for ch in text if ch.isalpha())
    return letters == 0 or latin * 2 >= letters


def test_latin_letters_outside_ascii_are_the_two_listed() -> None:
    found = [
        chr(c)
        for c in range(0x80, sys.maxunicode + 1)
        if "a" <= chr(c).lower() <= "z" and not 0xD800 <= c < 0xE000
    ]
    assert tuple(found) == normalize._LATIN_OUTSIDE_ASCII


@pytest.mark.parametrize("text", [*TEXTS, "", "123 !!", "Ωμέγα abc", "ÉÉÉ ab", "Жж a\u212a"])
def test_mostly_latin_counts_as_the_per_character_definition(text: str) -> None:
    assert normalize._mostly_latin(text) is _per_character_mostly_latin(text)


class _Anything:
    def __contains__(self, item: object) -> bool:
        return True


def test_join_precheck_loses_no_candidate() -> None:
    fast = Matcher(SEED_ENTRIES)
    slow = Matcher(SEED_ENTRIES)
    slow._join_heads = _Anything()  # type: ignore[assignment]
    for text in TEXTS:
        toks = tokenize(text)
        texts, translits = [t.text for t in toks], [t.translit for t in toks]
        for whole in (False, True):
            assert fast._candidates(texts, translits, whole) == slow._candidates(
                texts, translits, whole
            ), text


def test_text_memo_returns_what_matching_returns() -> None:
    matcher = Matcher(SEED_ENTRIES)
    for text in TEXTS:
        direct = matcher._match(text, False, None, None)
        assert matcher.match_text(text) == direct
        assert matcher.match_text(text) == direct  # from the memo
        orgs = matcher._match(text, False, ("organisation",), 0.9)
        kinds = (k for k in ("organisation",))  # an iterator is read once
        assert matcher.match_text(text, kinds=kinds, threshold=0.9) == orgs
    hit = matcher.match_text("A note from Global View Strategic Consulting")
    assert hit and hit[0].entry.name == "Global View Strategic Consulting"
    hit.clear()  # a caller's list is its own
    assert matcher.match_text("A note from Global View Strategic Consulting")


SCREENED = [
    *TEXTS,
    "Call me at 0044 7700 900123, price $50, gr8 d3al, 5@5, 100%",
    "Il y a un problème, à demain. Ça va? Liebe Grüße aus München",
    "I am a recruiter; u r invited",  # "a" between words, "u r": a run of single letters
    "Human Resources, Intl Ctr",  # rewritten words
    "ｆｕｌｌ ｗｉｄｔｈ, ﬁne, Straße, İstanbul, Ωμέγα, 漢字 and Жж",
    "",
    "   ",
]


@pytest.mark.parametrize("text", SCREENED)
def test_screen_words_are_the_words_tokenize_gives(text: str) -> None:
    words = normalize.screen_words(text)
    toks = tokenize(text)
    if words is not None:
        assert words == ([t.text for t in toks], [t.translit for t in toks])


def test_screen_words_defers_to_tokenize_where_it_would_differ() -> None:
    assert normalize.screen_words("Move H R") is None
    assert normalize.screen_words("Move Human Resources") is None
    assert normalize.screen_words("Gl0bal View") == (["global", "view"], [False, False])


def test_words_known_to_reach_no_key_skip_the_lookups_and_change_nothing() -> None:
    matcher = Matcher(SEED_ENTRIES)
    reference = Matcher(SEED_ENTRIES)
    plain = "We met at the fair last year; call me tomorrow about the report"
    assert matcher.match_text(plain) == []
    assert {"met", "fair", "tomorrow"} <= matcher._inert  # remembered as reaching no key
    reference._inert = set()  # nothing known: every word is looked up
    for text in TEXTS:
        reference._inert.clear()
        assert matcher._match(text, False, None, None) == reference._match(text, False, None, None)
    assert matcher.match_text(plain + " at Global View Strategic Consulting")  # a hit still found
