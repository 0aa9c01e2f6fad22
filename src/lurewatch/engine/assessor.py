"""Runs every detector on a record, scores the evidence, and writes the assessment.

The same object serves `check`, `scan`, `analyze` and the web; it holds no I/O. Detectors
bound to resources (a watchlist, a template index, graph statistics) are closures built in
`engine.assembly`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace

from lurewatch.evidence import Assessment, Evidence
from lurewatch.records import Account, Edge, Message, Record
from lurewatch.scoring.advice import advice_for
from lurewatch.scoring.base import Levels, Scorer
from lurewatch.signals import conversation, identity, lure
from lurewatch.signals.versions import detector_versions
from lurewatch.signals.views import (
    MAX_ANALYSED_CHARS,
    AccountView,
    MessageView,
    message_view,
)

MessageDetector = Callable[[MessageView], list[Evidence]]
AccountDetector = Callable[[AccountView], list[Evidence]]
LanguageDetector = Callable[[str], tuple[str | None, bool]]

MAX_EVIDENCE_SHOWN = 12
DETECTOR_VERSIONS = detector_versions()  # recorded with every assessment (reproducibility)


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

    def assess_message(self, message: Message, owners: Collection[str] = ()) -> Assessment:
        """One message; the member's own (outgoing, or sent by a known owner) is context only."""
        if conversation.is_own(message, owners):
            return own_message_assessment(message)
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
            extra=_extra(
                result.top_features,
                view.language_covered,
                view.language,
                view.message is not message,
            ),
        )

    def assess_account(self, account: Account, context: AccountView | None = None) -> Assessment:
        if account.owner:
            return owner_assessment(account)
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
        cut = view.account is not account
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
            extra=_extra(result.top_features, True, None, cut),
        )

    def assess_thread(
        self, conversation_id: str, messages: list[Message]
    ) -> tuple[conversation.Thread, Assessment]:
        """One sender's messages of one conversation (in order), read and scored as a whole.

        The returned assessment is the conversation's: its evidence spans index the joined text.
        """
        texts = [message_view(m).text for m in messages]
        thread = conversation.read_thread(conversation_id, messages, texts, _lure_on_text)
        joined = Message(
            id=f"conversation:{conversation_id}",
            text=thread.joined.text,
            sender=thread.sender,
            conversation_id=conversation_id,
        )
        view = MessageView(message=joined, text=thread.joined.text)
        view.language, view.language_covered = self.detect_language(view.text)
        result = self.message_scorer.score(view, thread.evidence)
        levels = self.message_levels or self.levels
        level = levels.level(result.probability)
        return thread, Assessment(
            id=joined.id,
            kind="message",
            score=result.probability,
            level=level,
            evidence=_rank(thread.evidence),
            advice=advice_for("message", thread.evidence, level, view.language_covered),
            model=result.model,
            language=view.language,
        )

    def with_conversation(
        self,
        own: Assessment,
        thread: conversation.Thread,
        index: int,
        whole: Assessment,
    ) -> Assessment:
        """A message's assessment, lifted to its conversation's score when that is higher."""
        if whole.score <= own.score:
            return own
        levels = self.message_levels or self.levels
        context = conversation.context_evidence(thread, index, whole.score)
        evidence = [context, *own.evidence]
        level = levels.level(whole.score)
        extra = dict(own.extra)
        extra["conversation"] = {
            "id": thread.conversation_id,
            "message": index + 1,
            "of": len(thread.messages),
            "score": round(whole.score, 4),
            "own_score": round(own.score, 4),
        }
        return replace(
            own,
            score=whole.score,
            level=level,
            evidence=_rank(evidence),
            advice=advice_for("message", [*evidence, *whole.evidence], level, True),
            extra=extra,
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


def _lure_on_text(text: str) -> list[Evidence]:
    return lure.detect(MessageView(message=Message(id="text", text=text), text=text))


def own_message_assessment(message: Message) -> Assessment:
    """The member's own message: kept for context, never a suspect."""
    return Assessment(
        id=message.id,
        kind="message",
        score=0.0,
        level="low",
        evidence=[conversation.own_message_evidence()],
        advice=[],
        model="context",
        extra={"direction": "outgoing"},
    )


def owner_assessment(account: Account) -> Assessment:
    """The member whose archive or mailbox this is: never a suspect."""
    return Assessment(
        id=account.id,
        kind="account",
        score=0.0,
        level="low",
        evidence=[conversation.owner_evidence(account)],
        advice=[],
        model="context",
    )


def lift_account(
    assessment: Assessment, best: tuple[float, str, str | None] | None, levels: Levels
) -> Assessment:
    """An account is rated at least as high as the most suspicious message it sent.

    `best` is (score, message id, quote) of that message (its conversation context included).
    The member and verified accounts keep their verdict: they are not suspects.
    """
    if best is None or assessment.model in {"context", "verified"}:
        return assessment
    score, message_id, quote = best
    if score <= assessment.score:
        return assessment
    level = levels.level(score)
    note = conversation.sent_rated_evidence(score, level, message_id, quote)
    evidence = [note, *assessment.evidence]
    return replace(
        assessment,
        score=score,
        level=level,
        evidence=_rank(evidence),
        advice=advice_for("account", evidence, level, True),
        extra={**assessment.extra, "own_score": round(assessment.score, 4)},
    )


def _extra(
    top_features: list[tuple[str, float]], covered: bool, language: str | None, cut: bool = False
) -> dict[str, object]:
    extra: dict[str, object] = {"versions": dict(DETECTOR_VERSIONS)}
    if cut:
        extra["analysis_note"] = (
            "only the start of over-long fields was analysed "
            f"(text: first {MAX_ANALYSED_CHARS:,} characters; see docs/ingest.md, bounded cost)"
        )
    if top_features:
        extra["top_features"] = [{"feature": f, "weight": round(w, 4)} for f, w in top_features[:8]]
    if not covered:
        extra["language_note"] = (
            f"language '{language or 'unknown'}' is not covered by the lure lexicons; "
            "only language-independent signals were checked"
        )
    return extra
