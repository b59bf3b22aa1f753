"""Rollback safety: refuse to drop tables or columns holding rows unless --allow-data-loss."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator

import pytest
from typer.testing import Result

from healthschema import operations
from healthschema.checks import rollback_safety
from healthschema.files.project import Project, load_project
from healthschema.files.render import write_rendered
from healthschema.pg import disposable
from tests.conftest import Servers
from tests.helpers import REPO, cli, query, scalar, user_objects

_names = itertools.count()


def _add(project: Project, version: str, slug: str, forward: str, rollback: str) -> None:
    templates = project.health.templates
    (templates / f"{version}_{slug}.sql.j2").write_text(forward)
    (templates / f"{version}_{slug}.rollback.sql.j2").write_text(rollback)


@pytest.fixture(scope="module")
def safety_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The project plus two test migrations: a table with 3 seeded rows, and a column on it."""
    root = tmp_path_factory.mktemp("safety") / "project"
    root.mkdir()
    shutil.copy(REPO / "healthschema.toml", root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "migrations", root / "migrations")
    project = load_project(root)
    _add(project, "20991231000000", "notes",
         "CREATE TABLE public.safety_notes (id int PRIMARY KEY, body text);\n"
         "INSERT INTO public.safety_notes VALUES (1, 'seed'), (2, 'seed'), (3, 'seed');\n",
         "DROP TABLE public.safety_notes;\n")
    _add(project, "20991231000100", "notes_flag",
         "ALTER TABLE public.safety_notes ADD COLUMN flag text;\n",
         "ALTER TABLE public.safety_notes DROP COLUMN flag;\n")
    write_rendered(project)
    return project


@pytest.fixture
def tmp_project(safety_project: Project) -> Project:
    return safety_project


@pytest.fixture
def extra_db(pg: disposable.DisposableServer, servers: Servers, safety_project: Project) -> Iterator[str]:
    """A fresh database with everything, the two test migrations included, applied."""
    template = servers.template(servers.kind(pg), "tmpl_safety", lambda url: operations.apply(safety_project, url,
                                                                              with_platform_stub=True))
    with disposable.scratch_database(pg.url, f"safety_{os.getpid()}_{next(_names)}", template=template) as url:
        yield url


def _rollback(project: Project, url: str, *args: str) -> Result:
    return cli("--project", str(project.root), "rollback", "--database-url", url, *args)


def test_rows_a_migration_seeded_are_not_data_loss(tmp_project: Project, extra_db: str) -> None:
    result = _rollback(tmp_project, extra_db, "--steps", "2")
    assert result.exit_code == 0, result.output
    assert scalar(extra_db, "SELECT to_regclass('public.safety_notes')") is None


def test_column_holding_values_is_refused(tmp_project: Project, extra_db: str) -> None:
    query(extra_db, "UPDATE public.safety_notes SET flag = 'x' WHERE id <= 2")
    before = user_objects(extra_db)
    result = _rollback(tmp_project, extra_db)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: rollback would destroy data: column public.safety_notes.flag "
                                "(2 non-null value(s))")
    assert "--allow-data-loss" in lines[-1]
    assert user_objects(extra_db) == before
    assert scalar(extra_db, "SELECT count(flag) FROM public.safety_notes") == 2
    assert operations.status(tmp_project, extra_db).ids("pending") == []


def test_table_holding_rows_is_refused_and_counted(tmp_project: Project, extra_db: str) -> None:
    query(extra_db, "INSERT INTO public.safety_notes VALUES (4, 'user'), (5, 'user')")
    with pytest.raises(rollback_safety.DataLossError, match=r"table public\.safety_notes \(2 row\(s\)\)"):
        operations.rollback(tmp_project, extra_db, steps=2)
    assert scalar(extra_db, "SELECT count(*) FROM public.safety_notes") == 5


def test_dry_run_reports_the_loss_and_changes_nothing(tmp_project: Project, extra_db: str) -> None:
    query(extra_db, "INSERT INTO public.safety_notes VALUES (4, 'user')")
    before = user_objects(extra_db)
    result = _rollback(tmp_project, extra_db, "--steps", "2", "--dry-run")
    assert result.exit_code == 1, result.output  # as the real run, which refuses (issue 9 item 7)
    out = result.stdout
    assert "-- rollback: 20991231000100_notes_flag (dry run, not executed)" in out
    assert "DROP TABLE public.safety_notes;" in out
    assert "-- data loss: would drop table public.safety_notes (1 row(s))" in out
    assert user_objects(extra_db) == before


def test_allow_data_loss_rolls_back(tmp_project: Project, extra_db: str) -> None:
    query(extra_db, "INSERT INTO public.safety_notes VALUES (4, 'user')")
    result = _rollback(tmp_project, extra_db, "--steps", "2", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    assert scalar(extra_db, "SELECT to_regclass('public.safety_notes')") is None


def test_one_step_by_default(tmp_project: Project, extra_db: str) -> None:
    assert _rollback(tmp_project, extra_db).exit_code == 0
    assert operations.status(tmp_project, extra_db).ids("pending") == ["20991231000100_notes_flag"]


def test_a_rollback_that_would_fail_is_reported_before_running(tmp_project: Project, extra_db: str) -> None:
    query(extra_db, "CREATE VIEW public.safety_view AS SELECT flag FROM public.safety_notes")
    result = _rollback(tmp_project, extra_db)
    assert result.exit_code == 2
    assert "20991231000100_notes_flag would fail to roll back" in result.stderr
    assert scalar(extra_db, "SELECT to_regclass('public.safety_view') IS NOT NULL") is True
