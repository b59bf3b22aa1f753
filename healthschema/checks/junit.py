"""A gate report as JUnit XML (the Ant schema every CI system reads): one test case per step (pure)."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from healthschema.checks.gate import GateReport

CLASSNAME = "healthschema.check"


def to_junit(report: GateReport, now: datetime | None = None) -> str:
    """``<testsuites>`` with one ``<testsuite>`` named ``healthschema check``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
    count = {status: sum(s.status == status for s in report.steps) for status in ("failed", "error", "skipped")}
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", {
        "name": "healthschema check", "package": "healthschema", "id": "0", "timestamp": stamp,
        "hostname": socket.gethostname() or "localhost", "tests": str(len(report.steps)),
        "failures": str(count["failed"]), "errors": str(count["error"]), "skipped": str(count["skipped"]),
        "time": f"{sum(s.seconds for s in report.steps):.3f}",
    })
    properties = ET.SubElement(suite, "properties")
    if report.database:
        ET.SubElement(properties, "property", {"name": "database", "value": report.database})
    for step in report.steps:
        case = ET.SubElement(suite, "testcase", {"classname": CLASSNAME, "name": step.name,
                                                  "time": f"{step.seconds:.3f}"})
        if step.status in ("failed", "error"):
            tag = "failure" if step.status == "failed" else "error"
            detail = ET.SubElement(case, tag, {"type": f"{CLASSNAME}.{tag}", "message": step.messages[0][:500]})
            detail.text = "\n".join(step.messages)
        elif step.status == "skipped":
            ET.SubElement(case, "skipped")
    ET.SubElement(suite, "system-out").text = "\n".join(
        f"{s.name}: {s.status}" + (f" ({len(s.messages)} problem(s))" if s.messages else "") for s in report.steps)
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
