"""The drift check tells growth from live reads apart from drift, on a real preview document shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.contracts import ACCOUNT_ASSIGNMENT as ASSIGNMENT
from frontdoor.domain.reconcile.drift_triage import Change, triage

STACK = "urn:pulumi:prod::frontdoor::"
PARENT = "frontdoor:index:AccessPlatform$frontdoor:aws:TeamAccess$frontdoor:aws:AccountAssignments$"


def step(op: str, name: str, type_: str = ASSIGNMENT) -> dict[str, object]:
    return {"op": op, "urn": f"{STACK}{PARENT}{type_}::{name}", "newState": {"type": type_}}


KEPT = [
    step("same", "aws-web-dev/DeveloperAccess/111111111111"),
    step("same", "aws-web-dev/DeveloperAccess/222222222222"),
    step("same", "aws-data-dev/DeveloperAccess/111111111111"),
]


def _run(
    tmp_path: Path, steps: list[dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    path = tmp_path / "drift.json"
    path.write_text(json.dumps({"steps": steps}))
    code = main(["drift-triage", str(path)])
    return code, capsys.readouterr().out


def test_growth_from_live_reads_is_not_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    growth = [
        step("create", "aws-new-dev/DeveloperAccess/111111111111"),  # group synced since the last deploy
        step("create", "aws-web-dev/DeveloperAccess/333333333333"),  # account joined the OU
        step("delete", "aws-data-dev/DeveloperAccess/444444444444"),  # account left (nothing kept there)
    ]
    code, out = _run(tmp_path, [*KEPT, *growth], capsys)
    assert code == 0
    assert out.splitlines() == [
        "Expected (live reads): 3",
        f"  create {ASSIGNMENT} aws-new-dev/DeveloperAccess/111111111111: group aws-new-dev newly synced "
        "by SCIM: its deferred assignments",
        f"  create {ASSIGNMENT} aws-web-dev/DeveloperAccess/333333333333: account 333333333333 is new in a "
        "targeted OU",
        f"  delete {ASSIGNMENT} aws-data-dev/DeveloperAccess/444444444444: account 444444444444 left the "
        "targeted OUs, or was suspended or closed",
        "Drift: 0",
    ]


def test_a_missing_assignment_and_any_update_are_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drift = [
        step("create", "aws-data-dev/DeveloperAccess/222222222222"),  # deleted in the console
        step("update", "deny-iam-users", "aws:organizations/policy:Policy"),
    ]
    code, out = _run(tmp_path, [*KEPT, *drift], capsys)
    assert code == 1
    assert out.splitlines()[-3:] == [
        "Drift: 2",
        f"  create {ASSIGNMENT} aws-data-dev/DeveloperAccess/222222222222: aws-data-dev keeps its other "
        "assignments and account 222222222222 keeps others: this one was deleted outside the pipeline",
        "  update aws:organizations/policy:Policy deny-iam-users: update of a resource: changed outside the "
        "pipeline",
    ]


def test_an_untouched_stack_is_clean() -> None:
    result = triage([Change("same", ASSIGNMENT, "aws-web-dev/DeveloperAccess/111111111111")])
    assert result.expected == () and result.drift == ()


def test_a_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift-triage", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err
