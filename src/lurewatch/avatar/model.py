"""The synthetic-face classifier: standardised features → logistic regression, stored as plain JSON.

JSON rather than pickle: a committed artifact is loaded on every `check`, and unpickling runs code.
The file records the feature version, so an artifact built for other features is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from lurewatch.avatar import features
from lurewatch.errors import ModelArtifactError, NotFittedError

if TYPE_CHECKING:
    from lurewatch.avatar.cnn import CnnModel
    from lurewatch.avatar.descriptor_model import DescriptorModel
    from lurewatch.avatar.stack_detector import StackDetector

ARTIFACT_NAME = "synthetic_face.json"
# Weight of the CNN's log-odds when both models are present (1.0: the CNN alone). The CNN alone:
# an equal blend with v2 gained a little TPR on the unaltered held-out faces but lost ROC-AUC after
# resizing, blur and noise, and inherited v2's sensitivity to the input's JPEG encoding (docs/avatar.md).
CNN_WEIGHT = 1.0


def read_artifact(path: Path, what: str, feature_version: str) -> dict[str, Any]:
    """A JSON model artifact as a dict; ModelArtifactError if missing, corrupt or built for other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelArtifactError(f"{what} missing: {path} (run `lurewatch train`)") from exc
    except (OSError, ValueError) as exc:
        raise ModelArtifactError(f"{what} unreadable: {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("feature_version") != feature_version:
        got = data.get("feature_version") if isinstance(data, dict) else None
        raise ModelArtifactError(
            f"{what} {path} was built for features {got!r}, "
            f"this code computes {feature_version!r} (run `lurewatch train`)"
        )
    return data


@dataclass
class SyntheticFaceModel:
    """Probability that a face photo was made by a generator (see `features` for the pipeline)."""

    C: float = 0.05

    def fit(self, X: np.ndarray, y: np.ndarray, seed: int = 0) -> SyntheticFaceModel:
        from sklearn.linear_model import LogisticRegression

        self.mean_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0)
        self.scale_[self.scale_ < 1e-9] = 1.0
        clf = LogisticRegression(C=self.C, max_iter=5000, random_state=seed)
        clf.fit((X - self.mean_) / self.scale_, y)
        self.coef_ = clf.coef_[0].astype(np.float64)
        self.intercept_ = float(clf.intercept_[0])
        self.meta_: dict[str, Any] = {}
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("SyntheticFaceModel is not fitted: call fit() or load() first")

    def decision(self, X: np.ndarray) -> np.ndarray:
        self._check()
        z = (np.atleast_2d(X) - self.mean_) / self.scale_
        return z @ self.coef_ + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of 'synthetic' for each row of features."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.decision(X), -40, 40)))

    def score_image(self, img: Image.Image) -> float:
        """Re-encodes the image through the one pipeline, then scores it."""
        x = features.extract(features.reencode(img, quality=features.CHECK_QUALITY))
        return float(self.predict_proba(x)[0])

    def score_and_reasons(self, img: Image.Image) -> tuple[float, list[tuple[str, float]]]:
        """P(synthetic) and the features that pushed it, from one re-encoding."""
        x = features.extract(features.reencode(img, quality=features.CHECK_QUALITY))
        return float(self.predict_proba(x)[0]), self.top_features(x)

    def top_features(self, img_features: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        """The features that pushed this image's score most (signed contribution to the log-odds)."""
        self._check()
        contrib = ((img_features - self.mean_) / self.scale_) * self.coef_
        names = features.feature_names()
        order = np.argsort(-np.abs(contrib))[:k]
        return [(names[i], float(contrib[i])) for i in order]

    # ------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        self._check()
        return {
            "kind": "lurewatch.avatar.synthetic_face",
            "feature_version": features.FEATURE_VERSION,
            "feature_names": features.feature_names(),
            "C": self.C,
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
            "meta": self.meta_,
        }

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / ARTIFACT_NAME
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> SyntheticFaceModel:
        """Loads `synthetic_face.json`; raises ModelArtifactError if missing, corrupt or incompatible."""
        path = Path(directory) / ARTIFACT_NAME
        data = read_artifact(path, "avatar model artifact", features.FEATURE_VERSION)
        n = len(features.feature_names())
        try:
            model = cls(C=float(data["C"]))
            model.mean_ = np.asarray(data["mean"], dtype=np.float64)
            model.scale_ = np.asarray(data["scale"], dtype=np.float64)
            model.coef_ = np.asarray(data["coef"], dtype=np.float64)
            model.intercept_ = float(data["intercept"])
            model.meta_ = dict(data.get("meta") or {})
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelArtifactError(f"avatar model artifact {path} is malformed: {exc}") from exc
        if not (model.mean_.shape == model.scale_.shape == model.coef_.shape == (n,)):
            raise ModelArtifactError(
                f"avatar model artifact {path} has the wrong number of features"
            )
        return model

    @property
    def version(self) -> str:
        return str(self.meta_.get("version", "avatar-synthetic-v2"))


class SyntheticFaceDetector:
    """What checks score with: the stacked model first (`stack_detector`: face descriptor + noise
    residuals, trained on every shared generator), then the face-descriptor model, then the pixel
    CNN and v2 as fallbacks.

    All see the same re-encoded image. The stack or descriptor model scores whenever its
    artifact and dlib are present; without them the CNN's and v2's log-odds are blended with
    `cnn_weight` (1.0 = the CNN alone), so a checkout without dlib, or a `lurewatch train`
    without torch, keeps working.
    """

    def __init__(
        self,
        linear: SyntheticFaceModel | None,
        net: CnnModel | None = None,
        cnn_weight: float = CNN_WEIGHT,
        descriptor: DescriptorModel | None = None,
        stack: StackDetector | None = None,
    ) -> None:
        if linear is None and net is None and descriptor is None and stack is None:
            raise ModelArtifactError("no synthetic-face model artifact is present")
        self.linear = linear
        self.net = net
        self.descriptor = descriptor
        self.stack = stack
        self.cnn_weight = cnn_weight if linear is not None else 1.0
        if net is None:
            self.cnn_weight = 0.0

    @classmethod
    def load(cls, directory: Path) -> SyntheticFaceDetector:
        """Every artifact present in `directory`; at least one must be."""
        from lurewatch.avatar import face_embedding
        from lurewatch.avatar.cnn import ARTIFACT_NAME as CNN_ARTIFACT
        from lurewatch.avatar.cnn import CnnModel
        from lurewatch.avatar.descriptor_model import ARTIFACT_NAME as DESCRIPTOR_ARTIFACT
        from lurewatch.avatar.descriptor_model import DescriptorModel

        directory = Path(directory)
        net = CnnModel.load(directory) if (directory / CNN_ARTIFACT).exists() else None
        from lurewatch.avatar.stack_detector import StackDetector
        from lurewatch.avatar.stack_training import ARTIFACT_NAME as STACK_ARTIFACT

        descriptor = stack = None
        if (directory / DESCRIPTOR_ARTIFACT).exists() and face_embedding.available():
            descriptor = DescriptorModel.load(directory)
        if (directory / STACK_ARTIFACT).exists() and face_embedding.available():
            stack = StackDetector.load(directory)
        try:
            linear: SyntheticFaceModel | None = SyntheticFaceModel.load(directory)
        except ModelArtifactError:
            if net is None and descriptor is None and stack is None:
                raise
            linear = None
        return cls(linear, net, descriptor=descriptor, stack=stack)

    def score_and_reasons(self, img: Image.Image) -> tuple[float, list[tuple[str, float]]]:
        """P(synthetic) and what pushed it (v2's features when v2 scores)."""
        x = features.reencode(img, quality=features.CHECK_QUALITY)
        if self.stack is not None:
            return self.stack.score_and_reasons_array(x)
        if self.descriptor is not None:
            return self.descriptor.score_and_reasons_array(x)
        z = 0.0
        reasons: list[tuple[str, float]] = []
        if self.linear is not None and self.cnn_weight < 1.0:
            f = features.extract(x)
            z += (1.0 - self.cnn_weight) * float(self.linear.decision(f)[0])
            reasons = self.linear.top_features(f)
        if self.net is not None and self.cnn_weight > 0.0:
            z += self.cnn_weight * self.net.logit_of(x)
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))), reasons

    def score_image(self, img: Image.Image) -> float:
        return self.score_and_reasons(img)[0]

    @property
    def version(self) -> str:
        if self.stack is not None:
            return self.stack.version
        if self.descriptor is not None:
            return self.descriptor.version
        if self.net is None:
            return self.linear.version if self.linear is not None else "none"
        if self.linear is None or self.cnn_weight >= 1.0:
            return self.net.version
        return f"{self.net.version}+{self.linear.version} (blend {self.cnn_weight:g})"
