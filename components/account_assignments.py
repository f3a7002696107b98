"""One group's account assignments of one permission set, fanned out to the grant's accounts.

Owns one `aws.ssoadmin.AccountAssignment` per account of a `GroupGrant`, named
`<group>/<permission set>/<account id>` (the natural key, so adding an account, team or grant never
renames an existing assignment). The principal is always the GROUP that SCIM synced from Okta, found
by display name in a listing read once per run; never a user, never a hand-made identity-store group.
A group not in the listing yet (pushed by this very run, SCIM not synced) is not an error: nothing is
registered, the component is marked `deferred`, and a warning says the assignments follow on the next
run. Every assignment depends on the permission set's policy attachments, so deletes remove the
assignment before the policies and creates provision a set that already carries them (reliability F5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain import contracts
from frontdoor.domain.contracts import GrantRecord
from frontdoor.domain.planning.fanout import GroupGrant
from frontdoor.domain.planning.plan import is_deferred

TYPE = contracts.ACCOUNT_ASSIGNMENTS
PRINCIPAL_TYPE = "GROUP"
TARGET_TYPE = "AWS_ACCOUNT"  # the only target type CreateAccountAssignment accepts


def deferral_message(grant: GroupGrant) -> str:
    return (
        f"group {grant.group!r} is not in the Identity Center identity store yet (SCIM has not synced it): "
        f"it is pushed now, and its {len(grant.accounts)} assignment(s) of {grant.permission_set} are "
        "made on the next run after SCIM sync"
    )


def expiry_message(grant: GroupGrant) -> str:
    return (
        f"the time-bound grant of {grant.permission_set} to {grant.group!r} expired on {grant.expires} "
        f"(ticket {grant.ticket}): its assignments are no longer planned; remove it from {grant.field}"
    )


@dataclass(frozen=True, kw_only=True)
class AccountAssignmentsArgs:
    grant: GroupGrant
    instance_arn: str
    permission_set_arn: pulumi.Input[str]
    # The permission set's `.attachments`: assignments are created after and deleted before them.
    attachments: Sequence[pulumi.Resource]
    # Identity Center group display name -> group id, from one identitystore listing per run.
    synced_groups: Mapping[str, str]
    provider: aws.Provider


class AccountAssignments(pulumi.ComponentResource):
    deferred: bool
    assignment_names: tuple[str, ...]
    assignments: tuple[aws.ssoadmin.AccountAssignment, ...]

    def __init__(
        self, name: str, args: AccountAssignmentsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        grant = args.grant
        group_id = args.synced_groups.get(grant.group)
        deferred = is_deferred(grant, args.synced_groups)
        # The grant as component inputs (one record type, frontdoor/domain/contracts.py): the access
        # report reads deferred grants (no assignment registered yet) from here, rule
        # temporary-grant-expiry the time-bound ones, and reviewers see the intent in the preview.
        props = GrantRecord(
            group=grant.group,
            permission_set=grant.permission_set,
            owner=grant.owner,
            account_ids=tuple(account.id for account in grant.accounts),
            deferred=deferred,
            expires=grant.expires.isoformat() if grant.expires else None,
            ticket=grant.ticket,
            expired=grant.expired,
        ).to_inputs()
        super().__init__(TYPE, name, props, opts)
        self.deferred = deferred
        assignments: dict[str, aws.ssoadmin.AccountAssignment] = {}
        if grant.expired:
            pulumi.log.warn(expiry_message(grant), resource=self)
        elif deferred:
            pulumi.log.warn(deferral_message(grant), resource=self)
        elif group_id is not None:  # else: no account to assign (the plan warned), nothing to wait for
            child = pulumi.ResourceOptions(
                parent=self,
                # Identity Center lives in the delegated administrator account.
                provider=args.provider,
                # Policies first on create, assignment first on delete (no provisioning of a half-built set).
                depends_on=list(args.attachments),
            )
            for logical_name, account in grant.logical_names():
                assignments[logical_name] = aws.ssoadmin.AccountAssignment(
                    logical_name,
                    instance_arn=args.instance_arn,
                    permission_set_arn=args.permission_set_arn,
                    principal_type=PRINCIPAL_TYPE,
                    principal_id=group_id,
                    target_type=TARGET_TYPE,
                    target_id=account.id,
                    opts=child,
                )
        self.assignments = tuple(assignments.values())
        self.assignment_names = tuple(assignments)
        self.register_outputs(
            {"group": grant.group, "deferred": self.deferred, "assignmentCount": len(assignments)}
        )
