"""The expected snapshot: committed, identical on both majors, stale detection."""

from __future__ import annotations

import json

from healthschema.files.project import Project
from healthschema.pg import disposable
from healthschema.schema import snapshot
from tests.conftest import Servers
from tests.helpers import cli


def test_snapshot_check_exits_0_on_main_on_this_major(project: Project, pg: disposable.DisposableServer) -> None:
    """`snapshot --check` rebuilds on PostgreSQL 15 and on 18: byte-identical to the committed file."""
    result = cli("--project", str(project.root), "snapshot", "--check", env={disposable.TEST_URL_ENV: pg.url})
    assert result.exit_code == 0, (
        f"migrations/expected_snapshot.json is stale on PostgreSQL {pg.version}: run `healthschema snapshot`\n"
        + result.output)
    assert result.stdout.strip() == "expected_snapshot.json is up to date"


def test_snapshot_records_what_health_migrations_create_not_the_stub(project: Project) -> None:
    snap = snapshot.load(project)
    health_ids = [m.id for m in snap.migrations]
    assert health_ids and all(not m.startswith("2025010") for m in health_ids)
    expected = snapshot.expected_after(snap, health_ids)
    assert "relation public.customer_health" in expected
    assert "relation public.clients" not in expected  # platform object: baseline, not ours
    owned = snapshot.created_by(snap, health_ids)
    assert "relation public.customer_health" in owned and "schema public" not in owned
    data = json.loads(snapshot.snapshot_path(project).read_text(encoding="utf-8"))
    assert json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n" == snapshot.render_json(snap)


def test_stale_snapshot_is_detected_and_rewritten(tmp_project: Project, servers: Servers) -> None:
    templates = tmp_project.health.templates
    (templates / "20991231000000_probe.sql.j2").write_text("CREATE TABLE public.snapshot_probe (id int);\n")
    (templates / "20991231000000_probe.rollback.sql.j2").write_text("DROP TABLE public.snapshot_probe;\n")
    assert cli("--project", str(tmp_project.root), "render").exit_code == 0
    env = {disposable.TEST_URL_ENV: servers.get("primary").url}

    stale = cli("--project", str(tmp_project.root), "snapshot", "--check", env=env)
    assert stale.exit_code == 1, stale.output
    assert "stale: migration 20991231000000_probe is not in the snapshot" in stale.stdout

    written = cli("--project", str(tmp_project.root), "snapshot", env=env)
    assert written.exit_code == 0, written.output
    effect = snapshot.load(tmp_project).by_id()["20991231000000_probe"]
    assert "relation public.snapshot_probe" in effect.created
    assert "column public.snapshot_probe.id" in effect.changes

    path = snapshot.snapshot_path(tmp_project)
    path.write_text(path.read_text().replace('"type": "integer"', '"type": "bigint"'))
    edited = cli("--project", str(tmp_project.root), "snapshot", "--check", env=env)
    assert edited.exit_code == 1
    assert "20991231000000_probe: recorded objects differ" in edited.stdout


def test_missing_or_invalid_snapshot_is_a_clear_error(tmp_project: Project, applied_db: str) -> None:
    path = snapshot.snapshot_path(tmp_project)
    path.write_text("{not json")
    result = cli("--project", str(tmp_project.root), "verify", "--database-url", applied_db)
    assert result.exit_code == 2 and "is not a valid snapshot" in result.stderr
    path.unlink()
    result = cli("--project", str(tmp_project.root), "verify", "--database-url", applied_db)
    assert result.exit_code == 2 and "expected_snapshot.json does not exist" in result.stderr
