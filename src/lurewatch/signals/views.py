"""What a detector sees: a record plus the cheap derived facts every detector would recompute."""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from dataclasses import dataclass, field

from lurewatch.records import Account, Edge, Experience, Message

_WS = re.compile(r"[ \t\r\f\v]+")

# Analysis caps (docs/ingest.md, "Bounded cost"): every detector reads a record through a view,
# so these bound the work per record on every path (check, scan, analyze, web, Spark). The
# stored record keeps its full text; only what is analysed is cut, and the cut is recorded.
MAX_ANALYSED_CHARS = 20_000  # message subject + body: LinkedIn caps a message at 8,000
MAX_NAME_CHARS = 300  # a name, company, title or location (LinkedIn: 100-220)
MAX_PROFILE_TEXT_CHARS = 5_000  # headline, about, an experience's description (LinkedIn: 2,600)
MAX_ANALYSED_ITEMS = 100  # experiences, education, skills, recipients read per record


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value is not None and len(value) > limit else value


def bounded_message(message: Message) -> Message:
    """The message as detectors see it: fields cut to the analysis caps (itself when within)."""
    if (
        len(message.text) <= MAX_ANALYSED_CHARS
        and len(message.subject or "") <= MAX_NAME_CHARS
        and len(message.sender_name or "") <= MAX_NAME_CHARS
        and len(message.recipients) <= MAX_ANALYSED_ITEMS
    ):
        return message
    return dataclasses.replace(
        message,
        text=message.text[:MAX_ANALYSED_CHARS],
        subject=_cut(message.subject, MAX_NAME_CHARS),
        sender_name=_cut(message.sender_name, MAX_NAME_CHARS),
        recipients=message.recipients[:MAX_ANALYSED_ITEMS],
    )


_NAME_FIELDS = ("name", "username", "title", "company", "location")
_PROFILE_FIELDS = ("headline", "about")


def bounded_account(account: Account) -> Account:
    """The account as detectors see it: fields and lists cut to the analysis caps."""
    over = (
        any(len(getattr(account, f) or "") > MAX_NAME_CHARS for f in _NAME_FIELDS)
        or any(len(getattr(account, f) or "") > MAX_PROFILE_TEXT_CHARS for f in _PROFILE_FIELDS)
        or any(
            len(lst) > MAX_ANALYSED_ITEMS
            for lst in (account.experiences, account.education, account.skills)
        )
        or any(
            len(v or "") > MAX_NAME_CHARS
            for e in account.experiences
            for v in (e.title, e.company, e.started, e.ended)
        )
        or any(len(e.description or "") > MAX_PROFILE_TEXT_CHARS for e in account.experiences)
        or any(len(v) > MAX_NAME_CHARS for v in (*account.education, *account.skills))
    )
    if not over:
        return account
    changes: dict[str, object] = {
        f: _cut(getattr(account, f), MAX_NAME_CHARS) for f in _NAME_FIELDS
    }
    changes.update({f: _cut(getattr(account, f), MAX_PROFILE_TEXT_CHARS) for f in _PROFILE_FIELDS})
    changes["experiences"] = [
        Experience(
            title=_cut(e.title, MAX_NAME_CHARS),
            company=_cut(e.company, MAX_NAME_CHARS),
            started=_cut(e.started, MAX_NAME_CHARS),
            ended=_cut(e.ended, MAX_NAME_CHARS),
            description=_cut(e.description, MAX_PROFILE_TEXT_CHARS),
        )
        for e in account.experiences[:MAX_ANALYSED_ITEMS]
    ]
    changes["education"] = [v[:MAX_NAME_CHARS] for v in account.education[:MAX_ANALYSED_ITEMS]]
    changes["skills"] = [v[:MAX_NAME_CHARS] for v in account.skills[:MAX_ANALYSED_ITEMS]]
    return dataclasses.replace(account, **changes)  # type: ignore[arg-type]


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

    def __post_init__(self) -> None:
        self.account = bounded_account(self.account)  # every detector path reads within caps


def message_view(
    message: Message, language: str | None = None, covered: bool = True
) -> MessageView:
    message = bounded_message(message)
    parts = [message.subject or "", message.text or ""]
    text = "\n".join(clean_text(p) for p in parts if p)
    return MessageView(message=message, text=text, language=language, language_covered=covered)
