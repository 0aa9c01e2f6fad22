"""The two batch jobs every front door shares: ingest sources into the store, and analyze the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select

from lurewatch.engine.assembly import build_assessor
from lurewatch.engine.assessor import lift_account, own_message_assessment, owner_assessment
from lurewatch.engine.plugins import load_plugins
from lurewatch.errors import InputError
from lurewatch.evidence import Assessment
from lurewatch.records import Account, Edge, Message, Record, record_from_dict, shown
from lurewatch.scoring.base import Levels
from lurewatch.signals.conversation import is_own, order_key
from lurewatch.signals.views import AccountView, message_view
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
    unusable: bool = False  # refused whole (not a source at all, a hostile archive): exit 2

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
            "unusable": self.unusable,
        }


@dataclass
class IngestSummary:
    sources: list[SourceSummary] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(len(s.rejected) for s in self.sources)

    @property
    def unusable(self) -> bool:
        """Nothing could be used at all (every source refused whole): `scan`'s exit status 2."""
        return bool(self.sources) and all(s.unusable for s in self.sources)

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
            one = SourceSummary(source=str(source), rejected=[exc], unusable=True)
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
    """Stores a batch; if the store refuses it, stores record by record and rejects the refused.

    Validation should let nothing unstorable through, but a database's own limits differ (a
    text type, an index size): one such record must cost itself, never its batch.
    """
    if not batch:
        return
    try:
        with store.write() as conn:
            added = queries.save_records(conn, batch)
    except Exception:  # noqa: BLE001 - retried one by one below, each failure located
        added = {}
        for record in batch:
            try:
                with store.write() as conn:
                    one_added = queries.save_records(conn, [record])
            except Exception as exc:  # noqa: BLE001 - becomes this record's located reject
                src = record.source
                one.rejected.append(
                    InputError(
                        f"could not be stored ({type(exc).__name__}: {shown(str(exc))})",
                        source=src.file if src else one.source,
                        line=src.row if src else None,
                    )
                )
                continue
            for kind, n in one_added.items():
                added[kind] = added.get(kind, 0) + n
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
    resumed: list[str] = field(default_factory=list)  # stages an interrupted run had finished

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "accounts": self.accounts,
            "levels": self.levels,
            "models": sorted(self.models),
            "stages": self.stages,
            "stage_errors": self.stage_errors,
            "failed": self.failed,
            "resumed": self.resumed,
        }


def analyze(
    store: Store,
    settings: Settings,
    *,
    progress: Progress = no_progress,
    skip: frozenset[str] = frozenset(),
    restart: bool = False,
) -> AnalyzeSummary:
    """Runs the batch stages (templates, graph, campaigns …), then scores every message and account.

    `skip` names plugins left out, e.g. the graph for one member's archive, whose connections form
    a star around the member: there is no network structure there to judge trust by.

    Resumable: each finished stage, and the scoring's last saved record, is recorded in the store
    (`store.tables.runs`) under the data version; an interrupted run on unchanged data picks up
    there. A run that completes clears the record, so the next one re-scores everything;
    `restart` ignores an interrupted run.
    """
    from lurewatch.store.tables import runs

    summary = AnalyzeSummary()
    plugins = [p for p in load_plugins(settings, store) if p.name not in skip]
    with store.write() as conn:
        version = runs.data_version(conn, f"models={settings.use_models};skip={sorted(skip)}")
        if restart:
            runs.clear(conn)
        earlier = runs.progress_of(conn, version)
        if not earlier:
            runs.clear(conn)  # rows of a run on other data: nothing to resume
    for plugin in plugins:
        if plugin.prepare is None:
            continue
        if earlier.get(plugin.name) == runs.DONE and plugin.resume is not None:
            plugin.resume()
            summary.stages.append(plugin.name)
            summary.resumed.append(plugin.name)
            continue
        try:
            plugin.prepare(progress)
            summary.stages.append(plugin.name)
            with store.write() as conn:
                runs.mark(conn, version, plugin.name)
        except Exception as exc:  # one failing stage must not lose the whole analysis
            summary.stage_errors.append(f"{plugin.name}: {type(exc).__name__}: {exc}")
    assessor = build_assessor(settings, store, plugins)
    with store.read() as conn:
        totals = queries.count_records(conn)
        owners = queries.owner_ids(conn)

    # Platform scale: the message model embeds only what its lexical part does not clear
    # (the cascade; share sent on and recall lost in docs/evaluation.md). A member's archive
    # (`scan`) is small: every message there gets the full model.
    if totals["message"] >= CASCADE_MIN_MESSAGES and hasattr(
        assessor.message_scorer, "cascade_below"
    ):
        assessor.message_scorer.cascade_below = MESSAGE_CASCADE_BELOW
    stage = "score messages"
    after = earlier.get(stage)
    done = _resumed_count(store, summary, "message", stage, after)
    context = _Context(owners=owners)
    if after is not None:  # resumed: what the interrupted run scored feeds the context again
        _replay_context(store, context, None if after == runs.DONE else after)
    pending: list[Assessment] = []
    if after != runs.DONE:
        with store.read() as conn:
            for chunk in _chunks(queries.iter_records(conn, "message", after=after), EMBED_BATCH):
                suspects = [r for r in chunk if isinstance(r, Message) and not is_own(r, owners)]
                try:  # one embedding call per chunk; each distinct text is embedded once
                    assessor.prepare(suspects)
                except Exception as exc:  # batching is an optimisation: score one by one
                    summary.stage_errors.append(f"message batch: {type(exc).__name__}: {exc}")
                for record in chunk:
                    assert isinstance(record, Message)
                    try:
                        if is_own(record, owners):
                            assessment = own_message_assessment(record)
                        else:
                            assessment = assessor.assess_message(record)
                    except Exception as exc:  # one odd record must not stop the whole analysis
                        _record_failure(summary, "message", record.id, exc)
                    else:
                        pending.append(assessment)
                        context.note(record, assessment)
                    done += 1
                if len(pending) >= BATCH:
                    _save(store, pending, summary, (version, stage, chunk[-1].id))
                    pending = []
                    progress(stage, done, totals["message"])
        _save(store, pending, summary, (version, stage, runs.DONE))
    summary.messages = done
    progress(stage, done, totals["message"])
    # idempotent: a message already lifted to its conversation's score is left as it is
    _score_conversations(store, assessor, context, summary, progress)

    stage = "score accounts"
    after = earlier.get(stage)
    done = _resumed_count(store, summary, "account", stage, after)
    if after != runs.DONE:
        with store.read() as conn:
            account_batch: list[Account] = []
            for record in queries.iter_records(conn, "account", after=after):
                assert isinstance(record, Account)
                account_batch.append(record)
                if len(account_batch) >= BATCH:
                    assessed = _assess_accounts(conn, assessor, account_batch, summary, context)
                    _save(store, assessed, summary, (version, stage, record.id))
                    done += len(account_batch)
                    account_batch = []
                    progress(stage, done, totals["account"])
            assessed = _assess_accounts(conn, assessor, account_batch, summary, context)
            _save(store, assessed, summary, (version, stage, runs.DONE))
            done += len(account_batch)
    summary.accounts = done
    progress(stage, done, totals["account"])
    with store.write() as conn:
        runs.clear(conn)  # complete: the next analyze starts afresh
    return summary


@dataclass
class _Context:
    """What the message pass learns for the conversation and account passes.

    Only suspicious messages are remembered per sender, and only conversation membership (ids)
    per thread, so memory stays small next to the store.
    """

    owners: set[str]
    threads: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    best: dict[str, tuple[float, str, str | None]] = field(default_factory=dict)

    def note(self, message: Message, assessment: Assessment) -> None:
        if assessment.model == "context" or not message.sender:
            return  # the member's own message: context, not a suspect's
        if message.conversation_id:
            self.threads[(message.conversation_id, message.sender)].append(message.id)
        self.rated(message.sender, assessment, message)

    def rated(self, sender: str, assessment: Assessment, message: Message) -> None:
        if assessment.level == "low":
            return
        held = self.best.get(sender)
        if held is None or assessment.score > held[0]:
            quote = message_view(message).text[:200] or None  # as analysed: entities decoded
            self.best[sender] = (assessment.score, assessment.id, quote)


def _score_conversations(
    store: Store,
    assessor: Any,
    context: _Context,
    summary: AnalyzeSummary,
    progress: Progress,
) -> None:
    """Reads each sender's messages of each conversation as a whole (signals/conversation.py).

    A message whose conversation scores higher than the message alone is saved again with the
    conversation's score and a `conversation.context` evidence naming which message carried what.
    """
    threads = [(key, ids) for key, ids in context.threads.items() if len(ids) >= 2]
    done = 0
    updated: list[Assessment] = []
    for (conversation_id, sender), ids in sorted(threads):
        try:
            with store.read() as conn:
                messages = sorted(queries.messages_by_ids(conn, ids), key=order_key)
                own = {m.id: queries.get_assessment(conn, "message", m.id) for m in messages}
            messages = [m for m in messages if own.get(m.id) is not None]
            if len(messages) < 2:
                continue
            thread, whole = assessor.assess_thread(conversation_id, messages)
            for i, message in enumerate(thread.messages):
                before = own[message.id]
                assert before is not None
                after = assessor.with_conversation(before, thread, i, whole)
                if after is not before:
                    updated.append(after)
                    summary.levels[before.level] -= 1
                    summary.levels[after.level] = summary.levels.get(after.level, 0) + 1
                    context.rated(sender, after, message)
        except Exception as exc:  # one odd conversation must not stop the whole analysis
            _record_failure(summary, "conversation", conversation_id, exc)
            continue
        done += 1
        if len(updated) >= BATCH:
            with store.write() as conn:
                queries.save_assessments(conn, updated)
            updated = []
            progress("read conversations", done, len(threads))
    if updated:
        with store.write() as conn:
            queries.save_assessments(conn, updated)
    if threads:
        progress("read conversations", len(threads), len(threads))


def _resumed_count(
    store: Store, summary: AnalyzeSummary, kind: str, stage: str, after: str | None
) -> int:
    """How many records of `kind` an interrupted run had scored (0 when not resuming)."""
    if after is None:
        return 0
    summary.resumed.append(stage)
    with store.read() as conn:
        return queries.count_records_upto(conn, kind, None if after == "" else after)


def _replay_context(store: Store, context: _Context, upto: str | None) -> None:
    """Feeds the stored message assessments (ids up to `upto`, or all) back into the context,
    so a resumed run reads conversations and lifts accounts as an uninterrupted one would."""
    with store.read() as conn:
        for assessment, data in queries.iter_assessments_with_records(conn, kind="message"):
            if upto is not None and assessment.id > upto:
                return
            record = record_from_dict(data) if data else None
            if isinstance(record, Message):
                context.note(record, assessment)


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
    conn: Any,
    assessor: Any,
    batch: list[Account],
    summary: AnalyzeSummary,
    context: _Context | None = None,
) -> list[Any]:
    """Accounts with what they sent; the members are context, and no account is rated below
    the most suspicious message it sent (the same rule `scan` applies to a sender)."""
    if not batch:
        return []
    context = context or _Context(owners=set())
    levels: Levels = (
        getattr(assessor, "account_levels", None) or getattr(assessor, "levels", None) or Levels()
    )
    out = []
    for view in account_views(conn, batch):
        try:
            if view.account.id in context.owners:
                out.append(owner_assessment(view.account))
                continue
            assessment = assessor.assess_account(view.account, view)
            out.append(lift_account(assessment, context.best.get(view.account.id), levels))
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


def _save(
    store: Store,
    items: list[Any],
    summary: AnalyzeSummary,
    checkpoint: tuple[str, str, str] | None = None,
) -> None:
    """Saves assessments and, in the same transaction, how far the stage got (version, stage,
    last record id or runs.DONE), so an interruption never loses or repeats a saved batch."""
    if not items and checkpoint is None:
        return
    from lurewatch.store.tables import runs

    with store.write() as conn:
        queries.save_assessments(conn, items)
        if checkpoint is not None:
            runs.mark(conn, *checkpoint)
    for a in items:
        summary.levels[a.level] = summary.levels.get(a.level, 0) + 1
        summary.models.add(a.model)


def stored_account_ids(conn: Any) -> list[str]:
    return [r.id for r in conn.execute(select(accounts_table.c.id))]
