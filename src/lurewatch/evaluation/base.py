"""The contract between `lurewatch eval` and each capability's evaluation module.

A capability ships `lurewatch/<family>/evaluation.py` with
`evaluate(ctx: EvalContext) -> EvalSection`; the eval command collects the sections in a fixed
order, writes docs/evaluation.md and the plots under docs/img/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class EvalContext:
    data_dir: Path  # ../shared/data
    img_dir: Path  # where plots go (docs/img); link them relative to docs/
    models_dir: Path
    seed: int = 0
    quick: bool = False  # smaller samples, for tests
    progress: Callable[[str], None] = print


@dataclass
class EvalSection:
    title: str
    markdown: str  # the section body (tables, text, image links relative to docs/)
    metrics: dict[str, float] = field(default_factory=dict)  # headline numbers, for tests and diffs
    plots: list[Path] = field(default_factory=list)
