"""Deploys that are never half-done, a verify that never says ok falsely, no tracebacks (issue 9).

Each test reproduces a defect measured on main; the database must be unchanged wherever nothing
should change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli, query, scalar, user_objects

LAST_STUB = "20250101000100"
RLS_MIGRATION = "20250901000900"
TEXT_ORGANIZATION_ID = ("DROP POLICY organizations_select ON public.organizations; "
                        "DROP POLICY clients_select ON public.clients; "
                        "DROP POLICY activity_logs_select ON public.activity_logs; "
                        "ALTER TABLE public.user_profiles DROP CONSTRAINT user_profiles_organization_id_fkey, "
                        "ALTER COLUMN organization_id TYPE text")



def _stub_only(url: str) -> None:
    result = cli("apply", "--with-platform-stub", "--to", LAST_STUB, "--database-url", url)
    assert result.exit_code == 0, result.output


def _ledger(url: str) -> list[str]:
    if scalar(url, "SELECT to_regclass('healthschema_meta.ledger')") is None:
        return []
    return [r[0] for r in query(url, "SELECT migration_id FROM healthschema_meta.ledger ORDER BY 1")]


def test_a_failing_migration_leaves_the_previous_version(empty_db: str) -> None:
    """user_profiles.organization_id of type text: the RLS migration fails; main kept 8 of 9."""
    _stub_only(empty_db)
    query(empty_db, TEXT_ORGANIZATION_ID)
    before, ledger = user_objects(empty_db), _ledger(empty_db)
    result = cli("apply", "--database-url", empty_db)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert _ledger(empty_db) == ledger
    assert user_objects(empty_db) == before


def test_preflight_foresees_an_index_name_taken_by_someone_else(empty_db: str) -> None:
    """main: preflight ok, then apply stopped with 7 of 11 applied."""
    _stub_only(empty_db)
    query(empty_db, "CREATE TABLE public.unrelated (tags text[]); "
                    "CREATE INDEX support_interactions_tags_idx ON public.unrelated (tags)")
    before = user_objects(empty_db)
    result = cli("preflight", "--database-url", empty_db)
    assert result.exit_code == 1
    assert any("support_interactions_tags_idx" in line for line in result.stdout.splitlines())
    assert cli("apply", "--database-url", empty_db).exit_code == 1
    assert user_objects(empty_db) == before


def test_preflight_checks_platform_column_types(empty_db: str) -> None:
    _stub_only(empty_db)
    query(empty_db, TEXT_ORGANIZATION_ID)
    result = cli("preflight", "--database-url", empty_db)
    assert result.exit_code == 1
    assert any("user_profiles.organization_id" in line and "uuid" in line for line in result.stdout.splitlines())


def test_verify_of_an_empty_database_is_not_ok(empty_db: str) -> None:
    result = cli("verify", "--database-url", empty_db)
    assert result.exit_code == 1
    assert "nothing deployed" in result.output


def test_verify_without_ledger_names_the_unmanaged_objects(applied_db: str) -> None:
    query(applied_db, "DROP SCHEMA healthschema_meta CASCADE")
    result = cli("verify", "--database-url", applied_db)
    assert result.exit_code == 1
    assert "public.customer_health" in result.output and "unmanaged" in result.output


def test_verify_with_a_wrong_meta_schema_is_not_ok(applied_db: str, tmp_project_root: Path) -> None:
    toml = tmp_project_root / "healthschema.toml"
    toml.write_text(toml.read_text().replace('meta_schema = "healthschema_meta"', 'meta_schema = "healthschema_mtea"'))
    result = cli("--project", str(tmp_project_root), "verify", "--database-url", applied_db)
    assert result.exit_code == 1
    assert "unmanaged" in result.output


def test_verify_names_the_database_it_checked(applied_db: str) -> None:
    result = cli("verify", "--database-url", applied_db)
    assert result.exit_code == 0
    assert applied_db.split("?")[0].rsplit("/", 1)[-1] in result.output


def test_an_edited_applied_migration_is_drift_without_a_hiding_hint(applied_db: str, tmp_project_root: Path) -> None:
    migration = next((tmp_project_root / "migrations").glob("20250901000100_*[!k].sql"))
    migration.write_text(migration.read_text() + "\n-- edited\n")
    result = cli("--project", str(tmp_project_root), "verify", "--database-url", applied_db)
    assert result.exit_code == 1
    assert "20250901000100" in result.output and "checksum" in result.output
    assert "healthschema snapshot" not in result.output


def test_rollback_refuses_to_drop_backfilled_rows_edited_after_the_migration(empty_db: str) -> None:
    """main: the guard counted rows; the back-fill recreates the same number, so an edited
    back-filled milestone was dropped by rollback --all with exit 0."""
    _stub_only(empty_db)
    org = scalar(empty_db, "INSERT INTO public.organizations (name, slug) VALUES ('o', 'o-rb') RETURNING id")
    query(empty_db, "INSERT INTO public.clients (organization_id) VALUES (%s)", (org,))
    assert cli("apply", "--database-url", empty_db).exit_code == 0
    assert scalar(empty_db, "SELECT count(*) FROM public.success_milestones") > 0
    query(empty_db, "UPDATE public.success_milestones SET notes = 'customer called', status = 'completed' "
                    "WHERE template_id = (SELECT id FROM public.milestone_templates WHERE template_key = 'onboarding')")
    before = user_objects(empty_db)
    for args in (("--dry-run",), ()):  # the platform stub stays: its clients survive the rollback
        result = cli("rollback", "--to", LAST_STUB, *args, "--database-url", empty_db)
        assert result.exit_code != 0, (args, result.output)
        assert "table public.success_milestones (1 row(s))" in result.output, result.output
    assert user_objects(empty_db) == before


def test_rollback_more_steps_than_applied_says_so(applied_db: str) -> None:
    """main: --steps 999 was silently 11."""
    applied = len(_ledger(applied_db))
    before = user_objects(applied_db)
    for args in (("--dry-run",), ()):
        result = cli("rollback", "--steps", "999", *args, "--database-url", applied_db)
        assert result.exit_code == 2
        assert f"--steps 999 asks for more than the {applied} applied migration(s)" in result.stderr
    assert user_objects(applied_db) == before


def test_rollback_dry_run_refuses_a_missing_file_like_the_real_run(tmp_project_root: Path, empty_db: str) -> None:
    run = ("--project", str(tmp_project_root))
    assert cli(*run, "apply", "--with-platform-stub", "--database-url", empty_db).exit_code == 0
    next((tmp_project_root / "migrations").glob("20250901000900_*[!k].sql")).unlink()
    for args in (("--dry-run",), ()):
        result = cli(*run, "rollback", *args, "--database-url", empty_db)
        assert result.exit_code == 2 and "20250901000900" in result.stderr, (args, result.output)


@pytest.mark.parametrize(("key", "value"), [
    ("lock_timeout_seconds", '"sixty"'),
])
def test_invalid_runner_setting_is_one_line_naming_file_key_and_line(
    tmp_project_root: Path, key: str, value: str,
) -> None:
    toml = tmp_project_root / "healthschema.toml"
    text = toml.read_text()
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key} ="))
    toml.write_text(text.replace(f"{key} = 60", f"{key} = {value}"))
    result = cli("--project", str(tmp_project_root), "render", "--check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "healthschema.toml" in lines[0] and key in lines[0] and f"line {line_no}" in lines[0]


@pytest.mark.parametrize(("old", "new"), [
    ("engagement = 0.35", "engagement = 0.70"),
    ("excellent = 80", "excellent = [80]"),
    ("critical = { response_hours = 2,", 'critical = { response_hours = "two",'),
    ("due_offset_days = 7", 'due_offset_days = "seven"'),
])
def test_invalid_variables_are_refused_before_rendering(tmp_project_root: Path, old: str, new: str) -> None:
    toml = tmp_project_root / "healthschema.toml"
    toml.write_text(toml.read_text().replace(old, new, 1))
    result = cli("--project", str(tmp_project_root), "render")
    assert result.exit_code == 2, result.output
    assert "healthschema.toml" in result.stderr and "line " in result.stderr
    assert not [p for p in (tmp_project_root / "migrations").rglob("*") if p.stat().st_mtime > toml.stat().st_mtime]


def test_deploy_to_an_unwritable_report_path_applies_nothing(empty_db: str, tmp_path: Path) -> None:
    before = user_objects(empty_db)
    result = cli("deploy", "--with-platform-stub", "--report", "/proc/nope/report", "--database-url", empty_db)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert user_objects(empty_db) == before


def test_project_pointing_at_a_file_is_exit_2(tmp_path: Path) -> None:
    file = tmp_path / "not-a-dir"
    file.write_text("x")
    result = cli("--project", str(file), "render", "--check")
    assert result.exit_code == 2 and "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)


def test_snapshot_file_holding_a_list_is_exit_2(tmp_project_root: Path, applied_db: str) -> None:
    (tmp_project_root / "migrations" / "expected_snapshot.json").write_text(json.dumps([]))
    result = cli("--project", str(tmp_project_root), "verify", "--database-url", applied_db)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)


def test_dry_run_shows_the_sql_even_when_preflight_finds_problems(empty_db: str) -> None:
    result = cli("apply", "--dry-run", "--database-url", empty_db)
    assert result.exit_code == 1
    assert "CREATE TABLE" in result.stdout and "problem: " in result.output


def test_version_flag() -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("healthschema ")


def test_help_shows_flags_as_flags() -> None:
    result = cli("apply", "--help")
    assert "<bool>" not in result.stdout and "--dry-run" in result.stdout


def test_a_read_only_verify_roles_own_grants_are_not_drift(applied_db: str) -> None:
    """main: a dedicated CI role reported its own read grants as drift."""
    query(applied_db, "CREATE ROLE hs_ci_verify LOGIN")
    try:
        query(applied_db, "GRANT USAGE ON SCHEMA healthschema_meta, healthschema_private TO hs_ci_verify; "
                          "GRANT SELECT ON healthschema_meta.ledger, healthschema_meta.backfill TO hs_ci_verify; "
                          "GRANT SELECT ON public.customer_health TO hs_ci_verify")
        url = applied_db.replace("postgresql://postgres", "postgresql://hs_ci_verify", 1)
        result = cli("verify", "--database-url", url)
        assert result.exit_code == 0, result.output
        as_owner = cli("verify", "--database-url", applied_db)  # for anyone else they are drift
        assert as_owner.exit_code == 1 and "hs_ci_verify" in as_owner.output
    finally:
        query(applied_db, "DROP OWNED BY hs_ci_verify; DROP ROLE hs_ci_verify")
