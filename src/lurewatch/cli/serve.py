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
    "--proxy-headers",
    is_flag=True,
    help="Behind a TLS proxy: trust X-Forwarded-Proto/-For from --forwarded-allow-ips, so the "
    "client address (login limits) and https (Secure cookies) are the real client's.",
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Comma-separated proxy addresses (or networks) whose X-Forwarded-* headers are trusted; "
    "only with --proxy-headers. Never '*' on a server reachable without the proxy.",
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
    proxy_headers: bool,
    forwarded_allow_ips: str,
    log_level: str,
) -> None:
    """Start the web UI and REST API on the store (--db, default lurewatch.db).

    \b
    First time:  lurewatch users add --role admin --org "My org" me@example.org
    Then:        lurewatch serve   and open http://127.0.0.1:8000/
    Demo:        lurewatch serve --demo
    TLS proxy:   lurewatch serve --proxy-headers --forwarded-allow-ips 10.0.0.5
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
        # Without --proxy-headers, X-Forwarded-* are ignored: a client cannot claim https or
        # another address. With it, only the named proxies are believed.
        "proxy_headers": proxy_headers,
        "forwarded_allow_ips": forwarded_allow_ips if proxy_headers else None,
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
