"""The runner on a real PostgreSQL: apply, status, rollback, atomicity, locking, checksums."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from healthschema import operations
from healthschema.errors import ConfigError, LockTimeoutError, MigrationError
from healthschema.files.migration_files import read_all
from healthschema.files.project import Project
from healthschema.pg import ledger
from tests.helpers import cli, cli_process, query, scalar, user_objects


def _add_migration(project: Project, version: str, forward: str, rollback: str = "") -> None:
    templates = project.health.templates
    (templates / f"{version}_extra.sql.j2").write_text(forward)
    if rollback:
        (templates / f"{version}_extra.rollback.sql.j2").write_text(rollback)
    from healthschema.files.render import write_rendered

    write_rendered(project)


def test_apply_status_rollback_round_trip(project: Project, empty_db: str) -> None:
    before = user_objects(empty_db)
    assert operations.status(project, empty_db).ids("applied") == []

    result = operations.apply(project, empty_db, with_platform_stub=True)
    all_ids = [f.id for f in read_all(project)]
    assert [s.migration.id for s in result.steps] == all_ids
    report = operations.status(project, empty_db)
    assert report.ids("applied") == all_ids and report.ids("pending") == []
    assert scalar(empty_db, "SELECT to_regclass('public.sla_targets') IS NOT NULL") is True

    operations.rollback(project, empty_db)  # one step by default
    report = operations.status(project, empty_db)
    assert report.ids("pending") == [all_ids[-1]]
    assert report.ids("applied") == all_ids[:-1]

    operations.rollback(project, empty_db, all_=True)
    assert operations.status(project, empty_db).ids("applied") == []
    meta = ("schema", "healthschema_meta", "")
    after = [o for o in user_objects(empty_db) if o[1] != "healthschema_meta" or o == meta]
    assert after == before + [meta] or after == sorted(before + [meta])


def test_bookkeeping_never_lands_in_public(applied_db: str) -> None:
    in_public = query(applied_db, "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                  "WHERE n.nspname = 'public' AND (relname LIKE '%yoyo%' OR relname = 'ledger')")
    assert in_public == []
    rows = query(applied_db, "SELECT migration_id, length(checksum) FROM healthschema_meta.ledger ORDER BY 1")
    assert rows and all(length == 64 for _, length in rows)


def test_apply_to_version_and_rollback_to_version(project: Project, empty_db: str) -> None:
    files = read_all(project)
    operations.apply(project, empty_db, to=files[1].version, with_platform_stub=True)
    assert operations.status(project, empty_db).ids("applied") == [f.id for f in files[:2]]
    operations.apply(project, empty_db, with_platform_stub=True)
    operations.rollback(project, empty_db, to=files[0].version)
    assert operations.status(project, empty_db).ids("applied") == [files[0].id]


def test_unknown_version_and_conflicting_options(project: Project, empty_db: str) -> None:
    with pytest.raises(ConfigError, match="not a known migration version"):
        operations.apply(project, empty_db, to="19990101000000")
    with pytest.raises(ConfigError, match="only one of"):
        operations.rollback(project, empty_db, steps=1, all_=True)


def test_dry_run_prints_sql_and_changes_nothing(project: Project, empty_db: str) -> None:
    before = user_objects(empty_db)
    result = cli("apply", "--with-platform-stub", "--dry-run", "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE public.sla_targets" in result.stdout
    assert "nothing was changed" in result.stdout
    assert user_objects(empty_db) == before


def test_failing_migration_leaves_no_trace(tmp_project: Project, empty_db: str) -> None:
    operations.apply(tmp_project, empty_db, with_platform_stub=True)
    before = user_objects(empty_db)
    _add_migration(tmp_project, "20991231000000",
                   "CREATE TABLE public.half_done (id int);\nINSERT INTO public.half_done VALUES (1);\n"
                   "SELECT 1 / 0;\n", "DROP TABLE public.half_done;\n")
    result = cli("--project", str(tmp_project.root), "apply", "--database-url", empty_db)
    assert result.exit_code == 2
    assert "20991231000000_extra failed to apply: division by zero" in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if not line.startswith("applying ")]
    assert len(error_lines) == 1 and error_lines[0].startswith("error: ")
    assert user_objects(empty_db) == before
    assert operations.status(tmp_project, empty_db).ids("pending") == ["20991231000000_extra"]


def test_edited_applied_file_is_reported_and_blocks_apply(tmp_project: Project, empty_db: str) -> None:
    operations.apply(tmp_project, empty_db, with_platform_stub=True)
    edited = read_all(tmp_project)[-1]
    edited.path.write_text(edited.sql + "\n-- edited after apply\n")
    report = operations.status(tmp_project, empty_db)
    assert report.ids("modified") == [edited.id]
    result = cli("--project", str(tmp_project.root), "status", "--database-url", empty_db)
    assert result.exit_code == 1
    assert f"{edited.id}" in result.stdout and "modified" in result.stdout
    with pytest.raises(MigrationError, match="modified"):
        operations.apply(tmp_project, empty_db)


def test_non_transactional_migration(tmp_project: Project, empty_db: str) -> None:
    operations.apply(tmp_project, empty_db, with_platform_stub=True)
    _add_migration(tmp_project, "20991231000000",
                   "-- transactional: false\nCREATE INDEX CONCURRENTLY sla_targets_hours_idx "
                   "ON public.sla_targets (response_hours);\n",
                   "-- transactional: false\nDROP INDEX CONCURRENTLY public.sla_targets_hours_idx;\n")
    assert read_all(tmp_project)[-1].transactional is False
    operations.apply(tmp_project, empty_db)
    assert scalar(empty_db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'sla_targets_hours_idx'") == 1
    operations.rollback(tmp_project, empty_db)
    assert scalar(empty_db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'sla_targets_hours_idx'") == 0


def test_lock_timeout_names_the_holder(project: Project, empty_db: str) -> None:
    from dataclasses import replace

    impatient = replace(project, lock_timeout_seconds=0.5)
    with ledger.migration_lock(empty_db, project.meta_schema, 1):
        started = time.monotonic()
        with pytest.raises(LockTimeoutError, match=r"process \d+ \(healthschema\) holds the migration lock"):
            operations.apply(impatient, empty_db, with_platform_stub=True)
        assert time.monotonic() - started >= 0.5
    assert operations.status(project, empty_db).ids("applied") == []


def test_concurrent_applies_apply_each_migration_once(tmp_project: Project, empty_db: str) -> None:
    _add_migration(tmp_project, "20991231000000",
                   "SELECT pg_sleep(1.5);\nCREATE TABLE public.slow (id int);\n", "DROP TABLE public.slow;\n")
    args = ("--project", str(tmp_project.root), "apply", "--with-platform-stub", "--database-url", empty_db)
    results: list[object] = [None, None]

    def run(i: int) -> None:
        results[i] = cli_process(*args)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = sorted(r.stdout.strip().splitlines()[0] for r in results)  # type: ignore[attr-defined]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]  # type: ignore[attr-defined]
    assert outcomes == [f"applied {len(read_all(tmp_project))} migration(s)", "nothing to do"]
    applied = query(empty_db, "SELECT migration_id, count(*) FROM healthschema_meta._yoyo_log "
                              "WHERE operation = 'apply' GROUP BY 1 HAVING count(*) > 1")
    assert applied == []


def test_rollback_refuses_when_an_applied_file_is_missing(tmp_project: Project, empty_db: str) -> None:
    operations.apply(tmp_project, empty_db, with_platform_stub=True)
    last = read_all(tmp_project)[-1]
    Path(last.path).unlink()
    assert operations.status(tmp_project, empty_db).ids("missing") == [last.id]
    with pytest.raises(MigrationError, match="no file"):
        operations.rollback(tmp_project, empty_db)
