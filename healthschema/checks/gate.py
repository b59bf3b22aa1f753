"""``healthschema check``: the one CI gate (SPEC §3.2).

Steps, in order: ``render --check``, ``snapshot --check``, ``types --check`` (when this installation
has a types generator: :func:`types_step`), ``lint``; with a database also ``verify`` and
``policy-check``. Each step runs even when an earlier one failed, so one run reports everything.
A step *fails* when it ran and found problems and *errors* when it could not run. The disposable
PostgreSQL that ``snapshot --check`` and ``lint`` need is started once and shared.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from healthschema.checks import lint as lint_lib
from healthschema.checks import policy_check, verify
from healthschema.errors import HealthschemaError
from healthschema.files import render
from healthschema.files.project import Project
from healthschema.pg import disposable
from healthschema.pg.connect import mask_url
from healthschema.schema import snapshot

Status = Literal["passed", "failed", "error", "skipped"]
TYPES_MODULE = "healthschema.generate.typescript"
TYPES_FILE = Path("types") / "database.ts"  # the committed generated types (docs/types.md)


@dataclass(frozen=True)
class StepResult:
    name: str
    status: Status
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "messages": self.messages,
                "seconds": round(self.seconds, 3)}


@dataclass
class GateReport:
    steps: list[StepResult] = field(default_factory=list)
    database: str | None = None  # masked URL of the target, when one was given

    @property
    def exit_code(self) -> int:
        statuses = {s.status for s in self.steps}
        return 2 if "error" in statuses else 1 if "failed" in statuses else 0

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.exit_code == 0, "exit_code": self.exit_code, "database": self.database,
                "steps": [s.to_dict() for s in self.steps]}


# A step: given the project, the target URL (or None) and a scratch server URL, the problems it found.
StepFunction = Callable[[Project, str | None, str], list[str]]


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction
    needs_database: bool = False


def _render(project: Project, url: str | None, scratch: str) -> list[str]:
    return [f"{path} differs from its template (run `healthschema render`)" for path in render.differences(project)]


def _snapshot(project: Project, url: str | None, scratch: str) -> list[str]:
    result = snapshot.check_snapshot(project, scratch)
    return [f"stale: {reason}" for reason in result.reasons] if result.stale else []


def _lint(project: Project, url: str | None, scratch: str) -> list[str]:
    return [str(f) for f in lint_lib.lint(project, scratch).errors]


def _verify(project: Project, url: str | None, scratch: str) -> list[str]:
    assert url is not None
    return verify.verify(project, url).problems()


def _policy_check(project: Project, url: str | None, scratch: str) -> list[str]:
    assert url is not None
    report = policy_check.check_policies(url, schema=project.app_schema, private_schema=project.private_schema)
    return [m.describe() for m in report.mismatches] + [str(f) for f in report.findings]


def types_step() -> Step | None:
    """``types --check``, when the installed package has the TypeScript generator
    (:data:`TYPES_MODULE`): either its ``check_step(project) -> list[str]``, or its
    ``from_snapshot(project)`` compared by its ``check(path, text)`` with the committed
    :data:`TYPES_FILE`. None when this installation has no types generator."""
    try:
        module: Any = importlib.import_module(TYPES_MODULE)
    except ImportError:
        return None
    if hasattr(module, "check_step"):
        return Step("types --check", lambda project, url, scratch: list(module.check_step(project)))
    if not (hasattr(module, "from_snapshot") and hasattr(module, "check")):
        return None

    def run(project: Project, url: str | None, scratch: str) -> list[str]:
        result = module.check(project.root / TYPES_FILE, module.from_snapshot(project))
        return [str(result.reason or f"{TYPES_FILE} is stale")] if result.stale else []

    return Step("types --check", run)


def steps(with_database: bool) -> list[Step]:
    """The gate's steps, in order."""
    found = [Step("render --check", _render), Step("snapshot --check", _snapshot)]
    types = types_step()
    if types is not None:
        found.append(types)
    found.append(Step("lint", _lint))
    if with_database:
        found += [Step("verify", _verify, True), Step("policy-check", _policy_check, True)]
    return found


@contextmanager
def _scratch_server(server_url: str | None) -> Iterator[str]:
    if server_url is not None:
        yield server_url
        return
    with disposable.primary() as server:
        yield server.url


def _run(step: Step, project: Project, url: str | None, scratch: str) -> StepResult:
    started = time.perf_counter()
    try:
        problems = step.run(project, url, scratch)
    except HealthschemaError as exc:
        message = exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
        return StepResult(step.name, "error", [message], time.perf_counter() - started)
    status: Status = "failed" if problems else "passed"
    return StepResult(step.name, status, problems, time.perf_counter() - started)


Progress = Callable[[str], None]


def run_gate(project: Project, database_url: str | None = None, server_url: str | None = None,
             progress: Progress = lambda name: None, only: list[Step] | None = None) -> GateReport:
    """Run every step (``only``: these instead); never raises for a failing step."""
    report = GateReport(database=mask_url(database_url) if database_url else None)
    with _scratch_server(server_url) as scratch:
        for step in only if only is not None else steps(database_url is not None):
            progress(step.name)
            report.steps.append(_run(step, project, database_url, scratch))
    return report
