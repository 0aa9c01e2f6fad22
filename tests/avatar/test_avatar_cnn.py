"""The synthetic-face CNN: NumPy forward pass equals torch's, artifacts load safely, training is seeded."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lurewatch.avatar import cnn
from lurewatch.errors import ModelArtifactError


def _random_weights(rng: np.random.Generator) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    c_in = 3
    strides = [1, 2, 1, 2]
    for i, c_out in enumerate((8, 12, 12, 16)):
        out[f"conv{i}_w"] = rng.normal(0, 0.3, (c_out, c_in, 3, 3)).astype(np.float32)
        out[f"conv{i}_b"] = rng.normal(0, 0.1, c_out).astype(np.float32)
        c_in = c_out
    out["strides"] = np.asarray(strides)
    out["fc_w"] = rng.normal(0, 0.3, c_in).astype(np.float32)
    out["fc_b"] = np.asarray([0.1], dtype=np.float32)
    return out


def test_conv_matches_a_direct_loop():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 9, 2)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 3)).astype(np.float32)
    b = rng.normal(size=3).astype(np.float32)
    for stride in (1, 2):
        got = cnn.conv3x3(x, w, b, stride)
        xp = np.pad(x, ((1, 1), (1, 1), (0, 0)))
        ho, wo = -(-7 // stride), -(-9 // stride)
        want = np.zeros((ho, wo, 3), dtype=np.float32)
        for i in range(ho):
            for j in range(wo):
                patch = xp[i * stride : i * stride + 3, j * stride : j * stride + 3]  # 3,3,C
                want[i, j] = np.einsum("yxc,ocyx->o", patch, w) + b
        assert got.shape == want.shape
        assert np.allclose(got, want, atol=1e-4)


def test_numpy_forward_equals_torch_forward():
    torch = pytest.importorskip("torch")
    from lurewatch.avatar import cnn_training

    torch.manual_seed(0)
    net = cnn_training.Net()
    net.train()
    with torch.no_grad():  # give batch-norm non-trivial running statistics to fold
        for _ in range(3):
            net(torch.randn(4, 3, 32, 32) * 2 + 0.5)
    net.eval()
    model = cnn.CnnModel(cnn_training.export(net), {})
    x = np.random.default_rng(1).normal(size=(40, 48, 3)).astype(np.float32)
    with torch.no_grad():
        want = float(net(torch.from_numpy(x.transpose(2, 0, 1)[None].copy()))[0])
    assert model.logit(x) == pytest.approx(want, abs=1e-3)


def test_save_load_round_trip_scores_probabilities(tmp_path, photo):
    weights = _random_weights(np.random.default_rng(2))
    cnn.save(weights, {"version": "test-cnn"}, tmp_path)
    model = cnn.CnnModel.load(tmp_path)
    assert model.version == "test-cnn"
    scores = [
        model.score_image(img)
        for img in (photo, photo.convert("L"), photo.resize((90, 140)), Image.new("RGB", (64, 64)))
    ]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert model.score_image(photo) == model.score_image(photo)  # deterministic
    assert len(set(np.round(scores, 6))) > 1  # the weights are actually used


def test_bad_cnn_artifacts_are_refused(tmp_path):
    with pytest.raises(ModelArtifactError, match="missing"):
        cnn.CnnModel.load(tmp_path)
    (tmp_path / cnn.ARTIFACT_NAME).write_bytes(b"not an npz")
    with pytest.raises(ModelArtifactError, match="unreadable"):
        cnn.CnnModel.load(tmp_path)
    weights = _random_weights(np.random.default_rng(3))
    weights["conv2_w"] = weights["conv2_w"][:, :5]  # wrong number of input channels
    cnn.save(weights, {}, tmp_path)
    with pytest.raises(ModelArtifactError, match="malformed"):
        cnn.CnnModel.load(tmp_path)


def test_cnn_training_is_deterministic(shared_faces, tmp_path):
    pytest.importorskip("torch")
    from lurewatch.avatar import cnn_training

    data_dir = shared_faces[0].parents[2]
    quiet = lambda _: None  # noqa: E731
    for name in ("a", "b"):
        cnn_training.train(data_dir, tmp_path / name, seed=5, epochs=1, limit=12, log=quiet)
    a = cnn.CnnModel.load(tmp_path / "a" / "avatar")
    b = cnn.CnnModel.load(tmp_path / "b" / "avatar")
    for (wa, ba, _), (wb, bb, _) in zip(a.layers, b.layers, strict=True):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert a.meta_["seed"] == 5 and a.meta_["epochs"] == 1


def test_bundled_cnn_is_small_and_is_the_fallback_checks_use(photo, tmp_path):
    """Without the descriptor model (no dlib, or its artifact missing) checks score with the CNN."""
    import shutil

    from lurewatch.avatar.checker import AvatarChecker
    from lurewatch.avatar.loading import LoadedImage
    from lurewatch.avatar.model import ARTIFACT_NAME, SyntheticFaceDetector
    from lurewatch.settings import BUNDLED_MODELS_DIR

    bundled = BUNDLED_MODELS_DIR / "avatar"
    assert (bundled / cnn.ARTIFACT_NAME).stat().st_size < 20 * 1024 * 1024
    for name in (cnn.ARTIFACT_NAME, ARTIFACT_NAME):
        shutil.copyfile(bundled / name, tmp_path / name)
    detector = SyntheticFaceDetector.load(tmp_path)
    assert detector.net is not None and detector.version == cnn.MODEL_VERSION
    assert detector.net.meta_["heldout_rule"] == "crc32(file name) % 4 == 0"
    loaded = LoadedImage(photo, "PNG", photo.size, None, 0, 0)
    result = AvatarChecker(detector, with_cues=False).check_loaded(loaded, "p")
    assert result.score == pytest.approx(detector.net.score_image(photo))
    assert result.model == cnn.MODEL_VERSION


def test_detector_without_cnn_is_v2(tmp_path, photo):
    import shutil

    from lurewatch.avatar.model import ARTIFACT_NAME, SyntheticFaceDetector, SyntheticFaceModel
    from lurewatch.settings import BUNDLED_MODELS_DIR

    shutil.copyfile(BUNDLED_MODELS_DIR / "avatar" / ARTIFACT_NAME, tmp_path / ARTIFACT_NAME)
    detector = SyntheticFaceDetector.load(tmp_path)
    v2 = SyntheticFaceModel.load(tmp_path)
    assert detector.net is None and detector.version == v2.version
    assert detector.score_image(photo) == pytest.approx(v2.score_image(photo))


def test_cnn_score_ignores_the_input_encoding(shared_faces):
    """Same face, two uploads (q95 4:4:4 vs q60 4:2:0): the CNN's score barely moves."""
    import io

    from lurewatch.settings import BUNDLED_MODELS_DIR

    detector = cnn.CnnModel.load(BUNDLED_MODELS_DIR / "avatar")
    for path in shared_faces[:2] + shared_faces[-2:]:
        face = Image.open(path).convert("RGB")

        def jpeg(q: int, subsampling: int, face=face) -> Image.Image:
            buf = io.BytesIO()
            face.save(buf, format="JPEG", quality=q, subsampling=subsampling)
            buf.seek(0)
            return Image.open(buf).convert("RGB")

        assert abs(detector.score_image(jpeg(95, 0)) - detector.score_image(jpeg(60, 2))) < 0.08


def test_without_torch_train_keeps_the_committed_weights(tmp_path, monkeypatch):
    import importlib.util

    from lurewatch.avatar import training

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    out = training.train_cnn(tmp_path, tmp_path / "models", seed=0)
    assert "torch not installed" in out["avatar_cnn"] and "kept" in out["avatar_cnn"]
    assert cnn.CnnModel.load(tmp_path / "models" / "avatar").version == cnn.MODEL_VERSION
