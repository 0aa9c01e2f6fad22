"""One error hierarchy. Errors become user messages in exactly two places: the CLI and the web error handler."""

from __future__ import annotations


class LurewatchError(Exception):
    """Base of every error lurewatch raises on purpose."""


class InputError(LurewatchError, ValueError):
    """Bad input, located as precisely as we can (file, line, field) so a person can fix it."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.where() + message)

    def where(self) -> str:
        parts = []
        if self.source:
            parts.append(str(self.source))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return (", ".join(parts) + ": ") if parts else ""

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "line": self.line,
            "field": self.field,
            "error": self.message,
        }


class UnsafeArchiveError(InputError):
    """An archive that could harm the machine (path traversal, decompression bomb, huge member)."""


class StoreError(LurewatchError):
    """The store could not be opened, migrated or written."""


class NotFittedError(LurewatchError, ValueError, AttributeError):
    """A learned component was used before `fit` (scikit-learn's convention)."""


class ModelArtifactError(LurewatchError):
    """A committed model artifact is missing, corrupt or from an incompatible version."""
