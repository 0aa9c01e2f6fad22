"""Context around a message: whose message it is, and what the same sender said before and after.

Two facts change how a message is read, and neither is in its text:

* **Direction.** The member's own outgoing messages (their invitations, their refusals) are
  context, never a suspect: `is_own` decides it from the record and the known owners.
* **Conversation.** An approach is often spread over several messages: a benign opener, then,
  later and from the same sender, a move to WhatsApp or a paid request. `read_thread` reads
  one sender's messages of one conversation, in order, as a whole: it joins them into one text
  (so every lure rule, combinations included, sees the whole exchange), maps each piece of
  evidence back to the message that carried it, and adds `conversation.escalation` when a
  benign opener is followed by an escalation.

Pure functions: records and evidence in, evidence out; scoring and storage are the engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from lurewatch.evidence import Evidence
from lurewatch.records import Account, Message
from lurewatch.signals.registry import SignalSpec, register

CONVERSATION_VERSION = "conversation-v1"

OWN_MESSAGE = "context.own_message"
OWNER = "context.owner"
ESCALATION = "conversation.escalation"
SENT_RATED = "context.sent_rated"
CONTEXT = "conversation.context"

register(
    SignalSpec(
        OWN_MESSAGE,
        ("message",),
        "The member's own outgoing message: read as context (what they answered), never scored as a suspect.",
        0.0,
    ),
    SignalSpec(
        OWNER,
        ("account",),
        "The member whose archive or mailbox this is: context, never a suspect.",
        0.0,
    ),
    SignalSpec(
        ESCALATION,
        ("message",),
        "Read as one conversation, a harmless first message from this sender was followed by a move "
        "off the platform, money, a trip or a request for information: the way many approaches unfold.",
        0.65,
    ),
    SignalSpec(
        SENT_RATED,
        ("account",),
        "A message (or conversation) this account sent was itself rated suspicious; the account is "
        "rated at least as high.",
        0.0,
    ),
)

# What turns a conversation into an approach when it comes after a harmless opener.
ESCALATING = (
    "lure.offplatform_app",
    "lure.offplatform_request",
    "lure.offplatform_phone",
    "lure.offplatform_email",
    "lure.paid_",
    "lure.travel_",
    "lure.tasking_",
    "lure.malware_attachment",
    "lure.secrecy",
)
SUBSTANTIAL = 0.45  # an indicator this strong is a lure in its own right, not a harmless opener
SEPARATOR = "\n\n"
MAX_THREAD = 20  # messages of one sender read together: enough for any approach, bounded cost


def is_own(message: Message, owners: Collection[str] = ()) -> bool:
    """The member's own message: marked outgoing, or sent by a known owner."""
    return message.direction == "outgoing" or (
        message.sender is not None and message.sender in owners
    )


def own_message_evidence() -> Evidence:
    return Evidence(
        OWN_MESSAGE,
        0.0,
        "This is the member's own outgoing message: it is read as context, not scored as a suspect.",
    )


def owner_evidence(account: Account) -> Evidence:
    return Evidence(
        OWNER,
        0.0,
        "This is the member whose archive or mailbox was analysed: context, never a suspect.",
        quote=account.name,
    )


def sent_rated_evidence(score: float, level: str, message_id: str, quote: str | None) -> Evidence:
    """Why an account is rated at least as high as a message it sent."""
    return Evidence(
        SENT_RATED,
        round(min(1.0, max(0.0, score)), 4),
        f"A message this account sent was rated {level} ({score:.0%}), so the account is rated "
        "at least as high.",
        quote=quote,
        values={"message_id": message_id, "score": round(score, 4)},
    )


@dataclass(frozen=True, slots=True)
class Joined:
    """One sender's messages of one conversation as one text, and where each message sits in it."""

    text: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of message i in `text`

    def message_at(self, offset: int) -> int | None:
        for i, (start, end) in enumerate(self.spans):
            if start <= offset < end:
                return i
        return None


@dataclass(frozen=True, slots=True)
class Carrier:
    """Which message carried which indicator (in the message's own text)."""

    index: int
    message_id: str
    signal: str
    quote: str | None
    strength: float

    def to_dict(self) -> dict[str, object]:
        return {
            "message_id": self.message_id,
            "signal": self.signal,
            "quote": self.quote,
            "strength": round(self.strength, 4),
        }


@dataclass(slots=True)
class Thread:
    """One sender's messages of one conversation, read as a whole."""

    conversation_id: str
    sender: str | None
    messages: list[Message]
    joined: Joined
    evidence: list[Evidence]  # evidence on the joined text, plus escalation; spans into joined.text
    carriers: list[Carrier] = field(default_factory=list)

    @property
    def escalation(self) -> Evidence | None:
        return next((e for e in self.evidence if e.signal == ESCALATION), None)


def order_key(message: Message) -> tuple[bool, datetime | None, int, str]:
    """Date order; undated messages last, then by their row in the source, then id."""
    row = message.source.row if message.source and message.source.row is not None else 0
    return (message.sent_at is None, message.sent_at, row, message.id)


def join(texts: Sequence[str]) -> Joined:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for i, text in enumerate(texts):
        if i:
            parts.append(SEPARATOR)
            offset += len(SEPARATOR)
        parts.append(text)
        spans.append((offset, offset + len(text)))
        offset += len(text)
    return Joined("".join(parts), tuple(spans))


def _named(messages: Sequence[Message], carriers: Sequence[Carrier], per_message: int = 3) -> str:
    """'message 2 of 2025-03-03: "quote" [signal], "quote" [signal]; message 3 …' in message order."""
    parts: list[str] = []
    for index in sorted({c.index for c in carriers}):
        found = sorted((c for c in carriers if c.index == index), key=lambda c: -c.strength)
        quoted = ", ".join(f'"{c.quote}" [{c.signal}]' for c in found[:per_message])
        parts.append(f"{_label(messages[index], index)}: {quoted}")
    return "; ".join(parts)


def _escalates(signal: str) -> bool:
    return signal.startswith(ESCALATING)


def _label(message: Message, index: int) -> str:
    when = f" of {message.sent_at:%Y-%m-%d}" if message.sent_at else ""
    return f"message {index + 1}{when}"


def escalation(
    messages: Sequence[Message], own: Sequence[Sequence[Evidence]]
) -> tuple[Evidence | None, list[Carrier]]:
    """A harmless opener followed, later, by an escalating indicator, from the same sender.

    `own[i]` is the lure evidence of `messages[i]` read alone (spans into its own text). The
    opener must carry nothing substantial (otherwise it is an approach on its own and needs no
    context); the escalation is the strongest escalating hit in any later message.
    """
    carriers = [
        Carrier(i, m.id, e.signal, e.quote, e.strength)
        for i, (m, found) in enumerate(zip(messages, own, strict=True))
        for e in found
        if e.signal.startswith("lure.")
    ]
    if len(messages) < 2:
        return None, carriers
    opener = own[0]
    if any(e.strength >= SUBSTANTIAL for e in opener if e.signal.startswith("lure.")):
        return None, carriers
    later = [c for c in carriers if c.index > 0 and _escalates(c.signal)]
    if not later:
        return None, carriers
    top = max(later, key=lambda c: (c.strength, -c.index))
    opened = next((c for c in carriers if c.index == 0), None)
    opener_note = (
        f'{_label(messages[0], 0)} opened ("{opened.quote}")'
        if opened is not None and opened.quote
        else f"{_label(messages[0], 0)} opened harmlessly"
    )
    moved = _named(messages, later)
    evidence = Evidence(
        ESCALATION,
        round(min(0.95, 0.5 + 0.5 * top.strength), 4),
        f"Read as one conversation from this sender: {opener_note}, then {moved}.",
        quote=top.quote,
        values={
            "opener": messages[0].id,
            "escalation": top.message_id,
            "messages": [c.to_dict() for c in later[:8]],
        },
    )
    return evidence, carriers


def read_thread(
    conversation_id: str,
    messages: Sequence[Message],
    texts: Sequence[str],
    detect: Callable[[str], list[Evidence]],
) -> Thread:
    """Reads one sender's messages (in order, with their analysed texts) as one conversation.

    `detect(text)` is the lure detector on a text. Each message is read alone (to name which
    message carried which indicator) and the joined text is read as a whole (so combinations
    across messages count); the escalation evidence is added when the pattern is present.
    """
    messages = list(messages)[-MAX_THREAD:]
    texts = list(texts)[-MAX_THREAD:]
    own = [detect(t) for t in texts]
    joined = join(texts)
    whole = detect(joined.text)
    found, carriers = escalation(messages, own)
    evidence = list(whole)
    if found is not None:
        evidence.append(found)
    return Thread(
        conversation_id=conversation_id,
        sender=messages[0].sender if messages else None,
        messages=messages,
        joined=joined,
        evidence=evidence,
        carriers=carriers,
    )


def context_evidence(thread: Thread, index: int, score: float) -> Evidence:
    """The 'conversation context' evidence a message's assessment carries (no span: the quotes
    come from the other messages of the conversation, named in `values`)."""
    message = thread.messages[index]
    others = [c for c in thread.carriers if c.index != index]
    esc = thread.escalation
    if esc is not None:
        explanation = esc.explanation
    else:
        named = _named(thread.messages, others)
        explanation = (
            f"Read together with this sender's other messages in the conversation ({named}), "
            f"it scores {score:.0%}."
        )
    return Evidence(
        CONTEXT,
        round(min(1.0, score), 4),
        explanation,
        quote=None,
        values={
            "conversation_id": thread.conversation_id,
            "message": index + 1,
            "of": len(thread.messages),
            "message_id": message.id,
            "conversation_score": round(score, 4),
            "carriers": [c.to_dict() for c in thread.carriers[:12]],
        },
    )


register(
    SignalSpec(
        CONTEXT,
        ("message",),
        "Read together with the same sender's other messages in the conversation, the exchange "
        "scores higher than this message alone.",
        0.0,
    )
)
