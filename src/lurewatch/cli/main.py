"""`lurewatch` entry point: a click group whose subcommands are loaded on first use.

Lazy loading keeps `lurewatch check` fast to start (no web or ML imports) and lets each
command own one module. The module must define `command` (a click.Command or Group).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from lurewatch import __version__
from lurewatch.errors import LurewatchError

# name -> (module, one-line help shown in `lurewatch --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "lurewatch.cli.check",
        "Check one message, profile or a JSONL stream; verdict, evidence, advice.",
    ),
    "scan": ("lurewatch.cli.scan", "Scan your LinkedIn data archive (zip or folder) offline."),
    "ingest": (
        "lurewatch.cli.ingest",
        "Load archives and JSONL feeds into the store (idempotent).",
    ),
    "analyze": ("lurewatch.cli.analyze", "Score everything in the store and save the assessments."),
    "assessments": (
        "lurewatch.cli.assessments",
        "Print every stored assessment, one JSON line each (a pipeline contract).",
    ),
    "signals": (
        "lurewatch.cli.signals",
        "List every signal lurewatch can report, with its description.",
    ),
    "demo": ("lurewatch.cli.demo", "Run the main job on the bundled sample data (SQLite)."),
    "train": (
        "lurewatch.cli.train",
        "Rebuild the learned models from ../shared/data (deterministic).",
    ),
    "eval": (
        "lurewatch.cli.evaluate",
        "Measure detection quality on held-out data; writes docs/evaluation.md.",
    ),
    "watchlist": (
        "lurewatch.cli.watchlist",
        "Front-company and persona watchlist: list, add, match, import, export.",
    ),
    "intel": ("lurewatch.cli.intel", "Exchange indicators in STIX 2.1 / TAXII 2.1."),
    "templates": ("lurewatch.cli.templates", "Find standardised (near-duplicate) messages."),
    "campaigns": (
        "lurewatch.cli.campaigns",
        "Link accounts into campaigns through shared artifacts.",
    ),
    "graph": ("lurewatch.cli.graph", "Connection-graph trust and targeting analysis."),
    "avatar": ("lurewatch.cli.avatar", "Check profile photos: synthetic faces, reused photos."),
    "serve": ("lurewatch.cli.serve", "Start the web UI and REST API."),
    "users": ("lurewatch.cli.users", "Manage web users, organisations and API keys."),
    "cases": ("lurewatch.cli.cases", "The review queue: list cases, decide, audit trail."),
    "subject": (
        "lurewatch.cli.subject",
        "A person's data: export (GDPR art. 15) or erase (art. 17).",
    ),
    "retention": ("lurewatch.cli.retention", "Remove personal data past its retention period."),
    "spark": (
        "lurewatch.cli.spark",
        "Platform scale: the same analysis on a Spark cluster (local mode for tests).",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _) in COMMANDS.items() if _available(module))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module = importlib.import_module(entry[0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lurewatch")
@click.option(
    "--db",
    envvar="LUREWATCH_DB",
    default=None,
    help="Store: a SQLite file path or a database URL (default lurewatch.db).",
)
@click.option(
    "--rules-only", is_flag=True, default=False, help="Ignore learned models; score with rules v1."
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, rules_only: bool) -> None:
    """lurewatch finds fake professional-network cover profiles and the lure messages they send.

    Every verdict comes with its evidence and advice. Start with
    `lurewatch check --text "..."` or `lurewatch scan YOUR_LINKEDIN_EXPORT.zip`.
    """
    from lurewatch.settings import Settings

    overrides: dict[str, object] = {"db_url": db}
    if rules_only:
        overrides["use_models"] = False
    try:
        ctx.obj = Settings.from_env(**overrides)
    except ValueError as exc:  # a malformed LUREWATCH_* value: one line naming it
        raise click.UsageError(f"environment: {exc}") from None


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except LurewatchError as exc:
        click.echo(f"lurewatch: error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
