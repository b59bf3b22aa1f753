"""policy-check's fixture on real platforms (issue 11 item 3): every NOT NULL column without a default
of the platform rows it writes is filled with a type-correct value, or named exactly (exit 2, one
line, an accurate hint); preflight runs the same check, so deploy stops before applying anything."""

from __future__ import annotations

import psycopg
import pytest

from healthschema.checks.policy_check import check_policies
from healthschema.errors import DatabaseError
from tests.helpers import cli, query, user_objects
from tests.supabase_target import SupabaseDatabase

# Extra NOT NULL columns without a default, of many kinds, on each platform table the fixture writes
# (foreign keys to auth.users take the fixture's own users).
EXTRA_TYPES = """
CREATE TYPE public.pc_tier AS ENUM ('bronze', 'silver');
CREATE DOMAIN public.pc_code AS varchar(6) CHECK (VALUE <> '');
CREATE DOMAIN public.pc_percent AS integer CHECK (VALUE >= 10 AND VALUE <= 20);
"""
EXTRA_COLUMNS = """
ALTER TABLE auth.users ADD COLUMN pc_tenant_code text NOT NULL,
    ADD COLUMN pc_tier public.pc_tier NOT NULL, ADD COLUMN pc_code public.pc_code NOT NULL UNIQUE,
    ADD COLUMN pc_born date NOT NULL, ADD COLUMN pc_seen timestamptz NOT NULL, ADD COLUMN pc_ok boolean NOT NULL,
    ADD COLUMN pc_settings jsonb NOT NULL CHECK (jsonb_typeof(pc_settings) = 'object'),
    ADD COLUMN pc_ref uuid NOT NULL UNIQUE, ADD COLUMN pc_tags text[] NOT NULL CHECK (cardinality(pc_tags) > 0);
ALTER TABLE public.organizations ADD COLUMN pc_seats integer NOT NULL CHECK (pc_seats > 5),
    ADD COLUMN pc_region varchar(8) NOT NULL CHECK (pc_region IN ('eu', 'us')),
    ADD COLUMN pc_price numeric(6, 2) NOT NULL, ADD COLUMN pc_percent public.pc_percent NOT NULL,
    ADD COLUMN pc_founder uuid NOT NULL UNIQUE REFERENCES auth.users (id);
ALTER TABLE public.user_profiles ADD COLUMN pc_tiers public.pc_tier[] NOT NULL,
    ADD COLUMN pc_short varchar(3) NOT NULL UNIQUE;
ALTER TABLE public.clients ADD COLUMN pc_owner uuid NOT NULL REFERENCES auth.users (id),
    ADD COLUMN pc_budget bigint NOT NULL, ADD COLUMN pc_since interval NOT NULL,
    ADD COLUMN pc_ip inet NOT NULL, ADD COLUMN pc_ratio double precision NOT NULL CHECK (pc_ratio < 1);
"""
# (DDL, the one line policy-check and preflight must print)
UNFILLABLE = [
    ("CREATE TYPE public.pc_address AS (street text, city text);\n"
     "ALTER TABLE public.clients ADD COLUMN pc_address public.pc_address NOT NULL",
     "policy-check cannot fill public.clients.pc_address (pc_address), NOT NULL without a default: "
     "policy-check has no value for type pc_address"),
    ("ALTER TABLE auth.users ADD COLUMN pc_code text NOT NULL CONSTRAINT pc_code_shape CHECK (pc_code ~ '^[A-Z]{3}$')",
     "policy-check cannot fill auth.users.pc_code (text), NOT NULL without a default: pc_code_shape rejects"),
    ("CREATE TABLE public.pc_regions (id uuid PRIMARY KEY);\n"
     "ALTER TABLE public.clients ADD COLUMN pc_region uuid NOT NULL REFERENCES public.pc_regions (id)",
     "policy-check cannot fill public.clients.pc_region (uuid), NOT NULL without a default: it is a foreign key "
     "to public.pc_regions"),
]


def test_policy_check_fills_extra_not_null_columns(applied_db: str) -> None:
    query(applied_db, EXTRA_TYPES + EXTRA_COLUMNS)
    report = check_policies(applied_db)
    assert report.ok, report.mismatches[:3] or report.findings
    assert query(applied_db, "SELECT count(*) FROM auth.users") == [(0,)]  # rolled back


@pytest.mark.parametrize(("ddl", "line"), UNFILLABLE, ids=["composite", "check", "foreign_key"])
def test_an_unfillable_column_is_named(applied_db: str, ddl: str, line: str) -> None:
    query(applied_db, ddl)
    with pytest.raises(DatabaseError) as raised:
        check_policies(applied_db)
    assert raised.value.message.startswith(line), raised.value.message
    assert raised.value.hint and "DEFAULT" in raised.value.hint and "apply" not in raised.value.hint
    result = cli("policy-check", "--database-url", applied_db)
    assert result.exit_code == 2
    assert line in result.stderr and "Traceback" not in result.output


def _activity_logs(database: SupabaseDatabase) -> None:
    """The default project's engagement source, as a view over WedSync's client_activities."""
    query(database.url, "CREATE VIEW public.activity_logs AS SELECT id, client_id, organization_id, "
                        "activity_type AS action, created_at FROM public.client_activities")


def test_deploy_onto_a_platform_with_extra_not_null_columns(supabase_db: SupabaseDatabase, tmp_path: object) -> None:
    _activity_logs(supabase_db)
    with psycopg.connect(supabase_db.admin_url, autocommit=True) as conn:
        conn.execute(EXTRA_TYPES.encode())
        conn.execute(EXTRA_COLUMNS.encode())
    preflight = cli("preflight", "--database-url", supabase_db.url)
    assert preflight.exit_code == 0, preflight.output
    deployed = cli("deploy", "--report", f"{tmp_path}/report", "--database-url", supabase_db.url)
    assert deployed.exit_code == 0, deployed.output
    assert query(supabase_db.admin_url, "SELECT count(*) FROM auth.users") == [(0,)]


def test_preflight_names_an_unfillable_column_and_deploy_changes_nothing(supabase_db: SupabaseDatabase) -> None:
    _activity_logs(supabase_db)
    ddl, line = UNFILLABLE[0]
    query(supabase_db.admin_url, ddl)
    before = user_objects(supabase_db.url)
    preflight = cli("preflight", "--database-url", supabase_db.url)
    assert preflight.exit_code == 1
    assert line in preflight.output
    assert [problem for problem in preflight.output.splitlines() if "policy-check cannot" in problem] \
        and "apply the migrations first" not in preflight.output
    deployed = cli("deploy", "--database-url", supabase_db.url)
    assert deployed.exit_code == 1 and "public.clients.pc_address (pc_address)" in deployed.output
    assert user_objects(supabase_db.url) == before
    assert query(supabase_db.admin_url, "SELECT count(*) FROM auth.users") == [(0,)]
