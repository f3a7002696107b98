"""Live access: every assignment and permission set in Identity Center and the plan's SCP attachments,
read with boto3 and classified against the plan. `read_live_access` is the one read `drift` reports
and `adopt` reconciles (frontdoor/commands/drift.py, frontdoor/commands/adopt.py); `drift` adds the
call accounting of the daily job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from frontdoor.domain.reconcile.drift import (
    DriftReport,
    Finding,
    Live,
    LiveAccess,
    PermissionSetShape,
    Plan,
    classify,
)
from frontdoor.live.aws import LiveError, LiveSession
from frontdoor.live.identity_center import (
    SSO_PRINCIPAL,
    LiveIdentityCenter,
    LivePermissionSet,
    identity_center_session,
    minimum_identity_center_calls,
    read_identity_center,
)
from frontdoor.live.organization import SCP, LiveOrganization, minimum_organization_calls, read_organization


def permission_set_shape(ps: LivePermissionSet, *, boundaries_read: bool) -> PermissionSetShape:
    """A live permission set's settings as drift compares them (and adopt reports them)."""
    return PermissionSetShape(
        name=ps.name,
        session_duration=ps.session_duration,
        inline_policy=ps.inline_policy,
        managed_policies=ps.managed_policies,
        customer_managed_policies=ps.customer_managed_policies,
        boundary=ps.boundary,
        boundary_unread=not boundaries_read,
    )


def live_state(
    organization: LiveOrganization, center: LiveIdentityCenter, plan: Plan, *, boundaries_read: bool = True
) -> Live:
    """The live read in the plan's terms: principals and permission sets by name."""
    set_names = {arn: ps.name for arn, ps in center.permission_sets.items()}
    assignments = tuple(
        LiveAccess(
            a.principal_type,
            a.principal_name,
            set_names.get(a.permission_set_arn, a.permission_set_arn),
            a.account_id,
        )
        for a in center.assignments
    )
    shapes = {
        ps.name: permission_set_shape(ps, boundaries_read=boundaries_read)
        for ps in center.permission_sets.values()
    }
    planned_policies = {policy for policy, _ in plan.scp_attachments}
    attachments = frozenset(
        (scp.name, target)
        for scp in organization.scps
        if scp.name in planned_policies
        for target in scp.targets
    )
    return Live(
        assignments=assignments,
        permission_sets=shapes,
        scp_attachments=attachments,
        # read_organization lists the SCPs (every one of the plan's names it finds) only when the policy
        # type is enabled: disabled, none can exist.
        scps_found=frozenset(scp.name for scp in organization.scps if scp.name in planned_policies),
        scp_policy_type_enabled=organization.policy_types.get(SCP) == "ENABLED",
        root_id=organization.root_id,
    )


@dataclass(frozen=True)
class LiveAccessRead:
    """The organization and Identity Center as read, and the findings against the plan."""

    organization: LiveOrganization
    center: LiveIdentityCenter
    center_session: LiveSession  # the session in the Identity Center (delegated administrator) account
    findings: list[Finding]


def read_live_access(
    live: LiveSession,
    plan: Plan,
    *,
    region: str,
    role_name: str,
    group_prefix: str,
    with_boundary: bool,
    say: Callable[[str], None],
    purpose: str,
) -> LiveAccessRead:
    """Read the organization and every assignment in Identity Center, and classify them against the
    plan: what `drift` reports and `adopt` reconciles. `purpose` ends the no-instance message."""
    planned_policies = frozenset(policy for policy, _ in plan.scp_attachments)
    organization = read_organization(live, scp_names=planned_policies, progress=say)
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    center_live = identity_center_session(live, admin, organization.management_account_id, role_name)
    center = read_identity_center(center_live, with_access=True, with_boundary=with_boundary, progress=say)
    if center is None:
        raise LiveError(
            f"no IAM Identity Center instance in region {region}: nothing to {purpose}; pass --region with "
            "the Identity Center home region",
            account=center_live.account,
            operation="ListInstances",
        )
    findings = classify(
        plan, live_state(organization, center, plan, boundaries_read=with_boundary), group_prefix=group_prefix
    )
    return LiveAccessRead(organization, center, center_live, findings)


def drift(
    live: LiveSession,
    plan: Plan,
    *,
    region: str,
    role_name: str,
    group_prefix: str,
    with_boundary: bool = True,
    say: Callable[[str], None] = lambda _message: None,
) -> DriftReport:
    planned_policies = frozenset(policy for policy, _ in plan.scp_attachments)
    access = read_live_access(
        live,
        plan,
        region=region,
        role_name=role_name,
        group_prefix=group_prefix,
        with_boundary=with_boundary,
        say=say,
        purpose="compare",
    )
    organization, center, center_live = access.organization, access.center, access.center_session
    findings = access.findings
    minimum = minimum_organization_calls(organization, scp_names=planned_policies)
    minimum += minimum_identity_center_calls(center, with_access=True, with_boundary=with_boundary)
    minimum += 0 if center_live is live else 1  # AssumeRole
    warnings = (
        [] if with_boundary else ["--no-boundary: permissions boundaries were not read, so not compared"]
    )
    return DriftReport(
        findings,
        calls=live.call_count,
        minimum_calls=minimum,
        warnings=warnings,
        calls_by_operation=dict(live.calls),
    )
