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

# Usage errors, --help and explicit exits: click prints and exits by itself.
try:  # typer vendors click since 0.24
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer depends on click
    from click.exceptions import ClickException  # type: ignore[import-not-found,no-redef,assignment,unused-ignore]
_CLICK_FLOW: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, SystemExit, ClickException)


def _fail(message: str, hint: str | None, code: int) -> typer.Exit:
    line = f"error: {' '.join(message.split())}" + (f" (hint: {hint})" if hint else "")
    typer.echo(mask_url(line), err=True)
    return typer.Exit(code)


class _Group(TyperGroup):
    """Turns every error into one line on stderr and an exit code, never a traceback: library
    errors with their own code; Ctrl-C with 130; a file the OS refuses with 2; anything else (a
    bug) with 2 and a line that says so."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HealthschemaError as exc:
            for problem in exc.problems:
                typer.echo(mask_url(f"problem: {problem}"))
            raise _fail(exc.message, exc.hint, exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted: the transaction in progress was rolled back; what committed before it is "
                        "listed by `healthschema status`", None, 130) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            raise _fail(f"{exc.strerror or exc}{where}", None, 2) from None
        except _CLICK_FLOW:
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that keeps tracebacks from users
            raise _fail(f"unexpected {type(exc).__name__}: {exc}", "this is a bug in healthschema; please report it",
                        2) from None


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


# One module per job; each command is a plain function registered here, in --help order.
# Homes for commands to come: cli/generate.py (types, milestone new, export) -- docs/architecture.md.
app.command("render")(migrate.render_cmd)
app.command("snapshot")(migrate.snapshot_cmd)
app.command("status")(migrate.status_cmd)
app.command("apply")(migrate.apply_cmd)
app.command("rollback")(migrate.rollback_cmd)
app.command("adopt")(migrate.adopt_cmd)
app.command("verify")(check.verify_cmd)
app.command("preflight")(check.preflight_cmd)
app.command("policy-check")(check.policy_check_cmd)
app.command("deploy")(deploy.deploy_cmd)
app.command("schedule")(data.schedule_cmd)
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


def _show_waits() -> None:
    """The library reports waits (a held lock) through logging; the CLI prints them on stderr."""
    import logging

    class _Echo(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            typer.echo(mask_url(record.getMessage()), err=True)  # the current stderr, also under test

    logger = logging.getLogger("healthschema.waits")
    if not logger.handlers:
        logger.addHandler(_Echo())
        logger.setLevel(logging.INFO)
        logger.propagate = False


_show_waits()


def main() -> None:
    app(prog_name="healthschema")
