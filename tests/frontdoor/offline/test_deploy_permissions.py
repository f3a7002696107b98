"""Each deployer holds what its provider registers, and nothing more; no IAM write on `*`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.documents.break_glass import BREAK_GLASS_GROUP_NAME, FORWARDER_ROLE_NAME
from frontdoor.domain.documents.deploy_permissions import (
    ACTIONS,
    PROVIDER_ACTIONS,
    access_deploy_policy,
    access_types,
    break_glass_deploy_policy,
    deploy_actions,
    deployer_types,
    identity_center_actions,
    identity_center_deploy_policy,
    services,
)
from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.documents.provider_identity import preview_identity, preview_policy
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.resource_types import ACCESS_DEPLOYER, BREAK_GLASS_DEPLOYER, IDENTITY_CENTER_DEPLOYER
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.record import RecordedResource

REPO = Path(__file__).resolve().parents[3]
MANAGEMENT = "::pulumi:providers:aws::aws-management::"
IDENTITY_CENTER = "::pulumi:providers:aws::aws-identity-center::"
# Invokes go through the management provider except those the Identity Center provider reads.
IDENTITY_CENTER_INVOKES = {
    source.token for source in catalogue.DATA_SOURCES if IDENTITY_CENTER_DEPLOYER in source.deployers
}
DEMO_DEPLOYER = Deployer(
    role_name="frontdoor-deploy",
    management_account_id="100000000026",
    identity_center_account_id="100000000299",
)
BREAK_GLASS = Deployer(
    role_name="frontdoor-breakglass-deploy",
    management_account_id="100000000026",
    identity_center_account_id="100000000299",
)


def _types(resources: list[RecordedResource], provider: str) -> set[str]:
    return {r.type for r in resources if r.custom and provider in r.provider}


def _invokes(run: ProgramRun) -> set[str]:
    return {t for t in run.invokes if t.startswith("aws:")}


def _used(demo: PreviewResult, breakglass_run: ProgramRun) -> dict[str, set[str]]:
    """What each deployer's provider registered or read in the demo and break-glass runs."""
    return {
        ACCESS_DEPLOYER: _types(demo.run.resources, MANAGEMENT)
        | (_invokes(demo.run) - IDENTITY_CENTER_INVOKES),
        IDENTITY_CENTER_DEPLOYER: _types(demo.run.resources, IDENTITY_CENTER)
        | (_invokes(demo.run) & IDENTITY_CENTER_INVOKES),
        BREAK_GLASS_DEPLOYER: _types(breakglass_run.resources, MANAGEMENT) | _invokes(breakglass_run),
    }


def _granted_actions(deployer: str) -> set[str]:
    if deployer == IDENTITY_CENTER_DEPLOYER:
        return set(identity_center_actions())
    return set(deploy_actions(deployer_types(deployer))) | set(PROVIDER_ACTIONS)


def test_each_deployer_covers_every_type_its_provider_registers(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    used = _used(demo, breakglass_run)
    assert "aws:organizations/policy:Policy" in used[ACCESS_DEPLOYER]
    assert "aws:ssoadmin/accountAssignment:AccountAssignment" in used[IDENTITY_CENTER_DEPLOYER]
    assert "aws:iam/user:User" in used[BREAK_GLASS_DEPLOYER]
    assert sorted(IDENTITY_CENTER_INVOKES) == [
        "aws:identitystore/getGroup:getGroup",
        "aws:identitystore/getGroups:getGroups",
        "aws:ssoadmin/getInstances:getInstances",
    ]
    for deployer, tokens in used.items():
        registered_by = {entry.token for entry in catalogue.deployer_entries(deployer)}
        # A type registered through a deployer whose entry does not name it is a first apply that fails.
        assert (deployer, sorted(tokens - registered_by)) == (deployer, [])
        # ...and one with no actions at all.
        with_actions = {t for t in tokens if t in ACTIONS or t in IDENTITY_CENTER_INVOKES}
        assert (deployer, sorted(tokens - with_actions)) == (deployer, [])


def test_no_deployer_holds_a_service_its_provider_never_touches(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    used = _used(demo, breakglass_run)
    granted = {deployer: services(_granted_actions(deployer)) for deployer in used}
    for deployer, tokens in used.items():
        touched = services(a for t in tokens for a in ACTIONS.get(t, ())) | services(PROVIDER_ACTIONS)
        if deployer == IDENTITY_CENTER_DEPLOYER:
            touched = services(identity_center_actions())
        assert (deployer, sorted(granted[deployer] - touched)) == (deployer, [])
    assert sorted(granted[ACCESS_DEPLOYER]) == [
        "access-analyzer",
        "cloudformation",
        "cloudtrail",
        "config",
        "iam",
        "lambda",
        "organizations",
        "s3",
        "sso",
        "sts",
    ]
    assert sorted(granted[IDENTITY_CENTER_DEPLOYER]) == ["identitystore", "sso"]
    assert sorted(granted[BREAK_GLASS_DEPLOYER]) == ["events", "iam", "sns", "sts"]


def _iam_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in document["Statement"] if any(a.startswith("iam:") for a in s["Action"])]


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
    config = _demo_config()
    assert document == access_deploy_policy(config, DEMO_DEPLOYER)
    actions = sorted(
        a for s in document["Statement"] if s["Sid"] != "ChainToDeployerRoles" for a in s["Action"]
    )
    assert sorted(set(actions)) == deploy_actions(access_types(config))
    # No user, group or login-profile action: the access deployer cannot create an administrator.
    assert [a for a in actions if re.match(r"iam:\w*(User|Group|LoginProfile)", a)] == []
    assert "iam:PassRole" not in actions
    (chain,) = [s for s in document["Statement"] if s["Sid"] == "ChainToDeployerRoles"]
    assert chain["Resource"] == [
        "arn:aws:iam::100000000026:role/frontdoor-deploy",
        "arn:aws:iam::100000000299:role/frontdoor-deploy",
    ]
    iam = {s["Sid"]: (s["Resource"], s.get("Condition")) for s in _iam_statements(document)}
    assert iam == {
        "DeployIamGitHubOidcProvider": (
            ["arn:aws:iam::100000000026:oidc-provider/token.actions.githubusercontent.com"],
            None,
        ),
        "DeployIamIdentityCenterProvisioned": (
            [
                "arn:aws:iam::100000000026:role/aws-reserved/sso.amazonaws.com/*",
                "arn:aws:iam::100000000026:saml-provider/AWSSSO_*_DO_NOT_DELETE",
            ],
            None,
        ),
        "DeployIamOwnRoles": (
            [
                "arn:aws:iam::100000000026:role/DatadogIntegrationRole",
                "arn:aws:iam::100000000026:role/frontdoor-deploy",
                "arn:aws:iam::100000000026:role/frontdoor-github-preview",
            ],
            None,
        ),
        "DeployIamServiceLinkedRolesCreate": (
            ["arn:aws:iam::100000000026:role/aws-service-role/*"],
            {
                "StringEquals": {
                    "iam:AWSServiceName": [
                        "access-analyzer.amazonaws.com",
                        "cloudtrail.amazonaws.com",
                        "config-multiaccountsetup.amazonaws.com",
                    ]
                }
            },
        ),
        "DeployIamServiceLinkedRoles": (["arn:aws:iam::100000000026:role/aws-service-role/*"], None),
    }
    # IAM's quota for a role's inline policies (10,240 characters, whitespace excluded).
    assert len(inline.inputs["policy"]) <= 10_240


def _demo_config() -> StackConfig:
    path = REPO / "stacks" / "Pulumi.demo.yaml"
    return parse_stack_config(read_stack_file(path), str(path))


def test_without_delivery_or_trail_the_access_deployer_holds_no_iam_and_no_s3() -> None:
    config = _demo_config().model_copy(update={"delivery": None, "trail": None})
    document = access_deploy_policy(config, DEMO_DEPLOYER)
    actions = {a for s in document["Statement"] for a in s["Action"]}
    # Left: the Identity Center roles of management-account assignments and the service-linked roles
    # of Config and Access Analyzer (CloudTrail's went with the trail).
    iam = {s["Sid"]: s for s in _iam_statements(document)}
    assert sorted(iam) == ["DeployIamIdentityCenterProvisioned", "DeployIamServiceLinkedRolesCreate"]
    assert iam["DeployIamServiceLinkedRolesCreate"]["Condition"] == {
        "StringEquals": {
            "iam:AWSServiceName": ["access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com"]
        }
    }
    assert not [a for a in actions if a.startswith(("s3:", "cloudtrail:"))]


# What Identity Center's service-linked role does to the AWSReservedSSO_* roles of a member account (IAM
# Identity Center User Guide, "Using service-linked roles"). Its provisioning statement excludes the
# management account (AWSSSOServiceRolePolicy v18: StringNotEquals aws:PrincipalOrgMasterAccountId
# ${aws:PrincipalAccount}), so there the deployer's own session does all of it, deletion included.
RESERVED_ROLE_LIFECYCLE = {
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:GetRole",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
}


def test_every_s3_action_names_the_trail_bucket_alone() -> None:
    """parliament's RESOURCE_POLICY_PRIVILEGE_ESCALATION on the deployer is justified (test_policy_lint.py)
    by S3 being bounded to the trail bucket; a `*` there would keep the same finding, so the bound is
    asserted here: PutBucketPolicy on any bucket of the management account would let the deployer open
    any of them."""
    config = _demo_config()
    assert config.trail is not None
    document = access_deploy_policy(config, DEMO_DEPLOYER)
    s3 = [s for s in document["Statement"] if any(a.startswith("s3:") for a in s["Action"])]
    assert [s["Sid"] for s in s3] == ["DeployS3"]
    assert s3[0]["Resource"] == f"arn:aws:s3:::{config.trail.bucket_name}"


def test_lambda_actions_name_the_datadog_forwarder_alone_and_only_with_it() -> None:
    """The stack writes one function's resource policy, the forwarder's (S3 may invoke it from the trail
    bucket): an unbounded lambda:AddPermission would let the deployer open any function of the management
    account to anyone. Without `trail.datadog` there is no Lambda action at all."""
    config = _demo_config()
    assert config.trail is not None and config.trail.datadog is not None
    forwarder = config.trail.datadog.forwarder_arn
    preview = preview_identity(DEMO_DEPLOYER, "frontdoor-github-preview")

    def lambda_statements(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
        return [
            (s["Sid"], s["Resource"], s["Action"])
            for s in document["Statement"]
            if any(a.startswith("lambda:") for a in s["Action"])
        ]

    assert lambda_statements(access_deploy_policy(config, DEMO_DEPLOYER)) == [
        ("DeployLambda", forwarder, ["lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"])
    ]
    assert lambda_statements(preview_policy(config, preview)) == [
        ("ReadLambda", forwarder, ["lambda:GetPolicy"])
    ]
    without = config.model_copy(update={"trail": config.trail.model_copy(update={"datadog": None})})
    assert lambda_statements(access_deploy_policy(without, DEMO_DEPLOYER)) == []
    assert lambda_statements(preview_policy(without, preview)) == []
    own = {s["Sid"]: s["Resource"] for s in _iam_statements(access_deploy_policy(without, DEMO_DEPLOYER))}
    assert "arn:aws:iam::100000000026:role/DatadogIntegrationRole" not in own["DeployIamOwnRoles"]


def test_management_account_assignments_can_be_removed_not_only_created() -> None:
    """Removing a grant on the management account (DeleteAccountAssignment) deletes its reserved role, and
    reprovisioning a changed set rewrites it: with the create half only, that apply is AccessDenied."""
    document = access_deploy_policy(_demo_config(), DEMO_DEPLOYER)
    (reserved,) = [s for s in document["Statement"] if s["Sid"] == "DeployIamIdentityCenterProvisioned"]
    assert sorted(RESERVED_ROLE_LIFECYCLE - set(reserved["Action"])) == []
    # ... on Identity Center's path only, never the stack's own or any other role.
    assert [r for r in reserved["Resource"] if ":role/" in r] == [
        "arn:aws:iam::100000000026:role/aws-reserved/sso.amazonaws.com/*"
    ]


def test_the_identity_center_deployer_writes_identity_center_and_nothing_else(
    demo: PreviewResult,
) -> None:
    document = identity_center_deploy_policy()
    actions = {a for s in document["Statement"] for a in s["Action"]}
    assert services(actions) == {"sso", "identitystore"}
    # The ABAC attribute configuration and every permission-set and assignment write it registers.
    assert {
        "sso:CreateInstanceAccessControlAttributeConfiguration",
        "sso:CreatePermissionSet",
        "sso:PutInlinePolicyToPermissionSet",
        "sso:CreateAccountAssignment",
        "sso:ListInstances",
        "identitystore:ListGroups",
    } <= actions
    registered = _types(demo.run.resources, IDENTITY_CENTER)
    needed = {a for t in registered for a in ACTIONS[t] if not a.startswith("iam:")}
    assert sorted(needed - actions) == []


def test_the_break_glass_deployer_is_bounded_to_the_break_glass_path_group_and_forwarder() -> None:
    document = break_glass_deploy_policy(
        BREAK_GLASS,
        path="/breakglass/",
        group_name=BREAK_GLASS_GROUP_NAME,
        forwarder_role_name=FORWARDER_ROLE_NAME,
    )
    iam = {s["Sid"]: (s["Resource"], s.get("Condition")) for s in _iam_statements(document)}
    assert iam == {
        "DeployIamBreakGlassGroup": (["arn:aws:iam::100000000026:group/BreakGlassAdmins"], None),
        "DeployIamBreakGlassUsers": (["arn:aws:iam::100000000026:user/breakglass/*"], None),
        "DeployIamOwnRoles": (["arn:aws:iam::100000000026:role/breakglass-sign-in-forwarder"], None),
        "DeployIamPassRoleToEventBridge": (
            ["arn:aws:iam::100000000026:role/breakglass-sign-in-forwarder"],
            {"StringEquals": {"iam:PassedToService": "events.amazonaws.com"}},
        ),
    }
    (chain,) = [s for s in document["Statement"] if s["Sid"] == "ChainToDeployerRoles"]
    assert chain["Resource"] == ["arn:aws:iam::100000000026:role/frontdoor-breakglass-deploy"]


def test_the_break_glass_stack_deploys_as_its_own_role(breakglass_run: ProgramRun) -> None:
    (provider,) = [r for r in breakglass_run.resources if r.type == "pulumi:providers:aws"]
    assert json.loads(provider.inputs["assumeRoles"])[0]["roleArn"] == (
        "arn:aws:iam::100000000026:role/frontdoor-breakglass-deploy"
    )


def _json_block_after(text: str, marker: str) -> Any:
    """The first ```json block after `marker` in a runbook."""
    tail = text[text.index(marker) :]
    block = tail[tail.index("```json") + len("```json") : tail.index("```", tail.index("```json") + 7)]
    return json.loads(block)


def test_the_runbooks_publish_the_hand_made_deployers_policies() -> None:
    first_run = (REPO / "docs" / "first-run.md").read_text()
    assert _json_block_after(first_run, "### The Identity Center deployer") == identity_center_deploy_policy()
    runbook = (REPO / "docs" / "break-glass-runbook.md").read_text()
    assert _json_block_after(runbook, "## The break-glass deployer") == break_glass_deploy_policy(
        BREAK_GLASS,
        path="/breakglass/",
        group_name=BREAK_GLASS_GROUP_NAME,
        forwarder_role_name=FORWARDER_ROLE_NAME,
    )
