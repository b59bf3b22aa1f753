"""Lint rule ``column_rights_mismatch``: the live INSERT/UPDATE rights of ``authenticated`` on our
tables are exactly the documented ones (pure; the rows come from ``sql/lint/column_privileges.sql``).

Documented (docs/security.md, "Column rights" and "Explicit grants"; data in
:mod:`healthschema.files.column_rights`): ``authenticated`` may INSERT whole rows into the tables of
:data:`~healthschema.files.column_rights.AUTHENTICATED_INSERT_TABLES` (the INSERT policies decide
which rows) and UPDATE only the columns of
:func:`~healthschema.files.column_rights.authenticated_update_columns` — always as column grants: a
table-level UPDATE grant would make every column writable, today's and any added later, bypassing
the column rights (the per-persona triggers only narrow what the grant allows). ``customer_health``
is read-only for it. ``service_role`` and the owner keep table-level rights by design (not checked).
"""

from __future__ import annotations

from typing import Any

from healthschema.checks.lint_findings import LintFinding, level_of
from healthschema.files import column_rights

RULE = "column_rights_mismatch"
DOCS = "files/column_rights.py, docs/security.md"


def documented(table: str, privilege: str, columns: list[str]) -> set[str]:
    """The columns of ``table`` authenticated may write with ``privilege`` (INSERT or UPDATE)."""
    if privilege == "INSERT":
        return set(columns) if table in column_rights.AUTHENTICATED_INSERT_TABLES else set()
    if table in column_rights.COLUMN_RIGHTS or table in column_rights.CONFIG_UPDATE_COLUMNS:
        return set(column_rights.authenticated_update_columns(table))
    return set()


def findings(schema: str, rows: list[tuple[Any, ...]]) -> list[LintFinding]:
    """One finding per table-level UPDATE grant, and per column granted or missing against the docs."""
    granted: dict[tuple[str, str], list[str]] = {}
    table_level: set[tuple[str, str]] = set()
    columns: dict[str, list[str]] = {}
    for table, column, privilege, has, whole_table in rows:
        columns.setdefault(table, [])
        if column not in columns[table]:
            columns[table].append(column)
        if has:
            granted.setdefault((table, privilege), []).append(column)
        if whole_table:
            table_level.add((table, privilege))
    out: list[LintFinding] = []
    for table, names in columns.items():
        for privilege in ("INSERT", "UPDATE"):
            wanted = documented(table, privilege, names)
            have = granted.get((table, privilege), [])
            if (table, privilege) in table_level and wanted != set(names):
                out.append(_finding(f"{schema}.{table}", f"authenticated holds table-level {privilege} on "
                                    f"{schema}.{table}, which makes every column writable and bypasses the "
                                    "documented column rights",
                                    f"REVOKE {privilege} ON TABLE {schema}.{table} FROM authenticated and grant "
                                    f"only the documented columns ({DOCS})"))
                continue
            for column in (c for c in names if c in have and c not in wanted):
                out.append(_finding(f"{schema}.{table}.{column}", f"authenticated may {privilege} column "
                                    f"{column} of {schema}.{table}, which the column rights do not list",
                                    f"REVOKE {privilege} ({column}) ON TABLE {schema}.{table} FROM authenticated, "
                                    f"or document it ({DOCS})"))
            for column in (c for c in names if c in wanted and c not in have):
                out.append(_finding(f"{schema}.{table}.{column}", f"authenticated may not {privilege} column "
                                    f"{column} of {schema}.{table}, which the column rights list",
                                    f"GRANT {privilege} ({column}) ON TABLE {schema}.{table} TO authenticated "
                                    f"(the RLS migration renders it from {DOCS})"))
    return out


def _finding(obj: str, message: str, hint: str) -> LintFinding:
    return LintFinding(RULE, message, hint, level_of(RULE), object=obj)
