"""`--format json` on every reporting command (issue 14): the shapes docs/ci.md documents, exit
codes as for text, and errors as one line on stderr with nothing on stdout (exit 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from healthschema.files.project import Project
from tests.helpers import REPO, cli, scalar, user_objects

LAST_STUB = "20250101000100"


def documented() -> dict[str, set[str]]:
    """docs/ci.md's table: each command of a row → its documented top-level keys."""
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text.split("## JSON output", 1)[1].split("\n## ", 1)[0]
    shapes: dict[str, set[str]] = {}
    for commands, keys in re.findall(r"^\| (`.+?`) \| (.+) \|$", section, re.M):
        for command in re.findall(r"`([^`]+)`", commands):
            shapes[command] = set(re.findall(r"`([a-z_]+)`", keys))
    return shapes


def run_json(*args: str, code: int = 0) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_the_docs_list_every_command_of_this_check() -> None:
    assert {"apply", "apply --dry-run", "apply --rehearse", "rollback", "rollback --dry-run", "deploy",
            "render --check", "render", "snapshot --check", "types --check FILE", "verify", "preflight",
            "status"} <= set(documented())


def test_apply_rollback_deploy_and_status_shapes(tmp_project: Project, empty_db: str) -> None:
    shapes = documented()
    run = ("--project", str(tmp_project.root))
    url = ("--database-url", empty_db)
    stub = run_json(*run, "apply", "--with-platform-stub", "--to", LAST_STUB, *url)
    assert set(stub) == shapes["apply"]
    before = user_objects(empty_db)
    dry = run_json(*run, "apply", "--dry-run", *url)
    assert set(dry) == shapes["apply --dry-run"] and dry["dry_run"] is True
    assert {"id", "set", "duration_ms", "sql"} == set(dry["migrations"][0])
    rehearsed = run_json(*run, "apply", "--rehearse", *url)
    assert set(rehearsed) == shapes["apply --rehearse"] and rehearsed["rehearsed"] is True
    assert user_objects(empty_db) == before  # neither changed anything

    deployed = run_json(*run, "deploy", *url)
    assert set(deployed) == shapes["deploy"] and deployed["ok"] is True
    assert [s["name"] for s in deployed["stages"]] == ["preflight", "apply", "verify", "policy-check"]
    assert deployed["platform_lock_ms"] > 0 and deployed["backfills"][0]["finished"] is True
    assert set(deployed["backfills"][0]) == {"migration", "function", "finished", "batches_done", "batches_total",
                                             "keys_done", "seconds", "keys_per_s", "platform_locks"}

    status = run_json(*run, "status", *url)
    assert all(set(m) == shapes["status"] for m in status)
    seed = next(m for m in status if m["backfill"] is not None)
    assert seed["backfill"]["state"] == "done"

    assert set(run_json(*run, "verify", *url)) == shapes["verify"]
    assert set(run_json(*run, "preflight", *url)) == shapes["preflight"]

    back = run_json(*run, "rollback", "--dry-run", *url)
    assert set(back) == shapes["rollback --dry-run"] and back["direction"] == "rollback"
    undone = run_json(*run, "rollback", *url)
    assert set(undone) == shapes["rollback"] and len(undone["migrations"]) == 1


def test_file_checks_shapes_and_exit_codes(tmp_project: Project, tmp_path: Path) -> None:
    shapes = documented()
    run = ("--project", str(tmp_project.root))
    ok = run_json(*run, "render", "--check")
    assert set(ok) == shapes["render --check"] and ok == {"ok": True, "differ": []}
    migration = next((tmp_project.root / "migrations").glob("20250901000100_*[!k].sql"))
    migration.write_text(migration.read_text() + "-- edited\n")
    stale = run_json(*run, "render", "--check", code=1)
    assert stale["ok"] is False and stale["differ"] == [str(migration.relative_to(tmp_project.root))]
    rendered = run_json(*run, "render")
    assert set(rendered) == shapes["render"] and rendered["written"] == stale["differ"]

    types = tmp_path / "database.ts"
    types.write_text("// stale\n")
    typed = run_json(*run, "types", "--lang", "typescript", "--check", str(types), code=1)
    assert set(typed) == shapes["types --check FILE"] and typed["stale"] is True and typed["reason"]


def test_snapshot_check_shape(project: Project) -> None:
    checked = run_json("--project", str(project.root), "snapshot", "--check")
    assert set(checked) == documented()["snapshot --check"] and checked["ok"] is True


def test_an_error_in_json_mode_is_one_line_on_stderr(empty_db: str) -> None:
    bad = empty_db.rsplit("/", 1)[0] + "/no_such_database_json"
    for args in (("apply",), ("rollback",), ("deploy",), ("status",), ("verify",), ("preflight",)):
        result = cli(*args, "--format", "json", "--database-url", bad)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: "), args
        if args == ("deploy",):  # the deploy report, naming the stage that could not run
            assert json.loads(result.stdout)["error"].startswith("preflight: cannot connect")
        else:
            assert result.stdout == "", args
    assert scalar(empty_db, "SELECT to_regclass('healthschema_meta.ledger')") is None
