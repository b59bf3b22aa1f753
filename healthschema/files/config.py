"""``healthschema.toml`` as declared types (pydantic v2).

:func:`load_config` reads and types the file; :class:`ProjectConfig` is its content. Templates get
the typed ``[variables]`` through :meth:`Variables.template_context` (the values as written, typed,
nothing added). Variables the toolkit does not know are kept (``extra="allow"``), so a project may
define its own for its own templates.

Validation rules (value ranges, weights summing to 1, unknown template keys, cycles, identifiers,
...) belong here, as ``field_validator`` / ``model_validator`` methods on these models, so that
every command validates the file before anything renders or connects.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from healthschema.errors import ConfigError
from healthschema.files.textfile import read_utf8

# A number stays what the file wrote: 80 stays an int, 0.35 a float (rendered SQL depends on it).
Number = int | float


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class _Strict(_Model):
    """A table whose keys are all known: a misspelt key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}$")


def _identifier(value: str) -> str:
    if not _IDENT.match(value):
        raise ValueError(f"{value!r} is not a plain SQL identifier (letters, digits, _; at most 63)")
    return value


class HealthWeights(_Strict):
    """``[variables.health_weights]``: overall = Σ weight × dimension score (docs/formulas.md)."""

    engagement: Number
    progress: Number
    satisfaction: Number
    churn_risk: Number

    @model_validator(mode="after")
    def _sum_to_one(self) -> HealthWeights:
        weights = [self.engagement, self.progress, self.satisfaction, self.churn_risk]
        if any(not 0 <= w <= 1 for w in weights):
            raise ValueError("each weight must be between 0 and 1")
        if abs(sum(weights) - 1) > 1e-9:
            raise ValueError(f"the weights must add up to 1, they add up to {sum(weights):g}")
        return self


class HealthThresholds(_Strict):
    """``[variables.health_thresholds]``: the lower bound of each ``health_status``."""

    excellent: Number
    good: Number
    at_risk: Number

    @model_validator(mode="after")
    def _descending(self) -> HealthThresholds:
        if not 0 <= self.at_risk < self.good < self.excellent <= 100:
            raise ValueError("thresholds must descend within 0-100: 100 >= excellent > good > at_risk >= 0")
        return self


class SlaTarget(_Strict):
    """One priority's SLA targets, in hours."""

    response_hours: Number
    resolution_hours: Number

    @model_validator(mode="after")
    def _positive(self) -> SlaTarget:
        if self.response_hours <= 0 or self.resolution_hours <= 0:
            raise ValueError("SLA hours must be positive")
        if self.response_hours > self.resolution_hours:
            raise ValueError("response_hours cannot exceed resolution_hours")
        return self


class ActivitySource(_Strict):
    """``[variables.activity_source]``: the refresh job's engagement input (SPEC §2.1), a table or
    view in ``app_schema``. The defaults are the platform stub's ``activity_logs``."""

    table: str = "activity_logs"
    client_id_column: str = "client_id"
    occurred_at_column: str = "created_at"
    action_column: str = "action"
    login_actions: list[str] = ["login"]

    _names = field_validator("table", "client_id_column", "occurred_at_column", "action_column")(_identifier)

    @field_validator("login_actions")
    @classmethod
    def _actions(cls, value: list[str]) -> list[str]:
        if not value or any(not item for item in value) or len(set(value)) != len(value):
            raise ValueError("login_actions must be a non-empty list of distinct, non-empty actions")
        return value


class MilestoneSchedule(_Strict):
    """``[variables.milestone_schedule]``."""

    assumed_wedding_lead_days: int


class MilestoneTemplate(_Strict):
    """One ``[[variables.milestone_templates]]`` entry."""

    template_key: str
    milestone_name: str
    milestone_description: str | None = None
    milestone_type: str
    milestone_category: str
    priority: str
    due_anchor: str
    due_offset_days: int
    prerequisite_keys: list[str] = []
    is_critical_path: bool = False
    health_score_impact: Number = 0
    engagement_score_impact: Number = 0
    progress_score_impact: Number = 0

    @field_validator("template_key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError(f"template_key {value!r} must be lower case letters, digits and _, starting with a letter")
        return value


class Variables(_Model):
    """``[variables]``: what the templates are rendered with."""

    app_schema: str = "public"
    private_schema: str = "healthschema_private"
    time_zone: str = "UTC"  # every date the schema computes (docs/formulas.md "Time zone")
    health_weights: HealthWeights | None = None
    health_thresholds: HealthThresholds | None = None
    sla_targets: dict[str, SlaTarget] | None = None
    value_sets: dict[str, list[str]] | None = None
    milestone_schedule: MilestoneSchedule | None = None
    milestone_templates: list[MilestoneTemplate] | None = None
    activity_source: ActivitySource = ActivitySource()

    _schemas = field_validator("app_schema", "private_schema")(_identifier)

    @field_validator("value_sets")
    @classmethod
    def _value_sets(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        for name, items in (value or {}).items():
            if not items or len(set(items)) != len(items) or any(not item for item in items):
                raise ValueError(f"value set {name!r} must be a non-empty list of distinct, non-empty values")
        return value

    @model_validator(mode="after")
    def _templates(self) -> Variables:
        templates = self.milestone_templates or []
        keys = [t.template_key for t in templates]
        if len(set(keys)) != len(keys):
            raise ValueError(f"milestone template keys repeat: {sorted({k for k in keys if keys.count(k) > 1})}")
        sets = self.value_sets or {}
        for t in templates:
            for field, set_name in (("milestone_category", "milestone_category"), ("milestone_type", "milestone_type"),
                                    ("priority", "priority"), ("due_anchor", "due_anchor")):
                allowed = sets.get(set_name)
                if allowed is not None and getattr(t, field) not in allowed:
                    raise ValueError(f"milestone template {t.template_key!r}: {field} {getattr(t, field)!r} "
                                     f"is not one of value_sets.{set_name}")
            unknown = [k for k in t.prerequisite_keys if k not in keys]
            if unknown:
                raise ValueError(f"milestone template {t.template_key!r} requires unknown template(s) {unknown}")
        _reject_cycles({t.template_key: t.prerequisite_keys for t in templates})
        return self

    def template_context(self) -> dict[str, Any]:
        """The variables as Jinja sees them: what the file sets, typed. The one default added is
        ``activity_source`` (its defaults render the refresh job's original SQL)."""
        context = self.model_dump(exclude_unset=True)
        context.setdefault("activity_source", self.activity_source.model_dump())
        return context


def _reject_cycles(requires: dict[str, list[str]]) -> None:
    """:raises ValueError: the prerequisites form a cycle (named in order)."""
    state: dict[str, int] = {}

    def visit(key: str, path: list[str]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            cycle = path[path.index(key):] + [key]
            raise ValueError(f"milestone template prerequisites form a cycle: {' -> '.join(cycle)}")
        state[key] = 1
        for nxt in requires.get(key, []):
            visit(nxt, [*path, key])
        state[key] = 2

    for key in requires:
        visit(key, [])


class RunnerSettings(_Strict):
    """``[runner]``: where bookkeeping lives and how long to wait for the migration lock."""

    meta_schema: str = "healthschema_meta"
    lock_timeout_seconds: float = 60.0
    # lock_timeout (ms) every migration statement runs with; 0: none. lint counts it as set.
    statement_lock_timeout_ms: int = Field(default=5000, ge=0)
    # How apply runs migrations (docs/deploying.md): "all" = every pending transactional migration
    # in one transaction; "per_migration" = each commits on its own.
    transaction_mode: Literal["all", "per_migration"] = "all"
    statement_timeout_seconds: float = 600.0
    lock_retry_budget_seconds: float = 60.0
    # Keys (clients) per transaction of a migration's post-commit back-fill (`-- backfill:`).
    backfill_batch_size: int = Field(default=1000, ge=1, le=1_000_000)

    _meta = field_validator("meta_schema")(_identifier)

    @field_validator("lock_timeout_seconds", "statement_timeout_seconds", "lock_retry_budget_seconds")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be a positive number of seconds")
        return value


class ProjectConfig(_Model):
    """The whole of ``healthschema.toml``."""

    runner: RunnerSettings = RunnerSettings()
    variables: Variables = Variables()


_UNION_MEMBERS = {"int", "float"}  # pydantic names a Number's union members in the location


def _first_problem(exc: ValidationError) -> tuple[list[str], str, int]:
    """The first wrong value's location (keys, list indexes as digits), its message, and how many
    locations are wrong in all."""
    problems: dict[tuple[str, ...], str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        is_number = any(part in _UNION_MEMBERS for part in loc)
        where = tuple(part for part in loc if part not in _UNION_MEMBERS)
        message = "Input should be a number" if is_number else str(error["msg"]).removeprefix("Value error, ")
        problems.setdefault(where, message)
    where, message = next(iter(problems.items()))
    return list(where), message, len(problems)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")


def line_of(text: str, loc: list[str]) -> int | None:
    """The line (1-based) of ``healthschema.toml`` that sets the value at ``loc``, e.g.
    ``["runner", "lock_timeout_seconds"]`` or ``["variables", "milestone_templates", "2", "priority"]``;
    the table's header line when the key itself is absent; None when not found."""
    lines = text.splitlines()
    keys = [part for part in loc if not part.isdigit()]
    indexes = [int(part) for part in loc if part.isdigit()]
    best: tuple[int, int] | None = None  # (number of loc keys the header covers, header line index)
    seen: dict[str, int] = {}
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match:
            continue
        name = match[2].replace('"', "").replace("'", "").replace(" ", "")
        parts = name.split(".")
        if match[1] == "[[":
            seen[name] = seen.get(name, -1) + 1
            if indexes and seen[name] != indexes[0]:
                continue
        if keys[: len(parts)] == parts and (best is None or len(parts) > best[0]):
            best = (len(parts), number)
    start, covered = (best[1] + 1, best[0]) if best else (0, 0)
    rest = keys[covered:]
    if not rest:
        return best[1] + 1 if best else None
    key = re.compile(rf"^\s*[\"']?{re.escape(rest[0])}[\"']?\s*=")
    for number in range(start, len(lines)):
        if number > start and _HEADER.match(lines[number]):
            break
        if key.match(lines[number]):
            return number + 1
    return best[1] + 1 if best else None


def parse_config(data: dict[str, Any], source: str = "healthschema.toml", text: str = "") -> ProjectConfig:
    """Type already-parsed TOML (``text``, the file itself, lets errors name their line).

    :raises ConfigError: a value has the wrong type or breaks a validation rule.
    """
    for table in ("runner", "variables"):
        if table in data and not isinstance(data[table], dict):
            raise ConfigError(f"{source}: [variables] and [runner] must be tables")
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        loc, message, count = _first_problem(exc)
        line = line_of(text, loc) if text else None
        where = f"{source}" + (f", line {line}" if line else "")
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise ConfigError(f"{where}: {'.'.join(loc)}: {message}{more}", hint="fix healthschema.toml") from exc


def load_config(path: Path) -> ProjectConfig:
    """Read and type ``healthschema.toml``.

    :raises ConfigError: the file is missing, not valid TOML, or a value has the wrong type.
    """
    try:
        text = read_utf8(path)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data, str(path), text)
