"""Read-only views the pages and API share: dashboard aggregates and optional domain tables.

Tables owned by other capabilities (campaigns, watchlist, graph results) may be absent in a
given installation or store; they are found by reflection and shown when present.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, inspect, select

from lurewatch.store import queries
from lurewatch.store.tables.core import accounts, assessments, messages

SECTORS: dict[str, tuple[str, ...]] = {
    "government": (
        "ministry",
        "ministère",
        "ministerium",
        "government",
        "gouvernement",
        "parliament",
        "embassy",
        "civil serv",
        "federal",
        "agency",
    ),
    "defence": (
        "defence",
        "defense",
        "military",
        "armed forces",
        "bundeswehr",
        "army",
        "navy",
        "air force",
    ),
    "nuclear & energy": ("nuclear", "nucléaire", "energy", "énergie", "atomic"),
    "health": ("health", "pharma", "hospital", "medical", "biotech", "santé"),
    "computing & telecom": (
        "software",
        "computing",
        "telecom",
        "semiconductor",
        "cyber",
        "it ",
        "tech",
    ),
    "research": (
        "university",
        "université",
        "universität",
        "institute",
        "research",
        "laboratory",
        "lab",
    ),
}


def sector_of(*texts: str | None) -> str:
    joined = " ".join(t for t in texts if t).lower() + " "
    for sector, words in SECTORS.items():
        if any(w in joined for w in words):
            return sector
    return "other"


class OptionalTables:
    """Reflects tables other capabilities own, once per table name, when they exist."""

    def __init__(self) -> None:
        self._found: dict[str, Table | None] = {}

    def get(self, conn: Connection, name: str) -> Table | None:
        if name not in self._found or self._found[name] is None:
            if inspect(conn).has_table(name):
                self._found[name] = Table(name, MetaData(), autoload_with=conn)
            else:
                return None
        return self._found[name]


def rows_of(
    conn: Connection, table: Table, limit: int = 200, offset: int = 0, **where: Any
) -> list[dict[str, Any]]:
    query = select(table)
    for key, value in where.items():
        if key in table.c:
            query = query.where(table.c[key] == value)
    return [_plain(dict(r._mapping)) for r in conn.execute(query.limit(limit).offset(offset)).all()]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def level_counts(conn: Connection) -> dict[str, dict[str, int]]:
    return {kind: queries.count_assessments(conn, kind) for kind in ("account", "message")}


def top_accounts(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            assessments.c.record_id,
            assessments.c.score,
            assessments.c.level,
            accounts.c.name,
            accounts.c.company,
        )
        .select_from(assessments.outerjoin(accounts, accounts.c.id == assessments.c.record_id))
        .where(assessments.c.kind == "account")
        .order_by(assessments.c.score.desc(), assessments.c.record_id)
        .limit(limit)
    ).all()
    return [dict(r._mapping) for r in rows]


def suspicious_over_time(conn: Connection, weeks: int = 26) -> list[tuple[str, dict[str, float]]]:
    """Messages rated medium or high per ISO week, the most recent `weeks` weeks with data."""
    rows = conn.execute(
        select(messages.c.sent_at, assessments.c.level)
        .select_from(
            messages.join(
                assessments,
                (assessments.c.record_id == messages.c.id) & (assessments.c.kind == "message"),
            )
        )
        .where(assessments.c.level.in_(("medium", "high")))
        .where(messages.c.sent_at.is_not(None))
    ).all()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for sent_at, level in rows:
        year, week, _ = sent_at.isocalendar()
        per[f"{year}-W{week:02d}"][level] += 1
    keys = sorted(per)[-weeks:]
    return [(k, {"medium": float(per[k]["medium"]), "high": float(per[k]["high"])}) for k in keys]


@dataclass
class Targeting:
    """Who suspicious messages went to: organisations and sectors, in total and per week."""

    organisations: list[tuple[str, int]]
    sectors: list[tuple[str, int]]
    sectors_by_week: list[tuple[str, dict[str, float]]]
    series: list[str]  # the sectors drawn over time (the most approached first)


def targeted(conn: Connection, limit: int = 10, scan: int = 5000, weeks: int = 26) -> Targeting:
    """Recipients of the `scan` most suspicious messages (medium or high), by employer and sector."""
    rows = conn.execute(
        select(messages.c.data, messages.c.sent_at)
        .select_from(
            messages.join(
                assessments,
                (assessments.c.record_id == messages.c.id) & (assessments.c.kind == "message"),
            )
        )
        .where(assessments.c.level.in_(("medium", "high")))
        .order_by(assessments.c.score.desc())
        .limit(scan)
    ).all()
    recipients: Counter[str] = Counter()
    for data, _ in rows:
        for r in data.get("recipients") or []:
            recipients[r] += 1
    if not recipients:
        return Targeting([], [], [], [])
    company: dict[str, str] = {}
    sector: dict[str, str] = {}
    ids = list(recipients)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(accounts.c.id, accounts.c.company, accounts.c.data).where(
                accounts.c.id.in_(chunk)
            )
        ).all():
            data = row.data or {}
            company[row.id] = row.company or "(unknown)"
            sector[row.id] = sector_of(row.company, data.get("headline"), data.get("title"))
    orgs: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    per_week: dict[str, Counter[str]] = defaultdict(Counter)
    for data, sent_at in rows:
        for r in data.get("recipients") or []:
            orgs[company.get(r, "(unknown)")] += 1
            sectors[sector.get(r, "other")] += 1
            if sent_at is not None:
                year, week, _ = sent_at.isocalendar()
                per_week[f"{year}-W{week:02d}"][sector.get(r, "other")] += 1
    series = [name for name, _ in sectors.most_common(5)]
    by_week = [
        (k, {name: float(per_week[k][name]) for name in series}) for k in sorted(per_week)[-weeks:]
    ]
    return Targeting(orgs.most_common(limit), sectors.most_common(limit), by_week, series)


def totals(conn: Connection) -> dict[str, int]:
    out = queries.count_records(conn)
    out["assessed"] = conn.execute(select(func.count()).select_from(assessments)).scalar_one()
    return out


def search_accounts(
    conn: Connection, q: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    query = (
        select(
            accounts.c.id,
            accounts.c.name,
            accounts.c.company,
            assessments.c.score,
            assessments.c.level,
        )
        .select_from(
            accounts.outerjoin(
                assessments,
                (assessments.c.record_id == accounts.c.id) & (assessments.c.kind == "account"),
            )
        )
        .order_by(assessments.c.score.desc().nulls_last(), accounts.c.id)
        .limit(limit)
        .offset(offset)
    )
    if q:
        like = f"%{like_escape(q.lower())}%"
        query = query.where(
            func.lower(accounts.c.name).like(like, escape="\\")
            | func.lower(accounts.c.company).like(like, escape="\\")
            | func.lower(accounts.c.id).like(like, escape="\\")
        )
    return [dict(r._mapping) for r in conn.execute(query).all()]


def like_escape(text: str) -> str:
    """`%`, `_` and the escape character itself match literally (search is a substring, not a pattern)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_messages(
    conn: Connection, sender: str | None, limit: int, offset: int, level: str | None = None
) -> list[dict[str, Any]]:
    query = (
        select(messages.c.data, assessments.c.score, assessments.c.level)
        .select_from(
            messages.outerjoin(
                assessments,
                (assessments.c.record_id == messages.c.id) & (assessments.c.kind == "message"),
            )
        )
        .order_by(assessments.c.score.desc().nulls_last(), messages.c.id)
        .limit(limit)
        .offset(offset)
    )
    if sender:
        query = query.where(messages.c.sender == sender)
    if level:
        query = query.where(assessments.c.level == level)
    return [{**r.data, "score": r.score, "level": r.level} for r in conn.execute(query).all()]


def names_of(conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.company).where(
                accounts.c.id.in_(chunk)
            )
        ).all():
            out[row.id] = {"name": row.name, "company": row.company}
    return out


def account_levels(conn: Connection, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            select(assessments.c.record_id, assessments.c.level).where(
                (assessments.c.kind == "account") & assessments.c.record_id.in_(chunk)
            )
        ).all()
        out.update({r.record_id: r.level for r in rows})
    return out
