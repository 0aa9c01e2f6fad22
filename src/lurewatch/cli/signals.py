"""`lurewatch signals`: the catalogue, generated from the registered SignalSpecs."""

from __future__ import annotations

import json

import click

from lurewatch.signals.registry import all_signals


@click.command("signals")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def command(fmt: str) -> None:
    """List every signal lurewatch can report: code, what it applies to, rule weight, description.

    The codes are the `signal` field of each piece of evidence in `check`, `scan` and
    `analyze` output (e.g. lure.offplatform_request, persona.thin_profile).

    \b
    Examples:
      lurewatch signals
      lurewatch signals --format markdown > signals.md
      lurewatch signals --format json | jq '.[].signal'
    """
    specs = all_signals()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "signal": s.code,
                        "family": s.family,
                        "applies_to": list(s.applies_to),
                        "weight": s.weight,
                        "description": s.description,
                    }
                    for s in specs
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if fmt == "markdown":
        click.echo("| signal | applies to | weight | description |\n|---|---|---|---|")
        for s in specs:
            click.echo(
                f"| `{s.code}` | {', '.join(s.applies_to)} | {s.weight:.2f} | {s.description} |"
            )
        return
    family = None
    for s in specs:
        if s.family != family:
            family = s.family
            click.echo(click.style(f"\n{family}", bold=True))
        click.echo(
            f"  {s.code:<38} [{'/'.join(s.applies_to)}; weight {s.weight:.2f}]\n      {s.description}"
        )
