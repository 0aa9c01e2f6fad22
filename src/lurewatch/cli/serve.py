"""`lurewatch serve`: the web UI and REST API on one store."""

from __future__ import annotations

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
    "--log-level",
    default="info",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    show_default=True,
)
@click.pass_obj
def command(
    settings: Settings, host: str, port: int, demo: bool, demo_password: str | None, log_level: str
) -> None:
    """Start the web UI and REST API on the store (--db, default lurewatch.db).

    \b
    First time:  lurewatch users add --role admin --org "My org" me@example.org
    Then:        lurewatch serve   and open http://127.0.0.1:8000/
    Demo:        lurewatch serve --demo
    API:         http://127.0.0.1:8000/api (OpenAPI at /api/v1/openapi.json)
    """
    import uvicorn

    from lurewatch.store import Store
    from lurewatch.web import create_app

    store = Store(settings.db_url)
    if demo:
        from lurewatch.web.demo import prepare_demo

        info = prepare_demo(store, settings, demo_password)
        if info["ingested"]:
            click.echo("Loaded and analyzed the bundled sample data (invented).")
        click.echo(f"Demo users: {', '.join(info['users'])}  password: {info['password']}")
        click.echo(
            f"Case queue: {info['cases']} new case(s) from assessments rated medium or high."
        )
    app = create_app(settings, store)
    click.echo(
        f"lurewatch web UI on http://{host}:{port}/  (store {settings.db_url}; Ctrl-C stops)"
    )
    uvicorn.run(
        app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False
    )
