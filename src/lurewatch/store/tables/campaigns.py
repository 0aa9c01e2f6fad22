"""Campaigns found by linking accounts through shared artifacts (replaced on each run).

`campaigns` holds one summary per campaign; `campaign_members` says which account belongs
where and why; `campaign_artifacts` lists the shared artifacts, so "who else uses this
number?" is one query. Query functions are plain `fn(conn, …)`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    inspect,
    select,
)

from lurewatch.store.meta import Migration, metadata
from lurewatch.store.migrate import create_tables

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("flagged", Integer, nullable=False),
    Column("targets", Integer, nullable=False),
    Column("strength", Float, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("data", JSON, nullable=False),  # CampaignSummary.to_dict()
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

campaign_members = Table(
    "campaign_members",
    metadata,
    Column("campaign_id", String(40), primary_key=True),
    Column("account_id", String(512), primary_key=True, index=True),
    Column("flagged", Boolean, nullable=False),
    Column("reasons", JSON, nullable=False),
)

campaign_artifacts = Table(
    "campaign_artifacts",
    metadata,
    Column("campaign_id", String(40), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("value", String(512), primary_key=True, index=True),
    Column("label", Text),
    Column("accounts", JSON, nullable=False),
)

MIGRATIONS = [
    Migration(
        "0510_campaigns",
        create_tables(campaigns, campaign_members, campaign_artifacts),
        "campaigns linked through shared artifacts (issue 5)",
    ),
]


def has_tables(conn: Connection) -> bool:
    return inspect(conn).has_table("campaigns")


def replace_all(conn: Connection, summaries: list[dict[str, Any]], computed_at: Any) -> None:
    """Replaces every campaign with this run's (`CampaignSummary.to_dict()` each)."""
    from lurewatch.records import parse_datetime

    conn.execute(delete(campaign_artifacts))
    conn.execute(delete(campaign_members))
    conn.execute(delete(campaigns))
    rows, members, artifacts = [], [], []
    for s in summaries:
        rows.append(
            {
                "id": s["id"],
                "size": s["size"],
                "flagged": s["flagged"],
                "targets": s["targets"],
                "strength": s["strength"],
                "first_seen": parse_datetime(s.get("first_seen"), "first_seen"),
                "last_seen": parse_datetime(s.get("last_seen"), "last_seen"),
                "data": s,
                "computed_at": computed_at,
            }
        )
        for m in s["accounts"]:
            members.append(
                {
                    "campaign_id": s["id"],
                    "account_id": m["account"],
                    "flagged": bool(m["flagged"]),
                    "reasons": m["why"],
                }
            )
        for a in s["artifacts"]:
            artifacts.append(
                {
                    "campaign_id": s["id"],
                    "kind": a["kind"],
                    "value": a["value"][:512],
                    "label": a["label"],
                    "accounts": a["accounts"],
                }
            )
    for table, batch in (
        (campaigns, rows),
        (campaign_members, members),
        (campaign_artifacts, artifacts),
    ):
        for start in range(0, len(batch), 1000):
            conn.execute(table.insert(), batch[start : start + 1000])


def list_campaigns(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(campaigns.c.data).order_by(
            campaigns.c.flagged.desc(), campaigns.c.size.desc(), campaigns.c.id
        )
    )
    return [dict(r.data) for r in rows]


def get_campaign(conn: Connection, campaign_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(campaigns.c.data).where(campaigns.c.id == campaign_id)).first()
    return dict(row.data) if row else None


def campaigns_of(conn: Connection) -> dict[str, str]:
    """account id -> campaign id."""
    return {
        r.account_id: r.campaign_id
        for r in conn.execute(select(campaign_members.c.account_id, campaign_members.c.campaign_id))
    }
