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
        "SELECT": _rule(DENIED, everywhere="nobody member_a admin_a assignee_a " + STAFF),
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


# --- Column-level UPDATE rights ------------------------------------------------------------------
# Every column of the two organization tables that API personas update (a test compares the lists
# with the live tables). ``client_id`` and ``organization_id`` (TENANCY) are changed only within
# reach: the UPDATE policies' WITH CHECK and the organization rule decide (the move cells).
TENANCY: tuple[str, ...] = ("client_id", "organization_id")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "success_milestones": (
        "id", "client_id", "organization_id", "milestone_type", "milestone_category", "milestone_name",
        "milestone_description", "status", "priority", "progress_percentage", "target_completion_date",
        "actual_completion_date", "estimated_hours", "actual_hours", "health_score_impact",
        "engagement_score_impact", "progress_score_impact", "wedding_date", "days_until_wedding",
        "is_critical_path", "prerequisite_milestone_ids", "dependent_milestone_ids", "auto_generated",
        "trigger_conditions", "completion_triggers", "assigned_user_id", "assigned_team",
        "requires_supplier_action", "supplier_dependencies", "milestone_version", "template_id",
        "custom_fields", "notes", "created_at", "updated_at", "started_at", "completed_at",
    ),
    "support_interactions": (
        "id", "client_id", "organization_id", "interaction_type", "interaction_category",
        "interaction_method", "trigger_event", "trigger_threshold", "health_score_at_interaction",
        "churn_risk_level", "subject", "description", "interaction_data", "priority", "urgency",
        "assigned_user_id", "assigned_team", "escalation_level", "status", "resolution_type", "created_at",
        "updated_at", "first_response_at", "resolved_at", "closed_at", "sla_target_response_hours",
        "sla_target_resolution_hours", "sla_response_met", "sla_resolution_met", "sla_response_due_at",
        "sla_resolution_due_at", "customer_contacted", "customer_response_received",
        "customer_satisfaction_rating", "customer_feedback", "outcome_category", "resolution_notes",
        "follow_up_required", "follow_up_date", "health_score_impact_predicted", "health_score_impact_actual",
        "engagement_impact", "satisfaction_impact", "related_milestone_id", "related_support_ticket_id",
        "related_interaction_ids", "auto_generated", "ai_sentiment_score", "ai_suggested_actions",
        "ai_risk_assessment", "messages_sent", "messages_received", "total_touchpoints",
        "communication_preferences", "interaction_version", "tags", "custom_fields",
    ),
}

_MILESTONE_ASSIGNEE = ("status", "progress_percentage", "actual_hours", "notes", "custom_fields")
_MILESTONE_ADMIN = _MILESTONE_ASSIGNEE + (
    "milestone_name", "milestone_description", "priority", "target_completion_date", "estimated_hours",
    "is_critical_path", "prerequisite_milestone_ids", "assigned_user_id", "assigned_team",
    "requires_supplier_action", "supplier_dependencies",
)
_MILESTONE_STAFF = _MILESTONE_ADMIN + (
    "milestone_type", "milestone_category", "health_score_impact", "engagement_score_impact",
    "progress_score_impact", "trigger_conditions", "completion_triggers",
)
_INTERACTION_ASSIGNEE = (
    "status", "resolution_type", "description", "escalation_level", "first_response_at",
    "customer_contacted", "customer_response_received", "customer_feedback", "outcome_category",
    "resolution_notes", "follow_up_required", "follow_up_date", "messages_sent", "messages_received",
    "health_score_impact_actual", "interaction_data", "tags", "custom_fields",
)
_INTERACTION_STAFF = _INTERACTION_ASSIGNEE + (
    "interaction_type", "interaction_category", "interaction_method", "trigger_event", "trigger_threshold",
    "health_score_at_interaction", "churn_risk_level", "subject", "priority", "urgency", "assigned_user_id",
    "assigned_team", "customer_satisfaction_rating", "related_milestone_id", "related_support_ticket_id",
    "related_interaction_ids", "health_score_impact_predicted", "engagement_impact", "satisfaction_impact",
    "ai_sentiment_score", "ai_suggested_actions", "ai_risk_assessment", "communication_preferences",
)

# Persona class → the columns (besides TENANCY) its job needs to change. Classes: ``staff``
# (cs_agent, platform_admin), ``admin`` (OWNER/ADMIN of the row's organization), ``assignee`` (the
# assigned member). service_role and the owner keep table-level UPDATE.
COLUMN_RIGHTS: dict[str, dict[str, tuple[str, ...]]] = {
    "success_milestones": {"staff": _MILESTONE_STAFF, "admin": _MILESTONE_ADMIN, "assignee": _MILESTONE_ASSIGNEE},
    "support_interactions": {"staff": _INTERACTION_STAFF, "assignee": _INTERACTION_ASSIGNEE},
}
# Columns an API persona may set only while they are NULL; the database records now() instead of
# the supplied time (a first response cannot be back-dated to meet its SLA).
STAMP_ONCE: dict[str, tuple[str, ...]] = {"support_interactions": ("first_response_at",)}
# Configuration tables: what platform_admin may change (the UPDATE grant of authenticated).
CONFIG_UPDATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "milestone_templates": (
        "template_key", "milestone_name", "milestone_description", "milestone_type", "milestone_category",
        "priority", "due_anchor", "due_offset_days", "prerequisite_keys", "is_critical_path",
        "health_score_impact", "engagement_score_impact", "progress_score_impact", "is_active",
    ),
    "health_score_config": (
        "weight_engagement", "weight_progress", "weight_satisfaction", "weight_churn_risk",
        "threshold_excellent", "threshold_good", "threshold_at_risk",
    ),
    "sla_targets": ("response_hours", "resolution_hours"),
}
PERSONA_CLASS: dict[str, str] = {
    "admin_a": "admin", "assignee_a": "assignee", "cs_agent": "staff", "platform_admin": "staff",
}


def authenticated_update_columns(table: str) -> tuple[str, ...]:
    """The UPDATE column grant of ``authenticated`` on a table: every persona's columns, in table order."""
    if table in CONFIG_UPDATE_COLUMNS:
        return CONFIG_UPDATE_COLUMNS[table]
    wanted = set(TENANCY).union(*COLUMN_RIGHTS[table].values())
    return tuple(c for c in TABLE_COLUMNS[table] if c in wanted)


def template_data() -> dict[str, object]:
    """What the migration templates generate the grants and column checks from."""
    return {
        "tables": {
            table: {
                "columns": list(TABLE_COLUMNS[table]),
                "rights": {k: list(v) for k, v in COLUMN_RIGHTS[table].items()},
                "stamp_once": list(STAMP_ONCE.get(table, ())),
                "authenticated_update": list(authenticated_update_columns(table)),
            }
            for table in COLUMN_RIGHTS
        },
        "tenancy": list(TENANCY),
        "config_update": {t: list(c) for t, c in CONFIG_UPDATE_COLUMNS.items()},
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
