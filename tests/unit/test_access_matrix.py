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
    assert len(cells) == per_persona * (org_tables * (2 * 4 + 1) + config_tables * 4)


def test_move_is_an_update_only() -> None:
    assert {c.command for c in am.cells() if c.target == "move"} == {"UPDATE"}
