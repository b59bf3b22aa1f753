"""Options and helpers shared by the command modules."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from healthschema.errors import ConfigError
from healthschema.files.project import Project, load_project
from healthschema.pg import server


@dataclass
class State:
    """Global options, kept on the Typer context."""

    project_dir: Path | None

    def project(self) -> Project:
        return load_project(self.project_dir)


def resolve_url(ctx: typer.Context, param: typer.CallbackParam, url: str | None) -> str:
    """The one place a command's target is resolved: ``--database-url`` / ``DATABASE_URL``, else the
    local embedded server (started when needed, which is said on stderr). An empty URL given on
    purpose (``--database-url ""`` or ``DATABASE_URL=""``) is an error, never the embedded default."""
    source = ctx.get_parameter_source(param.name) if param.name else None
    given = source is not None and source.name != "DEFAULT"
    if given or url:
        return server.resolve_database_url(url)
    if os.environ.get("DATABASE_URL") == "":
        raise ConfigError("DATABASE_URL is set but empty", hint="unset it to use the local database")
    local, outcome = server.start_default()
    typer.echo(embedded_note(outcome), err=True)
    return local


def embedded_note(outcome: str) -> str:
    """One stderr line about the local embedded server a command is about to use."""
    where = server.default_cluster().datadir
    if outcome == "running":
        return f"using the local embedded PostgreSQL (data in {where})"
    if outcome == "started":
        return (f"started the local embedded PostgreSQL (data in {where}); it keeps running: "
                "`healthschema db stop` stops it")
    return f"{outcome.replace('restarted: ', 'restarted the local embedded PostgreSQL: ', 1)} (data in {where})"


DatabaseUrl = Annotated[
    str,
    typer.Option(
        "--database-url", envvar="DATABASE_URL", show_envvar=True, callback=resolve_url,
        help="Target database (default: the local embedded server, started when needed).",
    ),
]


class Format(StrEnum):
    text = "text"
    json = "json"


OutputFormat = Annotated[Format, typer.Option("--format", help="Output format.")]


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    assert obj is not None
    return obj


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def emit(fmt: StrEnum, data: Any, text: Callable[[], None], *, failed: bool = False, code: int = 1) -> None:
    """The one output step of every reporting command: ``data`` as JSON on stdout when ``fmt`` is
    ``json`` (stable shapes, docs/ci.md), else ``text()`` (which prints text, or another format
    such as SARIF or JUnit); then exit ``code`` (1: problems found) when the report ``failed``.
    Errors (exit 2) never come here: they are one line on stderr from the CLI's error boundary."""
    if fmt.value == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        text()
    if failed:
        raise typer.Exit(code)
