"""Checks one photo: load safely, hash, score, collect cues. The CLI and the plugin both call this.

The result carries everything the signals need (`signals.evidence_for`) and everything the store
keeps (`AvatarResult.to_row`), so `lurewatch avatar`, `check` and `analyze` cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lurewatch.avatar import cues, hashing
from lurewatch.avatar.hashing import PhotoHashes
from lurewatch.avatar.loading import ImageError, LoadedImage, load_image
from lurewatch.avatar.model import SyntheticFaceDetector, SyntheticFaceModel


@dataclass(slots=True)
class AvatarResult:
    id: str
    score: float | None = (
        None  # probability the face is synthetic; None without a model or on error
    )
    hashes: PhotoHashes | None = None
    faces: cues.FaceCues | None = None
    background: cues.BackgroundCues | None = None
    editing_software: str | None = None
    generator_hints: tuple[str, ...] = ()
    camera: str | None = None
    top_features: list[tuple[str, float]] = field(default_factory=list)
    error: str | None = None
    model: str | None = None
    size: tuple[int, int] | None = None


class AvatarChecker:
    """Binds the (optional) synthetic-face model; `check_path`/`check_bytes` never raise on bad images."""

    def __init__(
        self,
        model: SyntheticFaceDetector | SyntheticFaceModel | None = None,
        with_cues: bool = True,
    ) -> None:
        self.model = model
        self.with_cues = with_cues

    def check_path(self, path: str | Path, id: str | None = None) -> AvatarResult:
        rid = str(path) if id is None else id
        try:
            loaded = load_image(path)
        except ImageError as exc:
            return AvatarResult(rid, error=exc.message)
        return self.check_loaded(loaded, rid)

    def check_bytes(self, data: bytes, id: str) -> AvatarResult:
        try:
            loaded = load_image(id, data=data)
        except ImageError as exc:
            return AvatarResult(id, error=exc.message)
        return self.check_loaded(loaded, id)

    def check_loaded(self, loaded: LoadedImage, id: str) -> AvatarResult:
        img = loaded.image
        result = AvatarResult(
            id,
            hashes=hashing.hash_image(img),
            editing_software=cues.editing_software(loaded.exif_software),
            generator_hints=loaded.generator_hints,
            camera=loaded.camera,
            size=loaded.size,
        )
        if self.model is not None:
            result.score, result.top_features = self.model.score_and_reasons(img)
            result.model = self.model.version
        if self.with_cues:
            result.faces = cues.face_cues(img)
            result.background = cues.background_cues(img)
        return result
