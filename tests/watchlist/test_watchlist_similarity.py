"""Word-level similarity rules, one case per rule (scores and the reason an analyst reads)."""

from __future__ import annotations

import pytest

from lurewatch.watchlist.normalize import Token, fold, tokenize
from lurewatch.watchlist.similarity import compact_similarity, word_similarity

CASES = [
    ("global", "global", False, 1.0, "same word"),
    ("global", "gloabl", False, 0.92, "spelling differs"),
    ("international", "internatonl", False, 0.86, "spelling differs (2 edits)"),
    ("starlight", "starlite", False, 0.9, "sounds alike"),
    ("consulting", "consultancy", False, 0.85, "same stem"),
    ("rachel", "rachael", True, 0.0, ""),  # strict (a common name): exact only
    ("view", "vision", False, 0.0, ""),
    ("kabo", "kebu", False, 0.0, ""),  # same consonants, different word
]


@pytest.mark.parametrize(("entry", "query", "strict", "score", "why"), CASES)
def test_word_similarity_rules(
    entry: str, query: str, strict: bool, score: float, why: str
) -> None:
    got, reason = word_similarity(entry, query, strict=strict)
    assert got == pytest.approx(score)
    assert why in reason


def test_transliterated_words_match_by_sound() -> None:
    (wu,) = [t for t in tokenize("Ву") if t.text]
    assert wu.translit and word_similarity("wu", wu, strict=True)[0] == 0.9
    assert word_similarity("wang", Token("van", 0, 3, True), strict=True)[0] == 0.9  # Palladius Ван


def test_compact_similarity_counts_edits_not_overlap() -> None:
    assert compact_similarity("risehr", "risehr", exact=True) == 1.0
    assert compact_similarity("risehr", "rysehr", exact=False) == 0.92
    assert (
        compact_similarity(
            "globalviewstrategicconsulting", "globalstrategicconsulting", exact=False
        )
        == 0.0
    )


def test_fold_undoes_look_alikes_suffixes_and_spacing() -> None:
    assert fold("Glоbal Viеw Strategic Consulting Co., Ltd.") == "global view strategic consulting"
    assert fold("C.C.I.P.E.") == "ccipe"
    assert fold("Ｇｌｏｂａｌ") == "global"  # full-width letters
    assert fold("上海") == "shang hai"
