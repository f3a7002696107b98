"""Rule attributes at config time: the Okta profile, plus the columns of the `frontdoor:people` export."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.config.rule_attributes import members_expressions

REPO = Path(__file__).resolve().parents[4]
DEMO = read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml")


def _with(members: str, export: Path | None) -> dict[str, Any]:
    values = copy.deepcopy(DEMO)
    values["teams"]["payments"]["members"] = members
    if export is None:
        values.pop("people")
    else:
        values["people"] = {"export": str(export)}
    return values


def test_the_demo_reads_only_known_attributes() -> None:
    config = parse_stack_config(DEMO, "demo")
    assert len(members_expressions(config)) == 15


def test_an_export_column_is_a_known_attribute(tmp_path: Path) -> None:
    export = tmp_path / "hr.csv"
    export.write_text("login,email,employeeNumber,status,userType,workLocation\n")
    members = 'user.team == "payments" AND user.workLocation == "Berlin"'
    parse_stack_config(_with(members, export), "stack.yaml")  # accepted: the export fills it
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(_with(members, None), "stack.yaml")
    assert [issue.render() for issue in caught.value.issues] == [
        "stack.yaml: frontdoor:teams.payments.members: user.workLocation is not an attribute of the Okta "
        f"profile (got {members!r}). Fix: check the spelling (attributes are case-sensitive); known beyond "
        "Okta's base profile: team; add a custom attribute under okta.abacAttributes or a "
        "column to the HR export"
    ]


def test_a_missing_export_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(_with('user.team == "payments"', tmp_path / "nope.csv"), "stack.yaml")
    assert [issue.render() for issue in caught.value.issues] == [
        f"stack.yaml: frontdoor:people.export: the HR export cannot be read: HR export file not found "
        f"(got '{tmp_path / 'nope.csv'}'). Fix: check the path"
    ]
