"""Whether a lure word is asserted, or only negated, refused, quoted or warned about (EN, FR, DE).

"I will not move to WhatsApp", "je ne souhaite pas être rémunéré", "ich werde nicht auf Telegram
wechseln", "you wrote 'paid trip'", "beware of recruiters who ask you to move to WhatsApp": the
lure words are there, but nobody is luring. A hit is *muted* (kept as evidence at a fraction of
its strength, with the reason) when, in its own clause or sentence:

* **negated or refused** — a verbal negation or refusal verb before it in the same clause
  (clauses end at punctuation and at "but / mais / aber"), or, in German, a "nicht" after it in
  a first-person clause ("das Honorar nehme ich nicht an"). Questions are never refusals ("why
  not continue on WhatsApp?"), and set phrases are not negations ("do not hesitate", "n'hésitez
  pas", "zögern Sie nicht", "not only", "kein Problem"). Determiners ("no fees", "keine Erfahrung
  nötig") are deliberately *not* cues: job scams say them while luring.
* **quoted** — inside quotation marks introduced by someone else's words ("you wrote", "vous
  avez écrit", "Sie schrieben") or by "phrases like", "so-called".
* **reported** — after "you wrote / said / offered …" (second or third person, past: "you can
  ask me on WhatsApp" is not reported speech) in the clause.
* **a warning** — in a sentence that warns about scams ("beware", "méfiez-vous", "Vorsicht vor",
  "scam", "arnaque", "Betrug"), unless the warning word is itself denied ("this is not a scam").

Pure and cheap: nothing here runs unless the message has a lure hit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

MUTED_FACTOR = 0.3  # a muted hit keeps this share of its strength: visible, never decisive
# Codes a negation or refusal turns around. Not secrecy ("don't tell anyone" *is* the lure), not
# first contact ("we have never met"), not vagueness ("I cannot name the client"), and not a
# phone number or address written out: it is given, whatever the clause says around it.
NEGATABLE = (
    "lure.paid",
    "lure.travel",
    "lure.offplatform_app",
    "lure.offplatform_request",
    "lure.tasking",
    "lure.malware",
)

_CLAUSE_END = re.compile(
    r"[.!?;:](?=\s|$)|[\n()\[\]]|,(?!\d)|\b(?:but|however|although|though|mais|cependant|pourtant|aber|jedoch|sondern|doch)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")  # not the dot in "2.000" or "U.S."
_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|refuse[sd]?|declined?|decline[sd]|cannot)\b|n['’]t\b"
    r"|\b(?:pas|jamais|aucune?|refuse|décline|déclinons)\b"
    r"|\b(?:nicht|nie|niemals|keine?[nmrs]?|lehne|lehnen|ablehnen|verweigere)\b",
    re.IGNORECASE,
)
# set phrases where a negation word does not negate what follows
_NOT_A_NEGATION = re.compile(
    r"\b(?:hesitat\w*|forget|miss|only|just|merely|sure|know|worry|wait|matter|problem"
    r"|hésite\w*|hésit\w*|oubli\w*|manque\w*|seulement|que|problème|souci|mal|inquiét\w*"
    r"|zöger\w*|vergess\w*|verpass\w*|nur|Problem|Sorge|Sorgen|bloß)\b",
    re.IGNORECASE,
)
_GERMAN_SELF = re.compile(r"\b(?:ich|wir)\b", re.IGNORECASE)
_GERMAN_TRAILING = re.compile(r"\b(?:nicht|nie|niemals)\b", re.IGNORECASE)
_QUOTE = re.compile(
    r"“[^”\n]{1,160}”|\"[^\"\n]{1,160}\"|«[^»\n]{1,160}»|„[^“”\"\n]{1,160}[“”\"]"
    r"|(?<!\w)['‘][^'’\n]{1,80}['’](?!\w)"
)
_REPORTING = (
    r"(?:\b(?:you|he|she|they|someone|somebody|recruiters?)\s+(?:\w+\s+)?"
    r"(?:wrote|written|said|mentioned|offered|asked|promised|suggested|proposed|claimed)\b"
    r"|\b(?:vous|il|elle|ils|elles|on)\s+(?:m['’]\s*|nous\s+)?(?:avez|aviez|a|ont|avait)?\s*"
    r"(?:écrit|dit|parlé|mentionné|proposé|promis|demandé|évoqué|suggéré|offert)\b"
    r"|\b(?:Sie|du|er|sie)\s+(?:haben\s+|hast\s+|hat\s+|hatten\s+)?(?:mir\s+|uns\s+)?(?:\w+\s+){0,3}?"
    r"(?:schrieben|schreiben|geschrieben|sagten|gesagt|erwähnten|erwähnt|boten|angeboten"
    r"|versprachen|versprochen|fragten|gefragt|vorgeschlagen|schlugen))"
)
_REPORTED = re.compile(_REPORTING, re.IGNORECASE)
_QUOTE_INTRO = re.compile(
    _REPORTING + r"|\b(?:like|such\s+as|so-called|phrases?|words?|terms?|comme|soi-disant"
    r"|mots?|wie|sogenannte\w*|Worte?n?|Begriffe?n?)\b",
    re.IGNORECASE,
)
_WARNING = re.compile(
    r"\b(?:beware|be\s+careful|be\s+wary|watch\s+out|warn\w*|scam\w*|fraud\w*|phishing|red\s+flags?"
    r"|méfie\w*|méfiance|attention\s+aux|arnaque\w*|escroc\w*|escroquerie\w*|fraudeu\w*|hameçonnage"
    r"|Vorsicht|Betrug\w*|Betrüger\w*|Abzocke\w*|Masche)\b",
    re.IGNORECASE,
)
_WARNING_STEMS = (
    "bewar", "careful", "wary", "watch", "warn", "scam", "fraud", "phish", "red flag", "méfi",
    "attention", "arnaque", "escro", "hameçon", "vorsicht", "betrug", "betrüg", "abzock", "masche",
)  # fmt: skip
_DENIED = re.compile(
    r"\b(?:not|no|never|pas|aucune?|kein\w*|nicht)\s+(?:(?:a|an|une?|ein\w*|de|d['’])\s+)?$",
    re.IGNORECASE,
)


class Scope:
    """What surrounds each hit in one text; sentence, quote and warning facts computed once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _sentences(self) -> list[int]:
        return [m.end() for m in _SENTENCE_END.finditer(self.text)]

    def _sentence(self, pos: int) -> tuple[int, int]:
        ends = self._sentences
        i = bisect_right(ends, pos)
        start = ends[i - 1] if i else 0
        end = ends[i] if i < len(ends) else len(self.text)
        return start, end

    @cached_property
    def _quotes(self) -> list[tuple[int, int]]:
        if not any(q in self.text for q in "\"“«„'‘"):
            return []
        return [(m.start(), m.end()) for m in _QUOTE.finditer(self.text)]

    @cached_property
    def _warnings(self) -> list[tuple[int, int]]:
        """Sentences that warn about scams (a denied warning word — "not a scam" — does not)."""
        out: list[tuple[int, int]] = []
        low = self.text.lower()
        if not any(stem in low for stem in _WARNING_STEMS):
            return out  # most texts: no regex pass at all
        for m in _WARNING.finditer(self.text):
            if _DENIED.search(self.text, max(0, m.start() - 20), m.start()):
                continue
            out.append(self._sentence(m.start()))
        return out

    def muted(self, code: str, start: int, end: int) -> str | None:
        """Why the hit at [start, end) is not asserted, or None when it is."""
        if code.startswith(NEGATABLE):
            cue = self._negation(start, end)
            if cue is not None:
                return f"negated or refused (“{cue}”)"
        for q_start, q_end in self._quotes:
            if q_start <= start and end <= q_end:
                before = self.text[max(self._sentence(q_start)[0], q_start - 60) : q_start]
                if _QUOTE_INTRO.search(before):
                    return "quoted from someone else's words"
        for w_start, w_end in self._warnings:
            if w_start <= start < w_end:
                return "part of a warning about scams"
        if _REPORTED.search(self.text, self._clause_start(start), start):
            return "reported speech (what someone else wrote)"
        return None

    def _clause_start(self, pos: int, window: int = 80) -> int:
        lo = max(0, pos - window)
        cut = lo
        for m in _CLAUSE_END.finditer(self.text, lo, pos):
            cut = m.end()
        return cut

    def _clause_end(self, pos: int, window: int = 60) -> int:
        m = _CLAUSE_END.search(self.text, pos, min(len(self.text), pos + window))
        return m.start() if m else min(len(self.text), pos + window)

    def _negation(self, start: int, end: int) -> str | None:
        s_start, s_end = self._sentence(start)
        if "?" in self.text[end:s_end]:
            return None  # a question suggests, it does not refuse
        if _NEGATION.match(self.text, start):
            return None  # the term starts with its own negation ("no experience needed")
        lo = self._clause_start(start)
        for m in _NEGATION.finditer(self.text, lo, start):
            around = self.text[max(s_start, m.start() - 14) : min(start, m.end() + 22)]
            if _NOT_A_NEGATION.search(around):
                continue
            return m.group()
        hi = self._clause_end(end)
        if _GERMAN_SELF.search(self.text, lo, hi):
            trailing = _GERMAN_TRAILING.search(self.text, end, hi)
            if trailing is not None:
                return trailing.group()
        return None
