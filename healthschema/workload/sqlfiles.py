"""The workload's packaged SQL files (``healthschema/workload/sql``, ``.../queries``).

Placeholders ``{app}`` / ``{private}`` become quoted schema names and other ``{key}`` values
quoted literals (psycopg's ``sql`` module), so nothing is pasted into SQL raw. The files run
without bind parameters, so ``%`` needs no escaping and a file may hold several statements.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import psycopg
from psycopg import sql as pgsql


def read(package: str, name: str) -> str:
    """The text of ``name`` in ``healthschema.workload.<package>``."""
    return resources.files(f"healthschema.workload.{package}").joinpath(name).read_text(encoding="utf-8")


def names(package: str, suffix: str = ".sql") -> list[str]:
    """The files of a package, sorted."""
    root = resources.files(f"healthschema.workload.{package}")
    return sorted(p.name for p in root.iterdir() if p.name.endswith(suffix))


def compose(text: str, *, app: str, private: str, **literals: object) -> pgsql.Composed:
    """``text`` with the schema identifiers and literals filled in."""
    return pgsql.SQL(text).format(
        app=pgsql.Identifier(app), private=pgsql.Identifier(private),
        **{key: pgsql.Literal(value) for key, value in literals.items()},
    )


def last_row(cur: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    """The first row of the last result of a multi-statement execute (empty when none)."""
    row: tuple[Any, ...] = ()
    while True:
        if cur.description:
            row = tuple(cur.fetchone() or ())
        if not cur.nextset():
            return row
