"""The declared version of every pure detector family, recorded with each assessment.

An old score can only be reproduced if we know which detector behaviour made it. Each family
declares a version string next to its code; `tests/core/test_detector_versions.py` runs the
families on fixed invented inputs and compares a digest of their evidence with the digest recorded
for the declared version, so a change of behaviour without a new version fails the tests.
"""

from __future__ import annotations

from lurewatch.signals import conversation, language, lure, persona


def detector_versions() -> dict[str, str]:
    """Family -> declared version of the pure detectors every front door runs."""
    return {
        "lure": lure.LURE_VERSION,
        "persona": persona.PERSONA_VERSION,
        "language": language.LANGUAGE_VERSION,
        "conversation": conversation.CONVERSATION_VERSION,
    }
