"""`campaign.member`: the account is linked to other accounts through shared artifacts.

Pure: a campaign summary in, evidence out. Strength = how much the link means (the strongest
linking artifact: a shared phone number 1.0, a template 0.8, a URL 0.6) × how suspicious the
rest of the campaign is: 0.3 when no other member is flagged (a shared handle between two
accounts is worth a look, not more), 0.6 with one flagged member, 0.8 with two, 0.9 with
three or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register

MEMBER = "campaign.member"

register(
    SignalSpec(
        code=MEMBER,
        applies_to=("account",),
        description="The account is linked to other accounts (a campaign) through shared templates, "
        "photos, front companies or contact handles; stronger when other members are flagged.",
        weight=0.6,
    )
)

_BY_FLAGGED = (0.3, 0.6, 0.8, 0.9)


def member_strength(link_strength: float, flagged_others: int) -> float:
    return round(max(0.0, min(1.0, link_strength)) * _BY_FLAGGED[min(max(flagged_others, 0), 3)], 4)


@dataclass(frozen=True, slots=True)
class Roster:
    """A campaign's members by account and how many are flagged: computed once per campaign,
    so that evidence for each of N members costs O(1), not O(N)."""

    members: dict[str, dict[str, Any]]
    flagged: int

    @classmethod
    def of(cls, campaign: dict[str, Any]) -> Roster:
        members = {m["account"]: m for m in campaign.get("accounts", [])}
        return cls(members, sum(1 for m in members.values() if m.get("flagged")))


def member_evidence(
    account_id: str, campaign: dict[str, Any], roster: Roster | None = None
) -> list[Evidence]:
    """Evidence from a stored campaign summary (`CampaignSummary.to_dict()`) for one member."""
    roster = roster or Roster.of(campaign)
    members = roster.members
    me = members.get(account_id)
    if me is None:
        return []
    flagged_others = roster.flagged - (1 if me.get("flagged") else 0)
    size = len(members)
    why = "; ".join(me.get("why", [])[:3])
    text = (
        f"Member of campaign {campaign['id']} with {size} accounts, {flagged_others} other"
        f"{'s' if flagged_others != 1 else ''} flagged; it reached {campaign.get('targets', 0)} targets. "
        f"Why this account belongs: {why or 'linked through shared artifacts'}."
    )
    values = {
        "campaign": campaign["id"],
        "size": size,
        "flagged_others": flagged_others,
        "targets": campaign.get("targets", 0),
        "artifacts": [f"{a['kind']}:{a['label']}" for a in campaign.get("artifacts", [])[:10]],
    }
    strength = member_strength(float(campaign.get("strength", 0.5)), flagged_others)
    return [Evidence(MEMBER, strength, text, values=values)]
