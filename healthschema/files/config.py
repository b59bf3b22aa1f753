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

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from healthschema.errors import ConfigError
from healthschema.files.textfile import read_utf8

# A number stays what the file wrote: 80 stays an int, 0.35 a float (rendered SQL depends on it).
Number = int | float


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class HealthWeights(_Model):
    """``[variables.health_weights]``: overall = Σ weight × dimension score (docs/formulas.md)."""

    engagement: Number
    progress: Number
    satisfaction: Number
    churn_risk: Number


class HealthThresholds(_Model):
    """``[variables.health_thresholds]``: the lower bound of each ``health_status``."""

    excellent: Number
    good: Number
    at_risk: Number


class SlaTarget(_Model):
    """One priority's SLA targets, in hours."""

    response_hours: Number
    resolution_hours: Number


class MilestoneSchedule(_Model):
    """``[variables.milestone_schedule]``."""

    assumed_wedding_lead_days: int


class MilestoneTemplate(_Model):
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


class Variables(_Model):
    """``[variables]``: what the templates are rendered with."""

    app_schema: str = "public"
    private_schema: str = "healthschema_private"
    health_weights: HealthWeights | None = None
    health_thresholds: HealthThresholds | None = None
    sla_targets: dict[str, SlaTarget] | None = None
    value_sets: dict[str, list[str]] | None = None
    milestone_schedule: MilestoneSchedule | None = None
    milestone_templates: list[MilestoneTemplate] | None = None

    def template_context(self) -> dict[str, Any]:
        """The variables as Jinja sees them: what the file sets, typed; defaults are not added."""
        return self.model_dump(exclude_unset=True)


class RunnerSettings(_Model):
    """``[runner]``: where bookkeeping lives and how long to wait for the migration lock."""

    meta_schema: str = "healthschema_meta"
    lock_timeout_seconds: float = 60.0


class ProjectConfig(_Model):
    """The whole of ``healthschema.toml``."""

    runner: RunnerSettings = RunnerSettings()
    variables: Variables = Variables()


_UNION_MEMBERS = {"int", "float"}  # pydantic names a Number's union members in the location


def _describe(exc: ValidationError) -> str:
    """One line: the first wrong value's location and what it should be."""
    problems: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        is_number = any(part in _UNION_MEMBERS for part in loc)
        where = ".".join(part for part in loc if part not in _UNION_MEMBERS)
        problems.setdefault(where, "Input should be a number" if is_number else error["msg"])
    where, message = next(iter(problems.items()))
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {message}{more}"


def parse_config(data: dict[str, Any], source: str = "healthschema.toml") -> ProjectConfig:
    """Type already-parsed TOML.

    :raises ConfigError: a value has the wrong type (or breaks a validation rule).
    """
    for table in ("runner", "variables"):
        if table in data and not isinstance(data[table], dict):
            raise ConfigError(f"{source}: [variables] and [runner] must be tables")
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}", hint="fix healthschema.toml") from exc


def load_config(path: Path) -> ProjectConfig:
    """Read and type ``healthschema.toml``.

    :raises ConfigError: the file is missing, not valid TOML, or a value has the wrong type.
    """
    try:
        data = tomllib.loads(read_utf8(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data, str(path))
