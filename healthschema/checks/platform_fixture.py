"""The platform rows of policy-check's fixture, on any platform (issue 11).

policy-check writes temporary rows into platform tables it does not own (``auth.users``,
``organizations``, ``user_profiles``, ``clients``) and sets only the columns it knows
(:data:`FIXTURE_COLUMNS`). A real platform may have more NOT NULL columns without a default: this
module reads them from the catalog, fills each with a type-correct value
(:mod:`healthschema.checks.fixture_values`) — a one-column foreign key to a table it writes earlier
(``auth.users``, then ``organizations``, ``user_profiles``, ``clients``) with the keys of those rows —
checks every value against its column's type and domains before writing, and when a column cannot be
filled — no sensible value for its type, a foreign key to another table, a CHECK that rejects the
value — names exactly that column (``schema.table.column (type)``).

:func:`trial` is the same check for preflight: it writes the platform rows in a transaction that is
always rolled back, before deploy changes anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.types.json import Jsonb

from healthschema.checks.fixture_values import ColumnNeed, values_for
from healthschema.errors import DatabaseError
from healthschema.pg import connect as db
from healthschema.pg import statements

# The platform tables the fixture writes, in order, with the columns it sets (None: the app schema).
FIXTURE_COLUMNS: dict[tuple[str | None, str], tuple[str, ...]] = {
    ("auth", "users"): ("id", "email", "raw_app_meta_data"),
    (None, "organizations"): ("id", "name", "slug"),
    (None, "user_profiles"): ("user_id", "organization_id", "role"),
    (None, "clients"): ("id", "organization_id", "first_name", "last_name"),
}
UNDEFINED_TABLE = "42P01"
HINT = ("give the column a DEFAULT or make it nullable: policy-check writes temporary platform rows "
        "(always rolled back) and can fill only columns it has a value for")


@dataclass(frozen=True)
class PlatformTable:
    """The rows to write into one platform table: each a dict of the fixture's own columns."""

    schema: str
    table: str
    rows: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


def tables(app_schema: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(schema, table, the columns the fixture sets) in writing order."""
    return [(schema or app_schema, table, columns) for (schema, table), columns in FIXTURE_COLUMNS.items()]


def needs(conn: db.Connection, app_schema: str) -> list[ColumnNeed]:
    """The columns the fixture must fill beyond its own (NOT NULL, no default), from the catalog."""
    wanted = tables(app_schema)
    filled = [f"{schema}.{table}.{column}" for schema, table, columns in wanted for column in columns]
    rows = db.fetch_all(conn, "platform_fixture/columns", {
        "schemas": [t[0] for t in wanted], "tables": [t[1] for t in wanted], "filled": filled})
    return [ColumnNeed(schema, table, column, type_name, base, kind, category, typmod, element, element_kind,
                       element_category, label, bool(unique), tuple(checks), tuple(constraints), references,
                       referenced)
            for (schema, table, column, type_name, base, kind, category, typmod, element, element_kind,
                 element_category, label, unique, checks, constraints, references, referenced) in rows]


def _cannot_fill(need: ColumnNeed, reason: str) -> DatabaseError:
    return DatabaseError(f"policy-check cannot fill {need.describe()}, NOT NULL without a default: {reason}",
                         hint=HINT)


def complete(conn: db.Connection, platform: Sequence[PlatformTable], salt: str,
             required: Sequence[ColumnNeed]) -> list[PlatformTable]:
    """``platform`` with every ``required`` column (:func:`needs`) filled, each value checked against
    its column's type and domains (in a savepoint; nothing is written).

    :raises DatabaseError: naming the first column that cannot be filled.
    """
    by_table: dict[tuple[str, str], list[ColumnNeed]] = {}
    for need in required:
        by_table.setdefault((need.schema, need.table), []).append(need)
    done: list[PlatformTable] = []
    for part in platform:
        rows = [dict(row) for row in part.rows]
        for need in by_table.get((part.schema, part.table), []):
            keys = _referenced(need, done, len(rows))
            if keys is not None:
                for row, key in zip(rows, keys, strict=True):
                    row[need.column] = key
                continue
            values = values_for(need, len(rows), salt)
            if not values.ok:
                raise _cannot_fill(need, values.reason)
            _validate(conn, need, list(values.values))
            for row, value in zip(rows, _as_json(need, values.values), strict=True):
                row[need.column] = value
        done.append(PlatformTable(part.schema, part.table, rows))
    return done


def _referenced(need: ColumnNeed, written: list[PlatformTable], count: int) -> list[Any] | None:
    """A one-column foreign key to a table the fixture writes earlier (e.g. ``auth.users.id``, the
    organizations): the keys of those rows, one per row (distinct while there are enough)."""
    for part in written:
        if part.name == need.references and part.rows and need.referenced_column in part.rows[0]:
            keys = [row[need.referenced_column] for row in part.rows]
            return [keys[i % len(keys)] for i in range(count)]
    return None


def _as_json(need: ColumnNeed, values: Sequence[str]) -> list[Any]:
    """The values as they go into the JSON rows: a json/jsonb column takes the document itself (a
    JSON string would be stored as a string); every other type reads the text."""
    return [json.loads(v) for v in values] if need.base in ("json", "jsonb") else list(values)


def _validate(conn: db.Connection, need: ColumnNeed, values: list[str]) -> None:
    rows = Jsonb([{need.column: value} for value in _as_json(need, values)])
    try:
        with conn.transaction():
            db.fetch_all(conn, "platform_fixture/validate", {"rows": rows},
                         schema=need.schema, table=need.table, column=need.column)
    except psycopg.Error as exc:
        raise _cannot_fill(need, f"the value {values[0]!r} it chose is refused: {db.describe_error(exc)}") from exc


def write(conn: db.Connection, platform: Sequence[PlatformTable], salt: str, app_schema: str) -> None:
    """Fill and write the platform rows (the caller owns the transaction and rolls it back).

    :raises DatabaseError: a column cannot be filled (named), or a row cannot be written.
    """
    required = needs(conn, app_schema)
    filled = complete(conn, platform, salt, required)
    by_constraint = {(need.schema, need.table, name): need for need in required for name in need.constraints}
    for part in filled:
        columns = list(dict.fromkeys(column for row in part.rows for column in row))
        name = "platform_fixture/insert_profiles" if part.table == "user_profiles" else "platform_fixture/insert"
        query = pgsql.SQL(statements.text(name)).format(
            schema=pgsql.Identifier(part.schema), table=pgsql.Identifier(part.table),
            columns=pgsql.SQL(", ").join(pgsql.Identifier(column) for column in columns))
        try:
            with conn.transaction():
                conn.execute(query, {"rows": Jsonb(part.rows)})
        except psycopg.Error as exc:
            raise _write_error(part, exc, by_constraint) from exc


def _write_error(part: PlatformTable, exc: psycopg.Error,
                 by_constraint: dict[tuple[str, str, str], ColumnNeed]) -> DatabaseError:
    """Name the column a failed write is about, where the server says which constraint it was."""
    diag = exc.diag
    need = by_constraint.get((part.schema, part.table, diag.constraint_name or ""))
    if need is not None:
        return _cannot_fill(need, f"{diag.constraint_name} rejects the value it chose ({db.describe_error(exc)})")
    if exc.sqlstate == "23502" and diag.column_name:
        return DatabaseError(f"policy-check cannot fill {part.name}.{diag.column_name}: {db.describe_error(exc)}",
                             hint=HINT)
    hint = {UNDEFINED_TABLE: "apply the migrations first (healthschema apply; on plain PostgreSQL with "
                             "--with-platform-stub)",
            "42501": f"run policy-check as a role that may insert into {part.name} (on Supabase: postgres)"}
    return DatabaseError(f"policy-check could not create its temporary rows in {part.name}: "
                         f"{db.describe_error(exc)}",
                         hint=hint.get(exc.sqlstate or "", "run `healthschema preflight` to see what differs"))


def trial(url: str, platform: Sequence[PlatformTable], salt: str, app_schema: str) -> list[str]:
    """Preflight's check: can policy-check write its platform rows here? Writes them in a transaction
    that is always rolled back; returns the problem (one line), or nothing. A platform table that
    does not exist yet is someone else's finding (preflight's, or the stub creates it)."""
    with db.connection(url, autocommit=True) as conn, conn.transaction(force_rollback=True):
        try:
            write(conn, platform, salt, app_schema)
        except DatabaseError as exc:
            cause = exc.__cause__
            if isinstance(cause, psycopg.Error) and cause.sqlstate == UNDEFINED_TABLE:
                return []
            return [exc.message + (f" (hint: {exc.hint})" if exc.hint else "")]
    return []
