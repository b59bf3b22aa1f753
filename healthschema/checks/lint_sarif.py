"""A lint report as SARIF 2.1.0, the format GitHub code scanning reads (pure)."""

from __future__ import annotations

from typing import Any

from healthschema import __version__
from healthschema.checks.lint_findings import SECURITY_HINTS, LintFinding, LintReport, rule_summary

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(rule_id: str, findings: list[LintFinding]) -> dict[str, Any]:
    hint = next((f.hint for f in findings if f.rule == rule_id), SECURITY_HINTS.get(rule_id, ""))
    level = "error" if any(f.level == "error" for f in findings if f.rule == rule_id) else "warning"
    return {
        "id": rule_id,
        "name": rule_id.replace("/", "_"),
        "shortDescription": {"text": rule_summary(rule_id)},
        "help": {"text": hint or rule_summary(rule_id)},
        "defaultConfiguration": {"level": level},
    }


def _result(finding: LintFinding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.level,
        "message": {"text": f"{finding.message} (fix: {finding.hint})"},
    }
    location: dict[str, Any] = {}
    if finding.file is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
        if finding.line:
            physical["region"] = {"startLine": finding.line}
        location["physicalLocation"] = physical
    if finding.object:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.object}]
    if location:
        result["locations"] = [location]
    return result


def to_sarif(report: LintReport) -> dict[str, Any]:
    """The report as one SARIF run of the tool ``healthschema lint``."""
    rule_ids = report.rules()
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "healthschema lint",
                "version": __version__,
                "rules": [_rule(rule_id, report.findings) for rule_id in rule_ids],
            }},
            "results": [_result(f, index[f.rule]) for f in report.findings],
            "properties": {"squawkVersion": report.squawk_version, "postgresqlVersion": report.server_version,
                           "migrations": report.migrations},
        }],
    }
