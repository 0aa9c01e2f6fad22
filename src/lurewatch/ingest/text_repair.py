"""Mojibake repair: text that was UTF-8, decoded as Latin-1/Windows-1252 somewhere on its way
("RenÃ© Dupont", "JÃ¼rgen"), turned back into what its author wrote.

LinkedIn exports opened and re-saved in a spreadsheet often arrive like this; names must match the
watchlist and people must read them. `ftfy` does the repair (it only changes text whose encoding it
can explain); the original is kept by the caller so nothing is lost.
"""

from __future__ import annotations

import re

import ftfy

# Characters that UTF-8 read as Latin-1 / cp1252 produces: a lead byte (Ã, Â, Ð, Ñ, â, ...) and
# its continuation. Text without any of them is left alone without calling ftfy.
_SUSPECT = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
MAX_REPAIR_CHARS = (
    20_000  # longer texts are repaired only if short enough: repair cost stays bounded
)


def repair_mojibake(text: str) -> str:
    """`text` with mis-decoded UTF-8 repaired; unchanged when nothing looks garbled."""
    if not text or text.isascii() or len(text) > MAX_REPAIR_CHARS or not _SUSPECT.search(text):
        return text
    return ftfy.fix_encoding(text)
