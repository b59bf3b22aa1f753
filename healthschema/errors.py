"""The one error family of healthschema.

    HealthschemaError            exit 2: could not run (the default)
    ├── ConfigError              bad project files, options or variables
    ├── TemplateError            a template failed to render
    ├── DatabaseError            connection failed or SQL failed
    │   └── MigrationError       a migration failed; nothing of it was kept
    │       └── DataLossError    a rollback would destroy rows (without --allow-data-loss)
    ├── LockTimeoutError         another run holds the migration lock
    ├── PreflightError           preflight found problems, so apply did not start
    └── ServerError              a local PostgreSQL server could not be started or stopped

Every error carries a one-line ``message`` and an optional ``hint`` (the next thing to try).
Messages never contain passwords: use :func:`healthschema.pg.connect.mask_url` before formatting a URL.
"""

from __future__ import annotations

from typing import ClassVar


class HealthschemaError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ClassVar[int] = 2

    def __init__(self, message: str, hint: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())
        self.hint = hint
        self.problems = list(problems or [])  # listed one per line before the message

    def __str__(self) -> str:
        return self.message


class ConfigError(HealthschemaError):
    """The project, its variables or a command option are not usable."""


class TemplateError(HealthschemaError):
    """A template could not be rendered."""


class DatabaseError(HealthschemaError):
    """The database could not be reached or a statement failed."""


class MigrationError(DatabaseError):
    """A migration failed; its transaction was rolled back."""


class LockTimeoutError(HealthschemaError):
    """Another healthschema run holds the migration lock."""


class ServerError(HealthschemaError):
    """A local PostgreSQL server could not be started, stopped or found."""


class PreflightError(HealthschemaError):
    """Preflight found problems, so apply did not start: exit 1 (problems found), as from
    ``preflight`` and ``deploy``."""

    exit_code: ClassVar[int] = 1


class DataLossError(MigrationError):
    """The rollback would destroy data and --allow-data-loss was not given."""


class RunInterrupted(HealthschemaError):
    """Ctrl-C (SIGINT) during a run: the message says what was and was not committed."""

    exit_code: ClassVar[int] = 130
