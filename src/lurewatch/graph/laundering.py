"""The laundering path behind an early warning: whom an outside account befriended first, and who followed.

Credibility laundering (threat model): a cover profile connects to one or two members of an
organisation, then their colleagues accept it because it already shares contacts with them.
For the organisation the useful warning names that path — "X first connected to A and B of your
Research department; 9 of their colleagues accepted within 12 days, each seeing 2+ shared
contacts" — and the members to warn next: staff it has not reached yet who already know two or
more of the staff it has. Pure: dated contacts and who-knows-whom in, a path and a sentence out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from lurewatch.graph.targeting import Contact

ACCEPTED = {"accepted", "connected"}


@dataclass(slots=True)
class Follower:
    member: str
    at: datetime
    shared: int  # the account's earlier staff contacts this member already knew when accepting


@dataclass(slots=True)
class LaunderingPath:
    account: str
    entry: list[str]  # staff it reached before anyone could see a shared contact
    followers: list[Follower]  # staff who accepted while already sharing contacts with it
    department: str | None  # the entry contacts' department, when the staff list says
    first: datetime
    last: datetime
    to_warn: list[str] = field(default_factory=list)  # not reached yet, know ≥ 2 of those reached

    @property
    def days(self) -> float:
        return (self.last - self.first).total_seconds() / 86400

    @property
    def min_shared(self) -> int:
        return min((f.shared for f in self.followers), default=0)

    def sentence(self, label: Callable[[str], str] = str, show: int = 3) -> str:
        """The organisation's words; `label` turns an account id into a display name."""
        who = ", ".join(label(m) for m in self.entry[:show])
        if len(self.entry) > show:
            who += f" and {len(self.entry) - show} more"
        elif len(self.entry) > 1:
            head, _, tail = who.rpartition(", ")
            who = f"{head} and {tail}"
        where = f" of your {self.department} department" if self.department else " of your staff"
        days = max(1, round(self.days))
        text = (
            f"{label(self.account)} first connected to {who}{where}; "
            f"{len(self.followers)} of their colleagues accepted within {days} day{'s' if days != 1 else ''}, "
            f"each seeing {self.min_shared}+ shared contact{'s' if self.min_shared != 1 else ''}"
        )
        if self.to_warn:
            names = ", ".join(label(m) for m in self.to_warn[:5])
            more = f" and {len(self.to_warn) - 5} more" if len(self.to_warn) > 5 else ""
            text += f"; warn {names}{more}, who already share 2+ contacts with it"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "entry": list(self.entry),
            "followers": [
                {"member": f.member, "at": f.at.isoformat(), "shared": f.shared}
                for f in self.followers
            ],
            "department": self.department,
            "days": round(self.days, 2),
            "min_shared": self.min_shared,
            "to_warn": list(self.to_warn),
        }


def laundering_path(
    account: str,
    contacts: Iterable[Contact],
    staff: Mapping[str, str | None],
    knows: Callable[[str], Iterable[str]],
    *,
    min_followers: int = 2,
    max_warn: int = 50,
) -> LaunderingPath | None:
    """The path by which `account` spread through `staff` (None when nobody followed through shared contacts).

    `contacts`: the account's dated outreach (only accepted invitations and connections count);
    `knows(member)`: the member's own contacts (the connection graph). A member who accepted while
    knowing none of the account's earlier staff contacts is an entry point; one who knew at least
    one is a follower. `min_followers` followers at least make a path.
    """
    dated = sorted(
        (c.at, c.recipient)
        for c in contacts
        if c.at is not None and c.recipient in staff and c.outcome in ACCEPTED
    )
    reached: list[str] = []
    seen: set[str] = set()
    entry: list[str] = []
    followers: list[Follower] = []
    for at, member in dated:
        if member in seen:
            continue
        shared = sum(1 for k in set(knows(member)) if k in seen)
        (followers.append(Follower(member, at, shared)) if shared else entry.append(member))
        seen.add(member)
        reached.append(member)
    if not entry or len(followers) < min_followers:
        return None
    departments = Counter(staff[m] for m in entry if staff.get(m) is not None)
    department = departments.most_common(1)[0][0] if departments else None
    if department is None:
        departments = Counter(staff[m] for m in reached if staff.get(m) is not None)
        department = departments.most_common(1)[0][0] if departments else None
    # Next targets: staff not reached yet who already know two or more of those it reached.
    near: Counter[str] = Counter()
    for member in reached:
        for k in set(knows(member)):
            if k in staff and k not in seen and k != account:
                near[k] += 1
    to_warn = [m for m, c in sorted(near.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2]
    return LaunderingPath(
        account=account,
        entry=entry,
        followers=followers,
        department=department,
        first=dated[0][0],
        last=dated[-1][0],
        to_warn=to_warn[:max_warn],
    )
