"""An organization-wide grant owned by no team: platform admins, security auditors, billing.

One group (named in config, with the push prefix) filled by one rule and pushed by SCIM, granted one
permission set on its targets (by default the whole organization, never the management account unless
the grant says so). With `expires` and `ticket` it is a time-bound exception: its assignments are
planned until that day and dropped after it, while the grant stays on record until removed.
`OrganizationAccess(...)` is a declaration, like `TeamAccess(...)`: validated and collected inside
`with stack():`, registered once planned, by `OrganizationAccessComponent` (Pulumi type
`frontdoor:index:OrganizationAccess`) from its `OwnerPlan` and the platform's `GrantWiring`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass

import pulumi

from components.access_platform import GrantWiring
from components.team_access import wire_grants
from frontdoor.domain.planning.declarations import declare, declared_org_grant
from frontdoor.domain.planning.plan import OwnerPlan

TYPE = "frontdoor:index:OrganizationAccess"


@dataclass(frozen=True)
class OrganizationAccess:
    """An org-wide grant declared in Python inside `with stack():`; registered when the block ends."""

    group: str
    _: KW_ONLY
    members: str
    permission_set: str
    targets: Sequence[str] | None = None
    exclude: Sequence[str] | None = None
    include_management_account: bool = False
    description: str | None = None
    expires: dt.date | None = None
    ticket: str | None = None

    def __post_init__(self) -> None:
        declare(
            declared_org_grant(
                self.group,
                members=self.members,
                permission_set=self.permission_set,
                targets=self.targets,
                exclude=self.exclude,
                include_management_account=self.include_management_account,
                description=self.description,
                expires=self.expires,
                ticket=self.ticket,
            )
        )


@dataclass(frozen=True, kw_only=True)
class OrganizationAccessArgs:
    plan: OwnerPlan  # the org grant's group and its one planned grant
    wiring: GrantWiring


class OrganizationAccessComponent(pulumi.ComponentResource):
    """A planned org-wide grant's resources: its group (rule and push) and its assignments."""

    def __init__(
        self, name: str, args: OrganizationAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        planned = args.plan
        (grant,) = planned.grants
        super().__init__(
            TYPE, name, {"members": planned.members, "permissionSet": grant.permission_set}, opts
        )
        wire_grants(self, args.wiring, planned.groups, planned.grants)
        self.register_outputs({"group": planned.name, "accounts": [a.id for a in grant.accounts]})
