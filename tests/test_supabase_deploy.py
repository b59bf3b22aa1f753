"""Deploying onto the Supabase-shaped target with the wedding platform's real tables (issue 11).

Setting ``[variables.activity_source]`` to WedSync's ``client_activities`` must be all a user does
to deploy, verify, policy-check, adopt and roll back; the platform's catalog must be byte-identical
before and after.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from healthschema.pg.disposable import DisposableServer
from tests.helpers import REPO, cli, query, scalar, user_objects
from tests.supabase_target import SupabaseDatabase, SupabaseServer, schema_dump

WEDSYNC_MAPPING = """
[variables.activity_source]
table = "client_activities"
client_id_column = "client_id"
occurred_at_column = "created_at"
action_column = "activity_type"
login_actions = ["login"]
"""
PLATFORM_ONLY = ("--exclude-schema=healthschema_meta",)



@pytest.fixture(scope="module")
def wedsync_project(tmp_path_factory: pytest.TempPathFactory, pg: DisposableServer) -> Path:
    """The project pointed at WedSync's client_activities, rendered and snapshotted (shared: tests
    must not edit it)."""
    root = tmp_path_factory.mktemp("wedsync") / "project"
    root.mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "migrations", root / "migrations")
    text = (REPO / "healthschema.toml").read_text()
    start = text.index("[variables.activity_source]")
    end = text.index("\n\n", start)
    (root / "healthschema.toml").write_text(text[:start] + WEDSYNC_MAPPING.strip() + text[end:])
    rendered = cli("--project", str(root), "render")
    assert rendered.exit_code == 0, rendered.output
    # The refresh function's body changed. Snapshot on the running test server (no new server).
    snapshot = cli("--project", str(root), "snapshot", env={"HEALTHSCHEMA_TEST_DATABASE_URL": pg.url})
    assert snapshot.exit_code == 0, snapshot.output
    return root


def test_deploy_verify_policy_check_rollback_on_supabase(
    supabase_pg: SupabaseServer, supabase_db: SupabaseDatabase, wedsync_project: Path, tmp_path: Path,
) -> None:
    before = schema_dump(supabase_pg, supabase_db, *PLATFORM_ONLY)
    platform = ("--table=public.organizations", "--table=public.user_profiles", "--table=public.clients",
                "--table=public.client_activities", "--schema=auth")
    platform_before = schema_dump(supabase_pg, supabase_db, *platform)
    run = ("--project", str(wedsync_project))
    deployed = cli(*run, "deploy", "--report", str(tmp_path / "report"), "--database-url", supabase_db.url)
    assert deployed.exit_code == 0, deployed.output
    assert schema_dump(supabase_pg, supabase_db, *platform) == platform_before
    assert cli(*run, "verify", "--database-url", supabase_db.url).exit_code == 0
    checked = cli(*run, "policy-check", "--database-url", supabase_db.url)
    assert checked.exit_code == 0, checked.output
    again = cli(*run, "deploy", "--report", str(tmp_path / "again"), "--database-url", supabase_db.url)
    assert again.exit_code == 0, again.output
    rolled = cli(*run, "rollback", "--all", "--database-url", supabase_db.url)
    assert rolled.exit_code == 0, rolled.output
    assert schema_dump(supabase_pg, supabase_db, *PLATFORM_ONLY) == before


def test_platform_stub_is_refused_on_supabase(supabase_db: SupabaseDatabase) -> None:
    before = user_objects(supabase_db.url)
    result = cli("apply", "--with-platform-stub", "--database-url", supabase_db.url)
    assert result.exit_code == 2
    assert "Supabase" in result.stderr
    assert user_objects(supabase_db.url) == before


def test_default_activity_source_names_the_mapping(supabase_db: SupabaseDatabase) -> None:
    result = cli("preflight", "--database-url", supabase_db.url)
    assert result.exit_code == 1
    assert "activity_source" in result.output


def test_adopt_a_hand_applied_schema(supabase_db: SupabaseDatabase, wedsync_project: Path) -> None:
    for path in sorted((wedsync_project / "migrations").glob("2025090*.sql")):
        if not path.name.endswith(".rollback.sql"):
            query(supabase_db.url, path.read_text())
    run = ("--project", str(wedsync_project))
    assert cli(*run, "verify", "--database-url", supabase_db.url).exit_code == 1
    comment = scalar(supabase_db.url, "SELECT obj_description('public.customer_health'::regclass, 'pg_class')")
    query(supabase_db.url, "COMMENT ON TABLE public.customer_health IS 'hand edited'")
    refused = cli(*run, "adopt", "--database-url", supabase_db.url)
    assert refused.exit_code == 1 and "customer_health" in refused.output
    assert scalar(supabase_db.url, "SELECT to_regclass('healthschema_meta.ledger')") is None
    with psycopg.connect(supabase_db.url, autocommit=True) as conn:
        conn.execute(sql.SQL("COMMENT ON TABLE public.customer_health IS {}").format(sql.Literal(comment)))
    adopted = cli(*run, "adopt", "--database-url", supabase_db.url)
    assert adopted.exit_code == 0, adopted.output
    assert cli(*run, "verify", "--database-url", supabase_db.url).exit_code == 0
    again = cli(*run, "adopt", "--database-url", supabase_db.url)
    health_files = len(list((wedsync_project / "migrations").glob("2025090*[!k].sql")))
    assert again.exit_code == 2 and f"already records {health_files} migration(s)" in again.stderr
    rolled = cli(*run, "rollback", "--all", "--database-url", supabase_db.url)  # adopted = managed
    assert rolled.exit_code == 0, rolled.output
    assert scalar(supabase_db.url, "SELECT to_regclass('public.customer_health')") is None
