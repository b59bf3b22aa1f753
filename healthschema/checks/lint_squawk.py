"""squawk (the ``squawk-cli`` wheel) on the rendered forward migrations.

Squawk reads the text only, so lint tells it what the runner does around each file: whether the
file runs in a transaction (``-- transactional: false`` files do not) and the ``lock_timeout`` the
runner sets before every migration (``[runner] statement_lock_timeout_ms``), prefixed to line 1 so
that squawk's line numbers stay the file's. Which rules are relaxed, and why, is the committed
``.squawk.toml`` of the project.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from healthschema.checks.lint_findings import LintFinding, level_of
from healthschema.errors import ConfigError, HealthschemaError
from healthschema.files.migration_files import MigrationFile

CONFIG_NAME = ".squawk.toml"
TIMEOUT_SECONDS = 60


class SquawkError(HealthschemaError):
    """squawk could not run or its output could not be read."""


def executable() -> Path:
    """The squawk binary of this environment (the venv's own first).

    :raises ConfigError: squawk-cli is not installed.
    """
    beside = Path(sys.executable).parent / "squawk"
    if beside.is_file():
        return beside
    found = shutil.which("squawk")
    if found is None:
        raise ConfigError("squawk is not installed", hint="pip install 'squawk-cli>=2.70,<3'")
    return Path(found)


def version() -> str:
    done = subprocess.run([str(executable()), "--version"], capture_output=True, text=True, check=False,
                          timeout=TIMEOUT_SECONDS)
    return done.stdout.strip().removeprefix("squawk ").strip()


def runner_prefix(lock_timeout_ms: int) -> str:
    """What the runner effectively runs before a migration, as SQL on the file's first line."""
    return f"SET lock_timeout = '{lock_timeout_ms}ms'; " if lock_timeout_ms > 0 else ""


def lint_file(file: MigrationFile, root: Path, lock_timeout_ms: int, config: Path | None) -> list[LintFinding]:
    """squawk's findings for one migration file (paths relative to ``root``).

    :raises SquawkError: squawk failed or printed something that is not its JSON report.
    """
    relative = _relative(file.path, root)
    command = [str(executable()), "--reporter", "json", "--stdin-filepath", relative,
               "--assume-in-transaction" if file.transactional else "--no-assume-in-transaction"]
    if config is not None:
        command += ["--config", str(config)]
    text = runner_prefix(lock_timeout_ms) + file.sql
    done = subprocess.run(command, input=text, capture_output=True, text=True, check=False,
                          timeout=TIMEOUT_SECONDS)
    if done.returncode not in (0, 1):
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise SquawkError(f"squawk failed on {relative}: {reason[0] if reason else done.returncode}")
    try:
        violations: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    except ValueError as exc:
        raise SquawkError(f"squawk printed no JSON report for {relative}: {exc}") from exc
    return [_finding(item, relative) for item in violations]


def _finding(item: dict[str, Any], relative: str) -> LintFinding:
    rule = f"squawk/{item.get('rule_name', 'unknown')}"
    return LintFinding(
        rule=rule,
        message=str(item.get("message", "")).strip(),
        hint=str(item.get("help") or "see https://squawkhq.com/docs/rules").strip(),
        level=level_of(rule),
        file=relative,
        line=int(item["line"]) + 1 if isinstance(item.get("line"), int) else None,
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def lint_files(files: list[MigrationFile], root: Path, lock_timeout_ms: int) -> list[LintFinding]:
    """squawk on every file, with the project's ``.squawk.toml`` when it has one."""
    config = root / CONFIG_NAME
    return [finding for file in files
            for finding in lint_file(file, root, lock_timeout_ms, config if config.is_file() else None)]
