"""Name normalisation: what evasive spellings have in common once folded.

Each token keeps its character span in the original text, so a match inside a message can
quote the exact words it rests on. Folding undoes what evasion does to a name:
compatibility forms (full-width letters), invisible characters, look-alike letters from
another script mixed into a Latin word (Cyrillic 'о' in "Glоbal"), digits for letters
("Gl0bal"), accents, and other scripts (Chinese characters to pinyin, Cyrillic to Latin
through unidecode). Legal suffixes and function words are dropped; "human resources"
becomes "hr" so both spellings of a head-hunter's name meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from unidecode import unidecode

# A token: letters/digits, allowing look-alike glue inside a word ("Glob@l", "Mo$e", "Ri\u200bseHR").
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(
    rf"[{_CJK}]|[^\W_{_CJK}]+(?:[@$\u00ad\u200b-\u200d\u2060\ufeff]+[^\W_{_CJK}]+)*"
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPLIT = re.compile(r"[^a-z0-9]+")

# Letters of other scripts that look like Latin ones (a subset of Unicode's confusables).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ո": "n",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
LEET: dict[str, str] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
}

LEGAL_SUFFIXES: frozenset[str] = frozenset(
    [
        "ltd",
        "limited",
        "gmbh",
        "mbh",
        "sarl",
        "sa",
        "sas",
        "sasu",
        "eurl",
        "co",
        "company",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "plc",
        "ag",
        "bv",
        "nv",
        "corp",
        "corporation",
        "pte",
        "pty",
        "kg",
        "ug",
        "srl",
        "spa",
        "oy",
        "ab",
        "kft",
        "sro",
        "lp",
        "gbr",
        "ohg",
        "ev",
    ]
)
STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "for",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "d",
        "l",
        "fur",
        "fuer",
        "und",
        "der",
        "die",
        "das",
        "von",
        "zu",
        "y",
        "del",
        "e",
        "at",
        "in",
        "on",
        "to",
    ]
)
# Titles around a person's name: kept as words (so "DR HR" can still spell DRHR) but never
# counted as extra words around a persona's name.
HONORIFICS: frozenset[str] = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "phd", "mba"])
# Words many real organisations share: they count less and are never required for a match.
GENERIC: frozenset[str] = frozenset(
    [
        "center",
        "centre",
        "international",
        "global",
        "strategic",
        "strategy",
        "strategies",
        "consulting",
        "consultancy",
        "consultants",
        "consultant",
        "development",
        "studies",
        "study",
        "institute",
        "academy",
        "research",
        "group",
        "partners",
        "associates",
        "advisory",
        "management",
        "solutions",
        "services",
        "service",
        "china",
        "chinese",
        "europe",
        "european",
        "sino",
        "social",
        "sciences",
        "science",
        "affairs",
        "policy",
        "foundation",
        "association",
        "council",
        "network",
        "agency",
        "office",
        "bureau",
        "holdings",
        "world",
        "economic",
        "economy",
        "politics",
        "political",
    ]
)
# The generic words of organisation names in French, German, Spanish and Italian (accents
# already folded), read as their English form: a front company's name is often translated.
_TRANSLATIONS: dict[str, str] = {
    "consulting": "conseil conseils beratung consultoria consulenza",
    "strategic": "strategique strategiques strategisch strategische strategischen estrategico "
    "estrategica strategico strategica",
    "center": "zentrum centro",
    "international": "internationale internationales internacional internazionale",
    "studies": "etudes studien estudios studi",
    "academy": "academie akademie academia accademia",
    "development": "developpement entwicklung desarrollo sviluppo",
    "economy": "economie wirtschaft economia",
    "politics": "politique politik politica",
    "research": "recherche forschung investigacion ricerca",
    "institute": "institut instituto istituto",
    "group": "groupe gruppe grupo gruppo",
    "china": "chine cina",
    "europe": "europa",
    "social": "sociales soziale sociale",
    "sciences": "wissenschaften ciencias scienze",
}
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "ctr": "center",
    "cntr": "center",
    "mgmt": "management",
    "assoc": "associates",
    "dev": "development",
    "acad": "academy",
    "inst": "institute",
}
# Given names and surnames so common that a one-letter difference is another person.
COMMON_NAMES: frozenset[str] = frozenset(
    [
        "li",
        "lee",
        "wang",
        "zhang",
        "liu",
        "chen",
        "yang",
        "zhao",
        "huang",
        "zhou",
        "wu",
        "xu",
        "sun",
        "hu",
        "zhu",
        "gao",
        "lin",
        "he",
        "guo",
        "ma",
        "luo",
        "han",
        "tang",
        "song",
        "deng",
        "xie",
        "feng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "pan",
        "yuan",
        "cai",
        "jiang",
        "yu",
        "du",
        "ye",
        "cheng",
        "wei",
        "alex",
        "allen",
        "alan",
        "rachel",
        "lily",
        "lilly",
        "eva",
        "jason",
        "john",
        "jon",
        "james",
        "jane",
        "jana",
        "anna",
        "david",
        "michael",
        "mary",
        "peter",
        "paul",
        "mark",
        "smith",
        "jones",
        "brown",
        "chris",
        "kevin",
        "tony",
        "linda",
        "amy",
        "emily",
        "grace",
        "helen",
        "lucy",
        "sarah",
        "laura",
        "maria",
        "daniel",
        "eric",
        "frank",
        "george",
        "jack",
        "kate",
        "leo",
        "max",
        "nina",
        "sam",
        "tom",
        "victor",
        "wendy",
    ]
)


class Token(NamedTuple):
    """One folded word: its text for matching and its span in the original string."""

    text: str
    start: int
    end: int
    translit: bool = False  # came from another script (allows sound-alike matching)
    upper: bool = False  # written in capitals in the original (acronyms in running text)
    lookalike: bool = False  # letters from another script or digits stood in for letters


_ASCII_LETTERS = re.compile("[A-Za-z]+")
_ASCII_CHARS = re.compile("[\x00-\x7f]+")
# Outside ASCII, the letters whose lower case falls in "a".."z" (the Latin letters this counts)
# are the dotted capital I and the Kelvin sign; tests/watchlist checks every code point.
_LATIN_OUTSIDE_ASCII = ("\u0130", "\u212a")


def _mostly_latin(text: str) -> bool:
    """At least half the letters are Latin ("a" <= lower case <= "z").

    Counted with regex substitutions in C: a per-character loop here cost more than folding.
    The only ASCII letters are A-Z and a-z; only the non-ASCII rest needs `str.isalpha`.
    """
    ascii_letters = len(text) - len(_ASCII_LETTERS.sub("", text))
    rest = _ASCII_CHARS.sub("", text)
    latin = ascii_letters + sum(rest.count(ch) for ch in _LATIN_OUTSIDE_ASCII)
    letters = ascii_letters + sum(map(str.isalpha, rest))
    return letters == 0 or latin * 2 >= letters


# Words longer than this are folded but not memoised: a cache of 65,536 words must not hold
# 65,536 hostile 100,000-character words (6.5 GB). No real word is that long.
MAX_CACHED_WORD_CHARS = 64


def fold_word(raw: str, latin_context: bool = True) -> tuple[tuple[str, ...], bool, bool]:
    """Folds one raw word into ASCII sub-words; returns (parts, transliterated, look-alike)."""
    if len(raw) > MAX_CACHED_WORD_CHARS:
        return _fold_word.__wrapped__(raw, latin_context)
    return _fold_word(raw, latin_context)


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(raw: str, latin_context: bool = True) -> tuple[tuple[str, ...], bool, bool]:
    """`fold_word`, cached: running text repeats its words, and folding (NFKC, unidecode)
    dominated screening time."""
    word = _INVISIBLE.sub("", unicodedata.normalize("NFKC", raw))
    lookalike = False
    if not word.isascii():
        has_latin = any("a" <= ch.lower() <= "z" for ch in word)
        foreign = [ch for ch in word if ch.isalpha() and not ("a" <= ch.lower() <= "z")]
        mapped = all(ch in CONFUSABLES for ch in foreign)
        if foreign and mapped and (has_latin or word.isupper() or latin_context):
            word = "".join(CONFUSABLES.get(ch, ch) for ch in word)
            lookalike = True
    translit = not word.isascii() and any(
        ch.isalpha() and unicodedata.name(ch, "").split(" ")[0] not in {"LATIN"} for ch in word
    )
    if any(ch.isdigit() or ch in "@$" for ch in word) and any(ch.isalpha() for ch in word):
        word = "".join(LEET.get(ch, ch) for ch in word)
        lookalike = True
    folded = unidecode(word).lower()
    if translit:
        folded = folded.replace("'", "")  # the Cyrillic soft sign reads back as an apostrophe
    parts = tuple(p for p in _SPLIT.split(folded) if p)
    return parts, translit, lookalike


_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[@$][A-Za-z0-9]+)*")
_HAS_DIGIT = re.compile(r"[0-9@$]")


_new_token = tuple.__new__  # builds a Token without NamedTuple's Python-level __new__ (hot loop)


def _ascii_tokens(text: str) -> list[Token]:
    """The fast path for plain ASCII (most screened names and messages): no transliteration.

    Running text is screened word by word, so this loop is hot: words are matched on the
    lower-cased text (same boundaries: the pattern takes both cases), and the digit check runs
    per word only when the text has a digit at all.
    """
    lowered = text.lower()
    digits = _HAS_DIGIT.search(text) is not None
    out = []
    for m in _ASCII_TOKEN.finditer(lowered):
        low = m.group()
        start, end = m.span()
        lookalike = False
        if digits and _HAS_DIGIT.search(low) and not low.isdigit():
            low = _leet(low)
            lookalike = True
        upper = end - start > 1 and text[start:end].isupper()
        out.append(_new_token(Token, (low, start, end, False, upper, lookalike)))
    return out


def _folded_tokens(text: str) -> list[Token]:
    """The general path: each word folded (cached per distinct word), one token per ASCII part.

    Whether the text is mostly Latin only matters to folding a non-ASCII word, so it is
    counted on the first such word (an ASCII word folds the same either way).
    """
    latin_context: bool | None = None
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw.isascii():
            parts, translit, lookalike = fold_word(raw)
        else:
            if latin_context is None:
                latin_context = _mostly_latin(text)
            parts, translit, lookalike = fold_word(raw, latin_context)
        start, end = m.span()
        upper = len(raw) > 1 and raw.isupper()
        for part in parts:
            out.append(_new_token(Token, (part, start, end, translit, upper, lookalike)))
    return out


ABBREVIATIONS.update({w: canon for canon, words in _TRANSLATIONS.items() for w in words.split()})
_DROPPED = STOPWORDS | LEGAL_SUFFIXES
_REWRITTEN = frozenset(ABBREVIATIONS) | {"human", "ressources"}


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[Token]:
    """Folded tokens with spans; legal suffixes and stopwords dropped, acronym letters joined."""
    raw_tokens = _ascii_tokens(text) if text.isascii() else _folded_tokens(text)
    merged = (
        _join_single_letters(raw_tokens)
        if any(len(t.text) == 1 for t in raw_tokens)
        else raw_tokens
    )
    if not keep_stopwords and not any(t.text in _REWRITTEN for t in merged):
        return [t for t in merged if t.text not in _DROPPED]  # the common case, in one pass
    out: list[Token] = []
    i = 0
    while i < len(merged):
        tok = merged[i]
        nxt = merged[i + 1] if i + 1 < len(merged) else None
        if (tok.text == "human" and nxt is not None and nxt.text in {"resources", "resource"}) or (
            tok.text == "ressources" and nxt is not None and nxt.text == "humaines"
        ):
            out.append(Token("hr", tok.start, nxt.end, tok.translit, False, tok.lookalike))
            i += 2
            continue
        text_ = ABBREVIATIONS.get(tok.text, tok.text)
        if not keep_stopwords and (text_ in STOPWORDS or text_ in LEGAL_SUFFIXES):
            i += 1
            continue
        out.append(
            tok
            if text_ == tok.text
            else Token(text_, tok.start, tok.end, tok.translit, tok.upper, tok.lookalike)
        )
        i += 1
    return out


def screen_words(text: str) -> tuple[list[str], list[bool]] | None:
    """The words `tokenize(text)` gives (texts, and which came from another script), no spans.

    For screening running text: building tokens with spans costs more than looking every
    word up, and most messages name nothing on the watchlist. None when this shortcut would
    differ from `tokenize`: spaced-out letters to join ("H R") or words it rewrites ("human
    resources", abbreviations); the caller tokenizes then. tests/watchlist checks that the
    two agree.
    """
    if text.isascii():
        texts = _ASCII_TOKEN.findall(text.lower())
        if _HAS_DIGIT.search(text) is not None:
            texts = [_leet(w) if _HAS_DIGIT.search(w) and not w.isdigit() else w for w in texts]
        translits = [False] * len(texts)
    else:
        texts, translits = [], []
        latin_context: bool | None = None
        for raw in _TOKEN.findall(text):
            if raw.isascii():
                parts, translit, _ = fold_word(raw)
            else:
                if latin_context is None:
                    latin_context = _mostly_latin(text)
                parts, translit, _ = fold_word(raw, latin_context)
            texts.extend(parts)
            translits.extend([translit] * len(parts))
    if _has_single_letter_run(texts, translits) or not _REWRITTEN.isdisjoint(texts):
        return None
    if _DROPPED.isdisjoint(texts):
        return texts, translits
    if not any(translits):
        kept = [w for w in texts if w not in _DROPPED]
        return kept, [False] * len(kept)
    pairs = [(w, t) for w, t in zip(texts, translits, strict=True) if w not in _DROPPED]
    return [w for w, _ in pairs], [t for _, t in pairs]


# Two single letters in a row, in words joined by NUL (folded words are [a-z0-9]+).
_SINGLE_LETTER_RUN = re.compile(r"(?:^|\x00)[a-z]\x00[a-z](?:\x00|$)")


def _has_single_letter_run(texts: list[str], translits: list[bool]) -> bool:
    """Whether `_join_single_letters` would merge something: one regex search over the words."""
    if not any(translits):
        return _SINGLE_LETTER_RUN.search("\x00".join(texts)) is not None
    previous = False
    for word, translit in zip(texts, translits, strict=True):
        single = len(word) == 1 and word.isalpha() and not translit
        if single and previous:
            return True
        previous = single
    return False


def _leet(word: str) -> str:
    return "".join(LEET.get(ch, ch) for ch in word)


def _join_single_letters(tokens: list[Token]) -> list[Token]:
    """'C.C.I.P.E.' and 'H R' become one token: spaced-out acronyms are a cheap evasion.

    Only runs of two or more single letters change anything; lone letters ("I", "a") are
    common in messages, so they are copied without building a run.
    """
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not _single_letter(tok):
            out.append(tok)
            i += 1
            continue
        j = i + 1
        while j < n and _single_letter(tokens[j]):
            j += 1
        if j - i >= 2:
            run = tokens[i:j]
            out.append(
                Token("".join(t.text for t in run), run[0].start, run[-1].end, False, True, False)
            )
        else:
            out.append(tok)
        i = j
    return out


def _single_letter(tok: Token) -> bool:
    return len(tok.text) == 1 and tok.text.isalpha() and not tok.translit


def weight(token: str) -> float:
    """How much a word says about which organisation is meant (generic words say little)."""
    return 0.4 if token in GENERIC else 1.0


def fold(text: str) -> str:
    """The folded, space-joined form of a name (for display and exact keys)."""
    return " ".join(t.text for t in tokenize(text))
