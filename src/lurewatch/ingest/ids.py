"""Stable record ids, so ingesting the same archive twice yields the same ids (idempotent store).

Accounts are keyed by their normalised profile URL when there is one (the same person seen in
Connections.csv, Invitations.csv and messages.csv collapses to one id), else by a hash of the
display name. Messages are keyed by a hash of what identifies them in the export; edges by
`src|type|dst` (the convention `records.edge_from_dict` also uses).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import unquote, urlsplit

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # what percent-decoding can smuggle into an id
_SEP = "\x1f"  # unit separator: cannot occur in a CSV field we hash, so fields never run together


def _digest(*parts: str | None, size: int = 20) -> str:
    joined = _SEP.join("" if p is None else p for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def normalise_name(name: str) -> str:
    """Case, width and spacing differences do not make a different person."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


@functools.lru_cache(maxsize=65_536)  # the same few URLs recur on thousands of rows
def normalise_profile_url(url: str | None) -> str | None:
    """`https://fr.linkedin.com/in/Jane-Doe/?trk=x` -> `li:in/jane-doe`; None when not a URL.

    Vanity slugs are case-insensitive, but member ids (`ACoAA...`, as in messages.csv) are
    case-sensitive, so those keep their case.
    """
    if not url:
        return None
    text = url.strip()
    if not text or _WS.search(text):
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if any(_CONTROL.search(s) for s in segments):
        return None  # "%00" or "%0A" in a path: not a profile URL, and never part of an id
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        if not segments:
            return None
        if segments[0] == "in" and len(segments) >= 2:
            slug = segments[1]
            return "li:in/" + (slug if slug.startswith("ACo") else slug.casefold())
        return "li:" + "/".join(s.casefold() for s in segments)
    if host.startswith("www."):
        host = host[4:]
    return "url:" + "/".join([host, *segments])


GENERIC_NAMES = frozenset({"linkedin member", "linkedin", "linkedin user", ""})


def account_id(
    profile_url: str | None, name: str | None, *, scope: str | None = None
) -> str | None:
    """The account id for a person seen in an export; None when there is nothing to key on.

    A generic name such as "LinkedIn Member" without a URL is not one person: `scope`
    (e.g. the conversation id) keeps such strangers apart.
    """
    by_url = normalise_profile_url(profile_url)
    if by_url:
        return by_url
    if name is None:
        return None
    key = normalise_name(name)
    if not key:
        return None
    if key in GENERIC_NAMES:
        return "li:name/" + _digest(key, scope or "", size=16)
    return "li:name/" + _digest(key, size=16)


def message_id(file: str, *parts: str | None) -> str:
    """Hash of the canonical file name and the fields that identify one message."""
    return "li:msg/" + _digest(file, *parts, size=24)


def edge_id(src: str, edge_type: str, dst: str) -> str:
    return f"{src}|{edge_type}|{dst}"
