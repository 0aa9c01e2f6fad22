"""What a detector sees: a record plus the cheap derived facts every detector would recompute."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from lurewatch.records import Account, Edge, Message

_WS = re.compile(r"[ \t\r\f\v]+")


def clean_text(text: str) -> str:
    """Unescape HTML entities (LinkedIn exports carry them), normalise Unicode, squeeze blanks."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text and re.search(r"</?(p|br|div|span|a)\b", text, re.I):
        text = re.sub(r"<br\s*/?>|</p>", "\n", text, flags=re.I)
        text = re.sub(r"<[^>]{0,200}>", "", text)
    if not text.isascii():  # ASCII is already NFC
        text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


@dataclass(slots=True)
class MessageView:
    message: Message
    text: str  # subject + body, cleaned: the string every quote/span refers to
    language: str | None = None  # ISO 639-1 code, or None when unknown
    language_covered: bool = True


@dataclass(slots=True)
class AccountView:
    account: Account
    messages_sent: list[Message] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def message_view(
    message: Message, language: str | None = None, covered: bool = True
) -> MessageView:
    parts = [message.subject or "", message.text or ""]
    text = "\n".join(clean_text(p) for p in parts if p)
    return MessageView(message=message, text=text, language=language, language_covered=covered)
