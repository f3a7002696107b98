"""Guardrail SCP documents (exact rendered JSON) and plan_guardrails (targets, size, quota, errors)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.documents.scp import (
    REGION_EXEMPT_ACTIONS,
    SCP_KINDS,
    ScpTarget,
    break_glass_exemptions,
    plan_guardrails,
    scp_document,
)
from frontdoor.domain.model.stack import (
    SCP_CONTENT_MAX,
    GuardrailsConfig,
    Quotas,
    ScpConfig,
    ScpKind,
    render_policy,
)
from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit

SOURCE = "stacks/Pulumi.test.yaml"
ROOT = "r-ab12"
GLASS_ARN = "arn:aws:iam::111111111111:user/breakglass-1"
GLASS = '"ArnNotLike":{"aws:PrincipalARN":["' + GLASS_ARN + '"]}'
USER_ID = "90677c2d-d0a1-7058-7d7e-0123456789ab"

SNAPSHOT = OrgSnapshot(
    root_id=ROOT,
    management_account_id="111111111111",
    ous=(
        OrgUnit("ou-ab12-sandbox1", "Sandbox", "Sandbox", ROOT),
        OrgUnit("ou-ab12-workload", "Workloads", "Workloads", ROOT),
        OrgUnit("ou-ab12-prod0001", "Prod", "Workloads/Prod", "ou-ab12-workload"),
    ),
    accounts=(Account("111111111111", "management", "ACTIVE", ""),),
)


def render(kind: ScpKind, **config: Any) -> str:
    return render_policy(scp_document(kind, ScpConfig(attach_to=["Root"], **config), [GLASS_ARN]))


# --- documents ----------------------------------------------------------------------------------------


def test_deny_iam_users() -> None:
    assert render("deny-iam-users") == (
        '{"Statement":[{"Action":["iam:CreateAccessKey","iam:CreateLoginProfile","iam:CreateUser",'
        '"iam:UpdateLoginProfile"],"Condition":{' + GLASS + '},"Effect":"Deny","Resource":"*",'
        '"Sid":"DenyIamUserCredentials"}],"Version":"2012-10-17"}'
    )


def test_deny_leave_organization() -> None:
    assert render("deny-leave-organization") == (
        '{"Statement":[{"Action":"organizations:LeaveOrganization","Condition":{' + GLASS + "},"
        '"Effect":"Deny","Resource":"*","Sid":"DenyLeaveOrganization"}],"Version":"2012-10-17"}'
    )


def test_protect_identity_center_roles() -> None:
    exempt = (
        '"ArnNotLike":{"aws:PrincipalARN":["arn:aws:iam::111111111111:user/breakglass-1",'
        '"arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"]}'
    )
    assert render("protect-identity-center-roles") == (
        '{"Statement":[{"Action":["iam:AttachRolePolicy","iam:CreateRole","iam:DeleteRole",'
        '"iam:DeleteRolePermissionsBoundary","iam:DeleteRolePolicy","iam:DetachRolePolicy",'
        '"iam:PutRolePermissionsBoundary","iam:PutRolePolicy","iam:TagRole","iam:UntagRole",'
        '"iam:UpdateAssumeRolePolicy","iam:UpdateRole","iam:UpdateRoleDescription"],'
        '"Condition":{' + exempt + '},"Effect":"Deny",'
        '"Resource":"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*","Sid":"ProtectIdentityCenterRoles"},'
        '{"Action":["iam:DeleteSAMLProvider","iam:UpdateSAMLProvider"],"Condition":{' + exempt + "},"
        '"Effect":"Deny","Resource":"arn:aws:iam::*:saml-provider/AWSSSO_*",'
        '"Sid":"ProtectIdentityCenterSamlProvider"}],"Version":"2012-10-17"}'
    )


def test_identity_center_users_are_not_exempt_from_role_protection() -> None:
    # Exempting aws-reserved/sso.amazonaws.com/* would let any Identity Center user edit their own role.
    document = render("protect-identity-center-roles")
    assert 'aws-reserved/sso.amazonaws.com/*"]' not in document
    for statement in json.loads(document)["Statement"]:
        assert "aws-reserved" not in json.dumps(statement["Condition"])


def test_deny_root_user() -> None:
    assert render("deny-root-user") == (
        '{"Statement":[{"Action":"*","Condition":{"ArnLike":{"aws:PrincipalARN":"arn:aws:iam::*:root"},'
        + GLASS
        + '},"Effect":"Deny","Resource":"*","Sid":"DenyRootUser"}],"Version":"2012-10-17"}'
    )


def test_region_restriction() -> None:
    document = json.loads(render("region-restriction", allowed_regions=["us-east-1", "eu-west-1"]))
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyOutsideAllowedRegions",
                "Effect": "Deny",
                "NotAction": list(REGION_EXEMPT_ACTIONS),
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                    "ArnNotLike": {"aws:PrincipalARN": [GLASS_ARN]},
                },
            }
        ],
    }
    assert {"iam:*", "organizations:*", "sts:*", "support:*", "route53:*", "cloudfront:*"} <= set(
        REGION_EXEMPT_ACTIONS
    )


def test_session_revocation_placeholder_denies_nothing() -> None:
    assert render("session-revocation") == (
        '{"Statement":[{"Action":"*","Condition":{"ArnLike":{"aws:PrincipalARN":'
        '"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"},' + GLASS + ","
        '"DateLessThan":{"aws:TokenIssueTime":"1970-01-01T00:00:00Z"}},"Effect":"Deny","Resource":"*",'
        '"Sid":"RevokeSessionsIssuedBefore"}],"Version":"2012-10-17"}'
    )


def test_session_revocation_filled() -> None:
    document = json.loads(
        render(
            "session-revocation",
            revoked_user_ids=[USER_ID],
            revoked_before=dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        )
    )
    users, cutoff = document["Statement"]
    assert users == {
        "Sid": "RevokeListedUsers",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"identitystore:userId": [USER_ID]},
            "ArnNotLike": {"aws:PrincipalARN": [GLASS_ARN]},
        },
    }
    assert cutoff["Condition"]["DateLessThan"] == {"aws:TokenIssueTime": "2026-11-28T09:30:00Z"}


@pytest.mark.parametrize("kind", SCP_KINDS)
def test_every_deny_exempts_exactly_the_break_glass_users_and_no_role(kind: ScpKind) -> None:
    exempt = break_glass_exemptions("111111111111", ["breakglass-2", "breakglass-1"])
    assert exempt == [
        "arn:aws:iam::111111111111:user/breakglass-1",
        "arn:aws:iam::111111111111:user/breakglass-2",
    ]
    document = scp_document(
        kind,
        ScpConfig(attach_to=["Root"], allowed_regions=["eu-west-1"], revoked_user_ids=[USER_ID]),
        exempt,
    )
    for statement in document["Statement"]:
        assert statement["Effect"] == "Deny"
        named = statement["Condition"]["ArnNotLike"]["aws:PrincipalARN"]
        # Exempting a principal nothing creates (a role name anyone could create) must fail here.
        assert [arn for arn in named if ":role/" in arn and "aws-service-role/sso" not in arn] == []
        assert [arn for arn in named if ":user/" in arn] == exempt


def test_without_break_glass_users_no_deny_exempts_anyone() -> None:
    document = scp_document("deny-leave-organization", ScpConfig(attach_to=["Root"]), [])
    assert "Condition" not in document["Statement"][0]


# --- planning -----------------------------------------------------------------------------------------


def guardrails(**scps: Any) -> GuardrailsConfig:
    return GuardrailsConfig.model_validate({"scps": scps, "breakGlassUserNames": ["breakglass-1"]})


def issues(error: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return [issue.render() for issue in error.value.issues]


def test_plan_resolves_root_paths_and_ids_in_declaration_order() -> None:
    plans = plan_guardrails(
        guardrails(
            **{
                "deny-root-user": {"attachTo": ["Workloads/Prod", "Sandbox"]},
                "deny-leave-organization": {"attachTo": ["Root"]},
                "deny-iam-users": {"attachTo": ["ou-ab12-workload"], "enabled": True},
                "region-restriction": {"attachTo": ["Root"], "enabled": False},
            }
        ),
        SNAPSHOT,
        SOURCE,
        Quotas(),
    )
    assert [(p.kind, p.policy_name, p.targets) for p in plans] == [
        (
            "deny-iam-users",
            "frontdoor-deny-iam-users",
            (ScpTarget("ou-ab12-workload", "ou-ab12-workload", False),),
        ),
        ("deny-leave-organization", "frontdoor-deny-leave-organization", (ScpTarget(ROOT, "Root", True),)),
        (
            "deny-root-user",
            "frontdoor-deny-root-user",
            (
                ScpTarget("ou-ab12-prod0001", "Workloads/Prod", False),
                ScpTarget("ou-ab12-sandbox1", "Sandbox", False),
            ),
        ),
    ]
    assert plans[2].attachment_names() == (
        "deny-root-user/ou-ab12-prod0001",
        "deny-root-user/ou-ab12-sandbox1",
    )
    assert plans[0].content == render("deny-iam-users")


def test_unknown_ou_path_and_id() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"deny-root-user": {"attachTo": ["Workloads/Dev", "ou-ab12-missing1"]}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    assert issues(error) == [
        "stacks/Pulumi.test.yaml: frontdoor:guardrails.scps.deny-root-user.attachTo[0]: no OU with this path "
        "in the organization (got 'Workloads/Dev'). Fix: use \"Root\", an existing OU path (known: Sandbox, "
        "Workloads, Workloads/Prod) or an ou-… id",
        "stacks/Pulumi.test.yaml: frontdoor:guardrails.scps.deny-root-user.attachTo[1]: no OU with this id "
        "in the organization (got 'ou-ab12-missing1'). Fix: use \"Root\", an existing OU path (known: "
        "Sandbox, Workloads, Workloads/Prod) or an ou-… id",
    ]


def test_accounts_and_duplicates_are_refused() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"deny-root-user": {"attachTo": ["222222222222", "Root", ROOT]}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    fields = [issue.field for issue in error.value.issues]
    assert fields == [
        "frontdoor:guardrails.scps.deny-root-user.attachTo[0]",
        "frontdoor:guardrails.scps.deny-root-user.attachTo[2]",
    ]
    assert "not to single accounts" in error.value.issues[0].problem
    assert error.value.issues[1].problem == f"the same target as 'Root' ({ROOT})"


def test_quota_counts_full_aws_access() -> None:
    five = {kind: {"attachTo": ["Root"], "allowedRegions": ["eu-west-1"]} for kind in SCP_KINDS[:5]}
    with pytest.raises(ConfigError) as error:
        plan_guardrails(guardrails(**five), SNAPSHOT, SOURCE, Quotas())
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps"
    assert issue.problem == (
        "5 guardrails (deny-iam-users, deny-leave-organization, protect-identity-center-roles, "
        f"deny-root-user, region-restriction) plus FullAWSAccess would be attached to {ROOT}, "
        "the limit is 5 SCPs per target"
    )
    four = dict(list(five.items())[:4])
    assert len(plan_guardrails(guardrails(**four), SNAPSHOT, SOURCE, Quotas())) == 4
    with pytest.raises(ConfigError):
        plan_guardrails(guardrails(**four), SNAPSHOT, SOURCE, Quotas(scps_per_target=4))


def test_oversized_document() -> None:
    many = [f"{index:08x}-d0a1-7058-7d7e-0123456789ab" for index in range(150)]
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(**{"session-revocation": {"attachTo": ["Root"], "revokedUserIds": many}}),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps.session-revocation"
    assert issue.problem.endswith(f"characters minified, AWS allows {SCP_CONTENT_MAX}")


def test_malformed_user_id() -> None:
    with pytest.raises(ConfigError) as error:
        plan_guardrails(
            guardrails(
                **{"session-revocation": {"attachTo": ["Root"], "revokedUserIds": ["jane@example.com"]}}
            ),
            SNAPSHOT,
            SOURCE,
            Quotas(),
        )
    (issue,) = error.value.issues
    assert issue.field == "frontdoor:guardrails.scps.session-revocation.revokedUserIds[0]"
    assert issue.value == "jane@example.com"


def test_no_guardrails_no_plans() -> None:
    assert plan_guardrails(GuardrailsConfig(), SNAPSHOT, SOURCE, Quotas()) == ()
