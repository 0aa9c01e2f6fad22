"""A synthetic platform feed (JSONL records) for the scaling benchmark and the parity test.

Accounts (invented names, companies and titles), about 10 connections and 10 messages per
account. Message texts are drawn at run time from the shared SMS proxies (the multilingual SMS
Spam Collection: its English, German and French columns; nothing copied into the repository)
plus a few invented lure templates sent by a small share of fake accounts, with the recipient's
name filled in — so the templates, campaigns and graph stages have work that grows with the feed.
Deterministic for a given seed and size.

    .venv/bin/python -m benchmarks.feedgen ACCOUNTS OUT.jsonl [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
SMS = DATA / "messages" / "sms_spam_multilingual" / "data-en-hi-de-fr.csv"

FIRST = ["Ana", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
FIRST += ["Karin", "Luca", "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = ["Alder", "Brandt", "Costa", "Dubois", "Eklund", "Fischer", "Garnier", "Horvat", "Ivanov"]
LAST += ["Jensen", "Kowal", "Laurent", "Moreau", "Novak", "Olsen", "Petit", "Quist", "Richter"]
COMPANIES = [
    f"{a} {k} (fictitious)"
    for a in ("Nordic", "Alpine", "Delta", "Vega", "Orion")
    for k in ("Energy", "Systems", "Ministry", "Labs")
]
TITLES = ["Engineer", "Policy Officer", "Analyst", "Project Manager", "Researcher", "Advisor"]
FAKE_COMPANIES = ["Global Insight Partners (fictitious)", "Asia Policy Forum (fictitious)"]
# Invented lure templates (placeholders: {name}); fake accounts send these with light edits.
LURES = [
    "Dear {name}, I came across your profile and was impressed. Our think tank prepares short "
    "reports for a client and we offer a generous fee per report. Could we continue on WhatsApp?",
    "Hello {name}, I am a headhunter for a consulting firm looking for experts in your field. "
    "Paid remote work, flexible hours, travel covered. Please add me on Telegram to talk.",
    "Hi {name}! Our research institute invites you to a paid conference in Singapore. All costs "
    "covered, honorarium included. Send me your private e-mail so I can share the details.",
    "{name}, we are building an advisory network on energy security. Consultation fees are "
    "attractive and discreet. Let us move this conversation to Signal, it is more secure.",
]
INVITES = ("invitation_sent", "invitation_accepted", "invitation_accepted", "invitation_ignored")
EDITS = ["", " Best regards.", " Thank you!", " Kind regards", " Looking forward to it."]


def sms_texts() -> list[str]:
    """English, German and French texts of the multilingual SMS proxy, read at run time."""
    if not SMS.exists():
        raise SystemExit(f"feedgen: {SMS} not found (set LUREWATCH_SHARED_DATA)")
    out: list[str] = []
    with SMS.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            for col in ("text", "text_de", "text_fr"):
                t = (row.get(col) or "").strip()
                if t:
                    out.append(t)
    return out


def records(n_accounts: int, seed: int = 0) -> Iterator[dict]:
    """Accounts first, then edges, then messages (ids sorted within a kind by construction)."""
    rnd = random.Random(seed)
    texts = sms_texts()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [f"gen:acc/{i:08d}" for i in range(n_accounts)]
    names = [f"{rnd.choice(FIRST)} {rnd.choice(LAST)}" for _ in ids]
    fake = {i for i in range(n_accounts) if rnd.random() < 0.02}
    for i, aid in enumerate(ids):
        is_fake = i in fake
        company = rnd.choice(FAKE_COMPANIES if is_fake else COMPANIES)
        title = rnd.choice(TITLES)
        created = start - timedelta(days=rnd.randint(5, 40) if is_fake else rnd.randint(400, 4000))
        conns = rnd.randint(3, 60) if is_fake else rnd.randint(80, 900)
        yield {
            "kind": "account",
            "id": aid,
            "name": names[i],
            "username": aid.split("/")[-1],
            "headline": f"{title} at {company}",
            "title": title,
            "company": company,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "connections": conns,
            "followers": conns + rnd.randint(0, 50),
            "following": rnd.randint(10, 400),
            "posts": 0 if is_fake else rnd.randint(1, 200),
            "has_photo": not is_fake or rnd.random() < 0.5,
        }
    e = 0
    for i, aid in enumerate(ids):
        for _ in range(5):  # 5 out + about 5 in: ~10 connections per account
            j = rnd.randrange(n_accounts)
            if j == i:
                continue
            kind = rnd.choice(INVITES) if i in fake else "connection"
            at = start + timedelta(minutes=rnd.randint(0, 60 * 24 * 300))
            yield {
                "kind": "edge",
                "id": f"gen:edge/{e:09d}",
                "src": aid,
                "dst": ids[j],
                "type": kind,
                "at": at.isoformat().replace("+00:00", "Z"),
            }
            e += 1
    m = 0
    for i, aid in enumerate(ids):
        for _ in range(10):
            j = rnd.randrange(n_accounts)
            if i in fake and rnd.random() < 0.8:
                text = rnd.choice(LURES).format(name=names[j].split()[0]) + rnd.choice(EDITS)
                channel = "inmail"
            else:
                text = rnd.choice(texts)
                channel = "message"
            at = start + timedelta(minutes=rnd.randint(0, 60 * 24 * 300))
            yield {
                "kind": "message",
                "id": f"gen:msg/{m:09d}",
                "sender": aid,
                "recipients": [ids[j]],
                "sent_at": at.isoformat().replace("+00:00", "Z"),
                "channel": channel,
                "text": text,
            }
            m += 1


def write(path: Path, n_accounts: int, seed: int = 0) -> int:
    """Writes the feed; returns the number of records."""
    n = 0
    partial = path.with_name(path.name + ".partial")  # a failed run leaves no truncated feed
    with partial.open("w", encoding="utf-8") as fh:
        for rec in records(n_accounts, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    partial.replace(path)
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("accounts", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n = write(args.out, args.accounts, args.seed)
    print(f"{args.out}: {n} records ({args.accounts} accounts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
