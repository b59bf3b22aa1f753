"""The ``healthschema`` command line: parse options, call one library function, print.

Errors of the library (:class:`~healthschema.errors.HealthschemaError`) are caught at one
boundary, :class:`_Group`, and printed as one line on stderr with their exit code:
0 ok, 1 problems found, 2 could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from healthschema.cli import db_commands, migrate_commands, policy_commands, schedule, verify_commands
from healthschema.cli.common import State
from healthschema.db import mask_url
from healthschema.errors import HealthschemaError


class _Group(TyperGroup):
    """Turns library errors into one line on stderr and the error's exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HealthschemaError as exc:
            line = f"error: {exc.message}" + (f" (hint: {exc.hint})" if exc.hint else "")
            typer.echo(mask_url(line), err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    help="Schema-as-code toolkit for the customer-success health database.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    # Plain help: flags show as flags (rich help prints `<bool>` after each of them).
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"healthschema {_version()}")
        raise typer.Exit(0)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("healthschema")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "unknown"


@app.callback()
def _main(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project", envvar="HEALTHSCHEMA_PROJECT",
            help="Project directory (default: found from the current directory upwards).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
    ] = False,
) -> None:
    """Render, apply, verify and roll back the health schema. Exit codes: 0 ok, 1 problems
    found, 2 could not run."""
    ctx.obj = State(project)


db_commands.register(app)
migrate_commands.register(app)
policy_commands.register(app)
verify_commands.register(app)
schedule.register(app)


def main() -> None:
    app(prog_name="healthschema")
