"""Persona indicators on an account: cover title, thin or young profile, history gaps, photo, bio.

Cover profiles (threat model, step 1) are built fast and cheaply: a head-hunter or think-tank
title, a recent account, little history, an employer the history does not show, a stock or
missing photo, a generic bio, many followed and few followers. Missing fields give no
evidence: absence of data is not a sign.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rapidfuzz import fuzz

from lurewatch.evidence import Evidence
from lurewatch.records import Account, Message
from lurewatch.signals.registry import SignalSpec, register
from lurewatch.signals.views import AccountView, MessageView, message_view

PERSONA_VERSION = "persona-v1"

SIGNALS: dict[str, tuple[str, float]] = {
    "persona.cover_title": (
        "The profile's title is one used by published cover personas (head hunter, HR consultant, think tank, research fellow).",
        0.35,
    ),
    "persona.thin_profile": (
        "The profile is thin: little history, few connections, no skills or education listed.",
        0.35,
    ),
    "persona.young_account": ("The account was created recently.", 0.4),
    "persona.employer_not_in_history": (
        "The employer the profile claims does not appear anywhere in its work history.",
        0.4,
    ),
    "persona.no_photo": ("The profile has no photo.", 0.3),
    "persona.vague_bio": (
        "The bio is missing, very short or generic, with no facts that could be checked.",
        0.25,
    ),
    "persona.follower_imbalance": (
        "The account follows many more people than follow it back, a pattern of fake and bulk-made accounts.",
        0.45,
    ),
    "persona.username_digits": (
        "The username carries a run of digits, as generated account names often do.",
        0.2,
    ),
    "persona.no_activity": ("The account has posted nothing or almost nothing.", 0.3),
    "persona.lure_messages": (
        "Messages this account sent carry lure indicators (money, trips, off-platform moves, tasking).",
        0.6,
    ),
    "persona.mass_outreach": (
        "The account contacted many different people, as mass approach campaigns do.",
        0.35,
    ),
}

register(
    *(
        SignalSpec(code=code, applies_to=("account",), description=sentence, weight=weight)
        for code, (sentence, weight) in SIGNALS.items()
    )
)

_COVER_TITLES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p, re.IGNORECASE), s)
    for p, s in (
        (
            r"\bhead[- ]?hunt(?:er|ers|ing|erin)\b|\bchasseu(?:r|se) de têtes\b|\btalent scout\b",
            0.7,
        ),
        (r"\bthink[- ]?tank\b|\bdenkfabrik\b|\b(?:cercle|groupe|centre) de réflexion\b", 0.7),
        (
            r"\b(?:HR|human resources?|recruitment|career|talent)\s+(?:consultant|advis[eo]r|partner)\b|\bpersonalberater",
            0.55,
        ),
        (
            r"\b(?:research|senior|visiting|associate)\s+fellow\b|\bchercheu(?:r|se) associée?\b",
            0.5,
        ),
        (
            r"\bstrategic consult|\binternational (?:relations|affairs|exchange|cooperation)\b|\bsino-",
            0.55,
        ),
        (r"\bconsultant\b|\bconsulting\b|\bberater(?:in)?\b|\bconseil(?:ler|lère)?\b", 0.35),
        (r"\brecruit(?:er|ment)\b|\btalent acquisition\b|\brecruteu(?:r|se)\b", 0.25),
    )
)
_BUZZ = re.compile(
    r"\b(?:passionate|connecting|connect(?:ing)? people|opportunit(?:y|ies)|global|international|cooperation|win-win"
    r"|bridge|network(?:ing)?|talents?|exchange|partners?|clients?|consult\w*|solutions?|excellence|strategic|friends?"
    r"|open to|looking for)\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d{3,}")


def _now(view: AccountView) -> datetime:
    """Reference time: the latest message the account sent, else now (UTC)."""
    times = [m.sent_at for m in view.messages_sent if m.sent_at is not None]
    return max(times) if times else datetime.now(UTC)


def _ev(
    code: str, strength: float, explanation: str, quote: str | None = None, **values: object
) -> Evidence:
    return Evidence(
        signal=code,
        strength=round(min(max(strength, 0.0), 1.0), 4),
        explanation=explanation,
        quote=quote,
        values=dict(values),
    )


def _linkedin_like(a: Account) -> bool:
    return bool(a.headline or a.title or a.company or a.experiences or a.connections is not None)


def _full_profile(a: Account) -> bool:
    """Whether the record is a whole profile, not a contact-list row (name, company, position only).

    Only then does a missing list or bio mean the profile lacks it rather than that the
    source (e.g. an archive's Connections.csv) never carried it.
    """
    return bool(
        a.experiences
        or a.skills
        or a.education
        or a.created_at is not None
        or _social_counts(a)
        or a.connections is not None
    )


def _social_counts(a: Account) -> bool:
    return a.followers is not None or a.following is not None or a.posts is not None


def _cover_title(a: Account) -> Evidence | None:
    best: tuple[float, str, str] | None = None
    for field_name in ("headline", "title", "company"):
        value = getattr(a, field_name)
        if not value:
            continue
        for regex, strength in _COVER_TITLES:
            m = regex.search(value)
            if m and (best is None or strength > best[0]):
                best = (strength, field_name, m.group(0))
                break
    if best is None and a.about:
        # a bio that sells the cover role counts, a little less than a title
        for regex, strength in _COVER_TITLES[:5]:
            m = regex.search(a.about)
            if m:
                best = (round(strength * 0.8, 4), "about", m.group(0))
                break
    if best is None:
        return None
    strength, field_name, quote = best
    return _ev(
        "persona.cover_title",
        strength,
        f"The profile's {field_name} says '{quote}', a role used by published cover personas.",
        quote,
        field=field_name,
    )


def _young(a: Account, now: datetime) -> Evidence | None:
    if a.created_at is None:
        return None
    days = (now - a.created_at).total_seconds() / 86400
    if days < 0:
        return None
    if days < 30:
        strength = 0.8
    elif days < 90:
        strength = 0.6
    elif days < 365:
        strength = 0.35
    else:
        return None
    links = a.connections if a.connections is not None else a.followers
    if links is not None and links >= 300 and days < 180:
        strength = min(
            1.0, strength + 0.15
        )  # a new account that already shows hundreds of contacts
    return _ev(
        "persona.young_account",
        strength,
        f"The account is only {int(days)} days old"
        + (f" yet shows {links} contacts." if links and links >= 300 else "."),
        a.created_at.date().isoformat(),
        age_days=int(days),
    )


def _thin(a: Account) -> Evidence | None:
    reasons: list[str] = []
    checked = 0
    if _linkedin_like(a) and _full_profile(a):
        checked += 3
        if not a.experiences:
            reasons.append("no work history")
        if not a.skills:
            reasons.append("no skills")
        if not a.education:
            reasons.append("no education")
    if a.connections is not None:
        checked += 1
        if a.connections < 50:
            reasons.append(f"{a.connections} connections")
    if a.followers is not None and a.connections is None:
        checked += 1
        if a.followers < 30:
            reasons.append(f"{a.followers} followers")
    if not checked or not reasons:
        return None
    strength = 0.2 + 0.7 * len(reasons) / max(checked, 3)
    return _ev(
        "persona.thin_profile",
        strength,
        "The profile is thin: " + ", ".join(reasons) + ".",
        None,
        reasons=reasons,
    )


def _employer(a: Account) -> Evidence | None:
    if not a.company:
        return None
    companies = [e.company for e in a.experiences if e.company]
    if not companies:
        return None
    claimed = a.company.strip()
    if any(fuzz.token_set_ratio(claimed.lower(), c.lower()) >= 85 for c in companies):
        return None
    return _ev(
        "persona.employer_not_in_history",
        0.6,
        f"The profile claims to work at '{claimed}', but no position at that company appears in its history.",
        claimed,
        history=companies[:5],
    )


def _photo(a: Account) -> Evidence | None:
    if a.has_photo is False:
        return _ev("persona.no_photo", 0.6, "The profile has no photo.")
    return None


def _bio(a: Account) -> Evidence | None:
    about = (a.about or "").strip()
    if not about:
        if _full_profile(a):
            return _ev("persona.vague_bio", 0.4, "The profile has no bio at all.")
        return None
    if len(about) < 25:
        return _ev("persona.vague_bio", 0.3, "The bio is only a few words long.", about)
    buzz = _BUZZ.findall(about)
    facts = len(_DIGITS.findall(about)) + about.count("http")
    words = max(len(about.split()), 1)
    if len(buzz) >= 2 and facts == 0 and len(buzz) / words >= 0.08:
        return _ev(
            "persona.vague_bio",
            min(0.35 + 0.05 * len(buzz), 0.6),
            "The bio is made of generic phrases ("
            + ", ".join(dict.fromkeys(b.lower() for b in buzz[:4]))
            + ") with no checkable facts.",
            about[:200],
        )
    return None


def _imbalance(a: Account) -> Evidence | None:
    if a.following is None or a.followers is None or a.following < 100:
        return None
    ratio = a.followers / a.following
    if ratio >= 0.3:
        return None
    strength = 0.4 if ratio >= 0.15 else 0.6 if ratio >= 0.05 else 0.8
    if a.following >= 1000:
        strength = min(1.0, strength + 0.1)
    return _ev(
        "persona.follower_imbalance",
        strength,
        f"The account follows {a.following:,} accounts but only {a.followers:,} follow it.",
        None,
        followers=a.followers,
        following=a.following,
    )


def _username(a: Account) -> Evidence | None:
    name = a.username or ""
    if not name:
        return None
    digits = len(_DIGITS.findall(name))
    if digits < 3 and not (digits >= 2 and digits / len(name) >= 0.25):
        return None
    strength = 0.3 if digits < 4 else 0.5
    return _ev(
        "persona.username_digits",
        strength,
        f"The username '{name}' carries {digits} digits.",
        name,
        digits=digits,
    )


def _activity(a: Account) -> Evidence | None:
    if a.posts is None:
        return None
    if a.posts == 0:
        return _ev("persona.no_activity", 0.6, "The account has never posted.", None, posts=0)
    if a.posts < 3:
        return _ev(
            "persona.no_activity",
            0.35,
            f"The account has posted only {a.posts} time(s).",
            None,
            posts=a.posts,
        )
    return None


def _sent(view: AccountView) -> list[Evidence]:
    if not view.messages_sent:
        return []
    from lurewatch.scoring.rules import combine
    from lurewatch.signals import language, lure

    out: list[Evidence] = []
    best: tuple[float, Message, MessageView] | None = None
    for message in view.messages_sent[:50]:
        mview = message_view(message)
        mview.language, mview.language_covered = language.detect_language(mview.text)
        score = combine(lure.detect(mview))
        if best is None or score > best[0]:
            best = (score, message, mview)
    if best is not None and best[0] >= 0.35:
        score, message, mview = best
        out.append(
            _ev(
                "persona.lure_messages",
                score,
                f"A message this account sent scores {score:.0%} on lure indicators.",
                mview.text[:200],
                message_id=message.id,
            )
        )
    recipients = {r for m in view.messages_sent for r in m.recipients}
    if len(recipients) >= 20:
        out.append(
            _ev(
                "persona.mass_outreach",
                min(0.3 + len(recipients) / 200, 0.9),
                f"The account sent messages to {len(recipients)} different people.",
                None,
                recipients=len(recipients),
            )
        )
    return out


def detect_at(view: AccountView, now: datetime) -> list[Evidence]:
    """Persona evidence with an explicit reference time (for evaluation on old data)."""
    a = view.account
    found = [
        _cover_title(a),
        _young(a, now),
        _thin(a),
        _employer(a),
        _photo(a),
        _bio(a),
        _imbalance(a),
        _username(a),
        _activity(a),
    ]
    out = [e for e in found if e is not None]
    out.extend(_sent(view))
    return out


def detect(view: AccountView) -> list[Evidence]:
    """Persona evidence for one account; missing fields give no evidence."""
    return detect_at(view, _now(view))
