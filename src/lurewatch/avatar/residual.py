"""Noise-residual and spectral statistics of a face photo: generator-agnostic texture cues.

Why: a face-identity descriptor is trained to ignore texture, yet generators leave their marks
there. GAN and diffusion decoders upsample through learned layers that leave periodic traces in
the high-pass residual's power spectrum, and their local noise is smoother and more correlated
than a camera's (sensor noise, demosaicing). Two families, both cheap (a few ms on 256 px):

* the azimuthally averaged log power spectrum of the high-pass residual and of the image
  (shape only: each curve is centred, so overall contrast and brightness drop out);
* SRM-style residual co-occurrences (SPAM): three linear high-pass filters, quantised and
  truncated, horizontal and vertical neighbour pairs counted; plus cross-channel residual
  correlation (colour filter arrays correlate a camera's channels).

Pure: an (H, W, 3) float array in [0, 255] in, a fixed-length float64 vector out.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

SPECTRUM_BINS = 24
TRUNCATE = 2  # residual values clipped to [-T, T] before counting pairs
# (kernel, quantisation step): 1st order, 2nd order, and the 3×3 "KV"-like square filter
_FILTERS: tuple[tuple[np.ndarray, float], ...] = (
    (np.array([[0.0, -1.0, 1.0]]), 1.0),
    (np.array([[1.0, -2.0, 1.0]]), 2.0),
    (np.array([[-1.0, 2.0, -1.0], [2.0, -4.0, 2.0], [-1.0, 2.0, -1.0]]), 4.0),
)
_PAIRS = (2 * TRUNCATE + 1) ** 2
DIM = 2 * SPECTRUM_BINS + len(_FILTERS) * (_PAIRS + 2) + 3
VERSION = (
    "resid-v1: 2x24 radial log spectra + 3 SPAM filters (T=2 pairs, var, kurt) + 3 chroma corr"
)


def _gray(rgb: np.ndarray) -> np.ndarray:
    a = np.asarray(rgb, dtype=np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def radial_spectrum(gray: np.ndarray, bins: int = SPECTRUM_BINS) -> np.ndarray:
    """Centred log power, averaged over rings from DC to Nyquist (Hann-windowed)."""
    h, w = gray.shape
    win = np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.fftshift(np.fft.fft2((gray - gray.mean()) * win))) ** 2
    yy, xx = np.indices((h, w))
    radius = np.hypot((yy - h // 2) / (h / 2), (xx - w // 2) / (w / 2))
    idx = np.minimum((radius * bins).astype(int), bins)  # radius ≥ 1 (corners) go to bin `bins`
    sums = np.bincount(idx.ravel(), weights=power.ravel(), minlength=bins + 1)[:bins]
    counts = np.bincount(idx.ravel(), minlength=bins + 1)[:bins]
    curve = np.log(sums / np.maximum(counts, 1) + 1e-8)
    return curve - curve.mean()


def _spam(res: np.ndarray, step: float) -> np.ndarray:
    """Normalised counts of (x, right neighbour) and (x, lower neighbour) quantised pairs."""
    q = np.clip(np.round(res / step), -TRUNCATE, TRUNCATE).astype(np.int64) + TRUNCATE
    n = 2 * TRUNCATE + 1
    h = np.bincount((q[:, :-1] * n + q[:, 1:]).ravel(), minlength=n * n)
    v = np.bincount((q[:-1, :] * n + q[1:, :]).ravel(), minlength=n * n)
    counts = (h + v).astype(np.float64)
    return np.sqrt(counts / counts.sum())  # Hellinger: histograms become Euclidean-friendly


def residual_features(rgb: np.ndarray) -> np.ndarray:
    """The fixed-length texture vector (length `DIM`) of an (H, W, 3) image in [0, 255]."""
    a = np.asarray(rgb, dtype=np.float64)
    if a.ndim != 3 or a.shape[2] != 3 or min(a.shape[:2]) < 16:
        raise ValueError(f"expected an (H, W, 3) image of at least 16 px, got {a.shape}")
    gray = _gray(a)
    highpass = gray - ndimage.uniform_filter(gray, 3, mode="reflect")
    parts = [radial_spectrum(highpass), radial_spectrum(gray)]
    for kernel, step in _FILTERS:
        res_h = ndimage.convolve(gray, kernel, mode="reflect")
        res_v = ndimage.convolve(gray, kernel.T, mode="reflect")
        res = np.concatenate([res_h.ravel(), res_v.ravel()])
        sd = float(res.std()) + 1e-6
        kurt = float(np.mean((res / sd) ** 4)) if sd > 1e-3 else 1.0  # flat image: no texture
        parts += [_spam(res_h, step) / 2 + _spam(res_v.T, step) / 2, np.log([sd, kurt])]
    chans = [a[..., c] - ndimage.uniform_filter(a[..., c], 3, mode="reflect") for c in range(3)]
    with np.errstate(divide="ignore", invalid="ignore"):  # a flat channel: 0 below
        corr = np.corrcoef(np.stack([c.ravel() for c in chans]))
    parts.append(np.array([corr[0, 1], corr[0, 2], corr[1, 2]]))
    out = np.concatenate([np.ravel(p) for p in parts])
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
