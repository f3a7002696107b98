"""`frontdoor drift --stack S [--format md|json]`: live access against the plan, the daily job.

The plan is the offline engine's run of the real program against stacks/estate.S.yaml (pull it
first: `frontdoor estate pull`); the live side is every assignment of every principal in Identity
Center, every permission set with its policies, and the SCP attachments of the plan's policies.
`pulumi preview --refresh` only sees what is in the state; this sees what is not (console clicks,
assignments to single users). Exit 0 no drift, 1 drift, 2 could not read (live_common).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from frontdoor.commands.live_common import (
    EXIT_OK,
    EXIT_VERDICT,
    add_aws_options,
    guarded,
    load_config,
    progress,
    read_role_name,
)

if TYPE_CHECKING:
    from frontdoor.domain.reconcile.drift import DriftReport, Finding, Live, PermissionSetShape, Plan
    from frontdoor.live.aws import LiveSession
    from frontdoor.live.identity_center import LiveIdentityCenter, LivePermissionSet
    from frontdoor.live.organization import LiveOrganization


def permission_set_shape(ps: LivePermissionSet, *, boundaries_read: bool) -> PermissionSetShape:
    """A live permission set's settings as drift compares them (and adopt reports them)."""
    from frontdoor.domain.reconcile.drift import PermissionSetShape

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
    from frontdoor.domain.reconcile.drift import Live, LiveAccess

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
    return Live(assignments=assignments, permission_sets=shapes, scp_attachments=attachments)


def read_plan(stack: str, estate: Path | None, say: Callable[[str], None]) -> Plan:
    from frontdoor.offline.plan import plan_from_preview
    from frontdoor.offline.preview import resolve_inputs, run_preview

    say(f"plan: running the program for stack {stack} offline")
    return plan_from_preview(run_preview(resolve_inputs(stack, estate=estate), evaluate_policies=False))


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
    from frontdoor.domain.reconcile.drift import classify
    from frontdoor.live.aws import LiveError
    from frontdoor.live.identity_center import SSO_PRINCIPAL, identity_center_session, read_identity_center
    from frontdoor.live.organization import read_organization

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
    from frontdoor.domain.reconcile.drift import DriftReport
    from frontdoor.live.identity_center import minimum_identity_center_calls
    from frontdoor.live.organization import minimum_organization_calls

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


def _drift(args: argparse.Namespace) -> int:
    def run() -> int:
        from frontdoor.domain.reconcile.drift import render_json, render_markdown
        from frontdoor.live.aws import LiveSession

        config = load_config(args.stack)
        region = args.region or config.organization.region
        say = progress(args)
        plan = read_plan(args.stack, Path(args.estate) if args.estate else None, say)
        live = LiveSession(profile=args.profile, region=region)
        report = drift(
            live,
            plan,
            region=region,
            role_name=read_role_name(args, config),
            group_prefix=config.okta.push_group_prefix,
            with_boundary=not args.no_boundary,
            say=say,
        )
        print(render_json(report) if args.format == "json" else render_markdown(report, args.stack), end="")
        return EXIT_VERDICT if report.drift else EXIT_OK

    return guarded(run)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("drift", help="live Identity Center access and SCPs against the plan")
    add_aws_options(parser)
    parser.add_argument(
        "--estate", help="the estate the plan is made against (default stacks/estate.<stack>.yaml)"
    )
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.add_argument(
        "--no-boundary",
        action="store_true",
        help="do not read permissions boundaries (GetPermissionsBoundaryForPermissionSet): for an endpoint "
        "that lacks the call or a read role not allowed it; the report then says "
        "boundaries were not compared",
    )
    parser.set_defaults(handler=_drift)
