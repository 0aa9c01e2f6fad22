"""Which language a message is in, and whether the lure lexicons cover it.

A fast path counts very common function words of the covered languages (and of a few
neighbours, so Spanish is not mistaken for French); only when it cannot decide does the
`lingua` detector (restricted to a fixed set of languages, low-accuracy mode, first 300
characters) decide. Texts in non-Latin scripts are recognised by their script. Short or
undecidable texts give ``(None, True)``: unknown, and nothing to warn about because every
lexicon still runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lurewatch.evidence import Evidence
from lurewatch.signals.lexicons import COVERED_LANGUAGES
from lurewatch.signals.registry import SignalSpec, register
from lurewatch.signals.views import MessageView

register(
    SignalSpec(
        code="language.not_covered",
        applies_to=("message",),
        description="The message is in a language the lure lexicons do not cover, so only language-independent signs were checked.",
        weight=0.0,
    )
)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "you",
            "your",
            "to",
            "of",
            "is",
            "are",
            "for",
            "with",
            "that",
            "this",
            "have",
            "be",
            "we",
            "our",
            "will",
            "would",
            "in",
            "on",
            "it",
            "not",
            "at",
            "as",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "vous",
            "votre",
            "vos",
            "des",
            "du",
            "un",
            "une",
            "est",
            "pour",
            "avec",
            "que",
            "qui",
            "nous",
            "dans",
            "sur",
            "pas",
            "au",
            "aux",
            "ce",
            "cette",
            "je",
        ]
    ),
    "de": frozenset(
        "der die das und Sie Ihr Ihre Ihnen ist mit für ein eine einen nicht wir ich zu von den dem auf auch sich".lower().split()
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "y",
            "usted",
            "su",
            "sus",
            "es",
            "para",
            "con",
            "que",
            "una",
            "por",
            "del",
            "muy",
            "gracias",
            "como",
            "pero",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "gli",
            "e",
            "di",
            "che",
            "per",
            "con",
            "non",
            "una",
            "sono",
            "della",
            "del",
            "alla",
            "grazie",
            "anche",
            "come",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "je",
            "jij",
            "u",
            "uw",
            "is",
            "met",
            "voor",
            "niet",
            "dat",
            "op",
            "ook",
            "zijn",
            "wij",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "as",
            "e",
            "você",
            "seu",
            "sua",
            "para",
            "com",
            "que",
            "uma",
            "não",
            "por",
            "do",
            "da",
            "obrigado",
            "como",
        ]
    ),
}
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("el", re.compile(r"[\u0370-\u03FF]")),
    ("fa", re.compile(r"[\uFB50-\uFDFF]")),
    ("hi", re.compile(r"[\u0900-\u097F]")),
)
_ANY_SCRIPT = re.compile("|".join(regex.pattern for _, regex in _SCRIPTS))
_LINGUA_LANGS = (
    "ENGLISH",
    "FRENCH",
    "GERMAN",
    "SPANISH",
    "ITALIAN",
    "DUTCH",
    "PORTUGUESE",
    "POLISH",
    "TURKISH",
)
LANGUAGE_VERSION = "language-v1"
_MIN_WORDS = 3
_LINGUA_MIN_WORDS = 12
# Letters that mark a language (one count per word that has one).
_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("de", re.compile(r"[äöüßÄÖÜ]")),
    ("fr", re.compile(r"[éèêàçùœûÉÈÀÇ]")),
    ("es", re.compile(r"[ñ¿¡]")),
    ("pt", re.compile(r"[ãõ]")),
)


@lru_cache(maxsize=1)
def _lingua() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _LINGUA_LANGS]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def _script(text: str) -> str | None:
    sample = text[:300]
    if sample.isascii():
        return None
    letters = sum(map(str.isalpha, sample))  # counted in C: this ran per character in Python
    if not letters or _ANY_SCRIPT.search(sample) is None:
        return None  # accented Latin (most non-ASCII text): no script to count
    for code, regex in _SCRIPTS:
        found = len(regex.findall(sample))
        if found and found * 2 >= letters:
            return code
    return None


def detect_language(text: str) -> tuple[str | None, bool]:
    """(ISO 639-1 code or None, whether the lure lexicons cover that language).

    Cached for short texts: mass approaches repeat one template word for word.
    """
    if len(text) <= 2_000:
        return _detect_cached(text)
    return _detect(text)


@lru_cache(maxsize=1 << 15)  # distinct texts of a large feed: 8,192 thrashed
def _detect_cached(text: str) -> tuple[str | None, bool]:
    return _detect(text)


def _detect(text: str) -> tuple[str | None, bool]:
    if not text or not text.strip():
        return None, True
    script = _script(text)
    if script is not None:
        return script, script in COVERED_LANGUAGES
    words = [w.lower() for w in _WORD.findall(text[:600])]
    if len(words) < _MIN_WORDS:
        return None, True
    counts = dict.fromkeys(_STOPWORDS, 0)
    for word in words:
        for lang in _WORD_LANGS.get(word, ()):
            counts[lang] += 1
    sample = text[:600]
    if not sample.isascii():
        for lang, marks in _MARKS:
            counts[lang] += min(len(marks.findall(sample)), 4)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n1), (_, n2) = ranked[0], ranked[1]
    if n1 >= 2 and n1 >= 2 * n2:
        return best, best in COVERED_LANGUAGES
    if len(words) < _LINGUA_MIN_WORDS:
        return None, True  # too short to tell; every lexicon runs anyway
    found = _lingua().detect_language_of(text[:300])
    if found is None:
        return None, True
    code = found.iso_code_639_1.name.lower()
    return code, code in COVERED_LANGUAGES


def detect(view: MessageView) -> list[Evidence]:
    """A zero-weight note when the message's language is not covered by the lexicons."""
    if view.language_covered or view.language is None:
        return []
    return [
        Evidence(
            signal="language.not_covered",
            strength=0.0,
            explanation=f"The message seems to be in '{view.language}', which the lure lexicons do not cover; "
            "only language-independent signs (apps, phone numbers, amounts) were checked.",
            values={"language": view.language},
        )
    ]
