"""Binds campaign discovery to the store.

`prepare` (order 50: after templates) gathers every artifact an account holds — handles in
its messages and profile, the templates it sends, its avatar's perceptual hash (table
`avatars`, when the avatar stage has filled it), published front companies it names
(watchlist, or `watchlist.*` evidence of earlier assessments) — decides which accounts are
already flagged, links accounts into campaigns and saves them. The account detector then
says "member of a campaign with N flagged accounts".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, select

from lurewatch.campaigns import handles as handles_mod
from lurewatch.campaigns import signals as csignals
from lurewatch.campaigns.linking import Artifact, Holding, avatar_holdings, link
from lurewatch.campaigns.summary import Contact, Target, summarize
from lurewatch.engine.plugins import Plugin, ProgressFn
from lurewatch.evidence import Evidence
from lurewatch.records import Account, Edge, Message, record_from_dict
from lurewatch.signals.views import AccountView, message_view

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store

FLAG_SCORE = 0.5  # an earlier assessment at or above this counts as flagged
TEMPLATE_FLAG = 0.3  # sending a template with at least this template.* strength counts as flagged
AVATAR_DISTANCE = 8


def _records(conn: Connection, table: Any, kind: type) -> list[Any]:
    out = []
    for row in conn.execute(select(table.c.data)):
        try:
            rec = record_from_dict(row.data)
        except Exception:  # a stored row that no longer validates: skip it, keep the batch
            continue
        if isinstance(rec, kind):
            out.append(rec)
    return out


def _avatar_hashes(conn: Connection) -> dict[str, str]:
    """account id -> 16-hex pHash from the avatar stage's table, when it exists."""
    insp = inspect(conn)
    if not insp.has_table("avatars"):
        return {}
    cols = {c["name"] for c in insp.get_columns("avatars")}
    if not {"account_id", "phash"} <= cols:
        return {}
    from sqlalchemy import column, table

    t = table("avatars", column("account_id"), column("phash"))
    return {
        str(r.account_id): str(r.phash)
        for r in conn.execute(select(t.c.account_id, t.c.phash))
        if r.account_id and r.phash
    }


def _assessment_facts(conn: Connection) -> tuple[set[str], list[Holding]]:
    """Accounts flagged by earlier assessments, and their watchlist organisation hits."""
    from lurewatch.store.tables.core import assessments

    flagged: set[str] = set()
    hits: list[Holding] = []
    rows = conn.execute(
        select(assessments.c.record_id, assessments.c.score, assessments.c.evidence).where(
            assessments.c.kind == "account"
        )
    )
    for r in rows:
        if r.score is not None and r.score >= FLAG_SCORE:
            flagged.add(r.record_id)
        for ev in r.evidence or []:
            if isinstance(ev, dict) and ev.get("signal") == "watchlist.organisation":
                name = (ev.get("values") or {}).get("entry_name") or (ev.get("values") or {}).get(
                    "entry"
                )
                if name:
                    hits.append(
                        Holding(
                            r.record_id,
                            Artifact("watchlist", str(name).lower()),
                            "earlier watchlist evidence",
                            str(name),
                        )
                    )
    return flagged, hits


def _watchlist_hits(store: Store, accounts: Iterable[Account]) -> list[Holding]:
    """Runs the watchlist's own account detector (its public API) on every account."""
    try:
        from lurewatch.engine.plugins.watchlist import load_matcher
        from lurewatch.watchlist.signals import account_detector
    except Exception:  # watchlist missing or broken: link through the other artifacts
        return []
    detect = account_detector(load_matcher(store))
    out = []
    for acc in accounts:
        for ev in detect(AccountView(account=acc)):
            if ev.signal == "watchlist.organisation" and ev.strength >= 0.5:
                name = ev.values.get("entry_name") or ev.values.get("entry")
                if name:
                    out.append(
                        Holding(
                            acc.id,
                            Artifact("watchlist", str(name).lower()),
                            f"profile names {ev.quote or name}",
                            str(name),
                        )
                    )
    return out


def _template_facts(conn: Connection) -> tuple[list[Holding], set[str], set[str]]:
    """(sender holds template, senders of suspicious templates, templates of legit senders)."""
    insp = inspect(conn)
    if not insp.has_table("template_signatures"):
        return [], set(), set()
    from lurewatch.store.tables import templates as ttable
    from lurewatch.store.tables.core import messages
    from lurewatch.templates import signals as tsignals

    stats = {
        tid: tsignals.TemplateStats.from_dict(d) for tid, d in ttable.all_templates(conn).items()
    }
    legit = {tid for tid, s in stats.items() if s.legit_share >= 0.5}
    suspicious = {tid for tid, s in stats.items() if tsignals.strength(s) >= TEMPLATE_FLAG}
    holdings: list[Holding] = []
    flagged: set[str] = set()
    seen: set[tuple[str, str]] = set()
    rows = conn.execute(
        select(
            ttable.template_signatures.c.message_id,
            ttable.template_signatures.c.template_id,
            messages.c.sender,
        )
        .join(messages, messages.c.id == ttable.template_signatures.c.message_id)
        .where(ttable.template_signatures.c.template_id.is_not(None))
    )
    for r in rows:
        if not r.sender or (r.sender, r.template_id) in seen:
            continue
        seen.add((r.sender, r.template_id))
        s = stats.get(r.template_id)
        label = f"{r.template_id} ({s.size} messages)" if s else r.template_id
        holdings.append(
            Holding(r.sender, Artifact("template", r.template_id), f"message {r.message_id}", label)
        )
        if r.template_id in suspicious:
            flagged.add(r.sender)
    return holdings, flagged, legit


def message_handles(messages: Iterable[Message]) -> list[Holding]:
    out = []
    for m in messages:
        if not m.sender:
            continue
        for h in handles_mod.extract(message_view(m).text):
            out.append(
                Holding(m.sender, Artifact(h.kind, h.value), f"message {m.id}: “{h.text}”", h.text)
            )
    return out


def profile_handles(accounts: Iterable[Account]) -> list[Holding]:
    out = []
    for a in accounts:
        text = "\n".join(t for t in (a.headline, a.about, a.title) if t)
        for h in handles_mod.extract(text):
            out.append(Holding(a.id, Artifact(h.kind, h.value), f"profile: “{h.text}”", h.text))
    return out


def build(store: Store, progress: ProgressFn) -> list[dict[str, Any]]:
    """The batch step: gather artifacts, link, summarise, save; returns the summaries."""
    from lurewatch.store.tables import campaigns as ctable
    from lurewatch.store.tables.core import accounts as accounts_t
    from lurewatch.store.tables.core import edges as edges_t
    from lurewatch.store.tables.core import messages as messages_t
    from lurewatch.store.tables.templates import stamp

    progress("campaigns: gathering artifacts", 0, 0)
    with store.read() as conn:
        accounts = _records(conn, accounts_t, Account)
        messages = _records(conn, messages_t, Message)
        edges = _records(conn, edges_t, Edge)
        avatars = _avatar_hashes(conn)
        flagged, holdings = _assessment_facts(conn)
        t_holdings, t_flagged, legit_templates = _template_facts(conn)
    holdings += t_holdings
    flagged |= t_flagged
    wl = _watchlist_hits(store, accounts)
    holdings += wl
    flagged |= {h.account for h in wl}
    holdings += message_handles(messages)
    holdings += profile_handles(accounts)
    holdings += avatar_holdings(avatars, AVATAR_DISTANCE)
    progress("campaigns: linking", 0, 0)
    cores = link(holdings, flagged, legit_templates=legit_templates)
    contacts = [Contact(m.sender, r, m.sent_at) for m in messages if m.sender for r in m.recipients]
    contacts += [Contact(e.src, e.dst, e.at) for e in edges if e.type.startswith("invitation")]
    by_sender: dict[str, list[int]] = {}
    for n, c in enumerate(contacts):
        by_sender.setdefault(c.sender, []).append(n)
    targets = {a.id: Target(a.id, a.company, a.headline) for a in accounts}
    names = {a.id: a.name for a in accounts}
    summaries = [
        summarize(
            c, _contacts_of(c.accounts, by_sender, contacts), targets, names, flagged
        ).to_dict()
        for c in cores
    ]
    with store.write() as conn:
        ctable.replace_all(conn, summaries, stamp())
    progress("campaigns: linking", len(cores), len(cores))
    return summaries


def _contacts_of(
    members: Iterable[str], by_sender: dict[str, list[int]], contacts: list[Contact]
) -> list[Contact]:
    """The contacts a campaign's members made, in the order of `contacts`: what `summarize`
    reads of them, without scanning every contact of the store for every campaign."""
    picked = sorted(n for m in set(members) for n in by_sender.get(m, ()))
    return [contacts[n] for n in picked]


class _Membership:
    """Lazily loaded account -> campaign summary, shared by the detector of one assessor."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reset()

    def reset(self) -> None:
        self.loaded = False
        self.by_account: dict[str, tuple[dict[str, Any], csignals.Roster]] = {}

    def load(self) -> None:
        if self.loaded:
            return
        from lurewatch.store.tables import campaigns as ctable

        self.loaded = True
        with self.store.read() as conn:
            if not ctable.has_tables(conn):
                return
            for summary in ctable.list_campaigns(conn):
                roster = csignals.Roster.of(summary)
                for m in summary.get("accounts", []):
                    self.by_account[m["account"]] = (summary, roster)

    def detect(self, view: AccountView) -> list[Evidence]:
        self.load()
        found = self.by_account.get(view.account.id)
        return csignals.member_evidence(view.account.id, *found) if found else []


def plugin(settings: Settings, store: Store | None) -> Plugin | None:
    if store is None:
        return None
    membership = _Membership(store)

    def prepare(progress: ProgressFn) -> None:
        build(store, progress)
        membership.reset()

    return Plugin(
        name="campaigns",
        account_detectors=[membership.detect],
        prepare=prepare,
        order=50,
        resume=membership.reset,
    )
