"""`frontdoor bootstrap-roles`: the roles the providers assume, printed (never created) before a first run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.documents.deploy_permissions import identity_center_deploy_policy

REPO = Path(__file__).resolve().parents[3]
MANAGEMENT, IDENTITY_CENTER = "100000000026", "100000000299"
DEPLOY = f"arn:aws:iam::{MANAGEMENT}:role/frontdoor-deploy"


def _actions(policy: dict[str, Any]) -> set[str]:
    return {
        a
        for s in policy["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }


def test_the_demo_stack_s_roles_are_printed_with_the_commands_that_create_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "roles"
    assert main(["bootstrap-roles", "--stack", "demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [
        "commands.sh",
        f"policy-{MANAGEMENT}-frontdoor-deploy.json",
        f"policy-{MANAGEMENT}-frontdoor-github-preview.json",
        f"policy-{IDENTITY_CENTER}-frontdoor-deploy.json",
        f"policy-{IDENTITY_CENTER}-frontdoor-github-preview.json",
        f"trust-{MANAGEMENT}-frontdoor-deploy.json",
        f"trust-{MANAGEMENT}-frontdoor-github-preview.json",
        f"trust-{IDENTITY_CENTER}-frontdoor-deploy.json",
        f"trust-{IDENTITY_CENTER}-frontdoor-github-preview.json",
    ]
    assert (out / "commands.sh").read_text().splitlines() == [
        "#!/bin/sh",
        "# frontdoor bootstrap-roles: run each block with credentials of the account it names",
        "set -e",
        f"# management account {MANAGEMENT}",
        "aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com "
        "--client-id-list sts.amazonaws.com",
        "aws iam create-role --role-name frontdoor-deploy --assume-role-policy-document "
        f"file://trust-{MANAGEMENT}-frontdoor-deploy.json --max-session-duration 14400 --description "
        "'frontdoor CI: GitHub Actions deploys through OIDC (no stored keys)'",
        "aws iam put-role-policy --role-name frontdoor-deploy --policy-name frontdoor-deploy "
        f"--policy-document file://policy-{MANAGEMENT}-frontdoor-deploy.json",
        "aws iam create-role --role-name frontdoor-github-preview --assume-role-policy-document "
        f"file://trust-{MANAGEMENT}-frontdoor-github-preview.json --max-session-duration 3600 --description "
        "'frontdoor CI: GitHub Actions deploys through OIDC (no stored keys)'",
        "aws iam put-role-policy --role-name frontdoor-github-preview --policy-name frontdoor-preview "
        f"--policy-document file://policy-{MANAGEMENT}-frontdoor-github-preview.json",
        f"# Identity Center account {IDENTITY_CENTER}",
        "aws iam create-role --role-name frontdoor-deploy --assume-role-policy-document "
        f"file://trust-{IDENTITY_CENTER}-frontdoor-deploy.json --max-session-duration 3600 --description "
        "'frontdoor: assumed from the management account role of the same name'",
        "aws iam put-role-policy --role-name frontdoor-deploy --policy-name frontdoor-deploy "
        f"--policy-document file://policy-{IDENTITY_CENTER}-frontdoor-deploy.json",
        "aws iam create-role --role-name frontdoor-github-preview --assume-role-policy-document "
        f"file://trust-{IDENTITY_CENTER}-frontdoor-github-preview.json --max-session-duration 3600 "
        "--description 'frontdoor: assumed from the management account role of the same name'",
        "aws iam put-role-policy --role-name frontdoor-github-preview --policy-name frontdoor-preview "
        f"--policy-document file://policy-{IDENTITY_CENTER}-frontdoor-github-preview.json",
    ]
    # The deploy role admits GitHub's prod environment and its own sessions, nothing else: the first
    # apply runs in the deploy workflow, not from a workstation.
    trust = json.loads((out / f"trust-{MANAGEMENT}-frontdoor-deploy.json").read_text())
    assert [(s["Sid"], s["Action"]) for s in trust["Statement"]] == [
        ("GitHubActionsOidc", "sts:AssumeRoleWithWebIdentity"),
        ("DeployerAssumesItself", "sts:AssumeRole"),
    ]
    assert trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == [
        "repo:acme-medical/frontdoor:environment:prod"
    ]
    assert trust["Statement"][1]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": DEPLOY}}
    # Activating StackSets' trusted access is the administrator's step (CloudFormation User Guide: only an
    # administrator of the management account can), never the deployer's.
    deploy_actions = _actions(json.loads((out / f"policy-{MANAGEMENT}-frontdoor-deploy.json").read_text()))
    assert "cloudformation:ActivateOrganizationsAccess" not in deploy_actions
    assert not any(a.startswith("cloudformation:") and "*" in a for a in deploy_actions)
    assert "cloudformation:CreateStackSet" in deploy_actions
    # The Identity Center deployer's policy is derived (docs/first-run.md, The Identity Center deployer).
    trust_ic = json.loads((out / f"trust-{IDENTITY_CENTER}-frontdoor-deploy.json").read_text())
    assert trust_ic["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": DEPLOY},
            "Sid": "AssumedFromTheManagementAccount",
        }
    ]
    assert f"role arn:aws:iam::{IDENTITY_CENTER}:role/frontdoor-deploy\n" in printed
    policy_ic = json.loads((out / f"policy-{IDENTITY_CENTER}-frontdoor-deploy.json").read_text())
    assert policy_ic == identity_center_deploy_policy()
    assert "note:" not in printed
    assert printed.splitlines()[-1] == f"wrote 9 files into {out}"


def test_the_break_glass_stack_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["bootstrap-roles", "--stack", "breakglass"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {REPO}/stacks/Pulumi.breakglass.yaml is the break-glass stack: its provider assumes the "
        "deployer of the access stack; run bootstrap-roles for the access stack"
    ]
