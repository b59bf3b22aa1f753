"""No traceback, ever (issue 9 item 9): the CLI driven with malformed arguments, environment
values and project files exits 0, 1 or 2, and a failure is a one-line ``error:`` message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import REPO, cli

URLS = ["", " ", "postgresql://", "mysql://u@h/x", "postgresql://u:pw@127.0.0.1:1/x",
        "postgresql://h:notaport/x", "postgresql:///x?host=/nonexistent-socket-dir", "\x00", "not a url",
        "postgresql://u:pw@[::1:1/x", "postgres://u@127.0.0.1:1/x?sslmode=bogus"]
COMMANDS = [["render", "--check"], ["status"], ["verify"], ["preflight"], ["apply", "--dry-run"],
            ["rollback", "--dry-run"], ["policy-check"], ["schedule"], ["status", "--check"]]
TOKENS = ["--to", "--steps", "-1", "0", "999999999999999999999", "abc", "--format", "xml", "json", "--cron",
          "* *", "--all", "--remove", "--with-platform-stub", "--allow-data-loss", "20250901000100", "--", "-x"]


def _project(root: Path, toml: bytes | None = None, migration: bytes | None = None) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "migrations", root / "migrations")
    (root / "healthschema.toml").write_bytes(toml if toml is not None else (REPO / "healthschema.toml").read_bytes())
    if migration is not None:
        next((root / "migrations").glob("20250901000100_*[!k].sql")).write_bytes(migration)
    return root


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> list[str | None]:
    base = tmp_path_factory.mktemp("fuzz")
    good = (REPO / "healthschema.toml").read_bytes()
    a_file = base / "a-file"
    a_file.write_text("x")
    return [
        None,
        str(a_file),
        str(base / "does-not-exist"),
        str(_project(base / "binary", toml=b"\xff\xfe[runner\x00")),
        str(_project(base / "types", toml=good.replace(b"= 60", b"= \"sixty\"", 1))),
        str(_project(base / "tables", toml=b"runner = 1\nvariables = []\n")),
        str(_project(base / "latin1", migration=b"-- caf\xe9\nSELECT 1;\n")),
        str(_project(base / "snapshot-list")),
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_input_never_gives_a_traceback(projects: list[str | None], data: st.DataObject) -> None:
    snapshot_list = Path(str(projects[-1])) / "migrations" / "expected_snapshot.json"
    snapshot_list.write_text("[]")
    command = data.draw(st.sampled_from(COMMANDS))
    extra = data.draw(st.lists(st.sampled_from(TOKENS), max_size=3))
    url = data.draw(st.sampled_from(URLS))
    project = data.draw(st.sampled_from(projects))
    via_env = data.draw(st.booleans())
    args = [*(["--project", project] if project else []), *command, *extra]
    env = {"DATABASE_URL": url} if via_env else None
    if not via_env:
        args += ["--database-url", url]
    if "\x00" in url and via_env:
        return  # the OS refuses NUL in environment values before the CLI runs
    result = cli(*args, env=env)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.lower().startswith("error:")]
        assert len(errors) == 1, (args, result.stderr)
        assert not errors[0].startswith("error: unexpected "), (args, errors[0])  # every path handled on purpose
