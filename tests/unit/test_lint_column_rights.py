"""Lint's column_rights_mismatch rule on catalog rows (pure): both directions and table-level grants."""

from __future__ import annotations

from typing import Any

from healthschema.checks import lint_column_rights
from healthschema.files.column_rights import TABLE_COLUMNS, authenticated_update_columns


def rows(table: str, update: set[str], table_level_update: bool = False) -> list[tuple[Any, ...]]:
    """(table, column, privilege, granted, table-level) as sql/lint/column_privileges.sql returns them;
    INSERT table-level, as documented for this table."""
    out: list[tuple[Any, ...]] = []
    for column in TABLE_COLUMNS[table]:
        out.append((table, column, "INSERT", True, True))
        out.append((table, column, "UPDATE", table_level_update or column in update, table_level_update))
    return out


def test_the_documented_rights_pass() -> None:
    documented = set(authenticated_update_columns("success_milestones"))
    assert lint_column_rights.findings("public", rows("success_milestones", documented)) == []


def test_extra_missing_and_table_level_grants_are_named() -> None:
    documented = set(authenticated_update_columns("success_milestones"))
    changed = (documented - {"notes"}) | {"created_at"}
    found = {(f.object, f.message.split()[2]) for f in
             lint_column_rights.findings("public", rows("success_milestones", changed))}
    assert found == {("public.success_milestones.created_at", "UPDATE"), ("public.success_milestones.notes", "not")}
    whole = lint_column_rights.findings("public", rows("success_milestones", set(), table_level_update=True))
    assert [(f.rule, f.object) for f in whole] == [("column_rights_mismatch", "public.success_milestones")]


def test_customer_health_is_read_only_for_authenticated() -> None:
    table = [("customer_health", "id", "INSERT", True, True), ("customer_health", "id", "UPDATE", False, False)]
    assert [f.object for f in lint_column_rights.findings("public", table)] == ["public.customer_health"]
