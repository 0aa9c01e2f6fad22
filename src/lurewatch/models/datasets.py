"""Reads the real public proxies in ../shared/data into labelled rows; nothing is copied into the repo.

Every row carries its proxy name, language and a *group*: rows that are translations or exact
duplicates of one another share a group, and every split in training and evaluation is by group
(the multilingual SMS file is the same messages machine-translated; splitting by row text
would leak the English copy into the French test set).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from lurewatch.records import Account
from lurewatch.signals.views import clean_text

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

MESSAGE_PROXIES = ("sms", "clair", "emscad", "recruiter")
LANGUAGES = ("en", "fr", "de")
JOB_TEXT_CHARS = 1200  # a job advert is cut to the length of a long LinkedIn message


@dataclass(frozen=True, slots=True)
class TextRow:
    text: str
    label: int  # 1 = lure / scam / fraud, 0 = legitimate
    proxy: str  # "sms", "clair", "emscad", "recruiter"
    language: str
    group: str
    kind: str = ""  # finer label: "spam", "ham", "recruiter_outreach", "personal", ...
    source: str = ""  # where the text was published (the real outreach corpus), else ""


@dataclass(frozen=True, slots=True)
class AccountRow:
    account: Account
    label: int  # 1 = fake
    dataset: str  # "instagram" or "twitter"


def _group(*parts: str) -> str:
    key = re.sub(r"\s+", " ", " ".join(parts).strip().lower())
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def load_messages(data_dir: Path) -> list[TextRow]:
    """All message proxies; a missing file is skipped (the caller reports what it found)."""
    root = Path(data_dir) / "messages"
    rows: list[TextRow] = []
    rows += _sms(root / "sms_spam_multilingual" / "data-en-hi-de-fr.csv")
    rows += _clair(root / "clair_fraud_snippets" / "fraudulent_snippets.csv")
    rows += _emscad(root / "emscad")
    rows += _recruiter(root / "recruiter_emails" / "emails.json")
    # The text `check` scores is the cleaned view text (entities unescaped, blanks squeezed):
    # train on exactly that.
    rows = [replace(r, text=clean_text(r.text)) for r in rows]
    return _dedupe([r for r in rows if r.text])


def _dedupe(rows: list[TextRow]) -> list[TextRow]:
    """Exact repeats (54 in CLAIR, hundreds of SMS) count once, so no split can see a row twice."""
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        key = (row.group, row.language)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _sms(path: Path) -> list[TextRow]:
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for rec in csv.DictReader(fh):
            label = (rec.get("labels") or "").strip()
            if label not in {"spam", "ham"}:
                continue
            english = rec.get("text") or ""
            group = "sms:" + _group(english)
            for lang, column in (("en", "text"), ("de", "text_de"), ("fr", "text_fr")):
                text = (rec.get(column) or "").strip()
                if text:
                    out.append(TextRow(text, int(label == "spam"), "sms", lang, group, label))
    return out


def _clair(path: Path) -> list[TextRow]:
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for rec in csv.DictReader(fh):
            # The snippets were cut at ~200 characters and end in '...': drop the marker so a
            # model cannot learn "ends in dots" instead of the content.
            text = re.sub(r"\.\.\.\s*$", "", (rec.get("text") or "").strip())
            if text:
                out.append(TextRow(text, 1, "clair", "en", "clair:" + _group(text), "advance_fee"))
    return out


def _job_text(rec: dict[str, str]) -> str:
    # Title and description only: the company profile is left out because fraudulent adverts
    # usually have none, a dataset artefact a message never shows.
    text = f"{rec.get('title') or ''}\n{rec.get('description') or ''}".strip()
    return re.sub(r"&amp;", "&", text)[:JOB_TEXT_CHARS]


def _emscad(folder: Path) -> list[TextRow]:
    out: dict[str, TextRow] = {}
    for name in ("fj_small.csv", "fraudulent_259.csv"):
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for rec in csv.DictReader(fh):
                text = _job_text(rec)
                job_id = rec.get("job_id") or text[:50]
                if not text or job_id in out:
                    continue  # four job ids appear in both files
                label = int((rec.get("fraudulent") or "0").strip() == "1")
                out[job_id] = TextRow(
                    text,
                    label,
                    "emscad",
                    "en",
                    "emscad:" + _group(text),
                    "fraud_job" if label else "job",
                )
    return list(out.values())


def _recruiter(path: Path) -> list[TextRow]:
    if not path.exists():
        return []
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        text = f"{rec.get('subject') or ''}\n{rec.get('body') or ''}".strip()
        if text:
            out.append(
                TextRow(text, 0, "recruiter", "en", "rec:" + _group(text), rec.get("label") or "")
            )
    return out


# ----------------------------------------------------------------------------- accounts


def load_accounts(data_dir: Path) -> list[AccountRow]:
    root = Path(data_dir) / "accounts"
    return _instagram(root / "instafake") + _twitter(root / "cresci2015")


def _instagram(folder: Path) -> list[AccountRow]:
    """InstaFake gives only counts and shapes: the bio and username are rebuilt with those shapes.

    The rebuilt text carries only what the dataset measured (a bio of N characters, a username
    of L characters with D digits), which is all the account features read from them.
    """
    out = []
    for name in ("fakeAccountData.json", "realAccountData.json"):
        path = folder / name
        if not path.exists():
            continue
        for i, rec in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            length = int(rec.get("usernameLength") or 0)
            digits = min(int(rec.get("usernameDigitCount") or 0), length)
            account = Account(
                id=f"instafake:{name}:{i}",
                username="u" * (length - digits) + "0" * digits,
                about="x" * int(rec.get("userBiographyLength") or 0),
                followers=int(rec.get("userFollowerCount") or 0),
                following=int(rec.get("userFollowingCount") or 0),
                posts=int(rec.get("userMediaCount") or 0),
                has_photo=bool(rec.get("userHasProfilPic")),
            )
            out.append(AccountRow(account, int(rec.get("isFake") or 0), "instagram"))
    return out


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "", "NULL") else None
    except ValueError:
        return None


def _twitter_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    except ValueError:
        return None


def _crawl_date(value: str | None) -> datetime | None:
    """Cresci's `updated` column: when the profile was crawled (the counts' observation time)."""
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _twitter(folder: Path) -> list[AccountRow]:
    out = []
    for name, label in (("users.csv", 0), ("fusers.csv", 1)):
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="latin-1", newline="") as fh:
            for rec in csv.DictReader(fh):
                account = Account(
                    id=f"cresci:{rec.get('id')}",
                    name=rec.get("name") or None,
                    username=rec.get("screen_name") or None,
                    about=(rec.get("description") or "").replace("NULL", "").strip() or None,
                    location=rec.get("location") or None,
                    created_at=_twitter_date(rec.get("created_at")),
                    observed_at=_crawl_date(rec.get("updated")),
                    followers=_int(rec.get("followers_count")),
                    following=_int(rec.get("friends_count")),
                    posts=_int(rec.get("statuses_count")),
                    has_photo=(rec.get("default_profile_image") or "").strip()
                    not in {"1", "TRUE", "true"},
                )
                out.append(AccountRow(account, label, "twitter"))
    return out
