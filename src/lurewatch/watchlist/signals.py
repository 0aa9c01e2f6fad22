"""Watchlist signals: a published front company or cover persona named by a message or account.

Pure detectors (records in, evidence out): they take a `Matcher` bound by the engine plugin
to the store's entries or the bundled seeds. A persona hit is weaker than an organisation
hit, because the published persona names ("Rachel Li", "Jason Wang") are common names that
real people carry; the evidence says so.
"""

from __future__ import annotations

from collections.abc import Callable

from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register
from lurewatch.signals.views import AccountView, MessageView
from lurewatch.watchlist.matcher import Match, Matcher

ORGANISATION = "watchlist.organisation"
PERSONA = "watchlist.persona"
ORG_STRENGTH = 0.9  # strength of a perfect organisation match
PERSONA_STRENGTH = 0.45  # a persona name alone: common names, weak on its own
PERSONA_IN_TEXT_STRENGTH = 0.3

register(
    SignalSpec(
        ORGANISATION,
        ("message", "account"),
        "The employer or a company named in the message resembles a front company published by a security service.",
        0.85,
    ),
    SignalSpec(
        PERSONA,
        ("message", "account"),
        "The name resembles a cover persona published by a security service (common names: weak alone).",
        0.4,
    ),
)


def _evidence(match: Match, where: str, strength_scale: float, quote_span: bool) -> Evidence:
    signal = ORGANISATION if match.entry.kind == "organisation" else PERSONA
    values = match.to_dict()  # holds the explanation already: built once per match
    values["field"] = where
    values["algorithm"] = "watchlist-v1"
    return Evidence(
        signal=signal,
        strength=round(min(1.0, max(0.0, match.score * strength_scale)), 4),
        explanation=f"{where}: {values['explanation']}",
        quote=match.compared,
        span=match.span if quote_span else None,
        values=values,
    )


def _best_per_entry(found: list[Evidence]) -> list[Evidence]:
    best: dict[tuple[str, str], Evidence] = {}
    for ev in found:
        key = (ev.signal, str(ev.values.get("entry")))
        if key not in best or ev.strength > best[key].strength:
            best[key] = ev
    return sorted(best.values(), key=lambda e: (-e.strength, e.signal))


def message_detector(matcher: Matcher) -> Callable[[MessageView], list[Evidence]]:
    """Watched names inside the message text (a partial name in a sentence counts)."""

    def detect(view: MessageView) -> list[Evidence]:
        found: list[Evidence] = []
        for m in matcher.match_text(view.text):
            scale = ORG_STRENGTH if m.entry.kind == "organisation" else PERSONA_IN_TEXT_STRENGTH
            found.append(_evidence(m, "message text", scale, True))
        sender_name = view.message.sender_name
        if sender_name:
            for m in matcher.match_name(sender_name, kinds=("persona",)):
                found.append(_evidence(m, "sender name", PERSONA_STRENGTH, False))
        return _best_per_entry(found)

    detect.__name__ = "watchlist_message"
    return detect


def account_detector(matcher: Matcher) -> Callable[[AccountView], list[Evidence]]:
    """Employer fields (company, past companies, headline) against organisations; the name against personas."""

    def detect(view: AccountView) -> list[Evidence]:
        account = view.account
        found: list[Evidence] = []
        if account.company:
            for m in matcher.match_name(account.company, kinds=("organisation",)):
                found.append(_evidence(m, "company", ORG_STRENGTH, False))
        for i, exp in enumerate(account.experiences):
            if exp.company:
                for m in matcher.match_name(exp.company, kinds=("organisation",)):
                    found.append(
                        _evidence(m, f"experiences[{i}].company", ORG_STRENGTH * 0.9, False)
                    )
        for field_name in ("headline", "title"):
            text = getattr(account, field_name)
            if text:
                for m in matcher.match_text(text, kinds=("organisation",)):
                    found.append(_evidence(m, field_name, ORG_STRENGTH, False))
        if account.name:
            for m in matcher.match_name(account.name, kinds=("persona",)):
                found.append(_evidence(m, "name", PERSONA_STRENGTH, False))
        return _best_per_entry(found)

    detect.__name__ = "watchlist_account"
    return detect
