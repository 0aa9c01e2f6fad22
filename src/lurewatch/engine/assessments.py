"""The `assessments` read model: a stored verdict joined with what a reader needs to act on it.

One shape for every consumer (the `lurewatch assessments` pipeline contract, exports): the `check`
fields, plus who sent a message, in which direction and conversation, and the text the evidence
spans index into; for an account, its name and profile URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lurewatch.evidence import Assessment
from lurewatch.records import Message, record_from_dict
from lurewatch.signals.views import message_view
from lurewatch.store import Store, queries

KINDS = ("message", "account")
LEVELS = ("low", "medium", "high")


def assessment_line(assessment: Assessment, record: dict[str, Any] | None) -> dict[str, Any]:
    """The contract line for one stored assessment."""
    out = assessment.to_dict()
    record = record or {}
    if assessment.kind == "message":
        out["sender"] = {"id": record.get("sender"), "name": record.get("sender_name")}
        out["direction"] = record.get("direction")
        out["conversation_id"] = record.get("conversation_id")
        out["text"] = message_text(record)
    elif assessment.kind == "account":
        out["name"] = record.get("name")
        out["profile_url"] = record.get("profile_url")
    return out


def message_text(record: dict[str, Any]) -> str:
    """The text as analysed (cleaned, the subject on the first line), as `scan` gives it: the
    evidence spans index into it."""
    if not record:
        return ""
    message = record_from_dict(record)
    return message_view(message).text if isinstance(message, Message) else ""


def iter_assessment_lines(
    store: Store, *, kind: str | None = None, level: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored assessment as a contract line, streamed (kind, then record id order)."""
    with store.read() as conn:
        for assessment, record in queries.iter_assessments_with_records(
            conn, kind=kind, level=level
        ):
            yield assessment_line(assessment, record)
