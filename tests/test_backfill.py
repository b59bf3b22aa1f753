"""The back-fill phase (issue 9 items 1 and 5): the milestone back-fill runs after the DDL
transaction commits, in batches recorded in the ledger, never holding a writer-blocking lock on a
platform table; an interrupted back-fill resumes; the platform lock time does not depend on the
number of clients."""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from healthschema import operations
from healthschema.engine.backfill import BackfillResult
from healthschema.errors import RunInterrupted
from healthschema.files.project import Project, load_project
from tests.helpers import cli, query, scalar, user_objects

LAST_STUB = "20250101000100"
SEED = "20250901000400_milestone_template_seed"
TEMPLATES = 7  # active milestone templates in healthschema.toml


def set_runner(root: Path, **settings: object) -> Project:
    toml = root / "healthschema.toml"
    text = toml.read_text()
    for key, value in settings.items():
        line = f"{key} = {value}"
        if re.search(rf"(?m)^{key} = ", text):
            text = re.sub(rf"(?m)^{key} = .*$", line, text, count=1)
        else:
            text = text.replace("[runner]\n", f"[runner]\n{line}\n", 1)
    toml.write_text(text)
    return load_project(root)


def platform_with_clients(url: str, clients: int) -> None:
    """The platform stub only, then ``clients`` clients in three organizations."""
    assert cli("apply", "--with-platform-stub", "--to", LAST_STUB, "--database-url", url).exit_code == 0
    query(url, "INSERT INTO public.organizations (name, slug) "
               "SELECT 'o' || g, 'o-bf-' || g FROM generate_series(1, 3) g")
    query(url, "INSERT INTO public.clients (organization_id, first_name, wedding_date) "
               "SELECT (SELECT id FROM public.organizations ORDER BY id OFFSET mod(g, 3) LIMIT 1), 'c' || g, "
               "current_date + g FROM generate_series(1, %s) g", (clients,))


def _write_a_client(url: str) -> None:
    """A platform writer: edits a client and signs one up, waiting at most 1 s for any lock."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '1s'")
        conn.execute("UPDATE public.clients SET last_name = 'edited' "
                     "WHERE id = (SELECT id FROM public.clients ORDER BY id LIMIT 1)")
        conn.execute("INSERT INTO public.clients (organization_id, first_name) "
                     "SELECT id, 'signed up during the back-fill' FROM public.organizations LIMIT 1")


@pytest.mark.parametrize("clients", [30, 120])
def test_backfill_runs_after_commit_without_platform_locks(tmp_project: Project, empty_db: str, clients: int) -> None:
    """main: the back-fill ran inside the DDL transaction, so the FK locks on clients/organizations/
    auth.users were held for as long as it took. Now the DDL commits first (the ledger shows the
    migrations from another session during the back-fill), each batch commits on its own, a
    platform writer is served between batches, and the same platform locks are held by the DDL
    whatever the number of clients."""
    project = set_runner(tmp_project.root, backfill_batch_size=25)
    platform_with_clients(empty_db, clients)
    seen: list[tuple[int, int, int]] = []

    def during(result: BackfillResult) -> None:
        committed = scalar(empty_db, "SELECT count(*) FROM healthschema_meta.ledger WHERE migration_set = 'health'")
        _write_a_client(empty_db)  # would time out if the back-fill held the platform tables' locks
        milestones = scalar(empty_db, "SELECT count(*) FROM public.success_milestones")
        seen.append((result.batches_done, committed, milestones))

    result = operations.apply(project, empty_db, on_batch=during)
    batches = math.ceil(clients / 25)
    # One batch after another; a client signing up during the back-fill (one per batch, below) whose
    # id sorts after the batches' cursor is covered too, so there may be more batches than at the start.
    assert [b for b, _, _ in seen] == list(range(1, len(seen) + 1))
    assert len(seen) >= batches
    assert all(committed == 10 for _, committed, _ in seen)  # every DDL migration committed before batch 1
    # each batch committed its clients' milestones (clients signing up meanwhile may fall in a later batch)
    assert all(m >= min(clients, 25 * b) * TEMPLATES for b, _, m in seen)
    [filled] = result.backfills
    assert (filled.migration_id, filled.finished) == (SEED, True)
    assert filled.batches_done >= batches and filled.keys_this_run >= clients
    assert filled.platform_locks == []  # no batch held a writer-blocking lock on a platform table
    # The DDL's locks: the foreign keys' SHARE ROW EXCLUSIVE, the same at 30 and at 120 clients.
    assert result.platform_locks == ["auth.users (ShareRowExclusiveLock)", "public.clients (ShareRowExclusiveLock)",
                                     "public.organizations (ShareRowExclusiveLock)"]
    assert result.platform_lock_ms > 0
    # Every client that existed before has its milestones (one signing up during the back-fill gets
    # them from a later batch or from the scheduled call).
    assert scalar(empty_db, "SELECT count(*) FROM public.clients c WHERE c.first_name LIKE 'c%%' AND (SELECT count(*) "
                            "FROM public.success_milestones m WHERE m.client_id = c.id) <> %s", (TEMPLATES,)) == 0
    assert scalar(empty_db, "SELECT finished_at IS NOT NULL FROM healthschema_meta.backfill") is True


class _Stop(Exception):
    pass


def test_an_interrupted_backfill_resumes_where_it_stopped(tmp_project: Project, empty_db: str) -> None:
    project = set_runner(tmp_project.root, backfill_batch_size=10)
    platform_with_clients(empty_db, 45)

    def stop_after_two(result: BackfillResult) -> None:
        if result.batches_done == 2:
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted) as stopped:
        operations.apply(project, empty_db, on_batch=stop_after_two)
    assert stopped.value.exit_code == 130
    assert stopped.value.message == (
        "interrupted during the back-fill: DDL committed at version 20250901001000_dashboard_views_and_searches, "
        f"back-fill {SEED} 2 batch(es) (20 keys) done; re-run `healthschema apply` to resume")
    assert scalar(empty_db, "SELECT count(DISTINCT client_id) FROM public.success_milestones") == 20

    run = ("--project", str(project.root))
    status = cli(*run, "status", "--check", "--database-url", empty_db)
    assert status.exit_code == 1 and "partial (2 batch(es), 20 keys)" in status.stdout, status.output
    verify = cli(*run, "verify", "--database-url", empty_db)
    assert verify.exit_code == 1 and f"unfinished back-fill {SEED} (partial" in verify.stdout, verify.output

    resumed = operations.apply(project, empty_db)
    [filled] = resumed.backfills
    assert resumed.steps == []  # nothing of the DDL ran again
    assert (filled.batches_done, filled.keys_this_run, filled.keys_done, filled.finished) == (5, 25, 45, True)
    assert scalar(empty_db, "SELECT count(*) FROM public.success_milestones") == 45 * TEMPLATES
    assert scalar(empty_db, "SELECT count(*) FROM (SELECT client_id, template_id FROM public.success_milestones "
                            "GROUP BY 1, 2 HAVING count(*) > 1) AS d") == 0
    assert cli(*run, "verify", "--database-url", empty_db).exit_code == 0
    assert cli(*run, "status", "--check", "--database-url", empty_db).exit_code == 0


def test_a_failing_backfill_keeps_the_ddl_and_resumes(tmp_project: Project, empty_db: str) -> None:
    """A batch that fails (here: a client row locked by another session beyond the lock budget)
    keeps the DDL and the batches before it; apply says so and the next apply finishes."""
    project = set_runner(tmp_project.root, backfill_batch_size=10, statement_lock_timeout_ms=200,
                         lock_retry_budget_seconds=0.1)
    platform_with_clients(empty_db, 30)
    with psycopg.connect(empty_db) as holder:
        holder.execute("SELECT 1 FROM public.clients WHERE id = (SELECT id FROM public.clients ORDER BY id "
                       "OFFSET 15 LIMIT 1) FOR UPDATE")
        result = cli("--project", str(project.root), "apply", "--database-url", empty_db)
        assert result.exit_code == 2, result.output
        assert f"back-fill of {SEED}: a lock was not granted" in result.stderr
        assert "Traceback" not in result.output
    assert scalar(empty_db, "SELECT batches_done FROM healthschema_meta.backfill") == 1
    again = cli("--project", str(project.root), "apply", "--database-url", empty_db)
    assert again.exit_code == 0, again.output
    assert scalar(empty_db, "SELECT count(*) FROM public.success_milestones") == 30 * TEMPLATES


def test_rehearsal_runs_the_backfill_and_keeps_nothing(tmp_project: Project, empty_db: str) -> None:
    project = set_runner(tmp_project.root, backfill_batch_size=10)
    platform_with_clients(empty_db, 25)
    result = cli("--project", str(project.root), "deploy", "--rehearse", "--format", "json", "--database-url",
                 empty_db)
    assert result.exit_code == 0, result.output
    assert scalar(empty_db, "SELECT to_regclass('public.success_milestones')") is None
    # verify ran inside the rehearsal after the back-fill: an unfinished back-fill would be a problem
    assert '"problems": []' in result.stdout


def test_rollback_guard_counts_backfilled_rows_as_recreated(tmp_project: Project, empty_db: str) -> None:
    """The rollback trial re-runs the back-fill too: untouched back-filled milestones are not data loss."""
    project = set_runner(tmp_project.root, backfill_batch_size=7)
    platform_with_clients(empty_db, 20)
    operations.apply(project, empty_db)
    dry = cli("--project", str(project.root), "rollback", "--to", LAST_STUB, "--dry-run", "--format", "json",
              "--database-url", empty_db)
    assert dry.exit_code == 0, dry.output
    assert '"data_loss": []' in dry.stdout
    assert cli("--project", str(project.root), "rollback", "--to", LAST_STUB, "--database-url",
               empty_db).exit_code == 0
    assert scalar(empty_db, "SELECT count(*) FROM healthschema_meta.backfill") == 0


# --- Ctrl-C (issue 9 item 10): a real process, a real lock, a real SIGINT ----------------------------

def _interrupt_when_waiting(args: list[str], url: str, ready: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI, wait until one of its sessions waits for a lock and ``ready`` (SQL) is true,
    send SIGINT; returns the finished process."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.Popen([sys.executable, "-m", "healthschema", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            waiting = scalar(url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'healthschema' "
                                  "AND wait_event_type = 'Lock' AND datname = current_database()")
            if waiting and scalar(url, ready):
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _ledger(url: str) -> list[str]:
    return [r[0] for r in query(url, "SELECT migration_id FROM healthschema_meta.ledger ORDER BY 1")]


def test_ctrl_c_while_the_ddl_waits_for_a_lock_commits_nothing(tmp_project: Project, empty_db: str) -> None:
    """main: SIGINT exited 130 with a line that did not say where the database is."""
    project = set_runner(tmp_project.root, statement_lock_timeout_ms=60000)
    platform_with_clients(empty_db, 5)
    before, objects = _ledger(empty_db), user_objects(empty_db)
    with psycopg.connect(empty_db) as holder:
        holder.execute("LOCK TABLE public.clients IN ROW EXCLUSIVE MODE")  # an open platform write
        done = _interrupt_when_waiting(["--project", str(project.root), "apply", "--database-url", empty_db],
                                       empty_db, "SELECT true")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "error: interrupted: nothing committed; the database is at version 20250101000100_platform_tables")
    assert _ledger(empty_db) == before and user_objects(empty_db) == objects


def test_ctrl_c_during_the_backfill_says_what_is_committed(tmp_project: Project, empty_db: str) -> None:
    project = set_runner(tmp_project.root, statement_lock_timeout_ms=60000, backfill_batch_size=10)
    platform_with_clients(empty_db, 30)
    with psycopg.connect(empty_db) as holder:  # a platform session holding the 16th client's row
        holder.execute("SELECT 1 FROM public.clients WHERE id = (SELECT id FROM public.clients ORDER BY id "
                       "OFFSET 15 LIMIT 1) FOR UPDATE")
        done = _interrupt_when_waiting(
            ["--project", str(project.root), "apply", "--database-url", empty_db], empty_db,
            "SELECT to_regclass('healthschema_meta.backfill') IS NOT NULL "
            "AND (SELECT batches_done FROM healthschema_meta.backfill) = 1")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "error: interrupted during the back-fill: DDL committed at version "
        f"20250901001000_dashboard_views_and_searches, back-fill {SEED} 1 batch(es) (10 keys) done; "
        "re-run `healthschema apply` to resume")
    assert scalar(empty_db, "SELECT count(DISTINCT client_id) FROM public.success_milestones") == 10
    assert cli("--project", str(project.root), "apply", "--database-url", empty_db).exit_code == 0
    assert scalar(empty_db, "SELECT count(DISTINCT client_id) FROM public.success_milestones") == 30
