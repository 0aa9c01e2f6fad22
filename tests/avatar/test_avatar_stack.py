"""The stacked synthetic-face model: fitting, JSON round trip, refusal of bad artifacts, checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lurewatch.avatar import face_embedding, feature_cache, features, stack_training
from lurewatch.avatar.stack_detector import StackDetector
from lurewatch.avatar.stack_model import Part, StackModel, grouped_folds
from lurewatch.errors import ModelArtifactError
from lurewatch.settings import BUNDLED_MODELS_DIR

BUNDLED = BUNDLED_MODELS_DIR / "avatar"


def _toy(seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    gens = ["real"] * 90 + ["A"] * 40 + ["B"] * 40
    y = np.array([0 if g == "real" else 1 for g in gens])
    X = rng.normal(size=(len(gens), 6))
    X[y == 1, 0] += 2.0  # the "a" family (columns 0-2) separates
    X[np.asarray(gens) == "A", 4] += 1.0  # the "b" family only for A
    return X, y, gens


def _model() -> StackModel:
    parts = [Part("a", "rbf", 1.0), Part("b", "linear", 0.1)]
    return StackModel(parts, {"a": (0, 3), "b": (3, 6)})


def test_grouped_folds_hold_out_one_generator_each():
    _, y, gens = _toy()
    fold = grouped_folds(y, gens, seed=0)
    g = np.asarray(gens)
    assert set(fold[g == "A"]) == {fold[g == "A"][0]} != set(fold[g == "B"])
    assert set(fold[y == 0]) == {0, 1}  # real rows spread over both folds


def test_fit_separates_and_round_trips_through_json(tmp_path):
    X, y, gens = _toy()
    model = _model().fit(X, y, gens, seed=0)
    p = model.predict_proba(X)
    assert p[y == 1].mean() > p[y == 0].mean() + 0.3
    assert model.weights_[0] > 0  # the family that carries over gets weight
    path = model.save(tmp_path / "m.json", "k", "fv")
    again = StackModel.from_dict(json.loads(path.read_text()), path)
    np.testing.assert_allclose(again.logit(X), model.logit(X), atol=1e-5)
    # the NumPy RBF decision equals scikit-learn's
    from sklearn.svm import SVC

    part = model.parts[0]
    Z = (X[:, :3] - part.params["mean"]) / part.params["scale"]
    w = None
    from lurewatch.avatar.logo import balanced_weights

    w = balanced_weights(y, gens)
    svm = SVC(C=1.0, gamma=part.params["gamma"]).fit(Z, y, sample_weight=w)
    np.testing.assert_allclose(part.decision(X[:, :3]), svm.decision_function(Z), atol=1e-8)


def test_malformed_artifacts_are_refused(tmp_path):
    X, y, gens = _toy()
    good = _model().fit(X, y, gens).to_dict("k", "fv")
    bad_weights = dict(good, weights=[1.0])
    bad_part = json.loads(json.dumps(good))
    bad_part["parts"][0]["support"] = [[1.0, 2.0]]
    for data in (bad_weights, bad_part, {"parts": []}):
        with pytest.raises(ModelArtifactError):
            StackModel.from_dict(data, tmp_path / "x.json")


def test_unfitted_model_says_so():
    from lurewatch.errors import NotFittedError

    with pytest.raises(NotFittedError):
        _model().logit(np.zeros((1, 6)))


def test_the_committed_artifact_loads_and_scores(photo):
    if not face_embedding.available():
        pytest.skip("dlib not installed")
    detector = StackDetector.load(BUNDLED)
    assert detector.version == stack_training.MODEL_VERSION
    score, reasons = detector.score_and_reasons(photo)
    assert 0.0 <= score <= 1.0 and reasons
    assert any("no face" in r[0] for r in reasons)  # the generated photo has no face


def test_the_stack_is_what_checks_use(photo):
    from lurewatch.avatar.checker import AvatarChecker
    from lurewatch.avatar.loading import LoadedImage
    from lurewatch.avatar.model import SyntheticFaceDetector

    if not face_embedding.available():
        pytest.skip("dlib not installed")
    detector = SyntheticFaceDetector.load(BUNDLED)
    assert detector.stack is not None and detector.descriptor is not None  # v1 kept as fallback
    assert detector.version == stack_training.MODEL_VERSION
    loaded = LoadedImage(photo, "PNG", photo.size, None, 0, 0)
    result = AvatarChecker(detector, with_cues=False).check_loaded(loaded, "p")
    assert result.model == stack_training.MODEL_VERSION
    assert result.score == pytest.approx(detector.stack.score_image(photo))
    assert (BUNDLED / stack_training.ARTIFACT_NAME).stat().st_size < 1024 * 1024


def test_a_wrong_feature_version_is_refused(tmp_path):
    data = json.loads((BUNDLED / stack_training.ARTIFACT_NAME).read_text())
    data["feature_version"] = "something else"
    (tmp_path / stack_training.ARTIFACT_NAME).write_text(json.dumps(data))
    with pytest.raises(ModelArtifactError, match="built for features"):
        StackDetector.load(tmp_path)


def test_check_features_equal_the_cached_training_features(shared_faces):
    """Checks detect the face once and reuse its box; training computed each family on its own."""
    from PIL import Image

    for path in shared_faces[:2]:
        x = features.reencode(Image.open(path), quality=features.CHECK_QUALITY)
        row, face = feature_cache.row_features(x, stack_training.FAMILIES)
        apart = np.concatenate(
            [feature_cache.family_features(f, x) for f in stack_training.FAMILIES]
        )
        assert face is not None and face.detected
        np.testing.assert_allclose(row, apart, atol=1e-9)


@pytest.mark.slow
@pytest.mark.timeout(900)  # dlib on a shared, busy machine
def test_training_on_a_few_faces_is_deterministic(shared_faces, tmp_path, monkeypatch):
    monkeypatch.delenv(stack_training.CACHE_ENV, raising=False)
    data_dir = shared_faces[0].parents[2]
    runs = []
    for out in ("a", "b"):
        result = stack_training.train(
            data_dir, tmp_path / out, seed=3, limit=20, log=lambda _m: None
        )
        assert result["avatar_stack"].endswith(stack_training.ARTIFACT_NAME), result
        runs.append((tmp_path / out / "avatar" / stack_training.ARTIFACT_NAME).read_bytes())
    assert runs[0] == runs[1]
    assert StackDetector.load(tmp_path / "a" / "avatar").model.meta_["seed"] == 3


def test_logo_report_tables_on_invented_features(tmp_path, monkeypatch):
    """The eval section's tables, fitted on invented feature vectors (no dlib, no images read):
    every candidate row, every robustness condition and both controls are written."""
    from PIL import Image as PILImage

    from lurewatch.avatar import conditions, dataset, logo_report
    from lurewatch.evaluation.base import EvalContext

    faces = tmp_path / "data" / "faces"
    for folder, n in (
        ("real_ffhq", 48),
        ("fake_stylegan1", 20),
        ("fake_stylegan2", 20),
        ("fake_sd21", 20),
    ):
        (faces / folder).mkdir(parents=True)
        for i in range(n):
            PILImage.new("RGB", (8, 8)).save(faces / folder / f"{folder}{i:03d}.jpg")
    files = dataset.all_face_files(tmp_path / "data")
    assert len(files) == 108

    def fake_features(subset, condition, families, cache, workers=1, log=None):  # noqa: ANN001
        out = {}
        for fam in families:
            rows = []
            for f in subset:
                # blind to the condition: every robustness row must equal the judged one
                rng = np.random.default_rng(zlib.crc32(f"{f.path.name}{fam}".encode()))
                v = rng.normal(size=feature_cache.dims(fam))
                v[:8] += 0.3 * f.label  # every family carries the label, weakly
                v[8] += 3.0 * (f.generator == "StyleGAN2")  # and one generator stands out
                rows.append(v)
            out[fam] = np.vstack(rows)
        return out

    import zlib

    monkeypatch.setattr(feature_cache, "cached_features", fake_features)
    monkeypatch.setattr(logo_report, "_previous_model", lambda _d: None)
    ctx = EvalContext(
        tmp_path / "data", tmp_path / "img", tmp_path / "models", progress=lambda _m: None
    )
    text, metrics = logo_report.logo_section(ctx, shipped=None)
    for name in logo_report.CANDIDATES:
        assert name in text
    assert "Format-only control" in text and "Size-only control" in text
    assert "screenshot padding" in text
    assert 0.0 <= metrics["logo_worst_auc_shipped_recipe__descriptor___whole_photo"] <= 1.0
    assert metrics["form_control_auc"] == pytest.approx(0.5)
    robust = text.split("Robustness of the shipped recipe")[1].split("Format-only")[0]
    rows = [r for r in robust.splitlines() if r.startswith("| ") and "px" in r]
    assert len(rows) == 1 + len(conditions.ROBUSTNESS) + 4
    assert len({r.split(" | ", 1)[1] for r in rows}) == 1, rows
