"""Guardrail SCP documents, as exact rendered JSON (where they attach: planning/test_guardrails.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.documents.scp import (
    REGION_EXEMPT_ACTIONS,
    SCP_KINDS,
    break_glass_exemptions,
    scp_document,
)
from frontdoor.domain.model.guardrails import ScpConfig, ScpKind

SOURCE = "stacks/Pulumi.test.yaml"
ROOT = "r-ab12"
GLASS_ARN = "arn:aws:iam::111111111111:user/breakglass/breakglass-1"
GLASS = '"ArnNotLike":{"aws:PrincipalARN":["' + GLASS_ARN + '"]}'
USER_ID = "90677c2d-d0a1-7058-7d7e-0123456789ab"


def render(kind: ScpKind, **config: Any) -> str:
    return render_policy(scp_document(kind, ScpConfig(attach_to=["Root"], **config), [GLASS_ARN]))


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
        '"ArnNotLike":{"aws:PrincipalARN":["arn:aws:iam::111111111111:user/breakglass/breakglass-1",'
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
    exempt = break_glass_exemptions("111111111111", "/breakglass/", ["breakglass-2", "breakglass-1"])
    # The path is part of the ARN aws:PrincipalARN holds (IAM User Guide, "IAM identifiers").
    assert exempt == [
        "arn:aws:iam::111111111111:user/breakglass/breakglass-1",
        "arn:aws:iam::111111111111:user/breakglass/breakglass-2",
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
