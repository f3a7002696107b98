"""The deploy role holds what the program needs through the management provider, and nothing more."""

from __future__ import annotations

import json

from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.documents.deploy_permissions import ACTIONS, PROVIDER_ACTIONS, deploy_actions, services
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.record import RecordedResource

MANAGEMENT_PROVIDER = "::pulumi:providers:aws::aws-management::"
# Invokes go through the management provider except those the Identity Center provider reads.
IDENTITY_CENTER_INVOKES = {source.token for source in catalogue.DATA_SOURCES if source.identity_center_reads}


def _management_types(resources: list[RecordedResource]) -> set[str]:
    return {r.type for r in resources if r.custom and MANAGEMENT_PROVIDER in r.provider}


def _management_invokes(*runs: ProgramRun) -> set[str]:
    return {t for run in runs for t in run.invokes if t.startswith("aws:")} - IDENTITY_CENTER_INVOKES


def test_the_role_covers_every_type_the_management_provider_registers(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    used = (
        _management_types(demo.run.resources)
        | _management_types(breakglass_run.resources)
        | _management_invokes(demo.run, breakglass_run)
    )
    assert "aws:organizations/policy:Policy" in used and "aws:iam/user:User" in used
    assert sorted(IDENTITY_CENTER_INVOKES) == [
        "aws:identitystore/getGroup:getGroup",
        "aws:identitystore/getGroups:getGroups",
        "aws:ssoadmin/getInstances:getInstances",
    ]
    # A type registered through the deployer with no actions here is a first apply that fails.
    assert sorted(used - set(ACTIONS)) == []
    granted = services(deploy_actions()) | services(PROVIDER_ACTIONS)
    touched = services(a for t in used for a in ACTIONS[t]) | services(PROVIDER_ACTIONS)
    # A service the program never touches through the deployer is privilege nobody needs.
    assert sorted(granted - touched) == []
    assert sorted(granted) == [
        "access-analyzer",
        "cloudformation",
        "cloudtrail",
        "config",
        "events",
        "iam",
        "organizations",
        "s3",
        "sns",
        "sso",
        "sts",
    ]


def test_the_deploy_role_carries_the_derived_policy_not_administrator_access(demo: PreviewResult) -> None:
    resources = demo.run.resources
    attachments = [
        r.inputs["policyArn"]
        for r in resources
        if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    ]
    assert "arn:aws:iam::aws:policy/AdministratorAccess" not in attachments
    (inline,) = [
        r
        for r in resources
        if r.type == "aws:iam/rolePolicy:RolePolicy" and r.inputs["name"] == "frontdoor-deploy"
    ]
    document = json.loads(inline.inputs["policy"])
    actions = sorted(
        a for s in document["Statement"] if s["Sid"] != "ChainToDeployerRoles" for a in s["Action"]
    )
    assert actions == deploy_actions()
    (chain,) = [s for s in document["Statement"] if s["Sid"] == "ChainToDeployerRoles"]
    assert chain["Resource"] == [
        "arn:aws:iam::100000000026:role/frontdoor-deploy",
        "arn:aws:iam::100000000299:role/frontdoor-deploy",
    ]
    # IAM's quota for a role's inline policies (10,240 characters, whitespace excluded).
    assert len(inline.inputs["policy"]) <= 10_240
