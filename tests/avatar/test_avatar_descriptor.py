"""The face-descriptor synthetic-face model: embeddings, NumPy SVM = sklearn, artifacts, fallbacks."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from lurewatch.avatar import descriptor_model, face_embedding, features
from lurewatch.avatar.descriptor_model import ARTIFACT_NAME, DescriptorModel
from lurewatch.errors import ModelArtifactError
from lurewatch.settings import BUNDLED_MODELS_DIR

BUNDLED = BUNDLED_MODELS_DIR / "avatar"


def _fitted(seed: int = 0) -> tuple[DescriptorModel, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(80, descriptor_model.N_FEATURES))
    y = (X[:, 0] + 0.5 * X[:, 1] ** 2 + rng.normal(0, 0.3, 80) > 0.5).astype(int)
    return DescriptorModel().fit(X, y, seed=seed), X, y


def test_weights_ship_in_the_pip_package_and_load():
    assert face_embedding.available()
    directory = face_embedding.models_dir()
    assert directory is not None and (directory / face_embedding.DESCRIPTOR_FILE).is_file()


def test_embedding_of_a_face(shared_faces):
    embedder = descriptor_model.shared_embedder()
    x = features.reencode(Image.open(shared_faces[0]), quality=features.CHECK_QUALITY)
    face = embedder.embed(x)
    assert face.detected and face.faces == 1
    assert face.descriptor.shape == (128,) and np.isfinite(face.descriptor).all()
    left, top, right, bottom = face.box
    assert 0 <= left < right <= 256 and 0 <= top < bottom <= 256
    # the same face re-encoded at another quality stays very close; another face does not
    again = embedder.embed(features.reencode(Image.open(shared_faces[0]), quality=70))
    other = embedder.embed(
        features.reencode(Image.open(shared_faces[1]), quality=features.CHECK_QUALITY)
    )
    same = np.linalg.norm(face.descriptor - again.descriptor)
    assert same < 0.1 < np.linalg.norm(face.descriptor - other.descriptor)


def test_no_face_falls_back_to_the_centre(photo):
    face = descriptor_model.shared_embedder().embed(np.asarray(photo, dtype=np.float32))
    assert not face.detected and face.faces == 0
    assert face.descriptor.shape == (128,)


def test_bad_arrays_are_refused():
    with pytest.raises(ValueError, match="RGB"):
        descriptor_model.shared_embedder().embed(np.zeros((32, 32)))


def test_numpy_decision_equals_sklearn():
    from sklearn.svm import SVC

    model, X, y = _fitted()
    Z = (X - model.mean_) / model.scale_
    svm = SVC(C=model.C, kernel="rbf", gamma=model.gamma_).fit(Z, y)
    assert np.allclose(model.decision(X), svm.decision_function(Z), atol=1e-8)
    p = model.predict_proba(X)
    assert ((p > 0) & (p < 1)).all()
    # Platt slope is positive: a larger decision value means more likely synthetic
    assert model.platt_[0] > 0


def test_save_load_round_trip(tmp_path):
    model, X, _ = _fitted()
    model.meta_ = {"version": "test-v"}
    model.save(tmp_path)
    again = DescriptorModel.load(tmp_path)
    assert again.version == "test-v"
    assert np.allclose(again.predict_proba(X), model.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(feature_version="other"), "built for features"),
        (lambda d: d.pop("support"), "malformed"),
        (lambda d: d.update(mean=[0.0] * 5), "wrong shape"),
        (lambda d: d.update(support=[]), "wrong shape"),
    ],
)
def test_bad_artifacts_are_refused(tmp_path, mutate, message):
    model, _, _ = _fitted()
    data = model.to_dict()
    mutate(data)
    (tmp_path / ARTIFACT_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelArtifactError, match=message):
        DescriptorModel.load(tmp_path)


def test_missing_and_corrupt_artifacts_are_refused(tmp_path):
    with pytest.raises(ModelArtifactError, match="missing"):
        DescriptorModel.load(tmp_path)
    (tmp_path / ARTIFACT_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelArtifactError, match="unreadable"):
        DescriptorModel.load(tmp_path)


def test_without_the_stack_artifact_the_descriptor_model_is_what_checks_use(photo, tmp_path):
    from lurewatch.avatar.checker import AvatarChecker
    from lurewatch.avatar.loading import LoadedImage
    from lurewatch.avatar.model import SyntheticFaceDetector

    assert (BUNDLED / ARTIFACT_NAME).stat().st_size < 20 * 1024 * 1024
    shutil.copyfile(BUNDLED / ARTIFACT_NAME, tmp_path / ARTIFACT_NAME)
    detector = SyntheticFaceDetector.load(tmp_path)
    assert detector.stack is None
    assert detector.descriptor is not None
    assert detector.version == descriptor_model.MODEL_VERSION
    assert detector.descriptor.meta_["heldout_rule"] == "crc32(file name) % 4 == 0"
    loaded = LoadedImage(photo, "PNG", photo.size, None, 0, 0)
    result = AvatarChecker(detector, with_cues=False).check_loaded(loaded, "p")
    assert result.score == pytest.approx(detector.descriptor.score_image(photo))
    assert result.model == descriptor_model.MODEL_VERSION
    assert result.top_features and "no face found" in result.top_features[0][0]


def test_without_dlib_checks_fall_back_to_the_cnn(tmp_path, monkeypatch, photo):
    from lurewatch.avatar import cnn
    from lurewatch.avatar.model import SyntheticFaceDetector

    for name in (ARTIFACT_NAME, cnn.ARTIFACT_NAME):
        shutil.copyfile(BUNDLED / name, tmp_path / name)
    monkeypatch.setattr(face_embedding, "available", lambda: False)
    detector = SyntheticFaceDetector.load(tmp_path)
    assert detector.descriptor is None and detector.version == cnn.MODEL_VERSION


def test_bundled_model_ranks_shared_fakes_above_reals(shared_faces):
    """Four real and four StyleGAN1 faces (training faces: a sanity check, not a measurement)."""
    model = DescriptorModel.load(BUNDLED)
    scores = [model.score_image(Image.open(p)) for p in shared_faces]
    assert np.mean(scores[4:]) > np.mean(scores[:4])


def test_score_ignores_the_input_encoding(shared_faces):
    """Same face, two uploads (q95 4:4:4 vs q60 4:2:0): the score barely moves."""
    import io

    model = DescriptorModel.load(BUNDLED)
    for path in shared_faces[:2] + shared_faces[-2:]:
        face = Image.open(path).convert("RGB")
        copies = []
        for quality, subsampling in ((95, 0), (60, 2)):
            buf = io.BytesIO()
            face.save(buf, format="JPEG", quality=quality, subsampling=subsampling)
            buf.seek(0)
            copies.append(model.score_image(Image.open(buf).convert("RGB")))
        assert abs(copies[0] - copies[1]) < 0.1


@pytest.mark.slow
def test_training_on_a_few_faces_is_deterministic(shared_faces, tmp_path):
    from lurewatch.avatar import descriptor_training

    data_dir = shared_faces[0].parents[2]
    runs = []
    for out in ("a", "b"):
        result = descriptor_training.train(
            data_dir, tmp_path / out, seed=3, limit=24, log=lambda _m: None
        )
        assert result["avatar_descriptor"].endswith(ARTIFACT_NAME), result
        runs.append((tmp_path / out / "avatar" / ARTIFACT_NAME).read_text(encoding="utf-8"))
    assert runs[0] == runs[1]


def test_training_without_dlib_keeps_the_committed_model(tmp_path, monkeypatch):
    from lurewatch.avatar import training

    monkeypatch.setattr(face_embedding, "available", lambda: False)
    out = training.train_descriptor(tmp_path, tmp_path / "models", seed=0)
    assert "not installed" in out["avatar_descriptor"]
    assert (tmp_path / "models" / "avatar" / ARTIFACT_NAME).exists()


def test_descriptor_training_needs_no_torch():
    """CI installs no torch: training the shipped model (and v2) must not import it."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from lurewatch.avatar import descriptor_training, training\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
