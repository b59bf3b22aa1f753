"""Rendering: golden files, determinism, strictness and `render --check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthschema.errors import TemplateError
from healthschema.files import render
from healthschema.files.project import Project, load_project
from tests.helpers import cli

GOLDEN = Path(__file__).parent / "data" / "golden"


def test_golden_project_renders_exactly_the_expected_files() -> None:
    rendered = render.render_project(load_project(GOLDEN / "project"))
    assert [f.path.name for f in rendered] == sorted(p.name for p in (GOLDEN / "expected").iterdir())
    for item in rendered:
        assert item.text == (GOLDEN / "expected" / item.path.name).read_text(encoding="utf-8"), item.path.name


def test_rendering_is_deterministic(project: Project) -> None:
    first = render.render_project(project)
    second = render.render_project(project)
    assert [(f.path, f.text) for f in first] == [(f.path, f.text) for f in second]
    assert first, "the project renders at least one migration"


def test_repository_migrations_match_templates(project: Project) -> None:
    assert render.differences(project) == []
    result = cli("--project", str(project.root), "render", "--check")
    assert result.exit_code == 0, result.output


def test_render_check_detects_a_hand_edit(tmp_project: Project) -> None:
    target = sorted(tmp_project.migrations_dir.glob("*_health_config.sql"))[0]
    target.write_text(target.read_text() + "\n-- sneaky edit\n")
    result = cli("--project", str(tmp_project.root), "render", "--check")
    assert result.exit_code == 1
    assert f"differs: migrations/{target.name}" in result.stdout
    assert "sneaky edit" in target.read_text(), "--check must not rewrite files"
    assert cli("--project", str(tmp_project.root), "render").exit_code == 0
    assert render.differences(tmp_project) == []


def test_render_check_detects_stale_and_missing_files(tmp_project: Project) -> None:
    stale = tmp_project.migrations_dir / "20991231000000_stale.sql"
    stale.write_text("SELECT 1;\n")
    missing = sorted(tmp_project.migrations_dir.glob("*.rollback.sql"))[0]
    missing.unlink()
    assert set(render.differences(tmp_project)) == {stale, missing}
    render.write_rendered(tmp_project)
    assert not stale.exists() and missing.exists()


def test_undefined_variable_names_template_and_line(tmp_project: Project) -> None:
    bad = tmp_project.health.templates / "20991231000000_bad.sql.j2"
    bad.write_text("SELECT 1;\nSELECT {{ no_such_variable }};\n")
    with pytest.raises(TemplateError, match=r"20991231000000_bad\.sql\.j2:2: 'no_such_variable' is undefined"):
        render.render_project(tmp_project)
    result = cli("--project", str(tmp_project.root), "render")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no_such_variable" in result.stderr


def test_badly_named_template_is_rejected(tmp_project: Project) -> None:
    (tmp_project.health.templates / "add_things.sql.j2").write_text("SELECT 1;\n")
    with pytest.raises(TemplateError, match="14-digit"):
        render.render_project(tmp_project)


def test_installed_copy_is_found_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    from healthschema.files.project import find_root, packaged_root

    assert find_root() == packaged_root()
    shutil.copy(GOLDEN / "project" / "healthschema.toml", tmp_path)
    assert find_root() == tmp_path
