"""One frozen settings object, built once at the edge (flags, LUREWATCH_* environment) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_MODELS_DIR = PACKAGE_DIR / "models"
BUNDLED_DATA_DIR = PACKAGE_DIR / "data"


DEFAULT_DB_URL = "sqlite:///lurewatch.db"

# Retention periods in days per record kind (0: kept until erased); docs/security.md explains
# each kind. Override with LUREWATCH_RETENTION="messages=365,accounts=365" or `retention --days`.
RETENTION_DAYS: tuple[tuple[str, int], ...] = (
    ("sessions", 1),
    ("ingest_rejects", 90),
    ("member_reports", 365),
    ("messages", 730),
    ("edges", 730),
    ("accounts", 730),
    ("decided_cases", 1825),
    ("audit_reads", 730),
)


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    models_dir: Path = BUNDLED_MODELS_DIR
    use_models: bool = True  # False: rules only (fallback)
    shared_data_dir: Path = Path("../shared/data")
    retention: tuple[tuple[str, int], ...] = RETENTION_DAYS

    @property
    def retention_days(self) -> dict[str, int]:
        return dict(self.retention)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        base = cls(
            db_url=_db_url(env.get("LUREWATCH_DB", DEFAULT_DB_URL)),
            models_dir=Path(env.get("LUREWATCH_MODELS", str(BUNDLED_MODELS_DIR))),
            use_models=env.get("LUREWATCH_RULES_ONLY", "") not in {"1", "true", "yes"},
            shared_data_dir=Path(env.get("LUREWATCH_SHARED_DATA", "../shared/data")),
            retention=parse_retention(env.get("LUREWATCH_RETENTION", "")),
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


def parse_retention(
    text: str, base: tuple[tuple[str, int], ...] = RETENTION_DAYS
) -> tuple[tuple[str, int], ...]:
    """`kind=days,kind=days` over the defaults; a bad item raises ValueError naming it."""
    days = dict(base)
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kind, _, value = item.partition("=")
        kind = kind.strip()
        if kind not in days:
            raise ValueError(f"unknown retention kind {kind!r} (one of {', '.join(days)})")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(
                f"retention for {kind!r} must be a whole number of days, got {value!r}"
            ) from None
        if number < 0 or number > 100_000:
            raise ValueError(f"retention for {kind!r} must be 0 to 100000 days, got {number}")
        days[kind] = number
    return tuple(days.items())
