"""What context costs: the scope rules in the lure detector, and the conversation pass of analyze.

Baselines, measured in the same run: the lure detector without the scope rules
(`lure.detect(view, scoped=False)`), and `analyze` on the same feed without conversation ids
(so no conversation is read). Run: `.venv/bin/python -m benchmarks.bench_context [N]`.
Results: docs/benchmarks/context.md.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "docs" / "benchmarks" / "context.md"

# invented conversation pieces: a harmless opener, then sometimes an escalation
OPENERS = [
    "Hello, I enjoyed your talk at the fair last month. Glad to connect.",
    "Bonjour, ravi de faire votre connaissance lors du salon.",
    "Hallo, schön, Sie auf der Messe kennengelernt zu haben.",
]
FOLLOWS = [
    "Could we continue on WhatsApp? It is easier for me.",
    "Thanks, see you at the next meetup.",
    "Our client would pay USD 3,000 for a short report.",
    "Merci, à bientôt.",
]


def texts(limit: int) -> list[str]:
    path = DATA / "messages/sms_spam_multilingual/data-en-hi-de-fr.csv"
    out: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            out.extend(row[c] for c in ("text", "text_fr", "text_de") if row.get(c))
            if len(out) >= limit:
                break
    return out[:limit]


def bench_detector(corpus: list[str]) -> tuple[float, float]:
    from lurewatch.records import Message
    from lurewatch.signals import lure
    from lurewatch.signals.views import MessageView

    views = [MessageView(message=Message(id="b", text=t), text=t) for t in corpus]
    best = {False: float("inf"), True: float("inf")}
    for _ in range(3):
        for scoped in (False, True):
            start = time.process_time()
            for view in views:
                lure._rows(view.text, True, scoped)  # uncached: the real per-message cost
            best[scoped] = min(best[scoped], time.process_time() - start)
    return best[False], best[True]


def feed(conversations: int, with_ids: bool, seed: int = 0) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    rows: list[dict[str, object]] = [{"kind": "account", "id": "me", "owner": True}]
    for c in range(conversations):
        sender = f"s{c}"
        rows.append({"kind": "account", "id": sender, "name": f"Sender {c}"})
        for i, text in enumerate([rnd.choice(OPENERS), rnd.choice(FOLLOWS), rnd.choice(FOLLOWS)]):
            row: dict[str, object] = {
                "kind": "message",
                "id": f"m{c}-{i}",
                "sender": sender,
                "recipients": ["me"],
                "sent_at": f"2025-03-0{i + 1}T09:00:00Z",
                "text": text,
            }
            if with_ids:
                row["conversation_id"] = f"c{c}"
            rows.append(row)
        rows.append(
            {
                "kind": "message",
                "id": f"r{c}",
                "sender": "me",
                "recipients": [sender],
                "conversation_id": f"c{c}",
                "text": "Thank you, but I will not move to WhatsApp.",
            }
        )
    return rows


def bench_analyze(conversations: int) -> tuple[float, float, int, int]:
    from lurewatch.engine.service import analyze, ingest_sources
    from lurewatch.settings import Settings
    from lurewatch.store import Store, queries

    times = {}
    highs = {}
    for with_ids in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "feed.jsonl"
            path.write_text(
                "".join(json.dumps(r) + "\n" for r in feed(conversations, with_ids)),
                encoding="utf-8",
            )
            store = Store(f"sqlite:///{Path(tmp) / 'b.db'}")
            try:
                ingest_sources(store, [path])
                start = time.perf_counter()
                summary = analyze(store, Settings(use_models=False), skip=frozenset({"graph"}))
                times[with_ids] = time.perf_counter() - start
                del summary
                with store.read() as conn:
                    highs[with_ids] = sum(
                        1
                        for a in queries.list_assessments(
                            conn, kind="message", level="high", limit=10**6
                        )
                    )
            finally:
                store.close()
    return times[False], times[True], highs[True], highs[False]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 6000
    corpus = texts(n)
    plain, scoped = bench_detector(corpus)
    conversations = max(50, n // 30)
    without, with_ids, high, high_without = bench_analyze(conversations)
    lines = [
        "# Context: cost of the scope rules and of reading conversations",
        "",
        "Generated by `python -m benchmarks.bench_context` on the shared development machine",
        "(2 cores shared with other jobs: absolute numbers are noisy, the ratios are the result).",
        "",
        "| what | baseline (same run) | with context | ratio |",
        "|---|---|---|---|",
        f"| lure detector, {len(corpus):,} multilingual SMS, CPU µs/message (best of 3, uncached) "
        f"| {plain / len(corpus) * 1e6:.1f} (no scope rules) | {scoped / len(corpus) * 1e6:.1f} "
        f"| {scoped / plain:.2f}× |",
        f"| `analyze`, {conversations} invented conversations ({conversations * 4} messages), s "
        f"| {without:.2f} (no conversation ids) | {with_ids:.2f} | {with_ids / without:.2f}× |",
        "",
        f"With conversation ids, {high} of the {conversations * 3} incoming messages are rated "
        "high (harmless openers lifted by a later move to WhatsApp or a paid request from the "
        f"same sender); without, {high_without}. The {conversations} refusals by the member are "
        "context (score 0) in both.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
