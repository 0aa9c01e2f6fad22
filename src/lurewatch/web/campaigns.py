"""Campaign and account pictures for the pages: members, artifacts, targets, and a network layout.

The campaign tables belong to the campaigns capability; they are read by reflection so the
web works (showing less) when they are absent or their columns differ slightly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, select

from lurewatch.store import queries
from lurewatch.web import charts, data

MAX_TARGETS = 40


def _col(table: Table, *names: str) -> Any:
    for name in names:
        if name in table.c:
            return table.c[name]
    return None


def campaign_detail(
    conn: Connection, optional: data.OptionalTables, campaign_id: str
) -> dict[str, Any] | None:
    table = optional.get(conn, "campaigns")
    if table is None:
        return None
    key = _col(table, "id", "campaign_id")
    if key is None:
        return None
    try:
        typed_id: Any = (
            int(campaign_id) if str(key.type).upper().startswith(("INT", "BIGINT")) else campaign_id
        )
    except ValueError:
        return None
    row = conn.execute(select(table).where(key == typed_id)).first()
    if row is None:
        return None
    out: dict[str, Any] = {
        "campaign": data._plain(dict(row._mapping)),
        "members": [],
        "artifacts": [],
    }
    members_t = optional.get(conn, "campaign_members")
    if members_t is not None and (fk := _col(members_t, "campaign_id", "campaign")) is not None:
        out["members"] = [
            data._plain(dict(r._mapping))
            for r in conn.execute(select(members_t).where(fk == typed_id).limit(500)).all()
        ]
    artifacts_t = optional.get(conn, "campaign_artifacts")
    if artifacts_t is not None and (fk := _col(artifacts_t, "campaign_id", "campaign")) is not None:
        out["artifacts"] = [
            data._plain(dict(r._mapping))
            for r in conn.execute(select(artifacts_t).where(fk == typed_id).limit(500)).all()
        ]
    member_ids = [
        str(m.get("account_id") or m.get("account") or m.get("member") or "")
        for m in out["members"]
    ]
    member_ids = [m for m in member_ids if m]
    targets: dict[str, set[str]] = {}
    for m in member_ids[:50]:
        for t in queries.recipients_of(conn, m)[:MAX_TARGETS]:
            targets.setdefault(t, set()).add(m)
    order = {m: i for i, m in enumerate(member_ids)}
    out["targets"] = sorted(targets, key=lambda t: (-len(targets[t]), t))
    # on the picture, place each target next to the member that reached it first (fewer crossings)
    drawn = sorted(
        out["targets"][:MAX_TARGETS], key=lambda t: (min(order.get(m, 0) for m in targets[t]), t)
    )
    out["timeline"] = _timeline(conn, member_ids[:50])
    out["network"] = _picture(
        conn,
        ["campaign"],
        member_ids,
        drawn,
        targets,
        center_label=str(out["campaign"].get("name") or f"campaign {campaign_id}"),
    )
    return out


def _timeline(conn: Connection, member_ids: list[str]) -> list[tuple[str, dict[str, float]]]:
    """Messages the members sent per ISO week, split by their assessed level."""
    from collections import Counter, defaultdict

    per: dict[str, Counter[str]] = defaultdict(Counter)
    for account_id in member_ids:
        sent = queries.messages_by_sender(conn, account_id, limit=2000)
        for m in sent:
            if m.sent_at is None:
                continue
            found = queries.get_assessment(conn, "message", m.id)
            year, week, _ = m.sent_at.isocalendar()
            per[f"{year}-W{week:02d}"][found.level if found else "low"] += 1
    return [
        (k, {lvl: float(per[k][lvl]) for lvl in ("low", "medium", "high")})
        for k in sorted(per)[-52:]
    ]


def _picture(
    conn: Connection,
    center: list[str],
    ring1: list[str],
    ring2: list[str],
    ring2_links: dict[str, set[str]],
    center_label: str,
) -> dict[str, Any]:
    names = data.names_of(conn, ring1 + ring2)
    levels = data.account_levels(conn, ring1 + ring2)
    labels = {n: (names.get(n, {}).get("name") or n) for n in ring1 + ring2}
    labels[center[0]] = center_label
    kinds = {n: f"level-{levels.get(n, 'none')}" for n in ring1 + ring2}
    kinds[center[0]] = "center"
    links = [(center[0], m) for m in ring1] + [
        (m, t) for t in ring2 for m in ring2_links.get(t, ())
    ]
    return charts.network(center, [ring1, ring2], links, labels, kinds)


def account_neighbourhood(conn: Connection, account_id: str) -> dict[str, Any]:
    """The account, the people it approached or is connected to, as a radial picture."""
    approached = queries.recipients_of(conn, account_id)[:MAX_TARGETS]
    connected = []
    for e in queries.edges_of(conn, account_id, limit=500):
        other = e.dst if e.src == account_id else e.src
        if other not in approached and other not in connected:
            connected.append(other)
    ring = (approached + connected)[:MAX_TARGETS]
    names = data.names_of(conn, ring + [account_id])
    levels = data.account_levels(conn, ring + [account_id])
    labels = {n: (names.get(n, {}).get("name") or n) for n in ring + [account_id]}
    kinds = {
        n: ("approached" if n in approached else f"level-{levels.get(n, 'none')}") for n in ring
    }
    kinds[account_id] = f"center level-{levels.get(account_id, 'none')}"
    return charts.network(
        [account_id], [ring], [(account_id, n) for n in ring], labels, kinds, size=460
    )
