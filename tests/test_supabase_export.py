"""``healthschema export --supabase DIR``: Supabase CLI layout, the rendered SQL byte for byte after the
preamble, no platform stub; and the exported files, run as ``supabase db push`` runs them (each file in
one transaction), build the same schema as ``healthschema apply``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg

from healthschema import operations
from healthschema.files.migration_files import read_all
from healthschema.files.project import HEALTH, PLATFORM_STUB, Project
from healthschema.generate.supabase_export import LAYOUT, export_supabase, preamble
from healthschema.pg import disposable
from tests.conftest import Servers
from tests.helpers import cli, user_objects


def test_layout_names_and_contents_match_the_rendered_files(project: Project, tmp_path: Path) -> None:
    result = cli("export", "--supabase", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["files"]
    health = [f for f in read_all(project) if f.set_name == HEALTH]
    exported = sorted((tmp_path / LAYOUT).iterdir())
    assert [p.name for p in exported] == [f.path.name for f in health] == [Path(x["path"]).name for x in listed]
    assert all(re.fullmatch(r"\d{14}_[a-z0-9_]+\.sql", p.name) for p in exported)
    for file, path in zip(health, exported, strict=True):
        text = path.read_text(encoding="utf-8")
        assert text == preamble(project, file) + file.path.read_text(encoding="utf-8")
        assert file.checksum in text.splitlines()[0] and "SET lock_timeout = '5000ms';" in text
    stub_names = {f.path.name for f in read_all(project) if f.set_name == PLATFORM_STUB}
    assert stub_names and not stub_names & {p.name for p in exported}
    again = cli("export", "--supabase", str(tmp_path))
    assert again.exit_code == 0 and "wrote" not in again.stdout and again.stdout.count("unchanged") == len(health)


def test_refuses_non_transactional_migrations_and_version_clashes(tmp_project: Project, tmp_path: Path) -> None:
    target = tmp_path / LAYOUT
    target.mkdir(parents=True)
    (target / "20250901000100_someone_elses.sql").write_text("SELECT 1;\n", encoding="utf-8")
    result = cli("--project", str(tmp_project.root), "export", "--supabase", str(tmp_path))
    assert result.exit_code == 2 and "20250901000100_someone_elses.sql" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["20250901000100_someone_elses.sql"]  # nothing written
    extra = tmp_project.migrations_dir / "20990101000000_concurrent.sql"
    extra.write_text("-- transactional: false\nCREATE INDEX CONCURRENTLY x ON public.clients (id);\n", encoding="utf-8")
    result = cli("--project", str(tmp_project.root), "export", "--supabase", str(tmp_path / "other"))
    assert result.exit_code == 2 and "20990101000000_concurrent" in result.output
    assert not (tmp_path / "other").exists()


def test_exported_files_build_the_same_schema_as_apply(
    servers: Servers, project: Project, tmp_path: Path
) -> None:
    primary = servers.get("primary")
    files = export_supabase(project, tmp_path)
    with disposable.scratch_database(primary.url, f"export_push_{id(files)}") as pushed, \
            disposable.scratch_database(primary.url, f"export_apply_{id(files)}") as applied:
        stub = [f for f in read_all(project) if f.set_name == PLATFORM_STUB]
        operations.apply(project, pushed, to=stub[-1].id, with_platform_stub=True)
        with psycopg.connect(pushed) as conn:
            for exported in files:  # as supabase db push does: each file in one transaction
                conn.execute(exported.path.read_text(encoding="utf-8"))  # type: ignore[arg-type]
                conn.commit()
        operations.apply(project, applied, with_platform_stub=True)
        # Both have the stub's bookkeeping (the stub was applied by the runner); compare everything else.
        ours = [o for o in user_objects(applied) if o[1] != project.meta_schema]
        assert [o for o in user_objects(pushed) if o[1] != project.meta_schema] == ours
        assert len(ours) > 50


def test_export_requires_the_directory() -> None:
    result = cli("export")
    assert result.exit_code == 2 and "--supabase" in result.output
