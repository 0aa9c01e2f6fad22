"""Runs every detector on a record, scores the evidence, and writes the assessment.

The same object serves `check`, `scan`, `analyze` and the web; it holds no I/O. Detectors
bound to resources (a watchlist, a template index, graph statistics) are closures built in
`engine.assembly`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lurewatch.evidence import Assessment, Evidence
from lurewatch.records import Account, Edge, Message, Record
from lurewatch.scoring.advice import advice_for
from lurewatch.scoring.base import Levels, Scorer
from lurewatch.signals import identity
from lurewatch.signals.views import AccountView, MessageView, message_view

MessageDetector = Callable[[MessageView], list[Evidence]]
AccountDetector = Callable[[AccountView], list[Evidence]]
LanguageDetector = Callable[[str], tuple[str | None, bool]]

MAX_EVIDENCE_SHOWN = 12


def _rank(evidence: list[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: (-e.strength, e.signal))[:MAX_EVIDENCE_SHOWN]


@dataclass
class Assessor:
    message_detectors: list[MessageDetector]
    account_detectors: list[AccountDetector]
    message_scorer: Scorer
    account_scorer: Scorer
    detect_language: LanguageDetector
    levels: Levels = field(default_factory=Levels)
    message_levels: Levels | None = None
    account_levels: Levels | None = None

    def view_message(self, message: Message) -> MessageView:
        view = message_view(message)
        view.language, view.language_covered = self.detect_language(view.text)
        return view

    def assess_message(self, message: Message) -> Assessment:
        view = self.view_message(message)
        evidence: list[Evidence] = []
        for detect in self.message_detectors:
            evidence.extend(detect(view))
        result = self.message_scorer.score(view, evidence)
        if result.evidence:
            evidence = evidence + result.evidence
        levels = self.message_levels or self.levels
        return Assessment(
            id=message.id,
            kind="message",
            score=result.probability,
            level=levels.level(result.probability),
            evidence=_rank(evidence),
            advice=advice_for(
                "message", evidence, levels.level(result.probability), view.language_covered
            ),
            model=result.model,
            language=view.language,
            extra=_extra(result.top_features, view.language_covered, view.language),
        )

    def assess_account(self, account: Account, context: AccountView | None = None) -> Assessment:
        if account.verified:
            return Assessment(
                id=account.id,
                kind="account",
                score=0.0,
                level="low",
                evidence=[identity.verified_evidence()],
                advice=[],
                model="verified",
            )
        view = context or AccountView(account=account)
        evidence: list[Evidence] = []
        for detect in self.account_detectors:
            evidence.extend(detect(view))
        result = self.account_scorer.score(view, evidence)
        levels = self.account_levels or self.levels
        level = levels.level(result.probability)
        return Assessment(
            id=account.id,
            kind="account",
            score=result.probability,
            level=level,
            evidence=_rank(evidence),
            advice=advice_for("account", evidence, level, True),
            model=result.model,
            extra=_extra(result.top_features, True, None),
        )

    def assess(self, record: Record) -> Assessment:
        if isinstance(record, Message):
            return self.assess_message(record)
        if isinstance(record, Account):
            return self.assess_account(record)
        if isinstance(record, Edge):
            return Assessment(
                id=record.id,
                kind="edge",
                score=0.0,
                level="low",
                evidence=[],
                advice=[],
                model="none",
                extra={
                    "note": "edges are scored through the accounts they connect (lurewatch analyze)"
                },
            )
        raise TypeError(f"not a record: {type(record).__name__}")

    def prepare(self, records: Iterable[Record]) -> None:
        """Lets the message scorer batch its work (one embedding call per batch of texts)."""
        prepare = getattr(self.message_scorer, "prepare", None)
        if prepare is None:
            return
        texts = [message_view(r).text for r in records if isinstance(r, Message)]
        if texts:
            prepare(texts)

    def assess_many(self, records: Iterable[Record], batch: int = 64) -> Iterator[Assessment]:
        chunk: list[Record] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                self.prepare(chunk)
                yield from (self.assess(r) for r in chunk)
                chunk = []
        if chunk:
            self.prepare(chunk)
            yield from (self.assess(r) for r in chunk)


def _extra(
    top_features: list[tuple[str, float]], covered: bool, language: str | None
) -> dict[str, object]:
    extra: dict[str, object] = {}
    if top_features:
        extra["top_features"] = [{"feature": f, "weight": round(w, 4)} for f, w in top_features[:8]]
    if not covered:
        extra["language_note"] = (
            f"language '{language or 'unknown'}' is not covered by the lure lexicons; "
            "only language-independent signals were checked"
        )
    return extra
