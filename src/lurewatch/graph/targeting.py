"""Targeting analysis: who an account reaches out to, and how concentrated that is.

Cover operations spray one approach at one ministry, one sector or people holding clearances
(threat model, step 3). Here: the organisations, sectors and clearance holders among an account's
invitees and contacts, its acceptance rate, and the early warning an organisation wants —
"account X has connected with 7 of your staff in 10 days, 5 of them in the same department".
Pure: records in, numbers and sentences out.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lurewatch.records import Account

# Keyword map (en/fr/de stems) on company, headline and title; word-start matches, casefolded.
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "health": (
        "health",
        "hospital",
        "clinic",
        "medical",
        "medicine",
        "pharma",
        "biotech",
        "vaccin",
        "santé",
        "sante",
        "hôpital",
        "krankenhaus",
        "gesundheit",
        "nhs",
    ),
    "computing": (
        "software",
        "computing",
        "computer",
        "informatique",
        "informatik",
        "cyber",
        "semiconductor",
        "chip",
        "ai ",
        "artificial intelligence",
        "machine learning",
        "data scien",
        "cloud",
        "it ",
    ),
    "nuclear": (
        "nuclear",
        "nucléaire",
        "nucleaire",
        "atomic",
        "atomique",
        "kern",
        "reactor",
        "réacteur",
        "cea",
        "edf",
        "orano",
        "framatome",
        "iaea",
        "euratom",
        "fusion",
    ),
    "nanotechnology": ("nano",),
    "telecoms": (
        "telecom",
        "télécom",
        "telekom",
        "5g",
        "6g",
        "network operator",
        "mobile operator",
        "wireless",
        "satellite",
        "fibre",
        "fiber",
    ),
    "defence": (
        "defence",
        "defense",
        "défense",
        "military",
        "militaire",
        "army",
        "navy",
        "air force",
        "armée",
        "bundeswehr",
        "verteidigung",
        "rüstung",
        "weapon",
        "missile",
        "aerospace",
        "nato",
        "otan",
        "mod ",
        "dga",
        "thales",
        "bae systems",
        "rheinmetall",
        "airbus defence",
        "lockheed",
        "raytheon",
        "naval group",
        "mbda",
    ),
    "government": (
        "government",
        "ministry",
        "minister",
        "ministère",
        "ministere",
        "ministerium",
        "civil servant",
        "civil service",
        "fonctionnaire",
        "beamte",
        "parliament",
        "parlement",
        "bundestag",
        "embassy",
        "ambassade",
        "botschaft",
        "diplomat",
        "foreign office",
        "cabinet office",
        "state department",
        "home office",
        "senate",
        "sénat",
        "mp ",
        "mep",
        "council",
        "préfecture",
        "prefecture",
        "agency",
        "agence",
        "bundesamt",
    ),
}
CLEARANCE_KEYWORDS: tuple[str, ...] = (
    "clearance",
    "cleared",
    "ts/sci",
    "top secret",
    "secret défense",
    "secret defense",
    "habilité",
    "habilitation",
    "sc cleared",
    "dv cleared",
    "developed vetting",
    "security vetted",
    "sicherheitsüberprüf",
    "verschlusssache",
    "polygraph",
)
_LEGAL_SUFFIX = re.compile(
    r"\b(ltd|limited|inc|incorporated|llc|plc|gmbh|ag|sa|sas|sarl|corp|corporation|co|company|group|bv|nv|srl|spa)\b\.?",
    re.I,
)
_PUNCT = re.compile(r"[^\w\s]")


def _profile_text(account: Account) -> str:
    parts = [account.company, account.headline, account.title]
    parts.extend(e.title or "" for e in account.experiences[:1])
    parts.extend(e.company or "" for e in account.experiences[:1])
    return " " + " ".join(p for p in parts if p).casefold() + " "


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _has_keyword(text: str, keyword: str) -> bool:
    """`keyword` starts a word in `text` (and, for short acronyms written with a trailing space, ends one).

    A plain substring search first (fast in C); the word-boundary check only where it hits.
    """
    whole = keyword.endswith(" ")
    word = keyword.strip()
    at = text.find(word)
    while at != -1:
        if at == 0 or not _is_word_char(text[at - 1]):
            end = at + len(word)
            if not whole or end >= len(text) or not _is_word_char(text[end]):
                return True
        at = text.find(word, at + 1)
    return False


def sectors_of(account: Account) -> set[str]:
    """Sectors named by the account's company, headline or title (keyword map, may be several)."""
    return set(_sectors_of_text(_profile_text(account)))


@functools.lru_cache(maxsize=65536)
def _sectors_of_text(text: str) -> tuple[str, ...]:
    # memoised: a member is a recipient of many senders, and profiles repeat (same company and
    # title); the keyword scan was a quarter of `analyze` on a 2,000-account feed
    # (a tuple in keyword-map order: the set built from it is the one built before)
    return tuple(
        sector
        for sector, words in SECTOR_KEYWORDS.items()
        if any(_has_keyword(text, w) for w in words)
    )


def holds_clearance(account: Account) -> bool:
    """Whether the profile says the member holds (or held) a security clearance."""
    text = _profile_text(account) + " " + (account.about or "").casefold()
    return any(_has_keyword(text, w) for w in CLEARANCE_KEYWORDS)


def org_key(company: str | None) -> str | None:
    """A comparable organisation name: casefolded, punctuation and legal suffixes dropped."""
    if not company:
        return None
    text = _LEGAL_SUFFIX.sub(" ", _PUNCT.sub(" ", company.casefold().replace(".", "")))
    text = " ".join(text.split())
    return text or None


@dataclass(slots=True)
class Contact:
    """One outreach from an account: to whom, when, and what came of it."""

    recipient: str
    at: datetime | None = None
    outcome: str | None = (
        None  # "accepted" | "ignored" | "reported" | "connected" | None (pending / message)
    )


@dataclass(slots=True)
class Concentration:
    name: str  # organisation, sector or "clearance holders"
    count: int  # distinct recipients in it
    total: int  # distinct recipients with a known value
    base_rate: float  # its share among all known accounts (what random outreach would give)

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def lift(self) -> float:
        return self.share / self.base_rate if self.base_rate > 0 else 0.0


@dataclass(slots=True)
class TargetingProfile:
    recipients: int
    organisation: Concentration | None = None
    sector: Concentration | None = None
    clearance: Concentration | None = None
    acceptance: float | None = None  # accepted / answered, None when nothing answered
    answered: int = 0
    first: datetime | None = None
    last: datetime | None = None
    sectors: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Population:
    """Base rates over all known accounts: how common each organisation, sector and clearance is."""

    org_share: dict[str, float]
    sector_share: dict[str, float]
    clearance_share: float
    org_names: dict[str, str]  # org key → a display name

    @classmethod
    def from_accounts(cls, accounts: Iterable[Account]) -> Population:
        orgs: Counter[str] = Counter()
        names: dict[str, str] = {}
        sectors: Counter[str] = Counter()
        cleared = 0
        total = 0
        for account in accounts:
            total += 1
            key = org_key(account.company)
            if key:
                orgs[key] += 1
                names.setdefault(key, account.company or key)
            for sector in sectors_of(account):
                sectors[sector] += 1
            cleared += holds_clearance(account)
        known = sum(orgs.values())
        return cls(
            org_share={k: v / known for k, v in orgs.items()} if known else {},
            sector_share={k: v / total for k, v in sectors.items()} if total else {},
            clearance_share=cleared / total if total else 0.0,
            org_names=names,
        )


def profile_targets(
    contacts: list[Contact], accounts: Mapping[str, Account], population: Population
) -> TargetingProfile:
    """Concentration of one account's outreach on an organisation, a sector and clearance holders."""
    recipients = {c.recipient for c in contacts}
    orgs: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    cleared = 0
    known_org = 0
    known = 0
    for rid in recipients:
        account = accounts.get(rid)
        if account is None:
            continue
        known += 1
        key = org_key(account.company)
        if key:
            known_org += 1
            orgs[key] += 1
        for sector in sectors_of(account):
            sectors[sector] += 1
        cleared += holds_clearance(account)
    answered = [c for c in contacts if c.outcome in {"accepted", "ignored", "reported"}]
    accepted = sum(c.outcome == "accepted" for c in answered)
    times = sorted(c.at for c in contacts if c.at is not None)
    profile = TargetingProfile(
        recipients=len(recipients),
        acceptance=accepted / len(answered) if answered else None,
        answered=len(answered),
        first=times[0] if times else None,
        last=times[-1] if times else None,
        sectors=dict(sectors),
    )
    if orgs:
        key, count = orgs.most_common(1)[0]
        profile.organisation = Concentration(
            population.org_names.get(key, key), count, known_org, population.org_share.get(key, 0.0)
        )
    if sectors:
        name, count = sectors.most_common(1)[0]
        profile.sector = Concentration(name, count, known, population.sector_share.get(name, 0.0))
    if cleared:
        profile.clearance = Concentration(
            "clearance holders", cleared, known, population.clearance_share
        )
    return profile


def concentration_strength(c: Concentration | None, min_count: int = 3) -> float:
    """How strongly outreach concentrates beyond chance, in [0, 1].

    The smoothed share (two pseudo-recipients elsewhere) scaled by how far it exceeds the base rate:
    5 of 6 invitees at one ministry that holds 1% of members is strong; 2 of 2 is not yet.
    """
    if c is None or c.count < min_count:
        return 0.0
    share = c.count / (c.total + 2)
    excess = max(0.0, share - c.base_rate) / (1.0 - c.base_rate) if c.base_rate < 1 else 0.0
    return float(min(1.0, excess))


@dataclass(slots=True)
class EarlyWarning:
    account: str
    organisation: str
    staff: int  # distinct staff reached inside the window
    days: int  # the window length
    same_department: int  # the most of them in one department
    department: str | None
    first: datetime
    last: datetime
    staff_ids: list[str] = field(default_factory=list)

    def sentence(self, account_label: str | None = None) -> str:
        who = account_label or self.account
        text = f"account {who} has connected with {self.staff} of your staff in {self.days} days"
        if self.department is not None and self.same_department >= 2:
            text += f", {self.same_department} of them in the same department ({self.department})"
        return text


def early_warnings(
    organisation: str,
    staff: Mapping[str, str | None],
    contacts: Mapping[str, list[Contact]],
    *,
    window_days: int = 10,
    min_staff: int = 5,
) -> list[EarlyWarning]:
    """Accounts (not staff themselves) that reached at least `min_staff` staff within `window_days`.

    `staff` maps a staff member's account id to their department (None when unknown); `contacts`
    maps an outside account to its dated outreach (invitations, accepted connections, messages).
    The busiest window per account is reported; the strongest warnings come first.
    """
    window = timedelta(days=window_days)
    found: list[EarlyWarning] = []
    for account, items in contacts.items():
        if account in staff:
            continue
        dated = sorted(
            (c.at, c.recipient) for c in items if c.at is not None and c.recipient in staff
        )
        best: tuple[int, int, int] | None = None  # (distinct staff, start, end)
        start = 0
        for end in range(len(dated)):
            while dated[end][0] - dated[start][0] > window:
                start += 1
            distinct = len({r for _, r in dated[start : end + 1]})
            if best is None or distinct > best[0]:
                best = (distinct, start, end)
        if best is None or best[0] < min_staff:
            continue
        people = list(dict.fromkeys(r for _, r in dated[best[1] : best[2] + 1]))
        departments = Counter(staff[p] for p in people if staff[p] is not None)
        department, same = departments.most_common(1)[0] if departments else (None, 0)
        found.append(
            EarlyWarning(
                account=account,
                organisation=organisation,
                staff=len(people),
                days=window_days,
                same_department=same,
                department=department,
                first=dated[best[1]][0],
                last=dated[best[2]][0],
                staff_ids=people,
            )
        )
    return sorted(found, key=lambda w: (-w.staff, -w.same_department, w.account))


def summarize_targets(
    senders: Iterable[str],
    contacts: Mapping[str, list[Contact]],
    accounts: Mapping[str, Account],
) -> dict[str, object]:
    """What a group of accounts (a campaign) targeted: top organisations and sectors, clearance
    holders reached, acceptance. For the campaign summary; plain JSON-ready values."""
    orgs: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    recipients: set[str] = set()
    cleared: set[str] = set()
    answered = accepted = 0
    for sender in senders:
        for c in contacts.get(sender, []):
            if c.outcome in {"accepted", "ignored", "reported"}:
                answered += 1
                accepted += c.outcome == "accepted"
            if c.recipient in recipients:
                continue
            recipients.add(c.recipient)
            account = accounts.get(c.recipient)
            if account is None:
                continue
            if account.company:
                orgs[account.company] += 1
            sectors.update(sectors_of(account))
            if holds_clearance(account):
                cleared.add(c.recipient)
    return {
        "recipients": len(recipients),
        "organisations": orgs.most_common(5),
        "sectors": sectors.most_common(7),
        "clearance_holders": len(cleared),
        "acceptance": round(accepted / answered, 3) if answered else None,
        "answered": answered,
    }
