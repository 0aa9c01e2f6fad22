"""Executor-side work: plain Python over an iterator of rows, one call per partition.

Everything expensive that is not a join runs here, through the project's own functions, so
Spark and the local engine cannot drift: parsing (`ingest.feed.parse_record`), assessing
(`engine.assembly.build_assessor`), template normalisation and MinHash (`lurewatch.templates`).
No pyspark import: these functions take and yield tuples, and the tests call them directly.
An assessor (and a MinHasher) is built once per partition, not once per row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from lurewatch.engine.assembly import build_assessor
from lurewatch.engine.assessor import Assessor
from lurewatch.engine.plugins import Plugin, load_plugins
from lurewatch.errors import InputError
from lurewatch.evidence import Assessment
from lurewatch.ingest.feed import MAX_LINE_BYTES, decode_json, parse_record
from lurewatch.records import Account, Edge, Message, label, record_from_dict, record_to_dict
from lurewatch.settings import Settings
from lurewatch.signals.views import AccountView, MessageView, message_view
from lurewatch.templates import signals as tsignals
from lurewatch.templates.index import TemplateIndex
from lurewatch.templates.lsh import band_keys
from lurewatch.templates.normalize import normalize_many, readable
from lurewatch.templates.shingles import shingle_batch

LINE_BITS = 40  # order = file number << 40 | line: input order across files, as one long
CHUNK = 2000  # rows per vectorised batch (normalisation, MinHash)
RAW_KEPT = 300  # characters of a rejected line kept for the reviewer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Column order of `parse_lines` output (the Spark schema in `inputs` follows it).
PARSED = (
    "order",
    "file",
    "line",
    "kind",
    "id",
    "data",
    "sender",
    "recipients",
    "sent_us",
    "sent_iso",
    "src",
    "dst",
    "created_iso",
    "contacts",
    "error",
    "field",
    "raw",
)
ASSESSED = ("order", "kind", "id", "score", "level", "model", "language", "codes", "json")


def micros(when: datetime | None) -> int | None:
    """Exact microseconds since the epoch (sortable across time zones, unlike ISO strings)."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - _EPOCH) // timedelta(microseconds=1)


def order_of(file_number: int, line: int) -> int:
    return (file_number << LINE_BITS) | line


# ------------------------------------------------------------------ parsing


def _decode(raw: bytes | str, line: int) -> object:
    """Bytes → JSON value, with the same messages as `lurewatch ingest` (ingest.feed)."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start + 1})") from None
    else:
        text = raw
    if "\ufffd" in text:  # Spark's line reader turns invalid UTF-8 bytes into U+FFFD
        raise InputError(f"not UTF-8 text (character {text.index(chr(0xFFFD)) + 1})")
    if line == 1:
        text = text.lstrip("\ufeff")
    return decode_json(text)


def _reject(order: int, name: str, line: int, exc: InputError, data: object, raw: Any) -> tuple:
    ident = kind = None
    if isinstance(data, dict):
        ident, kind = label(data.get("id")), label(data.get("kind"))
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=True, default=str)
    text = text[:RAW_KEPT].encode("utf-8", "backslashreplace").decode("utf-8")
    return (order, name, line, kind, ident, None, None, None, None, None, None, None, None, None,
            exc.message, exc.field, text)  # fmt: skip


def record_row(order: int, name: str, line: int, record: Any) -> tuple:
    """A validated record as a row: its JSON form plus the columns joins need."""
    data = json.dumps(record_to_dict(record), ensure_ascii=False, sort_keys=True)
    sender = recipients = sent_us = sent_iso = src = dst = created = contacts = None
    if isinstance(record, Message):
        sender, recipients = record.sender, list(record.recipients)
        sent_us, sent_iso = micros(record.sent_at), record.sent_at and record.sent_at.isoformat()
    elif isinstance(record, Edge):
        src, dst = record.src, record.dst
    elif isinstance(record, Account):
        created = record.created_at.isoformat() if record.created_at else None
        values = [v for v in (record.connections, record.followers) if v is not None]
        contacts = max(values) if values else None
    return (order, name, line, record.kind, record.id, data, sender, recipients, sent_us,
            sent_iso, src, dst, created, contacts, None, None, None)  # fmt: skip


def parse_lines(rows: Iterable[tuple[int, str, int, Any]]) -> Iterator[tuple]:
    """(file number, file name, line number, raw line) → a record row or a located reject.

    Blank lines are skipped (as `lurewatch ingest` does); every other line gives exactly one
    row, so nothing is dropped silently.
    """
    for number, name, line, raw in rows:
        order = order_of(number, line)
        if raw is None or not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            exc = InputError(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped")
            yield _reject(order, name, line, exc, None, raw[:RAW_KEPT])
            continue
        data: object = None
        try:
            data = _decode(raw, line)
        except InputError as exc:
            yield _reject(order, name, line, exc, None, raw)
            continue
        parsed = parse_record(data, name, line)
        if isinstance(parsed, InputError):
            yield _reject(order, name, line, parsed, data, raw)
        else:
            yield record_row(order, name, line, parsed)


def parse_stored(rows: Iterable[tuple[int, str, int, str]]) -> Iterator[tuple]:
    """Rows of a previous run's `records` Parquet (order, file, line, data) → rows, re-validated."""
    for order, name, line, data in rows:
        try:
            value = json.loads(data)
            record = record_from_dict(value)
        except (ValueError, InputError) as exc:
            err = exc if isinstance(exc, InputError) else InputError(f"not valid JSON: {exc}")
            yield _reject(order, name, line, err, None, data)
            continue
        yield record_row(order, name, line, record)


# ------------------------------------------------------------------ assessing


class _TemplateContext:
    """The template statistics of the row being assessed, read by the template detectors.

    The local engine's templates plugin looks a message's template up in the store; here the
    join has already put the statistics on the row, and the same pure functions
    (`templates.signals.message_evidence` / `account_evidence`) turn them into evidence.
    """

    def __init__(self) -> None:
        self.message_stats: tsignals.TemplateStats | None = None
        self.account_stats: list[tsignals.TemplateStats] = []

    def message(self, view: MessageView) -> list:
        return tsignals.message_evidence(self.message_stats) if self.message_stats else []

    def account(self, view: AccountView) -> list:
        if not self.account_stats:
            return []
        return tsignals.account_evidence(view.account.id, self.account_stats)


def make_assessor(settings: Settings) -> tuple[Assessor, _TemplateContext]:
    """`build_assessor(settings, None)` plus the template detectors, where the plugin sits."""
    context = _TemplateContext()
    plugins = load_plugins(settings, None)
    plugins.append(
        Plugin(
            name="templates",
            message_detectors=[context.message],
            account_detectors=[context.account],
            order=10,  # as engine/plugins/templates.py: the evidence order matches `analyze`
        )
    )
    plugins.sort(key=lambda p: (p.order, p.name))
    return build_assessor(settings, None, plugins), context


@lru_cache(maxsize=4)
def _worker_assessor(settings: Settings) -> tuple[Assessor, _TemplateContext]:
    """One assessor per Python worker process and settings: Spark reuses its Python workers
    (`spark.python.worker.reuse`), so later partitions skip the ~2 s of loading models and
    language profiles. Tasks run one at a time in a worker, so the context is not shared."""
    return make_assessor(settings)


def _stats(data: str | None) -> tsignals.TemplateStats | None:
    return tsignals.TemplateStats.from_dict(json.loads(data)) if data else None


def _row(order: int, a: Assessment) -> tuple:
    return (order, a.kind, a.id, float(a.score), a.level, a.model, a.language,
            [e.signal for e in a.evidence],
            json.dumps(a.to_dict(), ensure_ascii=False, default=str))  # fmt: skip


def assess_messages(settings: Settings, rows: Iterable[tuple]) -> Iterator[tuple]:
    """(order, data, template stats JSON | None) → assessment rows (see ASSESSED)."""
    assessor, context = _worker_assessor(settings)
    for order, data, stats in rows:
        message = record_from_dict(json.loads(data))
        assert isinstance(message, Message)
        context.message_stats = _stats(stats)
        yield _row(order, assessor.assess_message(message))


def assess_accounts(settings: Settings, rows: Iterable[tuple]) -> Iterator[tuple]:
    """(order, data, [sent message JSON], [edge JSON], [template stats JSON]) → assessment rows."""
    assessor, context = _worker_assessor(settings)
    for order, data, sent, linked, stats in rows:
        account = record_from_dict(json.loads(data))
        assert isinstance(account, Account)
        messages = [record_from_dict(json.loads(d)) for d in sent or ()]
        edges = [record_from_dict(json.loads(d)) for d in linked or ()]
        view = AccountView(account=account, messages_sent=messages, edges=edges)  # type: ignore[arg-type]
        context.account_stats = [s for s in (_stats(d) for d in stats or ()) if s is not None]
        yield _row(order, assessor.assess_account(account, view))


# ------------------------------------------------------------------ templates


def _chunks(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def normalize_messages(rows: Iterable[tuple[int, str, str]]) -> Iterator[tuple]:
    """(order, id, data) → (order, id, dupkey | None, normalised text | None).

    The text is `message_view(m).text` (subject + body, cleaned), as `lurewatch templates`
    and the templates plugin index it; dupkey is the same BLAKE2b digest TemplateIndex uses
    to treat exact copies after normalisation as one text.
    """
    for batch in _chunks(rows):
        texts = []
        for _, _, data in batch:
            message = record_from_dict(json.loads(data))
            assert isinstance(message, Message)
            texts.append(message_view(message).text)
        for (order, mid, _), norm in zip(batch, normalize_many(texts), strict=True):
            if not norm:
                yield (order, mid, None, None)
                continue
            key = hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()
            yield (order, mid, key, norm)


def sign_texts(threshold: float, rows: Iterable[tuple[int, str]]) -> Iterator[tuple]:
    """(row, normalised text) → (row, sorted unique shingle hashes, LSH band keys), as int64.

    The numbers are TemplateIndex's own (same shingles, MinHash permutations, bands), so a
    band-key join finds exactly the candidate pairs the local index finds.
    """
    index = TemplateIndex(threshold=threshold)
    for batch in _chunks(rows):
        norms = [norm for _, norm in batch]
        hashes, offsets = shingle_batch(norms, index.ngram)
        sigs = index.hasher.signatures(hashes, offsets)
        keys = band_keys(sigs, index.b, index.r).view(np.int64)
        for k, (row, _) in enumerate(batch):
            shingles = np.unique(hashes[offsets[k] : offsets[k + 1]]).view(np.int64)
            yield (row, shingles.tolist(), keys[k].tolist())


def legit_senders(
    rows: Iterable[tuple[str, str, str | None, str | None, int | None]],
) -> Iterator[tuple]:
    """(template, sender, first use ISO, account created ISO, contacts) → (template, sender) kept
    when `templates.signals.is_legit_history` says the sender has a long ordinary history."""
    for tid, sender, first, created, contacts in rows:
        first_dt = datetime.fromisoformat(first) if first else None
        created_dt = datetime.fromisoformat(created) if created else None
        if tsignals.is_legit_history(created_dt, contacts, first_dt):
            yield (tid, sender)


def template_stats(rows: Iterable[tuple]) -> Iterator[tuple[str, str]]:
    """Aggregates of one template plus its face message → (template, TemplateStats JSON).

    Row: (template, face message JSON, size, senders, recipients, first ISO, last ISO,
    sender ids (sorted), legit senders). Lure strength and sample come from the face message
    (the smallest member id), as in the templates plugin.
    """
    from lurewatch.engine.plugins.templates import lure_strength

    for tid, data, size, senders, recipients, first, last, sender_ids, legit in rows:
        face = record_from_dict(json.loads(data))
        assert isinstance(face, Message)
        norm = normalize_many([message_view(face).text])[0]
        stats = tsignals.TemplateStats(
            template=tid,
            size=int(size),
            senders=int(senders),
            recipients=int(recipients) if recipients else int(size),
            first_seen=datetime.fromisoformat(first) if first else None,
            last_seen=datetime.fromisoformat(last) if last else None,
            lure=max(0.0, min(1.0, lure_strength(face))),
            legit_share=(legit or 0) / senders if senders else 0.0,
            sender_ids=list(sender_ids or [])[:50],
            sample=readable(norm)[:300],
        )
        yield (tid, json.dumps(stats.to_dict(), ensure_ascii=False))
