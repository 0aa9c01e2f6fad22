"""Noise-residual / spectral features, the photo conditions, and the LOGO harness."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lurewatch.avatar import conditions, logo, residual


def _noise(seed: int, size: int = 128) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(128 + rng.normal(0, 20, (size, size, 3)), 0, 255)


def test_fixed_length_and_finite(photo):
    x = residual.residual_features(np.asarray(photo, dtype=np.float64))
    assert x.shape == (residual.DIM,) and np.isfinite(x).all()
    flat = residual.residual_features(np.full((64, 64, 3), 200.0))  # no texture at all
    assert flat.shape == (residual.DIM,) and np.isfinite(flat).all()


def test_blind_to_a_brightness_offset():
    a = _noise(1)
    np.testing.assert_allclose(
        residual.residual_features(a), residual.residual_features(a + 17.0), atol=1e-9
    )


def test_upsampling_leaves_a_spectral_trace():
    """A 2× nearest-neighbour upsampled image (what a naive decoder does) loses high-frequency
    power against native noise: the residual spectrum's top rings must tell them apart."""
    native = residual.residual_features(_noise(2, 128))
    small = _noise(3, 64)
    up = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)
    upsampled = residual.residual_features(up)
    bins = residual.SPECTRUM_BINS
    # the centred log spectrum of the residual: upsampled is lower at the top frequencies
    assert upsampled[bins - 4 : bins].mean() < native[bins - 4 : bins].mean() - 1.0


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="image"):
        residual.residual_features(np.zeros((64, 64)))
    with pytest.raises(ValueError, match="image"):
        residual.residual_features(np.zeros((8, 8, 3)))


def test_conditions_keep_an_rgb_image(photo):
    out = conditions.judged(photo)
    assert out.size == (224, 224) and out.mode == "RGB"
    for name, fn in conditions.ALL.items():
        got = fn(photo)
        assert got.mode == "RGB" and min(got.size) >= 150, name
        assert fn(photo).tobytes() == got.tobytes(), f"{name} is not deterministic"
    shot = conditions.screenshot(Image.new("RGB", (100, 100), (0, 0, 0)))
    assert np.asarray(shot)[0, 0].tolist() != [0, 0, 0]  # the frame is around the photo


def _toy(seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Real rows near 0; generator A shifted on column 0, B on column 1, C on both."""
    rng = np.random.default_rng(seed)
    gens = ["real"] * 200 + ["A"] * 80 + ["B"] * 80 + ["C"] * 80
    y = np.array([0 if g == "real" else 1 for g in gens])
    X = rng.normal(size=(len(gens), 4))
    shift = {"A": (3, 0), "B": (0, 3), "C": (2, 2)}
    for i, g in enumerate(gens):
        if g in shift:
            X[i, :2] += shift[g]
    held = rng.random(len(gens)) < 0.3
    return X, y, gens, held


def test_balanced_weights_give_each_class_and_generator_equal_weight():
    _, y, gens, _ = _toy()
    gens = gens[:-30]  # unequal generator sizes
    y = y[:-30]
    w = logo.balanced_weights(y, gens)
    g = np.asarray(gens)
    assert w[y == 0].sum() == pytest.approx(w[y == 1].sum())
    assert w[g == "A"].sum() == pytest.approx(w[g == "C"].sum())


def test_folds_never_train_on_the_left_out_generator_or_held_out_rows():
    _, y, gens, held = _toy()
    g = np.asarray(gens)
    for fold in logo.folds(y, gens, held):
        assert fold.left_out not in set(g[fold.train])
        assert not held[fold.train].any()
        assert set(g[fold.test]) == {"real", fold.left_out}
        assert held[fold.test][y[fold.test] == 0].all()


class _LR:
    """A plain logistic regression as a `logo.Scorer`."""

    def fit(self, X, y, generators):  # noqa: ANN001
        from sklearn.linear_model import LogisticRegression

        w = logo.balanced_weights(y, generators)
        self.clf = LogisticRegression().fit(X, y, sample_weight=w)
        return self

    def decision_function(self, X):  # noqa: ANN001
        return self.clf.decision_function(X)


def test_logo_measures_what_carries_over():
    """C (a mix of A's and B's shifts) is caught when left out; A is caught through C's column-0
    shift when left out, and not at all once column 0 is erased: LOGO must show both."""
    X, y, gens, held = _toy()
    out = logo.run(_LR, X, y, gens, held, {"plain": (X, np.ones(len(y), bool))})["plain"]
    assert set(out) == {"A", "B", "C"}
    assert out["C"]["auc"] > 0.95 and out["A"]["auc"] > 0.7
    only_b = X.copy()
    only_b[:, 0] = 0.0  # column 0 erased: nothing distinguishes A from real
    blind = logo.run(_LR, only_b, y, gens, held, {"plain": (only_b, None)})["plain"]
    assert blind["A"]["auc"] < 0.65 < out["A"]["auc"] - 0.1
    s = logo.summary(blind)
    assert s["worst_auc"] == pytest.approx(min(m["auc"] for m in blind.values()))
