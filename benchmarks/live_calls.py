"""API calls per live command against the fewest the APIs allow, on the local AWS API server.

`estate pull`, `doctor`, `drift` and `adopt` run as their commands run them (management-account check
included) against an organization seeded on a moto server; each count is the LiveSession's own (every
call of the root session and of the sessions it assumed). The minimum of each command is computed from
what it had to read: every list call at its largest page size, each fact read once:

- pull: `frontdoor.commands.estate.pull`'s own arithmetic (organization, Identity Center, the
  management account's roles, users, OIDC providers and StackSets access, AssumeRole);
- doctor: the organization (as pull), AssumeRole into the Identity Center account, ListInstances,
  ListGroups pages, ListPermissionSets pages and a DescribePermissionSet per set (their names), a
  GetRole per role the providers assume, ListOpenIDConnectProviders, DescribeOrganizationsAccess when
  the stack has machine consumers (`minimum_doctor_calls`);
- drift: `frontdoor.live.access.drift`'s own arithmetic;
- adopt: drift's read without its SCP part (adopt lists every SCP with its targets anyway), then
  ListPolicies pages, a DescribePolicy and the ListTargetsForPolicy pages per customer-managed SCP,
  ListOpenIDConnectProviders (+ a GetOpenIDConnectProvider per provider) per account the plan creates a
  provider in, DescribeInstanceAccessControlAttributeConfiguration (`minimum_adopt_calls`).

posture has its own bench (benchmarks/posture.py: its calls against a floor of plain boto3 calls).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from frontdoor.live.identity_center import PAGE, LiveIdentityCenter, minimum_identity_center_calls
from frontdoor.live.organization import PAGE_SIZES, LiveOrganization, minimum_organization_calls, pages

# Every organization call `read_organization` makes for SCPs when given scp_names (ListPolicies pages and
# the targets of the named policies): adopt needs all SCPs with their targets, which it lists itself.
SCP_OPERATIONS = ("organizations:ListPolicies", "organizations:ListTargetsForPolicy")


def minimum_doctor_calls(
    organization: LiveOrganization,
    center: LiveIdentityCenter | None,
    *,
    permission_sets: int,
    roles: int,
    machines: bool,
    center_assumed: bool,
) -> int:
    total = minimum_organization_calls(organization)
    total += roles + 1  # a GetRole per role, ListOpenIDConnectProviders
    total += 1 if machines else 0  # DescribeOrganizationsAccess
    if center is not None:
        total += (1 if center_assumed else 0) + minimum_identity_center_calls(center)
        total += pages(permission_sets, PAGE) + permission_sets  # ListPermissionSets, DescribePermissionSet
    return total


def minimum_adopt_calls(
    organization: LiveOrganization,
    center: LiveIdentityCenter,
    *,
    scp_targets: list[int],
    oidc_providers: dict[str, int],
    with_boundary: bool,
    with_abac: bool,
    center_assumed: bool,
) -> int:
    """`scp_targets`: the target count of each customer-managed SCP; `oidc_providers`: account -> its
    OIDC provider count, for each account the plan creates a provider in (the management account's
    read with the caller's session, any other through an AssumeRole)."""
    total = minimum_organization_calls(organization)  # without SCPs: listed below, once
    total += (1 if center_assumed else 0) + minimum_identity_center_calls(
        center, with_access=True, with_boundary=with_boundary
    )
    total += pages(organization.scp_count, PAGE_SIZES["list_policies"])
    total += sum(1 + pages(targets, PAGE_SIZES["list_targets_for_policy"]) for targets in scp_targets)
    for account, providers in oidc_providers.items():
        total += (0 if account == organization.management_account_id else 1) + 1 + providers
    return total + (1 if with_abac else 0)


def by_operation(calls: Counter[str] | dict[str, int]) -> dict[str, int]:
    return dict(sorted(calls.items()))


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "| accounts | command | calls | minimum | calls / minimum |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        for command in ("pull", "doctor", "drift", "adopt", "posture"):
            measured = result.get(command)
            if measured is None:
                continue
            made, minimum = measured["calls"], measured["minimum_calls"]
            lines.append(
                f"| {result['accounts']:,} | {command} | {made:,} | {minimum:,} | {made / minimum:.2f} |"
            )
    return "\n".join(lines)
