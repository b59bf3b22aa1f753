"""``healthschema policy-check``: exit 0 with the matrix on a fresh database; exit 1 naming the
problem after tampering (a policy replaced by USING (true), FORCE dropped, SELECT granted to anon);
the target is left unchanged; exit 2 when it cannot run."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from healthschema import operations
from healthschema.checks import access_matrix as am
from healthschema.checks import policy_check
from healthschema.files.migration_files import read_all
from healthschema.files.project import PLATFORM_STUB, Project
from tests.helpers import cli, query, user_objects

COUNTED = ("public.organizations", "auth.users", "public.user_profiles", "public.clients",
           "public.customer_health", "public.success_milestones", "public.support_interactions",
           "public.milestone_templates", "public.health_score_config", "public.sla_targets")


def _row_counts(url: str) -> list[Any]:
    return [query(url, f"SELECT count(*) FROM {name}")[0][0] for name in COUNTED]


def test_policy_check_passes_and_prints_the_matrix(applied_db: str) -> None:
    result = cli("policy-check", "--database-url", applied_db)
    assert result.exit_code == 0, result.stdout + result.stderr
    for tbl in am.TABLES:
        assert tbl.name in result.stdout
    assert "persona" in result.stdout and "MOVE→B" in result.stdout
    assert "admin_a         ✓/F" in result.stdout  # customer_health SELECT: own org only
    assert f"all {len(am.cells())} cells as specified; no security findings" in result.stdout
    assert "≠" not in result.stdout.split("\n\n✓ allowed")[0]  # no cell marked as differing


def test_policy_check_json(applied_db: str) -> None:
    result = cli("policy-check", "--database-url", applied_db, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["mismatches"] == [] and data["findings"] == []
    assert len(data["cells"]) == len(am.cells())
    cell = next(c for c in data["cells"] if (c["persona"], c["table"], c["command"], c["target"])
                == ("anon", "sla_targets", "SELECT", "row"))
    assert cell["expected"] == cell["actual"] == "D"


def test_policy_check_changes_nothing(applied_db: str) -> None:
    before = (user_objects(applied_db), _row_counts(applied_db))
    report = policy_check.check_policies(applied_db)
    assert report.ok, [c.describe() for c in report.mismatches]
    assert (user_objects(applied_db), _row_counts(applied_db)) == before


def test_existing_data_does_not_disturb_the_check(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    """A populated target: other organizations, their profiles, clients and health rows."""
    conn.execute("""
        INSERT INTO public.organizations (id, name, slug)
        SELECT gen_random_uuid(), 'org ' || g, 'existing-' || g FROM generate_series(1, 5) AS g;
        INSERT INTO auth.users (id, email, raw_app_meta_data)
        SELECT gen_random_uuid(), 'existing' || g || '@example.test', '{"platform_role": "customer_success"}'
          FROM generate_series(1, 5) AS g;
        INSERT INTO public.user_profiles (user_id, organization_id, role)
        SELECT u.id, o.id, 'ADMIN' FROM auth.users AS u JOIN public.organizations AS o
            ON o.slug = 'existing-' || substring(u.email FROM 'existing(\\d+)@');
        INSERT INTO public.clients (organization_id, first_name)
        SELECT o.id, 'existing' FROM public.organizations AS o, generate_series(1, 4) WHERE o.slug LIKE 'existing-%';
        INSERT INTO public.customer_health (client_id, organization_id)
        SELECT c.id, c.organization_id FROM public.clients AS c WHERE c.first_name = 'existing';
    """)
    before = _row_counts(applied_db)
    assert before[COUNTED.index("public.customer_health")] >= 20
    report = policy_check.check_policies(applied_db)
    assert report.ok, [c.describe() for c in report.mismatches] + [str(f) for f in report.findings]
    assert _row_counts(applied_db) == before


def test_supabase_default_privileges_are_overridden(empty_db: str, project: Project) -> None:
    """Supabase grants ALL on every new table/function/sequence in public to the API roles by
    default privileges; the RLS migration's explicit grants must win."""
    stub = [f for f in read_all(project) if f.set_name == PLATFORM_STUB]
    operations.apply(project, empty_db, to=stub[-1].id, with_platform_stub=True)
    for kind in ("TABLES", "FUNCTIONS", "SEQUENCES"):
        query(empty_db, f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON {kind} "
                        "TO anon, authenticated, service_role")
    health = [f.id for f in read_all(project) if f.set_name != PLATFORM_STUB]
    operations.apply(project, empty_db, to=health[health.index("20250901000900_row_level_security") - 1])
    privilege = "SELECT has_table_privilege('anon', 'public.customer_health', 'TRUNCATE')"
    assert query(empty_db, privilege) == [(True,)]  # the default privileges took effect
    operations.apply(project, empty_db)
    assert query(empty_db, privilege) == [(False,)]
    report = policy_check.check_policies(empty_db)
    assert report.ok, [c.describe() for c in report.mismatches] + [str(f) for f in report.findings]


def test_using_true_policy_is_named(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    conn.execute("DROP POLICY customer_health_select ON public.customer_health")
    conn.execute("CREATE POLICY customer_health_select ON public.customer_health FOR SELECT TO authenticated "
                 "USING (true)")
    result = cli("policy-check", "--database-url", applied_db)
    assert result.exit_code == 1
    assert "differs: customer_health SELECT other as admin_a: expected F, got ✓" in result.stdout
    assert "differs: customer_health SELECT own as member_a: expected F, got ✓" in result.stdout
    assert "policy_always_true: public.customer_health: policy customer_health_select" in result.stdout
    assert "F≠✓" not in result.stdout and "✓≠F" in result.stdout


def test_dropped_force_is_reported(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    conn.execute("ALTER TABLE public.success_milestones NO FORCE ROW LEVEL SECURITY")
    result = cli("policy-check", "--database-url", applied_db, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert findings == [{"rule": "rls_not_forced", "object": "public.success_milestones",
                         "message": "row level security is not FORCEd (the owner bypasses it)"}]


def test_select_granted_to_anon_is_named(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    conn.execute("GRANT SELECT ON public.support_interactions TO anon")
    result = cli("policy-check", "--database-url", applied_db)
    assert result.exit_code == 1
    assert "differs: support_interactions SELECT own as anon: expected D, got F" in result.stdout
    assert "finding: anon_privilege: public.support_interactions: anon holds SELECT" in result.stdout


def test_write_that_changes_a_filtered_row_is_caught(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    """A trigger that writes through for a filtered UPDATE is not 'F': the owner re-read sees it."""
    conn.execute("""
        CREATE FUNCTION public.leak() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
        AS $$ BEGIN
            IF pg_catalog.pg_trigger_depth() = 1 THEN
                UPDATE public.sla_targets SET response_hours = response_hours + 1 WHERE priority = 'low';
            END IF;
            RETURN NULL;
        END $$""")
    conn.execute("CREATE TRIGGER leak AFTER UPDATE ON public.sla_targets FOR EACH STATEMENT "
                 "EXECUTE FUNCTION public.leak()")
    with psycopg.connect(applied_db, autocommit=True) as c:
        cells = [c_ for c_ in am.cells() if c_.table == "sla_targets" and c_.command == "UPDATE"
                 and c_.persona == "member_a"]
        results = list(policy_check.run_matrix(c, cells=cells))
    assert [(r.actual, r.changed, r.ok) for r in results] == [("F", True, False)]


def test_missing_schema_exits_2(empty_db: str) -> None:
    result = cli("policy-check", "--database-url", empty_db)
    assert result.exit_code == 2
    assert "policy-check could not create its temporary rows" in result.stderr
    assert "healthschema apply" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_server_exits_2() -> None:
    result = cli("policy-check", "--database-url", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert result.exit_code == 2
    assert "secret" not in result.stderr and result.stdout == ""
