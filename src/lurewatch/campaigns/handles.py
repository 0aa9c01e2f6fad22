"""External contact handles in free text: phone/WhatsApp numbers, Telegram and WeChat ids, e-mails, URLs.

A cover persona moves the target off the platform to a channel it controls; the same number
or account then shows up in the messages of several personas. Each handle is normalised to
a key that survives formatting ("+44 7700 900123", "07700-900123" → the last nine digits)
so two personas quoting one number in different styles link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE_KEY_DIGITS = 9
# Handles kept per text: a real message gives one or two; the overlap check is linear in those
# kept, so without a cap 5,000 addresses in one text cost 12.5 million comparisons.
MAX_HANDLES = 100


@dataclass(frozen=True, slots=True)
class Handle:
    kind: str  # phone | email | telegram | wechat | url
    value: str  # normalised key used for linking
    text: str  # as written
    span: tuple[int, int]


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d \t().\-]{6,18}\d(?![\w])")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_TELEGRAM = re.compile(
    r"(?:t\.me|telegram\.me)/(?P<a>[A-Za-z0-9_]{4,32})"
    r"|telegram\W{0,3}(?:id|handle|username|account)?\W{0,3}@(?P<b>[A-Za-z][A-Za-z0-9_]{3,31})",
    re.I,
)
_WECHAT = re.compile(
    r"(?:wechat|weixin|微信号?|\bwx\b|\bvx\b)\s*(?:id|号)?\s*[:：]?\s*(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19})\b",
    re.I,
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\[)(]+", re.I)
_TRAILING = ".,;:!?)'\""


def _phone_key(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    if not 8 <= len(digits) <= 15 or _DATE_LIKE.match(raw.strip()):
        return None
    if len(set(digits)) <= 2:  # 00000000, 12121212: not a number anyone dials
        return None
    return digits[-PHONE_KEY_DIGITS:]


def _url_key(raw: str) -> str:
    url = raw.rstrip(_TRAILING).lower()
    url = re.sub(r"^https?://", "", url)
    url = re.sub(r"^www\.", "", url)
    host, _, path = url.partition("/")
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return f"{host}/{path}" if path else host


def extract(text: str) -> list[Handle]:
    """Every handle in a text, in order of appearance; one per (kind, value)."""
    if not text:
        return []
    found: list[Handle] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str | None, m: re.Match[str], group: int | str = 0) -> None:
        if not value or len(taken) >= MAX_HANDLES:
            return
        span = m.span(group)
        if any(s < span[1] and span[0] < e for s, e in taken):
            return
        taken.append(span)
        found.append(Handle(kind, value, m.group(group), span))

    for m in _EMAIL.finditer(text):
        add("email", m.group(0).lower(), m)
    for m in _URL.finditer(text):
        add("url", _url_key(m.group(0)), m)
    for m in _TELEGRAM.finditer(text):
        name = m.group("a") or m.group("b")
        group = "a" if m.group("a") else "b"
        add("telegram", name.lower(), m, group)
    for m in _WECHAT.finditer(text):
        add("wechat", m.group("id").lower(), m, "id")
    for m in _PHONE.finditer(text):
        add("phone", _phone_key(m.group(0)), m)
    seen: set[tuple[str, str]] = set()
    out = []
    for h in sorted(found, key=lambda h: h.span):
        if (h.kind, h.value) not in seen:
            seen.add((h.kind, h.value))
            out.append(h)
    return out
