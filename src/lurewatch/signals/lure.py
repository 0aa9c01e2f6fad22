"""Lure indicators in a message: money, hosted travel, off-platform moves, tasking, cover talk.

Every lexicon (shared, English, French, German) runs on every message, because approaches
mix languages and quote names in English. Each code yields at most one `Evidence`: its
strongest hit, quoted with exact offsets into `view.text`. Strength then reflects context,
because real recruiters and conference organisers offer money and travel too:

* legitimate-context cues (a salary in a job advert, a conference programme, a podcast, a
  publisher, a newsletter footer, a link, a dated event) weaken money, travel and vagueness;
* combinations typical of recruitment approaches strengthen each other: money *for analysis*,
  an off-platform move *at first contact*, an unnamed client *who pays*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

try:  # the regex parser is private API; fall back to scanning every term without it
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

from lurewatch.evidence import Evidence
from lurewatch.signals.lexicons import Term, all_terms
from lurewatch.signals.lexicons.shared import RISK_PLACES
from lurewatch.signals.registry import SignalSpec, register
from lurewatch.signals.scope import MUTED_FACTOR, Scope
from lurewatch.signals.views import MessageView

LURE_VERSION = "lure-v2"  # v2: refusal / quotation / warning scope (signals/scope.py)

# code -> (sentence a non-specialist reads, rule weight)
SIGNALS: dict[str, tuple[str, float]] = {
    "lure.paid_collaboration": (
        "The message offers paid work, a fee or an honorarium; generous pay for vague work is a classic recruitment hook.",
        0.5,
    ),
    "lure.paid_amount": ("The message names a sum of money.", 0.4),
    "lure.paid_easy_money": ("The message promises easy earnings, typical of job scams.", 0.55),
    "lure.paid_upfront": (
        "The message asks for money or bank or identity details up front, typical of scams.",
        0.65,
    ),
    "lure.paid_windfall": (
        "The message dangles a windfall (a fund transfer, an inheritance, a prize), the pattern of advance-fee fraud.",
        0.6,
    ),
    "lure.travel_expenses": ("The message offers to pay for travel, flights or hotel.", 0.45),
    "lure.travel_abroad": ("The message proposes a trip, seminar or client meeting abroad.", 0.5),
    "lure.offplatform_app": (
        "The message mentions an encrypted or private messaging app (WhatsApp, Signal, Telegram, WeChat …), where contact escapes the platform's protections.",
        0.5,
    ),
    "lure.offplatform_request": (
        "The contact asks to move the conversation off the platform.",
        0.55,
    ),
    "lure.offplatform_phone": (
        "A phone number is given, a way to continue the contact off the platform.",
        0.35,
    ),
    "lure.offplatform_email": (
        "A personal e-mail address is given, a way to continue the contact off the platform.",
        0.4,
    ),
    "lure.tasking_report": (
        "The contact asks for reports, papers, analysis or insight, which is how paid intelligence tasking starts.",
        0.6,
    ),
    "lure.tasking_access": (
        "The message is interested in the target's government position, contacts or security clearance.",
        0.45,
    ),
    "lure.cover_persona": (
        "The sender presents as a head hunter, consultant, think tank or research fellow, the covers used in published cases.",
        0.3,
    ),
    "lure.vague_client": (
        "The message speaks of an unnamed client, partner or company, without facts you could verify.",
        0.35,
    ),
    "lure.flattery": ("The message flatters the reader's profile or expertise.", 0.2),
    "lure.urgency": ("The message pushes for a quick answer.", 0.25),
    "lure.unsolicited_contact": (
        "The sender makes first contact with a stranger out of the blue.",
        0.15,
    ),
    "lure.secrecy": ("The sender asks to keep the contact discreet or confidential.", 0.55),
    "lure.malware_attachment": (
        "The contact sends a password-protected file or asks you to run their code or install an app, ways to plant malware.",
        0.5,
    ),
}

register(
    *(
        SignalSpec(code=code, applies_to=("message",), description=sentence, weight=weight)
        for code, (sentence, weight) in SIGNALS.items()
    )
)

_RISK_PLACE_RE = re.compile(rf"\b(?:{RISK_PLACES})\b", re.IGNORECASE)
_CTX_LEGIT = ("ctx.job", "ctx.event", "ctx.media", "ctx.publisher")
# families that carry an approach on their own; the others only colour it
_SUBSTANTIAL = (
    "lure.paid",
    "lure.travel",
    "lure.offplatform",
    "lure.tasking",
    "lure.secrecy",
    "lure.malware",
    "lure.vague_client",
)


_WORDS = re.compile(r"\w+")
_CONTINUE = (_c.SUBPATTERN, _c.BRANCH, _c.IN)
_PREFIX_LEN = 6
_EXACT = "$"  # marks a key that must be a whole word


def _prefixes(items: list[Any], i: int = 0) -> set[str] | None:
    """Lower-case literal word starts one of which every match of `items` begins with.

    None when the pattern can start with something else (a class, a symbol): such a term
    always runs. Used only as a pre-filter, so over-approximating is safe.
    """
    while i < len(items) and items[i][0] is _c.AT:
        i += 1
    if i >= len(items):
        return None
    op, av = items[i]
    if op is _c.LITERAL:
        chars: list[str] = []
        while i < len(items) and items[i][0] is _c.LITERAL and len(chars) < _PREFIX_LEN:
            ch = chr(items[i][1])
            if not (ch.isalnum() or ch == "_"):
                break
            chars.append(ch)
            i += 1
        if not chars:
            return None
        head = "".join(chars).lower()
        if len(head) < _PREFIX_LEN and i < len(items) and items[i][0] in _CONTINUE:
            # the parser factors shared letters out of alternatives ("c" + (lient|ustomer)):
            # carry on into the group so the key is "client"/"customer", not "c"
            rest = _prefixes(items[i:])
            if rest and all(rest):
                return {_join(head, r) for r in rest}
        if len(head) < _PREFIX_LEN and _ends_word(items, i):
            return {head + _EXACT}  # a whole short word ("a", "your"), not any word starting so
        return {head}
    if op is _c.SUBPATTERN:
        return _prefixes(list(av[-1]) + items[i + 1 :])
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            sub = _prefixes(list(alt) + items[i + 1 :])
            if sub is None:
                return None
            out |= sub
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, _high, body = av
        first = _prefixes(list(body) + items[i + 1 :])
        if low >= 1 or first is None:
            return first
        rest = _prefixes(items[i + 1 :])
        return None if rest is None else first | rest
    if op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):
        out = set()
        for _kind, code in av:
            sub = _prefixes([(_c.LITERAL, code)] + items[i + 1 :])
            if sub is None:
                return None
            out |= sub
        return out
    return None


def _join(head: str, rest: str) -> str:
    exact = rest.endswith(_EXACT)
    word = head + rest.rstrip(_EXACT)
    if exact and len(word) < _PREFIX_LEN:
        return word + _EXACT
    return word[:_PREFIX_LEN]


def _is_separator(item: Any) -> bool:
    op, av = item
    if op is _c.LITERAL:
        ch = chr(av)
        return not (ch.isalnum() or ch == "_")
    if op is _c.IN:
        return all(
            (kind is _c.CATEGORY and value is _c.CATEGORY_SPACE)
            or (kind is _c.LITERAL and not (chr(value).isalnum() or chr(value) == "_"))
            for kind, value in av
        )
    return False


def _ends_word(items: list[Any], i: int) -> bool:
    """Whether the literal that stopped before items[i] must be a whole word there."""
    if i >= len(items):
        return False
    op, av = items[i]
    if op is _c.AT:
        return av is _c.AT_BOUNDARY
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, _high, body = av
        return low >= 1 and len(body) > 0 and _is_separator(list(body)[0])
    return _is_separator(items[i])


def _gate(term: Term) -> set[str] | None:
    """Word-start pre-filter for a term; only for patterns anchored at a word boundary."""
    flags = 0 if term.case_sensitive else re.IGNORECASE
    parsed = list(_parser.parse(term.pattern, flags))
    # Every alternative must start at a word boundary, or a word inside a longer word could match.
    alternatives = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is _c.BRANCH else [parsed]
    for alt in alternatives:
        alt = list(alt)
        if not alt or alt[0] != (_c.AT, _c.AT_BOUNDARY):
            return None
    found = _prefixes(parsed)
    if not found or any(not p for p in found):
        return None
    return found


_TERMS: list[Term] = all_terms()
for _term in _TERMS:
    if not _term.code.startswith("ctx.") and _term.code not in SIGNALS:
        raise RuntimeError(f"lexicon term uses unregistered code {_term.code!r}")
_REGEXES: list[re.Pattern[str]] = [
    re.compile(t.pattern, 0 if t.case_sensitive else re.IGNORECASE) for t in _TERMS
]
_PREFIX_RANGE = range(1, _PREFIX_LEN + 1)
_NEEDS: list[tuple[str, ...]] = [t.needs for t in _TERMS]
_ALWAYS: list[int] = []  # terms that cannot be gated by their first word: searched in full
_INDEX: dict[str, list[int]] = {}  # word start -> gated terms that may begin there
_ANCHORS: dict[int, re.Pattern[str]] = {}  # terms tried only where their anchor matches
for _i, _term in enumerate(_TERMS):
    if _term.anchor:
        _ANCHORS[_i] = re.compile(_term.anchor)
        continue
    _first = _gate(_term)
    if _first is None:
        _ALWAYS.append(_i)
    else:
        for _p in _first:
            _INDEX.setdefault(_p, []).append(_i)


_GATED: tuple[int, ...] = tuple(
    i for i in range(len(_TERMS)) if i not in set(_ALWAYS) and i not in _ANCHORS
)


@dataclass(slots=True)
class _Hit:
    term: Term
    start: int
    end: int
    strength: float
    count: int = 1
    why: str | None = None  # muted hits: why the words are not asserted (scope.py)


_WORD_TERMS: dict[str, tuple[int, ...]] = {}  # word -> terms it may start; words repeat a lot
_WORD_CACHE_MAX = 200_000
_CACHED_WORD_CHARS = 64  # longer words are looked up, never memoised (200,000 of them: GBs)


def _terms_for_word(word: str) -> tuple[int, ...]:
    found = _WORD_TERMS.get(word)
    if found is None:
        hits: set[int] = set()
        for k in range(1, min(len(word), _PREFIX_LEN) + 1):
            hits.update(_INDEX.get(word[:k], ()))
        if len(word) < _PREFIX_LEN:
            hits.update(_INDEX.get(word + _EXACT, ()))
        found = tuple(sorted(hits))
        if len(_WORD_TERMS) >= _WORD_CACHE_MAX:
            _WORD_TERMS.clear()
        if len(word) <= _CACHED_WORD_CHARS:
            _WORD_TERMS[word] = found
    return found


_MISSES: set[str] = set()  # words known to start no term


def _starts(text: str, prefilter: bool) -> tuple[dict[int, list[int]], list[int]] | None:
    """Where each gated term may match (word starts), and the ungated terms to search fully.

    Matching a term only at the starts of the words that may begin it, instead of searching
    the whole text, keeps long messages cheap. None when lower-casing changes the length of
    the text (rare letters such as 'İ'), so offsets would not line up: search everything then.
    """
    low = text.lower()
    if len(low) != len(text):
        return None
    if not prefilter:
        starts_all = [m.start() for m in _WORDS.finditer(low)]
        return {i: starts_all for i in _GATED}, [*_ALWAYS, *_ANCHORS]
    terms_of: dict[str, tuple[int, ...]] = {}
    for word in set(_WORDS.findall(low)) - _MISSES:
        found = _WORD_TERMS.get(word)
        if found is None:
            found = _terms_for_word(word)
        if not found:
            if len(_MISSES) >= _WORD_CACHE_MAX:
                _MISSES.clear()
            if len(word) <= _CACHED_WORD_CHARS:
                _MISSES.add(word)
            continue
        terms_of[word] = found

    def needed(i: int) -> bool:
        needs = _NEEDS[i]
        if not needs:
            return True
        for need in needs:  # noqa: SIM110  (a plain loop is faster than any(<generator>) here)
            if need in low:
                return True
        return False

    always = [i for i in _ALWAYS if needed(i)]
    starts: dict[int, list[int]] = {}
    for i, anchor in _ANCHORS.items():
        if needed(i):
            positions = [m.start() for m in anchor.finditer(text)]
            if positions:
                starts[i] = positions
    if not terms_of:
        return starts, always
    wanted = {i for found in terms_of.values() for i in found if needed(i)}
    if not wanted:
        return starts, always
    for match in _WORDS.finditer(low):
        found = terms_of.get(match.group())
        if found:
            pos = match.start()
            for i in found:
                if i in wanted:
                    starts.setdefault(i, []).append(pos)
    return starts, always


def _record(hits: dict[str, _Hit], term: Term, start: int, end: int) -> None:
    best = hits.get(term.code)
    if best is None:
        hits[term.code] = _Hit(term, start, end, term.strength)
        return
    if start >= best.end or end <= best.start:
        best.count += 1
    if term.strength > best.strength:
        best.term, best.start, best.end, best.strength = term, start, end, term.strength


# Tasking read in a negated clause is a reassurance, not a request: "you will never be asked to
# share confidential information" (expert networks' compliance lines), "nous ne demandons aucune
# information confidentielle". Only these codes: for secrecy, a negation *is* the lure.
_NEGATABLE = frozenset({"lure.tasking_report", "lure.tasking_access"})
_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nor|without|neither|nicht|nie|niemals|kein\w*|ohne|ne|pas|jamais|aucune?|sans)\b"
    r"|n['’]t\b)(?!\s+(?:hesitate|zögern|hésitez))",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.!?;:\n]")


def _negated(code: str, text: str, start: int, window: int = 45) -> bool:
    if code not in _NEGATABLE or _NEGATION.match(text, start) is not None:
        return False  # a term that starts with its own negation ("pas encore publics", "not yet public")
    before = text[max(0, start - window) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    return _NEGATION.search(before[cut:]) is not None


def _scan(
    text: str, prefilter: bool = True, scoped: bool = True
) -> tuple[dict[str, _Hit], set[str], dict[str, _Hit]]:
    """Asserted hits, legitimate-context cues, and muted hits (negated, quoted, warned about)."""
    hits: dict[str, _Hit] = {}
    muted: dict[str, _Hit] = {}
    context: set[str] = set()
    scope: Scope | None = None

    def found(term: Term, start: int, end: int) -> None:
        nonlocal scope
        if scoped:
            scope = scope or Scope(text)
            why = scope.muted(term.code, start, end)
            if why is not None:
                _record(muted, term, start, end)
                kept = muted[term.code]
                if (kept.start, kept.end) == (start, end):
                    kept.why = why  # the reason of the hit kept (the strongest)
                return
        _record(hits, term, start, end)

    located = _starts(text, prefilter)
    if located is None:
        plan: list[tuple[int, list[int] | None]] = [(i, None) for i in range(len(_TERMS))]
    else:
        starts, always = located
        plan = sorted([*starts.items(), *((i, None) for i in always)], key=lambda item: item[0])
    deferred: list[tuple[int, list[int] | None]] = []
    for i, positions in plan:
        term = _TERMS[i]
        if term.code.startswith("ctx."):
            deferred.append((i, positions))  # context only matters once something was found
            continue
        regex = _REGEXES[i]
        if positions is None:
            for match in regex.finditer(text):
                if match.end() > match.start() and not _negated(term.code, text, match.start()):
                    found(term, match.start(), match.end())
        else:
            for pos in positions:
                at = regex.match(text, pos)
                if at is not None and at.end() > pos and not _negated(term.code, text, pos):
                    found(term, pos, at.end())
    if hits:
        for i, positions in deferred:
            code = _TERMS[i].code
            if code in context:
                continue
            regex = _REGEXES[i]
            if positions is None:
                seen = regex.search(text) is not None
            else:
                seen = any(regex.match(text, pos) is not None for pos in positions)
            if seen:
                context.add(code)
    return hits, context, muted


_NUMBER = re.compile(r"\d[\d,.'\u202f\u00a0 ]*")
_MULTIPLIER = re.compile(
    r"\d\s?(k|Tsd|mille|thousand|millions?|Millionen|Mio|mn|m)\b", re.IGNORECASE
)
_RATE = re.compile(
    r"\s*(?:/\s*(?:h|hr|hour|day|week|month)|(?:per|an?|par|pro|je|la|de l['’])\s*"
    r"(?:hour|heure|Stunde|day|jour|Tag|week|semaine|Woche|month|mois|Monat)|(?:/|par\s+)h)\b",
    re.IGNORECASE,
)


def _amount_value(quote: str) -> float:
    """Rough value of a quoted sum, ignoring the currency ("$2,000" -> 2000, "80k EUR" -> 80000)."""
    found = _NUMBER.search(quote)
    if found is None:
        return 0.0
    digits = found.group().strip()
    # a trailing group of 1-2 digits after the last separator is a decimal part
    parts = re.split(r"[,.'\u202f\u00a0 ]", digits)
    if len(parts) > 1 and len(parts[-1]) <= 2:
        parts = parts[:-1]
    try:
        value = float("".join(parts) or "0")
    except ValueError:
        return 0.0
    scale = _MULTIPLIER.search(quote)
    if scale:
        value *= (
            1_000_000 if scale.group(1).lower().startswith(("mil", "mio", "mn", "m")) else 1_000
        )
    return value


def _near(a: _Hit, b: _Hit, window: int = 120) -> bool:
    return a.start - window <= b.start <= a.end + window


def _adjust(hits: dict[str, _Hit], context: set[str], text: str) -> dict[str, str]:
    """Context and combination rules; returns a short reason per adjusted code."""
    reasons: dict[str, str] = {}

    def scale(code: str, factor: float, reason: str) -> None:
        hit = hits.get(code)
        if hit is None:
            return
        if factor < 1.0 and _RISK_PLACE_RE.search(text, hit.start, hit.end):
            return  # a named risk destination keeps its strength whatever the framing
        hit.strength = min(1.0, max(0.0, hit.strength * factor))
        reasons[code] = reason

    def boost(code: str, amount: float, reason: str) -> None:
        hit = hits.get(code)
        if hit is not None:
            hit.strength = min(1.0, hit.strength + amount)
            reasons[code] = reason

    legit = [c for c in _CTX_LEGIT if c in context]
    specific = "ctx.link" in context or "ctx.date" in context
    job = "ctx.job" in context
    show = bool({"ctx.event", "ctx.media", "ctx.publisher"} & context)
    has = {code.split("_", 1)[0] for code in hits}  # "lure.paid", "lure.travel", …
    # a real offer of money, not a bare word such as "compensation"
    work_money = {
        c
        for c in ("lure.paid_collaboration", "lure.paid_easy_money")
        if c in hits and hits[c].strength >= 0.45
    }

    # 0. pocket money is not a fee: a sum under 100 counts half
    small = hits.get("lure.paid_amount")
    if (
        small is not None
        and _amount_value(text[small.start : small.end]) < 100
        and not _RATE.match(
            text, small.end
        )  # "$35/hr", "300 € par jour" are rates, not pocket money
    ):
        small.strength *= 0.5
        reasons["lure.paid_amount"] = "a small sum"

    # 1. combinations seen in recruitment approaches (on the raw hits)
    amount = hits.get("lure.paid_amount")
    if (
        amount is not None
        and not show
        and any(
            _near(hits[c], amount)
            for c in ("lure.paid_collaboration", "lure.tasking_report")
            if c in hits
        )
    ):
        boost("lure.paid_amount", 0.3, "a sum offered for a collaboration or a report")
    if "lure.tasking" in has and (work_money or amount is not None):
        boost("lure.tasking_report", 0.15, "analysis requested for money")
        boost("lure.paid_collaboration", 0.1, "money offered for analysis")
    app_move = "lure.offplatform_app" in hits or (
        "lure.offplatform_request" in hits
        and not hits["lure.offplatform_request"].term.note.startswith("The contact asks for a")
    )
    if (
        "lure.offplatform" in has
        and ({"lure.unsolicited", "lure.paid", "lure.vague", "lure.cover"} & has)
        and (app_move or not job)
    ):
        for code in (
            "lure.offplatform_app",
            "lure.offplatform_request",
            "lure.offplatform_phone",
            "lure.offplatform_email",
        ):
            boost(
                code,
                0.15,
                "an off-platform move together with a first contact, money or a vague offer",
            )
    if "lure.vague" in has and (work_money or {"lure.travel", "lure.tasking"} & has):
        boost("lure.vague_client", 0.15, "an unnamed client who pays or hosts")
    if "lure.travel" in has and ({"lure.vague", "lure.tasking", "lure.cover"} & has):
        boost("lure.travel_expenses", 0.1, "a hosted trip from a vague or cover contact")
        boost("lure.travel_abroad", 0.1, "a trip abroad proposed by a vague or cover contact")
    if not legit and "lure.secrecy" in hits and len(has) >= 3:
        boost("lure.secrecy", 0.1, "secrecy asked together with other lure signs")

    # 2. legitimate framing weakens what real recruiters and organisers also say
    if amount is not None and job and not work_money:
        scale("lure.paid_amount", 0.5, "reads like a salary in a job advert")
    if show:
        factor = 0.5 if specific else 0.7
        for code in (
            "lure.paid_collaboration",
            "lure.paid_amount",
            "lure.travel_expenses",
            "lure.travel_abroad",
            "lure.tasking_report",
        ):
            scale(code, factor, "framed as a named event, show or publication")
    if job:
        for code in ("lure.vague_client", "lure.flattery", "lure.unsolicited_contact"):
            scale(code, 0.7 if specific else 0.85, "framed as a job advert")
        scale("lure.cover_persona", 0.6, "a recruiter naming their trade in a job advert")
        if not app_move:
            scale("lure.offplatform_request", 0.5, "a recruiter asking for a call")
    if "ctx.newsletter" in context:
        for code in list(hits):
            scale(code, 0.5, "part of a newsletter")

    # 3. weak cues ("compensation", "discreet", "our client") only count in earnest next to
    # something substantial: many legitimate messages carry a few of them
    if not any(h.strength >= 0.45 for c, h in hits.items() if c.startswith(_SUBSTANTIAL)):
        for code, hit in hits.items():
            if hit.strength < 0.4:
                scale(code, 0.6, "a weak cue with nothing substantial alongside")
    return reasons


_CACHE_MAX_CHARS = 2_000  # templates sent to thousands repeat exactly; long texts are rare

_Row = tuple[str, float, str, int, int, int, str | None]


def _rows(text: str, prefilter: bool, scoped: bool = True) -> tuple[_Row, ...]:
    """(code, strength, explanation, start, end, hits, context reason) per evidence, strongest first.

    Muted hits (negated, refused, quoted, warned about: `scope.py`) take no part in the
    combination rules and keep only a fraction of their strength, with the reason.
    """
    hits, context, muted = _scan(text, prefilter, scoped)
    if not hits and not muted:
        return ()
    reasons = _adjust(hits, context, text) if hits else {}
    rows = [
        (
            code,
            round(hit.strength, 4),
            hit.term.note or SIGNALS[code][0],
            hit.start,
            hit.end,
            hit.count,
            reasons.get(code),
        )
        for code, hit in hits.items()
        if hit.strength > 0.0
    ]
    rows.extend(
        (
            code,
            round(hit.term.strength * MUTED_FACTOR, 4),
            hit.term.note or SIGNALS[code][0],
            hit.start,
            hit.end,
            hit.count,
            hit.why,
        )
        for code, hit in muted.items()
        if code not in hits
    )
    rows.sort(key=lambda r: (-r[1], r[0]))
    return tuple(rows)


@lru_cache(maxsize=1 << 15)  # distinct texts of a large feed: 8,192 thrashed
def _cached_rows(text: str) -> tuple[_Row, ...]:
    return _rows(text, True)


def detect(view: MessageView, *, prefilter: bool = True, scoped: bool = True) -> list[Evidence]:
    """Lure evidence for one message; empty text gives no evidence.

    `prefilter=False` runs every term (slow); tests use it to prove the pre-filter loses nothing.
    Results for short texts are cached: mass approaches repeat one template word for word.
    """
    text = view.text
    if not text or not text.strip():
        return []
    if prefilter and scoped and len(text) <= _CACHE_MAX_CHARS:
        rows = _cached_rows(text)
    else:
        rows = _rows(text, prefilter, scoped)
    out: list[Evidence] = []
    for code, strength, explanation, start, end, count, reason in rows:
        values: dict[str, object] = {"hits": count}
        if reason is not None:
            values["context"] = reason
        out.append(
            Evidence(
                signal=code,
                strength=strength,
                explanation=explanation,
                quote=text[start:end],
                span=(start, end),
                values=values,
            )
        )
    return out
