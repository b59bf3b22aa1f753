"""Find the healthschema project and read ``healthschema.toml``.

A project is a directory holding ``healthschema.toml``, ``templates/`` and ``migrations/``.
Commands look for it from the current directory upwards and fall back to the copy shipped
inside the package, so an installed wheel works anywhere.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthschema.errors import ConfigError

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
    """Everything the commands need to know about the project on disk."""

    root: Path
    variables: dict[str, Any] = field(hash=False)
    meta_schema: str = "healthschema_meta"
    lock_timeout_seconds: float = 60.0
    # lock_timeout every migration statement runs with (0: none); lint counts it as set.
    statement_lock_timeout_ms: int = 5000

    @property
    def app_schema(self) -> str:
        """Where our tables live (``[variables] app_schema``, default ``public``)."""
        return str(self.variables.get("app_schema", "public"))

    @property
    def private_schema(self) -> str:
        """Where helper functions live, never exposed (``[variables] private_schema``)."""
        return str(self.variables.get("private_schema", "healthschema_private"))

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
    here = Path(__file__).resolve().parent
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

    :raises ConfigError: the file is missing or not valid TOML.
    """
    root = find_root() if root is None else root.resolve()
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    runner = data.get("runner", {})
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not isinstance(runner, dict):
        raise ConfigError(f"{path}: [variables] and [runner] must be tables")
    return Project(
        root=root,
        variables=variables,
        meta_schema=str(runner.get("meta_schema", "healthschema_meta")),
        lock_timeout_seconds=float(runner.get("lock_timeout_seconds", 60)),
        statement_lock_timeout_ms=int(runner.get("statement_lock_timeout_ms", 5000)),
    )
