"""The access matrix's expectations (checks/access_matrix.py) against SPEC §2.5, without a database."""

from __future__ import annotations

import pytest

from healthschema.checks import access_matrix as am
from healthschema.checks.access_matrix import ALLOWED as A
from healthschema.checks.access_matrix import DENIED as D
from healthschema.checks.access_matrix import FILTERED as F


@pytest.mark.parametrize(("persona", "table", "command", "target", "outcome"), [
    ("anon", "customer_health", "SELECT", "own", D),
    ("nobody", "customer_health", "SELECT", "own", F),
    ("member_a", "customer_health", "SELECT", "own", F),
    ("admin_a", "customer_health", "SELECT", "own", A),
    ("admin_a", "customer_health", "SELECT", "other", F),
    ("cs_agent", "customer_health", "SELECT", "other", A),
    ("platform_admin", "customer_health", "UPDATE", "own", D),
    ("service_role", "customer_health", "DELETE", "other", A),
    ("member_a", "success_milestones", "SELECT", "own", A),
    ("admin_a", "success_milestones", "INSERT", "other", D),
    ("admin_a", "success_milestones", "UPDATE", "move", D),
    ("assignee_a", "success_milestones", "UPDATE", "own", A),
    ("assignee_a", "success_milestones", "DELETE", "own", F),
    ("cs_agent", "success_milestones", "DELETE", "own", F),
    ("admin_a", "support_interactions", "INSERT", "own", D),
    ("assignee_a", "support_interactions", "UPDATE", "other", F),
    ("cs_agent", "support_interactions", "DELETE", "own", F),
    ("nobody", "milestone_templates", "SELECT", "row", A),
    ("anon", "sla_targets", "SELECT", "row", D),
    ("cs_agent", "health_score_config", "UPDATE", "row", F),
    ("platform_admin", "health_score_config", "INSERT", "row", A),
])
def test_expected_outcomes_follow_the_spec(persona: str, table: str, command: str, target: str,
                                           outcome: am.Outcome) -> None:
    assert am.expected(persona, table, command, target) is outcome


def test_every_cell_is_generated_once() -> None:
    cells = am.cells()
    assert len({c.id for c in cells}) == len(cells)
    per_persona = len(am.PERSONAS)
    org_tables = sum(1 for t in am.TABLES if t.org_scoped)
    config_tables = len(am.TABLES) - org_tables
    movable = sum(1 for t in am.TABLES if t.org_scoped and t.movable)
    # rows: 4 commands × own/other per org table, the move where a row can move, 4 per config table;
    # bare twins (no RETURNING): INSERT own/other per org table, and each move.
    assert len(cells) == per_persona * (org_tables * 2 * 4 + movable + config_tables * 4 + org_tables * 2 + movable)
    assert sum(not c.returning for c in cells) == per_persona * (org_tables * 2 + movable)


def test_column_cells_follow_the_column_rights() -> None:
    cells = am.column_cells()
    assert len({c.id for c in cells}) == len(cells)
    by = {(c.persona, c.table, c.column): c.expected for c in cells}
    assert by[("assignee_a", "support_interactions", "created_at")] is D
    assert by[("assignee_a", "support_interactions", "sla_target_response_hours")] is D
    assert by[("assignee_a", "support_interactions", "first_response_at")] is A
    assert by[("cs_agent", "support_interactions", "sla_target_resolution_hours")] is D
    assert by[("admin_a", "success_milestones", "prerequisite_milestone_ids")] is A
    assert by[("assignee_a", "success_milestones", "milestone_name")] is D
    assert by[("platform_admin", "success_milestones", "dependent_milestone_ids")] is D
    assert ("admin_a", "support_interactions", "status") not in by  # admin_a cannot update interactions at all
    assert not any(c.column in ("id", "client_id", "organization_id") for c in cells)


def test_move_is_an_update_only() -> None:
    assert {c.command for c in am.cells() if c.target == "move"} == {"UPDATE"}
