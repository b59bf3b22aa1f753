"""Validation rules of healthschema.toml (issue 9 item 8): every error names file, key and line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from healthschema.errors import ConfigError
from healthschema.files.config import line_of, load_config, parse_config

REPO = Path(__file__).resolve().parents[2]
TEXT = (REPO / "healthschema.toml").read_text(encoding="utf-8")


def _line(needle: str, occurrence: int = 1) -> int:
    numbers = [i for i, line in enumerate(TEXT.splitlines(), 1) if line.startswith(needle)]
    return numbers[occurrence - 1]


@pytest.mark.parametrize(("old", "new", "key", "message", "line_of_key"), [
    ("lock_timeout_seconds = 60", "lock_timeout_seconds = 0", "runner.lock_timeout_seconds", "positive",
     "lock_timeout_seconds"),
    ("engagement = 0.35", "engagement = 0.70", "variables.health_weights", "add up to 1, they add up to 1.35",
     "[variables.health_weights]"),
    ("good = 60", "good = 90", "variables.health_thresholds", "must descend", "[variables.health_thresholds]"),
    ("critical = { response_hours = 2,", "critical = { response_hours = -2,", "variables.sla_targets.critical",
     "positive", "critical = {"),
    ('priority = ["low", "medium", "high", "critical"]', "priority = []", "variables.value_sets", "non-empty",
     "[variables.value_sets]"),
    ('template_key = "budget"', 'template_key = "Budget!"', "variables.milestone_templates.2.template_key",
     "lower case", 'template_key = "Budget!"'),
    ('prerequisite_keys = ["timeline"]', 'prerequisite_keys = ["nope"]', "variables",
     "requires unknown template(s) ['nope']", "[variables]"),
    ('milestone_category = "planning"', 'milestone_category = "party"', "variables",
     "milestone_category 'party' is not one of value_sets.milestone_category", "[variables]"),
    ('action_column = "action"', 'action_column = "action; drop"', "variables.activity_source.action_column",
     "not a plain SQL identifier", "action_column"),
    ("meta_schema =", "meta_shema =", "runner.meta_shema", "Extra inputs are not permitted", "meta_shema"),
    ("backfill_batch_size = 1000", "backfill_batch_size = 0", "runner.backfill_batch_size",
     "greater than or equal to 1", "backfill_batch_size"),
    ("backfill_batch_size = 1000", 'backfill_batch_size = "many"', "runner.backfill_batch_size",
     "valid integer", "backfill_batch_size"),
])
def test_rule_errors_name_file_key_and_line(
    tmp_path: Path, old: str, new: str, key: str, message: str, line_of_key: str,
) -> None:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    path = tmp_path / "healthschema.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(line_of_key))
    assert caught.value.message.startswith(f"{path}, line {line}: {key}: "), caught.value.message
    assert message in caught.value.message


def test_prerequisite_cycle_is_named_in_order() -> None:
    data = tomllib.loads(TEXT.replace("prerequisite_keys = []", 'prerequisite_keys = ["final_details"]', 1))
    with pytest.raises(ConfigError, match=r"cycle: onboarding -> final_details -> timeline -> .* -> onboarding"):
        parse_config(data)


def test_the_repository_file_is_valid() -> None:
    assert load_config(REPO / "healthschema.toml").variables.activity_source.table == "activity_logs"


def test_line_of_finds_array_of_tables_entries() -> None:
    assert line_of(TEXT, ["variables", "milestone_templates", "3", "priority"]) == _line("priority = \"", 4)
    assert line_of(TEXT, ["runner", "meta_schema"]) == _line("meta_schema")
    assert line_of(TEXT, ["variables", "nowhere"]) == _line("[variables]")
