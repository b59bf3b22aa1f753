"""Rollback safety: would rolling these migrations back drop tables or columns that hold rows?

Measured, not guessed: the planned rollback SQL runs inside a transaction on the target, the
tables and columns that disappear are noted, and the transaction is rolled back. Rows that the
migrations themselves would put back (seed rows, back-fills) are not data loss: in the same trial
the forward migrations are re-applied and their rows compared by content. Data loss is then, per
dropped table, the rows now that the re-run does not reproduce, compared on the columns a re-run
reproduces (not generated ids, clock or random defaults, created_at/updated_at); the re-run includes
the migrations' post-commit back-fills (``-- backfill:``), run after their DDL as apply does. A back-filled row
that someone completed or annotated counts, although the re-run recreates as many rows. Per
dropped column of a surviving table: the non-NULL values now minus those re-created. A rollback may
also refuse by itself to delete rows that were edited after the migration ran (e.g. the milestones
of a ``milestone new`` template): it raises SQLSTATE ``HSDL0`` (DETAIL: the row count; SCHEMA/TABLE:
where), which counts as data loss, and deletes them only when ``healthschema.allow_data_loss`` is
``on`` (``--allow-data-loss``). Migrations marked ``-- transactional: false`` cannot run in a
transaction and are left out of the trial (they typically build or drop indexes concurrently).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import psycopg
from psycopg import sql as pgsql

from healthschema.engine import backfill
from healthschema.errors import DataLossError, MigrationError
from healthschema.files.migration_files import MigrationFile
from healthschema.pg import connect as db
from healthschema.pg import statements

_Column = tuple[str, str, str]  # schema, table, column ('' for the table itself)
# Raised by a rollback that refuses to delete edited rows without --allow-data-loss.
REFUSED_SQLSTATE = "HSDL0"
TRIAL_BATCH = 10_000  # keys per call when the trial re-runs a back-fill (`-- backfill:`)


@dataclass(frozen=True)
class DataLoss:
    """Rows (or non-NULL values) that rolling back would destroy."""

    schema: str
    table: str
    column: str | None
    rows: int
    what: str | None = None  # a rollback's own description of the rows it refused to delete

    def describe(self) -> str:
        if self.what is not None:
            return f"{self.what} ({self.schema}.{self.table})"
        if self.column is None:
            return f"table {self.schema}.{self.table} ({self.rows} row(s))"
        return f"column {self.schema}.{self.table}.{self.column} ({self.rows} non-null value(s))"


def _columns(conn: db.Connection, meta_schema: str) -> dict[tuple[int, int], _Column]:
    rows = db.fetch_all(conn, "rollback_safety/columns", {"excluded": [meta_schema]})
    return {(oid, attnum): (schema, table, column) for oid, attnum, schema, table, column in rows}


def _run(conn: db.Connection, text: str | None) -> None:
    if text and text.strip():
        conn.execute(text.encode("utf-8"))


def _count(conn: db.Connection, item: _Column) -> int:
    schema, table, column = item
    if not column:
        return int(db.fetch_value(conn, "rollback_safety/count_rows", schema=schema, table=table))
    return int(db.fetch_value(conn, "rollback_safety/count_values", schema=schema, table=table, column=column))


def _stable_columns(conn: db.Connection, schema: str, table: str) -> list[str]:
    return [r[0] for r in db.fetch_all(conn, "rollback_safety/stable_columns", {"schema": schema, "table": table})]


def _row_hashes(conn: db.Connection, schema: str, table: str, columns: list[str]) -> Counter[str]:
    if not columns:
        return Counter({"": _count(conn, (schema, table, ""))})
    query = pgsql.SQL(statements.text("rollback_safety/row_hashes")).format(
        columns=pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns),
        schema=pgsql.Identifier(schema), table=pgsql.Identifier(table))
    return Counter(str(row[0]) for row in conn.execute(query).fetchall())


def _recreated(
    conn: db.Connection, forward: list[MigrationFile], lost: list[_Column], stable: dict[_Column, list[str]],
) -> tuple[dict[_Column, int], dict[_Column, Counter[str]]]:
    """What the forward migrations put back into the lost tables/columns: counts of values, and
    for tables the row hashes on their stable columns (nothing when they fail)."""
    counts: dict[_Column, int] = {}
    hashes: dict[_Column, Counter[str]] = {}
    try:
        with conn.transaction():
            for file in forward:
                _run(conn, file.sql)
            for file in forward:  # the back-fills run after the DDL, as in a real apply
                if file.backfill is not None:
                    backfill.drain(conn, file.backfill, TRIAL_BATCH)
            present = set(_columns(conn, "").values())
            for item in lost:
                counts[item] = _count(conn, item) if item in present else 0
                if not item[2] and item in present:
                    hashes[item] = _row_hashes(conn, item[0], item[1], stable[item])
            raise _Undo
    except (_Undo, psycopg.Error):
        return counts, hashes


class _Undo(Exception):
    """Leaves the inner transaction (savepoint) rolled back."""


def _refused(file: MigrationFile, exc: psycopg.Error) -> DataLoss:
    diag = exc.diag
    detail = (diag.message_detail or "").strip()
    return DataLoss(diag.schema_name or "", diag.table_name or "", None, int(detail) if detail.isdigit() else 0,
                    what=f"{file.id}: {diag.message_primary}")


def measure(url: str, meta_schema: str, plan: list[MigrationFile]) -> list[DataLoss]:
    """Data that rolling back ``plan`` (in order) would destroy. Changes nothing.

    :raises MigrationError: a rollback fails in the trial (it would fail for real too).
    """
    trial = [f for f in plan if f.transactional]
    if not trial:
        return []
    with db.connection(url) as conn:
        before = _columns(conn, meta_schema)
        try:
            for file in trial:
                _run(conn, file.rollback_sql)
        except psycopg.Error as exc:
            conn.rollback()
            if exc.sqlstate == REFUSED_SQLSTATE:
                return [_refused(file, exc)]
            raise MigrationError(f"{file.id} would fail to roll back: {db.describe_error(exc)}") from exc
        after = _columns(conn, meta_schema)
        dropped_tables = {oid for (oid, attnum) in before if attnum == 0 and (oid, 0) not in after}
        lost = [before[key] for key in sorted(before) if key not in after
                and (key[1] == 0 or key[0] not in dropped_tables)]
        conn.rollback()
        # The lost tables as they are now, hashed on the columns a re-run reproduces.
        stable = {item: _stable_columns(conn, item[0], item[1]) for item in lost if not item[2]}
        now = {item: _row_hashes(conn, item[0], item[1], columns) for item, columns in stable.items()}
        conn.rollback()
        for file in trial:
            _run(conn, file.rollback_sql)
        recreated, recreated_hashes = _recreated(conn, trial[::-1], lost, stable) if lost else ({}, {})
        conn.rollback()
        losses = []
        for item in lost:
            if not item[2]:
                rows = sum((now[item] - recreated_hashes.get(item, Counter())).values())
            else:
                rows = _count(conn, item) - recreated.get(item, 0)
            if rows > 0:
                losses.append(DataLoss(item[0], item[1], item[2] or None, rows))
        conn.rollback()
    return losses


def check(url: str, meta_schema: str, plan: list[MigrationFile], allow_data_loss: bool) -> list[DataLoss]:
    """:func:`measure`, raising :class:`DataLossError` when data would be lost.

    With ``allow_data_loss`` nothing is measured (the trial would only cost time and locks).
    """
    if allow_data_loss:
        return []
    losses = measure(url, meta_schema, plan)
    if losses:
        raise DataLossError(
            "rollback would destroy data: " + ", ".join(loss.describe() for loss in losses),
            hint="back the data up, then pass --allow-data-loss",
        )
    return losses
