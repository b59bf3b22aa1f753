"""Typed configuration (files/config.py), without a database."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from healthschema.errors import ConfigError
from healthschema.files.config import load_config, parse_config
from healthschema.files.project import load_project

REPO = Path(__file__).resolve().parents[2]


def test_templates_see_exactly_the_variables_of_the_file() -> None:
    raw = tomllib.loads((REPO / "healthschema.toml").read_text(encoding="utf-8"))["variables"]
    project = load_project(REPO)
    assert project.variables == raw
    assert type(project.variables["health_thresholds"]["good"]) is int  # 60 stays 60, not 60.0
    assert type(project.variables["health_weights"]["engagement"]) is float


def test_the_file_is_typed() -> None:
    config = load_config(REPO / "healthschema.toml")
    assert config.runner.lock_timeout_seconds == 60.0
    assert config.variables.health_weights is not None and config.variables.health_weights.churn_risk == 0.20
    assert config.variables.milestone_templates is not None
    assert config.variables.milestone_templates[0].template_key == "onboarding"


def test_unknown_variables_are_kept_for_the_projects_own_templates() -> None:
    config = parse_config({"variables": {"table_name": "x", "settings": {"b": 2}}})
    context = config.variables.template_context()
    assert context.pop("activity_source")["table"] == "activity_logs"  # the one default templates get
    assert context == {"table_name": "x", "settings": {"b": 2}}
    assert config.variables.app_schema == "public"  # the default, not added to the template context


def test_a_value_of_the_wrong_type_is_one_clear_config_error() -> None:
    with pytest.raises(ConfigError, match=r"variables\.health_weights\.engagement: .*number"):
        parse_config({"variables": {"health_weights": {"engagement": "a lot", "progress": 1,
                                                       "satisfaction": 0, "churn_risk": 0}}})


def test_variables_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match=r"\[variables\] and \[runner\] must be tables"):
        parse_config({"variables": 3})
