"""Render ``templates/**.sql.j2`` + ``healthschema.toml`` into yoyo migration files.

Rendering is pure and deterministic: it reads files and returns text; only
:func:`write_rendered` touches the disk. Template names carry the migration version:
``<14-digit timestamp>_<slug>.sql.j2`` and its ``.rollback.sql.j2`` sibling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from healthschema.errors import TemplateError
from healthschema.files import column_rights, sqlquote
from healthschema.files.project import MigrationSet, Project
from healthschema.files.textfile import read_utf8

TEMPLATE_NAME = re.compile(r"^(?P<version>\d{14})_(?P<slug>[a-z0-9_]+)(?P<rollback>\.rollback)?\.sql\.j2$")
MIGRATION_NAME = re.compile(r"^(?P<version>\d{14})_(?P<slug>[a-z0-9_]+)(\.rollback)?\.sql$")
HEADER = (
    "-- Rendered by `healthschema render` from {template}.\n"
    "-- Do not edit: change the template or healthschema.toml and render again.\n"
)


@dataclass(frozen=True)
class RenderedFile:
    """One migration file as the templates produce it."""

    path: Path
    template: str
    text: str


def environment(project: Project) -> jinja2.Environment:
    """The Jinja environment: strict undefined, quoting filters, no autoescape."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(project.templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        ident=sqlquote.ident,
        literal=sqlquote.literal,
        jsonb=sqlquote.jsonb,
        qualified=lambda parts: sqlquote.qualified(*parts),
    )
    # The column-level UPDATE rights are data (files/column_rights.py); the RLS migration renders them.
    env.globals.update(qualified=sqlquote.qualified, access=column_rights.template_data())
    return env


def _template_names(migration_set: MigrationSet, templates_dir: Path) -> list[str]:
    if not migration_set.templates.is_dir():
        return []
    names = []
    for path in sorted(migration_set.templates.iterdir()):
        if path.name.startswith("_") or not path.name.endswith(".sql.j2"):
            continue
        if not TEMPLATE_NAME.match(path.name):
            raise TemplateError(
                f"template {path.name} is not named <14-digit version>_<slug>.sql.j2",
                hint="rename it, e.g. 20250901120000_add_milestones.sql.j2",
            )
        names.append(path.relative_to(templates_dir).as_posix())
    return names


def _render_one(env: jinja2.Environment, name: str, project: Project) -> str:
    match = TEMPLATE_NAME.match(Path(name).name)
    assert match is not None
    context = dict(project.variables)
    context["migration"] = {"version": match["version"], "slug": match["slug"]}
    try:
        body = env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        where = f"templates/{name}:{line}" if line else f"templates/{name}"
        raise TemplateError(f"{where}: {exc.message or exc}") from exc
    return HEADER.format(template=f"templates/{name}") + body.lstrip("\n")


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render-time error (Jinja rewrites tracebacks to template frames)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_project(project: Project) -> list[RenderedFile]:
    """Render every migration set; files come back sorted by path."""
    env = environment(project)
    rendered = []
    for migration_set in project.migration_sets:
        for name in _template_names(migration_set, project.templates_dir):
            target = migration_set.migrations / Path(name).name.removesuffix(".j2")
            rendered.append(RenderedFile(target, name, _render_one(env, name, project)))
    return sorted(rendered, key=lambda item: item.path)


def _existing_migration_files(project: Project) -> set[Path]:
    found: set[Path] = set()
    for migration_set in project.migration_sets:
        if migration_set.migrations.is_dir():
            found.update(
                path
                for path in migration_set.migrations.iterdir()
                if path.is_file() and MIGRATION_NAME.match(path.name)
            )
    return found


def differences(project: Project) -> list[Path]:
    """Migration files that differ from what the templates produce (changed, missing, extra)."""
    rendered = render_project(project)
    expected = {item.path: item.text for item in rendered}
    changed = [
        path
        for path, text in expected.items()
        if not path.is_file() or read_utf8(path) != text
    ]
    extra = _existing_migration_files(project) - expected.keys()
    return sorted([*changed, *extra])


def write_rendered(project: Project) -> list[Path]:
    """Render and write the migrations; remove stale ones. Returns the paths that changed."""
    changed = differences(project)
    rendered = {item.path: item.text for item in render_project(project)}
    for path in changed:
        if path in rendered:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rendered[path], encoding="utf-8")
        else:
            path.unlink()
    return changed


def render_template(env: jinja2.Environment, name: str, project: Project) -> str:
    """Render one template (``name`` relative to ``templates/``) as :func:`render_project` does."""
    return _render_one(env, name, project)
