"""The CI recipes stay runnable: the example workflow and the pre-commit hooks call real commands with
real options, the workflow uploads the SARIF it produces, and docs/ci.md points at them."""

from __future__ import annotations

import re
import shlex
from typing import Any

import yaml

from tests.helpers import REPO, cli

WORKFLOW = REPO / "docs" / "examples" / "healthschema-check.yml"


def _healthschema_calls(script: str) -> list[list[str]]:
    calls = []
    for line in script.splitlines():
        words = shlex.split(line.split(">", 1)[0])
        if words[:1] == ["healthschema"]:
            calls.append(words[1:])
    return calls


def _assert_real(call: list[str]) -> None:
    command = call[0]
    help_text = cli(command, "--help")
    assert help_text.exit_code == 0, f"healthschema {command} does not exist"
    for option in (word for word in call[1:] if word.startswith("--")):
        assert option in help_text.stdout, f"healthschema {command} has no option {option}"
    values = dict(zip(call[1:], call[2:], strict=False))
    if "--format" in values:
        assert values["--format"] in help_text.stdout, f"healthschema {command} --format {values['--format']}"


def test_workflow_runs_check_on_a_disposable_postgres_and_uploads_its_sarif() -> None:
    workflow: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["check"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert workflow["permissions"]["security-events"] == "write"
    steps = job["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    calls = [call for script in scripts for call in _healthschema_calls(script)]
    assert ["check", "--format", "junit"] in calls and ["lint", "--format", "sarif"] in calls
    for call in calls:
        _assert_real(call)
    sarif_file = re.search(r"lint --format sarif > (\S+)", "\n".join(scripts))
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert sarif_file and upload["with"]["sarif_file"] == sarif_file.group(1) and upload["if"] == "always()"
    assert "localhost:5432" in job["env"]["DATABASE_URL"]


def test_pre_commit_hooks_call_real_commands() -> None:
    hooks: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"healthschema-render-check", "healthschema-lint"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        re.compile(hook["files"])
        (call,) = _healthschema_calls(hook["entry"])
        _assert_real(call)


def test_docs_ci_points_at_the_recipes() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "examples/healthschema-check.yml" in text and ".pre-commit-hooks.yaml" in text
