"""`lurewatch serve`: the web UI and REST API on one store."""

from __future__ import annotations

import os

import click

from lurewatch.settings import Settings


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (keep 127.0.0.1 unless behind a TLS proxy).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo",
    is_flag=True,
    help="Create demo users (admin/analyst/member@demo.example) and a case queue; loads the sample data into an empty store.",
)
@click.option(
    "--demo-password",
    envvar="LUREWATCH_DEMO_PASSWORD",
    default=None,
    help="Password for the demo users (default: random, printed).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes serving requests (detection is CPU-bound: about one per core).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.pass_obj
def command(
    settings: Settings,
    host: str,
    port: int,
    demo: bool,
    demo_password: str | None,
    workers: int,
    log_level: str,
) -> None:
    """Start the web UI and REST API on the store (--db, default lurewatch.db).

    \b
    First time:  lurewatch users add --role admin --org "My org" me@example.org
    Then:        lurewatch serve   and open http://127.0.0.1:8000/
    Demo:        lurewatch serve --demo
    API:         http://127.0.0.1:8000/api (OpenAPI at /api/v1/openapi.json)
    """
    import uvicorn

    from lurewatch.cli.common import open_store
    from lurewatch.web import create_app

    store = open_store(settings)
    if demo:
        from lurewatch.web.demo import prepare_demo

        info = prepare_demo(store, settings, demo_password)
        if info["ingested"]:
            click.echo("Loaded and analyzed the bundled sample data (invented).")
        click.echo(f"Demo users: {', '.join(info['users'])}  password: {info['password']}")
        click.echo(
            f"Case queue: {info['cases']} new case(s) from assessments rated medium or high."
        )
    click.echo(
        f"lurewatch web UI on http://{host}:{port}/  (store {settings.db_url}; Ctrl-C stops)"
    )
    options = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "proxy_headers": False,
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(create_app(settings, store), **options)  # type: ignore[arg-type]
        return
    # Several processes: each builds its own app from the environment (sessions live in the store).
    store.close()
    os.environ["LUREWATCH_DB"] = settings.db_url
    if not settings.use_models:
        os.environ["LUREWATCH_RULES_ONLY"] = "1"
    uvicorn.run("lurewatch.web.app:app_from_env", factory=True, workers=workers, **options)  # type: ignore[arg-type]
