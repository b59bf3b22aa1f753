"""``security_findings``: clean on a fresh database; each rule fires on exactly the tampering it is
about; and the policies follow the RLS performance guidance (an admin_a dashboard query uses an
index, with the membership helpers evaluated once as initPlans, not per row)."""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest

from healthschema.checks.security import Finding, security_findings

TAMPERING: dict[str, tuple[list[str], Finding]] = {
    "rls_disabled": (
        ["ALTER TABLE public.sla_targets DISABLE ROW LEVEL SECURITY"],
        Finding("rls_disabled", "public.sla_targets", "row level security is not enabled")),
    "rls_not_forced": (
        ["ALTER TABLE public.customer_health NO FORCE ROW LEVEL SECURITY"],
        Finding("rls_not_forced", "public.customer_health",
                "row level security is not FORCEd (the owner bypasses it)")),
    "policy_for_public": (
        ["ALTER POLICY milestone_templates_select ON public.milestone_templates TO PUBLIC"],
        Finding("policy_for_public", "public.milestone_templates: policy milestone_templates_select",
                "applies to PUBLIC; name the roles (TO authenticated)")),
    "policy_always_true": (
        ["ALTER POLICY support_interactions_update ON public.support_interactions WITH CHECK (true)"],
        Finding("policy_always_true", "public.support_interactions: policy support_interactions_update",
                "UPDATE policy is always true (no tenant isolation)")),
    "multiple_permissive_policies": (
        ["CREATE POLICY extra ON public.success_milestones FOR ALL TO authenticated "
         "USING ((SELECT auth.uid()) IS NOT NULL)"],
        Finding("multiple_permissive_policies", "public.success_milestones",
                "2 permissive policies for role authenticated, command DELETE")),
    "auth_call_unwrapped": (
        ["ALTER POLICY sla_targets_select ON public.sla_targets USING (auth.uid() IS NOT NULL)"],
        Finding("auth_call_unwrapped", "public.sla_targets: policy sla_targets_select",
                "auth.*()/current_setting() called per row; wrap it as (select auth.uid())")),
    "helper_call_unwrapped": (
        ["ALTER POLICY customer_health_select ON public.customer_health "
         "USING (organization_id = ANY (healthschema_private.admin_organization_ids()))"],
        Finding("helper_call_unwrapped", "public.customer_health: policy customer_health_select",
                "a healthschema_private helper is called per row; wrap it as (select ...)")),
    "policy_uses_user_metadata": (
        ["ALTER POLICY health_score_config_update ON public.health_score_config "
         "USING (((SELECT auth.jwt()) -> 'user_metadata' ->> 'platform_role') = 'platform_admin')"],
        Finding("policy_uses_user_metadata", "public.health_score_config: policy health_score_config_update",
                "user_metadata is editable by the user; use app_metadata")),
    "function_search_path_mutable": (
        ["CREATE FUNCTION healthschema_private.loose() RETURNS int LANGUAGE sql AS 'SELECT 1'",
         "REVOKE ALL ON FUNCTION healthschema_private.loose() FROM PUBLIC"],
        Finding("function_search_path_mutable", "healthschema_private.loose()",
                "no fixed search_path (add SET search_path = '')")),
    "security_definer_executable_by_anon": (
        ["GRANT EXECUTE ON FUNCTION healthschema_private.admin_organization_ids() TO anon"],
        Finding("security_definer_executable_by_anon", "healthschema_private.admin_organization_ids()",
                "SECURITY DEFINER and executable by anon (REVOKE EXECUTE FROM PUBLIC, anon)")),
    "anon_privilege": (
        ["GRANT UPDATE (notes) ON public.success_milestones TO anon"],
        Finding("anon_privilege", "public.success_milestones", "anon holds UPDATE")),
    "api_role_privilege": (
        ["GRANT TRUNCATE ON public.support_interactions TO authenticated"],
        Finding("api_role_privilege", "public.support_interactions", "authenticated holds TRUNCATE")),
    "fk_unindexed": (
        ["ALTER TABLE public.support_interactions ADD COLUMN escalated_to uuid REFERENCES auth.users (id)"],
        Finding("fk_unindexed", "public.support_interactions.support_interactions_escalated_to_fkey",
                "foreign key (escalated_to) leads no index")),
}


def test_fresh_database_has_no_findings(applied_db: str) -> None:
    assert security_findings(applied_db) == []


@pytest.mark.parametrize("rule", sorted(TAMPERING))
def test_rule_fires_on_its_tampering(rule: str, applied_db: str, conn: psycopg.Connection[Any]) -> None:
    statements, finding = TAMPERING[rule]
    for statement in statements:
        conn.execute(statement)
    findings = security_findings(applied_db)
    assert finding in findings
    assert {f.rule for f in findings} == {rule}


def test_owner_without_bypassrls_is_a_finding(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    """FORCE + an owner that does not bypass RLS: the owner's SECURITY DEFINER triggers see nothing."""
    conn.execute("ALTER TABLE public.sla_targets OWNER TO authenticated")  # the database is dropped afterwards
    findings = security_findings(applied_db)
    assert Finding("owner_subject_to_rls", "public.sla_targets",
                   "owner authenticated is neither superuser nor BYPASSRLS: with FORCE, the SECURITY DEFINER "
                   "functions it owns see no rows") in findings


def test_missing_table_is_a_finding(applied_db: str) -> None:
    assert security_findings(applied_db, tables=("customer_health", "no_such_table")) == [
        Finding("table_missing", "public.no_such_table", "table does not exist")]


def test_anon_usage_on_private_schema_is_a_finding(applied_db: str, conn: psycopg.Connection[Any]) -> None:
    conn.execute("GRANT USAGE ON SCHEMA healthschema_private TO anon")
    assert security_findings(applied_db) == [
        Finding("anon_privilege", "healthschema_private", "anon holds USAGE")]


def _seed_dashboard(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """40 organizations × 25 clients × 3 snapshots (3,000 rows), admin_a administers one of them."""
    conn.execute("""
        INSERT INTO public.organizations (id, name, slug)
        SELECT gen_random_uuid(), 'org ' || g, 'explain-org-' || g FROM generate_series(1, 40) AS g;
        INSERT INTO public.clients (id, organization_id, first_name)
        SELECT gen_random_uuid(), o.id, 'client ' || g FROM public.organizations AS o, generate_series(1, 25) AS g
         WHERE o.slug LIKE 'explain-org-%';
        INSERT INTO public.customer_health (client_id, organization_id, engagement_score, calculated_at)
        SELECT c.id, c.organization_id, (random() * 100)::numeric(5,2), now() - make_interval(days => g)
          FROM public.clients AS c, generate_series(1, 3) AS g
         WHERE c.first_name LIKE 'client %';
        INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-00000000000a', 'admin_a@explain.test');
        INSERT INTO public.user_profiles (user_id, organization_id, role)
        SELECT '00000000-0000-4000-8000-00000000000a', id, 'ADMIN' FROM public.organizations
         WHERE slug = 'explain-org-7';
        ANALYZE public.organizations, public.clients, public.customer_health, public.user_profiles;
    """)
    org = conn.execute("SELECT id::text FROM public.organizations WHERE slug = 'explain-org-7'").fetchone()
    assert org is not None
    return {"org": org[0], "sub": "00000000-0000-4000-8000-00000000000a"}


def test_admin_dashboard_query_uses_an_index_not_a_per_row_function(conn: psycopg.Connection[Any]) -> None:
    seed = _seed_dashboard(conn)
    dashboard = ("SELECT client_id, overall_health_score, health_status FROM public.customer_health "
                 "WHERE organization_id = %s AND is_current ORDER BY overall_health_score LIMIT 20")
    with conn.transaction(force_rollback=True):
        conn.execute("SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', %s, true)",
                     [f'{{"sub": "{seed["sub"]}", "role": "authenticated", "app_metadata": {{}}}}'])
        rows = conn.execute(dashboard, [seed["org"]]).fetchall()
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + dashboard, [seed["org"]]).fetchall())
    assert len(rows) == 20  # admin_a sees the current snapshots of its 25 clients
    assert re.search(r"Index (Only )?Scan .*on customer_health|Bitmap Index Scan on customer_health", plan), plan
    assert "Seq Scan on customer_health" not in plan, plan
    conditions = [line for line in plan.splitlines() if re.search(r"(Filter|Index Cond|Recheck Cond):", line)]
    assert conditions, plan
    # The membership helpers run once (initPlan), shown as $n (PG15/16) or (InitPlan n).col1 (PG17+) ...
    assert any(re.search(r"ANY \((\$\d+|\(InitPlan \d+\)\.col1)\)", line) for line in conditions), plan
    # ... and never as a function call evaluated for every row.
    assert not any("organization_ids()" in line or "platform_role()" in line for line in conditions), plan
