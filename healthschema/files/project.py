"""Find the healthschema project and read its ``healthschema.toml`` (typed: :mod:`healthschema.files.config`).

A project is a directory holding ``healthschema.toml``, ``templates/`` and ``migrations/``.
Commands look for it from the current directory upwards and fall back to the copy shipped
inside the package, so an installed wheel works anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthschema.errors import ConfigError
from healthschema.files.config import ActivitySource, ProjectConfig, RunnerSettings, load_config

CONFIG_NAME = "healthschema.toml"
PLATFORM_STUB = "platform_stub"
HEALTH = "health"


@dataclass(frozen=True)
class MigrationSet:
    """A named group of migrations rendered from one template folder."""

    name: str
    templates: Path
    migrations: Path


@dataclass(frozen=True)
class Project:
    """Everything the commands need to know about the project on disk.

    ``config`` is ``healthschema.toml``, typed (:mod:`healthschema.files.config`); ``meta_schema``
    and ``lock_timeout_seconds`` are its ``[runner]`` settings (fields, so a caller may override them).
    """

    root: Path
    config: ProjectConfig = field(default_factory=ProjectConfig, hash=False, compare=False)
    meta_schema: str = "healthschema_meta"
    lock_timeout_seconds: float = 60.0
    # lock_timeout every migration statement runs with (0: none); lint counts it as set.
    statement_lock_timeout_ms: int = 5000

    @property
    def runner(self) -> RunnerSettings:
        """``[runner]``: transaction mode and lock settings (docs/deploying.md)."""
        return self.config.runner

    @property
    def variables(self) -> dict[str, Any]:
        """The ``[variables]`` as the templates see them (typed values, nothing added)."""
        return self.config.variables.template_context()

    @property
    def activity_source(self) -> ActivitySource:
        """The refresh job's engagement input (``[variables.activity_source]``)."""
        return self.config.variables.activity_source

    @property
    def app_schema(self) -> str:
        """Where our tables live (``[variables] app_schema``, default ``public``)."""
        return self.config.variables.app_schema

    @property
    def private_schema(self) -> str:
        """Where helper functions live, never exposed (``[variables] private_schema``)."""
        return self.config.variables.private_schema

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def migrations_dir(self) -> Path:
        return self.root / "migrations"

    @property
    def platform_stub(self) -> MigrationSet:
        return MigrationSet(
            PLATFORM_STUB,
            self.templates_dir / PLATFORM_STUB,
            self.migrations_dir / PLATFORM_STUB,
        )

    @property
    def health(self) -> MigrationSet:
        return MigrationSet(HEALTH, self.templates_dir / HEALTH, self.migrations_dir)

    @property
    def migration_sets(self) -> tuple[MigrationSet, ...]:
        """All sets, in the order they apply: the platform stub first."""
        return (self.platform_stub, self.health)


def packaged_root() -> Path | None:
    """The project copy shipped in the wheel, or the source checkout for editable installs."""
    here = Path(__file__).resolve().parents[1]  # the healthschema package
    for candidate in (here / "_project", here.parent):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


def find_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` holding ``healthschema.toml``."""
    start = (start or Path.cwd()).resolve()
    for directory in (start, *start.parents):
        if (directory / CONFIG_NAME).is_file():
            return directory
    fallback = packaged_root()
    if fallback is None:
        raise ConfigError(
            f"no {CONFIG_NAME} found in {start} or above, and none is packaged",
            hint="run the command inside a healthschema project",
        )
    return fallback


def load_project(root: Path | None = None) -> Project:
    """Read the project's configuration.

    :raises ConfigError: the file is missing, not valid TOML, or has a value of the wrong type.
    """
    root = find_root() if root is None else root.resolve()
    config = load_config(root / CONFIG_NAME)
    return Project(
        root=root,
        config=config,
        meta_schema=config.runner.meta_schema,
        lock_timeout_seconds=config.runner.lock_timeout_seconds,
        statement_lock_timeout_ms=config.runner.statement_lock_timeout_ms,
    )
