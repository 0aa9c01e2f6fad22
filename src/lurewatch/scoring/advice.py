"""Advice tied to the evidence: what a person should do about this particular approach."""

from __future__ import annotations

from lurewatch.evidence import Evidence

# family or signal prefix -> advice sentence; most specific first.
_ADVICE: list[tuple[str, str]] = [
    (
        "lure.offplatform",
        "Do not move the conversation to WhatsApp, Signal, Telegram, WeChat, a personal e-mail or phone; keep it on the platform, where abuse can be detected and reported.",
    ),
    (
        "lure.tasking",
        "Do not write reports, papers or 'analysis' for this contact, paid or not: requests for insight into non-public matters are how recruitment starts. Tell your security officer.",
    ),
    (
        "lure.paid_upfront",
        "Never pay a fee, buy equipment or hand over bank or identity details to get a job or a payment: real employers and clients do not ask for them.",
    ),
    (
        "lure.malware",
        "Do not open password-protected files, run code or install apps sent by a contact you have not verified, even as an interview 'test'; let your IT security team check them.",
    ),
    (
        "lure.secrecy",
        "A request to keep the contact secret is a warning sign in itself: do not agree to it, and tell your security officer.",
    ),
    (
        "lure.paid",
        "A generous fee for a vague 'collaboration' is a classic hook: ask for a contract with a verifiable company before anything else, and tell your security officer.",
    ),
    (
        "lure.travel",
        "Decline paid trips abroad for seminars or client meetings offered by someone you have not verified; tell your security officer before any such travel.",
    ),
    (
        "watchlist",
        "The company or person matches a published list of front organisations: do not engage, and report it to your security officer and the platform.",
    ),
    (
        "lure.vague",
        "Verify the company independently (official registry, its own website, a phone number you find yourself), not through links or numbers the contact gives.",
    ),
    (
        "persona",
        "Check the profile: how old it is, whether its history and colleagues are real, and whether the photo appears elsewhere (a reverse image search).",
    ),
    ("avatar", "The profile photo looks generated or reused: treat the identity as unverified."),
    (
        "template",
        "The same message was sent to many people: this is mass outreach, not a personal approach.",
    ),
    (
        "campaign",
        "This account is linked to other suspicious accounts: report it rather than replying.",
    ),
    (
        "graph",
        "The account's connections look borrowed: accepting it lends it credibility with your colleagues. Do not accept.",
    ),
]

_ALWAYS_HIGH = [
    "Do not accept the invitation or reply until the person and company are verified.",
    "Tell your security officer, and report the profile to the platform (More … → Report).",
]
_MEDIUM = [
    "Verify the person and company independently before engaging; ask your security officer if in doubt."
]
_LOW = [
    "No strong sign of a cover approach; stay alert if the conversation moves to money, travel or off-platform channels."
]


def advice_for(
    kind: str, evidence: list[Evidence], level: str, language_covered: bool
) -> list[str]:
    advice: list[str] = []
    if level == "high":
        advice.extend(_ALWAYS_HIGH)
    elif level == "medium":
        advice.extend(_MEDIUM)
    present = {ev.signal for ev in evidence if ev.strength >= 0.3}
    if present:  # most messages carry no such evidence: skip the prefix scan
        for prefix, sentence in _ADVICE:
            if sentence not in advice and any(code.startswith(prefix) for code in present):
                advice.append(sentence)
    if level == "low" and not advice:
        advice.extend(_LOW)
    if not language_covered:
        advice.append(
            "This language is not covered by the message lexicons: judge the content yourself or ask your security officer."
        )
    return advice
