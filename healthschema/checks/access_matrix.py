"""The access matrix of SPEC §2.5 as data: the single source for the RLS tests and ``policy-check``.

Every cell is (persona, table, command, target) → expected outcome:

* ``✓`` allowed: the statement returns the row (``RETURNING`` for writes);
* ``F`` filtered: 0 rows, no error (a USING clause hides the row);
* ``D`` denied: SQLSTATE 42501 (no privilege, or a WITH CHECK / INSERT policy violation).

Targets on the organization-scoped tables: ``own`` (a row of org A, which the org-A personas belong
to; assigned to ``assignee_a``), ``other`` (a row of org B) and ``move`` (UPDATE of the org-A row
into org B). Configuration and template tables have no organization: their single target is ``row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
    """A table under RLS: its key column and whether rows belong to an organization."""

    name: str
    key: str = "id"
    org_scoped: bool = True
    rules: dict[str, Rule] = field(default_factory=dict)

    @property
    def targets(self) -> tuple[str, ...]:
        return ORG_TARGETS if self.org_scoped else CONFIG_TARGETS


def _config_table(name: str, key: str = "id") -> Table:
    return Table(name, key=key, org_scoped=False, rules={
        "SELECT": _rule(DENIED, everywhere="nobody member_a admin_a assignee_a " + STAFF),
        "INSERT": _rule(DENIED, everywhere=WRITERS),
        "UPDATE": _rule(FILTERED, everywhere=WRITERS),
        "DELETE": _rule(FILTERED, everywhere=WRITERS),
    })


TABLES: tuple[Table, ...] = (
    Table("customer_health", rules={
        "SELECT": _rule(FILTERED, own_org="admin_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, everywhere="service_role"),
        "UPDATE": _rule(DENIED, everywhere="service_role"),
        "DELETE": _rule(DENIED, everywhere="service_role"),
    }),
    Table("success_milestones", rules={
        "SELECT": _rule(FILTERED, own_org="member_a admin_a assignee_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, own_org="admin_a", everywhere=STAFF),
        "UPDATE": _rule(FILTERED, own_org="admin_a assignee_a", everywhere=STAFF),
        "DELETE": _rule(FILTERED, own_org="admin_a", everywhere=WRITERS),
    }),
    Table("support_interactions", rules={
        "SELECT": _rule(FILTERED, own_org="admin_a assignee_a", everywhere=STAFF),
        "INSERT": _rule(DENIED, everywhere=STAFF),
        "UPDATE": _rule(FILTERED, own_org="assignee_a", everywhere=STAFF),
        "DELETE": _rule(FILTERED, everywhere=WRITERS),
    }),
    _config_table("milestone_templates"),
    _config_table("health_score_config"),
    _config_table("sla_targets", key="priority"),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)


@dataclass(frozen=True)
class Cell:
    """One expectation of the matrix."""

    persona: str
    table: str
    command: str  # SELECT, INSERT, UPDATE, DELETE
    target: str  # own, other, move (UPDATE only), row
    expected: Outcome

    @property
    def id(self) -> str:
        return f"{self.table}-{self.command}-{self.target}-{self.persona}"


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


def commands_for(table: Table, target: str) -> tuple[str, ...]:
    """Commands tried on a target: ``move`` is an UPDATE only."""
    return ("UPDATE",) if target == "move" else COMMANDS


def cells() -> list[Cell]:
    """Every cell: persona × table × command × target (plus the move-into-other-org UPDATE)."""
    return [
        Cell(persona.name, table.name, command, target, expected(persona.name, table.name, command, target))
        for table in TABLES
        for target in table.targets
        for command in commands_for(table, target)
        for persona in PERSONAS
    ]
