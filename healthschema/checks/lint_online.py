"""Online safety of changes to tables that existed before a migration (pure: no database).

:mod:`healthschema.checks.lint` applies the migrations one at a time to a disposable database and
hands each file, the tables that existed before it and the tables it rewrote (measured: their
storage file changed) to :func:`online_findings`. The statements are split as yoyo splits them
(sqlparse), so each finding names the line where its statement starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlparse

from healthschema.checks.lint_findings import ONLINE_RULES, LintFinding, level_of

_NAME = r'(?P<table>(?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)'
_CREATE_INDEX = re.compile(
    r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?P<concurrently>CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"(?:(?!ON\b)\S+\s+)?ON\s+(?:ONLY\s+)?{_NAME}", re.I)
_ALTER_TABLE = re.compile(rf"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_NAME}\s+(?P<rest>.*)$", re.I | re.S)
_ON_TABLE = re.compile(
    rf"^(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\b.*?\bON|CREATE\s+POLICY\b.*?\bON"
    rf"|DROP\s+(?:TRIGGER|POLICY)\b.*?\bON|LOCK\s+(?:TABLE\s+)?|TRUNCATE\s+(?:TABLE\s+)?"
    rf"|DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?)\s+(?:ONLY\s+)?{_NAME}", re.I | re.S)
_REFERENCES = re.compile(rf"\bREFERENCES\s+{_NAME}", re.I)
_SETS_LOCK_TIMEOUT = re.compile(r"^SET\s+(?:LOCAL\s+|SESSION\s+)?lock_timeout\b|set_config\(\s*'lock_timeout'", re.I)
_CLAUSE_SPLIT = re.compile(r",\s*(?=(?:ADD|ALTER|DROP|VALIDATE|ENABLE|DISABLE|FORCE|NO|SET|RENAME)\b)", re.I)
_ADD_CONSTRAINT = re.compile(r"^ADD\s+(?:CONSTRAINT\s+\S+\s+)?(?P<kind>FOREIGN\s+KEY|CHECK)\b", re.I)
_ADD_COLUMN = re.compile(r"^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b|CHECK\b|FOREIGN\b|UNIQUE\b"
                         r"|PRIMARY\b|EXCLUDE\b)(?P<column>\S+)\s", re.I)
_SET_NOT_NULL = re.compile(r"^ALTER\s+(?:COLUMN\s+)?(?P<column>\S+)\s+SET\s+NOT\s+NULL\b", re.I)


@dataclass(frozen=True)
class Statement:
    line: int  # where the statement's first token is (1-based)
    sql: str  # without comments, whitespace collapsed


def split(text: str) -> list[Statement]:
    """The statements of a migration as yoyo runs them, each with the line it starts on."""
    statements = []
    offset = 0
    for parsed in sqlparse.parse(text):
        raw = str(parsed)
        start = offset + _first_code(raw)
        offset += len(raw)
        code = " ".join(sqlparse.format(raw, strip_comments=True).split()).rstrip(";").strip()
        if code:
            statements.append(Statement(text.count("\n", 0, start) + 1, code))
    return statements


def _first_code(raw: str) -> int:
    """Offset of the first character that is neither whitespace nor inside a comment."""
    position = 0
    while position < len(raw):
        if raw[position].isspace():
            position += 1
        elif raw.startswith("--", position):
            end = raw.find("\n", position)
            position = len(raw) if end < 0 else end + 1
        elif raw.startswith("/*", position):
            end = raw.find("*/", position)
            position = len(raw) if end < 0 else end + 2
        else:
            break
    return position


def normalize(name: str, default_schema: str) -> str:
    """``schema.table`` as the catalog spells it (unquoted names fold to lower case)."""
    parts = [p.strip() for p in re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', name)]
    folded = [p[1:-1] if p.startswith('"') else p.lower() for p in parts]
    return ".".join(folded) if len(folded) == 2 else f"{default_schema}.{folded[0]}"


def _finding(rule: str, message: str, file: str, line: int, obj: str) -> LintFinding:
    return LintFinding(rule, message, ONLINE_RULES[rule].hint, level_of(rule), file, line, obj)


def online_findings(
    file: str, text: str, existing: set[str], rewritten: set[str], *,
    default_schema: str = "public", runner_lock_timeout_ms: int = 0,
) -> list[LintFinding]:
    """Findings for one migration: ``existing`` / ``rewritten`` are ``schema.table`` names."""
    findings: list[LintFinding] = []
    lock_timeout = runner_lock_timeout_ms > 0
    lock_reported = False
    first_alter: dict[str, int] = {}
    for stmt in split(text):
        if _SETS_LOCK_TIMEOUT.search(stmt.sql):
            lock_timeout = True
        touched = [t for t in _tables_locked(stmt.sql, default_schema) if t in existing]
        if touched and not lock_timeout and not lock_reported:
            findings.append(_finding("lock_timeout_missing",
                                     f"`{_verb(stmt.sql)}` locks existing table {touched[0]} and no lock_timeout "
                                     "is set: it waits behind any open transaction, and traffic queues behind it",
                                     file, stmt.line, touched[0]))
            lock_reported = True
        findings += _statement_findings(stmt, file, existing, default_schema, first_alter)
    for table in sorted(rewritten & existing):
        findings.append(_finding("table_rewrite",
                                 f"existing table {table} was rewritten (its storage changed): every row was copied "
                                 "under an ACCESS EXCLUSIVE lock", file, first_alter.get(table, 1), table))
    return findings


def _verb(sql: str) -> str:
    return " ".join(sql.split()[:2]).upper()


def _tables_locked(sql: str, default_schema: str) -> list[str]:
    names = [m["table"] for pattern in (_CREATE_INDEX, _ALTER_TABLE, _ON_TABLE) if (m := pattern.match(sql))]
    if sql[:6].upper() in ("CREATE", "ALTER ") and not sql.upper().startswith(("CREATE FUNCTION", "CREATE OR REPLACE")):
        names += [m["table"] for m in _REFERENCES.finditer(sql)]
    return [normalize(name, default_schema) for name in names]


def _statement_findings(
    stmt: Statement, file: str, existing: set[str], default_schema: str, first_alter: dict[str, int]
) -> list[LintFinding]:
    index = _CREATE_INDEX.match(stmt.sql)
    if index:
        table = normalize(index["table"], default_schema)
        if table in existing and not index["concurrently"]:
            return [_finding("index_not_concurrent",
                             f"CREATE INDEX on existing table {table} blocks its writes until the index is built",
                             file, stmt.line, table)]
        return []
    alter = _ALTER_TABLE.match(stmt.sql)
    if not alter:
        return []
    table = normalize(alter["table"], default_schema)
    if table not in existing:
        return []
    first_alter.setdefault(table, stmt.line)
    return [finding for clause in _CLAUSE_SPLIT.split(alter["rest"])
            for finding in _clause_findings(clause.strip(), stmt.line, file, table)]


def _clause_findings(clause: str, line: int, file: str, table: str) -> list[LintFinding]:
    upper = clause.upper()
    constraint = _ADD_CONSTRAINT.match(clause)
    if constraint and "NOT VALID" not in upper:
        kind = " ".join(constraint["kind"].upper().split())
        return [_finding("constraint_not_valid_missing",
                         f"ADD {kind} on existing table {table} without NOT VALID checks every row under lock",
                         file, line, table)]
    column = _ADD_COLUMN.match(clause)
    if column and re.search(r"\bNOT\s+NULL\b", clause, re.I) and not re.search(r"\bDEFAULT\b", clause, re.I):
        return [_finding("not_null_without_default",
                         f"column {column['column']} is added NOT NULL without a DEFAULT to existing table {table}: "
                         "it fails on a populated table", file, line, table)]
    not_null = _SET_NOT_NULL.match(clause)
    if not_null:
        return [_finding("set_not_null_scan",
                         f"SET NOT NULL on {table}.{not_null['column']} scans every row under an ACCESS EXCLUSIVE lock",
                         file, line, table)]
    return []
