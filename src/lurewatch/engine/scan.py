"""Scanning a member's own archive: the same ingest and analysis, in a throw-away store.

Shared by `lurewatch scan` and the web upload, so both give the same verdicts.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lurewatch.engine.service import analyze, ingest_sources, no_progress
from lurewatch.evidence import Assessment
from lurewatch.records import Account, Message
from lurewatch.scoring.advice import advice_for
from lurewatch.signals.conversation import is_own
from lurewatch.signals.views import message_view
from lurewatch.store import Store, queries

if TYPE_CHECKING:
    from lurewatch.engine.service import Progress
    from lurewatch.settings import Settings

LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}
# One member's archive is a star around the member: graph trust has no structure to work with
# there, and would call every contact "outside the trusted network".
SCAN_SKIPS = frozenset({"graph"})


@dataclass
class ScannedMessage:
    message: Message
    assessment: Assessment


@dataclass
class ScannedSender:
    account: Account
    assessment: Assessment | None
    messages: list[ScannedMessage] = field(default_factory=list)

    @property
    def score(self) -> float:
        scores = [m.assessment.score for m in self.messages]
        if self.assessment is not None:
            scores.append(self.assessment.score)
        return max(scores, default=0.0)

    @property
    def level(self) -> str:
        levels = [m.assessment.level for m in self.messages]
        if self.assessment is not None:
            levels.append(self.assessment.level)
        return min(levels, key=lambda lv: LEVEL_ORDER.get(lv, 3), default="low")

    @property
    def advice(self) -> list[str]:
        """Advice across the sender's messages and profile, matching the sender's overall level.

        Each assessment carries a generic sentence for its own level ("No strong sign…" for a
        low one); merged naively, a medium sender's low message would contradict the verdict.
        So: the generic advice of the sender's level first, then every specific tip, once.
        """
        level = self.level
        generic = {lv: advice_for("message", [], lv, True) for lv in LEVEL_ORDER}
        other_generic = {t for lv, tips in generic.items() if lv != level for t in tips}
        assessments = [m.assessment for m in self.messages]
        if self.assessment is not None:
            assessments.insert(0, self.assessment)
        specific: list[str] = []
        for a in sorted(assessments, key=lambda a: -a.score):
            for tip in a.advice:
                if tip not in other_generic and tip not in generic[level] and tip not in specific:
                    specific.append(tip)
        if level == "low" and specific:
            return specific
        return generic.get(level, []) + specific


@dataclass
class ScanResult:
    archive: str
    owner: Account | None
    senders: list[ScannedSender]
    flagged_connections: list[tuple[Account, Assessment]]
    errors: list[str]
    warnings: list[str]
    models: list[str]

    def items(self) -> list[dict[str, Any]]:
        """One object per scanned item (message, invitation or sender account), most suspicious first."""
        out: list[dict[str, Any]] = []
        for s in self.senders:
            sender = {
                "id": s.account.id,
                "name": s.account.name,
                "profile_url": s.account.profile_url,
            }
            for m in s.messages:
                item = m.assessment.to_dict()
                item["channel"] = m.message.channel
                item["sent_at"] = m.message.sent_at.isoformat() if m.message.sent_at else None
                # the text as analysed (entities decoded, subject first): evidence spans index it
                item["text"] = message_view(m.message).text
                item["source"] = m.message.source.to_dict() if m.message.source else None
                item["sender"] = sender
                out.append(item)
            if s.assessment is not None:
                item = s.assessment.to_dict()
                item["name"] = s.account.name
                item["source"] = s.account.source.to_dict() if s.account.source else None
                item["sender"] = sender
                out.append(item)
        for account, a in self.flagged_connections:
            item = a.to_dict()
            item["name"] = account.name
            item["source"] = account.source.to_dict() if account.source else None
            item["sender"] = None
            out.append(item)
        return sorted(out, key=lambda i: (-i["score"], LEVEL_ORDER.get(i["level"], 3)))


def scan_archive(
    path: str | Path, settings: Settings, progress: Progress = no_progress
) -> ScanResult:
    from lurewatch.ingest import open_source

    with tempfile.TemporaryDirectory(prefix="lurewatch-scan-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'scan.db'}")
        try:
            owner = open_source(path).owner
            summary = ingest_sources(store, [path], progress=progress)
            local = replace(settings, db_url=store.url)
            result = analyze(store, local, progress=progress, skip=SCAN_SKIPS)
            return _collect(
                store, str(path), owner, summary, sorted(result.models), result.stage_errors
            )
        finally:
            store.close()


def _collect(
    store: Store,
    archive: str,
    owner: Account | None,
    summary: Any,
    models: list[str],
    stage_errors: list[str],
) -> ScanResult:
    owner_id = owner.id if owner else None
    errors = [str(e) for s in summary.sources for e in s.rejected] + stage_errors
    warnings = [w for s in summary.sources for w in s.warnings]
    senders: dict[str, ScannedSender] = {}
    flagged: list[tuple[Account, Assessment]] = []
    with store.read() as conn:
        owners = queries.owner_ids(conn) | ({owner_id} if owner_id else set())
        for record in queries.iter_records(conn, "message"):
            assert isinstance(record, Message)
            if is_own(record, owners):
                continue  # the member's own messages are context (analyze says so too)
            assessment = queries.get_assessment(conn, "message", record.id)
            if assessment is None:
                continue
            key = record.sender or f"unknown:{record.sender_name}"
            if key not in senders:
                account = (
                    queries.get_account(conn, record.sender) if record.sender else None
                ) or Account(id=key, name=record.sender_name)
                senders[key] = ScannedSender(
                    account=account,
                    assessment=queries.get_assessment(conn, "account", account.id),
                )
            senders[key].messages.append(ScannedMessage(record, assessment))
        for record in queries.iter_records(conn, "account"):
            assert isinstance(record, Account)
            if record.id in senders or record.id in owners:
                continue
            assessment = queries.get_assessment(conn, "account", record.id)
            if assessment is not None and assessment.level != "low":
                flagged.append((record, assessment))
    ordered = sorted(
        senders.values(),
        key=lambda s: (LEVEL_ORDER.get(s.level, 3), -s.score, s.account.name or ""),
    )
    for s in ordered:
        s.messages.sort(key=lambda m: -m.assessment.score)
    return ScanResult(archive, owner, ordered, flagged, errors, warnings, models)
