"""The operations: status, apply, rollback and deploy, each one pipeline over the layers below.

apply, rollback and deploy share one shape: take the migration lock → read the ledger and compare it
with the files → plan → run the checks that plan needs (preflight before applying, rollback safety
before rolling back) → execute (each migration atomic with its ledger row). The engine
(:mod:`healthschema.engine`) only plans and executes; the checks (:mod:`healthschema.checks`) only
check; this module puts them in order. ``--dry-run`` takes no lock and changes nothing.

deploy runs preflight → apply under one lock, then verify → policy-check, stops at the first failure
and writes the report (:mod:`healthschema.files.deploy_report`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from healthschema.checks import policy_check, preflight, rollback_safety, verify
from healthschema.engine import backfill
from healthschema.engine.execute import LockSettings, Progress, execute, mark, no_progress
from healthschema.engine.plan import Step, apply_plan, rollback_plan
from healthschema.engine.platform_locks import PlatformLockMeter
from healthschema.errors import ConfigError, HealthschemaError, PreflightError, RunInterrupted
from healthschema.files.deploy_report import DeployReport, Stage, ensure_writable, write_report
from healthschema.files.migration_files import MigrationFile, health, read_all, resolve_version
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import ledger
from healthschema.schema import describe, model, snapshot


@dataclass(frozen=True)
class RunResult:
    steps: list[Step]
    dry_run: bool
    data_loss: list[rollback_safety.DataLoss] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a dry run's preflight problems (still shows the SQL)
    rehearsed: bool = False  # ran on the target and rolled back
    backfills: list[backfill.BackfillResult] = field(default_factory=list)  # the post-commit phase
    platform_lock_ms: float = 0.0  # longest writer-blocking hold on platform tables (docs/deploying.md)
    platform_locks: list[str] = field(default_factory=list)  # which tables and modes

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of apply / rollback (docs/ci.md)."""
        return {
            "direction": self.steps[0].direction if self.steps else None, "dry_run": self.dry_run,
            "rehearsed": self.rehearsed,
            "migrations": [{"id": s.migration.id, "set": s.migration.set_name, "duration_ms": s.duration_ms}
                           for s in self.steps],
            "backfills": [b.to_dict() for b in self.backfills],
            "platform_lock_ms": self.platform_lock_ms, "platform_locks": self.platform_locks,
            "data_loss": [{"schema": d.schema, "table": d.table, "column": d.column, "rows": d.rows,
                           "description": d.describe()} for d in self.data_loss],
            "problems": self.problems,
        }


def status(project: Project, url: str) -> ledger.StatusReport:
    """Applied, pending and modified migrations, and pending/partial back-fills. Read-only."""
    files = read_all(project)
    with db.connection(url) as conn:
        rows = ledger.read(conn, project.meta_schema)
        backfills = ledger.read_backfills(conn, project.meta_schema)
    return ledger.StatusReport(ledger.compare(files, rows), backfills)


def _lock(project: Project, url: str, dry_run: bool) -> Any:
    if dry_run:
        return nullcontext()
    return ledger.migration_lock(url, project.meta_schema, project.lock_timeout_seconds)


def _require_preflight(project: Project, url: str, with_platform_stub: bool, to: str | None) -> None:
    report = preflight.preflight(project, url, with_platform_stub, to)
    if not report.ok:
        raise PreflightError(
            f"preflight found {len(report.problems)} problem(s), nothing applied",
            hint="run `healthschema preflight` for details", problems=report.problems,
        )


def _apply_locked(
    project: Project, url: str, files: list[MigrationFile], *, to: str | None, dry_run: bool,
    with_platform_stub: bool, progress: Progress, rehearse: bool = False,
    inside: Callable[[db.Connection], None] | None = None, on_batch: backfill.OnBatch = backfill.no_batch,
) -> RunResult:
    """Plan and execute an apply; the caller holds the lock (unless dry-run) and ran the checks.
    (A rehearsal, too, creates the empty bookkeeping tables when they are missing: yoyo cannot
    create its own inside a transaction.) After the DDL commits, the back-fill phase runs every
    unfinished back-fill (this run's, or one an earlier run left partial)."""
    with db.connection(url, autocommit=not dry_run) as conn:
        if not dry_run:
            ledger.ensure(conn, project.meta_schema)
        rows = ledger.read(conn, project.meta_schema)
    ledger.reject_drift(files, rows)
    plan = apply_plan(files, rows, to, with_platform_stub)
    if dry_run:
        return RunResult([Step("apply", f) for f in plan], dry_run=True)
    meter = PlatformLockMeter(platform_tables(project))
    meter.keep_existing(url)
    with _interruptible(project, url, rows, "apply"):
        steps = execute(url, project.meta_schema, plan, "apply", progress,
                        lock_timeout_ms=project.statement_lock_timeout_ms, mode=project.runner.transaction_mode,
                        locks=lock_settings(project, meter), rehearse=rehearse, inside=inside)
        filled = [] if rehearse else backfill.run(url, project.meta_schema, batch_settings(project),
                                                  on_batch=on_batch, lock_check=meter.held_now)
    return RunResult(steps, dry_run=False, rehearsed=rehearse, backfills=filled, platform_lock_ms=meter.max_ms,
                     platform_locks=sorted(meter.held))


def platform_tables(project: Project) -> list[tuple[str, str]]:
    """The platform tables whose writers a deploy must not block for long (preflight's list)."""
    return [(schema, table) for schema, table, _ in preflight.required_tables(project)]


def lock_settings(project: Project, meter: PlatformLockMeter | None = None) -> LockSettings:
    runner = project.runner
    return LockSettings(project.statement_lock_timeout_ms / 1000, runner.statement_timeout_seconds,
                        runner.lock_retry_budget_seconds, runner.backfill_batch_size, meter)


def batch_settings(project: Project) -> backfill.BatchSettings:
    runner = project.runner
    return backfill.BatchSettings(runner.backfill_batch_size, project.statement_lock_timeout_ms / 1000,
                                  runner.statement_timeout_seconds, runner.lock_retry_budget_seconds)


def _ledger_before(project: Project, url: str) -> list[ledger.LedgerRow]:
    """The ledger as a run starts (what an interruption is compared with); empty when it cannot be
    read: preflight then reports why (no connection, no privilege)."""
    try:
        return ledger.read_url(url, project.meta_schema)
    except HealthschemaError:
        return []


@contextmanager
def _interruptible(project: Project, url: str, before: list[ledger.LedgerRow], verb: str) -> Iterator[None]:
    """Ctrl-C → :class:`RunInterrupted` saying what was and was not committed (the transaction in
    progress is rolled back by the server when the connection goes)."""
    try:
        yield
    except KeyboardInterrupt:
        raise RunInterrupted(ledger.describe_interruption(url, project.meta_schema, before, verb)) from None



def apply(
    project: Project, url: str, *, to: str | None = None, dry_run: bool = False,
    with_platform_stub: bool = False, progress: Progress = no_progress, check: bool = True,
    rehearse: bool = False, on_batch: backfill.OnBatch = backfill.no_batch,
) -> RunResult:
    """Apply pending migrations (up to ``to``) under the lock: by default all transactional ones in
    one transaction (``[runner] transaction_mode``). ``rehearse`` runs them on the target and rolls
    back: nothing changes.

    With ``check`` (the default) preflight runs first, while the lock is held, so that it never
    sees another run half-way; ``check=False`` skips it (scratch databases, tests of the engine).

    :raises PreflightError: preflight found problems; nothing was changed.
    :raises MigrationError: a migration failed (it left no trace) or an applied file changed.
    :raises LockTimeoutError: another run holds the lock.
    """
    files = read_all(project)
    if with_platform_stub:
        refuse_stub_on_supabase(url)
    before = [] if dry_run else _ledger_before(project, url)
    with _interruptible(project, url, before, "apply"), _lock(project, url, dry_run):
        if check and dry_run:
            # A dry run shows the SQL even when preflight finds problems, and lists them too.
            report = preflight.preflight(project, url, with_platform_stub, to)
            result = _apply_locked(project, url, files, to=to, dry_run=True,
                                   with_platform_stub=with_platform_stub, progress=progress)
            return RunResult(result.steps, dry_run=True, problems=report.problems)
        if check:
            _require_preflight(project, url, with_platform_stub, to)
        return _apply_locked(project, url, files, to=to, dry_run=dry_run,
                             with_platform_stub=with_platform_stub, progress=progress, rehearse=rehearse,
                             on_batch=on_batch)


def refuse_stub_on_supabase(url: str) -> None:
    """:raises ConfigError: the target is a Supabase database; the stub is for standalone PostgreSQL."""
    with db.connection(url) as conn:
        if preflight.is_supabase(conn):
            raise ConfigError(
                "this is a Supabase database (its roles and GoTrue's auth schema are present): the platform "
                "stub is only for standalone PostgreSQL and was not applied",
                hint="drop --with-platform-stub; if the platform has no activity_logs, set [variables.activity_source]",
            )


def rollback(
    project: Project, url: str, *, steps: int | None = None, to: str | None = None,
    all_: bool = False, dry_run: bool = False, progress: Progress = no_progress, allow_data_loss: bool = False,
) -> RunResult:
    """Roll back applied migrations: one by default, ``steps`` of them, all after ``to``, or all.

    The rollback-safety check runs on the plan before anything is executed (a dry run measures the
    data loss and reports it instead).

    :raises ConfigError: conflicting options or an unknown version.
    :raises MigrationError: a rollback failed (nothing of it was kept), or an applied migration has no file.
    :raises DataLossError: it would drop tables/columns holding rows, without ``allow_data_loss``.
    """
    files = read_all(project)
    with _lock(project, url, dry_run):
        rows = ledger.read_url(url, project.meta_schema)
        ledger.reject_missing(files, rows)  # a dry run refuses exactly as the real run does
        plan = rollback_plan(files, rows, steps, to, all_)
        if dry_run:
            loss = rollback_safety.measure(url, project.meta_schema, plan)
            return RunResult([Step("rollback", f) for f in plan], dry_run=True, data_loss=loss)
        loss = rollback_safety.check(url, project.meta_schema, plan, allow_data_loss)
        done = execute(url, project.meta_schema, plan, "rollback", progress, allow_data_loss,
                       project.statement_lock_timeout_ms, mode=project.runner.transaction_mode,
                       locks=lock_settings(project))
        return RunResult(done, dry_run=False, data_loss=loss)


# --- adopt -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdoptResult:
    """``recorded`` when the live catalog matched and the migrations were recorded as applied;
    otherwise ``differences`` says why nothing was recorded."""

    target: str
    migrations: list[str]
    differences: list[str]

    @property
    def recorded(self) -> bool:
        return not self.differences


def adopt(project: Project, url: str, *, to: str | None = None) -> AdoptResult:
    """Baseline a hand-applied schema: record the health migrations up to ``to`` (default all) as
    applied, without running them, only if the live catalog matches their expected snapshot exactly.

    :raises ConfigError: the ledger already records migrations, the snapshot is stale, or ``to`` is unknown.
    """
    files = health(read_all(project))
    if to is not None:
        files = files[: files.index(resolve_version(files, to)) + 1]
    snap = snapshot.load(project)
    verify.require_current(snap, files)
    with ledger.migration_lock(url, project.meta_schema, project.lock_timeout_seconds):
        with db.connection(url) as conn:
            rows = ledger.read(conn, project.meta_schema)
            if rows:
                raise ConfigError(
                    f"{project.meta_schema}.ledger already records {len(rows)} migration(s): adopt is for a "
                    "database whose schema was applied without healthschema", hint="use `healthschema verify`")
            ids = [f.id for f in files]
            live = describe.describe(conn, (project.meta_schema,))
            expected = snapshot.expected_after(snap, ids)
            changes = verify.compare(expected, snapshot.removed_by(snap, ids), snapshot.created_by(snap, ids), live)
            target = verify.describe_target(conn)
        if not changes:
            with db.connection(url, autocommit=True) as conn:
                ledger.ensure(conn, project.meta_schema)
            mark(url, project.meta_schema, files)
    return AdoptResult(target, [f.id for f in files], [c.describe() for c in changes])


# --- deploy ----------------------------------------------------------------------------------------

def _run(report: DeployReport, name: str, action: Callable[[Stage], bool]) -> bool:
    started = time.perf_counter()
    stage = Stage(name, "ok")
    report.stages.append(stage)
    try:
        return action(stage)
    except RunInterrupted as exc:
        stage.status, report.error = "interrupted", f"{name}: {exc.message}"
        raise
    except HealthschemaError as exc:
        stage.status, report.error = "error", f"{name}: {exc.message}"
        return False
    finally:
        stage.duration_ms = round((time.perf_counter() - started) * 1000)


def _preflight_stage(project: Project, url: str, stub: bool, report: DeployReport) -> Callable[[Stage], bool]:
    def action(stage: Stage) -> bool:
        result = preflight.preflight(project, url, stub)
        report.server_version = result.server_version
        stage.summary = f"PostgreSQL {result.server_version}; {len(result.problems)} problem(s)"
        if not result.ok:
            stage.status = "failed"
            report.problems += result.problems
        return result.ok
    return action


def _rehearsal_stage(project: Project, url: str, stub: bool, report: DeployReport) -> Callable[[Stage], bool]:
    """apply → verify → access matrix inside one transaction on the target, then rolled back."""
    def action(stage: Stage) -> bool:
        found: dict[str, Any] = {}

        def check(conn: db.Connection) -> None:
            found["verify"] = verify.verify_connection(project, conn)
            found["matrix"] = list(policy_check.run_matrix(conn, project.app_schema))

        result = _apply_locked(project, url, read_all(project), to=None, dry_run=False, with_platform_stub=stub,
                               progress=no_progress, rehearse=True, inside=check)
        checked: verify.VerifyReport | None = found.get("verify")
        cells: list[policy_check.CellResult] = found.get("matrix", [])
        differing = [c for c in cells if not c.ok]
        problems = (checked.problems() if checked is not None else []) + [
            f"policy-check (rehearsed): {c.persona} {c.command} {c.table}: expected {c.expected}, got {c.actual}"
            for c in differing]
        stage.summary = (f"{len(result.steps)} migration(s) applied in one transaction, verified "
                         f"({len(checked.problems()) if checked else 0} difference(s)), {len(cells)} access-matrix "
                         f"cells ({len(differing)} differing), then rolled back: nothing changed")
        report.problems += problems
        if problems:
            stage.status = "failed"
        return not problems
    return action


def _apply_stage(project: Project, url: str, stub: bool, report: DeployReport) -> Callable[[Stage], bool]:
    def action(stage: Stage) -> bool:
        result = _apply_locked(project, url, read_all(project), to=None, dry_run=False,
                               with_platform_stub=stub, progress=no_progress)
        this_run = {step.migration.id for step in result.steps}
        rows = ledger.read_url(url, project.meta_schema)
        report.migrations = [
            {"id": row.migration_id, "set": row.migration_set, "checksum": row.checksum,
             "duration_ms": row.duration_ms, "applied_at": row.applied_at.isoformat(),
             "applied_in_this_run": row.migration_id in this_run}
            for row in rows
        ]
        report.backfills = [b.to_dict() for b in result.backfills]
        report.platform_lock_ms = result.platform_lock_ms
        report.platform_locks = result.platform_locks
        stage.summary = (f"{len(result.steps)} migration(s) applied, {len(rows)} in the ledger; platform tables "
                         f"locked against writers {result.platform_lock_ms:g} ms"
                         + "".join(f"; back-fill {b.migration_id}: {b.keys_this_run} key(s) in {b.batches_done} "
                                   f"batch(es), {b.keys_per_s:g}/s" for b in result.backfills))
        return True
    return action


def _verify_stage(project: Project, url: str, report: DeployReport) -> Callable[[Stage], bool]:
    def action(stage: Stage) -> bool:
        result = verify.verify(project, url)
        counts = result.counts()
        expected = model.build(result.expected)
        index_counts = dict(sorted(expected.index_counts().items()))
        tables = [t for t in expected.tables if t.kind == "table"]
        report.verified = {
            "tables": len(tables), "indexes": sum(c["indexes"] for c in index_counts.values()),
            "indexes_by_table": index_counts, "policies": counts["policy"], "triggers": counts["trigger"],
            "functions": counts["function"], "columns": counts["column"], "constraints": counts["constraint"],
            "grants": counts["grant"], "pending": result.pending, "drift": len(result.problems()),
        }
        stage.summary = (f"{len(tables)} tables, {report.verified['indexes']} indexes (besides primary keys), "
                         f"{counts['policy']} policies, {counts['trigger']} triggers, {counts['function']} functions; "
                         f"{len(result.problems())} difference(s)")
        if not result.ok:
            stage.status = "failed"
            report.problems += result.problems()
        return result.ok
    return action


def _policy_check_stage(project: Project, url: str, report: DeployReport) -> Callable[[Stage], bool]:
    def action(stage: Stage) -> bool:
        result = policy_check.check_policies(url, schema=project.app_schema, private_schema=project.private_schema)
        report.access_matrix = result.to_dict()
        stage.summary = "access matrix as specified" if result.ok else "access matrix differs from SPEC §2.5"
        if not result.ok:
            stage.status = "failed"
            report.problems.append("policy-check: the access matrix differs from the specification")
        return bool(result.ok)
    return action


def deploy(
    project: Project, url: str, report_file: Path | None = None, *, with_platform_stub: bool = False,
    rehearse: bool = False,
) -> DeployReport:
    """Run the stages in order, stop at the first one that fails, and write the report.

    preflight and apply run under one migration lock (taken by the preflight stage, so that a lock
    timeout is reported as that stage's error); verify and policy-check after it is released.
    Never raises for a failed stage: the failure is in the returned report (``error`` when a stage
    could not run, ``problems`` when it found some).
    """
    if report_file is not None:
        ensure_writable(report_file)  # before anything changes: a report that cannot be written fails now
    if with_platform_stub:
        refuse_stub_on_supabase(url)
    report = DeployReport(database=db.mask_url(url), started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    before = _ledger_before(project, url)
    try:
        with _interruptible(project, url, before, "deploy"):
            _deploy_stages(project, url, report, with_platform_stub=with_platform_stub, rehearse=rehearse)
    finally:
        if report_file is not None:
            write_report(report, report_file)
    return report


def _deploy_stages(project: Project, url: str, report: DeployReport, *, with_platform_stub: bool,
                   rehearse: bool) -> None:
    with ExitStack() as lock:
        check = _preflight_stage(project, url, with_platform_stub, report)

        def locked_preflight(stage: Stage) -> bool:
            lock.enter_context(ledger.migration_lock(url, project.meta_schema, project.lock_timeout_seconds))
            return check(stage)

        if rehearse:
            _run(report, "preflight", locked_preflight) and _run(
                report, "rehearsal", _rehearsal_stage(project, url, with_platform_stub, report))
            applied = False
        else:
            applied = (_run(report, "preflight", locked_preflight)
                       and _run(report, "apply", _apply_stage(project, url, with_platform_stub, report)))
    if applied and _run(report, "verify", _verify_stage(project, url, report)):
        _run(report, "policy-check", _policy_check_stage(project, url, report))
