"""`frontdoor canary` end to end on the demo: exit 0 passing, exit 1 naming the pair and the request."""

from __future__ import annotations

import json
from typing import Any

import pytest

import frontdoor.domain.documents.inline_policy
from frontdoor.commands.cli import main

ORIGINAL = frontdoor.domain.documents.inline_policy.abac_statements


def without_null_deny(*args: Any) -> list[dict[str, Any]]:
    return [s for s in ORIGINAL(*args) if s["Sid"] != "DenyWithoutTeamTag"]


def widened(*args: Any) -> list[dict[str, Any]]:
    statements = ORIGINAL(*args)
    for statement in statements:
        if statement["Sid"] == "TeamScopedByAbac":
            statement["Condition"] = {"StringLike": {"aws:ResourceTag/team": "*"}}
    return statements


def test_the_demo_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canary", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["permissionSets"], len(report["teams"]), report["teamPairs"]) == (
        ["DeveloperAccess"],
        11,
        110,
    )
    assert report["failures"] == [] and report["passed"] == report["cases"]


def test_without_the_null_deny_it_exits_1_naming_team_and_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(frontdoor.domain.documents.inline_policy, "abac_statements", without_null_deny)
    assert main(["canary"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[4].startswith("FAILED: ")
    assert out[5].startswith(
        "- DeveloperAccess clinical-data (session without the tag) -> - [no-tag] cloudwatch:ListMetrics on * "
    )
    assert out[5].endswith(": expected deny, got allow by DescribeForNavigation")


def test_widened_to_string_like_star_it_exits_1_naming_the_pair(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(frontdoor.domain.documents.inline_policy, "abac_statements", widened)
    assert main(["canary", "--format", "json"]) == 1
    failures = json.loads(capsys.readouterr().out)["failures"]
    first = failures[0]
    assert {k: first[k] for k in ("team", "other", "probe", "action", "expected", "got", "decidedBy")} == {
        "team": "clinical-data",
        "other": "data-platform",
        "probe": "other",
        "action": "cloudwatch:PutMetricAlarm",
        "expected": "deny",
        "got": "allow",
        "decidedBy": "TeamScopedByAbac",
    }
    assert first["context"]["aws:ResourceTag/team"] == ["data-platform"]
    assert len({(f["team"], f["other"]) for f in failures}) == 110


def test_a_break_glass_stack_is_validated_and_has_nothing_to_judge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["canary", "--stack", "breakglass"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith(
        "stacks/Pulumi.breakglass.yaml: a break-glass stack assigns no permission set: nothing to check\n"
    )
