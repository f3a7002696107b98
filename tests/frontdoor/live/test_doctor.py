"""`frontdoor doctor` on an organization half set up by hand, on the local AWS API server."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from tests.frontdoor.live.demo_server import (
    IDENTITY_CENTER_ACCOUNT,
    as_account,
    cwd_with_stacks,
    demo_estate,
    stack_files,
)
from tests.frontdoor.live.seed import SSO, TRUST_ANY_IN_ACCOUNT, seed_organization

GITHUB_THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1"


def test_doctor_reports_exactly_the_missing_preconditions_of_a_half_set_up_org(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = demo_estate()
    # Identity Center enabled and delegated by hand; no SCPs, no CloudTrail trusted access, SCIM not
    # connected yet; a permission set, the GitHub OIDC provider and the deploy role made in the console
    # (the preview role not yet).
    seeded = seed_organization(
        estate,
        identity_center_account=IDENTITY_CENTER_ACCOUNT,
        trusted=(SSO,),
        enable_scps=False,
        groups=False,
    )
    seeded.identity_center.client("sso-admin").create_permission_set(
        InstanceArn=seeded.instance_arn, Name="PlatformAdmin", SessionDuration="PT1H"
    )
    seeded.management.client("iam").create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=[GITHUB_THUMBPRINT],
    )
    seeded.management.client("iam").create_role(
        RoleName="frontdoor-deploy",
        AssumeRolePolicyDocument=TRUST_ANY_IN_ACCOUNT % estate.organization.management_account.id,
    )
    as_account(monkeypatch, estate.organization.management_account.id)
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    code = main(["doctor", "--stack", "demo", "--quiet", *stack_files(tmp_path)[:2]])
    out, err = capsys.readouterr()
    assert code == 1, err
    checks = [line for line in out.splitlines() if line.startswith("[")]
    assert [line.split(":")[0] for line in checks] == [
        "[TODO] role frontdoor-deploy",
        "[TODO] role frontdoor-github-preview",
        "[ok  ] all features",
        "[TODO] SCP policy type",
        "[ok  ] trusted access sso.amazonaws.com",
        "[TODO] trusted access cloudtrail.amazonaws.com",
        "[TODO] trusted access member.org.stacksets.cloudformation.amazonaws.com",
        "[TODO] trusted access access-analyzer.amazonaws.com",
        "[TODO] StackSets organizations access",
        "[ok  ] delegated administrator",
        "[ok  ] Identity Center instance",
        "[TODO] SCIM-synced groups",
        "[TODO] existing delegated administrator",
        "[TODO] existing GitHub OIDC provider",
        "[TODO] existing permission sets",
    ]
    lines = out.splitlines()
    # Made by hand, the deploy role is adopted; missing, the preview role is created from bootstrap-roles.
    assert lines[:4] == [
        "[TODO] role frontdoor-deploy: frontdoor-deploy exists; a first apply would create it again "
        "(EntityAlreadyExists)",
        "       fix: set frontdoor:delivery.adoptDeployRole: true for the apply that imports it (then unset "
        "it); if the stack already manages it, nothing to do",
        "[TODO] role frontdoor-github-preview: frontdoor-github-preview does not exist: the providers assume "
        "it before any resource",
        "       fix: run `frontdoor bootstrap-roles --stack S` and create it as printed (docs/first-run.md "
        "step 0)",
    ]
    # StackSets' trusted access is the administrator's step: named in both of its forms, never granted.
    stacksets = lines.index(
        "[TODO] StackSets organizations access: DescribeOrganizationsAccess answers DISABLED: "
        "service-managed StackSets fail"
    )
    assert lines[stacksets + 1] == (
        "       fix: aws cloudformation activate-organizations-access, run by an administrator of the "
        "management account (the deploy role is not granted it)"
    )
    assert lines[
        lines.index("[TODO] SCP policy type: SERVICE_CONTROL_POLICY is not enabled on r-a1b2") + 1
    ] == (
        "       fix: aws organizations enable-policy-type --root-id r-a1b2 --policy-type "
        "SERVICE_CONTROL_POLICY"
    )
    assert (
        "[TODO] existing permission sets: permission sets with catalogue names already exist: PlatformAdmin"
        in lines
    )
    assert (
        "[TODO] existing GitHub OIDC provider: arn:aws:iam::100000000026:oidc-provider/"
        "token.actions.githubusercontent.com exists; the first apply would create it again "
        "(one per URL per account)"
    ) in lines
    assert lines[-1] == "11 thing(s) to do"
