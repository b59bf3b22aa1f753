"""All or nothing (issue 9 items 1, 2, 5): one transaction for the pending transactional migrations,
the per-migration mode, rehearsal, and lock timeouts with retries that name the blocker."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import psycopg

from healthschema.files.migration_files import read_all
from healthschema.files.project import Project
from tests.helpers import cli, query, scalar, user_objects

FAILING = "20991231000000_fails"


def _count(project: Project) -> int:
    """How many migrations (platform stub included) the project has."""
    return len(read_all(project))


def _add_failing_migration(root: Path) -> None:
    templates = root / "templates" / "health"
    (templates / f"{FAILING}.sql.j2").write_text("SELECT 1 / 0;\n")
    (templates / f"{FAILING}.rollback.sql.j2").write_text("SELECT 1;\n")
    assert cli("--project", str(root), "render").exit_code == 0


def _set_runner(root: Path, **settings: object) -> None:
    toml = root / "healthschema.toml"
    text = toml.read_text()
    for key, value in settings.items():
        line = f"{key} = {value!r}".replace("'", '"')
        if re.search(rf"(?m)^{key} = ", text):
            text = re.sub(rf"(?m)^{key} = .*$", line, text, count=1)
        else:
            text = text.replace("[runner]\n", f"[runner]\n{line}\n", 1)
    toml.write_text(text)


def _ours(url: str) -> list[tuple[str, str, str]]:
    return [o for o in user_objects(url) if o[1] != "healthschema_meta"]


def _ledger(url: str) -> list[str]:
    if scalar(url, "SELECT to_regclass('healthschema_meta.ledger')") is None:
        return []
    return [r[0] for r in query(url, "SELECT migration_id FROM healthschema_meta.ledger ORDER BY 1")]


def test_a_failure_anywhere_keeps_nothing_of_the_run(tmp_project: Project, empty_db: str) -> None:
    root = tmp_project.root
    _add_failing_migration(root)
    before = _ours(empty_db)
    result = cli("--project", str(root), "apply", "--with-platform-stub", "--database-url", empty_db)
    assert result.exit_code == 2
    assert f"{FAILING} failed to apply" in result.stderr and "nothing of this run's transaction was kept" \
        in result.stderr
    assert _ledger(empty_db) == [] and _ours(empty_db) == before


def test_per_migration_mode_keeps_what_committed(tmp_project: Project, empty_db: str) -> None:
    root = tmp_project.root
    _add_failing_migration(root)
    _set_runner(root, transaction_mode="per_migration")
    result = cli("--project", str(root), "apply", "--with-platform-stub", "--database-url", empty_db)
    assert result.exit_code == 2
    applied = _ledger(empty_db)
    assert FAILING not in applied and len(applied) == _count(tmp_project) - 1  # all but the failing one


def test_rehearsal_runs_everything_and_keeps_nothing(tmp_project: Project, empty_db: str) -> None:
    before = _ours(empty_db)
    result = cli("--project", str(tmp_project.root), "apply", "--with-platform-stub", "--rehearse",
                 "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    assert f"rehearsed {_count(tmp_project)} migration(s)" in result.stdout and "rolled back" in result.stdout
    assert _ledger(empty_db) == [] and _ours(empty_db) == before


def test_rehearsal_catches_what_preflight_cannot(tmp_project: Project, empty_db: str) -> None:
    root = tmp_project.root
    _add_failing_migration(root)
    before = _ours(empty_db)
    result = cli("--project", str(root), "apply", "--with-platform-stub", "--rehearse", "--database-url", empty_db)
    assert result.exit_code == 2 and "division by zero" in result.stderr
    assert _ledger(empty_db) == [] and _ours(empty_db) == before


def test_a_held_lock_times_out_retries_and_names_the_blocker(tmp_project: Project, empty_db: str) -> None:
    root = tmp_project.root
    assert cli("--project", str(root), "apply", "--with-platform-stub", "--to", "20250101000100",
               "--database-url", empty_db).exit_code == 0
    _set_runner(root, statement_lock_timeout_ms=300, lock_retry_budget_seconds=1.5)
    before = _ours(empty_db)
    with psycopg.connect(empty_db, application_name="blocking-reader") as blocker:
        blocker.execute("LOCK TABLE public.clients IN ROW EXCLUSIVE MODE")  # an open client edit
        blocker.execute("SELECT 'a long client import'")
        writer_waits: list[float] = []

        def platform_write() -> None:  # a client edit while the deploy waits for its lock
            time.sleep(0.8)
            started = time.monotonic()
            with psycopg.connect(empty_db, autocommit=True) as conn:
                conn.execute("INSERT INTO public.organizations (name, slug) VALUES ('w', 'w-lock')")
            writer_waits.append(time.monotonic() - started)

        writer = threading.Thread(target=platform_write)
        writer.start()
        started = time.monotonic()
        result = cli("--project", str(root), "apply", "--database-url", empty_db)
        elapsed = time.monotonic() - started
        writer.join()
        pid = blocker.info.backend_pid
        blocker.rollback()
    assert result.exit_code == 2, result.output
    assert "a lock was not granted within 0.3s" in result.stderr and f"pid {pid} (blocking-reader" in result.stderr
    assert "retry 1 in 0.5s after a lock timeout" in result.stderr
    assert elapsed < 10
    assert writer_waits and writer_waits[0] < 2.0
    assert _ours(empty_db) == before


def test_waiting_for_the_migration_lock_says_so(tmp_project: Project, empty_db: str) -> None:
    """main: preflight sat 40 s silent while another run held the lock."""
    from healthschema.pg import ledger

    _set_runner(tmp_project.root, lock_timeout_seconds=1.6)
    with ledger.migration_lock(empty_db, "healthschema_meta", 1):
        result = cli("--project", str(tmp_project.root), "apply", "--with-platform-stub", "--database-url", empty_db)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("waiting for the migration lock held by process ") for line in lines), lines
    assert lines[-1].startswith("error: process ") and "gave up after 1.6s" in lines[-1]


def test_deploy_rehearsal_verifies_and_policy_checks_then_keeps_nothing(
    tmp_project: Project, empty_db: str, tmp_path: Path,
) -> None:
    before = _ours(empty_db)
    result = cli("--project", str(tmp_project.root), "deploy", "--with-platform-stub", "--rehearse",
                 "--report", str(tmp_path / "rehearsal"), "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    assert (f"rehearsal: ok - {_count(tmp_project)} migration(s) applied in one transaction, verified "
            "(0 difference(s))") in result.stdout
    assert "access-matrix cells (0 differing), then rolled back: nothing changed" in result.stdout
    assert _ledger(empty_db) == [] and _ours(empty_db) == before
