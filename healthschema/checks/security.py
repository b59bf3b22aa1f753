"""Security and RLS-performance checks on a live database (SPEC §2.5; reused by ``lint``).

:func:`security_findings` reads the catalog (queries in ``healthschema/sql/security_*.sql``) and
returns one :class:`Finding` per problem; an empty list means every rule holds:

* ``table_missing`` / ``rls_disabled`` / ``rls_not_forced`` — RLS enabled and FORCEd on our tables;
* ``owner_subject_to_rls`` — with FORCE, an owner without BYPASSRLS would lock out its own
  SECURITY DEFINER helpers and triggers (the policies are all TO authenticated);
* ``policy_for_public`` — a policy applies to PUBLIC instead of named roles;
* ``policy_for_anon`` — a policy applies to ``anon`` (which gets nothing, not even through a policy);
* ``policy_always_true`` — a permissive policy whose USING / WITH CHECK is always true;
* ``multiple_permissive_policies`` — more than one permissive policy per table, role and command;
* ``auth_call_unwrapped`` / ``helper_call_unwrapped`` — ``auth.*()``, ``current_setting()`` or a
  private helper called per row instead of once as ``(SELECT ...)``;
* ``policy_uses_user_metadata`` — user_metadata is user-editable, never an authorization source;
* ``function_search_path_mutable`` — one of our functions has no fixed search_path;
* ``security_definer_executable_by_anon`` — a SECURITY DEFINER function of ours anon may run;
* ``anon_privilege`` / ``api_role_privilege`` — anon holds anything, or an API role holds
  TRUNCATE / REFERENCES / TRIGGER, on our objects;
* ``fk_unindexed`` — a foreign key's columns lead no valid, non-partial index.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from healthschema.checks import access_matrix
from healthschema.pg import connect as db


@dataclass(frozen=True)
class Finding:
    """One broken rule: which rule, on which object, and what is wrong."""

    rule: str
    object: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.rule}: {self.object}: {self.message}"


AUTH_CALL = re.compile(r"\bauth\.(uid|jwt|role|email)\(\)|\bcurrent_setting\(", re.I)
WRAPPED_AUTH_CALL = re.compile(r"\bselect\s+(auth\.(uid|jwt|role|email)\(\)|current_setting\()", re.I)
ALWAYS_TRUE = {"true", "1=1", "'t'::boolean", "(true)"}
COMMANDS_OF = {"ALL": ("SELECT", "INSERT", "UPDATE", "DELETE")}


def security_findings(
    url: str, schema: str = "public", private_schema: str = "healthschema_private",
    tables: tuple[str, ...] = access_matrix.TABLE_NAMES,
) -> list[Finding]:
    """Every security finding on ``url`` for our tables and functions (empty: all rules hold)."""
    with db.connection(url, autocommit=True) as conn:
        return findings_on(conn, schema, private_schema, tables)


def findings_on(
    conn: db.Connection, schema: str = "public", private_schema: str = "healthschema_private",
    tables: tuple[str, ...] = access_matrix.TABLE_NAMES,
) -> list[Finding]:
    """:func:`security_findings` on an open connection (sees its uncommitted changes)."""
    params: dict[str, Any] = {"schema": schema, "private_schema": private_schema, "tables": list(tables)}
    table_rows = db.fetch_all(conn, "security/tables", params)
    policy_rows = db.fetch_all(conn, "security/policies", params)
    function_rows = db.fetch_all(conn, "security/functions", params)
    privilege_rows = db.fetch_all(conn, "security/privileges", params)
    fk_rows = db.fetch_all(conn, "security/fk_indexes", params)
    return [
        *_table_findings(schema, table_rows),
        *_policy_findings(schema, private_schema, policy_rows),
        *function_findings(function_rows),
        *_privilege_findings(schema, privilege_rows),
        *(Finding("fk_unindexed", f"{schema}.{table}.{name}", f"foreign key ({columns}) leads no index")
          for table, name, columns in fk_rows),
    ]


def _table_findings(schema: str, rows: list[tuple[Any, ...]]) -> list[Finding]:
    findings = []
    for name, present, enabled, forced, owner, owner_bypasses in rows:
        obj = f"{schema}.{name}"
        if not present:
            findings.append(Finding("table_missing", obj, "table does not exist"))
        elif not enabled:
            findings.append(Finding("rls_disabled", obj, "row level security is not enabled"))
        elif not forced:
            findings.append(Finding("rls_not_forced", obj, "row level security is not FORCEd (the owner bypasses it)"))
        elif not owner_bypasses:
            findings.append(Finding("owner_subject_to_rls", obj,
                                    f"owner {owner} is neither superuser nor BYPASSRLS: with FORCE, the "
                                    "SECURITY DEFINER functions it owns see no rows"))
    return findings


def _normalized(expr: str | None) -> str:
    return re.sub(r"\s+", "", expr or "").lower().strip("()")


def _policy_findings(schema: str, private_schema: str, rows: list[tuple[Any, ...]]) -> list[Finding]:
    findings: list[Finding] = []
    per_role_command: Counter[tuple[str, str, str]] = Counter()
    helper = re.compile(rf"\b{re.escape(private_schema)}\.\w+\(", re.I)
    wrapped_helper = re.compile(rf"\bselect\s+{re.escape(private_schema)}\.\w+\(", re.I)
    for table, name, permissive, roles, cmd, qual, check in rows:
        obj = f"{schema}.{table}: policy {name}"
        if "public" in roles:
            findings.append(Finding("policy_for_public", obj, "applies to PUBLIC; name the roles (TO authenticated)"))
        if "anon" in roles:
            findings.append(Finding("policy_for_anon", obj, "applies to anon, which must get nothing (SPEC §2.5)"))
        if permissive == "PERMISSIVE":
            findings += _always_true(obj, cmd, qual, check)
            for role in roles:
                for command in COMMANDS_OF.get(cmd, (cmd,)):
                    per_role_command[(table, role, command)] += 1
        for expr in (qual, check):
            text = expr or ""
            if len(AUTH_CALL.findall(text)) > len(WRAPPED_AUTH_CALL.findall(text)):
                findings.append(Finding("auth_call_unwrapped", obj,
                                        "auth.*()/current_setting() called per row; wrap it as (select auth.uid())"))
            if len(helper.findall(text)) > len(wrapped_helper.findall(text)):
                findings.append(Finding("helper_call_unwrapped", obj,
                                        f"a {private_schema} helper is called per row; wrap it as (select ...)"))
            if "user_metadata" in text or "raw_user_meta_data" in text:
                findings.append(Finding("policy_uses_user_metadata", obj,
                                        "user_metadata is editable by the user; use app_metadata"))
    for (table, role, command), count in sorted(per_role_command.items()):
        if count > 1:
            findings.append(Finding("multiple_permissive_policies", f"{schema}.{table}",
                                    f"{count} permissive policies for role {role}, command {command}"))
    return _unique(findings)


def _always_true(obj: str, cmd: str, qual: str | None, check: str | None) -> list[Finding]:
    if _normalized(qual) in ALWAYS_TRUE or _normalized(check) in ALWAYS_TRUE:
        return [Finding("policy_always_true", obj, f"{cmd} policy is always true (no tenant isolation)")]
    if cmd == "INSERT" and check is None:
        return [Finding("policy_always_true", obj, "INSERT policy without WITH CHECK accepts every row")]
    return []


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def function_findings(rows: list[tuple[Any, ...]]) -> list[Finding]:
    """The function rules on rows of (signature, SECURITY DEFINER?, fixed search_path?, executable by
    anon?); further columns are ignored (lint's rows add "in an exposed schema?")."""
    findings = []
    for signature, definer, search_path_fixed, anon_can_execute, *_ in rows:
        if not search_path_fixed:
            findings.append(Finding("function_search_path_mutable", signature,
                                    "no fixed search_path (add SET search_path = '')"))
        if definer and anon_can_execute:
            findings.append(Finding("security_definer_executable_by_anon", signature,
                                    "SECURITY DEFINER and executable by anon (REVOKE EXECUTE FROM PUBLIC, anon)"))
    return findings


def _privilege_findings(schema: str, rows: list[tuple[Any, ...]]) -> list[Finding]:
    findings = []
    for role, obj, privilege in rows:
        target = obj if privilege == "USAGE" else f"{schema}.{obj}"
        rule = "anon_privilege" if role == "anon" else "api_role_privilege"
        findings.append(Finding(rule, target, f"{role} holds {privilege}"))
    return findings
