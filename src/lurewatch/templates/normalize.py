"""Normalisation: make lightly edited copies of one template read the same.

A standardised approach is personalised cheaply: a different name after "Dear", another
greeting, a changed phone number or link, punctuation and case. Those edits carry no
information about *which template* was used, so they become placeholders (one private-use
character each) or disappear before shingling. Everything here works on a whole batch at
once (one regex pass over the joined texts), because per-message Python calls dominate
the cost at platform scale.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SEP = "\x1e"  # record separator between messages of a batch; removed from inputs first

# One private-use character per placeholder, so a placeholder is a single "letter" for
# character shingles and can never be confused with real text.
PLACEHOLDERS: dict[str, str] = {
    "url": "\ue001",
    "email": "\ue002",
    "phone": "\ue003",
    "handle": "\ue004",
    "number": "\ue005",
    "greeting": "\ue006",
    "signoff": "\ue007",
}
_SHOW = {v: f"<{k}>" for k, v in PLACEHOLDERS.items()}

_GREETINGS = (
    r"dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening)|"
    r"bonjour|bonsoir|salut|cher|chere|chère|madame|monsieur|"
    r"hallo|liebe[rs]?|sehr geehrte[rs]?|guten (?:tag|morgen|abend)|moin|servus|"
    r"hola|estimad[oa]s?|buenos dias|ciao|buongiorno|gentile|caro|cara"
)
_TITLES = r"(?:[ \t]+(?:mr|mrs|ms|miss|dr|prof|herr|frau|mme|mlle|m|sir|madam)\.?)?"
# A greeting at the start of a message, with the name that follows it up to the first
# punctuation (at most four words); without punctuation only the greeting word goes.
# Matched per message (anchored), never scanned over the whole batch.
_GREETING_RE = re.compile(
    rf"[ \t\n]*(?:(?:{_GREETINGS}){_TITLES}(?:[ \t]+[^\s,!:;.?]+){{0,4}}?[ \t]*[,!:;.\n]|(?:{_GREETINGS})\b"
    # Chinese: "<name>你好，" / "尊敬的<name>：" (the name comes before 你好, after 尊敬的)
    r"|[^\n,，。!！:：]{0,30}?(?:你好|您好)[ \t]*[,，!！:：]?|尊敬的[^\s,，。!！:：]{0,30}[,，:：])"
)
_SIGNOFFS = (
    r"best regards|kind regards|warm regards|regards|best wishes|all the best|sincerely|"
    r"yours truly|cheers|many thanks|thanks|thank you|best|cordialement|bien a vous|"
    r"amicalement|mit freundlichen gru(?:ss|ß)en|viele gru(?:ss|ß)e|beste gru(?:ss|ß)e|"
    r"liebe gru(?:ss|ß)e|gru(?:ss|ß)e|saludos|un saludo|cordiali saluti"
)
# A sign-off that starts a line (or follows a sentence) in the last ~160 characters, with
# the short signature after it (a name, a title line); "thanks for your time" mid-text stays.
_SIGNOFF_RE = re.compile(
    rf"(?:^|\n|[.!?] )[ \t]*(?:{_SIGNOFFS})\b[^\n.!?]{{0,40}}(?:\n[^\n]{{0,60}}){{0,2}}\Z"
)
_SIGNOFF_WINDOW = 160
# Both start only where a run of their characters starts (the look-behinds): tried at every
# position of a 20,000-letter run, they cost 13 s (quadratic); the matches are the same, as a
# match starting inside a run extends to the run's start.
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s" + SEP + r"]+"
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|cn|ru|de|fr|uk|co|info|biz|me|ly|gl|eu|us|hk|sg)\b(?:/[^\s"
    + SEP
    + r"]*)?"
)
_TLD_HINT = re.compile(r"\.(?:com|org|net|io|cn|ru|de|fr|uk|co|info|biz|me|ly|gl|eu|us|hk|sg)\b")
_HANDLE_RE = re.compile(r"(?<![\w])@[\w.]{2,}")
# One pass for every digit run: 7–15 digits not glued to a word is a phone number, anything
# else a number ("5,000", "12", "2025"); separators stay outside the placeholder.
_DIGITS_RE = re.compile(r"\+?\d[\d \t().,\-/]*")
_DIGIT_TRAIL = " \t().,-/"


def _digits(m: re.Match[str]) -> str:
    raw = m.group(0)
    core = raw.rstrip(_DIGIT_TRAIL)
    digits = sum(ch.isdigit() for ch in core)
    start = m.start()
    glued = start > 0 and m.string[start - 1].isalnum()
    kind = "phone" if 7 <= digits <= 15 and not glued else "number"
    return f" {PLACEHOLDERS[kind]} {raw[len(core) :]}"


# Latin diacritics only: Indic vowel signs are letters
_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")
_PUNCT_RE = re.compile(r"[^\w " + SEP + "\ue000-\ue0ff]+|_+")  # punctuation, tabs, newlines
_SPACES_RE = re.compile(r"  +")


def normalize_many(texts: Sequence[str]) -> list[str]:
    """Normalises a batch: one regex pass per rule over the joined texts (fast path)."""
    if not texts:
        return []
    joined = SEP.join(t.replace(SEP, " ") if SEP in t else t for t in texts)
    joined = joined.lower()
    joined = SEP.join(_rare(t) for t in joined.split(SEP))
    joined = _DIGITS_RE.sub(_digits, joined)
    joined = _PUNCT_RE.sub(" ", joined)
    joined = _SPACES_RE.sub(" ", joined)
    out = [part.strip() for part in joined.split(SEP)]
    if len(out) != len(texts):  # cannot happen (SEP removed from inputs); never misalign ids
        raise AssertionError("normalisation changed the number of messages")
    return out


def _rare(text: str) -> str:
    """Per message: greeting and sign-off (anchored), e-mails, handles and URLs (only when a cheap
    substring test says they can occur: scanning the whole batch for them costs 5× more)."""
    if not text.isascii():  # accents off (per message: most text in a batch is ASCII)
        text = unicodedata.normalize(
            "NFC", _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
        )
    m = _GREETING_RE.match(text)
    if m:
        text = f"{PLACEHOLDERS['greeting']} {text[m.end() :]}"
    start = max(0, len(text) - _SIGNOFF_WINDOW)
    m = _SIGNOFF_RE.search(text, start)
    if m:
        text = f"{text[: m.start()]} {PLACEHOLDERS['signoff']}"
    if "@" in text:
        text = _EMAIL_RE.sub(f" {PLACEHOLDERS['email']} ", text)
        text = _HANDLE_RE.sub(f" {PLACEHOLDERS['handle']} ", text)
    if "://" in text or "www." in text or _TLD_HINT.search(text):
        text = _URL_RE.sub(f" {PLACEHOLDERS['url']} ", text)
    return text


def normalize(text: str) -> str:
    """One message, normalised: what two copies of a template have in common."""
    return normalize_many([text])[0]


def readable(normalized: str) -> str:
    """The normalised text with placeholders spelled out (`<url>`, `<number>`), for people."""
    return "".join(_SHOW.get(ch, ch) for ch in normalized)
