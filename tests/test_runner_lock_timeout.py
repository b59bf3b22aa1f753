"""The runner sets ``lock_timeout`` ([runner] statement_lock_timeout_ms) for every migration: a migration
blocked by an open transaction fails after it instead of queueing platform traffic behind it."""

from __future__ import annotations

import re
import time

import psycopg
import pytest

from healthschema import operations
from healthschema.errors import LockTimeoutError
from healthschema.files.project import Project, load_project
from tests.helpers import scalar


def _with_migration(project: Project, sql: str, lock_timeout_ms: int, transactional: bool = True) -> Project:
    config = project.root / "healthschema.toml"
    text = re.sub(r"(?m)^statement_lock_timeout_ms = \d+$",
                  f"statement_lock_timeout_ms = {lock_timeout_ms}\nlock_retry_budget_seconds = 1",
                  config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    header = "" if transactional else "-- transactional: false\n"
    (project.migrations_dir / "20990101000000_lock_probe.sql").write_text(header + sql, encoding="utf-8")
    (project.migrations_dir / "20990101000000_lock_probe.rollback.sql").write_text("SELECT 1;\n", encoding="utf-8")
    return load_project(project.root)


@pytest.mark.parametrize("transactional", [True, False], ids=["transactional", "non-transactional"])
def test_migrations_run_with_the_configured_lock_timeout(
    tmp_project: Project, applied_db: str, transactional: bool
) -> None:
    project = _with_migration(
        tmp_project, "CREATE TABLE public.lock_probe AS SELECT current_setting('lock_timeout') AS value;\n",
        1234, transactional)
    operations.apply(project, applied_db)
    assert scalar(applied_db, "SELECT value FROM public.lock_probe") == "1234ms"
    # The setting does not leak into the runner's next statements on that session either.
    assert project.statement_lock_timeout_ms == 1234


def test_a_blocked_migration_fails_after_lock_timeout(tmp_project: Project, applied_db: str) -> None:
    project = _with_migration(tmp_project, "ALTER TABLE public.clients ADD COLUMN lock_probe text;\n", 300)
    with psycopg.connect(applied_db) as blocker:
        blocker.execute("SELECT count(*) FROM public.clients")  # holds ACCESS SHARE until rollback
        started = time.monotonic()
        with pytest.raises(LockTimeoutError, match=r"not granted within 0\.3s \(SQLSTATE 55P03\)"):
            operations.apply(project, applied_db)
        elapsed = time.monotonic() - started
        blocker.rollback()
    assert elapsed < 5
    assert scalar(applied_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'lock_probe'") == 0
