"""What an analyst reads about a campaign: who, whom, when, through what, and why each account is in.

Targets are the recipients of the members' messages and invitations; their organisations
and sectors come from the target accounts' company and headline (a campaign concentrated on
one ministry or on nuclear research is the targeting pattern of the threat model).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lurewatch.campaigns.linking import KIND_LABEL, CampaignCore

SECTORS: dict[str, str] = {
    "government": r"ministry|minist[eè]re|ministerium|government|civil serv|embassy|parliament|federal|"
    r"state department|public administration|beh[öo]rde|bundes",
    "defence": r"defen[cs]e|d[ée]fense|military|armed forces|army|navy|air force|bundeswehr|verteidigung",
    "nuclear and energy": r"nuclear|nucl[ée]aire|energy|[ée]nergie|atom|reactor|grid",
    "research and academia": r"universit|research|professor|lecturer|phd|institute|laborator|think tank|fellow",
    "health": r"health|medical|hospital|pharma|biotech|clinic",
    "computing and telecoms": r"software|computing|cyber|telecom|network engineer|semiconductor|\bai\b|data scien",
    "aerospace": r"aerospace|aviation|space agency|satellite|a[ée]ronautique",
    "finance": r"bank|finance|investment|fund manager",
}
_SECTOR_RE = {name: re.compile(pattern, re.I) for name, pattern in SECTORS.items()}


def sector_of(company: str | None, headline: str | None) -> str | None:
    text = " ".join(t for t in (company, headline) if t)
    for name, pattern in _SECTOR_RE.items():
        if pattern.search(text):
            return name
    return None


@dataclass(frozen=True, slots=True)
class Target:
    account: str
    company: str | None = None
    headline: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """One message or invitation from a member to a target."""

    sender: str
    recipient: str
    at: datetime | None


@dataclass
class CampaignSummary:
    id: str
    accounts: list[dict[str, Any]]  # {account, name, flagged, why: [sentences]}
    artifacts: list[dict[str, Any]]  # {kind, kind_label, value, label, accounts}
    flagged: int
    targets: int
    target_sample: list[str] = field(default_factory=list)
    organisations: list[tuple[str, int]] = field(default_factory=list)
    sectors: list[tuple[str, int]] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    strength: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": len(self.accounts),
            "flagged": self.flagged,
            "targets": self.targets,
            "target_sample": self.target_sample,
            "organisations": [list(x) for x in self.organisations],
            "sectors": [list(x) for x in self.sectors],
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "strength": round(self.strength, 4),
            "accounts": self.accounts,
            "artifacts": self.artifacts,
        }

    def headline(self) -> str:
        span = ""
        if self.first_seen and self.last_seen:
            span = f", active {self.first_seen.date().isoformat()} to {self.last_seen.date().isoformat()}"
        kinds = sorted({a["kind_label"] for a in self.artifacts})
        orgs = ", ".join(f"{o} ({n})" for o, n in self.organisations[:3])
        return (
            f"{len(self.accounts)} accounts ({self.flagged} flagged) reached {self.targets} targets{span}; "
            f"linked through {', '.join(kinds)}" + (f"; targets at {orgs}" if orgs else "")
        )


def summarize(
    core: CampaignCore,
    contacts: Iterable[Contact],
    targets: Mapping[str, Target],
    names: Mapping[str, str | None],
    flagged: set[str],
) -> CampaignSummary:
    members = set(core.accounts)
    reached: dict[str, None] = {}
    times: list[datetime] = []
    for c in contacts:
        if c.sender in members and c.recipient not in members:
            reached.setdefault(c.recipient)
            if c.at is not None:
                times.append(c.at)
    orgs: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    for rid in reached:
        t = targets.get(rid)
        if t is None:
            continue
        if t.company:
            orgs[t.company.strip()] += 1
        sector = sector_of(t.company, t.headline)
        if sector:
            sectors[sector] += 1
    accounts = [
        {
            "account": a,
            "name": names.get(a),
            "flagged": a in flagged,
            "why": core.reasons.get(a, []),
        }
        for a in core.accounts
    ]
    artifacts = [
        {
            "kind": art.kind,
            "kind_label": KIND_LABEL.get(art.kind, art.kind),
            "value": art.value,
            "label": core.labels.get(art, art.value),
            "accounts": accs,
        }
        for art, accs in sorted(
            core.artifacts.items(), key=lambda kv: (-len(kv[1]), kv[0].kind, kv[0].value)
        )
    ]
    return CampaignSummary(
        id=core.id,
        accounts=accounts,
        artifacts=artifacts,
        flagged=len(members & flagged),
        targets=len(reached),
        target_sample=list(reached)[:20],
        organisations=orgs.most_common(10),
        sectors=sectors.most_common(5),
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        strength=core.strength(),
    )
