"""The CLI surface that is not a preview: schema, and argument errors."""

from __future__ import annotations

import json

import pytest

from frontdoor.commands.cli import main


def test_schema_describes_the_stack_file_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == ["config"]
    access, glass, monitoring = schema["properties"]["config"]["oneOf"]
    assert sorted(access["properties"]) == [
        "frontdoor:abacChains",
        "frontdoor:bootstrap",
        "frontdoor:delivery",
        "frontdoor:guardrails",
        "frontdoor:identityCenter",
        "frontdoor:machines",
        "frontdoor:okta",
        "frontdoor:orgGrants",
        "frontdoor:organization",
        "frontdoor:people",
        "frontdoor:permissionSets",
        "frontdoor:posture",
        "frontdoor:protect",
        "frontdoor:quotas",
        "frontdoor:teams",
        "frontdoor:trail",
    ]
    assert access["required"] == ["frontdoor:organization", "frontdoor:okta", "frontdoor:permissionSets"]
    assert access["additionalProperties"] is False
    assert sorted(glass["properties"]) == [
        "frontdoor:breakGlass",
        "frontdoor:organization",
        "frontdoor:protect",
    ]
    # The monitors are the monitoring stack's alone (an identity stack refuses frontdoor:observability).
    assert sorted(monitoring["properties"]) == ["frontdoor:monitoring", "frontdoor:observability"]
    assert monitoring["required"] == ["frontdoor:monitoring", "frontdoor:observability"]
    assert monitoring["additionalProperties"] is False
    team = schema["$defs"]["TeamConfig"]
    assert sorted(team["properties"]) == ["description", "grants", "members"]


def test_unknown_subcommand_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["deploy"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'deploy'" in capsys.readouterr().err
