"""Linking accounts into campaigns through shared artifacts, with care for common ones.

An artifact is anything two personas of one operation tend to share: a message template,
a (near-)identical avatar, a published front company, a phone/WhatsApp number, a Telegram or
WeChat id, an e-mail address, a URL. Accounts holding the same artifact are joined
(union-find); a campaign is a connected group of two or more accounts.

The danger is the common artifact: a big recruiter's careers URL, a newsletter template
used by a thousand legitimate senders, a stock photo. One of those would merge everyone.
So an artifact links its holders only if it is *rare or suspicious*:

- never when more than `max_common` accounts hold it (200 by default): that is
  infrastructure, not a campaign;
- a template whose senders mostly have long ordinary histories never links;
- otherwise it links when at most `rare` accounts hold it (10), or when at least
  `min_flagged_share` of its holders (30 %) are already flagged (a watchlist hit, a lure
  template, a medium/high assessment) — a shared script among flagged personas is exactly
  what a campaign looks like, however many personas there are.

Weights per kind say how much one shared artifact means on its own (a shared phone number
is near proof of one operator; a shared URL is weaker) and feed the membership evidence.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

KIND_WEIGHT: dict[str, float] = {
    "phone": 1.0,
    "email": 1.0,
    "telegram": 1.0,
    "wechat": 1.0,
    "watchlist": 1.0,
    "avatar": 0.9,
    "template": 0.8,
    "url": 0.6,
}
KIND_LABEL: dict[str, str] = {
    "phone": "phone/WhatsApp number",
    "email": "e-mail address",
    "telegram": "Telegram account",
    "wechat": "WeChat id",
    "watchlist": "published front company",
    "avatar": "profile photo (perceptual hash)",
    "template": "message template",
    "url": "URL",
}


@dataclass(frozen=True, slots=True)
class Artifact:
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Holding:
    """Account `account` holds `artifact`; `reason` says where we saw it (for the summary)."""

    account: str
    artifact: Artifact
    reason: str
    label: str = ""  # how it was written (a number as typed, a company name)


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    rare: int = 10
    max_common: int = 200
    min_flagged_share: float = 0.3


@dataclass
class CampaignCore:
    """A linked group: its accounts, the artifacts that linked them and why each account belongs."""

    id: str
    accounts: list[str]
    artifacts: dict[Artifact, list[str]]  # linking artifact -> its holders in this campaign
    reasons: dict[str, list[str]] = field(default_factory=dict)  # account -> sentences
    labels: dict[Artifact, str] = field(default_factory=dict)

    def strength(self) -> float:
        return max((KIND_WEIGHT.get(a.kind, 0.5) for a in self.artifacts), default=0.0)


def linking_artifacts(
    holdings: Iterable[Holding],
    flagged: set[str],
    policy: LinkPolicy = LinkPolicy(),
    legit_templates: set[str] | None = None,
) -> dict[Artifact, set[str]]:
    """The artifacts that are allowed to link (see the module docstring), with their holders."""
    holders: dict[Artifact, set[str]] = defaultdict(set)
    for h in holdings:
        holders[h.artifact].add(h.account)
    legit_templates = legit_templates or set()
    out = {}
    for art, accounts in holders.items():
        n = len(accounts)
        if n < 2 or n > policy.max_common:
            continue
        if art.kind == "template" and art.value in legit_templates:
            continue
        share = len(accounts & flagged) / n
        if n <= policy.rare or share >= policy.min_flagged_share:
            out[art] = accounts
    return out


def campaign_id(accounts: Iterable[str]) -> str:
    """Stable id: a hash of the smallest member account id."""
    return "C" + hashlib.blake2b(min(accounts).encode("utf-8"), digest_size=5).hexdigest()


def link(
    holdings: Iterable[Holding],
    flagged: set[str] | None = None,
    policy: LinkPolicy = LinkPolicy(),
    legit_templates: set[str] | None = None,
) -> list[CampaignCore]:
    """Campaigns (two or more linked accounts), largest first."""
    holdings = list(holdings)
    flagged = flagged or set()
    links = linking_artifacts(holdings, flagged, policy, legit_templates)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for accounts in links.values():
        first, *rest = sorted(accounts)
        for other in rest:
            ra, rb = find(first), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for acc in parent:
        groups[find(acc)].append(acc)
    labels: dict[Artifact, str] = {}
    reasons_all: dict[tuple[str, Artifact], list[str]] = defaultdict(list)
    for h in holdings:
        if h.artifact in links:
            labels.setdefault(h.artifact, h.label or h.artifact.value)
            if len(reasons_all[(h.account, h.artifact)]) < 3:
                reasons_all[(h.account, h.artifact)].append(h.reason)
    # Every holder of a linking artifact ended in one group: give each group its artifacts
    # directly (in `links` order), rather than testing every artifact against every group.
    arts_of: dict[str, dict[Artifact, list[str]]] = defaultdict(dict)
    for art, accs in links.items():
        arts_of[find(next(iter(accs)))][art] = sorted(accs)
    out = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        members = sorted(members)
        arts = arts_of.get(root, {})
        lines_of: dict[str, list[str]] = {acc: [] for acc in members}
        for art, holders in sorted(
            arts.items(), key=lambda kv: (-KIND_WEIGHT.get(kv[0].kind, 0.5), kv[0].value)
        ):
            others = len(holders) - 1
            for acc in holders:
                where = "; ".join(reasons_all.get((acc, art), [])[:2])
                lines_of[acc].append(
                    f"shares the {KIND_LABEL.get(art.kind, art.kind)} {labels.get(art, art.value)} "
                    f"with {others} other account{'s' if others != 1 else ''}"
                    + (f" ({where})" if where else "")
                )
        reasons: dict[str, list[str]] = lines_of
        out.append(
            CampaignCore(
                campaign_id(members),
                members,
                arts,
                reasons,
                {a: labels.get(a, a.value) for a in arts},
            )
        )
    return sorted(out, key=lambda c: (-len(c.accounts), c.id))


MAX_HAMMING_HASHES = 20_000  # above this many distinct hashes, only identical hashes link


def avatar_holdings(phashes: Mapping[str, str], max_distance: int = 8) -> list[Holding]:
    """Accounts whose avatar perceptual hashes (16 hex chars) are within `max_distance` bits.

    Identical hashes group first (the avatar stage already gives every copy of one photo
    its group's canonical hash); the distinct hashes are then compared all against all
    (vectorised XOR + popcount, union-find over close pairs) when there are at most
    MAX_HAMMING_HASHES of them. Each group becomes one artifact named after its smallest hash.
    """
    by_value: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for acc, hx in phashes.items():
        try:
            by_value[int(str(hx), 16) & 0xFFFFFFFFFFFFFFFF].append((acc, str(hx).lower()))
        except ValueError:
            continue  # not a hash: skip, never crash on odd rows
    keys = list(by_value)
    parent = list(range(len(keys)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if 2 <= len(keys) <= MAX_HAMMING_HASHES and max_distance > 0:
        values = np.array(keys, dtype=np.uint64)
        for i in range(len(keys) - 1):
            x = values[i + 1 :] ^ values[i]
            dist = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
            for j in np.nonzero(dist <= max_distance)[0].tolist():
                a, b = find(i), find(i + 1 + j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[find(i)].extend(by_value[key])
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        name = min(hx for _, hx in members)
        for acc, hx in members:
            out.append(Holding(acc, Artifact("avatar", name), f"avatar hash {hx}", name))
    return out
