"""The access matrix of SPEC §2.5 as data: the single source for the RLS tests and ``policy-check``.

Every cell is (persona, table, command, target) → expected outcome:

* ``✓`` allowed: the statement returns the row (``RETURNING`` for writes);
* ``F`` filtered: 0 rows, no error (a USING clause hides the row);
* ``D`` denied: SQLSTATE 42501 (no privilege, or a WITH CHECK / INSERT policy violation, or a column
  the persona may not change).

Targets on the organization-scoped tables: ``own`` (a row of org A, which the org-A personas belong
to; assigned to ``assignee_a``), ``other`` (a row of org B) and ``move`` (UPDATE of the org-A row
into org B). Configuration and template tables have no organization: their single target is ``row``.

Writes run twice where the policies' WITH CHECK decides: with ``RETURNING`` (which also applies the
SELECT policy to the new row) and *bare* (no ``RETURNING``; the effect is read back as the owner), so
that each INSERT/UPDATE policy's WITH CHECK is proven on its own.

Column cells: UPDATE rights are column-level (:data:`COLUMN_RIGHTS`). For every persona allowed to
update its own row, one cell per column: ✓ when the column is in its list, D otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from healthschema.files.column_rights import (  # re-exported: part of the matrix's data
    COLUMN_RIGHTS,
    TABLE_COLUMNS,
    TENANCY,
)


class Outcome(StrEnum):
    ALLOWED = "✓"
    FILTERED = "F"
    DENIED = "D"


ALLOWED, FILTERED, DENIED = Outcome.ALLOWED, Outcome.FILTERED, Outcome.DENIED

COMMANDS: tuple[str, ...] = ("SELECT", "INSERT", "UPDATE", "DELETE")
ORG_TARGETS: tuple[str, ...] = ("own", "other", "move")
CONFIG_TARGETS: tuple[str, ...] = ("row",)


@dataclass(frozen=True)
class Persona:
    """Who runs the statement: the database role PostgREST would switch to, and the JWT."""

    name: str
    db_role: str
    description: str
    signed_in: bool = True
    org_role: str | None = None  # user_profiles.role in org A (None: no profile)
    platform_role: str | None = None  # JWT app_metadata.platform_role
    assigned: bool = False  # assigned_user_id of the org-A rows


PERSONAS: tuple[Persona, ...] = (
    Persona("anon", "anon", "not signed in", signed_in=False),
    Persona("nobody", "authenticated", "signed in; no profile, no platform role"),
    Persona("member_a", "authenticated", "MEMBER of org A", org_role="MEMBER"),
    Persona("admin_a", "authenticated", "ADMIN of org A", org_role="ADMIN"),
    Persona("assignee_a", "authenticated", "MEMBER of org A, assigned to the org-A rows",
            org_role="MEMBER", assigned=True),
    Persona("cs_agent", "authenticated", "platform_role customer_success", platform_role="customer_success"),
    Persona("platform_admin", "authenticated", "platform_role platform_admin", platform_role="platform_admin"),
    Persona("service_role", "service_role", "service key (BYPASSRLS)", signed_in=False),
    # An attacker cell: PostgREST accepts any correctly signed token, so a JWT for role authenticated
    # without `sub` (auth.uid() is NULL) must be treated as no user at all.
    Persona("no_sub", "authenticated", "role authenticated, a signed JWT without sub", signed_in=False),
)
PERSONA_BY_NAME = {p.name: p for p in PERSONAS}
# Org-role spellings that must behave the same (SPEC §2.5: OWNER or ADMIN, MEMBER or VIEWER).
EQUIVALENT_ORG_ROLES = {"ADMIN": "OWNER", "MEMBER": "VIEWER"}


@dataclass(frozen=True)
class Rule:
    """Who may run one command on one table.

    ``own_org``: allowed on rows of their own organization only (other org: F for reads, updates and
    deletes, D for inserts; moving a row into the other org: D). ``everywhere``: allowed on every
    row. Everyone else gets ``otherwise``; ``anon`` always gets D (it holds no privilege at all).
    """

    otherwise: Outcome
    own_org: frozenset[str] = frozenset()
    everywhere: frozenset[str] = frozenset()


def _rule(otherwise: Outcome, own_org: str = "", everywhere: str = "") -> Rule:
    return Rule(otherwise, frozenset(own_org.split()), frozenset(everywhere.split()))


STAFF = "cs_agent platform_admin service_role"
WRITERS = "platform_admin service_role"  # config / template tables


@dataclass(frozen=True)
class Table:
    """A table under RLS: its key column, whether rows belong to an organization, and the column an
    UPDATE cell sets to itself (one every persona with UPDATE may change)."""

    name: str
    key: str = "id"
    org_scoped: bool = True
    rules: dict[str, Rule] = field(default_factory=dict)
    touch: str = "id"
    movable: bool = True  # customer_health: a snapshot never moves to another client (immutable)

    @property
    def targets(self) -> tuple[str, ...]:
        if not self.org_scoped:
            return CONFIG_TARGETS
        return ORG_TARGETS if self.movable else ("own", "other")


def _config_table(name: str, touch: str, key: str = "id") -> Table:
    return Table(name, key=key, org_scoped=False, touch=touch, rules={
        "SELECT": _rule(FILTERED, everywhere="nobody member_a admin_a assignee_a " + STAFF),
        "INSERT": _rule(DENIED, everywhere=WRITERS),
        "UPDATE": _rule(FILTERED, everywhere=WRITERS),
        "DELETE": _rule(FILTERED, everywhere=WRITERS),
    })


TABLES: tuple[Table, ...] = (
    Table("customer_health", touch="billing_status", movable=False, rules={
        "SELECT": _rule(FILTERED, own_org="admin_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, everywhere="service_role"),
        "UPDATE": _rule(DENIED, everywhere="service_role"),
        "DELETE": _rule(DENIED, everywhere="service_role"),
    }),
    Table("success_milestones", touch="notes", rules={
        "SELECT": _rule(FILTERED, own_org="member_a admin_a assignee_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, own_org="admin_a", everywhere=STAFF),
        "UPDATE": _rule(FILTERED, own_org="admin_a assignee_a", everywhere=STAFF),
        "DELETE": _rule(FILTERED, own_org="admin_a", everywhere=WRITERS),
    }),
    Table("support_interactions", touch="description", rules={
        "SELECT": _rule(FILTERED, own_org="admin_a assignee_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, everywhere=STAFF),
        "UPDATE": _rule(FILTERED, own_org="assignee_a", everywhere=STAFF),
        "DELETE": _rule(FILTERED, everywhere=WRITERS),
    }),
    _config_table("milestone_templates", touch="milestone_name"),
    _config_table("health_score_config", touch="threshold_good"),
    _config_table("sla_targets", touch="response_hours", key="priority"),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)


# --- Column-level UPDATE rights: data in healthschema.files.column_rights (the templates render it) ---
PERSONA_CLASS: dict[str, str] = {
    "admin_a": "admin", "assignee_a": "assignee", "cs_agent": "staff", "platform_admin": "staff",
}


@dataclass(frozen=True)
class Cell:
    """One expectation of the matrix. ``returning``: the write has ``RETURNING`` (otherwise the
    effect is read back as the owner). ``column``: a column cell (UPDATE of that one column)."""

    persona: str
    table: str
    command: str  # SELECT, INSERT, UPDATE, DELETE
    target: str  # own, other, move (UPDATE only), row
    expected: Outcome
    returning: bool = True
    column: str | None = None

    @property
    def id(self) -> str:
        suffix = "" if self.returning else "-bare"
        if self.column:
            suffix += f"-{self.column}"
        return f"{self.table}-{self.command}-{self.target}{suffix}-{self.persona}"


def expected(persona: str, table: str, command: str, target: str) -> Outcome:
    """The expected outcome of one cell."""
    if persona == "anon":
        return DENIED
    rule = TABLE_BY_NAME[table].rules[command]
    if persona in rule.everywhere:
        return ALLOWED
    if persona in rule.own_org:
        if target == "own":
            return ALLOWED
        if target == "other" and command != "INSERT":
            return FILTERED
        return DENIED
    return rule.otherwise


def expected_column(persona: str, table: str, column: str) -> Outcome:
    """A column cell: may the persona change this column of its own row?"""
    klass = PERSONA_CLASS.get(persona)
    allowed = COLUMN_RIGHTS[table].get(klass, ()) if klass else ()
    return ALLOWED if column in allowed else DENIED


def commands_for(table: Table, target: str) -> tuple[str, ...]:
    """Commands tried on a target: ``move`` is an UPDATE only."""
    return ("UPDATE",) if target == "move" else COMMANDS


def _bare(table: Table, target: str, command: str) -> bool:
    """Writes whose WITH CHECK decides get a bare twin: INSERTs and the move of org-scoped tables."""
    return table.org_scoped and (command == "INSERT" or target == "move")


def cells() -> list[Cell]:
    """Every row cell: persona × table × command × target (plus the move-into-other-org UPDATE), and
    the bare twins of the writes whose WITH CHECK decides."""
    out = []
    for table in TABLES:
        for target in table.targets:
            for command in commands_for(table, target):
                for persona in PERSONAS:
                    outcome = expected(persona.name, table.name, command, target)
                    out.append(Cell(persona.name, table.name, command, target, outcome))
                    if _bare(table, target, command):
                        out.append(Cell(persona.name, table.name, command, target, outcome, returning=False))
    return out


def column_cells() -> list[Cell]:
    """One cell per (persona allowed to update its own row, column other than the key and TENANCY)."""
    return [
        Cell(persona, table, "UPDATE", "own", expected_column(persona, table, column), returning=False,
             column=column)
        for table in COLUMN_RIGHTS
        for persona in PERSONA_CLASS
        if expected(persona, table, "UPDATE", "own") == ALLOWED
        for column in TABLE_COLUMNS[table]
        if column != "id" and column not in TENANCY
    ]


def all_cells() -> list[Cell]:
    """Row cells and column cells: what ``policy-check`` runs."""
    return cells() + column_cells()
