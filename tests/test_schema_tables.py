"""The health tables as the database sees them (brief 3a, SPEC §2.2): columns, foreign keys,
the organization rule, the private schema, and apply/rollback through the CLI."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.helpers import cli, query, rolled_back, user_objects
from tests.schema_rows import REQUIRED, TABLES, Conn, new_client, new_org


@pytest.fixture
def conn(shared_conn: Conn) -> Iterator[Conn]:
    """The shared applied database, inside a transaction rolled back after the test."""
    with rolled_back(shared_conn):
        yield shared_conn


# Column name, type, NN (NOT NULL), =default. The original design's names and types
# (reference §2), plus health_status, is_current and the SLA due timestamps.
EXPECTED_COLUMNS: dict[str, str] = {
    "milestone_templates": """
        id uuid NN =gen_random_uuid()
        template_key varchar(60) NN
        milestone_name varchar(200) NN
        milestone_description text
        milestone_type varchar(50) NN
        milestone_category varchar(30) NN
        priority varchar(20) NN ='medium'
        due_anchor varchar(20) NN ='client_created'
        due_offset_days integer NN =0
        prerequisite_keys text[] NN ='{}'
        is_critical_path boolean NN =false
        health_score_impact numeric(5,2) NN =0
        engagement_score_impact numeric(5,2) NN =0
        progress_score_impact numeric(5,2) NN =0
        is_active boolean NN =true
        created_at timestamptz NN =now()
        updated_at timestamptz NN =now()
    """,
    "customer_health": """
        id uuid NN =gen_random_uuid()
        client_id uuid NN
        organization_id uuid NN
        overall_health_score numeric(5,2) NN =50.0
        engagement_score numeric(5,2) NN =50.0
        progress_score numeric(5,2) NN =50.0
        satisfaction_score numeric(5,2)
        churn_risk_score numeric(5,2) NN =50.0
        health_status varchar(20) NN ='critical'
        is_current boolean NN =false
        last_login_at timestamptz
        total_logins integer =0
        days_since_last_activity integer =0
        session_duration_avg_minutes numeric(10,2) =0
        features_used jsonb ='{}'
        form_completion_rate numeric(5,2) =0
        task_completion_rate numeric(5,2) =0
        messages_sent integer =0
        messages_received integer =0
        response_rate numeric(5,2) =0
        wedding_progress_percentage numeric(5,2) =0
        milestones_completed integer =0
        overdue_tasks integer =0
        support_tickets_count integer =0
        payment_issues_count integer =0
        billing_status varchar(20) ='active'
        score_calculation_version varchar(10) ='v1.0'
        factors_considered jsonb ='{}'
        calculated_at timestamptz NN =now()
        created_at timestamptz NN =now()
        updated_at timestamptz NN =now()
    """,
    "success_milestones": """
        id uuid NN =gen_random_uuid()
        client_id uuid NN
        organization_id uuid NN
        milestone_type varchar(50) NN
        milestone_category varchar(30) NN
        milestone_name varchar(200) NN
        milestone_description text
        status varchar(20) NN ='pending'
        priority varchar(20) NN ='medium'
        progress_percentage numeric(5,2) NN =0
        target_completion_date date
        actual_completion_date date
        estimated_hours numeric(5,2)
        actual_hours numeric(5,2)
        health_score_impact numeric(5,2) =0
        engagement_score_impact numeric(5,2) =0
        progress_score_impact numeric(5,2) =0
        wedding_date date
        days_until_wedding integer
        is_critical_path boolean =false
        prerequisite_milestone_ids uuid[]
        dependent_milestone_ids uuid[]
        auto_generated boolean =false
        trigger_conditions jsonb ='{}'
        completion_triggers jsonb ='{}'
        assigned_user_id uuid
        assigned_team varchar(50)
        requires_supplier_action boolean =false
        supplier_dependencies text[]
        milestone_version varchar(10) ='v1.0'
        template_id uuid
        custom_fields jsonb ='{}'
        notes text
        created_at timestamptz NN =now()
        updated_at timestamptz NN =now()
        started_at timestamptz
        completed_at timestamptz
    """,
    "support_interactions": """
        id uuid NN =gen_random_uuid()
        client_id uuid NN
        organization_id uuid NN
        interaction_type varchar(50) NN
        interaction_category varchar(30) NN
        interaction_method varchar(30) NN
        trigger_event varchar(100)
        trigger_threshold jsonb
        health_score_at_interaction numeric(5,2)
        churn_risk_level varchar(20)
        subject varchar(300) NN
        description text
        interaction_data jsonb ='{}'
        priority varchar(20) NN ='medium'
        urgency varchar(20) NN ='medium'
        assigned_user_id uuid
        assigned_team varchar(50)
        escalation_level integer =0
        status varchar(30) NN ='open'
        resolution_type varchar(50)
        created_at timestamptz NN =now()
        updated_at timestamptz NN =now()
        first_response_at timestamptz
        resolved_at timestamptz
        closed_at timestamptz
        sla_target_response_hours integer
        sla_target_resolution_hours integer
        sla_response_met boolean
        sla_resolution_met boolean
        sla_response_due_at timestamptz
        sla_resolution_due_at timestamptz
        customer_contacted boolean =false
        customer_response_received boolean =false
        customer_satisfaction_rating integer
        customer_feedback text
        outcome_category varchar(50)
        resolution_notes text
        follow_up_required boolean =false
        follow_up_date date
        health_score_impact_predicted numeric(5,2)
        health_score_impact_actual numeric(5,2)
        engagement_impact numeric(5,2)
        satisfaction_impact numeric(5,2)
        related_milestone_id uuid
        related_support_ticket_id varchar(50)
        related_interaction_ids uuid[]
        auto_generated boolean =false
        ai_sentiment_score numeric(5,2)
        ai_suggested_actions jsonb ='{}'
        ai_risk_assessment jsonb ='{}'
        messages_sent integer =0
        messages_received integer =0
        total_touchpoints integer =1
        communication_preferences jsonb ='{}'
        interaction_version varchar(10) ='v1.0'
        tags text[]
        custom_fields jsonb ='{}'
    """,
}


def _normalise_default(default: str | None) -> str:
    if default is None:
        return ""
    return " =" + re.sub(r"::(character varying|jsonb|text\[\])$", "", default)


def _actual_columns(conn: Conn, table: str) -> list[str]:
    rows = conn.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
        (f"public.{table}",),
    ).fetchall()
    lines = []
    for name, typ, not_null, default in rows:
        typ = typ.replace("character varying", "varchar").replace("timestamp with time zone", "timestamptz")
        lines.append(f"{name} {typ}{' NN' if not_null else ''}{_normalise_default(default)}")
    return lines


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_columns_types_nullability_and_defaults(conn: Conn, table: str) -> None:
    expected = [line.strip() for line in EXPECTED_COLUMNS[table].strip().splitlines()]
    assert _actual_columns(conn, table) == expected


def test_column_counts_are_the_originals_plus_the_additions(conn: Conn) -> None:
    # reference §2: 29 / 37 / 55 columns; plus health_status + is_current, and the two SLA due timestamps.
    counts = dict(conn.execute("""
        SELECT table_name::text, count(*)::int FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = ANY(%s) GROUP BY table_name""", (list(TABLES),)).fetchall())
    assert counts == {"customer_health": 31, "success_milestones": 37, "support_interactions": 57}


EXPECTED_FOREIGN_KEYS = {
    ("customer_health", "client_id", "public.clients", "c"),
    ("customer_health", "organization_id", "public.organizations", "c"),
    ("success_milestones", "client_id", "public.clients", "c"),
    ("success_milestones", "organization_id", "public.organizations", "c"),
    ("success_milestones", "assigned_user_id", "auth.users", "n"),
    ("success_milestones", "template_id", "public.milestone_templates", "n"),
    ("support_interactions", "client_id", "public.clients", "c"),
    ("support_interactions", "organization_id", "public.organizations", "c"),
    ("support_interactions", "assigned_user_id", "auth.users", "n"),
    ("support_interactions", "related_milestone_id", "public.success_milestones", "n"),
}


def test_foreign_keys_and_their_delete_rules(conn: Conn) -> None:
    rows = conn.execute("""
        SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text, c.confdeltype::text
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.conrelid = ANY(ARRAY['public.customer_health', 'public.success_milestones',
               'public.support_interactions', 'public.milestone_templates']::regclass[])""").fetchall()
    actual = {(t.removeprefix("public."), col, ref if "." in ref else f"public.{ref}", rule)
              for t, col, ref, rule in rows}
    assert actual == EXPECTED_FOREIGN_KEYS


def test_milestone_template_keys_are_unique(conn: Conn) -> None:
    conn.execute("INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type,"
                 " milestone_category) VALUES ('dup_key', 'A', 'onboarding', 'onboarding')")
    with pytest.raises(psycopg.errors.UniqueViolation) as info, conn.transaction():
        conn.execute("INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type,"
                     " milestone_category) VALUES ('dup_key', 'B', 'onboarding', 'onboarding')")
    assert info.value.diag.constraint_name == "milestone_templates_template_key_key"


# --- the organization rule ------------------------------------------------------------------

def _insert_sql(table: str) -> tuple[str, dict[str, Any]]:
    extra = REQUIRED[table]
    names = ["client_id", "organization_id", *extra]
    sql = (f"INSERT INTO public.{table} ({', '.join(names)}) VALUES "
           f"({', '.join('%(' + n + ')s' for n in names)}) RETURNING id")
    return sql, dict(extra)


def _insert(conn: Conn, table: str, client: uuid.UUID, org: uuid.UUID | None) -> Any:
    sql, params = _insert_sql(table)
    row = conn.execute(sql, {**params, "client_id": client, "organization_id": org}).fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize("table", TABLES)
def test_row_of_another_organization_is_rejected_on_insert(conn: Conn, table: str) -> None:
    org_a, org_b = new_org(conn, "a"), new_org(conn, "b")
    client_a = new_client(conn, org_a)
    _insert(conn, table, client_a, org_a)  # the matching organization is fine
    with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
        _insert(conn, table, client_a, org_b)
    message = str(info.value)
    assert info.value.sqlstate == "23514"
    assert str(client_a) in message and str(org_a) in message and str(org_b) in message
    assert table in message


@pytest.mark.parametrize("table", TABLES)
def test_row_moved_to_another_organization_or_client_is_rejected_on_update(conn: Conn, table: str) -> None:
    org_a, org_b = new_org(conn, "a"), new_org(conn, "b")
    client_a, client_b = new_client(conn, org_a), new_client(conn, org_b)
    row_id = _insert(conn, table, client_a, org_a)
    for change, params in (("organization_id = %s", (org_b,)), ("client_id = %s", (client_b,))):
        with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
            conn.execute(f"UPDATE public.{table} SET {change} WHERE id = %s", (*params, row_id))
        assert info.value.sqlstate == "23514" and str(org_b) in str(info.value)
    if table == "customer_health":
        # A snapshot is immutable: it never moves to another client (SPEC §2.4).
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState), conn.transaction():
            conn.execute("UPDATE public.customer_health SET client_id = %s, organization_id = %s WHERE id = %s",
                         (client_b, org_b, row_id))
        return
    # Moving both together stays consistent and is allowed.
    conn.execute(f"UPDATE public.{table} SET client_id = %s, organization_id = %s WHERE id = %s",
                 (client_b, org_b, row_id))
    assert conn.execute(f"SELECT organization_id FROM public.{table} WHERE id = %s", (row_id,)).fetchall() == [(org_b,)]


@pytest.mark.parametrize("table", TABLES)
def test_client_without_organization_cannot_have_rows(conn: Conn, table: str) -> None:
    org = new_org(conn)
    orphan = new_client(conn, None)
    with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
        _insert(conn, table, orphan, org)
    assert "has no organization" in str(info.value) and str(orphan) in str(info.value)


@pytest.mark.parametrize("table", TABLES)
def test_unknown_client_is_a_foreign_key_error(conn: Conn, table: str) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation), conn.transaction():
        _insert(conn, table, uuid.uuid4(), new_org(conn))


def test_organization_rule_holds_for_a_caller_who_cannot_see_the_client(conn: Conn) -> None:
    """The rule reads clients as its owner: RLS hiding the client from the caller cannot bypass it."""
    org_a, org_b = new_org(conn, "a"), new_org(conn, "b")
    client_a = new_client(conn, org_a)
    role = f"blind_{uuid.uuid4().hex[:12]}"  # roles are per server: a unique name, rolled back below
    with conn.transaction():
        conn.execute(f"CREATE ROLE {role} NOLOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(f"GRANT SELECT, INSERT ON public.customer_health TO {role}")
        conn.execute("ALTER TABLE public.clients ENABLE ROW LEVEL SECURITY")  # no policy: sees nothing
        conn.execute(f"GRANT SELECT ON public.clients TO {role}")
        conn.execute("ALTER TABLE public.customer_health NO FORCE ROW LEVEL SECURITY")
        conn.execute("ALTER TABLE public.customer_health DISABLE ROW LEVEL SECURITY")
        conn.execute(f"SET LOCAL ROLE {role}")
        assert conn.execute("SELECT count(*) FROM public.clients").fetchone() == (0,)
        with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
            _insert(conn, "customer_health", client_a, org_b)
        raise psycopg.Rollback()


def test_organization_function_is_private_and_fixed(conn: Conn) -> None:
    row = conn.execute("""
        SELECT n.nspname, p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE')
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.proname = 'enforce_client_organization'""").fetchall()
    assert row == [("healthschema_private", True, ["search_path=\"\""], False)]
    for table in TABLES:
        triggers = conn.execute("""
            SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal
               AND tgfoid = 'healthschema_private.enforce_client_organization'::regproc""",
            (f"public.{table}",)).fetchall()
        assert triggers == [(f"{table}_enforce_client_organization",)]


def test_private_schema_is_not_usable_by_public(conn: Conn) -> None:
    assert conn.execute(
        "SELECT has_schema_privilege('public', 'healthschema_private', 'USAGE')").fetchone() == (False,)


def test_tables_and_important_columns_are_commented(conn: Conn) -> None:
    for table in (*TABLES, "milestone_templates"):
        comment = conn.execute("SELECT obj_description(%s::regclass, 'pg_class')", (f"public.{table}",)).fetchone()
        assert comment is not None and comment[0], table
    for table, column in (("customer_health", "health_status"), ("customer_health", "is_current"),
                          ("success_milestones", "status"), ("support_interactions", "sla_response_due_at")):
        comment = conn.execute(
            "SELECT col_description(%s::regclass, attnum) FROM pg_attribute WHERE attrelid = %s::regclass"
            " AND attname = %s", (f"public.{table}", f"public.{table}", column)).fetchone()
        assert comment is not None and comment[0], (table, column)


# --- apply and roll back through the CLI -----------------------------------------------------

def test_cli_apply_with_platform_stub_then_rollback_all_removes_everything(empty_db: str) -> None:
    before = user_objects(empty_db)
    applied = cli("apply", "--with-platform-stub", "--database-url", empty_db)
    assert applied.exit_code == 0, applied.output
    created = set(user_objects(empty_db)) - set(before)
    for name in (*TABLES, "milestone_templates"):
        assert ("relation", "public", name) in created
    assert ("schema", "healthschema_private", "") in created
    assert ("function", "healthschema_private", "enforce_client_organization()") in created
    indexes = dict(query(empty_db, "SELECT tablename::text, count(*)::int FROM pg_indexes"
                                   " WHERE schemaname = 'public' AND tablename = ANY(%s) GROUP BY 1",
                         (list(TABLES),)))
    assert indexes == {"customer_health": 9, "success_milestones": 12, "support_interactions": 10}

    rolled = cli("rollback", "--all", "--database-url", empty_db)
    assert rolled.exit_code == 0, rolled.output
    after = [o for o in user_objects(empty_db) if o[1] != "healthschema_meta"]
    assert after == [o for o in before if o[1] != "healthschema_meta"]
