"""Guardrail SCP documents and where they attach: pure functions, checked before anything registers.

Deny-list strategy (reliability §6.12): AWS's `FullAWSAccess` stays attached everywhere and each of
our SCPs only denies. Every deny statement exempts exactly the break-glass stack's IAM users, by full
ARN (`ArnNotLike aws:PrincipalARN arn:aws:iam::<management>:user/<name>`), and no role: a role-name
exemption lets whoever creates a role of that name past every guardrail (real-api-audit item 7). SCPs
never apply to the management account itself, where those users live; in a member account emergency
access goes through `OrganizationAccountAccessRole`, which these guardrails bind like any role.
Documents are rendered minified with sorted keys, which is both what AWS counts against the
5,120-character limit and stable across runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.model.stack import (
    ACCOUNT_ID_RE,
    OU_ID_RE,
    ROOT_ID_RE,
    SCP_CONTENT_MAX,
    GuardrailsConfig,
    Quotas,
    ScpConfig,
    ScpKind,
    render_policy,
)
from frontdoor.domain.planning.organization import OrgSnapshot

ROOT_TARGET = "Root"
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
# botocore identitystore UserId pattern: a GUID, optionally prefixed by a 10-hex-digit store prefix.
USER_ID_RE = re.compile(
    r"^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$"
)

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


def break_glass_exemptions(management_account_id: str, user_names: Sequence[str]) -> list[str]:
    """Exactly the break-glass stack's IAM users, in the management account: the only principals exempt.

    Nothing else is exempted: an exemption by role name (`arn:aws:iam::*:role/BreakGlassAdmin`) is an open
    door wherever that role does not exist yet, since anyone allowed iam:CreateRole could create it and
    walk past every guardrail (real-api-audit item 7). These users live in the break-glass stack, which
    protects them; they are exempted by full ARN, never by pattern.
    """
    return [f"arn:aws:iam::{management_account_id}:user/{name}" for name in sorted(set(user_names))]


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


# --- planning --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScpTarget:
    id: str  # r-… or ou-…
    written: str  # as written under attachTo, for messages
    is_root: bool


@dataclass(frozen=True)
class ScpPlan:
    kind: ScpKind
    policy_name: str
    description: str
    content: str
    targets: tuple[ScpTarget, ...]

    def attachment_names(self) -> tuple[str, ...]:
        return tuple(f"{self.kind}/{target.id}" for target in self.targets)


DESCRIPTIONS: Mapping[ScpKind, str] = {
    "deny-iam-users": "frontdoor: no IAM users, access keys or console passwords; humans come through Okta",
    "deny-leave-organization": "frontdoor: member accounts cannot leave the organization",
    "protect-identity-center-roles": "frontdoor: only AWS changes Identity Center roles and SAML providers",
    "deny-root-user": "frontdoor: the root user of member accounts can do nothing",
    "region-restriction": "frontdoor: regional services only in the allowed regions",
    "session-revocation": "frontdoor: revoke Identity Center sessions (empty placeholder until needed)",
}


def _resolve_target(
    written: str, snapshot: OrgSnapshot, where: str, source: str, issues: list[ConfigIssue]
) -> ScpTarget | None:
    if written in (ROOT_TARGET, snapshot.root_id):
        return ScpTarget(snapshot.root_id, written, True)
    if ACCOUNT_ID_RE.fullmatch(written) or ROOT_ID_RE.fullmatch(written):
        issues.append(
            ConfigIssue(
                source,
                where,
                written,
                "guardrails attach to the organization root or to OUs, not to single accounts or other roots",
                f'use "{ROOT_TARGET}", an OU path such as "Workloads/Prod", or an ou-… id',
            )
        )
        return None
    ou = snapshot.ou_by_id.get(written) if OU_ID_RE.fullmatch(written) else snapshot.ou_by_path.get(written)
    if ou is None:
        known = ", ".join(sorted(snapshot.ou_by_path)[:12]) or "none"
        issues.append(
            ConfigIssue(
                source,
                where,
                written,
                "no OU with this "
                + ("id" if OU_ID_RE.fullmatch(written) else "path")
                + " in the organization",
                f'use "{ROOT_TARGET}", an existing OU path (known: {known}) or an ou-… id',
            )
        )
        return None
    return ScpTarget(ou.id, written, False)


def plan_guardrails(
    guardrails: GuardrailsConfig, snapshot: OrgSnapshot, source: str, quotas: Quotas
) -> tuple[ScpPlan, ...]:
    """Every enabled guardrail with its rendered content and resolved targets; ConfigError otherwise."""
    issues: list[ConfigIssue] = []
    plans: list[ScpPlan] = []
    for kind in SCP_KINDS:  # declaration order: stable and independent of YAML key order
        scp = guardrails.scps.get(kind)
        if scp is None or not scp.enabled:
            continue
        where = f"frontdoor:guardrails.scps.{kind}"
        for index, user_id in enumerate(scp.revoked_user_ids):
            if not USER_ID_RE.fullmatch(user_id):
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.revokedUserIds[{index}]",
                        user_id,
                        "not an Identity Center user id, so the deny would match nobody",
                        "copy the User ID from Identity Center > Users > <user> (a GUID such as "
                        "90677c2d-d0a1-7058-7d7e-0123456789ab)",
                    )
                )
        content = render_policy(
            scp_document(
                kind,
                scp,
                break_glass_exemptions(snapshot.management_account_id, guardrails.break_glass_user_names),
            )
        )
        if len(content) > SCP_CONTENT_MAX:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    f"{len(content)} characters",
                    f"the SCP is {len(content)} characters minified, AWS allows {SCP_CONTENT_MAX}",
                    "shorten the lists (allowedRegions, revokedUserIds) or split the guardrail",
                )
            )
        targets: dict[str, ScpTarget] = {}
        for index, written in enumerate(scp.attach_to):
            target = _resolve_target(written, snapshot, f"{where}.attachTo[{index}]", source, issues)
            if target is None:
                continue
            if target.id in targets:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.attachTo[{index}]",
                        written,
                        f"the same target as {targets[target.id].written!r} ({target.id})",
                        "list each root or OU once",
                    )
                )
                continue
            targets[target.id] = target
        plans.append(
            ScpPlan(
                kind,
                policy_name(kind),
                DESCRIPTIONS[kind],
                content,
                tuple(sorted(targets.values(), key=_by_id)),
            )
        )
    issues.extend(_quota_issues(plans, source, quotas))
    if issues:
        raise ConfigError(issues)
    return tuple(plans)


def _by_id(target: ScpTarget) -> str:
    return target.id


def _quota_issues(plans: list[ScpPlan], source: str, quotas: Quotas) -> list[ConfigIssue]:
    # AWS counts every SCP attached directly to a root, OU or account against its limit (5), and the
    # deny-list strategy keeps FullAWSAccess attached to each of them (removing it would deny everything,
    # and Organizations refuses to leave a target with no SCP). So at most quota - 1 of ours per target:
    # 4 by default. Inherited SCPs do not count; SCPs attached outside this stack (Control Tower, …) do,
    # which is what lowering quotas.scpsPerTarget is for.
    ours = quotas.scps_per_target - 1
    by_target: dict[str, list[ScpPlan]] = defaultdict(list)
    written: dict[str, str] = {}
    for plan in plans:
        for target in plan.targets:
            by_target[target.id].append(plan)
            written.setdefault(target.id, target.written)
    issues: list[ConfigIssue] = []
    for target_id, attached in sorted(by_target.items()):
        if len(attached) > ours:
            kinds = ", ".join(plan.kind for plan in attached)
            issues.append(
                ConfigIssue(
                    source,
                    "frontdoor:guardrails.scps",
                    written[target_id],
                    f"{len(attached)} guardrails ({kinds}) plus FullAWSAccess would be attached to "
                    f"{target_id}, the limit is {quotas.scps_per_target} SCPs per target",
                    f"attach at most {ours} guardrails to one target: move some to parent or child OUs, or "
                    "disable one",
                )
            )
    return issues
