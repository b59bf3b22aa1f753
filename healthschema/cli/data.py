"""``seed``, ``refresh``, ``bench``, ``schedule``: demo/benchmark data, the health refresh job, SPEC §6,
and the refresh job as a pg_cron job."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from healthschema import operations
from healthschema.cli.common import DatabaseUrl, Format, OutputFormat, emit, state
from healthschema.errors import ConfigError
from healthschema.files.migration_files import platform_stub, read_all
from healthschema.pg.connect import mask_url
from healthschema.workload import bench, chart, refresh, seed
from healthschema.workload import schedule as refresh_schedule

err = Console(stderr=True)
# Tables stay unwrapped when piped (a file or CI log has no terminal width).
out = Console(width=None if sys.stdout.isatty() else 200)

Scale = Annotated[int, typer.Option("--scale", help="customer_health rows; the other tables follow in proportion.")]


@contextmanager
def _steps(total: int | None, title: str) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr; the callback advances it by one step and names the step."""
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(title, total=total)

        def step(label: str) -> None:
            bar.update(task, description=f"{title}: {label}", advance=1)

        yield step
        bar.update(task, description=f"{title}: done", completed=total or 1, total=total or 1)


def seed_cmd(ctx: typer.Context, scale: Scale = 10_000, database_url: DatabaseUrl = "",
             if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing (exit 0) when data exists.")]
             = False) -> None:
    """Load demo/benchmark data: SCALE customer_health rows (50 weekly snapshots per client, the
    last one current), organizations with skewed sizes, milestones, interactions, activity."""
    project = state(ctx).project()
    seed.validate_scale(scale)
    url = database_url
    err.print(f"database: {mask_url(url)}")
    if if_empty and seed.has_data(url, project.app_schema):
        out.print("the database already holds customer_health rows; nothing seeded (--if-empty)")
        return
    with _steps(len(seed.STEPS) + 1, "seed") as step:
        report = seed.seed(url, scale, app=project.app_schema, private=project.private_schema, progress=step)
    table = Table("table", "rows", title=f"seeded in {report.seconds:.1f} s")
    for name in ("organizations", "clients", "customer_health", "success_milestones", "support_interactions",
                 "activity_logs"):
        table.add_row(name, f"{getattr(report, name):,}")
    out.print(table)


def refresh_cmd(ctx: typer.Context, database_url: DatabaseUrl = "",
                organization: Annotated[str | None, typer.Option("--organization", help="Only this organization (id).")]
                = None, fmt: OutputFormat = Format.text) -> None:
    """Run the health refresh job once: a new snapshot per client (or per client of one organization)."""
    project = state(ctx).project()
    refresh.validate_organization(organization)
    url = database_url
    err.print(f"database: {mask_url(url)}")
    with _steps(None, "refresh") as step:
        step("computing new snapshots")
        report = refresh.refresh(url, app=project.app_schema, private=project.private_schema,
                                 organization=organization)
    emit(fmt, report.to_dict(), lambda: _refresh_text(report))


def _refresh_text(report: refresh.RefreshReport) -> None:
    out.print(f"{report.snapshots:,} snapshots written in {report.seconds:.2f} s "
              f"({report.clients_per_s:,.0f} clients/s)")
    statuses = Table("health status", "clients", "avg score", title="current snapshots")
    for s in report.statuses:
        statuses.add_row(s.status, f"{s.clients:,}", f"{s.avg_score:.1f}")
    out.print(statuses)
    at_risk = Table("organization", "client", "score", "status", "churn risk", "days inactive",
                    title=f"{len(report.at_risk)} clients most at risk")
    for a in report.at_risk:
        at_risk.add_row(a.organization, a.client, f"{a.score:.1f}", a.status, f"{a.churn_risk:.0f}",
                        str(a.days_inactive))
    out.print(at_risk)


def _bench_table(report: bench.BenchReport, small: bench.BenchReport | None) -> Table:
    table = Table("query", "persona", "p50 ms", "p95 ms", "persona p95", "rls ratio", "rows", "index (persona plan)",
                  *(["p95 @ " + f"{small.scale:,}"] if small else []),
                  title=f"dashboard catalog at {report.scale:,} customer_health rows "
                        f"(PostgreSQL {report.server_version})")
    smaller = {q.name: q for q in small.queries} if small else {}
    for q in report.queries:
        flag = "" if q.documented_index in q.index.split(",") else " (≠ documented)"
        extra = [f"{smaller[q.name].p95_ms:.2f}"] if small and q.name in smaller else ([""] if small else [])
        table.add_row(q.name, q.persona, f"{q.p50_ms:.2f}", f"{q.p95_ms:.2f}", f"{q.persona_p95_ms:.2f}",
                      f"{q.rls_ratio:.2f}", str(q.rows), q.index + flag, *extra)
    return table


def bench_cmd(ctx: typer.Context, scale: Scale = 20_000, database_url: DatabaseUrl = "",
              fmt: OutputFormat = Format.text,
              compare_scale: Annotated[int, typer.Option(
                  "--compare-scale", help="Second, smaller scale for the chart (default scale/10; 0: none).")] = -1,
              chart_path: Annotated[Path, typer.Option("--chart", help="PNG chart of p95 per query.")]
              = Path("bench-p95.png"),
              iterations: Annotated[int, typer.Option("--iterations", min=1, help="Timed runs per query and role.")]
              = bench.ITERATIONS) -> None:
    """Benchmark (SPEC §6) on a scratch database of the server: seed SCALE rows, time every
    dashboard-catalog query as its persona and as service_role, trigger overhead, row versions per
    snapshot, refresh throughput, seed time, the writer stall during an online index build, and a
    deploy's platform-table lock time and post-commit back-fill rate at two client counts."""
    project = state(ctx).project()
    seed.validate_scale(scale)
    url = database_url
    err.print(f"server: {mask_url(url)} (the benchmark uses its own scratch database and drops it)")
    small_scale = scale // 10 if compare_scale < 0 else compare_scale
    def prepare(scratch: str) -> object:
        return operations.apply(project, scratch, with_platform_stub=True, check=False)

    def deploy(scratch: str, stub_only: bool) -> operations.RunResult:
        return operations.apply(project, scratch, with_platform_stub=stub_only, check=False,
                                to=platform_stub(read_all(project))[-1].version if stub_only else None)

    with _steps(None, f"bench {scale:,}") as step:
        report = bench.run(url, scale, project, prepare, progress=step, iterations=iterations, deploy=deploy)
    small = None
    if small_scale > 0:
        with _steps(None, f"bench {small_scale:,} (chart)") as step:
            small = bench.run(url, small_scale, project, prepare, progress=step, full=False, iterations=iterations)
    runs = {report.scale: report.queries, **({small.scale: small.queries} if small else {})}
    png = chart.p95_chart(runs, chart_path)
    err.print(f"chart: {png}")
    emit(fmt, report.to_dict(), lambda: _bench_text(report, small))


def _bench_text(report: bench.BenchReport, small: bench.BenchReport | None) -> None:
    out.print(_bench_table(report, small))
    summary = Table("figure", "value", "target", title="summary")
    summary.add_row("rls_ratio_max", f"{report.rls_ratio_max:.2f}", "≤ 1.5")
    summary.add_row("trigger_overhead_ratio", f"{report.trigger_overhead_ratio:.2f}", "≤ 1.5")
    summary.add_row("extra_row_versions_per_snapshot", f"{report.extra_row_versions_per_snapshot:.2f}", "≤ 1")
    summary.add_row("refresh_clients_per_s", f"{report.refresh_clients_per_s:,.0f}", "≥ 20,000")
    summary.add_row("seed_seconds", f"{report.seed_seconds:.1f}", "≤ 90")
    summary.add_row("writer_stall_ms_max", f"{report.writer_stall_ms_max:.1f}", "< 200")
    summary.add_row("backfill_clients_per_s", f"{report.backfill_clients_per_s:,.0f}", "≥ 20,000")
    summary.add_row("platform_lock_ms_max", f"{report.platform_lock_ms_max:.1f}", "< 1,000")
    summary.add_row("max p95 ms (service_role)", f"{max(q.p95_ms for q in report.queries):.2f}", "< 10")
    out.print(summary)


def describe(item: refresh_schedule.Schedule) -> str:
    state_text = "active" if item.active else "inactive"
    return f"{refresh_schedule.JOB_NAME} '{item.cron}' ({state_text}, job {item.job_id}, runs as {item.username})"


def schedule_line(status: refresh_schedule.ScheduleStatus) -> str:
    """The ``status`` command's schedule line."""
    if status.schedule is not None:
        return describe(status.schedule)
    return "none" if status.pg_cron else "none (pg_cron is not installed in this database)"


def schedule_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    cron: Annotated[str | None, typer.Option(
        "--cron", help=f"When to run, as a cron expression (default '{refresh_schedule.DEFAULT_CRON}', GMT).",
    )] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the scheduled job.")] = False,
) -> None:
    """Schedule the health refresh job with pg_cron (job healthschema_refresh); idempotent."""
    if remove and cron is not None:
        raise ConfigError("use either --cron or --remove, not both")
    if cron is not None:
        refresh_schedule.validate_cron(cron)  # bad input fails before anything connects
    project = state(ctx).project()
    url = database_url
    typer.echo(f"target: {mask_url(url)}", err=True)
    result = refresh_schedule.unschedule(url) if remove else refresh_schedule.schedule(project, url, cron)
    if result.action == "absent":
        typer.echo(f"no {refresh_schedule.JOB_NAME} job was scheduled; nothing to remove")
    elif result.schedule is not None:
        typer.echo(f"{result.action}: {describe(result.schedule)}")
