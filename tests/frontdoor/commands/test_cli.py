"""The CLI surface that is not a preview: schema, and argument errors."""

from __future__ import annotations

import json

import pytest

from frontdoor.commands.cli import main


def test_schema_is_the_stack_config_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "StackConfig"
    assert sorted(schema["properties"]) == [
        "delivery",
        "guardrails",
        "identityCenter",
        "machines",
        "observability",
        "okta",
        "orgGrants",
        "organization",
        "permissionSets",
        "protect",
        "quotas",
        "teams",
        "trail",
    ]
    assert schema["required"] == ["organization", "okta", "permissionSets"]
    assert schema["additionalProperties"] is False
    team = schema["$defs"]["TeamConfig"]
    assert sorted(team["properties"]) == ["description", "grants", "members"]


def test_unknown_subcommand_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["deploy"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'deploy'" in capsys.readouterr().err
