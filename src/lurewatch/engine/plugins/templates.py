"""Binds the template detectors to the store.

`prepare` (run by `analyze`, order 10: before campaigns) indexes the store's messages —
MinHash only for messages without a stored signature — clusters them, and saves the
signatures, each message's template and the statistics of every template of two or more
messages. The message detector reads a stored message's template; a new text (`check`,
`scan`) is looked up in an index of the stored templates' signatures and verified on their
texts. The account detector reports the strongest mass template an account sends.
Without a store (or before the first `analyze`) there is no template evidence.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from lurewatch.engine.plugins import Plugin, ProgressFn
from lurewatch.evidence import Evidence
from lurewatch.records import Account, Message, record_from_dict
from lurewatch.signals.views import AccountView, MessageView, message_view
from lurewatch.templates import signals as tsignals
from lurewatch.templates.fingerprints import scheme_name
from lurewatch.templates.index import TemplateIndex
from lurewatch.templates.minhash import decode, encode
from lurewatch.templates.normalize import normalize, readable

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


CHUNK = 200_000  # messages per add_many batch in analyze


def lure_strength(message: Message) -> float:
    """The strongest `lure.*` evidence in a text (0 when the lure detectors are unavailable)."""
    try:
        from lurewatch.signals import lure
    except (
        Exception
    ):  # lure signals missing or broken: templates still work, content counts as neutral
        return 0.0
    try:
        found = lure.detect(message_view(message))
    except Exception:  # a detector bug must not stop the batch; the template just counts as neutral
        return 0.0
    return max((e.strength for e in found if e.signal.startswith("lure.")), default=0.0)


def _contacts(account: Account) -> int | None:
    values = [v for v in (account.connections, account.followers) if v is not None]
    return max(values) if values else None


def build(store: Store, progress: ProgressFn) -> dict[str, int]:
    """The batch step: index every stored message, save signatures, assignments and template stats."""
    from lurewatch.store.tables import templates as table
    from lurewatch.store.tables.core import accounts, messages

    index = TemplateIndex()
    scheme = scheme_name(index)
    progress("templates: reading messages", 0, 0)
    with store.read() as conn:
        stored = table.load_signatures(conn, scheme)
        records: list[Message] = []
        for row in conn.execute(select(messages.c.data)):
            try:
                rec = record_from_dict(row.data)
            except Exception:  # a stored row that no longer validates: skip it, keep the batch
                continue
            if isinstance(rec, Message):
                records.append(rec)
        senders = {m.sender for m in records if m.sender}
        history: dict[str, Account] = {}
        for row in conn.execute(select(accounts.c.id, accounts.c.data)):
            if row.id in senders:
                acc = record_from_dict(row.data)
                if isinstance(acc, Account):
                    history[row.id] = acc
    ids = [m.id for m in records]
    texts = [message_view(m).text for m in records]
    given = [decode(stored[i], index.hasher.num_perm) if i in stored else None for i in ids]
    text_of = dict(zip(ids, texts, strict=True))
    # Batches of CHUNK bound the temporaries (every text's shingles of one batch); candidates
    # in earlier batches are verified on their texts, re-shingled on demand.
    index.keep_shingles = False
    index.text_loader = lambda wanted: {i: text_of.get(i, "") for i in wanted}
    for start in range(0, len(ids), CHUNK):
        progress("templates: hashing and clustering", start, len(ids))
        end = start + CHUNK
        index.add_many(ids[start:end], texts[start:end], signatures=given[start:end])
    progress("templates: hashing and clustering", len(ids), len(ids))
    by_id = {m.id: m for m in records}
    stat_rows: list[dict[str, Any]] = []
    assignments: dict[str, str | None] = {}
    now = table.stamp()
    for members in index.clusters(min_size=2):
        tid = members[0]
        infos = [
            tsignals.Member(m, by_id[m].sender, list(by_id[m].recipients), by_id[m].sent_at)
            for m in members
        ]
        first = min((i.sent_at for i in infos if i.sent_at), default=None)
        # Only this template's own senders can count (build_stats intersects with them):
        # judging every sender of the store for every template was quadratic.
        legit = [
            s
            for s in dict.fromkeys(i.sender for i in infos if i.sender)
            if s in history
            and tsignals.is_legit_history(history[s].created_at, _contacts(history[s]), first)
        ]
        stats = tsignals.build_stats(
            tid,
            infos,
            lure=lure_strength(by_id[tid]),
            legit_senders=legit,
            sample=readable(normalize(text_of[tid])),
        )
        for m in members:
            assignments[m] = tid
        stat_rows.append(
            {
                "id": tid,
                "size": stats.size,
                "senders": stats.senders,
                "recipients": stats.recipients,
                "first_seen": stats.first_seen,
                "last_seen": stats.last_seen,
                "lure": stats.lure,
                "legit_share": stats.legit_share,
                "data": stats.to_dict(),
                "computed_at": now,
            }
        )
    new_rows = []
    for mid in ids:
        if mid in stored:
            continue
        sig = index.signature_of(mid)
        if sig is not None:
            new_rows.append(
                {
                    "message_id": mid,
                    "scheme": scheme,
                    "signature": encode(sig),
                    "template_id": assignments.get(mid),
                    "indexed_at": now,
                }
            )
    with store.write() as conn:
        table.save_signatures(conn, new_rows)
        # New rows were saved with their template above; only earlier rows can change.
        table.set_assignments(conn, {mid: assignments.get(mid) for mid in ids if mid in stored})
        table.replace_templates(conn, stat_rows)
    return {"messages": len(ids), "hashed": len(new_rows), "templates": len(stat_rows)}


def store_fingerprints(store: Store, min_size: int = 2) -> list[dict[str, Any]]:
    """Fingerprints of the store's templates (as `templates.fingerprints.fingerprints` returns
    them, no text), from the last analyze: for the intel exchange (STIX indicators)."""
    from lurewatch.store.tables import templates as table

    out: list[dict[str, Any]] = []
    with store.read() as conn:
        if not table.has_tables(conn):
            return out
        stats = table.all_templates(conn)
        ids = [tid for tid, d in stats.items() if int(d.get("size", 0)) >= min_size]
        sigs: dict[str, tuple[bytes, str]] = {}
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(
                    table.template_signatures.c.message_id,
                    table.template_signatures.c.signature,
                    table.template_signatures.c.scheme,
                ).where(table.template_signatures.c.message_id.in_(ids[start : start + 500]))
            )
            for r in rows:
                sigs[r.message_id] = (bytes(r.signature), r.scheme)
    scheme = scheme_name(TemplateIndex())
    for tid in sorted(ids, key=lambda t: (-int(stats[t].get("size", 0)), t)):
        found = sigs.get(tid)
        if found is None or found[1] != scheme:
            continue
        d = stats[tid]
        out.append(
            {
                "template": tid,
                "minhash": [int(v) for v in decode(found[0])],
                "size": int(d.get("size", 0)),
                "first_seen": d.get("first_seen"),
                "last_seen": d.get("last_seen"),
                "scheme": scheme,
            }
        )
    return out


class _Lookup:
    """Lazily loaded view of the stored templates, shared by the detectors of one assessor."""

    assign: dict[str, str]
    known: set[str]
    stats: dict[str, tsignals.TemplateStats]
    by_sender: defaultdict[str, set[str]]
    _index: TemplateIndex | None

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batch = False  # set by prepare: scoring the store's own messages follows
        self.reset()

    def reset(self) -> None:
        self.loaded = False
        self.assign = {}
        self.known = set()
        self.stats = {}
        self.by_sender = defaultdict(set)
        self._index = None

    def load(self) -> None:
        if self.loaded:
            return
        from lurewatch.store.tables import templates as table
        from lurewatch.store.tables.core import messages

        self.loaded = True
        with self.store.read() as conn:
            if not table.has_tables(conn):
                return
            self.stats = {
                tid: tsignals.TemplateStats.from_dict(d)
                for tid, d in table.all_templates(conn).items()
            }
            if self.batch:  # analyze: every message is stored; skip lookups for stored singletons
                ids = conn.execute(select(table.template_signatures.c.message_id))
                self.known = {r.message_id for r in ids}
            rows = conn.execute(
                select(
                    table.template_signatures.c.message_id,
                    table.template_signatures.c.template_id,
                    messages.c.sender,
                )
                .join(messages, messages.c.id == table.template_signatures.c.message_id)
                .where(table.template_signatures.c.template_id.is_not(None))
            )
            for r in rows:
                self.assign[r.message_id] = r.template_id
                if r.sender:
                    self.by_sender[r.sender].add(r.template_id)

    def index(self) -> TemplateIndex:
        """The stored templates' member signatures, for looking up texts not in the store."""
        if self._index is not None:
            return self._index
        from lurewatch.store.tables import templates as table

        index = TemplateIndex(keep_shingles=False, text_loader=self._texts)
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    table.template_signatures.c.message_id, table.template_signatures.c.signature
                ).where(
                    table.template_signatures.c.template_id.is_not(None)
                    & (table.template_signatures.c.scheme == scheme_name(index))
                )
            ).all()
        if rows:
            sigs = np.stack([decode(r.signature, index.hasher.num_perm) for r in rows])
            index.load_signatures([r.message_id for r in rows], sigs)
        self._index = index
        return index

    def _texts(self, ids: list[str]) -> dict[str, str]:
        from lurewatch.store.tables.core import messages

        out: dict[str, str] = {}
        with self.store.read() as conn:
            for start in range(0, len(ids), 500):
                for row in conn.execute(
                    select(messages.c.id, messages.c.data).where(
                        messages.c.id.in_(ids[start : start + 500])
                    )
                ):
                    rec = record_from_dict(row.data)
                    if isinstance(rec, Message):
                        out[row.id] = message_view(rec).text
        return out

    def message(self, view: MessageView) -> list[Evidence]:
        self.load()
        if not self.stats:
            return []
        mid = view.message.id
        tid = self.assign.get(mid)
        if tid is not None:
            return tsignals.message_evidence(self.stats.get(tid))
        if mid in self.known:
            return []  # a stored message that is not part of any template
        # (without `known`, as in check, a stored singleton is looked up and matches nothing)
        hit = self.index().query(view.text)
        if hit is None:
            return []
        best = hit.matches[0]
        return tsignals.message_evidence(self.stats.get(self.assign.get(best.id, "")), best.jaccard)

    def account(self, view: AccountView) -> list[Evidence]:
        self.load()
        tids = self.by_sender.get(view.account.id)
        if not tids:
            return []
        # sorted: among equally strong templates the first id wins, whatever the hash seed
        return tsignals.account_evidence(
            view.account.id, [self.stats[t] for t in sorted(tids) if t in self.stats]
        )


def plugin(settings: Settings, store: Store | None) -> Plugin | None:
    if store is None:
        return None
    lookup = _Lookup(store)

    def resume() -> None:
        lookup.reset()  # the detectors read what prepare wrote
        lookup.batch = True

    def prepare(progress: ProgressFn) -> None:
        build(store, progress)
        resume()

    return Plugin(
        name="templates",
        message_detectors=[lookup.message],
        account_detectors=[lookup.account],
        prepare=prepare,
        order=10,
        resume=resume,
    )
