"""The first run on a fresh (or half hand-built) organization, and the preconditions of every run.

The real APIs impose an order the program cannot skip (research/real-api-audit.md items 3-6):
  0  the deploy roles exist (`frontdoor bootstrap-roles` prints them): the providers assume them before
     the first call;
  a  organization plumbing: trusted access for every service the stack uses (Identity Center, and with
     their sections CloudTrail, CloudFormation StackSets and IAM Access Analyzer), the SCP policy type
     on the root, then the program registers the delegated administrator;
  b  console steps with no API: connect Okta as the identity source, enable automatic provisioning,
     paste the SCIM endpoint and token into Okta (docs/first-run.md);
  c  the Okta app and groups, without push mappings (`okta.provisioningEnabled: false`);
  d  push mappings, once provisioning is on (`okta.provisioningEnabled: true`);
  e  assignments, once SCIM has synced the pushed groups (deferred group by group, as always).

`organization_checks` is pure: from what the organization reports and the stack config, the stage-a
checks that fail, each with the exact thing to do. The program registers stage a alone while one fails,
but only on a stack whose state holds nothing beyond stage a (`prior_state.may_gate`): on a deployed
stack a failing precondition raises `PreconditionFailed` instead, since `pulumi up` deletes whatever a
completed run leaves out. `shrink_checks` names the other observations that would make a deployed stack
register less (a group with assignments that SCIM no longer syncs; provisioning switched off with push
mappings in the state): they stop the run the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.prior_state import PriorState

SSO_PRINCIPAL = "sso.amazonaws.com"
CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
# Trusted access for CloudFormation StackSets with AWS Organizations (ActivateOrganizationsAccess enables
# it; the service-linked role lives under aws-service-role/member.org.stacksets.cloudformation...).
STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"
ACCESS_ANALYZER_PRINCIPAL = "access-analyzer.amazonaws.com"
SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"


@dataclass(frozen=True)
class TrustedAccess:
    """A service principal the stack needs trusted access for, why, and who turns it on how."""

    principal: str
    needed_by: str  # the stack section whose resources need it
    consequence: str  # what the real API does without it
    fix: str
    step: str  # docs/first-run.md step


def required_trusted_access(config: StackConfig) -> tuple[TrustedAccess, ...]:
    """Every service principal the stack's resources need trusted access for, in first-run order.

    AWS Config needs none: PutOrganizationConfigRule enables Config's service access itself (botocore
    config, PutOrganizationConfigRule: "This API enables organization service access through the
    EnableAWSServiceAccess action"); its precondition is a recorder per account (configRecording).
    """
    needed = [
        TrustedAccess(
            SSO_PRINCIPAL,
            "frontdoor:organization",
            "IAM Identity Center is not enabled for the organization",
            "in the management account console, IAM Identity Center > Enable (choose the home region = "
            "organization.region)",
            "a1",
        )
    ]
    if config.trail is not None:
        needed.append(
            TrustedAccess(
                CLOUDTRAIL_PRINCIPAL,
                "frontdoor:trail",
                "the organization trail would fail with CloudTrailAccessNotEnabledException",
                f"aws organizations enable-aws-service-access --service-principal {CLOUDTRAIL_PRINCIPAL} "
                "(management account)",
                "a2",
            )
        )
    if config.machines is not None:
        needed.append(
            TrustedAccess(
                STACKSETS_PRINCIPAL,
                "frontdoor:machines",
                "the service-managed StackSets of the Vault target roles would fail to create "
                "(CloudFormation "
                "CreateStackSet, PermissionModel SERVICE_MANAGED: activate trusted access for StackSets "
                "first)",
                "aws cloudformation activate-organizations-access, run by an administrator of the management "
                "account (the deploy role is not granted it)",
                "a2",
            )
        )
    if config.posture is not None:
        needed.append(
            TrustedAccess(
                ACCESS_ANALYZER_PRINCIPAL,
                "frontdoor:posture",
                "the organization's unused-access analyzer needs IAM Access Analyzer's service access "
                "(IAM User Guide, Access Analyzer settings: created through the API, an organization "
                "analyzer needs Organizations service access enabled first)",
                "aws organizations enable-aws-service-access --service-principal "
                f"{ACCESS_ANALYZER_PRINCIPAL} "
                "(management account)",
                "a2",
            )
        )
    return tuple(needed)


@dataclass(frozen=True)
class Check:
    """One precondition of a stage, failing, with what the user does about it and what was observed."""

    stage: str
    what: str
    fix: str
    observed: Any = None  # what the organization (or the state) reported, shown when the run stops

    def render(self) -> str:
        return f"first run, stage {self.stage}: {self.what}. Next: {self.fix}"


def organization_checks(
    config: StackConfig,
    *,
    trusted_access: Collection[str],
    delegated_administrators: Mapping[str, Collection[str]],
    root_policy_types: Collection[str],
    feature_set: str,
) -> list[Check]:
    """Stage a: what AWS Organizations must report before the access plane can be planned.

    `root_policy_types` are the policy types ENABLED on the root (getOrganization roots[].policyTypes),
    `feature_set` getOrganization's featureSet.
    """
    checks: list[Check] = []
    if feature_set != "ALL":
        # Organizations: SCPs exist only with all features (botocore organizations, EnablePolicyType:
        # PolicyTypeNotAvailableForOrganizationException, "you can enable SCPs only after you enable all
        # features"); trusted access likewise (pulumi-aws getOrganization: awsServiceAccessPrincipals
        # "Organization must have feature_set set to ALL").
        checks.append(
            Check(
                "a",
                f"the organization has feature set {feature_set}: service control policies and trusted "
                "access need ALL",
                "Organizations console > Settings > Enable all features (or `aws organizations "
                "enable-all-features`), then every member account approves; docs/first-run.md step a2",
                feature_set,
            )
        )
    trusted = sorted(trusted_access)
    for needed in required_trusted_access(config):
        if needed.principal in trusted_access:
            continue
        what = (
            f"IAM Identity Center is not enabled for the organization (no trusted access for {SSO_PRINCIPAL})"
            if needed.principal == SSO_PRINCIPAL
            else f"{needed.needed_by} needs trusted access for {needed.principal}, which the organization "
            f"has not enabled: {needed.consequence}"
        )
        checks.append(Check("a", what, f"{needed.fix}; docs/first-run.md step {needed.step}", trusted))
    if config.guardrails.scps and SERVICE_CONTROL_POLICY not in root_policy_types:
        checks.append(
            Check(
                "a",
                "frontdoor:guardrails attaches service control policies, but the SERVICE_CONTROL_POLICY "
                "policy type is not enabled on the root (AttachPolicy fails with "
                "PolicyTypeNotEnabledException)",
                "aws organizations enable-policy-type --root-id <root id> --policy-type "
                "SERVICE_CONTROL_POLICY (management account); docs/first-run.md step a2",
                sorted(root_policy_types),
            )
        )
    center = config.organization.identity_center_account_id
    delegated = sorted(delegated_administrators.get(SSO_PRINCIPAL, ()))
    if center not in delegated:
        checks.append(
            Check(
                "a",
                f"account {center} is not the delegated administrator of IAM Identity Center, so nothing "
                "can be read or planned through the Identity Center provider",
                "run `pulumi up` of this stage: it registers the delegation (or set "
                "bootstrap.adoptDelegatedAdministrator: true if it was registered by hand); "
                "docs/first-run.md step a3",
                delegated,
            )
        )
    return checks


def organization_ready(checks: Collection[Check]) -> bool:
    return not any(check.stage == "a" for check in checks)


def can_register_delegation(trusted_access: Collection[str]) -> bool:
    """RegisterDelegatedAdministrator for sso needs Identity Center's trusted access first."""
    return SSO_PRINCIPAL in trusted_access


def require_provisioning_decision(provisioning_enabled: bool | None, source: str) -> None:
    """`okta.provisioningEnabled` unset is unknown: stop (exit 2) rather than assume either way.

    Assuming `true` pushed groups in the very run that created the app, before its provisioning could be
    enabled (Okta leaves such a push mapping in ERROR, which the provider can neither update nor
    delete); assuming `false` on a deployed stack would drop every push mapping.
    """
    if provisioning_enabled is None:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "frontdoor:okta.provisioningEnabled",
                    None,
                    "unset, so unknown: whether the AWS app's automatic provisioning (SCIM) is enabled "
                    "decides whether Group Push mappings may be registered",
                    "set it to false for an app whose provisioning is not enabled yet (first run, "
                    "docs/first-run.md stage c), true once Okta > the app > Provisioning is enabled",
                )
            ]
        )


def provisioning_check(provisioning_enabled: bool, waiting_groups: int) -> list[Check]:
    """Stage d: push mappings wait for the console step that enables provisioning."""
    if provisioning_enabled or not waiting_groups:
        return []
    return [
        Check(
            "d",
            f"{waiting_groups} groups wait for Group Push: provisioning is not enabled on the app yet "
            "(okta.provisioningEnabled: false)",
            "finish docs/first-run.md stage b (Identity Center > Settings > Automatic provisioning, then "
            "Okta > the app > Provisioning), then set okta.provisioningEnabled: true",
        )
    ]


def shrink_checks(
    prior: PriorState, deferred_groups: Sequence[str], provisioning_enabled: bool
) -> list[Check]:
    """What this run would register less of than the state holds, because of what it observed.

    A group whose assignments are in the state but which SCIM no longer syncs (the plan defers it:
    renamed or deleted in Okta, its push mapping gone, the SCIM token expired) would lose every
    assignment; provisioning switched off with push mappings in the state would delete them.
    """
    checks: list[Check] = []
    for group in sorted(prior.assigned_groups & set(deferred_groups)):
        checks.append(
            Check(
                "e",
                f"group {group!r} has account assignments in the stack's state, but it is not in the "
                "Identity "
                "Center identity store any more (SCIM does not sync it), so its assignments would be planned "
                "as deferred and deleted",
                "find why it left the identity store (renamed or deleted in Okta, its push mapping removed, "
                "the SCIM token expired: docs/scim-runbook.md) and let SCIM sync it again; to remove its "
                "access on purpose, remove its grants from the stack config",
                group,
            )
        )
    if not provisioning_enabled and prior.pushed_groups:
        checks.append(
            Check(
                "d",
                f"okta.provisioningEnabled is false, but the stack's state holds {len(prior.pushed_groups)} "
                "push mappings: without provisioning the program registers none, so they would be deleted",
                "set okta.provisioningEnabled: true (false is for first-run stage c only, before anything "
                "was pushed)",
                sorted(prior.pushed_groups),
            )
        )
    return checks


class PreconditionFailed(ConfigError):
    """A precondition fails on a stack whose state holds more than this run would register: the run
    stops (exit 2 offline, a program error in `pulumi up`, which deletes nothing) instead of shrinking."""

    def __init__(self, stack: str, prior: PriorState, checks: Sequence[Check], source: str) -> None:
        self.stack = stack
        self.prior = prior
        self.checks = tuple(checks)
        super().__init__(
            ConfigIssue(source, f"first-run stage {check.stage}", check.observed, check.what, check.fix)
            for check in checks
        )

    def header(self) -> str:
        return (
            f"error: stack {self.stack} is deployed ({self.prior.resources} resources in its state) and "
            f"{len(self.checks)} precondition(s) fail: this run stops instead of registering fewer resources "
            "(`pulumi up` deletes whatever a completed run leaves out). Nothing but the providers was "
            "registered."
        )

    def __str__(self) -> str:
        return self.header() + "\n" + self.render()
