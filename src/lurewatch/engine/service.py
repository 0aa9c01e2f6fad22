"""The two batch jobs every front door shares: ingest sources into the store, and analyze the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select

from lurewatch.engine.assembly import build_assessor
from lurewatch.engine.plugins import load_plugins
from lurewatch.errors import InputError
from lurewatch.records import Account, Edge, Message, Record, record_from_dict
from lurewatch.signals.views import AccountView
from lurewatch.store import queries
from lurewatch.store.tables.core import accounts as accounts_table
from lurewatch.store.tables.core import edges as edges_table
from lurewatch.store.tables.core import messages as messages_table

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store

Progress = Callable[[str, int, int], None]
BATCH = 2000
EMBED_BATCH = 64  # messages whose texts the message model embeds in one call
MESSAGE_CASCADE_BELOW = 0.1  # lexical probability under which analyze does not embed a message
CASCADE_MIN_MESSAGES = 5_000  # the cascade is for platform feeds, not one member's archive


def no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class SourceSummary:
    source: str
    added: dict[str, int] = field(default_factory=lambda: {"message": 0, "account": 0, "edge": 0})
    unchanged: int = 0
    rejected: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "unchanged": self.unchanged,
            "rejected": [e.to_dict() for e in self.rejected],
            "warnings": self.warnings,
        }


@dataclass
class IngestSummary:
    sources: list[SourceSummary] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(len(s.rejected) for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {"sources": [s.to_dict() for s in self.sources], "rejected": self.rejected}


def ingest_sources(
    store: Store,
    sources: Iterable[str | Path],
    *,
    stdin: TextIO | None = None,
    progress: Progress = no_progress,
) -> IngestSummary:
    """Parses each source and adds what is new; rejects are recorded with their location, never dropped."""
    from lurewatch.ingest import open_source

    summary = IngestSummary()
    for source in sources:
        try:
            reader = open_source(source, stdin=stdin)
        except InputError as exc:
            one = SourceSummary(source=str(source), rejected=[exc])
            summary.sources.append(one)
            with store.write() as conn:
                queries.record_ingest_run(conn, str(source), one.added, 0, [_reject_row(exc)])
            continue
        one = SourceSummary(source=reader.name)
        batch: list[Record] = []
        seen = 0
        try:
            for item in reader:
                if isinstance(item, InputError):
                    one.rejected.append(item)
                    continue
                batch.append(item)
                seen += 1
                if len(batch) >= BATCH:
                    _flush(store, batch, one)
                    progress(f"ingest {reader.name}", seen, 0)
                    batch = []
        except (
            InputError
        ) as exc:  # e.g. an archive member found hostile mid-read: keep what was read
            one.rejected.append(exc)
        except OSError as exc:  # the file vanished or the disk failed mid-read: keep what was read
            one.rejected.append(
                InputError(f"stopped reading: {exc.strerror or exc}", source=reader.name)
            )
        _flush(store, batch, one)
        progress(f"ingest {reader.name}", seen, seen)
        one.warnings = list(reader.warnings)
        one.unchanged = seen - one.total_added
        with store.write() as conn:
            queries.record_ingest_run(
                conn, reader.name, one.added, one.unchanged, [_reject_row(e) for e in one.rejected]
            )
        summary.sources.append(one)
    return summary


def _flush(store: Store, batch: list[Record], one: SourceSummary) -> None:
    if not batch:
        return
    with store.write() as conn:
        added = queries.save_records(conn, batch)
    for kind, n in added.items():
        one.added[kind] += n


def _reject_row(exc: InputError) -> dict[str, Any]:
    return {
        "source": exc.source,
        "line": exc.line,
        "field": exc.field,
        "error": exc.message,
        "raw": None,
    }


@dataclass
class AnalyzeSummary:
    messages: int = 0
    accounts: int = 0
    levels: dict[str, int] = field(default_factory=lambda: {"low": 0, "medium": 0, "high": 0})
    models: set[str] = field(default_factory=set)
    stages: list[str] = field(default_factory=list)
    stage_errors: list[str] = field(default_factory=list)
    failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "accounts": self.accounts,
            "levels": self.levels,
            "models": sorted(self.models),
            "stages": self.stages,
            "stage_errors": self.stage_errors,
            "failed": self.failed,
        }


def analyze(
    store: Store,
    settings: Settings,
    *,
    progress: Progress = no_progress,
    skip: frozenset[str] = frozenset(),
) -> AnalyzeSummary:
    """Runs the batch stages (templates, graph, campaigns …), then scores every message and account.

    `skip` names plugins left out, e.g. the graph for one member's archive, whose connections form
    a star around the member: there is no network structure there to judge trust by.
    """
    summary = AnalyzeSummary()
    plugins = [p for p in load_plugins(settings, store) if p.name not in skip]
    for plugin in plugins:
        if plugin.prepare is None:
            continue
        try:
            plugin.prepare(progress)
            summary.stages.append(plugin.name)
        except Exception as exc:  # one failing stage must not lose the whole analysis
            summary.stage_errors.append(f"{plugin.name}: {type(exc).__name__}: {exc}")
    assessor = build_assessor(settings, store, plugins)
    with store.read() as conn:
        totals = queries.count_records(conn)

    # Platform scale: the message model embeds only what its lexical part does not clear
    # (the cascade; share sent on and recall lost in docs/evaluation.md). A member's archive
    # (`scan`) is small: every message there gets the full model.
    if totals["message"] >= CASCADE_MIN_MESSAGES and hasattr(
        assessor.message_scorer, "cascade_below"
    ):
        assessor.message_scorer.cascade_below = MESSAGE_CASCADE_BELOW
    done = 0
    pending = []
    with store.read() as conn:
        for chunk in _chunks(queries.iter_records(conn, "message"), EMBED_BATCH):
            try:  # one embedding call per chunk; each distinct text is embedded once
                assessor.prepare(chunk)
            except Exception as exc:  # batching is an optimisation: score one by one
                summary.stage_errors.append(f"message batch: {type(exc).__name__}: {exc}")
            for record in chunk:
                assert isinstance(record, Message)
                try:
                    pending.append(assessor.assess_message(record))
                except Exception as exc:  # one odd record must not stop the whole analysis
                    _record_failure(summary, "message", record.id, exc)
                done += 1
            if len(pending) >= BATCH:
                _save(store, pending, summary)
                pending = []
                progress("score messages", done, totals["message"])
    _save(store, pending, summary)
    summary.messages = done
    progress("score messages", done, totals["message"])

    done = 0
    with store.read() as conn:
        account_batch: list[Account] = []
        for record in queries.iter_records(conn, "account"):
            assert isinstance(record, Account)
            account_batch.append(record)
            if len(account_batch) >= BATCH:
                _save(store, _assess_accounts(conn, assessor, account_batch, summary), summary)
                done += len(account_batch)
                account_batch = []
                progress("score accounts", done, totals["account"])
        _save(store, _assess_accounts(conn, assessor, account_batch, summary), summary)
        done += len(account_batch)
    summary.accounts = done
    progress("score accounts", done, totals["account"])
    return summary


def account_views(conn: Any, batch: list[Account]) -> list[AccountView]:
    """Each account with the messages it sent and its edges (the context account detectors read)."""
    ids = [a.id for a in batch]
    sent: dict[str, list[Message]] = defaultdict(list)
    linked: dict[str, list[Edge]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(messages_table.c.data).where(messages_table.c.sender.in_(chunk))
        ):
            message = record_from_dict(row.data)
            if isinstance(message, Message) and message.sender:
                sent[message.sender].append(message)
        for row in conn.execute(
            select(edges_table.c.data).where(
                edges_table.c.src.in_(chunk) | edges_table.c.dst.in_(chunk)
            )
        ):
            edge = record_from_dict(row.data)
            if isinstance(edge, Edge):
                linked[edge.src].append(edge)
                if edge.dst != edge.src:
                    linked[edge.dst].append(edge)
    return [
        AccountView(account=a, messages_sent=sent.get(a.id, []), edges=linked.get(a.id, []))
        for a in batch
    ]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _assess_accounts(
    conn: Any, assessor: Any, batch: list[Account], summary: AnalyzeSummary
) -> list[Any]:
    if not batch:
        return []
    out = []
    for view in account_views(conn, batch):
        try:
            out.append(assessor.assess_account(view.account, view))
        except Exception as exc:  # one odd record must not stop the whole analysis
            _record_failure(summary, "account", view.account.id, exc)
    return out


def _record_failure(summary: AnalyzeSummary, kind: str, record_id: str, exc: Exception) -> None:
    """Kept in stage_errors (shown by `analyze`), at most 20 spelled out."""
    summary.failed += 1
    if summary.failed <= 20:
        summary.stage_errors.append(
            f"scoring {kind} {record_id}: {type(exc).__name__}: {exc} (record skipped)"
        )


def _save(store: Store, items: list[Any], summary: AnalyzeSummary) -> None:
    if not items:
        return
    with store.write() as conn:
        queries.save_assessments(conn, items)
    for a in items:
        summary.levels[a.level] = summary.levels.get(a.level, 0) + 1
        summary.models.add(a.model)


def stored_account_ids(conn: Any) -> list[str]:
    return [r.id for r in conn.execute(select(accounts_table.c.id))]
