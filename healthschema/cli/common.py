"""Options and helpers shared by the command modules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

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
    local embedded server (started when needed). An empty URL given on purpose is an error."""
    source = ctx.get_parameter_source(param.name) if param.name else None
    given = source is not None and source.name != "DEFAULT"
    return server.resolve_database_url(url if given else None)


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
