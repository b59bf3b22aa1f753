"""``milestone new``: a new milestone template as a NEW migration, never an edit of an applied one.

The seed templates of ``[[variables.milestone_templates]]`` are rendered into an applied migration,
so a new template cannot be appended there. :func:`plan` validates a :class:`MilestoneSpec`, then
builds a new template pair ``templates/health/<version>_milestone_<key>[.rollback].sql.j2`` — a
block of the spec's values as Jinja string literals (so any text is kept verbatim and never
executed: quotes, ``;``, ``$$``, ``{{``, unicode) followed by a frozen copy of the scaffold skeleton
``templates/_scaffold/milestone[.rollback].sql.j2`` — and the migrations it renders to. :func:`write`
writes those four files and nothing else. Like alembic's ``script.py.mako``, editing the skeleton
later changes only templates created after the edit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jinja2

from healthschema.errors import ConfigError
from healthschema.files import render
from healthschema.files.project import Project

KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
DUE = re.compile(r"^(?P<anchor>created|wedding)(?:(?P<sign>[+-])(?P<days>\d{1,4})d)?$")
ANCHORS = {"created": "client_created", "wedding": "wedding_date"}
SLUG_PREFIX = "milestone_"
VALUES_START = "{# milestone values: written by `healthschema milestone new`, stored verbatim #}"
VALUES_END = "{# end of milestone values #}"
NAME_MAX = 200


@dataclass(frozen=True)
class MilestoneSpec:
    key: str
    name: str
    category: str
    type: str = "custom"
    priority: str = "medium"
    due: str = "created+0d"
    requires: tuple[str, ...] = ()
    critical_path: bool = False
    description: str | None = None


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    text: str


@dataclass(frozen=True)
class MilestonePlan:
    migration_id: str
    values: dict[str, object]
    files: list[PlannedFile]


def parse_due(rule: str) -> tuple[str, int]:
    """``wedding-90d`` → ``('wedding_date', -90)``; ``created+7d`` → ``('client_created', 7)``.

    :raises ConfigError: not of that form.
    """
    match = DUE.match(rule.strip())
    if match is None:
        raise ConfigError(f"invalid --due {rule!r}",
                          hint="use created+Nd, created-Nd, wedding+Nd or wedding-Nd, e.g. wedding-90d")
    days = int(match["days"] or 0)
    return ANCHORS[match["anchor"]], -days if match["sign"] == "-" else days


def _scaffolded(project: Project) -> list[Path]:
    folder = project.health.templates
    return sorted(p for p in folder.glob(f"*_{SLUG_PREFIX}*.sql.j2") if ".rollback." not in p.name)


def values_of(text: str) -> dict[str, object]:
    """The values block of a scaffolded template (evaluated by Jinja, nothing else of it)."""
    start, end = text.find(VALUES_START), text.find(VALUES_END)
    if start < 0 or end < 0:
        return {}
    module = jinja2.Environment().from_string(text[start:end]).module
    found = getattr(module, "milestone", {})
    return dict(found) if isinstance(found, dict) else {}


def known_templates(project: Project) -> dict[str, list[str]]:
    """Every template key ever added (seed list and scaffolded templates) → its prerequisite keys."""
    known: dict[str, list[str]] = {}
    for seed in project.config.variables.milestone_templates or []:
        known[seed.template_key] = list(seed.prerequisite_keys)
    for path in _scaffolded(project):
        values = values_of(path.read_text(encoding="utf-8"))
        if "template_key" in values:
            requires = values.get("prerequisite_keys", [])
            known[str(values["template_key"])] = [str(k) for k in requires] if isinstance(requires, list) else []
    return known


def _cycle(graph: dict[str, list[str]], start: str) -> list[str] | None:
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node):], node]
        path.append(node)
        for nxt in graph.get(node, []):
            found = visit(nxt)
            if found:
                return found
        path.pop()
        return None

    return visit(start)


def _value_set(project: Project, name: str) -> list[str]:
    return list((project.config.variables.value_sets or {}).get(name, []))


def _check_choice(value: str, allowed: Iterable[str], option: str) -> None:
    allowed = list(allowed)
    if value not in allowed:
        raise ConfigError(f"unknown {option} {value!r}", hint="one of: " + ", ".join(allowed))


def _check_text(value: str | None, option: str, limit: int | None) -> None:
    if value is None:
        return
    if "\x00" in value:
        raise ConfigError(f"{option} contains a NUL character, which PostgreSQL text cannot store")
    if limit is not None and not value.strip():
        raise ConfigError(f"{option} must not be empty")
    if limit is not None and len(value) > limit:
        raise ConfigError(f"{option} is {len(value)} characters long; at most {limit}")


def validate(project: Project, spec: MilestoneSpec) -> dict[str, object]:
    """The template row's values for ``spec``.

    :raises ConfigError: invalid key, duplicate key, unknown category/type/priority, missing
        prerequisite, a prerequisite cycle, bad due rule or text.
    """
    if not KEY.match(spec.key):
        raise ConfigError(f"invalid --key {spec.key!r}",
                          hint="lower-case snake_case starting with a letter, at most 60 characters")
    known = known_templates(project)
    if spec.key in known:
        raise ConfigError(f"milestone template {spec.key!r} already exists", hint="choose a new --key")
    _check_text(spec.name, "--name", NAME_MAX)
    _check_text(spec.description, "--description", None)
    _check_choice(spec.category, _value_set(project, "milestone_category"), "--category")
    _check_choice(spec.type, _value_set(project, "milestone_type"), "--type")
    _check_choice(spec.priority, _value_set(project, "priority"), "--priority")
    anchor, offset = parse_due(spec.due)
    for required in spec.requires:
        if required != spec.key and required not in known:
            raise ConfigError(f"--requires {required!r}: no such milestone template",
                              hint="known: " + ", ".join(sorted(known)))
    cycle = _cycle({**known, spec.key: list(spec.requires)}, spec.key)
    if cycle:
        raise ConfigError("prerequisite cycle: " + " -> ".join(cycle))
    return {
        "template_key": spec.key, "milestone_name": spec.name, "milestone_description": spec.description,
        "milestone_type": spec.type, "milestone_category": spec.category, "priority": spec.priority,
        "due_anchor": anchor, "due_offset_days": offset, "prerequisite_keys": sorted(set(spec.requires)),
        "is_critical_path": spec.critical_path,
    }


def next_version(project: Project, now: datetime | None = None) -> str:
    """A UTC timestamp version later than every existing migration (so it applies last)."""
    moment = (now or datetime.now(UTC)).replace(microsecond=0, tzinfo=None)
    versions = [p.name[:14] for s in project.migration_sets for p in s.templates.glob("*.sql.j2")
                if render.TEMPLATE_NAME.match(p.name)]
    if versions and max(versions) >= moment.strftime("%Y%m%d%H%M%S"):
        moment = datetime.strptime(max(versions), "%Y%m%d%H%M%S") + timedelta(seconds=1)
    return moment.strftime("%Y%m%d%H%M%S")


def _jinja_literal(value: object) -> str:
    """A Jinja expression for ``value``: JSON, except that Jinja spells null ``none``."""
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _values_block(values: dict[str, object]) -> str:
    lines = [VALUES_START, "{% set milestone = {"]
    lines += [f"    {json.dumps(k)}: {_jinja_literal(v)}," for k, v in values.items()]
    return "\n".join([*lines, "} %}", VALUES_END]) + "\n"


def _skeleton(project: Project, rollback: bool) -> str:
    path = project.templates_dir / "_scaffold" / f"milestone{'.rollback' if rollback else ''}.sql.j2"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} does not exist", hint="restore the scaffold skeleton") from exc


def plan(project: Project, spec: MilestoneSpec, now: datetime | None = None) -> MilestonePlan:
    """Validate ``spec`` and build the files :func:`write` would write. Writes nothing.

    :raises ConfigError: invalid spec (see :func:`validate`).
    :raises TemplateError: the new templates do not render.
    """
    values = validate(project, spec)
    migration_id = f"{next_version(project, now)}_{SLUG_PREFIX}{spec.key}"
    block = _values_block(values)
    templates = [
        PlannedFile(project.health.templates / f"{migration_id}{suffix}.sql.j2",
                    block + _skeleton(project, bool(suffix)))
        for suffix in ("", ".rollback")
    ]
    env = render.environment(project)
    env.loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({f"health/{f.path.name}": f.text for f in templates}), env.loader or jinja2.BaseLoader(),
    ])
    rendered = [
        PlannedFile(project.health.migrations / f.path.name.removesuffix(".j2"),
                    render.render_template(env, f"health/{f.path.name}", project))
        for f in templates
    ]
    return MilestonePlan(migration_id, values, [*templates, *rendered])


def write(project: Project, milestone_plan: MilestonePlan) -> list[Path]:
    """Write the planned files (all new: an existing path is refused). Returns their paths.

    :raises ConfigError: a planned file already exists.
    """
    existing = [f.path for f in milestone_plan.files if f.path.exists()]
    if existing:
        raise ConfigError(f"{existing[0]} already exists", hint="run the command again for a new version")
    for file in milestone_plan.files:
        file.path.parent.mkdir(parents=True, exist_ok=True)
        file.path.write_text(file.text, encoding="utf-8")
    return [f.path for f in milestone_plan.files]
