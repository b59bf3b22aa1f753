"""``healthschema check``: every step is a JUnit test case (valid against the Ant JUnit schema); a
failing or unrunnable step fails the gate with exit 1 / 2 and is named."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import xmlschema

from healthschema.checks import gate
from healthschema.checks.junit import to_junit
from healthschema.files.project import Project
from healthschema.pg import disposable
from tests.conftest import REPO, Servers
from tests.helpers import cli, query

JUNIT = xmlschema.XMLSchema(str(REPO / "tests" / "data" / "JUnit.xsd"))


@pytest.fixture
def deployed(servers: Servers, project: Project) -> Iterator[tuple[str, str]]:
    """(server URL, URL of a deployed database) on the primary server only: the gate is about
    orchestration; each step is tested on both majors by its own tests."""
    primary = servers.get("primary")
    template = servers.applied_template(primary, project)
    with disposable.scratch_database(primary.url, f"check_{id(template)}", template=template) as url:
        yield primary.url, url


def _cases(xml: str) -> dict[str, ET.Element]:
    JUNIT.validate(xml)
    return {case.attrib["name"]: case for case in ET.fromstring(xml).iter("testcase")}


def test_full_gate_passes_as_valid_junit(deployed: tuple[str, str]) -> None:
    server_url, url = deployed
    result = cli("check", "--format", "junit", "--database-url", url, "--scratch-server", server_url)
    assert result.exit_code == 0, result.output
    cases = _cases(result.stdout)
    expected = ["render --check", "snapshot --check", *(["types --check"] if gate.types_step() else []),
                "lint", "verify", "policy-check"]
    assert list(cases) == expected
    assert all(len(case) == 0 for case in cases.values())  # no failure / error / skipped child


def test_without_a_database_verify_and_policy_check_are_not_run() -> None:
    names = [step.name for step in gate.steps(with_database=False)]
    assert "verify" not in names and "policy-check" not in names and names[-1] == "lint"


def test_failing_and_unrunnable_steps(tmp_project: Project, project: Project, deployed: tuple[str, str]) -> None:
    server_url, url = deployed
    by_name = {s.name: s for s in gate.steps(with_database=True)}
    migration = next(tmp_project.migrations_dir.glob("*_customer_health.sql"))
    migration.write_text(migration.read_text(encoding="utf-8") + "-- edited by hand\n", encoding="utf-8")
    edited = gate.run_gate(tmp_project, url, server_url, only=[by_name["render --check"]])
    assert [(s.name, s.status) for s in edited.steps] == [("render --check", "failed")]
    assert any(migration.name in m for m in edited.steps[0].messages)
    query(url, "DROP INDEX public.support_interactions_tags_idx")
    drifted = gate.run_gate(project, url, server_url, only=[by_name["render --check"], by_name["verify"]])
    assert [(s.name, s.status) for s in drifted.steps] == [("render --check", "passed"), ("verify", "failed")]
    assert drifted.exit_code == 1 and any("support_interactions_tags_idx" in m for m in drifted.steps[1].messages)
    cases = _cases(to_junit(drifted))
    assert len(cases["render --check"]) == 0
    assert cases["verify"][0].tag == "failure" and "support_interactions_tags_idx" in (cases["verify"][0].text or "")
    unreachable = "postgresql://nobody@127.0.0.1:1/none"
    erroring = gate.run_gate(project, unreachable, server_url, only=[by_name["verify"]])
    assert erroring.exit_code == 2 and erroring.steps[0].status == "error"
    assert "cannot connect" in erroring.steps[0].messages[0]
    assert _cases(to_junit(erroring))["verify"][0].tag == "error"


def test_an_empty_database_url_is_an_error_not_the_embedded_default() -> None:
    result = cli("check", "--format", "json", "--database-url", "")
    assert result.exit_code == 2 and "database URL is empty" in result.output


def test_junit_schema_rejects_a_broken_report() -> None:
    broken = to_junit(gate.GateReport([gate.StepResult("x", "failed", ["m"])])).replace(' type="', ' kind="')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT.validate(broken)


def test_gate_report_json_shape() -> None:
    report = gate.GateReport([gate.StepResult("lint", "passed", [], 1.23456)], database="postgresql://u:***@h/db")
    data = json.loads(json.dumps(report.to_dict()))
    assert data == {"ok": True, "exit_code": 0, "database": "postgresql://u:***@h/db",
                    "steps": [{"name": "lint", "status": "passed", "messages": [], "seconds": 1.235}]}


def test_types_step_plugs_in_the_types_generator(monkeypatch: pytest.MonkeyPatch, project: Project) -> None:
    """Until the types generator is installed there is no such step; with one, a stale file fails it."""
    import sys
    import types as pytypes
    from dataclasses import dataclass

    @dataclass
    class Result:
        stale: bool
        reason: str | None

    fake = pytypes.ModuleType(gate.TYPES_MODULE)
    seen: list[Path] = []

    def check(path: Path, text: str) -> Result:
        seen.append(path)
        return Result(text != "current", f"{path} differs" if text != "current" else None)

    fake.check = check  # type: ignore[attr-defined]
    fake.from_snapshot = lambda project: "stale text"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, gate.TYPES_MODULE, fake)
    step = gate.types_step()
    assert step is not None and step.name == "types --check"
    assert step.name in [s.name for s in gate.steps(with_database=False)]
    report = gate.run_gate(project, None, "postgresql://unused@/x", only=[step])
    assert report.steps[0].status == "failed" and seen == [project.root / gate.TYPES_FILE]
    fake.from_snapshot = lambda project: "current"  # type: ignore[attr-defined]
    assert gate.run_gate(project, None, "postgresql://unused@/x", only=[step]).exit_code == 0
