"""``healthschema lint``: our migrations pass; each deliberately bad migration is reported with its rule id,
at its file and line; SARIF output is valid SARIF 2.1.0."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from healthschema.checks import lint_online, lint_squawk
from healthschema.checks.lint import lint
from healthschema.checks.lint_findings import LintFinding, LintReport
from healthschema.checks.lint_sarif import to_sarif
from healthschema.files.migration_files import read_all
from healthschema.files.project import Project, load_project
from healthschema.pg import disposable
from tests.conftest import REPO, Servers
from tests.helpers import cli

SARIF_SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# Each sample: its own migration (applied after ours, in this order), the line of the bad
# statement, and the rule ids lint must report there. The runner's lock_timeout is off in this
# project, so statements on existing tables also report lock_timeout_missing.
SAMPLES: list[tuple[str, str, int, set[str]]] = [
    ("blocking_index", "-- sample\nCREATE INDEX clients_last_name_idx ON public.clients (last_name);\n", 2,
     {"index_not_concurrent", "squawk/require-concurrent-index-creation", "lock_timeout_missing"}),
    ("always_true_policy", "-- sample\n\nCREATE POLICY customer_health_open ON public.customer_health\n"
     "    FOR SELECT TO authenticated USING (true);\n", 3, {"policy_always_true", "multiple_permissive_policies"}),
    ("rls_without_force", "CREATE TABLE public.lint_notes (id uuid PRIMARY KEY);\n"
     "ALTER TABLE public.lint_notes ENABLE ROW LEVEL SECURITY;\n", 1, {"rls_not_forced"}),
    ("function_without_search_path", "-- sample\nCREATE FUNCTION healthschema_private.lint_one() RETURNS int\n"
     "    LANGUAGE sql AS 'SELECT 1';\n", 2, {"function_search_path_mutable"}),
    ("definer_for_anon", "CREATE FUNCTION public.lint_whoami() RETURNS text LANGUAGE sql SECURITY DEFINER\n"
     "    SET search_path = '' AS $$ SELECT 'x' $$;\n", 1,
     {"security_definer_executable_by_anon", "security_definer_in_exposed_schema"}),
    ("unindexed_fk", "-- sample\nALTER TABLE public.support_interactions\n"
     "    ADD COLUMN lint_parent_id uuid REFERENCES public.support_interactions (id);\n", 2,
     {"fk_unindexed", "lock_timeout_missing"}),
    ("duplicate_index", "CREATE INDEX CONCURRENTLY customer_health_lint_dup_idx\n"
     "    ON public.customer_health (client_id, calculated_at DESC);\n", 1, {"index_duplicate"}),
    ("left_prefix_index", "CREATE INDEX CONCURRENTLY customer_health_lint_prefix_idx\n"
     "    ON public.customer_health (client_id);\n", 1, {"index_left_prefix"}),
    ("constraint_without_not_valid", "ALTER TABLE public.customer_health\n"
     "    ADD CONSTRAINT customer_health_lint_check CHECK (total_logins < 1000000);\n", 1,
     {"constraint_not_valid_missing", "squawk/constraint-missing-not-valid"}),
    # (support_interactions: no view reads it; a view's column cannot change type at all)
    ("column_type_rewrite", "ALTER TABLE public.support_interactions ALTER COLUMN messages_sent TYPE bigint;\n", 1,
     {"table_rewrite", "squawk/changing-column-type"}),
    ("not_null_without_default",
     "-- sample\nALTER TABLE public.customer_health ADD COLUMN lint_region text NOT NULL;\n", 2,
     {"not_null_without_default", "squawk/adding-required-field"}),
    # Column rights as documented (issue 14): an extra column UPDATE grant (an assignee could then
    # back-date created_at, were it not for the trigger), and a table-level UPDATE grant that makes
    # every column writable.
    ("extra_column_grant",
     "-- sample\nGRANT UPDATE (created_at) ON TABLE public.support_interactions TO authenticated;\n", 2,
     {"column_rights_mismatch"}),
    ("table_level_update", "GRANT UPDATE ON TABLE public.sla_targets TO authenticated;\n", 1,
     {"column_rights_mismatch"}),
]
NON_TRANSACTIONAL = {"duplicate_index", "left_prefix_index"}


def _bad_project(tmp_path: Path) -> Project:
    root = tmp_path / "bad"
    root.mkdir()
    config = (REPO / "healthschema.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^statement_lock_timeout_ms = \d+$", "statement_lock_timeout_ms = 0", config)
    (root / "healthschema.toml").write_text(config, encoding="utf-8")
    shutil.copy(REPO / ".squawk.toml", root)
    shutil.copytree(REPO / "migrations", root / "migrations")
    for number, (name, sql, _, _) in enumerate(SAMPLES, start=1):
        header = "-- transactional: false\n" if name in NON_TRANSACTIONAL else ""
        base = root / "migrations" / f"2099010100{number:04d}_{name}"
        base.with_suffix(".sql").write_text(header + sql, encoding="utf-8")
        base.with_name(base.name + ".rollback.sql").write_text("SELECT 1;\n", encoding="utf-8")
    return load_project(root)


@pytest.fixture(scope="module")
def bad_report(
    pg: disposable.DisposableServer, servers: Servers, project: Project, tmp_path_factory: pytest.TempPathFactory
) -> LintReport:
    """One lint run over all samples, starting from the applied template of this server."""
    bad = _bad_project(tmp_path_factory.mktemp("lint"))
    return lint(bad, pg.url, template=servers.applied_template(pg, project))


def _sample_file(name: str) -> str:
    number = next(i for i, sample in enumerate(SAMPLES, start=1) if sample[0] == name)
    return f"migrations/2099010100{number:04d}_{name}.sql"


@pytest.mark.parametrize(("name", "line", "rules"), [(s[0], s[2], s[3]) for s in SAMPLES], ids=[s[0] for s in SAMPLES])
def test_each_bad_migration_is_reported_with_its_rule(
    bad_report: LintReport, name: str, line: int, rules: set[str]
) -> None:
    here = [f for f in bad_report.findings if f.file == _sample_file(name)]
    line += name in NON_TRANSACTIONAL  # the `-- transactional: false` header line
    # squawk points at the offending clause, lint at the statement: the sample's statement spans line..line+1.
    at_line = {f.rule for f in here if f.line in (line, line + 1)}
    assert rules <= at_line, f"{name}: expected {sorted(rules)} at line {line}, got {[str(f) for f in here]}"
    assert all(f.hint for f in here)
    assert not bad_report.ok


def test_bad_samples_do_not_blame_our_migrations_for_database_rules(bad_report: LintReport) -> None:
    ours = [f for f in bad_report.findings if f.file and "20990101" not in f.file]
    # With the runner's lock_timeout off, squawk's require-lock-timeout applies to every file again.
    assert {f.rule for f in ours} == {"squawk/require-lock-timeout"}
    assert len(ours) == 10  # one per health migration


def test_column_rights_findings_name_the_column_or_the_table_level_grant(bad_report: LintReport) -> None:
    rights = {f.object: f for f in bad_report.findings if f.rule == "column_rights_mismatch"}
    assert set(rights) == {"public.support_interactions.created_at", "public.sla_targets"}
    assert "REVOKE UPDATE (created_at) ON TABLE public.support_interactions" in rights[
        "public.support_interactions.created_at"].hint
    assert "table-level UPDATE" in rights["public.sla_targets"].message


def test_sarif_is_valid_sarif_2_1_0_and_names_each_finding(bad_report: LintReport) -> None:
    sarif = to_sarif(bad_report)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(bad_report.findings)
    rule_ids = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_sarif_validation_rejects_a_broken_log() -> None:
    broken = to_sarif(LintReport(findings=[LintFinding("x", "m", "h", file="f.sql", line=3)]))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(broken)


def test_our_migrations_pass_lint(pg: disposable.DisposableServer) -> None:
    result = cli("lint", "--format", "json", "--scratch-server", pg.url)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["findings"] == []
    assert len(report["migrations"]) == len([f for f in read_all(load_project(REPO)) if f.set_name == "health"])


def test_lint_cli_exits_1_with_rule_ids_in_text_and_sarif(
    tmp_path: Path, pg: disposable.DisposableServer
) -> None:
    bad = _bad_project(tmp_path)
    for path in bad.migrations_dir.glob("20990101*"):
        if "always_true_policy" not in path.name:
            path.unlink()
    text = cli("--project", str(bad.root), "lint", "--scratch-server", pg.url)
    assert text.exit_code == 1, text.output
    assert re.search(r"migrations/20990101\d+_always_true_policy\.sql:3 .*error policy_always_true", text.stdout)
    assert text.stdout.strip().splitlines()[-1].startswith("problems:")
    sarif = cli("--project", str(bad.root), "lint", "--format", "sarif", "--scratch-server", pg.url)
    assert sarif.exit_code == 1
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(sarif.stdout))


def test_runner_lock_timeout_satisfies_the_lock_rules() -> None:
    sql = "ALTER TABLE public.clients ADD COLUMN lint_note text;\n"
    off = lint_online.online_findings("m.sql", sql, {"public.clients"}, set(), runner_lock_timeout_ms=0)
    on = lint_online.online_findings("m.sql", sql, {"public.clients"}, set(), runner_lock_timeout_ms=5000)
    in_file = lint_online.online_findings("m.sql", "SET lock_timeout = '2s';\n" + sql, {"public.clients"}, set())
    assert [f.rule for f in off] == ["lock_timeout_missing"]
    assert on == [] and in_file == []
    assert lint_squawk.runner_prefix(0) == "" and "lock_timeout" in lint_squawk.runner_prefix(5000)


def test_new_tables_are_not_online_findings() -> None:
    sql = ("CREATE TABLE public.t (id int);\nCREATE INDEX t_idx ON public.t (id);\n"
           "ALTER TABLE public.t ADD CHECK (id > 0);\n")
    assert lint_online.online_findings("m.sql", sql, set(), set()) == []


def test_statements_keep_their_lines() -> None:
    text = "-- a\n\nCREATE TABLE a (x int);\n/* b */ SELECT $$;\n$$;\n\n  ALTER TABLE a ADD y int;\n"
    assert [(s.line, s.sql.split()[0]) for s in lint_online.split(text)] == [(3, "CREATE"), (4, "SELECT"), (7, "ALTER")]

