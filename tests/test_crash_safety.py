"""kill -9 of an apply in the middle of a migration: the previous version stays intact, and a
re-run applies cleanly (each migration is one transaction with its bookkeeping)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from healthschema import operations
from healthschema.files.migration_files import read_all
from healthschema.files.project import Project
from healthschema.files.render import write_rendered
from tests.helpers import REPO, query, scalar, user_objects

SLOW = "20991231000000_slow"


def _wait_for(url: str, sql: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not scalar(url, sql):
        assert time.monotonic() < deadline, f"timed out waiting for: {sql}"
        time.sleep(0.05)


def test_kill_9_mid_migration_leaves_previous_version(tmp_project: Project, applied_db: str) -> None:
    templates = tmp_project.health.templates
    (templates / f"{SLOW}.sql.j2").write_text(
        "CREATE TABLE public.crash_probe (id int);\n"
        "INSERT INTO public.crash_probe VALUES (1);\n"
        "ALTER TABLE public.customer_health ADD COLUMN crash_probe int;\n"
        "SELECT pg_sleep(CASE WHEN to_regclass('public.crash_rerun') IS NULL THEN 5 ELSE 0 END);\n")
    (templates / f"{SLOW}.rollback.sql.j2").write_text(
        "ALTER TABLE public.customer_health DROP COLUMN crash_probe;\nDROP TABLE public.crash_probe;\n")
    write_rendered(tmp_project)
    before = user_objects(applied_db)
    applied_before = operations.status(tmp_project, applied_db).ids("applied")

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "healthschema", "--project", str(tmp_project.root), "apply",
         "--database-url", applied_db],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        _wait_for(applied_db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' "
                              "AND state = 'active' AND pid <> pg_backend_pid()")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    # The server notices the dead client only when it next talks to it: end the orphaned backend.
    query(applied_db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE application_name = 'healthschema' AND pid <> pg_backend_pid() "
                      "AND datname = current_database()")
    _wait_for(applied_db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'healthschema' "
                          "AND datname = current_database() AND pid <> pg_backend_pid()")

    assert user_objects(applied_db) == before
    assert scalar(applied_db, "SELECT to_regclass('public.crash_probe')") is None
    status = operations.status(tmp_project, applied_db)
    assert status.ids("applied") == applied_before and status.ids("pending") == [SLOW]

    query(applied_db, "CREATE TABLE public.crash_rerun ()")  # the re-run does not sleep
    started = time.monotonic()
    result = operations.apply(tmp_project, applied_db)  # the lock died with the session: no wait
    assert time.monotonic() - started < 5
    assert [step.migration.id for step in result.steps] == [SLOW]
    assert scalar(applied_db, "SELECT count(*) FROM public.crash_probe") == 1
    assert operations.status(tmp_project, applied_db).ids("applied") == [f.id for f in read_all(tmp_project)]
