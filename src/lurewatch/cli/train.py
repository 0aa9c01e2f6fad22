"""`lurewatch train`: rebuild every learned model from the shared data, deterministically (seeded)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lurewatch.cli.common import shared_data_dir, shared_data_option
from lurewatch.errors import LurewatchError


@click.command("train")
@shared_data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where artifacts go (default: the bundled models folder).",
)
@click.option(
    "--cards",
    "cards_dir",
    type=click.Path(path_type=Path),
    default=Path("docs/model-cards"),
    show_default=True,
    help="Where model cards go.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for splits and solvers: same seed, same weights.",
)
@click.pass_obj
def command(
    settings, data_dir: Path | None, out_dir: Path | None, cards_dir: Path, seed: int
) -> None:  # noqa: ANN001
    """Rebuild the message and account models (and the avatar model when installed).

    Writes JSON artifacts (each < 10 MB) and a model card per model.
    """
    from lurewatch.models.training import train_all

    data_dir = shared_data_dir(settings, data_dir)
    out_dir = out_dir or settings.models_dir
    start = time.monotonic()

    def progress(line: str) -> None:
        click.echo(f"[{time.monotonic() - start:6.1f}s] {line}", err=True)

    try:
        written = train_all(
            Path(data_dir), Path(out_dir), seed=seed, cards_dir=cards_dir, progress=progress
        )
    except FileNotFoundError as exc:
        raise LurewatchError(str(exc)) from exc
    for name, path in written.items():
        click.echo(f"{name}: {path}")
