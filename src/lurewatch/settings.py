"""One frozen settings object, built once at the edge (flags, LUREWATCH_* environment) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_MODELS_DIR = PACKAGE_DIR / "models"
BUNDLED_DATA_DIR = PACKAGE_DIR / "data"


DEFAULT_DB_URL = "sqlite:///lurewatch.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    models_dir: Path = BUNDLED_MODELS_DIR
    use_models: bool = True  # False: rules only (fallback)
    shared_data_dir: Path = Path("../shared/data")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        base = cls(
            db_url=_db_url(env.get("LUREWATCH_DB", DEFAULT_DB_URL)),
            models_dir=Path(env.get("LUREWATCH_MODELS", str(BUNDLED_MODELS_DIR))),
            use_models=env.get("LUREWATCH_RULES_ONLY", "") not in {"1", "true", "yes"},
            shared_data_dir=Path(env.get("LUREWATCH_SHARED_DATA", "../shared/data")),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "db_url" in clean:
            clean["db_url"] = _db_url(str(clean["db_url"]))
        return replace(base, **clean)  # type: ignore[arg-type]


def _db_url(value: str) -> str:
    """A bare path means a SQLite file; anything with '://' is a SQLAlchemy URL (postgresql+psycopg://…)."""
    if "://" in value:
        return value
    return f"sqlite:///{value}"
