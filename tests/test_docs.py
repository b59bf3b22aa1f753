"""Keep README and --help honest: every command is documented, every documented command exists."""

from __future__ import annotations

import re

from typer.main import get_command

from healthschema.cli import app
from tests.helpers import REPO, cli


def _commands() -> set[str]:
    group = get_command(app)
    names: set[str] = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names.update({f"{name} {child}" for child in sub} if sub else {name})
    return names


def test_every_command_has_help_text() -> None:
    for name in sorted(_commands()):
        result = cli(*name.split(), "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in sorted(_commands()):
        first, *rest = name.split()
        pattern = rf"healthschema {re.escape(first)}" + (rf"\b[^\n]*\b{re.escape(rest[0])}\b" if rest else r"\b")
        assert re.search(pattern, readme), f"README does not mention `healthschema {name}`"


def test_readme_mentions_only_real_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    top_level = {name.split()[0] for name in _commands()}
    mentioned = set(re.findall(r"`?healthschema ([a-z][a-z-]*)", readme))
    assert mentioned - top_level == set(), "README mentions commands that do not exist"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)


def test_architecture_lists_every_module_and_only_real_ones() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = REPO / "healthschema"
    listed = set(re.findall(r"^\| `([a-z_/]+\.py)` \|", text, re.M))
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name not in ("__init__.py", "__main__.py")}
    assert modules - listed == set(), "modules missing from docs/architecture.md"
    assert listed - modules == set(), "docs/architecture.md lists modules that do not exist"
