"""`lurewatch eval` section for avatars: synthetic-face detection and reused-photo matching.

Synthetic faces: the committed model scores the held-out quarter of the shared faces (never
seen in training), every image re-encoded through the one pipeline first; then the same after
JPEG q70 and after a 128 px resize, as real profile photos are. A format-leak check trains a
classifier on file metadata alone (quantisation tables, chroma subsampling, size), on the
original files and on the re-encoded ones. Photo reuse: transformed copies of held-out faces
must match, different faces must not.
"""

from __future__ import annotations

import io
import math
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from lurewatch.avatar import dataset, features
from lurewatch.avatar.loading import load_image
from lurewatch.avatar.model import SyntheticFaceDetector, SyntheticFaceModel
from lurewatch.errors import ModelArtifactError
from lurewatch.evaluation.base import EvalContext, EvalSection


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


CONDITIONS = {
    "re-encoded (check pipeline)": lambda im: im,
    "JPEG q70": lambda im: jpeg(im, 70),
    "resized to 128 px": lambda im: im.resize((128, 128), Image.Resampling.BICUBIC),
    "128 px + JPEG q70": lambda im: jpeg(im.resize((128, 128), Image.Resampling.BICUBIC), 70),
}


def _noise(im: Image.Image, sigma: float = 4.0) -> Image.Image:
    """Additive Gaussian noise, seeded by the pixels so every run adds the same noise."""
    a = np.asarray(im.convert("RGB"), dtype=np.float32)
    rng = np.random.default_rng(zlib.crc32(a[::7, ::7].tobytes()))
    return Image.fromarray(np.clip(a + rng.normal(0, sigma, a.shape), 0, 255).astype(np.uint8))


def _reframe(im: Image.Image) -> Image.Image:
    """A square of 75–90% of the side at a random offset, seeded by the pixels: a face framed
    off-centre and closer, as real profile photos are and FFHQ-aligned training faces are not."""
    a = np.asarray(im.convert("RGB"))
    rng = np.random.default_rng(zlib.crc32(a[::5, ::5].tobytes()))
    side = min(im.size)
    crop = int(side * rng.uniform(0.75, 0.90))
    left = int(rng.integers(0, im.size[0] - crop + 1))
    top = int(rng.integers(0, im.size[1] - crop + 1))
    return im.crop((left, top, left + crop, top + crop))


# Degradations that no training pipeline draws: a partial proxy for "conditions never seen"
UNSEEN = {
    "reframed: random 75–90% crop (not in training)": _reframe,
    "Gaussian blur r=1 (not in training)": lambda im: im.filter(ImageFilter.GaussianBlur(1.0)),
    "Gaussian noise sd 4 (not in training)": _noise,
    "resized to 96 px (not in training)": lambda im: im.resize((96, 96), Image.Resampling.BICUBIC),
}

# Two encodings of the same pixels: a score that tells them apart is reading the file format
FORMAT_PAIR = {
    "JPEG q95 4:4:4": lambda im: _jpeg_sub(im, 95, 0),
    "JPEG q60 4:2:0": lambda im: _jpeg_sub(im, 60, 2),
}


def _jpeg_sub(img: Image.Image, quality: int, subsampling: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality, subsampling=subsampling)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


def score_conditions(
    model: Any,
    files: list[dataset.FaceFile],
    conditions: dict[str, Callable[[Image.Image], Image.Image]],
    progress: Callable[[str], None] | None = None,
) -> dict[str, np.ndarray]:
    """`model.score_image` of every file under every condition (condition → scores in file order)."""
    out: dict[str, list[float]] = {c: [] for c in conditions}
    for i, f in enumerate(files):
        if progress is not None and i % 100 == 0:
            progress(f"avatar eval: scoring held-out faces {i}/{len(files)}")
        img = load_image(f.path).image
        for cond, fn in conditions.items():
            out[cond].append(model.score_image(fn(img)))
    return {c: np.asarray(v) for c, v in out.items()}


TRANSFORMS = {
    "resize to 128 px": lambda im: im.resize((128, 128), Image.Resampling.BICUBIC),
    "resize to 512 px": lambda im: im.resize((512, 512), Image.Resampling.BICUBIC),
    "JPEG q50": lambda im: jpeg(im, 50),
    "crop 5% top-left": lambda im: im.crop((13, 13, 256, 256)),
    "crop 3% left": lambda im: im.crop((8, 0, 256, 256)),
    "crop 4% all sides": lambda im: im.crop((10, 10, 246, 246)),
    "mirror": ImageOps.mirror,
    "grayscale": lambda im: ImageOps.grayscale(im).convert("RGB"),
    "saturation ×0.3": lambda im: ImageEnhance.Color(im).enhance(0.3),
    "brightness ×1.3": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
    "mirror + 5% crop + 150 px + q70": lambda im: jpeg(
        ImageOps.mirror(im.crop((13, 0, 256, 248))).resize((150, 150)), 70
    ),
}


def _slug(text: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _fmt(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def _heldout(ctx: EvalContext, n_quick: int) -> list[dataset.FaceFile]:
    files = [f for f in dataset.face_files(ctx.data_dir) if f.heldout]
    if ctx.quick:
        rng = np.random.default_rng(ctx.seed)
        by_label = [[f for f in files if f.label == lab] for lab in (0, 1)]
        files = [g[i] for g in by_label for i in sorted(rng.permutation(len(g))[:n_quick])]
    return files


def synthetic_section(
    ctx: EvalContext, model: SyntheticFaceDetector | SyntheticFaceModel
) -> tuple[str, dict[str, float], list[Path]]:
    from lurewatch.evaluation.metrics import roc_auc, tpr_at_fpr

    files = _heldout(ctx, 30)
    labels = np.array([f.label for f in files])
    t0 = time.perf_counter()
    every = {**CONDITIONS, **UNSEEN, **FORMAT_PAIR}
    all_scores = score_conditions(model, files, every, ctx.progress)
    per_image = (time.perf_counter() - t0) / max(1, len(files) * len(every))
    scores = {c: all_scores[c].tolist() for c in CONDITIONS}
    metrics: dict[str, float] = {}
    gens = sorted({f.generator for f in files if f.label == 1})
    lines = [
        f"Held-out: {int((labels == 0).sum())} real FFHQ photographs and {int((labels == 1).sum())} "
        f"faces per generator ({', '.join(gens)}), the quarter of `../shared/data/faces` with "
        "`crc32(file name) % 4 == 0`, never used in training. Every image — whatever its condition — "
        f"is square-cropped, resized to {features.SIZE} px and JPEG-encoded at q{features.CHECK_QUALITY} "
        "by the same Pillow encoder before the model sees it.",
        "",
        "| generator | condition | ROC-AUC | TPR at 1% FPR | TPR at 10% FPR |",
        "|---|---|---|---|---|",
    ]
    for gen in gens:
        mask = (labels == 0) | np.array([f.generator == gen for f in files])
        for cond in (*CONDITIONS, *UNSEEN):
            s = all_scores[cond][mask]
            y = labels[mask]
            auc, t1, t10 = roc_auc(y, s), tpr_at_fpr(y, s, 0.01), tpr_at_fpr(y, s, 0.10)
            key = _slug(cond.split(" (")[0])
            metrics[f"synthetic_auc_{key}"] = auc
            metrics[f"synthetic_tpr1_{key}"] = t1
            lines.append(f"| {gen} | {cond} | {_fmt(auc)} | {_fmt(t1)} | {_fmt(t10)} |")
    others = _fallback_models(model)
    if others:
        lines += ["", *_versus_fallbacks(ctx, files, labels, all_scores, others, metrics)]
    n_real = int((labels == 0).sum())
    a, b = FORMAT_PAIR
    pair_y = np.r_[np.ones(len(files)), np.zeros(len(files))]
    pair_auc = roc_auc(pair_y, np.r_[all_scores[a], all_scores[b]])
    shift = float(np.abs(all_scores[a] - all_scores[b]).mean())
    metrics["synthetic_format_pair_auc"] = pair_auc
    lines += [
        "",
        f"The {len(UNSEEN)} conditions marked *not in training* are changes no training draw uses: a "
        "partial proxy for conditions never seen. Generators never seen cannot be measured at all "
        "with one generator in the shared data.",
        "",
        f"Format-only control: every held-out face saved as {a} and as {b} (same pixels, only the "
        f"encoding differs). If the score read the file format it would tell the two apart: ROC-AUC "
        f"of the encoding from the score {_fmt(pair_auc)} (0.5 = blind to it), mean score change "
        f"{shift:.3f}.",
        "",
        f"With {n_real} real photographs, 1% FPR is {max(1, n_real // 100)} false alarm(s): the TPR at 1% FPR "
        "moves by several points between runs and splits. Scoring took "
        f"{per_image * 1000:.0f} ms per image here (shared machine).",
        "",
        _verdict(metrics),
    ]
    plots = _plot(ctx, labels, scores)
    if plots:
        lines += ["", f"![ROC curves of the synthetic-face detector](img/{plots[0].name})"]
    return "\n".join(lines), metrics, plots


def _verdict(metrics: dict[str, float]) -> str:
    seen = metrics.get("synthetic_tpr1_re_encoded", float("nan"))
    reached = "reaches" if seen >= 0.9 else "does not reach"
    return (
        "**Goal not met.** The goal is TPR ≥ 90% at 1% FPR on a generator not used in training. "
        f"On the generator it was trained on this detector {reached} 90% (TPR {_fmt(seen)}); "
        "generators never seen cannot be measured with the shared data (one generator only): "
        "expect lower figures there, and read `avatar.synthetic_face` as a lead for a reviewer, "
        "never as proof."
    )


def _fallback_models(model: Any) -> list[Any]:
    """The models the shipped detector would fall back to (CNN, v2), for a same-run comparison."""
    if getattr(model, "descriptor", None) is not None:
        return [m for m in (getattr(model, "net", None), getattr(model, "linear", None)) if m]
    linear = getattr(model, "linear", None)
    if linear is not None and getattr(model, "cnn_weight", 0.0) > 0.0:
        return [linear]
    return []


def _versus_fallbacks(
    ctx: EvalContext,
    files: list[dataset.FaceFile],
    labels: np.ndarray,
    shipped: dict[str, np.ndarray],
    others: list[Any],
    metrics: dict[str, float],
) -> list[str]:
    """The shipped detector against its fallbacks: same faces, same conditions, same run."""
    from lurewatch.evaluation.metrics import roc_auc, tpr_at_fpr

    scores = [
        score_conditions(m, files, {**CONDITIONS, **FORMAT_PAIR}, ctx.progress) for m in others
    ]
    names = [m.version for m in others]
    head = " | ".join(f"{n} ROC-AUC | {n} TPR at 1% FPR" for n in names)
    out = [
        "The models the detector falls back to (without dlib or the descriptor artifact), on the "
        "same faces in the same run:",
        "",
        f"| condition | {head} | shipped ROC-AUC | shipped TPR at 1% FPR |",
        "|---|" + "---|---|" * (len(others) + 1),
    ]
    for cond in CONDITIONS:
        cells = []
        for name, sc in zip(names, scores, strict=True):
            auc = roc_auc(labels, sc[cond])
            metrics[f"{_slug(name)}_auc_{_slug(cond.split(' (')[0])}"] = auc
            cells.append(f"{_fmt(auc)} | {_fmt(tpr_at_fpr(labels, sc[cond], 0.01))}")
        t = shipped[cond]
        out.append(
            f"| {cond} | {' | '.join(cells)} | {_fmt(roc_auc(labels, t))} | "
            f"{_fmt(tpr_at_fpr(labels, t, 0.01))} |"
        )
    a, b = FORMAT_PAIR
    pair_y = np.r_[np.ones(len(files)), np.zeros(len(files))]
    out.append("")
    for name, sc in zip(names, scores, strict=True):
        out.append(
            f"{name} format-only control (same pixels as {a} vs {b}): ROC-AUC "
            f"{_fmt(roc_auc(pair_y, np.r_[sc[a], sc[b]]))}, mean score change "
            f"{float(np.abs(sc[a] - sc[b]).mean()):.3f}."
        )
    return out


def _plot(ctx: EvalContext, labels: np.ndarray, scores: dict[str, list[float]]) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from sklearn.metrics import roc_curve
    except ImportError:
        return []
    ctx.img_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 4))
    for cond, s in scores.items():
        f, t, _ = roc_curve(labels, s)
        ax.plot(f, t, label=cond)
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.axvline(0.01, color="grey", lw=0.8, ls="--")
    ax.text(0.015, 0.95, "1% FPR", fontsize=7, color="grey")
    ax.set_xlabel("false positive rate (real photos flagged)")
    ax.set_ylabel("true positive rate (StyleGAN1 caught)")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Synthetic faces, held-out split")
    fig.tight_layout()
    path = ctx.img_dir / "avatar_roc.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


def _jpeg_metadata(data: bytes) -> list[float]:
    """What a format-learning classifier would use: quantisation tables, subsampling, size, markers."""
    from PIL import JpegImagePlugin

    with Image.open(io.BytesIO(data)) as im:
        q = getattr(im, "quantization", None) or {}
        luma = float(sum(q.get(0, []))) if q else 0.0
        chroma = float(sum(q.get(1, []))) if q else 0.0
        try:
            sub = float(JpegImagePlugin.get_sampling(im))
        except Exception:  # noqa: BLE001 - not a JPEG
            sub = -1.0
        return [
            luma,
            chroma,
            sub,
            float(bool(im.info.get("progressive"))),
            float(len(im.info.get("exif", b""))),
            float(len(data)),
        ]


def format_leak_section(ctx: EvalContext) -> tuple[str, dict[str, float]]:
    """Can file metadata alone separate the classes? On the original files, then after re-encoding."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    from lurewatch.evaluation.metrics import roc_auc

    files = [f for f in dataset.face_files(ctx.data_dir) if f.heldout]  # a quarter is plenty here
    if ctx.quick:
        files = files[:: max(1, len(files) // 120)]
    y = np.array([f.label for f in files])
    orig, reenc = [], []
    for f in files:
        data = f.path.read_bytes()
        orig.append(_jpeg_metadata(data))
        with Image.open(io.BytesIO(data)) as im:
            x = features.reencode(im.convert("RGB"))
        buf = io.BytesIO()
        Image.fromarray(x.astype(np.uint8)).save(
            buf, format="JPEG", quality=features.CHECK_QUALITY, subsampling=0
        )
        reenc.append(_jpeg_metadata(buf.getvalue()))
    out: dict[str, float] = {}
    rows = []
    for name, X, cols in (
        ("original files: tables, subsampling, markers", orig, slice(0, 5)),
        ("original files: + file size", orig, slice(0, 6)),
        ("after re-encoding: tables, subsampling, markers", reenc, slice(0, 5)),
    ):
        A = np.asarray(X, dtype=np.float64)[:, cols]
        clf = HistGradientBoostingClassifier(max_iter=100, random_state=ctx.seed)
        s = cross_val_predict(clf, A, y, cv=5, method="predict_proba")[:, 1]
        auc = roc_auc(y, s)
        rows.append(f"| {name} | {_fmt(auc)} |")
        out[f"format_leak_auc_{len(out)}"] = auc
    text = "\n".join(
        [
            f"A gradient-boosting classifier given only JPEG metadata (5-fold cross-validation over {len(files)} files):",
            "",
            "| metadata | ROC-AUC |",
            "|---|---|",
            *rows,
            "",
            "Both shared sets carry the same quantisation tables (quality ≈ 75) and 4:2:0 subsampling, so the "
            "format signal is weak in the markers; file size differs with content and compression history. "
            "After the one re-encoding every image has identical tables and markers (AUC 0.5 by construction), "
            "which is what the detector sees.",
        ]
    )
    return text, out


def reuse_section(ctx: EvalContext) -> tuple[str, dict[str, float]]:
    """Reused photos: `reuse_evaluation` (what thieves do), the new matcher beside avatar-hash-v1."""
    from lurewatch.avatar import reuse_evaluation

    return reuse_evaluation.section(ctx)


def evaluate(ctx: EvalContext) -> EvalSection:
    parts: list[str] = []
    metrics: dict[str, float] = {}
    plots: list[Path] = []
    if not dataset.face_files(ctx.data_dir):
        return EvalSection("Avatars", f"No faces under {ctx.data_dir / 'faces'}: nothing measured.")
    try:
        model = SyntheticFaceDetector.load(Path(ctx.models_dir) / "avatar")
    except ModelArtifactError as exc:
        parts.append(f"### Synthetic faces\n\nNot measured: {exc}")
    else:
        if getattr(model, "stack", None) is not None:
            from lurewatch.avatar.logo_report import logo_section

            text, m = logo_section(ctx, model)
            title = f"### Synthetic faces: generators never seen (model {model.version})"
        else:
            text, m, plots = synthetic_section(ctx, model)
            title = f"### Synthetic faces (model {model.version})"
        parts.append(f"{title}\n\n{text}")
        metrics.update(m)
    text, m = format_leak_section(ctx)
    parts.append("### Does the file format give the answer away?\n\n" + text)
    metrics.update(m)
    text, m = reuse_section(ctx)
    parts.append("### Reused photos\n\n" + text)
    metrics.update(m)
    return EvalSection("Avatars", "\n\n".join(parts), metrics, plots)
