"""Guardrail SCP documents: pure functions (where each attaches is frontdoor/domain/planning/guardrails.py).

Deny-list strategy (reliability §6.12): AWS's `FullAWSAccess` stays attached everywhere and each of
our SCPs only denies. Every deny statement exempts exactly the break-glass stack's IAM users, by full
ARN, path included (`ArnNotLike aws:PrincipalARN arn:aws:iam::<management>:user/breakglass/<name>`),
and no role: a role-name exemption lets whoever creates a role of that name past every guardrail
(real-api-audit item 7). SCPs never apply to the management account itself, where those users live;
in a member account emergency access goes through `OrganizationAccountAccessRole`, which these
guardrails bind like any role. Documents are rendered minified with sorted keys, which is both what
AWS counts against the 5,120-character limit and stable across runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, get_args

from frontdoor.domain.documents.break_glass import break_glass_user_arns
from frontdoor.domain.model.guardrails import ScpConfig, ScpKind

POLICY_NAME_PREFIX = "frontdoor-"
PRINCIPAL_ARN = "aws:PrincipalARN"
# Identity Center's provisioned roles: AWSReservedSSO_<set>_<suffix>, with or without a region segment.
IDENTITY_CENTER_ROLES = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"
# The service-linked role Identity Center provisions those roles with (AWSSSOServiceRolePolicy).
IDENTITY_CENTER_SERVICE_ROLE = "arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
# The SAML provider Identity Center creates in each account (AWSSSO_<id>_DO_NOT_DELETE).
IDENTITY_CENTER_SAML_PROVIDERS = "arn:aws:iam::*:saml-provider/AWSSSO_*"
# No token was issued before the epoch: the revocation placeholder's cutoff, which denies nothing.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

SCP_KINDS: tuple[ScpKind, ...] = get_args(ScpKind)

# Global services (endpoints in us-east-1) exempt from the region deny, after the AWS Organizations
# "Deny access to AWS based on the requested AWS Region" example, plus the billing-console services the
# BillingViewer tier needs. Extend it with the global services your accounts use.
REGION_EXEMPT_ACTIONS: tuple[str, ...] = (
    "a4b:*",
    "account:*",
    "acm:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "billing:*",
    "budgets:*",
    "ce:*",
    "chime:*",
    "cloudfront:*",
    "config:*",
    "consolidatedbilling:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "fms:*",
    "freetier:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "importexport:*",
    "invoicing:*",
    "kms:*",
    "mobileanalytics:*",
    "networkmanager:*",
    "organizations:*",
    "payments:*",
    "pricing:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints",
    "s3:PutAccountPublic*",
    "shield:*",
    "sts:*",
    "support:*",
    "tax:*",
    "trustedadvisor:*",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
    "wellarchitected:*",
)

IDENTITY_CENTER_ROLE_WRITES: tuple[str, ...] = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
)


def break_glass_exemptions(management_account_id: str, path: str, user_names: Sequence[str]) -> list[str]:
    """Exactly the break-glass stack's IAM users, in the management account: the only principals exempt.

    Nothing else is exempted: an exemption by role name (`arn:aws:iam::*:role/BreakGlassAdmin`) is an open
    door wherever that role does not exist yet, since anyone allowed iam:CreateRole could create it and
    walk past every guardrail (real-api-audit item 7). These users live in the break-glass stack, which
    protects them; they are exempted by full ARN, path included (`break_glass_user_arns`), never by
    pattern.
    """
    return list(break_glass_user_arns(management_account_id, path, user_names))


def policy_name(kind: ScpKind) -> str:
    return f"{POLICY_NAME_PREFIX}{kind}"


def _deny(
    sid: str,
    *,
    exempt: list[str],
    action: str | list[str] | None = None,
    not_action: list[str] | None = None,
    resource: str | list[str] = "*",
    condition: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    conditions: dict[str, dict[str, Any]] = {op: dict(keys) for op, keys in (condition or {}).items()}
    if exempt:
        conditions.setdefault("ArnNotLike", {})[PRINCIPAL_ARN] = exempt
    statement: dict[str, Any] = {"Sid": sid, "Effect": "Deny", "Resource": resource}
    if conditions:
        statement["Condition"] = conditions
    if not_action is not None:
        statement["NotAction"] = not_action
    else:
        statement["Action"] = action
    return statement


def _iso(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scp_document(kind: ScpKind, scp: ScpConfig, break_glass_arns: Sequence[str] = ()) -> dict[str, Any]:
    """The policy document of one guardrail, as a dict (render with `render_policy`).

    Every deny exempts exactly `break_glass_arns` (see `break_glass_exemptions`), nobody else.
    """
    glass = list(break_glass_arns)
    statements: list[dict[str, Any]]
    if kind == "deny-iam-users":
        statements = [
            _deny(
                "DenyIamUserCredentials",
                exempt=glass,
                action=[
                    "iam:CreateAccessKey",
                    "iam:CreateLoginProfile",
                    "iam:CreateUser",
                    "iam:UpdateLoginProfile",
                ],
            )
        ]
    elif kind == "deny-leave-organization":
        statements = [_deny("DenyLeaveOrganization", exempt=glass, action="organizations:LeaveOrganization")]
    elif kind == "protect-identity-center-roles":
        # Not exempted: principals under aws-reserved/sso.amazonaws.com/ — those are the Identity Center
        # users themselves, who must not be able to edit the roles they hold. Identity Center changes its
        # roles through its service-linked role, which SCPs never restrict; it is listed anyway so the
        # intent survives a reading of the document alone.
        exempt = [*glass, IDENTITY_CENTER_SERVICE_ROLE]
        statements = [
            _deny(
                "ProtectIdentityCenterRoles",
                exempt=exempt,
                action=list(IDENTITY_CENTER_ROLE_WRITES),
                resource=IDENTITY_CENTER_ROLES,
            ),
            _deny(
                "ProtectIdentityCenterSamlProvider",
                exempt=exempt,
                action=["iam:DeleteSAMLProvider", "iam:UpdateSAMLProvider"],
                resource=IDENTITY_CENTER_SAML_PROVIDERS,
            ),
        ]
    elif kind == "deny-root-user":
        statements = [
            _deny(
                "DenyRootUser",
                exempt=glass,
                action="*",
                condition={"ArnLike": {PRINCIPAL_ARN: "arn:aws:iam::*:root"}},
            )
        ]
    elif kind == "region-restriction":
        statements = [
            _deny(
                "DenyOutsideAllowedRegions",
                exempt=glass,
                not_action=list(REGION_EXEMPT_ACTIONS),
                condition={"StringNotEquals": {"aws:RequestedRegion": sorted(scp.allowed_regions)}},
            )
        ]
    else:  # session-revocation
        statements = _revocation_statements(scp, glass)
    return {"Version": "2012-10-17", "Statement": statements}


def _revocation_statements(scp: ScpConfig, glass: list[str]) -> list[dict[str, Any]]:
    """AWS's revoke pattern (Identity Center guide, "Revoke active IAM role sessions created by
    permission sets"): deny `*` to the listed identity-store user ids. Plus a cutoff that ends every
    Identity Center role session issued before `revokedBefore` (scoped to the aws-reserved SSO roles,
    so workload roles keep their sessions). With both empty it stays attached and denies nothing: the
    cutoff is the epoch, before which no token was issued, so a revocation is a one-line config change."""
    statements: list[dict[str, Any]] = []
    if scp.revoked_user_ids:
        statements.append(
            _deny(
                "RevokeListedUsers",
                exempt=glass,
                action="*",
                condition={"StringEquals": {"identitystore:userId": sorted(scp.revoked_user_ids)}},
            )
        )
    statements.append(
        _deny(
            "RevokeSessionsIssuedBefore",
            exempt=glass,
            action="*",
            condition={
                "DateLessThan": {"aws:TokenIssueTime": _iso(scp.revoked_before or EPOCH)},
                "ArnLike": {PRINCIPAL_ARN: IDENTITY_CENTER_ROLES},
            },
        )
    )
    return statements


# The description each policy carries in AWS Organizations.
DESCRIPTIONS: Mapping[ScpKind, str] = {
    "deny-iam-users": "frontdoor: no IAM users, access keys or console passwords; humans come through Okta",
    "deny-leave-organization": "frontdoor: member accounts cannot leave the organization",
    "protect-identity-center-roles": "frontdoor: only AWS changes Identity Center roles and SAML providers",
    "deny-root-user": "frontdoor: the root user of member accounts can do nothing",
    "region-restriction": "frontdoor: regional services only in the allowed regions",
    "session-revocation": "frontdoor: revoke Identity Center sessions (empty placeholder until needed)",
}
