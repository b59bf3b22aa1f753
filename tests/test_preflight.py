"""preflight: platform objects, name conflicts, privileges; and `apply` runs it first."""

from __future__ import annotations

import json
from typing import Any

from healthschema import operations
from healthschema.checks import preflight
from healthschema.files.migration_files import read_all
from healthschema.files.project import PLATFORM_STUB, Project
from healthschema.schema import snapshot
from tests.helpers import cli, query, scalar, user_objects


def _stub_only(project: Project, url: str) -> None:
    last_stub = [f for f in read_all(project) if f.set_name == PLATFORM_STUB][-1]
    operations.apply(project, url, to=last_stub.id, with_platform_stub=True)


def test_applied_database_passes(project: Project, applied_db: str) -> None:
    result = cli("preflight", "--database-url", applied_db)
    assert result.exit_code == 0, result.output
    assert "ready to apply" in result.stdout


def test_bare_database_lists_each_missing_platform_object(empty_db: str) -> None:
    result = cli("preflight", "--database-url", empty_db)
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem: ")]
    for needed in ("function auth.uid()", "function auth.jwt()", "function auth.role()", "table auth.users",
                   "table public.organizations", "table public.user_profiles", "table public.clients",
                   "table public.activity_logs"):
        assert any(needed in line for line in problems), (needed, problems)
    assert result.stdout.strip().endswith(f"{len(problems)} problem(s)")


def test_bare_database_is_fine_with_the_platform_stub(empty_db: str) -> None:
    result = cli("preflight", "--with-platform-stub", "--format", "json", "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == []
    assert any("function auth.uid() is missing; the platform stub will create it" in n for n in report["notes"])


def test_missing_platform_column_is_a_problem(project: Project, empty_db: str) -> None:
    _stub_only(project, empty_db)
    query(empty_db, "ALTER TABLE public.clients DROP COLUMN wedding_date")
    report = preflight.preflight(project, empty_db)
    assert report.problems == ["table public.clients lacks column(s) wedding_date (SPEC §2.1)"]


def test_service_role_without_bypassrls_is_a_problem(project: Project, empty_db: str) -> None:
    _stub_only(project, empty_db)
    query(empty_db, "ALTER ROLE service_role NOBYPASSRLS")
    try:
        report = preflight.preflight(project, empty_db)
        assert "role service_role exists but lacks BYPASSRLS" in report.problems
    finally:
        query(empty_db, "ALTER ROLE service_role BYPASSRLS")


def test_existing_object_with_our_name_blocks_apply(project: Project, empty_db: str) -> None:
    """The original schema failed in production with "relation customer_health already exists"."""
    _stub_only(project, empty_db)
    query(empty_db, "CREATE TABLE public.customer_health (id int)")
    before = user_objects(empty_db)
    result = cli("preflight", "--database-url", empty_db)
    assert result.exit_code == 1
    assert "problem: relation public.customer_health already exists but was not created by healthschema" \
        in result.stdout
    assert "column public.customer_health.id" not in result.stdout  # reported once, by its table

    applied = cli("apply", "--database-url", empty_db)
    assert applied.exit_code == 1  # problems found: the same code as preflight and deploy (issue 9 item 3)
    lines = applied.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: preflight found 1 problem(s), nothing applied")
    assert user_objects(empty_db) == before
    assert operations.status(project, empty_db).ids("applied") == [f.id for f in read_all(project)
                                                               if f.set_name == PLATFORM_STUB]


def test_conflict_check_skips_what_the_ledger_records(project: Project, applied_db: str) -> None:
    last = read_all(project)[-1]
    operations.rollback(project, applied_db, allow_data_loss=True)
    assert preflight.preflight(project, applied_db).ok
    assert cli("apply", "--database-url", applied_db).exit_code == 0
    assert operations.status(project, applied_db).ids("pending") == []
    assert last.id in operations.status(project, applied_db).ids("applied")


def test_missing_privileges_are_reported(project: Project, empty_db: str) -> None:
    _stub_only(project, empty_db)
    query(empty_db, "CREATE ROLE hs_weak LOGIN")
    try:
        query(empty_db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        weak_url = empty_db.replace("postgresql://postgres", "postgresql://hs_weak", 1)
        assert "hs_weak" in weak_url
        report = preflight.preflight(project, weak_url)
        problems: list[Any] = report.problems
        assert "hs_weak lacks CREATE on schema public" in problems
        assert any("no REFERENCES privilege on public.clients" in p for p in problems)
        assert "hs_weak lacks USAGE and CREATE on the bookkeeping schema healthschema_meta" in problems
        assert "hs_weak cannot create schema(s) healthschema_private (no CREATE on the database)" in problems
        result = cli("apply", "--database-url", weak_url)
        assert result.exit_code == 1 and "preflight found" in result.stderr
        assert scalar(empty_db, "SELECT to_regnamespace('healthschema_meta') IS NOT NULL") is True  # stub's
        assert scalar(empty_db, "SELECT count(*) FROM healthschema_meta.ledger") == 2
    finally:
        query(empty_db, "DROP OWNED BY hs_weak")
        query(empty_db, "DROP ROLE hs_weak")


def test_apply_to_an_earlier_version_ignores_later_conflicts(project: Project, empty_db: str) -> None:
    snap = snapshot.load(project)
    creator = next(m.id for m in snap.migrations if "relation public.customer_health" in m.created)
    files = read_all(project)
    earlier = files[[f.id for f in files].index(creator) - 1]
    _stub_only(project, empty_db)
    query(empty_db, "CREATE TABLE public.customer_health (id int)")
    assert not preflight.preflight(project, empty_db).ok
    assert preflight.preflight(project, empty_db, to=earlier.id).ok
    result = cli("apply", "--to", earlier.version, "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    assert operations.status(project, empty_db).ids("applied")[-1] == earlier.id
