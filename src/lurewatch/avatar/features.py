"""Synthetic-face features, computed after one identical re-encoding of every image.

Why the re-encoding: the shared real and GAN faces came through different JPEG pipelines, so a
detector fed the original files can learn the file format instead of the generator. Every image
(training, evaluation, and what users check) is therefore decoded, centre-cropped to a square,
resized to `SIZE`, and JPEG-compressed again through the same Pillow encoder before any feature
is computed. Training draws the quality (and an optional down/up-resize) at random from a seeded
generator; checking uses the fixed `CHECK_QUALITY`.

The features look for what a generator leaves and a camera does not: the high-frequency power
spectrum of the noise residual (upsampling layers leave periodic peaks and a wrong spectral
tail), co-occurrences of the truncated residual within and across colour bands (a camera's
demosaicing ties the colour channels' noise together in a way a generator does not reproduce),
and simple noise and colour statistics.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

SIZE = 256
CHECK_QUALITY = 85
TRAIN_QUALITY = (65, 96)  # randint range, upper bound exclusive
FEATURE_VERSION = "avatar-features-v2"
_RADIAL_BINS = 24
_T = 2  # residual truncation for co-occurrences: values -T..T
_T3 = 3  # truncation for the second-order SPAM 3-tuples


def square_crop(img: Image.Image) -> Image.Image:
    """Centre square crop: profile photos are shown square, and the spectrum needs a square."""
    w, h = img.size
    if w == h:
        return img
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    return img.crop((left, top, left + side, top + side))


def reencode(
    img: Image.Image,
    quality: int = CHECK_QUALITY,
    pre_size: int | None = None,
) -> np.ndarray:
    """The one pipeline: square → (optional resize to `pre_size`) → SIZE → JPEG(quality) → float RGB.

    Returns an array of shape (SIZE, SIZE, 3) in [0, 255] as float32.
    """
    img = square_crop(img.convert("RGB"))
    if pre_size is not None and pre_size != img.size[0]:
        img = img.resize((pre_size, pre_size), Image.Resampling.BICUBIC)
    if img.size[0] != SIZE:
        img = img.resize((SIZE, SIZE), Image.Resampling.BICUBIC)
    buf = io.BytesIO()
    # 4:2:0 for everyone: an input saved without chroma subsampling must not look different
    img.save(buf, format="JPEG", quality=int(quality), subsampling=2, optimize=False)
    buf.seek(0)
    with Image.open(buf) as out:
        return np.asarray(out.convert("RGB"), dtype=np.float32)


def training_variant(img: Image.Image, rng: np.random.Generator) -> np.ndarray:
    """One random draw of the pipeline used for training (seeded, so training is deterministic).

    Before the pipeline, most images are first saved the way an uploader might have (a random
    JPEG quality, with or without chroma subsampling), so the model learns to ignore the input's
    encoding: without this, the same face saved at q95 4:4:4 or q90 4:2:0 scored 0.84 vs 0.34.
    """
    if rng.random() < 0.7:
        buf = io.BytesIO()
        img.convert("RGB").save(
            buf,
            format="JPEG",
            quality=int(rng.integers(60, 101)),
            subsampling=int(rng.choice([0, 2])),
        )
        buf.seek(0)
        with Image.open(buf) as pre_encoded:
            img = pre_encoded.convert("RGB")
    quality = int(rng.integers(*TRAIN_QUALITY))
    pre = None
    if rng.random() < 0.4:
        pre = int(rng.integers(120, SIZE))
    return reencode(img, quality=quality, pre_size=pre)


def _radial_index(n: int, bins: int) -> np.ndarray:
    fy = np.fft.fftfreq(n)[:, None]
    fx = np.fft.rfftfreq(n)[None, :]
    r = np.sqrt(fx**2 + fy**2) / 0.5  # 0 at DC, 1 at Nyquist along an axis
    return np.minimum(
        (r * bins).astype(np.int64), bins
    )  # corners beyond Nyquist go to the last bin


_RIDX = _radial_index(SIZE, _RADIAL_BINS)
_RCOUNT = np.bincount(_RIDX.ravel(), minlength=_RADIAL_BINS + 1).astype(np.float64)
_HANN = np.outer(np.hanning(SIZE), np.hanning(SIZE)).astype(np.float32)


def _residual(x: np.ndarray) -> np.ndarray:
    """High-pass residual: the image minus its 3×3 local mean (per channel)."""
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)), mode="reflect")
    acc = np.zeros_like(x)
    for dy in range(3):
        for dx in range(3):
            acc += p[dy : dy + x.shape[0], dx : dx + x.shape[1]]
    return x - acc / 9.0


def _spectrum_features(res_gray: np.ndarray) -> list[float]:
    f = np.fft.rfft2(res_gray * _HANN)
    power = (f.real**2 + f.imag**2).astype(np.float64)
    total = power.sum() + 1e-12
    sums = np.bincount(_RIDX.ravel(), weights=power.ravel(), minlength=_RADIAL_BINS + 1)
    radial = sums.astype(np.float64) / np.maximum(_RCOUNT, 1)
    log_radial = np.log(radial[:_RADIAL_BINS] + 1e-9)
    log_radial = log_radial - log_radial.mean()
    n = SIZE
    logp = np.log(power + 1e-9)
    med = float(np.median(logp))

    def peak(y: int, x: int) -> float:
        ys = [(y + d) % n for d in (-1, 0, 1)]
        xs = [min(max(x + d, 0), n // 2) for d in (-1, 0, 1)]
        return float(logp[np.ix_(ys, xs)].max() - med)

    peaks = [
        peak(0, n // 2),
        peak(n // 2, 0),
        peak(n // 2, n // 2),
        peak(0, n // 4),
        peak(n // 4, 0),
        peak(n // 4, n // 4),
        peak(n // 2, n // 4),
        peak(n // 4, n // 2),
    ]
    # share of residual energy in the top frequency band (generators under-produce it)
    high = float(radial[int(_RADIAL_BINS * 0.75) :].sum() / (radial.sum() + 1e-12))
    return [*log_radial.tolist(), *peaks, high, float(np.log(total))]


def _truncate(d: np.ndarray, q: float) -> np.ndarray:
    return (np.clip(np.rint(d / q), -_T, _T) + _T).astype(np.int64)


def _cooc(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    k = 2 * _T + 1
    h = np.bincount((a * k + b).ravel(), minlength=k * k).astype(np.float64)
    return h / h.sum()


def _cooc_features(x: np.ndarray) -> list[float]:
    feats: list[float] = []
    # first-order horizontal/vertical differences per channel, pooled over directions
    dh = [_truncate(np.diff(x[:, :, c], axis=1)[:-1, :], 2.0) for c in range(3)]
    dv = [_truncate(np.diff(x[:, :, c], axis=0)[:, :-1], 2.0) for c in range(3)]
    for c in range(3):
        within = 0.5 * (_cooc(dh[c][:, :-1], dh[c][:, 1:]) + _cooc(dv[c][:-1, :], dv[c][1:, :]))
        feats.extend(within.tolist())
    for c1, c2 in ((0, 1), (1, 2), (0, 2)):
        cross = 0.5 * (_cooc(dh[c1], dh[c2]) + _cooc(dv[c1], dv[c2]))
        feats.extend(cross.tolist())
    return feats


def _stats_features(x: np.ndarray, res: np.ndarray) -> list[float]:
    feats: list[float] = []
    flat = res.reshape(-1, 3)
    centred = flat - flat.mean(axis=0)
    var = (centred * centred).mean(axis=0).astype(np.float64) + 1e-12
    sd = np.sqrt(var)
    feats.extend(np.log(sd + 1e-6).tolist())
    fourth = ((centred * centred) ** 2).mean(axis=0).astype(np.float64)
    feats.extend(
        np.log(fourth / (var * var) + 1e-12).tolist()
    )  # kurtosis: heavy tails of camera noise
    for i, j in ((0, 1), (1, 2), (0, 2)):
        feats.append(float((centred[:, i] * centred[:, j]).mean() / (sd[i] * sd[j])))
    # colour: YCbCr chroma spread and saturation
    r, g, b = x[:, :, 0], x[:, :, 1], x[:, :, 2]
    cb = -0.1687 * r - 0.3313 * g + 0.5 * b
    cr = 0.5 * r - 0.4187 * g - 0.0813 * b
    mx, mn = x.max(axis=2), x.min(axis=2)
    sat = (mx - mn) / (mx + 1e-3)
    feats.extend(
        [float(cb.std()) / 128, float(cr.std()) / 128, float(sat.mean()), float(sat.std())]
    )
    return feats


def _spam_features(x: np.ndarray) -> list[float]:
    """Second-order residual 3-tuples (SPAM, from steganalysis): texture a generator renders smoother."""
    g = 0.299 * x[:, :, 0] + 0.587 * x[:, :, 1] + 0.114 * x[:, :, 2]
    k = 2 * _T3 + 1
    acc = np.zeros(k**3, dtype=np.float64)
    for axis in (0, 1):
        d = np.diff(g, n=2, axis=axis)
        q = (np.clip(np.rint(d / 2.0), -_T3, _T3) + _T3).astype(np.int64)
        if axis == 1:
            a, b, c = q[:, :-2], q[:, 1:-1], q[:, 2:]
        else:
            a, b, c = q[:-2], q[1:-1], q[2:]
        acc += np.bincount((a * k * k + b * k + c).ravel(), minlength=k**3) / a.size
    return (acc / 2).tolist()


def _exposure_features(x: np.ndarray) -> list[float]:
    """Clipped highlights and crushed shadows: cameras clip, generators rarely reach 0 or 255."""
    mx, mn = x.max(axis=2), x.min(axis=2)
    feats = [
        float((mx >= 250).mean()),
        float((mn <= 5).mean()),
        float((mx >= 245).mean()),
        float((mn <= 10).mean()),
    ]
    lum = np.clip((x.mean(axis=2) / 16).astype(np.int64), 0, 15)
    hist = np.bincount(lum.ravel(), minlength=16) / mx.size
    return feats + hist.tolist()


def extract(x: np.ndarray) -> np.ndarray:
    """Feature vector of one re-encoded image (the output of `reencode`)."""
    res = _residual(x)
    gray = 0.299 * res[:, :, 0] + 0.587 * res[:, :, 1] + 0.114 * res[:, :, 2]
    with np.errstate(divide="ignore", invalid="ignore"):  # flat images: zero variance is fine
        feats = (
            _spectrum_features(gray)
            + _cooc_features(x)
            + _stats_features(x, res)
            + _spam_features(x)
            + _exposure_features(x)
        )
    out = np.asarray(feats, dtype=np.float64)
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def feature_names() -> list[str]:
    names = [f"spec_r{i}" for i in range(_RADIAL_BINS)]
    names += [f"peak_{p}" for p in ("0_h", "h_0", "h_h", "0_q", "q_0", "q_q", "h_q", "q_h")]
    names += ["spec_high_share", "spec_log_total"]
    k = (2 * _T + 1) ** 2
    for c in "RGB":
        names += [f"cooc_{c}_{i}" for i in range(k)]
    for pair in ("RG", "GB", "RB"):
        names += [f"cross_{pair}_{i}" for i in range(k)]
    names += [f"res_logsd_{c}" for c in "RGB"] + [f"res_kurt_{c}" for c in "RGB"]
    names += ["res_corr_RG", "res_corr_GB", "res_corr_RB", "cb_sd", "cr_sd", "sat_mean", "sat_sd"]
    names += [f"spam_{i}" for i in range((2 * _T3 + 1) ** 3)]
    names += ["clip_hi_250", "clip_lo_5", "clip_hi_245", "clip_lo_10"]
    names += [f"lum_hist_{i}" for i in range(16)]
    return names
