"""`frontdoor schema` validates stack files as written: every file in stacks/, and refuses broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.base import strict_yaml
from frontdoor.domain.config.schema import stack_file_schema

REPO = Path(__file__).resolve().parents[4]
STACK_FILES = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))


def _errors(document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(stack_file_schema())
    return sorted(error.message for error in validator.iter_errors(document))


def _stack(name: str) -> dict[str, Any]:
    document: dict[str, Any] = strict_yaml.load((REPO / "stacks" / name).read_text())
    return document


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(stack_file_schema())


def test_every_stack_file_in_stacks_validates_as_written() -> None:
    assert [p.name for p in STACK_FILES] == [
        "Pulumi.breakglass.yaml",
        "Pulumi.demo.yaml",
        "Pulumi.monitoring.yaml",
    ]
    for path in STACK_FILES:
        assert _errors(strict_yaml.load(path.read_text())) == [], path.name


def test_the_command_prints_the_same_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(stack_file_schema()))


def test_the_grant_shorthand_and_the_long_form_both_validate() -> None:
    demo = _stack("Pulumi.demo.yaml")
    teams = demo["config"]["frontdoor:teams"]
    assert teams["payments"]["grants"]["DeveloperAccess"] == ["Workloads/Dev", "Workloads/Staging"]
    assert "targets" in teams["data-platform"]["grants"]["DeveloperAccess"]
    assert _errors(demo) == []


def test_a_misspelled_frontdoor_key_fails() -> None:
    demo = _stack("Pulumi.demo.yaml")
    demo["config"]["frontdoor:teamz"] = demo["config"].pop("frontdoor:teams")
    assert _errors(demo) == [f"{demo['config']!r} is not valid under any of the given schemas"]


def test_a_broken_team_fails() -> None:
    demo = _stack("Pulumi.demo.yaml")
    demo["config"]["frontdoor:teams"]["payments"]["owner"] = "someone"
    assert len(_errors(demo)) == 1


def test_a_key_without_a_namespace_fails() -> None:
    demo = _stack("Pulumi.demo.yaml")
    demo["config"]["teams"] = {}
    assert len(_errors(demo)) == 1


def test_a_break_glass_stack_without_users_fails() -> None:
    glass = _stack("Pulumi.breakglass.yaml")
    del glass["config"]["frontdoor:breakGlass"]["userNames"]
    assert len(_errors(glass)) == 1


def test_the_monitors_validate_only_in_a_monitoring_stack() -> None:
    monitoring = _stack("Pulumi.monitoring.yaml")
    assert _errors(monitoring) == []
    demo = _stack("Pulumi.demo.yaml")
    demo["config"]["frontdoor:observability"] = monitoring["config"]["frontdoor:observability"]
    assert _errors(demo) == [f"{demo['config']!r} is not valid under any of the given schemas"]
    del monitoring["config"]["frontdoor:monitoring"]
    assert _errors(monitoring) == [f"{monitoring['config']!r} is not valid under any of the given schemas"]


def test_provider_settings_and_secure_values_are_allowed() -> None:
    demo = _stack("Pulumi.demo.yaml")
    demo["config"]["okta:apiToken"] = {"secure": "v1:c2VjcmV0"}
    demo["config"]["aws:defaultTags"] = {"tags": {"owner": "platform"}}
    assert _errors(demo) == []
