"""Column-level UPDATE rights of the API personas (SPEC §2.5), as data.

The access matrix (:mod:`healthschema.checks.access_matrix`) turns them into column cells; the RLS
migration template renders the ``authenticated`` column grants and the ``<table>_authorize_columns``
triggers from :func:`template_data`. docs/security.md lists them per persona.
"""

from __future__ import annotations

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
# Tables whose whole rows authenticated may INSERT (the INSERT policies decide which rows);
# customer_health is read-only for it (docs/security.md, "Explicit grants"). Lint's
# column_rights_mismatch rule compares the live grants with these and with the UPDATE lists.
AUTHENTICATED_INSERT_TABLES: tuple[str, ...] = ("success_milestones", "support_interactions", *CONFIG_UPDATE_COLUMNS)


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
