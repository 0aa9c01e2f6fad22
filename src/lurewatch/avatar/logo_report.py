"""`lurewatch eval`, avatars: the leave-one-generator-out tables that chose the shipped model.

Features come from `feature_cache` (folder `LUREWATCH_FEATURE_CACHE`, else
/tmp/lurewatch-faces-cache): computing dlib's descriptor for ~1,800 faces under a dozen
conditions takes hours on a shared 2-core machine, and every table below reuses them.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from lurewatch.avatar import conditions, dataset, feature_cache, logo, stack_training
from lurewatch.avatar.stack_model import Part, StackModel
from lurewatch.evaluation.base import EvalContext

DEFAULT_CACHE = Path("/tmp/lurewatch-faces-cache")
# every family measured (the shipped model reads the first two)
EVAL_FAMILIES: tuple[str, ...] = ("dlib", "resid", "resid_face")
ROBUST_PER_GENERATOR = 20  # faces per generator scored under each robustness condition
ROBUST_REAL = 50  # held-out real photos scored under each robustness condition


@dataclass
class FamilyScorer:
    """One family's classifier alone, as a `logo.Scorer`."""

    family: str
    kind: str
    C: float

    def fit(self, X: np.ndarray, y: np.ndarray, generators: list[str]) -> FamilyScorer:
        a, b = stack_training.layout(EVAL_FAMILIES)[self.family]
        self.cols = (a, b)
        self.part = Part(self.family, self.kind, self.C).fit(
            X[:, a:b], y, logo.balanced_weights(y, generators)
        )
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.part.decision(X[:, self.cols[0] : self.cols[1]])


@dataclass
class ConcatScorer:
    """Every family's columns in one standardised logistic regression."""

    C: float = 0.05

    def fit(self, X: np.ndarray, y: np.ndarray, generators: list[str]) -> ConcatScorer:
        self.part = Part("all", "linear", self.C).fit(X, y, logo.balanced_weights(y, generators))
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.part.decision(X)


def _stack(parts: tuple[tuple[str, str, float], ...]) -> Callable[[], Any]:
    def make() -> Any:
        return StackModel(
            [Part(f, k, c) for f, k, c in parts], stack_training.layout(EVAL_FAMILIES)
        )

    return make


# name -> factory; every candidate is refitted on each fold (the shipped recipe last)
SHIPPED = "**shipped recipe: descriptor + whole-photo residuals, one logistic**"
# name -> factory; every candidate is refitted on each fold
CANDIDATES: dict[str, Callable[[], Any]] = {
    "face descriptor (dlib), RBF SVM (the v1 recipe)": lambda: FamilyScorer("dlib", "rbf", 1.0),
    "face descriptor (dlib), logistic": lambda: FamilyScorer("dlib", "linear", 0.1),
    "residuals + spectrum, whole photo, logistic": lambda: FamilyScorer("resid", "linear", 0.1),
    "residuals + spectrum, face crop, logistic": lambda: FamilyScorer("resid_face", "linear", 0.1),
    "descriptor + whole-photo residuals, RBF SVM": lambda: FamilyScorer("dlib+resid", "rbf", 1.0),
    "all three families, one logistic": ConcatScorer,
    "stack: a part per family, combiner on generator-grouped folds": _stack(
        (("dlib", "rbf", 1.0), ("resid", "linear", 0.1), ("resid_face", "linear", 0.1))
    ),
    SHIPPED: _stack(stack_training.PARTS),
}


def cache_dir() -> Path:
    raw = os.environ.get(stack_training.CACHE_ENV, "").strip()
    return Path(raw) if raw else DEFAULT_CACHE


def robust_files(
    files: list[dataset.FaceFile], per_generator: int, seed: int = 0
) -> list[dataset.FaceFile]:
    """Held-out real photos and a fixed sample of each generator (held-out StyleGAN1 only)."""
    real = [f for f in files if f.label == 0 and f.heldout]
    pick = np.random.default_rng(seed + 1).permutation(len(real))[:ROBUST_REAL]
    out = [real[i] for i in sorted(pick)]
    for g in sorted({f.generator for f in files if f.label == 1}):
        pool = [f for f in files if f.generator == g and (f.heldout or g != "StyleGAN1")]
        idx = sorted(np.random.default_rng(seed).permutation(len(pool))[:per_generator])
        out += [pool[i] for i in idx]
    return out


def _fmt(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def _row(
    per_gen: dict[str, dict[str, float]], gens: list[str]
) -> tuple[list[str], dict[str, float]]:
    s = logo.summary(per_gen)
    cells = [
        f"{_fmt(per_gen[g]['auc'])} / {_fmt(per_gen[g]['tpr1'])}" if g in per_gen else "—"
        for g in gens
    ]
    cells += [
        f"{_fmt(s['worst_auc'])} / {_fmt(s['worst_tpr1'])}",
        f"{_fmt(s['mean_auc'])} / {_fmt(s['mean_tpr1'])}",
    ]
    return cells, s


class _Fixed:
    """An already-trained model scored as is on every fold (the previous descriptor model)."""

    def __init__(self, score: Callable[[np.ndarray], np.ndarray]) -> None:
        self.score = score

    def fit(self, X: np.ndarray, y: np.ndarray, generators: list[str]) -> _Fixed:
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.score(X)


def _previous_model(models_dir: Path) -> _Fixed | None:
    from lurewatch.avatar.descriptor_model import DescriptorModel
    from lurewatch.errors import ModelArtifactError

    try:
        old = DescriptorModel.load(models_dir)
    except ModelArtifactError:
        return None
    a, b = stack_training.layout()["dlib"]
    return _Fixed(lambda X: old.decision(X[:, a:b]))


def logo_section(ctx: EvalContext, shipped: Any) -> tuple[str, dict[str, float]]:
    """Markdown and metrics: candidates by LOGO, the shipped recipe under robustness
    conditions, format / size controls, and the committed artifact end to end."""
    started = time.perf_counter()
    files = dataset.all_face_files(ctx.data_dir)
    if ctx.quick:
        rng = np.random.default_rng(ctx.seed)
        keep: list[dataset.FaceFile] = []
        for g in sorted({f.generator for f in files}):
            pool = [f for f in files if f.generator == g]
            keep += [pool[i] for i in sorted(rng.permutation(len(pool))[:40])]
        files = keep
    cache = cache_dir()
    fams = EVAL_FAMILIES

    def feats(subset: list[dataset.FaceFile], cond: str) -> np.ndarray:
        got = feature_cache.cached_features(subset, cond, fams, cache, 2, ctx.progress)
        return np.hstack([got[f] for f in fams])

    X = feats(files, conditions.JUDGED)
    ok = ~np.isnan(X).any(axis=1)
    files = [f for f, k in zip(files, ok, strict=True) if k]
    X = X[ok]
    y = np.array([f.label for f in files])
    gens = [f.generator for f in files]
    held = np.array([f.heldout for f in files])
    fake_gens = sorted({g for g, lab in zip(gens, y, strict=True) if lab == 1})
    metrics: dict[str, float] = {}
    n_real = int(((y == 0) & held).sum())
    counts = ", ".join(f"{g} {gens.count(g)}" for g in fake_gens)
    head = " | ".join(f"{g} left out: ROC-AUC / TPR@1%" for g in fake_gens)
    lines = [
        f"Leave-one-generator-out (LOGO): for each generator, every model below is trained on the "
        f"real photographs' training split and on the *other* generators, then scores the "
        f"{n_real} held-out real photographs against every face of the generator it never saw "
        f"({counts}; StyleGAN1 capped at {dataset.FOLDER_CAP} files). Every image first goes through "
        f"the judged transform ({conditions.JUDGED}) and then the check pipeline. Training weighs "
        "each class and each generator equally. With "
        f"{n_real} real photographs, 1% FPR is {max(1, n_real // 100)} false alarm(s): TPR at 1% FPR "
        "is noisy (± several points).",
        "",
        f"| model | {head} | worst | mean |",
        "|---|" + "---|" * (len(fake_gens) + 2),
    ]
    candidates: dict[str, Callable[[], Any]] = dict(CANDIDATES)
    previous = _previous_model(Path(ctx.models_dir) / "avatar")
    if previous is not None:
        candidates = {
            "previous model (descriptor v1, trained on StyleGAN1 only: not unseen for StyleGAN1)": (
                lambda: previous
            ),
            **candidates,
        }
    for name, make in candidates.items():
        ctx.progress(f"avatar LOGO: {name}")
        per_gen = logo.run(make, X, y, gens, held, {"judged": (X, None)})["judged"]
        cells, s = _row(per_gen, fake_gens)
        slug = "".join(c if c.isalnum() else "_" for c in name.lower().strip("*"))[:40].strip("_")
        metrics[f"logo_worst_tpr1_{slug}"] = s["worst_tpr1"]
        metrics[f"logo_worst_auc_{slug}"] = s["worst_auc"]
        lines.append(f"| {name} | {' | '.join(cells)} |")
        if name == SHIPPED:
            for g, m in per_gen.items():
                metrics[f"logo_tpr1_{g}"] = m["tpr1"]
                metrics[f"logo_auc_{g}"] = m["auc"]
    text, m = _robustness(ctx, files, X, y, gens, held, feats)
    metrics.update(m)
    lines += ["", text]
    text, m = _shipped_end_to_end(ctx, shipped, files, X, y, gens, held)
    metrics.update(m)
    lines += ["", text, "", f"(LOGO tables computed in {time.perf_counter() - started:.0f} s.)"]
    return "\n".join(lines), metrics


def _robustness(
    ctx: EvalContext,
    files: list[dataset.FaceFile],
    X: np.ndarray,
    y: np.ndarray,
    gens: list[str],
    held: np.ndarray,
    feats: Callable[[list[dataset.FaceFile], str], np.ndarray],
) -> tuple[str, dict[str, float]]:
    """The shipped recipe, fitted per fold on the judged transform, scored under other conditions."""
    from lurewatch.evaluation.metrics import roc_auc

    sample = robust_files(files, 15 if ctx.quick else ROBUST_PER_GENERATOR, ctx.seed)
    index = {f.path: i for i, f in enumerate(files)}
    at = [index[f.path] for f in sample]  # sample order is not file order
    rows = np.zeros(len(files), dtype=bool)
    rows[at] = True
    tests: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for cond in conditions.ALL:
        if cond == conditions.JUDGED:
            tests[cond] = (X, rows)
            continue
        Xc = np.zeros_like(X)
        Xc[at] = feats(sample, cond)
        tests[cond] = (np.nan_to_num(Xc), rows)
    out = logo.run(
        CANDIDATES[SHIPPED],
        X,
        y,
        gens,
        held,
        tests,
    )
    fake_gens = sorted(out[conditions.JUDGED])
    n_real = int((rows & (y == 0)).sum())
    lines = [
        f"Robustness of the shipped recipe (LOGO folds as above; scored on {n_real} held-out real "
        f"photographs and {len(sample) - n_real} faces of the left-out generator, "
        f"{15 if ctx.quick else ROBUST_PER_GENERATOR} per generator; each condition is applied to the "
        "original file, the model was trained on the judged transform only):",
        "",
        "| condition | " + " | ".join(f"{g}: ROC-AUC / TPR@1%" for g in fake_gens) + " | worst |",
        "|---|" + "---|" * (len(fake_gens) + 1),
    ]
    metrics: dict[str, float] = {}
    for cond in conditions.ALL:
        cells, s = _row(out[cond], fake_gens)
        lines.append(f"| {cond} | {' | '.join(cells[:-1])} |")
        metrics[f"robust_worst_tpr1_{len(metrics) // 2}"] = s["worst_tpr1"]
        metrics[f"robust_worst_auc_{len(metrics) // 2}"] = s["worst_auc"]
    # controls: the same pixels saved two ways must not be told apart by the score
    model = StackModel(
        [Part(f, k, c) for f, k, c in stack_training.PARTS], stack_training.layout(EVAL_FAMILIES)
    ).fit(X[~held], y[~held], [g for g, h in zip(gens, held, strict=True) if not h], ctx.seed)
    lines.append("")
    for pair, what in (
        (conditions.FORMAT_PAIR, "Format-only"),
        (conditions.SIZE_PAIR, "Size-only"),
    ):
        a, b = pair
        sa, sb = model.predict_proba(tests[a][0][rows]), model.predict_proba(tests[b][0][rows])
        auc = roc_auc(np.r_[np.ones(len(sa)), np.zeros(len(sb))], np.r_[sa, sb])
        metrics[f"{what.lower()[:4]}_control_auc"] = auc
        lines.append(
            f"{what} control (the {len(sa)} images above, model trained on every generator): the "
            f"same pixels as *{a.split(': ')[1]}* and as *{b.split(': ')[1]}*; ROC-AUC of telling the "
            f"two apart from the score {_fmt(auc)} (0.5 = blind to it), mean score change "
            f"{float(np.abs(sa - sb).mean()):.3f}."
        )
    return "\n".join(lines), metrics


def _shipped_end_to_end(
    ctx: EvalContext,
    shipped: Any,
    files: list[dataset.FaceFile],
    X: np.ndarray,
    y: np.ndarray,
    gens: list[str],
    held: np.ndarray,
) -> tuple[str, dict[str, float]]:
    """The committed artifact on the held-out split (every generator seen in training), and a
    check that `lurewatch avatar`'s path gives the scores the cached features give."""
    from lurewatch.avatar.loading import load_image

    stack = getattr(shipped, "stack", None)
    if stack is None:
        return "The stacked model's artifact is not loaded (dlib missing?): not measured.", {}
    metrics: dict[str, float] = {}
    p = stack.model.predict_proba(X)
    lines = [
        f"The committed artifact ({stack.version}, trained on the training split of every "
        "generator) on the held-out split, judged transform: in-distribution figures, an upper "
        "bound for what unseen generators get.",
        "",
        "| generator | faces | ROC-AUC | TPR at 1% FPR | TPR at 10% FPR |",
        "|---|---|---|---|---|",
    ]
    for g in sorted({g for g, lab in zip(gens, y, strict=True) if lab == 1}):
        mask = held & ((y == 0) | (np.asarray(gens) == g))
        m = logo.metrics(y[mask], p[mask])
        metrics[f"shipped_heldout_tpr1_{g}"] = m["tpr1"]
        lines.append(
            f"| {g} | {int((mask & (y == 1)).sum())} | {_fmt(m['auc'])} | {_fmt(m['tpr1'])} | "
            f"{_fmt(m['tpr10'])} |"
        )
    picked = [i for i in np.flatnonzero(held)][:: max(1, int(held.sum()) // 8)][:8]
    gap = 0.0
    for i in picked:
        img: Image.Image = conditions.judged(load_image(files[i].path).image)
        gap = max(gap, abs(shipped.score_image(img) - float(p[i])))
    metrics["end_to_end_max_gap"] = gap
    lines += [
        "",
        f"End to end: {len(picked)} held-out photos scored through `SyntheticFaceDetector` "
        f"(what `lurewatch avatar` runs) differ from the cached-feature scores by at most {gap:.2g}.",
    ]
    return "\n".join(lines), metrics
