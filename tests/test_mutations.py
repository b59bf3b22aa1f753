"""``policy-check --mutations``: every weakening is caught by the matrix (or, where no persona can
observe it, by the security check made for it); a deliberately narrowed matrix shows its gaps."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from healthschema.checks import access_matrix as am
from healthschema.checks.mutations import EQUIVALENT_CHECK, MutationReport, check_mutations, mutations
from healthschema.cli.quality import mutation_text
from healthschema.files.project import Project
from healthschema.pg import disposable
from tests.conftest import Servers
from tests.helpers import cli, rolled_back, user_objects

# Mutants the engine proves equivalent from the catalog (checks/mutations.py, EQUIVALENT_CHECK): WITH
# CHECK -> true on the config tables' UPDATE policies, whose check equals their row-independent USING.
# Nothing else may be equivalent, and nothing at all uncaught. (USING -> true on the config tables'
# SELECT policies is caught by the no_sub persona: a signed JWT without `sub`.)
EQUIVALENT = {
    "check_true health_score_config.health_score_config_update",
    "check_true milestone_templates.milestone_templates_update",
    "check_true sla_targets.sla_targets_update",
}


@pytest.fixture(scope="module")
def mutation_db(pg: disposable.DisposableServer, servers: Servers, project: Project) -> Iterator[str]:
    """A deployed database of its own: the runs leave nothing behind, but their rolled-back writes
    change the tables' statistics (dead rows), which would sway the planner tests on the shared one."""
    name = f"mutations_{os.getpid()}_{servers.kind(pg)}"
    with disposable.scratch_database(pg.url, name, template=servers.applied_template(pg, project)) as url:
        yield url


@pytest.fixture(scope="module")
def cli_run(mutation_db: str) -> tuple[int, dict[str, Any], bool]:
    """One full run through the CLI (which must leave the database unchanged)."""
    url = mutation_db
    before = user_objects(url)
    result = cli("policy-check", "--mutations", "--format", "json", "--database-url", url)
    return result.exit_code, json.loads(result.stdout), user_objects(url) == before


@pytest.fixture(scope="module")
def full_report(cli_run: tuple[int, dict[str, Any], bool]) -> MutationReport:
    return MutationReport.from_dict(cli_run[1])


def test_every_policy_is_mutated_in_every_way(full_report: MutationReport) -> None:
    names = {r.mutation.name for r in full_report.results}
    assert {f"drop_force {t}" for t in am.TABLE_NAMES} <= names
    assert "using_true customer_health.customer_health_select" in names
    assert "check_true success_milestones.success_milestones_insert" in names
    # customer_health: SELECT only; milestones, interactions and the 3 config tables: one per command.
    assert sum(r.mutation.kind == "add_role" for r in full_report.results) == 1 + 4 + 4 + 3 * 4
    assert not full_report.baseline


def test_no_weakening_is_uncaught(full_report: MutationReport) -> None:
    uncaught = {r.mutation.name for r in full_report.uncaught}
    assert uncaught == set()
    assert {r.mutation.name for r in full_report.equivalent} == EQUIVALENT
    assert all(r.mutation.equivalent == EQUIVALENT_CHECK for r in full_report.equivalent)
    for result in full_report.results:
        if result.mutation.kind in ("using_true", "check_true") and result.caught:
            assert result.cells and not result.findings  # the matrix itself, not a static check
        if result.mutation.kind in ("add_role", "drop_force"):
            assert result.findings, result.mutation.name
    selects = {f"using_true {t}.{t}_select" for t in ("health_score_config", "milestone_templates", "sla_targets")}
    by_name = {r.mutation.name: r for r in full_report.results}
    for name in selects:  # caught by the attacker cell, and only by it
        assert by_name[name].cells and all(" as no_sub:" in cell for cell in by_name[name].cells), name


def test_equivalence_needs_the_proof(mutation_db: str) -> None:
    """Only the row-independent, sole permissive UPDATE policies qualify: a WITH CHECK that reads the
    row does not, and neither does one that a second permissive UPDATE policy could widen."""
    with psycopg.connect(mutation_db, autocommit=True) as conn, rolled_back(conn):
        found = {m.name: m.equivalent for m in mutations(conn, "public", am.TABLE_NAMES)}
        assert {name for name, why in found.items() if why} == EQUIVALENT
        assert not found["check_true success_milestones.success_milestones_update"]
        conn.execute("CREATE POLICY sla_targets_update_too ON public.sla_targets FOR UPDATE TO authenticated "
                     "USING ((SELECT auth.uid()) IS NOT NULL) WITH CHECK (response_hours > 0)")
        conn.execute("ALTER POLICY milestone_templates_update ON public.milestone_templates "
                     "WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin' AND is_active)")
        again = {m.name: m.equivalent for m in mutations(conn, "public", am.TABLE_NAMES)}
        assert {name for name, why in again.items() if why} == {
            "check_true health_score_config.health_score_config_update"}


def test_a_narrowed_matrix_leaves_gaps(mutation_db: str) -> None:
    url = mutation_db
    full = check_mutations(url, kinds=("using_true",), tables=("customer_health",))
    narrowed_cells = [c for c in am.cells() if not (c.table == "customer_health" and c.command == "SELECT")]
    narrowed = check_mutations(url, cells=narrowed_cells, kinds=("using_true",), tables=("customer_health",))
    assert [r.mutation.name for r in full.results] == ["using_true customer_health.customer_health_select"]
    assert full.ok and full.results[0].cells
    assert [r.mutation.name for r in narrowed.uncaught] == ["using_true customer_health.customer_health_select"]
    assert not narrowed.ok
    # Without the attacker persona (a signed JWT without `sub`), the config tables' read policy
    # could be USING (true) and no other cell would notice.
    config = ("sla_targets",)
    with_attacker = check_mutations(url, kinds=("using_true",), tables=config)
    without = check_mutations(url, cells=[c for c in am.cells() if c.persona != "no_sub"], kinds=("using_true",),
                              tables=config)
    assert with_attacker.ok
    assert [r.mutation.name for r in without.uncaught] == ["using_true sla_targets.sla_targets_select"]


def test_cli_exit_code_names_uncaught_and_changes_nothing(cli_run: tuple[int, dict[str, Any], bool]) -> None:
    exit_code, data, unchanged = cli_run
    assert exit_code == 0 and data["uncaught"] == [] and set(data["equivalent"]) == EQUIVALENT
    assert unchanged
    assert data["mutations"] == len(data["results"]) > 50
    text = mutation_text(MutationReport.from_dict(data))
    assert text.splitlines()[-1].endswith(f"{len(data['uncaught'])} uncaught")
    assert all(f"UNCAUGHT {name}:" in text for name in data["uncaught"])
    assert all(f"equivalent {name}: its WITH CHECK equals its USING" in text for name in data["equivalent"])
