"""Evaluation of the context rules (refusals, negations, quotations, warnings; `scope.py`).

The question is whether muting lure words that are refused, quoted or warned about costs
recall on real approaches. So the rules alone (lure evidence + rules-v1 combination, no learned
model) score the real messages of `messages/real_outreach` (approach vs legitimate) and the
multilingual SMS set (EN/FR/DE) twice, with and without the scope rules, in one table.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from lurewatch.evaluation.base import EvalContext, EvalSection
from lurewatch.evaluation.metrics import fmt, summary
from lurewatch.records import Message
from lurewatch.scoring.rules import combine
from lurewatch.signals import lure
from lurewatch.signals.views import message_view

MUTING = ("negated", "quoted", "warning", "reported")


def _real_outreach(data_dir: Path) -> list[tuple[str, int, str]]:
    """(text, label, language group) per message of the real corpus."""
    out: list[tuple[str, int, str]] = []
    for path in sorted((data_dir / "messages" / "real_outreach").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                lang = row.get("lang") if row.get("lang") in ("en", "fr", "de") else "other"
                out.append((row["text"], int(row["label"] == "approach"), lang))
    return out


def _sms(data_dir: Path, limit: int) -> list[tuple[str, int, str]]:
    path = data_dir / "messages" / "sms_spam_multilingual" / "data-en-hi-de-fr.csv"
    out: list[tuple[str, int, str]] = []
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if i >= limit:
                break
            for column, lang in (("text", "en"), ("text_fr", "fr"), ("text_de", "de")):
                if row.get(column):
                    out.append((row[column], int(row["labels"] == "spam"), lang))
    return out


def _scores(rows: list[tuple[str, int, str]]) -> tuple[list[float], list[float], list[bool]]:
    """Rule scores without and with the scope rules, and whether any hit was muted."""
    before: list[float] = []
    after: list[float] = []
    muted: list[bool] = []
    for text, _label, _lang in rows:
        view = message_view(Message(id="eval", text=text))
        before.append(combine(lure.detect(view, scoped=False)))
        found = lure.detect(view)
        after.append(combine(found))
        muted.append(any(any(w in str(e.values.get("context", "")) for w in MUTING) for e in found))
    return before, after, muted


def evaluate(ctx: EvalContext) -> EvalSection:
    sets = {
        "real_outreach (332 real messages, approach vs legitimate)": _real_outreach(ctx.data_dir),
        "SMS spam EN/FR/DE (spam vs ham)": _sms(ctx.data_dir, 500 if ctx.quick else 3000),
    }
    lines = [
        "Rules alone (lure evidence + rules-v1), without and with the context rules of",
        "`signals/scope.py` (refusals, negations, quotations, scam warnings muted to 30%).",
        "Regenerate with `lurewatch eval --only context`. No threshold was tuned on these sets.",
        "",
        "| set | group | n | ROC-AUC without → with | TPR@10%FPR without → with "
        "| TPR@1%FPR without → with | messages with a muted hit | scores changed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    metrics: dict[str, float] = {}
    for name, rows in sets.items():
        if not rows:
            lines.append(f"| {name} | — | 0 | _data not available_ | | | | |")
            continue
        groups = ["all", *sorted({lang for _, _, lang in rows})]
        before, after, muted = _scores(rows)
        for group in groups:
            idx = [i for i, r in enumerate(rows) if group == "all" or r[2] == group]
            labels = [rows[i][1] for i in idx]
            if len(set(labels)) < 2:
                continue
            b = summary(labels, [before[i] for i in idx])
            a = summary(labels, [after[i] for i in idx])
            changed = sum(abs(before[i] - after[i]) > 1e-9 for i in idx)
            muted_n = sum(muted[i] for i in idx)
            lines.append(
                f"| {name} | {group} | {len(idx)} "
                f"| {fmt(b['roc_auc'])} → {fmt(a['roc_auc'])} "
                f"| {fmt(b['tpr_at_10pct_fpr'])} → {fmt(a['tpr_at_10pct_fpr'])} "
                f"| {fmt(b['tpr_at_1pct_fpr'])} → {fmt(a['tpr_at_1pct_fpr'])} "
                f"| {muted_n} | {changed} |"
            )
            if group == "all":
                key = "real_outreach" if name.startswith("real") else "sms"
                metrics[f"{key}_roc_auc_without"] = b["roc_auc"]
                metrics[f"{key}_roc_auc_with"] = a["roc_auc"]
    lines += [
        "",
        "Reading: the real approaches do not phrase their lure words as refusals, quotations or",
        "warnings, so muting those costs no recall there; what it fixes is the member's own",
        "refusal and quoted or warning texts (tests in EN/FR/DE: `tests/signals/test_signals_scope.py`).",
    ]
    return EvalSection(
        title="Context: refusals, negations, quotations",
        markdown="\n".join(lines) + "\n",
        metrics=metrics,
    )
