"""`healthschema types --lang typescript`: the committed file is current and compiles under
`tsc --strict`; wrong literals, missing required fields and nulls into NOT NULL columns do not
compile; types from a live deployed database equal the snapshot's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import psycopg

from healthschema.files.project import Project
from healthschema.generate import typescript
from healthschema.schema import describe as catalog
from healthschema.schema import model
from tests.helpers import REPO, cli

COMMITTED = REPO / "types" / "database.ts"
USAGE = REPO / "tests" / "typescript"
TSC = REPO / "node_modules" / ".bin" / "tsc"
ORIGINAL_COLUMNS = REPO / "tests" / "data" / "ws168_original_columns.txt"


def _tsc(directory: Path, *files: str) -> subprocess.CompletedProcess[str]:
    assert TSC.is_file(), "TypeScript is not installed: run `make setup` (npm ci)"
    return subprocess.run(
        [str(TSC), "--strict", "--noEmit", "--pretty", "false", "--target", "es2020", "--module", "commonjs",
         *files], cwd=directory, capture_output=True, text=True, timeout=300, check=False)


def test_committed_types_are_current() -> None:
    result = cli("--project", str(REPO), "types", "--lang", "typescript", "--check", str(COMMITTED))
    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output


def test_check_reports_stale_file_with_exit_1_and_out_writes_it(tmp_path: Path) -> None:
    stale = tmp_path / "database.ts"
    stale.write_text(COMMITTED.read_text().replace('"pending_customer" | ', ""))
    result = cli("--project", str(REPO), "types", "--check", str(stale))
    assert result.exit_code == 1
    assert "stale:" in result.output and "differs" in result.output
    assert cli("--project", str(REPO), "types", "--check", str(tmp_path / "missing.ts")).exit_code == 1
    out = tmp_path / "sub" / "types.ts"
    assert cli("--project", str(REPO), "types", "--out", str(out)).exit_code == 0
    assert out.read_text() == COMMITTED.read_text()
    printed = cli("--project", str(REPO), "types")
    assert printed.exit_code == 0 and printed.output == COMMITTED.read_text()


def test_compiles_strict_and_rejects_wrong_values(tmp_path: Path) -> None:
    shutil.copy(COMMITTED, tmp_path / "database.ts")
    for source in USAGE.glob("*.ts"):
        shutil.copy(source, tmp_path / source.name)
    fails = sorted(p.name for p in USAGE.glob("fail_*.ts"))
    result = _tsc(tmp_path, "usage.ts", *fails)
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(\S+?\.ts)\(\d+,\d+\): error (TS\d+): (.*)$", line)
        if match:
            errors.setdefault(Path(match[1]).name, []).append(f"{match[2]} {match[3]}")
    assert result.returncode != 0
    assert set(errors) == set(fails), result.stdout  # usage.ts and database.ts compile cleanly
    assert any(e.startswith("TS2322") and '"done"' in e for e in errors["fail_wrong_status.ts"])
    assert any(e.startswith("TS2741") and "'milestone_name' is missing" in e
               for e in errors["fail_missing_required.ts"])
    assert any(e.startswith("TS2322") and "'null'" in e for e in errors["fail_null_not_null.ts"])
    clean = _tsc(tmp_path, "usage.ts")
    assert clean.returncode == 0, clean.stdout


def _block(text: str, table: str, part: str) -> dict[str, str]:
    body = text.split(f"\n      {table}: {{\n", 1)[1].split(f"        {part}: {{\n", 1)[1].split("\n        }", 1)[0]
    return dict(re.findall(r"^ {10}(\w+\??): (.*)$", body, re.M))


def test_nullability_and_optionality_exactly_as_in_the_database(project: Project) -> None:
    text = COMMITTED.read_text()
    m = model.build(model.cumulative(typescript.snapshot.load(project)))
    for table in (t for t in m.tables if not t.is_view):  # views have a Row only
        row, insert, update = (_block(text, table.name, part) for part in ("Row", "Insert", "Update"))
        assert set(row) == {c.name for c in table.columns}
        for column in table.columns:
            assert row[column.name].endswith(" | null") is (not column.not_null), (table.name, column.name)
            optional = column.has_default or not column.not_null
            assert (f"{column.name}?" in insert) is optional, (table.name, column.name)
            assert (column.name in insert) is not optional
            assert f"{column.name}?" in update
    for view in (t for t in m.tables if t.is_view):  # Row only; non-null where the view guarantees it
        row = _block(text, view.name, "Row")
        assert set(row) == {c.name for c in view.columns}
        for column in view.columns:
            assert row[column.name].endswith(" | null") is (not column.never_null), (view.name, column.name)
    insert = _block(text, "success_milestones", "Insert")
    assert sorted(k for k in insert if not k.endswith("?")) == [
        "client_id", "milestone_category", "milestone_name", "milestone_type", "organization_id"]
    row = _block(text, "success_milestones", "Row")
    assert row["status"] == '"pending" | "in_progress" | "completed" | "skipped"'
    assert row["prerequisite_milestone_ids"] == "string[] | null"
    assert row["progress_percentage"].startswith("number")
    assert row["custom_fields"].startswith("Json")
    assert _block(text, "customer_health", "Row")["calculated_at"] == "string"


def _original_columns() -> dict[str, list[str]]:
    """Column names of the original design (reference §2: 29 / 37 / 55), which the web app's
    TypeScript uses; extracted once into tests/data/ws168_original_columns.txt."""
    tables: dict[str, list[str]] = {}
    for line in ORIGINAL_COLUMNS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, column = line.split()
            tables.setdefault(table, []).append(column)
    return tables


def test_every_original_column_name_is_kept(project: Project) -> None:
    m = model.build(model.cumulative(typescript.snapshot.load(project)))
    original = _original_columns()
    assert {t: len(c) for t, c in original.items()} == {
        "customer_health": 29, "success_milestones": 37, "support_interactions": 55}
    for table, names in original.items():
        generated = {c.name for c in m.table("public", table).columns}
        assert set(names) <= generated, sorted(set(names) - generated)


def test_live_database_types_equal_snapshot_types(project: Project, applied_db: str) -> None:
    assert typescript.from_database(project, applied_db) == typescript.from_snapshot(project)
    result = cli("--project", str(REPO), "types", "--database-url", applied_db, "--check", str(COMMITTED))
    assert result.exit_code == 0, result.output


def test_bad_or_unusable_database_is_exit_2(empty_db: str) -> None:
    for url in ("", "not a url"):
        result = cli("--project", str(REPO), "types", "--database-url", url)
        assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    result = cli("--project", str(REPO), "types", "--database-url", empty_db)
    assert result.exit_code == 2
    assert "no health migration is applied" in result.output


EXTENDED_USAGE = """
import type { Database, Enums, Tables } from "./extended"
import { Constants } from "./extended"
const mood: Enums<"mood"> = "happy"
const moods: readonly Enums<"mood">[] = Constants.public.Enums.mood
type View = Tables<"current_health">
const id: View["id"] = "x"              // copied from a NOT NULL column: non-null
const bumped: View["bumped"] = null      // an expression: nullable
const status: View["health_status"] = "at_risk"
type Fn = Database["public"]["Functions"]["health_of"]
const args: Fn["Args"] = { p_client: "x" }
const rows: Fn["Returns"] = []
const first: Fn["Returns"][number]["mood"] = "sad"
const summary: Database["public"]["Functions"]["summary"]["Returns"] = [{ n: 1, label: "a" }]
const tier: Tables<"sla_targets">["tier"] = "gold"   // a domain over a value set stays a union
export { args, bumped, first, id, mood, moods, rows, status, summary, tier }
"""
EXTENDED_FAIL = """
import type { Tables } from "./extended"
export const id: Tables<"current_health">["id"] = null
export const tier: Tables<"sla_targets">["tier"] = "bronze"
"""


def test_enums_views_and_set_returning_functions_compile(project: Project, applied_db: str, tmp_path: Path) -> None:
    with psycopg.connect(applied_db, autocommit=True) as conn:
        conn.execute("CREATE TYPE public.mood AS ENUM ('happy', 'sad')")
        conn.execute("CREATE DOMAIN public.tier AS text CHECK (VALUE IN ('gold', 'silver'))")
        conn.execute("ALTER TABLE public.sla_targets ADD COLUMN tier public.tier")
        conn.execute("ALTER TABLE public.customer_health ADD COLUMN mood public.mood NOT NULL DEFAULT 'happy'")
        conn.execute("CREATE VIEW public.current_health AS SELECT h.id, h.health_status,"
                     " h.overall_health_score + 1 AS bumped FROM public.customer_health h WHERE h.is_current")
        conn.execute("CREATE FUNCTION public.health_of(p_client uuid) RETURNS SETOF public.customer_health"
                     " LANGUAGE sql STABLE AS 'SELECT * FROM public.customer_health WHERE client_id = p_client'")
        conn.execute("CREATE FUNCTION public.summary() RETURNS TABLE(n integer, label text)"
                     " LANGUAGE sql AS 'SELECT 1, ''a'''")
        conn.execute("REVOKE EXECUTE ON FUNCTION public.summary() FROM PUBLIC")
        conn.execute("GRANT EXECUTE ON FUNCTION public.summary() TO authenticated")
    whole = model.build(catalog.describe_url(applied_db, (project.meta_schema,)))
    (tmp_path / "extended.ts").write_text(typescript.render(whole))
    (tmp_path / "extended_usage.ts").write_text(EXTENDED_USAGE)
    (tmp_path / "extended_fail.ts").write_text(EXTENDED_FAIL)
    result = _tsc(tmp_path, "extended_usage.ts", "extended_fail.ts")
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    assert {Path(line.split("(", 1)[0]).name for line in errors} == {"extended_fail.ts"}, result.stdout
    assert len(errors) == 2 and '"bronze"' in errors[1], result.stdout


def test_docs_type_mapping_table_is_what_the_generator_does(project: Project) -> None:
    doc = (REPO / "docs" / "types.md").read_text(encoding="utf-8")
    table = doc.split("### Type mapping", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|$", table, re.M)
    assert len(rows) >= 20
    ctx = typescript._Context(model.build(model.cumulative(typescript.snapshot.load(project))))
    for pg_type, ts_type in rows:
        assert ctx.ts_type(pg_type) == ts_type, pg_type
