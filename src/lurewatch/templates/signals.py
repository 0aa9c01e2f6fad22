"""`template.*` evidence: a standardised text sent to many people — weighed by what it says and who sends it.

Pure: template statistics in, evidence out. The engine plugin (`engine/plugins/templates.py`)
computes the statistics from the store and looks messages up; nothing here reads files or
databases.

How strong is "this text went to many people"? Mass mailing alone is not suspicious —
newsletters, recruiter tools and event invitations are templates too. The strength is the
product of four plain factors, each in [0, 1]:

- **reach**: how many distinct recipients got it: r / (r + 5) after the first recipient
  (1 → 0, 6 → 0.5, 21 → 0.8, 100 → 0.95);
- **senders**: one account 0.6, rising to 1.0 at five or more accounts sending the same text
  (several personas with one script is the campaign pattern of the threat model);
- **content**: 0.25 + 0.75 × the strongest lure evidence in the template's text (money for
  reports, free trips, moving to WhatsApp…): a mass text with no lure content stays weak;
- **senders' history**: 1 − 0.8 × the share of its senders with a long, ordinary history
  (account older than three years before the template's first use, 200+ connections or
  followers): a recruiter firm's long-standing staff using their tool do not make it suspicious.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register

MASS_SENT = "template.mass_sent"
ACCOUNT_MASS = "template.account_sends_mass_template"

register(
    SignalSpec(
        code=MASS_SENT,
        applies_to=("message",),
        description="The text was sent, nearly identical, to many recipients (a standardised approach); "
        "stronger with several senders and lure content, weaker for senders with a long ordinary history.",
        weight=0.55,
    ),
    SignalSpec(
        code=ACCOUNT_MASS,
        applies_to=("account",),
        description="The account sends a standardised text that reached many recipients, "
        "possibly shared with other accounts.",
        weight=0.5,
    ),
)

LEGIT_YEARS = 3
LEGIT_CONTACTS = 200


@dataclass(slots=True)
class Member:
    """What the statistics need from one message of a template."""

    message_id: str
    sender: str | None
    recipients: list[str]
    sent_at: datetime | None


@dataclass(slots=True)
class TemplateStats:
    template: str
    size: int
    senders: int
    recipients: int
    first_seen: datetime | None
    last_seen: datetime | None
    lure: float = 0.0
    legit_share: float = 0.0
    sender_ids: list[str] = field(default_factory=list)  # up to 50
    sample: str = ""  # the normalised text, for reviewers

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["first_seen"] = self.first_seen.isoformat() if self.first_seen else None
        out["last_seen"] = self.last_seen.isoformat() if self.last_seen else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemplateStats:
        def when(v: Any) -> datetime | None:
            return datetime.fromisoformat(v) if isinstance(v, str) else None

        return cls(
            template=str(data["template"]),
            size=int(data.get("size", 0)),
            senders=int(data.get("senders", 0)),
            recipients=int(data.get("recipients", 0)),
            first_seen=when(data.get("first_seen")),
            last_seen=when(data.get("last_seen")),
            lure=float(data.get("lure", 0.0)),
            legit_share=float(data.get("legit_share", 0.0)),
            sender_ids=list(data.get("sender_ids") or []),
            sample=str(data.get("sample") or ""),
        )


def build_stats(
    template: str,
    members: Iterable[Member],
    lure: float = 0.0,
    legit_senders: Iterable[str] = (),
    sample: str = "",
) -> TemplateStats:
    """Aggregates a template's messages: distinct senders and recipients, first and last use."""
    members = list(members)
    senders = sorted({m.sender for m in members if m.sender})
    recipients = {r for m in members for r in m.recipients}
    times = [m.sent_at for m in members if m.sent_at is not None]
    legit = set(legit_senders) & set(senders)
    return TemplateStats(
        template=template,
        size=len(members),
        senders=len(senders),
        # without recipient lists every message counts as one recipient reached
        recipients=len(recipients) if recipients else len(members),
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        lure=max(0.0, min(1.0, lure)),
        legit_share=len(legit) / len(senders) if senders else 0.0,
        sender_ids=senders[:50],
        sample=sample[:300],
    )


def is_legit_history(
    created_at: datetime | None, contacts: int | None, first_use: datetime | None
) -> bool:
    """A long, ordinary history: old account (3+ years before the template's first use) with 200+ contacts."""
    if created_at is None or first_use is None or contacts is None:
        return False
    if created_at.tzinfo is None or first_use.tzinfo is None:
        created_at, first_use = created_at.replace(tzinfo=None), first_use.replace(tzinfo=None)
    return (first_use - created_at).days >= 365 * LEGIT_YEARS and contacts >= LEGIT_CONTACTS


def strength(stats: TemplateStats) -> float:
    """reach × senders × content × history (see the module docstring)."""
    if stats.size < 2:
        return 0.0
    extra = max(stats.recipients - 1, 0)
    reach = extra / (extra + 5)
    senders = 0.6 + 0.4 * min(1.0, max(stats.senders - 1, 0) / 4)
    content = 0.25 + 0.75 * stats.lure
    history = 1.0 - 0.8 * stats.legit_share
    return max(0.0, min(1.0, reach * senders * content * history))


def describe(stats: TemplateStats) -> str:
    when = ""
    if stats.first_seen and stats.last_seen:
        when = f" between {stats.first_seen.date().isoformat()} and {stats.last_seen.date().isoformat()}"
    senders = f"{stats.senders} sender" + ("s" if stats.senders != 1 else "")
    text = (
        f"This text was sent, nearly identical, to {stats.recipients} recipients by {senders}{when} "
        f"({stats.size} messages in template {stats.template})."
    )
    if stats.lure >= 0.5:
        text += (
            " The template itself carries lure content (money, travel or a move off the platform)."
        )
    elif stats.lure < 0.2:
        text += (
            " The template carries little lure content, so mass sending alone counts for little."
        )
    if stats.legit_share >= 0.5:
        text += " Most of its senders have a long ordinary history, which lowers the concern."
    return text


def message_evidence(
    stats: TemplateStats | None, matched_jaccard: float | None = None
) -> list[Evidence]:
    """Evidence for one message that belongs to (or matches) a template; none for singletons."""
    if stats is None or stats.size < 2:
        return []
    values: dict[str, Any] = {
        "template": stats.template,
        "size": stats.size,
        "senders": stats.senders,
        "recipients": stats.recipients,
        "first_seen": stats.first_seen.isoformat() if stats.first_seen else None,
        "last_seen": stats.last_seen.isoformat() if stats.last_seen else None,
        "lure": round(stats.lure, 3),
        "legit_share": round(stats.legit_share, 3),
    }
    if matched_jaccard is not None:
        values["jaccard"] = round(matched_jaccard, 4)
    return [
        Evidence(MASS_SENT, round(strength(stats), 4), describe(stats), quote=None, values=values)
    ]


def account_evidence(account_id: str, templates: Iterable[TemplateStats]) -> list[Evidence]:
    """The strongest mass template an account sends (one piece of evidence, not one per template)."""
    best = max(templates, key=strength, default=None)
    if best is None or best.size < 2 or strength(best) <= 0:
        return []
    others = best.senders - 1 if account_id in best.sender_ids else best.senders
    shared = (
        f", together with {others} other account" + ("s" if others != 1 else "")
        if others > 0
        else ""
    )
    text = (
        f"This account sends a standardised text{shared}: template {best.template} reached "
        f"{best.recipients} recipients in {best.size} messages."
    )
    values = {
        "template": best.template,
        "size": best.size,
        "senders": best.senders,
        "recipients": best.recipients,
        "lure": round(best.lure, 3),
    }
    return [Evidence(ACCOUNT_MASS, round(strength(best), 4), text, values=values)]
