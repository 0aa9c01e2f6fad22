"""Scoring a photo with the stacked model: features of the re-encoded image → P(synthetic).

The features are those `feature_cache` computed for training (the same functions; the face is
detected once and its box shared by the descriptor and the face-region residuals).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lurewatch.avatar import features
from lurewatch.avatar.feature_cache import row_features
from lurewatch.avatar.model import read_artifact
from lurewatch.avatar.stack_model import StackModel
from lurewatch.avatar.stack_training import (
    ARTIFACT_NAME,
    FAMILIES,
    FEATURE_VERSION,
    MODEL_VERSION,
    layout,
)
from lurewatch.errors import ModelArtifactError

_NAMES = {
    "dlib": "face descriptor (face-recognition network)",
    "resid": "noise residuals and spectrum of the whole photo",
    "resid_face": "noise residuals and spectrum of the face",
}


@dataclass
class StackDetector:
    model: StackModel

    @classmethod
    def load(cls, directory: Path) -> StackDetector:
        """Loads the artifact; ModelArtifactError if missing, corrupt or built for other features."""
        path = Path(directory) / ARTIFACT_NAME
        data = read_artifact(path, "avatar stack model", FEATURE_VERSION)
        model = StackModel.from_dict(data, path)
        if model.layout != layout():
            raise ModelArtifactError(f"avatar stack model {path} has another feature layout")
        return cls(model)

    def score_and_reasons_array(
        self, reencoded: np.ndarray
    ) -> tuple[float, list[tuple[str, float]]]:
        """P(synthetic) of an image already through the one pipeline, and each family's share."""
        x, face = row_features(reencoded, FAMILIES)
        parts = self.model.part_decisions(x)[0] * self.model.weights_
        z = float(parts.sum() + self.model.bias_)
        reasons = [
            (_NAMES.get(p.family, p.family), float(v))
            for p, v in zip(self.model.parts, parts, strict=True)
        ]
        if face is not None and not face.detected:
            reasons.append(("no face found: the photo's centre was used", 0.0))
        reasons.sort(key=lambda r: -abs(r[1]))
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))), reasons

    def score_and_reasons(self, img: Image.Image) -> tuple[float, list[tuple[str, float]]]:
        return self.score_and_reasons_array(features.reencode(img, quality=features.CHECK_QUALITY))

    def score_image(self, img: Image.Image) -> float:
        return self.score_and_reasons(img)[0]

    @property
    def version(self) -> str:
        return str(self.model.meta_.get("version", MODEL_VERSION))
