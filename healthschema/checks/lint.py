"""``healthschema lint``: migration safety and security rules (SPEC §3.2, §2.3, §2.5).

Two halves, one report (:class:`~healthschema.checks.lint_findings.LintReport`):

1. squawk on the text of every rendered forward migration (:mod:`.lint_squawk`);
2. our rules on a disposable database: the platform stub, then each health migration applied one at
   a time, measuring which tables existed before it and which it rewrote (online safety,
   :mod:`.lint_online`); then, on the result, the security findings of :mod:`healthschema.security`,
   lint's function rules, and redundant indexes (:mod:`.lint_indexes`).

Object findings are located at the first line of a migration that names the object, so that every
finding has a ``file:line`` (SARIF and code scanning need one).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from healthschema.checks import access_matrix, lint_column_rights, lint_indexes, lint_online, lint_squawk, security
from healthschema.checks.lint_findings import SECURITY_HINTS, LintFinding, LintReport, level_of
from healthschema.engine.execute import execute
from healthschema.errors import MigrationError
from healthschema.files.migration_files import MigrationFile, health, platform_stub, read_all
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import disposable, ledger


@contextmanager
def _scratch(server_url: str | None, template: str | None) -> Iterator[str]:
    name = f"hs_lint_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    if server_url is not None:
        with disposable.scratch_database(server_url, name, template) as url:
            yield url
        return
    with disposable.primary() as server, disposable.scratch_database(server.url, name) as url:
        yield url


def lint(project: Project, server_url: str | None = None, template: str | None = None) -> LintReport:
    """Lint the project's migrations; changes nothing outside a scratch database.

    ``server_url``: a server to create the scratch database on (default: a disposable server is
    started). ``template``: a database on that server to start from (e.g. one with some migrations
    already applied); only the migrations pending there are applied one by one and checked for
    online safety, while squawk and the database rules cover everything.

    :raises ConfigError: squawk is not installed, or the project cannot be read.
    :raises DatabaseError: the disposable database cannot be created.
    """
    files = read_all(project)
    ours = health(files)
    report = LintReport(migrations=[f.id for f in ours], squawk_version=lint_squawk.version())
    report.findings += lint_squawk.lint_files(ours, project.root, project.statement_lock_timeout_ms)
    with _scratch(server_url, template) as url:
        report.findings += _database_findings(project, url, files, report)
    report.findings = _locate(project, list(dict.fromkeys(report.findings)), ours)
    return report


def _database_findings(project: Project, url: str, files: list[MigrationFile], report: LintReport) -> list[LintFinding]:
    """Apply the pending migrations one by one; online findings per migration, then the rules on the
    final state, each attributed to the migration after which it appeared (and stayed)."""
    with db.connection(url, autocommit=True) as conn:
        report.server_version = db.server_version(conn)
        ledger.ensure(conn, project.meta_schema)
        applied = {row.migration_id for row in ledger.read(conn, project.meta_schema)}
    if not applied:
        _execute(project, url, platform_stub(files))
    findings: list[LintFinding] = []
    states: list[tuple[MigrationFile | None, list[LintFinding]]] = [(None, _state_findings(project, url))]
    for file in (f for f in health(files) if f.id not in applied):
        step, failed = _apply_one(project, url, file)
        findings += step
        if failed:
            return findings
        states.append((file, _state_findings(project, url)))
    return findings + _attributed(project, states)


def _attributed(project: Project, states: list[tuple[MigrationFile | None, list[LintFinding]]]) -> list[LintFinding]:
    final = states[-1][1]
    result = []
    for finding in final:
        origin = None
        for file, found in reversed(states):
            if finding not in found:
                break
            origin = file
        if origin is None:
            result.append(finding)
            continue
        relative = _relative(project, origin.path)
        place = _first_mention([(relative, origin.sql.splitlines())], _object_names(finding.object or ""))
        result.append(LintFinding(finding.rule, finding.message, finding.hint, finding.level,
                                  relative, place[1] if place else 1, finding.object))
    return result


def _apply_one(project: Project, url: str, file: MigrationFile) -> tuple[list[LintFinding], bool]:
    """Apply one migration, measuring what it did to the tables that existed before it."""
    before = _relations(project, url)
    relative = _relative(project, file.path)
    try:
        _execute(project, url, [file])
    except MigrationError as exc:
        return [LintFinding("migration_failed", exc.message, "fix the SQL and render again",
                            level_of("migration_failed"), relative, 1)], True
    after = _relations(project, url)
    rewritten = {name for name, node in before.items() if name in after and after[name] != node}
    return lint_online.online_findings(
        relative, file.sql, set(before), rewritten, default_schema=project.app_schema,
        runner_lock_timeout_ms=project.statement_lock_timeout_ms,
    ), False


def _execute(project: Project, url: str, files: list[MigrationFile]) -> None:
    execute(url, project.meta_schema, files, "apply", lock_timeout_ms=project.statement_lock_timeout_ms)


def _relations(project: Project, url: str) -> dict[str, int]:
    with db.connection(url, autocommit=True) as conn:
        rows = db.fetch_all(conn, "lint/relations", {"meta_schema": project.meta_schema})
    return {f"{schema}.{name}": node for schema, name, node in rows}


def _state_findings(project: Project, url: str) -> list[LintFinding]:
    """The rules on the database with every migration applied."""
    schema, private = project.app_schema, project.private_schema
    params: dict[str, Any] = {"meta_schema": project.meta_schema, "exposed": [schema], "schemas": [schema, private],
                              "schema": schema}
    with db.connection(url, autocommit=True) as conn:
        ours = tuple(row[0] for row in db.fetch_all(conn, "lint/tables", params))
    tables = tuple(dict.fromkeys((*access_matrix.TABLE_NAMES, *ours)))
    findings = [_from_security(f) for f in security.security_findings(url, schema, private, tables)]
    with db.connection(url, autocommit=True) as conn:
        function_rows = db.fetch_all(conn, "lint/functions", params)
        index_rows = db.fetch_all(conn, "lint/indexes", params)
        privilege_rows = db.fetch_all(conn, "lint/column_privileges",
                                      {"schema": schema, "tables": list(access_matrix.TABLE_NAMES)})
    findings += _function_findings(function_rows)
    findings += lint_column_rights.findings(schema, privilege_rows)
    findings += lint_indexes.redundant([lint_indexes.Index.from_row(row) for row in index_rows])
    return findings


def _from_security(finding: security.Finding) -> LintFinding:
    hint = SECURITY_HINTS.get(finding.rule, "see docs/security.md")
    return LintFinding(finding.rule, finding.message, hint, level_of(finding.rule), object=finding.object)


def _function_findings(rows: list[tuple[Any, ...]]) -> list[LintFinding]:
    """Every function our migrations created, wherever it lives (security.py sees only the private
    schema and trigger functions): security's function rules, plus lint's exposed-schema rule."""
    findings = [_from_security(f) for f in security.function_findings(rows)]
    for signature, definer, _search_path_fixed, _anon_can_execute, exposed in rows:
        if definer and exposed:
            findings.append(LintFinding("security_definer_in_exposed_schema",
                                        "SECURITY DEFINER in a schema exposed through the API",
                                        SECURITY_HINTS["security_definer_in_exposed_schema"],
                                        level_of("security_definer_in_exposed_schema"), object=signature))
    return findings


def _relative(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _object_names(obj: str) -> list[str]:
    """Identifiers to look for in the migrations, most specific first: a policy's name, then the
    dotted parts from the last (a constraint, index or function) back to the table."""
    names = [obj.rsplit(": policy ", 1)[1]] if ": policy " in obj else []
    parts = obj.split(": policy ", 1)[0].split("(", 1)[0].split(".")
    return names + [part for part in reversed(parts[1:] if len(parts) > 1 else parts) if part]


def _locate(project: Project, findings: list[LintFinding], health: list[MigrationFile]) -> list[LintFinding]:
    texts = [(_relative(project, f.path), f.sql.splitlines()) for f in health]
    located = []
    for finding in findings:
        if finding.file is None and finding.object:
            place = _first_mention(texts, _object_names(finding.object))
            if place is not None:
                finding = LintFinding(finding.rule, finding.message, finding.hint, finding.level,
                                      place[0], place[1], finding.object)
        located.append(finding)
    return located


def _first_mention(texts: list[tuple[str, list[str]]], names: list[str]) -> tuple[str, int] | None:
    for name in names:
        pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])", re.I)
        for path, lines in texts:
            for number, line in enumerate(lines, start=1):
                if pattern.search(line.split("--", 1)[0]):
                    return path, number
    return None
