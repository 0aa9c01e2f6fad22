"""Pure packages never import the store, the engine, the web, the CLI or the settings."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lurewatch"
PURE = ["records.py", "evidence.py", "errors.py", "signals", "scoring"]
OPTIONAL_PURE = ["templates", "campaigns", "graph", "watchlist", "avatar"]
FORBIDDEN = (
    "lurewatch.store",
    "lurewatch.engine",
    "lurewatch.web",
    "lurewatch.cli",
    "lurewatch.settings",
)
# Modules inside family packages allowed to touch I/O (persistence adapters, servers), by design.
ALLOWED_IO_MODULES = {
    "store.py",
    "persist.py",
    "repository.py",
    "taxii_server.py",
    "taxii_client.py",
    "training.py",
    "evaluation.py",
}


def _python_files(target: str) -> list[Path]:
    path = SRC / target
    if path.is_file():
        return [path]
    if not path.exists():
        return []
    return [p for p in path.rglob("*.py") if p.name not in ALLOWED_IO_MODULES]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("target", PURE + OPTIONAL_PURE)
def test_pure_package_does_not_import_io_layers(target):
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in _python_files(target)
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert not offenders, offenders
