"""What ``healthschema lint`` reports: findings, the rule catalogue and the report.

A finding names where (``file:line`` of a rendered migration, or a database object), the rule id
and a fix hint. Rule ids: ``squawk/<rule>`` for squawk's migration-safety rules; the security rule
names of :mod:`healthschema.security` (shared with ``policy-check``); and lint's own online-safety
and index rules below. Every finding is an error unless its rule is listed as a warning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    hint: str


@dataclass(frozen=True)
class LintFinding:
    """One broken rule, where it is and how to fix it."""

    rule: str
    message: str
    hint: str
    level: Level = "error"
    file: str | None = None  # relative to the project root
    line: int | None = None
    object: str | None = None

    @property
    def where(self) -> str:
        if self.file is not None:
            place = f"{self.file}:{self.line}" if self.line else self.file
            return f"{place} ({self.object})" if self.object else place
        return self.object or "project"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.where}: {self.level} {self.rule}: {self.message} (hint: {self.hint})"


def _rules(*rows: tuple[str, str, str]) -> dict[str, Rule]:
    return {rule_id: Rule(rule_id, summary, hint) for rule_id, summary, hint in rows}


# Lint's own rules on the migrations applied one by one (changes to tables that existed before).
ONLINE_RULES = _rules(
    ("index_not_concurrent", "CREATE INDEX without CONCURRENTLY on an existing table (blocks its writers)",
     "CREATE INDEX CONCURRENTLY in its own migration headed `-- transactional: false`"),
    ("constraint_not_valid_missing", "ADD CONSTRAINT (CHECK / FOREIGN KEY) on an existing table without NOT VALID",
     "add it NOT VALID, then VALIDATE CONSTRAINT in a later statement or migration"),
    ("not_null_without_default", "a NOT NULL column added to an existing table without a DEFAULT",
     "add the column with a DEFAULT (PostgreSQL 11+ stores it without a rewrite), or nullable and back-fill"),
    ("set_not_null_scan", "SET NOT NULL on an existing column scans the table under an ACCESS EXCLUSIVE lock",
     "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (uses the check, no scan)"),
    ("table_rewrite", "the migration rewrote an existing table (measured: its storage was replaced)",
     "avoid type changes that rewrite (e.g. add a new column, back-fill in batches, swap)"),
    ("lock_timeout_missing", "a statement locks an existing table while no lock_timeout is set",
     "SET lock_timeout in the migration, or set [runner] statement_lock_timeout_ms in healthschema.toml"),
    ("migration_failed", "the migration could not be applied to a disposable database",
     "fix the SQL; `healthschema apply --dry-run` shows the plan"),
)
COLUMN_RIGHTS_RULES = _rules(
    ("column_rights_mismatch", "authenticated's INSERT/UPDATE rights differ from the documented column rights",
     "grant exactly the columns files/column_rights.py lists (column-level UPDATE, never table-level)"),
)
INDEX_RULES = _rules(
    ("index_duplicate", "two indexes of a table have the same definition",
     "drop one of them"),
    ("index_left_prefix", "an index's keys are a left prefix of another index's on the same table",
     "drop the shorter index; the longer one serves its queries"),
)
# The security findings of healthschema.security, with the hint lint prints for each.
SECURITY_HINTS = {
    "table_missing": "apply the migration that creates it",
    "rls_disabled": "ALTER TABLE ... ENABLE ROW LEVEL SECURITY in the migration that creates the table",
    "rls_not_forced": "ALTER TABLE ... FORCE ROW LEVEL SECURITY in the migration that creates the table",
    "owner_subject_to_rls": "own the tables with a role that has BYPASSRLS (or is superuser)",
    "policy_for_public": "CREATE POLICY ... TO authenticated (name the roles)",
    "policy_for_anon": "remove anon from the policy's roles (TO authenticated)",
    "policy_always_true": "scope the policy (organization, assignment, platform role)",
    "multiple_permissive_policies": "merge them into one policy per role and command (OR the conditions)",
    "auth_call_unwrapped": "write (select auth.uid()) so it runs once per statement",
    "helper_call_unwrapped": "write (select helper()) so it runs once per statement",
    "policy_uses_user_metadata": "read authorization from app_metadata (server-controlled)",
    "function_search_path_mutable": "add SET search_path = '' and schema-qualify every name",
    "security_definer_executable_by_anon": "REVOKE EXECUTE ... FROM PUBLIC, anon; keep it in the private schema",
    "security_definer_in_exposed_schema": "move it to the private schema (not exposed through the API)",
    "anon_privilege": "REVOKE ALL ... FROM anon",
    "api_role_privilege": "REVOKE TRUNCATE, REFERENCES, TRIGGER ... FROM anon, authenticated, service_role",
    "fk_unindexed": "create an index whose leading columns are the foreign key's",
}
WARNING_RULES: frozenset[str] = frozenset()


def level_of(rule: str) -> Level:
    return "warning" if rule in WARNING_RULES else "error"


@dataclass
class LintReport:
    """Everything lint found, plus what it ran on."""

    findings: list[LintFinding] = field(default_factory=list)
    migrations: list[str] = field(default_factory=list)
    squawk_version: str = ""
    server_version: str = ""

    @property
    def errors(self) -> list[LintFinding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.findings) - len(self.errors),
            "migrations": self.migrations,
            "squawk_version": self.squawk_version,
            "server_version": self.server_version,
            "findings": [f.to_dict() for f in self.findings],
        }


def rule_summary(rule: str) -> str:
    """A one-line description of a rule id (for SARIF's rule list)."""
    for table in (ONLINE_RULES, INDEX_RULES, COLUMN_RIGHTS_RULES):
        if rule in table:
            return table[rule].summary
    if rule.startswith("squawk/"):
        return f"squawk rule {rule.removeprefix('squawk/')}"
    return rule.replace("_", " ")
