"""Matching case families (positives and hard negatives), spans, explanations, index vs reference."""

from __future__ import annotations

import pytest

from lurewatch.watchlist.entries import Entry, entry_from_dict
from lurewatch.watchlist.labelled import dev_cases, holdout_cases
from lurewatch.watchlist.labelled import test_cases as _test_cases
from lurewatch.watchlist.matcher import Matcher
from lurewatch.watchlist.seeds import SEED_ENTRIES

GVSC = "Global View Strategic Consulting"
CCIPE = "China Center of International Politics and Economy"
SASS = "Shanghai Academy of Social Sciences"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(SEED_ENTRIES)


def _best(matcher: Matcher, name: str) -> str:
    found = matcher.match_name(name)
    return found[0].entry.name if found else ""


POSITIVES = [
    ("typo", "Gloabl View Strategic Consulting", GVSC),
    ("typo, long word", "China Center of Internatonal Politics and Economy", CCIPE),
    ("look-alike Cyrillic letters", "Glоbal Viеw Strategic Consulting", GVSC),
    ("digits for letters", "Gl0bal View Strategic Consulting", GVSC),
    ("reordered words", "Strategic Consulting Global View", GVSC),
    (
        "legal suffix",
        "Universal View Strategic Consulting Co., Ltd.",
        "Universal View Strategic Consulting",
    ),
    ("legal suffix", "Move HR GmbH", "Move HR"),
    ("acronym", "CCIPE", CCIPE),
    ("dotted acronym", "C.C.I.P.E.", CCIPE),
    ("Chinese characters", "上海社会科学院", SASS),
    ("pinyin syllables", "Shang Hai She Hui Ke Xue Yuan", SASS),
    ("Cyrillic persona", "Рейчел Ли", "Rachel Li"),
    ("sound-alike brand", "Globle Vue Strategic Consulting", GVSC),
    ("spacing", "Rise HR", "RiseHR"),
    ("spacing", "MoveHR", "Move HR"),
    ("expansion", "Move Human Resources", "Move HR"),
    ("British spelling and stem", "China Centre for International Politics & Economics", CCIPE),
    ("persona reordered", "Li Rachel", "Rachel Li"),
    ("persona rare-name typo", "Laetitia Chen", "Laeticia Chen"),
    ("French generic words", "Conseil Stratégique Global View", GVSC),
    ("German generic words", "Global View Strategische Beratung GmbH", GVSC),
    ("French expansion", "Move Ressources Humaines", "Move HR"),
    ("zero-width character", "Glo\u200bbal View Strategic Consulting", GVSC),
    ("spaced short acronym", "DR HR", "DRHR"),
    ("persona with titles", "Prof. Dr. Rachel Li, MBA", "Rachel Li"),
]

NEGATIVES = [
    ("real think tank sharing words", "Center for Strategic and International Studies"),
    ("generic words only", "Global Strategic Consulting Group"),
    ("real academy, other city", "Chinese Academy of Social Sciences"),
    ("real centre, similar acronym", "European Centre for International Political Economy"),
    ("real centre sharing four words", "China Center for International Economic Exchanges"),
    ("real executive search firm", "DHR International"),
    ("real firm sharing a prefix", "RiseSmart"),
    ("short acronym in other case", "Sass"),
    ("other person, one letter", "Rachel Lin"),
    ("other person, common given name", "Jon Wang"),
    ("other person, common surname", "Lily Wang"),
    ("other person, sound-alike surname", "Eva Hahn"),
]


@pytest.mark.parametrize(
    ("family", "name", "expected"), POSITIVES, ids=[p[0] + ":" + p[1] for p in POSITIVES]
)
def test_evasive_variants_match_their_entry(
    matcher: Matcher, family: str, name: str, expected: str
) -> None:
    assert _best(matcher, name) == expected


@pytest.mark.parametrize(("family", "name"), NEGATIVES, ids=[n[0] + ":" + n[1] for n in NEGATIVES])
def test_hard_negatives_do_not_match(matcher: Matcher, family: str, name: str) -> None:
    assert matcher.match_name(name) == []


def test_brand_mimicry_against_an_added_entry() -> None:
    entry = entry_from_dict({"name": "Starlight Strategic", "source": "test fixture"})
    m = Matcher([*SEED_ENTRIES, entry])
    found = m.match_name("Starlite Strategic LLC")
    assert found and found[0].entry.id == entry.id
    assert "sounds alike" in found[0].explanation()
    assert m.match_name("Starbucks Strategic") == []


def test_partial_name_inside_a_sentence_is_quoted_with_its_span(matcher: Matcher) -> None:
    text = "Dear Sir, I represent the Global View Strategic Consulting office in Beijing; our client pays well."
    found = matcher.match_text(text)
    assert [m.entry.name for m in found] == [GVSC]
    start, end = found[0].span
    assert text[start:end] == "Global View Strategic Consulting"


def test_persona_in_text_needs_capitals_and_short_acronyms_need_capitals(matcher: Matcher) -> None:
    assert [m.entry.name for m in matcher.match_text("My colleague Rachel Li will call you.")] == [
        "Rachel Li"
    ]
    assert matcher.match_text("contact rachel li tomorrow") == []
    assert matcher.match_text("We use Sass and Move for styling.") == []
    assert [m.entry.name for m in matcher.match_text("A seminar by AFEC in Paris")] == ["AFEC"]


def test_match_explains_entry_source_values_and_reasons(matcher: Matcher) -> None:
    m = matcher.match_name("Gl0bal Viеw Strategic Consulting Ltd")[0]
    d = m.to_dict()
    assert d["entry"] == m.entry.id and 0.85 <= d["score"] <= 1
    assert "Le Figaro" in d["explanation"]
    assert "look-alike" in d["explanation"]
    assert d["compared"][1] == GVSC


def test_expired_entries_are_not_matched() -> None:
    entry = Entry(
        id="x", name="Example Front Partners", kind="organisation", source="t", expires="2001-01-01"
    )
    assert Matcher([entry]).match_name("Example Front Partners") == []


def test_index_finds_what_the_exhaustive_reference_finds(matcher: Matcher) -> None:
    for case in dev_cases() + _test_cases() + holdout_cases():
        fast = [(m.entry.id, round(m.score, 6)) for m in matcher.match_name(case.name)]
        slow = [(m.entry.id, round(m.score, 6)) for m in matcher.match_name_exhaustive(case.name)]
        assert fast == slow, case.name


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        Matcher(SEED_ENTRIES, threshold=2)


def test_seeds_all_name_a_source_and_date() -> None:
    assert len(SEED_ENTRIES) == 17
    assert all(e.source and e.published for e in SEED_ENTRIES)
    assert len({e.id for e in SEED_ENTRIES}) == len(SEED_ENTRIES)


def test_short_person_names_do_not_drown_in_false_positives() -> None:
    john = entry_from_dict({"name": "John Smith", "kind": "persona", "source": "test fixture"})
    m = Matcher([john])
    assert m.match_name("John Smith") and m.match_name("Smith, John")
    for other in ("Jon Smith", "John Smyth", "Joan Smith", "John Smithson", "J. Smith", "John"):
        assert m.match_name(other) == [], other
    assert m.match_text("I met john smith yesterday") == []  # not written as a name


def test_evaluation_meets_the_goal_and_beats_the_wratio_baseline() -> None:
    from pathlib import Path

    from lurewatch.evaluation.base import EvalContext
    from lurewatch.watchlist.evaluation import evaluate

    section = evaluate(
        EvalContext(Path("."), Path("."), Path("."), quick=True, progress=lambda _m: None)
    )
    m = section.metrics
    assert m["watchlist_holdout_precision"] >= 0.95 and m["watchlist_holdout_recall"] >= 0.95
    assert m["watchlist_holdout_f1"] > m["watchlist_wratio_holdout_f1"] + 0.1
    assert "HOLDOUT" in section.markdown and "WRatio" in section.markdown


TEXT_NEGATIVES = [
    "We use SASS and React for the front end.",  # the CSS tool, not the academy
    "Subsea riser installation engineer wanted.",  # not RiseHR
    "You can move or stay, as you like.",  # not Move HR
    "All the professors were called & they were asked to sit in move... He",
    "The European Centre for International Political Economy published a report.",
]


@pytest.mark.parametrize("text", TEXT_NEGATIVES)
def test_running_text_negatives(matcher: Matcher, text: str) -> None:
    assert matcher.match_text(text) == []


def test_acronym_alias_in_text_needs_context_and_longest_quote_wins(matcher: Matcher) -> None:
    found = matcher.match_text("A fellow of SASS in Shanghai wrote to you.")
    assert [m.entry.name for m in found] == [SASS]
    found = matcher.match_text("The Shanghai Academy of Social Sciences (SASS) invites you.")
    assert found[0].compared == SASS
