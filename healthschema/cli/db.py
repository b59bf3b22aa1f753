"""``healthschema db start|stop|status|url``: the local embedded PostgreSQL."""

from __future__ import annotations

import typer

from healthschema.cli.common import embedded_note
from healthschema.pg import server

db_app = typer.Typer(help="The local embedded PostgreSQL that commands use by default.")


def start() -> None:
    """Start the local server (created on first use) and print its URL.

    A server still running from another installation (e.g. a deleted clone's virtualenv) is
    restarted with this installation's binaries."""
    url, outcome = server.start_default()
    typer.echo(embedded_note(outcome), err=True)
    typer.echo(url)


def stop() -> None:
    """Stop the local server; its data is kept."""
    server.default_cluster().stop()
    typer.echo("stopped")


def status() -> None:
    """Say whether the local server runs (exit 1 when it does not)."""
    cluster = server.default_cluster()
    running = cluster.is_running()
    typer.echo(f"{'running' if running else 'stopped'}: {cluster.datadir}")
    raise typer.Exit(0 if running else 1)


def url() -> None:
    """Print the local server's URL (exit 2 when it does not run)."""
    typer.echo(server.default_database_url(start=False))
