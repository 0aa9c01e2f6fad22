"""The committed synthetic-face artifact loads, scores in [0, 1], and refuses bad artifacts."""

from __future__ import annotations

import json

import numpy as np
import pytest
from avatar_images import make_photo
from PIL import Image

from lurewatch.avatar import features
from lurewatch.avatar.model import ARTIFACT_NAME, SyntheticFaceModel
from lurewatch.errors import ModelArtifactError, NotFittedError
from lurewatch.settings import BUNDLED_MODELS_DIR

BUNDLED = BUNDLED_MODELS_DIR / "avatar"


def test_bundled_artifact_loads_and_is_small():
    model = SyntheticFaceModel.load(BUNDLED)
    assert model.coef_.shape == (len(features.feature_names()),)
    assert (BUNDLED / ARTIFACT_NAME).stat().st_size < 20 * 1024 * 1024
    assert model.version.startswith("avatar-synthetic")


def test_scores_are_probabilities(photo):
    model = SyntheticFaceModel.load(BUNDLED)
    for img in (
        photo,
        photo.convert("L"),
        photo.resize((90, 140)),
        Image.new("RGB", (64, 64), (128, 128, 128)),
    ):
        assert 0.0 <= model.score_image(img) <= 1.0


def test_pipeline_hides_the_input_encoding(shared_faces):
    """The same face saved two ways (q95 4:4:4 vs q90 4:2:0) scores about the same after re-encoding."""
    import io

    model = SyntheticFaceModel.load(BUNDLED)
    for path in shared_faces[:2] + shared_faces[-2:]:
        face = Image.open(path).convert("RGB").resize((400, 400), Image.Resampling.BICUBIC)

        def jpeg(q: int, subsampling: int, face=face) -> Image.Image:
            buf = io.BytesIO()
            face.save(buf, format="JPEG", quality=q, subsampling=subsampling)
            buf.seek(0)
            return Image.open(buf).convert("RGB")

        assert abs(model.score_image(jpeg(95, 0)) - model.score_image(jpeg(90, 2))) < 0.2


def test_fit_save_load_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    n = len(features.feature_names())
    X = rng.normal(size=(40, n))
    y = (X[:, 0] > 0).astype(int)
    model = SyntheticFaceModel().fit(X, y)
    model.save(tmp_path)
    loaded = SyntheticFaceModel.load(tmp_path)
    assert np.allclose(model.predict_proba(X), loaded.predict_proba(X))
    assert (loaded.predict_proba(X)[y == 1].mean()) > (loaded.predict_proba(X)[y == 0].mean())


def test_bad_artifacts_are_refused(tmp_path):
    with pytest.raises(ModelArtifactError, match="missing"):
        SyntheticFaceModel.load(tmp_path)
    (tmp_path / ARTIFACT_NAME).write_text("{not json")
    with pytest.raises(ModelArtifactError, match="unreadable"):
        SyntheticFaceModel.load(tmp_path)
    data = json.loads((BUNDLED / ARTIFACT_NAME).read_text())
    (tmp_path / ARTIFACT_NAME).write_text(json.dumps(data | {"feature_version": "old"}))
    with pytest.raises(ModelArtifactError, match="built for features"):
        SyntheticFaceModel.load(tmp_path)
    (tmp_path / ARTIFACT_NAME).write_text(json.dumps(data | {"coef": [1.0, 2.0]}))
    with pytest.raises(ModelArtifactError, match="wrong number"):
        SyntheticFaceModel.load(tmp_path)


def test_unfitted_model_raises():
    with pytest.raises(NotFittedError):
        SyntheticFaceModel().predict_proba(np.zeros(len(features.feature_names())))


def test_shared_fakes_score_higher_than_reals_on_average(shared_faces):
    """Weak but real: the committed model ranks StyleGAN1 faces above FFHQ photos on average."""
    model = SyntheticFaceModel.load(BUNDLED)
    scores = [model.score_image(Image.open(p).convert("RGB")) for p in shared_faces]
    half = len(scores) // 2
    assert np.mean(scores[half:]) > np.mean(scores[:half])


def test_generated_photo_features_are_finite():
    x = features.extract(features.reencode(make_photo(7)))
    assert x.shape == (len(features.feature_names()),) and np.isfinite(x).all()
