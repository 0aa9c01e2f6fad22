"""Identity facts that decide whether an account is a suspect at all."""

from __future__ import annotations

from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register

VERIFIED = "identity.verified"

register(
    SignalSpec(
        VERIFIED,
        ("account",),
        "The identity is known: the member who exported the archive, or an account the platform "
        "verified. It seeds graph trust and is not scored as a possible cover profile.",
        0.0,
    )
)


def verified_evidence() -> Evidence:
    return Evidence(
        VERIFIED,
        0.0,
        "This identity is verified (the member who exported this archive, or verified by the "
        "platform), so it is not scored as a possible cover profile.",
    )
