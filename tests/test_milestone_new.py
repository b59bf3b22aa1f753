"""`healthschema milestone new`: validation (exit 2, nothing written), a new template pair from the
scaffold skeleton and its rendered migration, verbatim text, and — in a scratch copy of the
repository — apply with back-fill of existing clients, verify clean, and a rollback that removes
only untouched generated milestones unless --allow-data-loss."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from healthschema import operations
from healthschema.checks import verify
from healthschema.errors import ConfigError, DataLossError
from healthschema.files import migration_files, render
from healthschema.files.project import Project, load_project
from healthschema.generate import milestone
from healthschema.schema import snapshot
from tests.helpers import cli
from tests.schema_rows import new_client, new_org

NASTY = "Seating plan — it's \"done\"; DROP TABLE x; $$ $fn$ {{ x }} {% endraw %} \\ 🎉\nsecond line"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _new(project: Project, *args: str) -> tuple[int, str]:
    result = cli("--project", str(project.root), "milestone", "new", *args)
    return result.exit_code, result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--key", "Bad-Key", "--name", "x", "--category", "planning"], "invalid --key"),
    (["--key", "onboarding", "--name", "x", "--category", "planning"], "already exists"),
    (["--key", "k1", "--name", "x", "--category", "nope"], "unknown --category"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--type", "nope"], "unknown --type"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--priority", "urgent"], "unknown --priority"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--due", "wedding-90"], "invalid --due"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--due", "tomorrow"], "invalid --due"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--requires", "missing"], "no such milestone template"),
    (["--key", "k1", "--name", "x", "--category", "planning", "--requires", "k1"], "prerequisite cycle"),
    (["--key", "k1", "--name", "   ", "--category", "planning"], "must not be empty"),
    (["--key", "k1", "--name", "x" * 201, "--category", "planning"], "at most 200"),
    (["--key", "k1", "--name", "a\x00b", "--category", "planning"], "NUL"),
])
def test_invalid_input_is_exit_2_one_line_nothing_written(tmp_project: Project, args: list[str], message: str) -> None:
    before = _tree(tmp_project.root)
    code, output = _new(tmp_project, *args)
    assert code == 2
    assert output.count("\n") == 1 and message in output, output
    assert _tree(tmp_project.root) == before


def test_due_rules() -> None:
    assert milestone.parse_due("wedding-90d") == ("wedding_date", -90)
    assert milestone.parse_due("created+7d") == ("client_created", 7)
    assert milestone.parse_due("wedding") == ("wedding_date", 0)
    with pytest.raises(ConfigError):
        milestone.parse_due("created+7")


def test_dry_run_prints_the_files_and_writes_nothing(tmp_project: Project) -> None:
    before = _tree(tmp_project.root)
    code, output = _new(tmp_project, "--key", "seating", "--name", NASTY, "--category", "planning", "--dry-run")
    assert code == 0, output
    assert output.count("--- would write ") == 4
    assert "templates/health/" in output and "migrations/" in output
    assert "'Seating plan — it''s \"done\"; DROP TABLE x; $$ $fn$ {{ x }} {% endraw %} \\ 🎉\nsecond line'" in output
    assert _tree(tmp_project.root) == before


def test_writes_a_new_template_pair_and_migration_never_edits_existing(tmp_project: Project) -> None:
    before = _tree(tmp_project.root)
    code, output = _new(tmp_project, "--key", "seating", "--name", NASTY, "--category", "planning",
                        "--type", "seating_plan", "--due", "wedding-14d", "--requires", "guest_list",
                        "--critical-path", "--description", "50% of guests; 'quoted'")
    assert code == 0, output
    after = _tree(tmp_project.root)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing existing changed
    added = sorted(set(after) - set(before))
    assert len(added) == 4 and all("_milestone_seating" in name for name in added)
    assert render.differences(tmp_project) == []  # the rendered migration is what render produces
    values = milestone.known_templates(tmp_project)
    assert values["seating"] == ["guest_list"]
    forward = next(tmp_project.root / n for n in added if n.startswith("migrations/") and "rollback" not in n)
    assert forward.name > max(p.name for p in tmp_project.migrations_dir.glob("2025*.sql"))
    # A skeleton edit changes only templates created afterwards.
    skeleton = tmp_project.templates_dir / "_scaffold" / "milestone.sql.j2"
    skeleton.write_text(skeleton.read_text() + "-- edited skeleton\n")
    assert render.differences(tmp_project) == []
    code, output = _new(tmp_project, "--key", "seating", "--name", "again", "--category", "planning")
    assert code == 2 and "already exists" in output
    code, output = _new(tmp_project, "--key", "after_seating", "--name", "n", "--category", "planning",
                        "--requires", "seating")
    assert code == 0, output


def test_next_version_is_after_every_migration(project: Project) -> None:
    last = max(p.name[:14] for p in project.health.templates.glob("*.sql.j2"))
    after_last = (datetime.strptime(last, "%Y%m%d%H%M%S") + timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
    assert milestone.next_version(project, datetime(2020, 1, 1, tzinfo=UTC)) == after_last
    assert milestone.next_version(project, datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)) == "20300506070809"


def _rows(url: str, sql: str, params: object = None) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def test_applies_with_backfill_verifies_and_rolls_back_cleanly(
    tmp_project: Project, empty_db: str, pg: object,
) -> None:
    url = empty_db
    operations.apply(tmp_project, url, with_platform_stub=True)
    with psycopg.connect(url, autocommit=True) as conn:
        org = new_org(conn)
        clients = [new_client(conn, org) for _ in range(3)]
        new_client(conn, None)  # no organization: gets no milestones
    code, output = _new(tmp_project, "--key", "seating", "--name", NASTY, "--category", "planning",
                        "--type", "seating_plan", "--due", "created+10d", "--requires", "guest_list")
    assert code == 0, output
    project = load_project(tmp_project.root)
    snapshot.write_snapshot(project, server_url=pg.url)  # type: ignore[attr-defined]
    operations.apply(project, url)
    template = _rows(url, "SELECT id, milestone_name FROM public.milestone_templates WHERE template_key = 'seating'")
    assert [name for _, name in template] == [NASTY]
    generated = _rows(url, "SELECT m.client_id, m.milestone_name, m.target_completion_date - c.created_at::date,"
                           " m.prerequisite_milestone_ids = ARRAY(SELECT p.id FROM public.success_milestones p"
                           "   JOIN public.milestone_templates t ON t.id = p.template_id"
                           "  WHERE p.client_id = m.client_id AND t.template_key = 'guest_list')"
                           " FROM public.success_milestones m JOIN public.clients c ON c.id = m.client_id"
                           " WHERE m.template_id = %s", (template[0][0],))
    assert sorted(str(r[0]) for r in generated) == sorted(str(c) for c in clients)
    assert all(r[1] == NASTY and r[2] == 10 and r[3] is True for r in generated)
    assert verify.verify(project, url).ok

    operations.rollback(project, url)
    assert _rows(url, "SELECT count(*) FROM public.milestone_templates WHERE template_key = 'seating'") == [(0,)]
    assert _rows(url, "SELECT count(*) FROM public.success_milestones WHERE milestone_name = %s", (NASTY,)) == [(0,)]
    report = verify.verify(project, url)
    assert report.ok and report.pending == [milestone_id(project)]


def milestone_id(project: Project) -> str:
    return next(p.name.removesuffix(".sql.j2") for p in project.health.templates.glob("*_milestone_seating.sql.j2"))


def test_rollback_refuses_edited_milestones_unless_allowed(tmp_project: Project, empty_db: str, pg: object) -> None:
    url = empty_db
    operations.apply(tmp_project, url, with_platform_stub=True)
    with psycopg.connect(url, autocommit=True) as conn:
        org = new_org(conn)
        for _ in range(2):
            new_client(conn, org)
    assert _new(tmp_project, "--key", "seating", "--name", "Seating", "--category", "planning")[0] == 0
    project = load_project(tmp_project.root)
    snapshot.write_snapshot(project, server_url=pg.url)  # type: ignore[attr-defined]
    operations.apply(project, url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE public.success_milestones SET notes = 'called the couple' WHERE id = ("
                     " SELECT m.id FROM public.success_milestones m JOIN public.milestone_templates t"
                     " ON t.id = m.template_id WHERE t.template_key = 'seating' LIMIT 1)")
    count = "SELECT count(*) FROM public.success_milestones WHERE milestone_name = 'Seating'"
    planned = operations.rollback(project, url, dry_run=True)
    assert [loss.rows for loss in planned.data_loss] == [1]
    with pytest.raises(DataLossError, match="1 milestone"):
        operations.rollback(project, url)
    assert _rows(url, count) == [(2,)]
    assert milestone_id(project) in verify.verify(project, url).applied
    result = cli("--project", str(project.root), "rollback", "--database-url", url)
    assert result.exit_code == 2 and "--allow-data-loss" in result.output and result.output.count("\n") == 1
    operations.rollback(project, url, allow_data_loss=True)
    assert _rows(url, count) == [(0,)]
    assert _rows(url, "SELECT count(*) FROM public.milestone_templates WHERE template_key = 'seating'") == [(0,)]
    assert verify.verify(project, url).ok


def test_the_new_template_is_back_filled_after_the_ddl_commits(
    tmp_project: Project, empty_db: str, pg: object,
) -> None:
    """Before, the scaffold called instantiate_milestone_templates('key') inside the DDL
    transaction; now its migration is headed `-- backfill:` and the runner fills it in batches."""
    operations.apply(tmp_project, empty_db, with_platform_stub=True)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        org = new_org(conn)
        clients = [new_client(conn, org) for _ in range(3)]
    code, output = _new(tmp_project, "--key", "seating", "--name", "Seating", "--category", "planning",
                        "--requires", "guest_list")
    assert code == 0, output
    project = load_project(tmp_project.root)
    migration = next(m for m in migration_files.read_all(project) if m.id == milestone_id(project))
    assert migration.backfill == (project.private_schema, "backfill_seating")
    assert f"{project.private_schema}.instantiate_milestone_templates(" not in migration.sql
    snapshot.write_snapshot(project, server_url=pg.url)  # type: ignore[attr-defined]
    operations.apply(project, empty_db)
    ledger = _rows(empty_db, f"SELECT function_name, keys_done, finished_at IS NOT NULL"
                             f" FROM {project.meta_schema}.backfill WHERE migration_id = %s", (milestone_id(project),))
    assert ledger == [("backfill_seating", len(clients), True)]
    made = _rows(empty_db, "SELECT count(*) FROM public.success_milestones m JOIN public.milestone_templates t"
                           " ON t.id = m.template_id WHERE t.template_key = 'seating'")
    others = _rows(empty_db, "SELECT count(*) FROM public.success_milestones m JOIN public.milestone_templates t"
                             " ON t.id = m.template_id WHERE t.template_key <> 'seating'")
    assert made == [(len(clients),)] and others == [(0,)]  # this template only
