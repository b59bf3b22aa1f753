"""Every command's --help is complete: a description, and help text for every option and argument
(the README side is tests/test_docs.py)."""

from __future__ import annotations

from typing import Any

from typer.main import get_command

from healthschema.cli import app


def _leaf_commands() -> dict[str, Any]:
    group: Any = get_command(app)
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.update({f"{name} {child}": sub for child, sub in command.commands.items()})
        else:
            found[name] = command
    return found


def test_every_command_describes_itself_and_each_option() -> None:
    missing = []
    for name, command in sorted(_leaf_commands().items()):
        if not (command.help or "").strip():
            missing.append(f"{name}: no description")
        for param in command.params:
            if param.param_type_name == "option" and not (getattr(param, "help", "") or "").strip():
                missing.append(f"{name} {param.opts[0]}: no help")
    assert missing == []


def test_the_new_commands_are_registered() -> None:
    commands = _leaf_commands()
    assert {"lint", "check", "export"} <= set(commands)
    assert "--mutations" in {opt for p in commands["policy-check"].params for opt in getattr(p, "opts", [])}
    assert {"--format", "--scratch-server"} <= {opt for p in commands["lint"].params for opt in getattr(p, "opts", [])}
