"""`lurewatch train`: rebuilds the message and account models from ../shared/data, deterministically.

Splits are by group (translations and duplicates together) through a seeded hash, so the same
seed gives the same split on any machine and in any row order: 60% fit, 20% calibration, 20%
validation (levels and the metrics in the model card). The recruiter e-mails are never trained
on: they are the only real legitimate outreach we have, kept as hard negatives for evaluation.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.evidence import Evidence
from lurewatch.models import ACCOUNT_ARTIFACT, MESSAGE_ARTIFACT
from lurewatch.models.calibration import Calibrator
from lurewatch.models.datasets import TextRow, load_messages
from lurewatch.models.features import signal_strengths
from lurewatch.models.linear import LinearArtifact, fit_weights, save_artifact
from lurewatch.models.scorers import (
    SIG,
    MessageScorer,
    message_features,
)
from lurewatch.records import Message
from lurewatch.scoring.base import Levels
from lurewatch.signals.views import message_view

Progress = Callable[[str], None]
MESSAGE_VERSION = "message-lr-v1"
TRAIN_EXCLUDED_PROXIES = ("recruiter",)
# Word weights are learned only inside proxies that hold both classes in one register (SMS
# spam vs ham, fraudulent vs real job adverts). The CLAIR fraud letters have no legitimate
# letters beside them: words learned from them would learn "formal English letter = fraud"
# ("dear", "mr", "sir"), which real legitimate outreach also is. They teach the rule-evidence
# weights only.
WORDLESS_PROXIES = ("clair",)


@dataclass(frozen=True)
class MessageConfig:
    C: float = 0.5
    # Word features are scaled down so the rule evidence leads: at 1.0 the words learned from
    # e-mail proxies hurt on unseen SMS (cross-proxy table in docs/evaluation.md).
    text_scale: float = 0.3  # 0 = rule evidence only
    min_count: int = 3
    calibration: str = "isotonic"
    # False: the rule evidence enters only as rules v1's log-odds (one learned scale), no
    # per-signal corrections learned from the proxies.
    per_signal: bool = True
    # "No single indicator is proof" (threat model): a per-signal correction learned from the
    # proxies is capped, so a phone number (in 1,000 SMS spams) cannot alone make a message
    # high risk; legitimate recruiters give phone numbers too.
    max_signal_weight: float = 2.0


def bucket(group: str, seed: int) -> int:
    """A stable number in [0, 100) per group: the split never depends on row order."""
    return int(hashlib.sha1(f"{seed}:{group}".encode()).hexdigest()[:8], 16) % 100


def split_name(group: str, seed: int) -> str:
    b = bucket(group, seed)
    return "fit" if b < 60 else ("calibration" if b < 80 else "validation")


# ----------------------------------------------------------------------------- evidence


def _detector(module: str) -> Callable[[Any], list[Evidence]] | None:
    if importlib.util.find_spec(module) is None:
        return None
    mod = importlib.import_module(module)
    return getattr(mod, "detect", None)


def message_strengths(
    rows: Sequence[TextRow], progress: Progress | None = None
) -> list[dict[str, float]]:
    """Rule evidence per row from the same lure detector `check` runs (language from the data)."""
    detect = _detector("lurewatch.signals.lure")
    out: list[dict[str, float]] = []
    for i, row in enumerate(rows):
        if detect is None:
            out.append({})
            continue
        view = message_view(Message(id=f"train-{i}", text=row.text), language=row.language)
        out.append(signal_strengths(detect(view)))
        if progress and (i + 1) % 5000 == 0:
            progress(f"  rule evidence: {i + 1:,}/{len(rows):,} messages")
    return out


# ----------------------------------------------------------------------------- weights


def _balanced_weights(
    labels: np.ndarray, base: np.ndarray, strata: Sequence[str] | None = None
) -> np.ndarray:
    """Within each stratum (a language), each class gets half of that stratum's weight.

    Without this, English has extra positive proxies (fraud e-mails, job adverts) that French
    and German lack, and the model learns "French or German means legitimate".
    """
    w = base.astype(float).copy()
    keys = np.asarray(strata if strata is not None else ["all"] * len(labels))
    for key in sorted(set(keys.tolist())):
        in_stratum = keys == key
        total = w[in_stratum].sum()
        for cls in (0, 1):
            mask = in_stratum & (labels == cls)
            if mask.any() and total > 0:
                w[mask] *= (total / 2.0) / w[mask].sum()
    return w * (len(w) / w.sum())


def _message_base_weight(row: TextRow) -> float:
    return 1.0 / 3.0 if row.proxy == "sms" else 1.0  # each SMS appears in three languages


def _cut(neg: np.ndarray, fpr: float) -> float:
    """Lowest score that at most `fpr` of the negatives reach (ties are never split)."""
    for value in np.unique(neg):
        if (neg >= value).mean() <= fpr:
            return float(value)
    return float(neg.max()) + 1e-4


# The validation negatives are mostly casual SMS, far easier than real professional outreach:
# a 1% false-positive cut on them lets a recruiter e-mail with one weak signal reach "high".
# High therefore also needs a calibrated probability of at least 0.9.
HIGH_FLOOR = 0.9


def choose_levels(probabilities: np.ndarray, labels: np.ndarray) -> Levels:
    """Medium = 10% and high = 1% false-positive rate on validation negatives, kept apart and in range.

    Medium in [0.10, 0.60]; high in [max(medium + 0.10, 0.90), 0.95].
    """
    neg = np.sort(np.asarray(probabilities)[np.asarray(labels) == 0])
    if len(neg) == 0:
        return Levels()
    medium = _cut(neg, 0.10)
    high = _cut(neg, 0.01)
    medium = min(max(medium, 0.10), 0.60)
    high = min(max(high, medium + 0.10, HIGH_FLOOR), 0.95)
    return Levels(medium=round(medium, 4), high=round(high, 4))


# ----------------------------------------------------------------------------- messages


def _common_signals(strengths: Sequence[dict[str, float]], min_count: int) -> list[str]:
    """Codes firing in at least `min_count` training rows: the ones the model may weigh."""
    counts: dict[str, int] = {}
    for st in strengths:
        for code, s in st.items():
            if s > 0:
                counts[code] = counts.get(code, 0) + 1
    return sorted(c for c, n in counts.items() if n >= min_count)


def fit_message_model(
    rows: Sequence[TextRow],
    strengths: Sequence[dict[str, float]],
    *,
    seed: int = 0,
    config: MessageConfig = MessageConfig(),  # noqa: B008
) -> MessageScorer:
    """Fits weights (no calibration: the caller calibrates on rows it held out)."""
    seen = _common_signals(strengths, config.min_count)
    known = set(seen)
    feats = [
        message_features(
            r.text,
            {c: s for c, s in st.items() if c in known},
            0.0 if r.proxy in WORDLESS_PROXIES else config.text_scale,
        )
        for r, st in zip(rows, strengths, strict=True)
    ]
    if not config.per_signal:
        feats = [{k: v for k, v in f.items() if not k.startswith(SIG)} for f in feats]
    labels = np.array([r.label for r in rows])
    weights = _balanced_weights(
        labels, np.array([_message_base_weight(r) for r in rows]), [r.language for r in rows]
    )
    bias, w = fit_weights(
        feats, labels, sample_weight=weights, C=config.C, seed=seed, min_count=config.min_count
    )
    w = {n: (min(v, config.max_signal_weight) if n.startswith(SIG) else v) for n, v in w.items()}
    artifact = LinearArtifact(
        kind="message",
        version=MESSAGE_VERSION,
        bias=bias,
        weights=w,
        calibrator=Calibrator(config.calibration),
        levels=Levels(),
        params={"text_scale": config.text_scale, "signals": seen},
    )
    return MessageScorer(artifact)


def score_messages(
    scorer: MessageScorer, rows: Sequence[TextRow], strengths: Sequence[dict[str, float]]
) -> np.ndarray:
    """Raw decision values for rows whose rule evidence is precomputed (evaluation, calibration)."""
    scale = float(scorer.artifact.params.get("text_scale", 0.0))
    known = scorer.modelled_signals
    return np.array(
        [
            scorer.artifact.decision(
                message_features(r.text, {c: s for c, s in st.items() if c in known}, scale)
            )
            for r, st in zip(rows, strengths, strict=True)
        ]
    )


def calibrate(scorer, z: np.ndarray, labels: np.ndarray, method: str = "isotonic") -> None:  # noqa: ANN001
    scorer.artifact.calibrator = Calibrator(method).fit(z, labels)


# ----------------------------------------------------------------------------- the command


def _metrics(z: np.ndarray, p: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    from lurewatch.evaluation.metrics import ece, pr_auc, roc_auc, tpr_at_fpr

    return {
        "roc_auc": round(roc_auc(labels, z), 4),
        "pr_auc": round(pr_auc(labels, z), 4),
        "tpr_at_1pct_fpr": round(tpr_at_fpr(labels, z, 0.01), 4),
        "tpr_at_10pct_fpr": round(tpr_at_fpr(labels, z, 0.10), 4),
        "ece": round(ece(labels, p), 4),
        "n": int(len(labels)),
        "positives": int(labels.sum()),
    }


def train_messages(
    data_dir: Path, seed: int, progress: Progress, config: MessageConfig = MessageConfig()
) -> MessageScorer:  # noqa: B008
    rows = [r for r in load_messages(data_dir) if r.proxy not in TRAIN_EXCLUDED_PROXIES]
    if not rows:
        raise FileNotFoundError(f"no message data under {Path(data_dir) / 'messages'}")
    progress(f"messages: {len(rows):,} rows; computing rule evidence")
    strengths = message_strengths(rows, progress)
    parts = [split_name(r.group, seed) for r in rows]
    pick = lambda name: [i for i, p in enumerate(parts) if p == name]  # noqa: E731
    fit_i, cal_i, val_i = pick("fit"), pick("calibration"), pick("validation")
    progress(
        f"messages: fitting on {len(fit_i):,} rows (C={config.C}, text_scale={config.text_scale})"
    )
    scorer = fit_message_model(
        [rows[i] for i in fit_i], [strengths[i] for i in fit_i], seed=seed, config=config
    )
    y = np.array([r.label for r in rows])
    z_cal = score_messages(scorer, [rows[i] for i in cal_i], [strengths[i] for i in cal_i])
    calibrate(scorer, z_cal, y[cal_i], config.calibration)
    z_val = score_messages(scorer, [rows[i] for i in val_i], [strengths[i] for i in val_i])
    p_val = scorer.artifact.calibrator.probabilities(z_val)
    scorer.artifact.levels = choose_levels(p_val, y[val_i])
    scorer.artifact.meta = {
        "seed": seed,
        "config": config.__dict__,
        "train_rows": {"fit": len(fit_i), "calibration": len(cal_i), "validation": len(val_i)},
        "excluded_from_training": list(TRAIN_EXCLUDED_PROXIES),
        "validation": _metrics(z_val, p_val, y[val_i]),
    }
    return scorer


def train_all(
    data_dir: Path,
    models_dir: Path,
    *,
    seed: int = 0,
    cards_dir: Path | None = None,
    progress: Progress = print,
) -> dict[str, Path]:
    """Rebuilds every model; returns artifact paths. Also runs the avatar trainer when installed."""
    from lurewatch.models.cards import write_account_card, write_message_card

    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    message = train_messages(data_dir, seed, progress)
    size = save_artifact(message.artifact, models_dir / MESSAGE_ARTIFACT)
    written["message"] = models_dir / MESSAGE_ARTIFACT
    progress(
        f"messages: wrote {written['message']} ({size / 1024:.0f} KiB); validation {message.artifact.meta['validation']}"
    )
    from lurewatch.models import MESSAGE_STACK_ARTIFACT
    from lurewatch.models.message_stack import save_stack
    from lurewatch.models.stack_training import train_message_stack

    stack = train_message_stack(data_dir, seed, progress)
    size = save_stack(stack, models_dir / MESSAGE_STACK_ARTIFACT)
    written["message_stack"] = models_dir / MESSAGE_STACK_ARTIFACT
    progress(f"message stack: wrote {written['message_stack']} ({size / 1024:.0f} KiB)")
    account = train_accounts(data_dir, seed, progress)
    size = save_artifact(account.artifact, models_dir / ACCOUNT_ARTIFACT)
    written["account"] = models_dir / ACCOUNT_ARTIFACT
    progress(
        f"accounts: wrote {written['account']} ({size / 1024:.0f} KiB); validation {account.artifact.meta['validation']}"
    )
    if cards_dir is not None:
        Path(cards_dir).mkdir(parents=True, exist_ok=True)
        written["message_card"] = write_message_card(message.artifact, Path(cards_dir))
        written["account_card"] = write_account_card(account.artifact, Path(cards_dir))
        progress(f"model cards: {written['message_card']}, {written['account_card']}")
    if (
        importlib.util.find_spec("lurewatch.avatar") is not None
        and importlib.util.find_spec("lurewatch.avatar.training") is not None
    ):
        progress("avatar: training (lurewatch.avatar.training)")
        from lurewatch.avatar import training as avatar_training

        avatar_training.train(Path(data_dir), models_dir, seed)
    else:
        progress("avatar: lurewatch.avatar.training not installed; skipped")
    return written


# The account model lives in `account_training`; these names stay importable from here.
from lurewatch.models.account_training import (  # noqa: E402
    ACCOUNT_VERSION,
    AccountConfig,
    account_strengths,
    fit_account_model,
    score_accounts,
    train_accounts,
)

__all__ = [
    "ACCOUNT_VERSION",
    "AccountConfig",
    "account_strengths",
    "calibrate",
    "fit_account_model",
    "score_accounts",
    "train_accounts",
]
