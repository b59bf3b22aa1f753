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

from healthschema.cli import check, data, db, deploy, generate, migrate, quality
from healthschema.cli.common import State
from healthschema.errors import HealthschemaError
from healthschema.pg.connect import mask_url


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
)


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
) -> None:
    """Render, apply, verify and roll back the health schema. Exit codes: 0 ok, 1 problems
    found, 2 could not run."""
    ctx.obj = State(project)


# One module per job; each command is a plain function registered here, in --help order.
# Homes for commands to come: cli/generate.py (types, milestone new, export) -- docs/architecture.md.
app.command("render")(migrate.render_cmd)
app.command("snapshot")(migrate.snapshot_cmd)
app.command("status")(migrate.status_cmd)
app.command("apply")(migrate.apply_cmd)
app.command("rollback")(migrate.rollback_cmd)
app.command("verify")(check.verify_cmd)
app.command("preflight")(check.preflight_cmd)
app.command("policy-check")(check.policy_check_cmd)
app.command("deploy")(deploy.deploy_cmd)
app.command("lint")(quality.lint)
app.command("check")(quality.check)
app.command("export")(generate.export)
app.command("seed")(data.seed_cmd)
app.command("refresh")(data.refresh_cmd)
app.command("bench")(data.bench_cmd)
app.add_typer(db.db_app, name="db")
db.db_app.command("start")(db.start)
db.db_app.command("stop")(db.stop)
db.db_app.command("status")(db.status)
db.db_app.command("url")(db.url)
app.command("types")(generate.types)
app.add_typer(generate.milestone_app, name="milestone")


def main() -> None:
    app(prog_name="healthschema")
