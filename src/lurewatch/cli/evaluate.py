"""`lurewatch eval`: measure every capability on held-out real data; writes docs/evaluation.md + plots."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lurewatch.cli.common import shared_data_dir, shared_data_option
from lurewatch.evaluation.report import SECTION_NAMES


@click.command("eval")
@shared_data_option
@click.option(
    "--only",
    type=click.Choice(SECTION_NAMES),
    default=None,
    help="Regenerate one section; the rest of the file is kept.",
)
@click.option(
    "--quick",
    is_flag=True,
    default=False,
    help="Smaller samples (seconds, not minutes); numbers are noisier.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path),
    default=Path("docs/evaluation.md"),
    show_default=True,
    help="The report to write; plots go to img/ beside it.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for splits and solvers.")
@click.pass_obj
def command(
    settings, data_dir: Path | None, only: str | None, quick: bool, out_file: Path, seed: int
) -> None:  # noqa: ANN001
    """Regenerate docs/evaluation.md: ROC-AUC, PR-AUC, TPR at 1%/10% FPR, calibration, per proxy,
    language and dataset, cross-proxy / cross-lingual / cross-dataset, with a rules-only baseline."""
    from lurewatch.evaluation.base import EvalContext
    from lurewatch.evaluation.report import write_report

    data_dir = shared_data_dir(settings, data_dir)
    start = time.monotonic()

    def progress(line: str) -> None:
        click.echo(f"[{time.monotonic() - start:6.1f}s] {line}", err=True)

    ctx = EvalContext(
        data_dir=data_dir,
        img_dir=Path(out_file).parent / "img",
        models_dir=Path(settings.models_dir),
        seed=seed,
        quick=quick,
        progress=progress,
    )
    results = write_report(ctx, Path(out_file), only=only)
    failed = [name for name, section in results.items() if section is None]
    click.echo(
        f"wrote {out_file} ({len(results) - len(failed)} sections ok"
        + (f"; not evaluated or failed: {', '.join(failed)})" if failed else ")")
    )
