"""verify on a deployed database: nothing on a clean one, and every kind of manual change named.

The tamper tests share one deployed database per server: each makes its change inside a
transaction, runs verify on that same connection (so it sees the change) and rolls back. The CLI
tests at the end run `healthschema verify` as a user would, on committed changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import psycopg
import pytest

from healthschema import operations
from healthschema.checks import verify
from healthschema.errors import LockTimeoutError
from healthschema.files.migration_files import read_all
from healthschema.files.project import Project
from healthschema.pg import disposable, ledger
from tests.conftest import Servers
from tests.helpers import cli

Conn = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture(scope="module")
def shared(pg: disposable.DisposableServer, servers: Servers, project: Project) -> Iterator[Conn]:
    """A connection (not autocommit) to one deployed database per server, for the tamper tests."""
    template = servers.applied_template(pg, project)
    name = f"verify_{os.getpid()}_{servers.kind(pg)}"
    with disposable.scratch_database(pg.url, name, template=template) as url, psycopg.connect(url) as conn:
        yield conn


@pytest.fixture
def tamper(shared: Conn, project: Project) -> Iterator[Any]:
    """``tamper(*sql)`` runs the statements and returns verify's problem lines; rolled back after."""

    def run(*statements: str) -> list[str]:
        for statement in statements:
            shared.execute(statement)  # type: ignore[arg-type]
        report = verify.verify_connection(project, shared)
        assert not report.ok
        return report.problems()

    try:
        yield run
    finally:
        shared.rollback()


def _drift(tamper: Any, *fragments: str) -> str:
    """verify (on the shared connection) must report drift containing every fragment."""
    problems = tamper()
    _has(problems, *fragments)
    return "\n".join(problems)


def _cli_drift(url: str, *fragments: str) -> None:
    """`healthschema verify` must exit 1 and print every fragment."""
    result = cli("verify", "--database-url", url)
    assert result.exit_code == 1, result.output
    _has(result.stdout.splitlines(), *fragments)


def _has(problems: list[str], *fragments: str) -> None:
    for fragment in fragments:
        assert any(fragment in line for line in problems), (fragment, problems)


def _one(conn: Conn, sql: str) -> Any:
    row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
    assert row is not None, sql
    return row[0]


def test_clean_database_verifies(applied_db: str) -> None:
    result = cli("verify", "--database-url", applied_db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: PostgreSQL ")
    report = json.loads(cli("verify", "--format", "json", "--database-url", applied_db).stdout)
    assert report["ok"] is True and report["drift"] == [] and report["ledger_problems"] == []
    assert report["pending"] == [] and report["verified"]["relation"] >= 3


def test_verify_needs_only_read_access(applied_db: str, conn: Conn) -> None:
    conn.execute("CREATE ROLE hs_reader LOGIN")
    try:
        conn.execute("GRANT USAGE ON SCHEMA healthschema_meta TO hs_reader")
        conn.execute("GRANT SELECT ON healthschema_meta.ledger, healthschema_meta.backfill TO hs_reader")
        reader_url = applied_db.replace("postgresql://postgres", "postgresql://hs_reader", 1)
        assert "hs_reader" in reader_url
        result = cli("verify", "--database-url", reader_url)
        assert result.exit_code == 0, result.output
    finally:
        conn.execute("DROP OWNED BY hs_reader")
        conn.execute("DROP ROLE hs_reader")


def test_verify_waits_for_a_migration_run_in_progress(project: Project, applied_db: str) -> None:
    impatient = replace(project, lock_timeout_seconds=0.3)
    with ledger.migration_lock(applied_db, project.meta_schema, 1), \
            pytest.raises(LockTimeoutError, match="holds the migration lock"):
        verify.verify(impatient, applied_db)
    assert verify.verify(impatient, applied_db).ok


def test_pending_migrations_are_pending_not_drift(project: Project, applied_db: str) -> None:
    last = read_all(project)[-1]
    operations.rollback(project, applied_db, allow_data_loss=True)
    report = verify.verify(project, applied_db)
    assert report.ok, report.problems()
    assert report.pending == [last.id]
    result = cli("verify", "--database-url", applied_db)
    assert result.exit_code == 0 and f"pending {last.id}" in result.stdout


def test_drop_column(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.customer_health DROP COLUMN billing_status CASCADE")
    _drift(tamper, "missing column public.customer_health.billing_status")


def test_add_column(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.success_milestones ADD COLUMN shadow text")
    _drift(tamper, "extra column public.success_milestones.shadow: found type=text")


def test_change_column_type(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.sla_targets ALTER COLUMN response_hours TYPE bigint")
    _drift(tamper, "changed column public.sla_targets.response_hours: type: expected integer, found bigint")


def test_change_default(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.customer_health ALTER COLUMN total_logins SET DEFAULT 42")
    _drift(tamper, "changed column public.customer_health.total_logins: default: expected 0, found 42")


def test_drop_not_null(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.customer_health ALTER COLUMN organization_id DROP NOT NULL")
    _drift(tamper, "changed column public.customer_health.organization_id: not_null: expected True, found False")


def test_drop_constraint(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.sla_targets DROP CONSTRAINT sla_targets_response_positive")
    _drift(tamper, "missing constraint public.sla_targets.sla_targets_response_positive")


def test_alter_constraint_definition(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.sla_targets DROP CONSTRAINT sla_targets_response_positive, "
                 "ADD CONSTRAINT sla_targets_response_positive CHECK (response_hours >= 0)")
    _drift(tamper, "changed constraint public.sla_targets.sla_targets_response_positive: definition: "
                       "expected CHECK (response_hours > 0), found CHECK (response_hours >= 0)")


def test_drop_index(shared: Conn, tamper: Any) -> None:
    index = _one(shared, "SELECT indexname FROM pg_indexes WHERE tablename = 'customer_health' "
                       "AND indexname NOT LIKE '%pkey' ORDER BY 1 LIMIT 1")
    shared.execute(f'DROP INDEX public."{index}"')
    _drift(tamper, f"missing index public.customer_health.{index}")


def test_add_index(shared: Conn, tamper: Any) -> None:
    shared.execute("CREATE INDEX hs_rogue_idx ON public.support_interactions (subject)")
    _drift(tamper, "extra index public.support_interactions.hs_rogue_idx: found definition=CREATE INDEX "
                       "hs_rogue_idx ON public.support_interactions USING btree (subject)")


def test_disable_trigger(shared: Conn, tamper: Any) -> None:
    trigger = _one(shared, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.success_milestones'::regclass "
                         "AND NOT tgisinternal ORDER BY 1 LIMIT 1")
    shared.execute(f'ALTER TABLE public.success_milestones DISABLE TRIGGER "{trigger}"')
    _drift(tamper, f"changed trigger public.success_milestones.{trigger}: enabled: expected enabled, "
                       "found disabled")


def test_drop_trigger(shared: Conn, tamper: Any) -> None:
    trigger = _one(shared, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.customer_health'::regclass "
                         "AND NOT tgisinternal ORDER BY 1 LIMIT 1")
    shared.execute(f'DROP TRIGGER "{trigger}" ON public.customer_health')
    _drift(tamper, f"missing trigger public.customer_health.{trigger}")


def test_add_trigger(shared: Conn, tamper: Any) -> None:
    shared.execute("CREATE TRIGGER hs_rogue BEFORE UPDATE ON public.sla_targets "
                 "FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at()")
    _drift(tamper, "extra trigger public.sla_targets.hs_rogue")


def test_replace_function_body(shared: Conn, tamper: Any) -> None:
    shared.execute("CREATE OR REPLACE FUNCTION healthschema_private.set_updated_at() RETURNS trigger "
                 "LANGUAGE plpgsql SET search_path = '' AS $$ BEGIN RETURN NEW; END $$")
    out = _drift(tamper, "changed function healthschema_private.set_updated_at(): body: expected ")
    assert "found BEGIN RETURN NEW; END" in out


def test_function_security_definer(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER FUNCTION healthschema_private.set_updated_at() SECURITY DEFINER")
    _drift(tamper, "changed function healthschema_private.set_updated_at(): security_definer: "
                       "expected False, found True")


def test_function_search_path(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER FUNCTION healthschema_private.set_updated_at() SET search_path = public")
    _drift(tamper, "changed function healthschema_private.set_updated_at(): config: "
                       "expected ['search_path=\"\"'], found ['search_path=public']")


def test_extra_function_in_private_schema(shared: Conn, tamper: Any) -> None:
    shared.execute("CREATE FUNCTION healthschema_private.backdoor() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    _drift(tamper, "extra function healthschema_private.backdoor()",
           "extra grant function healthschema_private.backdoor() to PUBLIC")


def _policy(conn: Conn, table: str) -> str:
    return str(_one(conn, f"SELECT policyname FROM pg_policies WHERE tablename = '{table}' ORDER BY 1 LIMIT 1"))


def test_drop_policy(shared: Conn, tamper: Any) -> None:
    policy = _policy(shared, "customer_health")
    shared.execute(f'DROP POLICY "{policy}" ON public.customer_health')
    _drift(tamper, f"missing policy public.customer_health.{policy}")


def test_alter_policy_using(shared: Conn, tamper: Any) -> None:
    policy = _policy(shared, "support_interactions")
    using = _one(shared, f"SELECT qual FROM pg_policies WHERE policyname = '{policy}'")
    if using is None:  # an INSERT policy: change its WITH CHECK instead
        shared.execute(f'ALTER POLICY "{policy}" ON public.support_interactions WITH CHECK (true)')
        _drift(tamper, f"changed policy public.support_interactions.{policy}: with_check: ")
    else:
        shared.execute(f'ALTER POLICY "{policy}" ON public.support_interactions USING (true)')
        _drift(tamper, f"changed policy public.support_interactions.{policy}: using: ", "found true")


def test_alter_policy_roles(shared: Conn, tamper: Any) -> None:
    policy = _policy(shared, "success_milestones")
    shared.execute(f'ALTER POLICY "{policy}" ON public.success_milestones TO anon')
    _drift(tamper, f"changed policy public.success_milestones.{policy}: roles: ", "found ['anon']")


def test_add_policy(shared: Conn, tamper: Any) -> None:
    shared.execute("CREATE POLICY hs_open ON public.customer_health FOR SELECT TO authenticated USING (true)")
    _drift(tamper, "extra policy public.customer_health.hs_open: found command=SELECT")


def test_disable_rls(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.support_interactions DISABLE ROW LEVEL SECURITY")
    _drift(tamper, "changed relation public.support_interactions: rls_enabled: expected True, found False")


def test_no_force_rls(shared: Conn, tamper: Any) -> None:
    shared.execute("ALTER TABLE public.customer_health NO FORCE ROW LEVEL SECURITY")
    _drift(tamper, "changed relation public.customer_health: rls_forced: expected True, found False")


def test_grant_to_anon(shared: Conn, tamper: Any) -> None:
    shared.execute("GRANT SELECT ON public.customer_health TO anon")
    _drift(tamper, "extra grant relation public.customer_health to anon: found privileges=['SELECT']")


def test_column_grant_to_anon(shared: Conn, tamper: Any) -> None:
    shared.execute("GRANT SELECT (id) ON public.success_milestones TO anon")
    _drift(tamper, "extra grant column public.success_milestones.id to anon")


def test_revoke_grant(shared: Conn, tamper: Any) -> None:
    grantee = _one(shared, "SELECT grantee FROM information_schema.role_table_grants "
                         "WHERE table_schema = 'public' AND table_name = 'success_milestones' "
                         "AND grantee <> 'postgres' ORDER BY 1 LIMIT 1")
    shared.execute(f'REVOKE ALL ON public.success_milestones FROM "{grantee}"')
    _drift(tamper, f"missing grant relation public.success_milestones to {grantee}")


def test_drop_table(shared: Conn, tamper: Any) -> None:
    shared.execute("DROP TABLE public.sla_targets CASCADE")
    _drift(tamper, "missing relation public.sla_targets", "missing column public.sla_targets.priority")


def test_edited_applied_migration_checksum(project: Project, conn: Conn, applied_db: str) -> None:
    migration = read_all(project)[-1].id
    conn.execute("UPDATE healthschema_meta.ledger SET checksum = repeat('0', 64) WHERE migration_id = %s",
                 (migration,))
    _cli_drift(applied_db, f"migration {migration} was edited after it was applied: checksum expected {'0' * 64}")


def test_ledger_row_without_file(conn: Conn, applied_db: str) -> None:
    conn.execute("INSERT INTO healthschema_meta.ledger (migration_id, migration_set, checksum, duration_ms) "
                 "VALUES ('20991231000000_ghost', 'health', repeat('a', 64), 1)")
    _cli_drift(applied_db, "migration 20991231000000_ghost is recorded as applied but its file is missing")


def test_json_output_names_object_expected_and_found(conn: Conn, applied_db: str) -> None:
    conn.execute("ALTER TABLE public.customer_health ALTER COLUMN total_logins SET DEFAULT 42")
    result = cli("verify", "--format", "json", "--database-url", applied_db)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [drift] = report["drift"]
    assert drift["object"] == "column public.customer_health.total_logins"
    assert (drift["state"], drift["attributes"]) == ("changed", ["default"])
    assert (drift["expected"]["default"], drift["found"]["default"]) == ("0", "42")


def test_unreachable_database_exits_2() -> None:
    result = cli("verify", "--database-url", "postgresql://nobody:secret@127.0.0.1:1/db")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot connect") and "secret" not in result.stderr


@pytest.mark.parametrize("platform_change", ["ALTER TABLE public.clients ADD COLUMN vip boolean"])
def test_platform_objects_are_not_ours(conn: Conn, applied_db: str, platform_change: str) -> None:
    conn.execute(platform_change)
    assert cli("verify", "--database-url", applied_db).exit_code == 0
