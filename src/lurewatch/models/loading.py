"""Loads the committed model artifacts; any problem means rules v1 for that kind, never a crash.

`engine.assembly` calls `load_scorers` once per Assessor. A missing, corrupt or incompatible
artifact is reported once on stderr (a person should know the score came from rules) and the
rules scorer takes its place, so every assessment's `model` field says what scored it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lurewatch.errors import ModelArtifactError
from lurewatch.models import ACCOUNT_ARTIFACT, MESSAGE_ARTIFACT, MESSAGE_STACK_ARTIFACT
from lurewatch.models.linear import load_artifact
from lurewatch.models.scorers import AccountScorer, MessageScorer
from lurewatch.scoring.base import Levels, Scorer

_WARNED: set[str] = set()


def _warn(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"lurewatch: {message}; scoring with rules instead", file=sys.stderr)


def load_scorers(
    models_dir: Path, fallback: Scorer
) -> tuple[Scorer, Scorer, tuple[Levels | None, Levels | None] | None]:
    """(message scorer, account scorer, (message levels, account levels) or None)."""
    models_dir = Path(models_dir)
    message: Scorer = fallback
    account: Scorer = fallback
    message_levels: Levels | None = None
    account_levels: Levels | None = None
    stack_path = models_dir / MESSAGE_STACK_ARTIFACT
    if stack_path.exists():
        try:
            from lurewatch.models.message_stack import MessageStackScorer, load_stack

            stack = load_stack(stack_path)
            message, message_levels = MessageStackScorer(stack), stack.levels
        except (ModelArtifactError, KeyError, TypeError, ValueError) as exc:
            _warn(f"message model not used ({exc})")
    else:
        try:
            artifact = load_artifact(models_dir / MESSAGE_ARTIFACT, "message")
            message, message_levels = MessageScorer(artifact), artifact.levels
        except (ModelArtifactError, KeyError, TypeError, ValueError) as exc:
            _warn(f"message model not used ({exc})")
    try:
        artifact = load_artifact(models_dir / ACCOUNT_ARTIFACT, "account")
        account, account_levels = AccountScorer(artifact), artifact.levels
    except (ModelArtifactError, KeyError, TypeError, ValueError) as exc:
        _warn(f"account model not used ({exc})")
    if message_levels is None and account_levels is None:
        return message, account, None
    return message, account, (message_levels, account_levels)
