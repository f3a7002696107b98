"""One group's account assignments of one permission set, fanned out to the grant's accounts.

Owns one `aws.ssoadmin.AccountAssignment` per account of a planned `GroupGrant`, named
`<group>/<permission set>/<account id>` (the natural key, so adding an account, team or grant never
renames an existing assignment). The principal is always the GROUP that SCIM synced from Okta, whose id
the plan found by display name in a listing read once per run; never a user, never a hand-made
identity-store group. A grant the plan deferred (its group pushed by this very run, SCIM not synced)
registers nothing: the component carries `deferred`, and a warning says the assignments follow on the
next run. Every assignment depends on the permission set's policy attachments, so deletes remove the
assignment before the policies and creates provision a set that already carries them (reliability F5).
The component's inputs are the grant's record (`GrantRecord`), which the report and the pack read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain import contracts
from frontdoor.domain.planning.fanout import GroupGrant

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
    grant: GroupGrant  # planned: accounts, deferral and the synced group's id decided by the plan
    instance_arn: str
    permission_set_arn: pulumi.Input[str]
    # The permission set's `.attachments`: assignments are created after and deleted before them.
    attachments: Sequence[pulumi.Resource]
    provider: aws.Provider


class AccountAssignments(pulumi.ComponentResource):
    deferred: bool
    assignment_names: tuple[str, ...]
    assignments: tuple[aws.ssoadmin.AccountAssignment, ...]

    def __init__(
        self, name: str, args: AccountAssignmentsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        grant = args.grant
        # The grant as component inputs (one record type, frontdoor/domain/contracts.py): the access
        # report reads deferred grants (no assignment registered yet) from here, rule
        # temporary-grant-expiry the time-bound ones, and reviewers see the intent in the preview.
        super().__init__(TYPE, name, grant.record.to_inputs(), opts)
        self.deferred = grant.deferred
        assignments: dict[str, aws.ssoadmin.AccountAssignment] = {}
        if grant.expired:
            pulumi.log.warn(expiry_message(grant), resource=self)
        elif grant.deferred:
            pulumi.log.warn(deferral_message(grant), resource=self)
        elif (
            grant.principal_id is not None
        ):  # else: no account to assign (the plan warned), nothing to wait for
            child = pulumi.ResourceOptions(
                parent=self,
                # Identity Center lives in the delegated administrator account.
                provider=args.provider,
                # Policies first on create, assignment first on delete (no provisioning of a half-built set).
                depends_on=list(args.attachments),
            )
            for logical_name, account in grant.assignments:
                assignments[logical_name] = aws.ssoadmin.AccountAssignment(
                    logical_name,
                    instance_arn=args.instance_arn,
                    permission_set_arn=args.permission_set_arn,
                    principal_type=PRINCIPAL_TYPE,
                    principal_id=grant.principal_id,
                    target_type=TARGET_TYPE,
                    target_id=account.id,
                    opts=child,
                )
        self.assignments = tuple(assignments.values())
        self.assignment_names = tuple(assignments)
        self.register_outputs(
            {"group": grant.group, "deferred": self.deferred, "assignmentCount": len(assignments)}
        )
