"""One sanitiser for untrusted text (names, quotes, message bodies) printed to a terminal.

Escape sequences in hostile input (`ESC[2J`, OSC 8 links), bidi overrides that reorder what a
person reads (Trojan Source) and other invisible format characters could clear or rewrite the
screen or hide text; every command that prints untrusted text passes it through here.
"""

from __future__ import annotations

import re
from typing import Any


def terminal_safe(text: Any, *, keep_newlines: bool = False) -> str:
    """`text` with every non-printable code point (C0/C1 controls, format characters such as bidi
    overrides, separators, unassigned, surrogates) replaced by a space; newlines kept if asked."""
    return "".join(
        ch if ch.isprintable() or (ch == "\n" and keep_newlines) else " " for ch in str(text)
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: Any) -> str:
    """Like `terminal_safe`, for text a person must be able to audit (imported intel): each
    control or bidi character is shown as its escape (`\\x1b`, `\\u202e`) instead of blanked."""
    return _CONTROL.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
