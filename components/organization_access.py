"""An organization-wide grant owned by no team: platform admins, security auditors, billing.

One group (named in config, with the push prefix) filled by one rule and pushed by SCIM, granted one
permission set on its targets (by default the whole organization, never the management account unless
the grant says so). With `expires` and `ticket` it is a time-bound exception: its assignments are
planned until that day and dropped after it, while the grant stays on record until removed. Found
context, validation and the declare-then-register order are those of TeamAccess.
"""

from __future__ import annotations

import datetime as dt

import pulumi
from pydantic import ValidationError

from components.access_platform import AccessPlatform, Declarations, current_platform
from components.team_access import wire_grants
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.model.grants import ORGANIZATION_TARGET, OrgGrant
from frontdoor.domain.planning.plan import DeclaredOrgGrant, OwnerPlan

TYPE = "frontdoor:index:OrganizationAccess"


class OrganizationAccess(pulumi.ComponentResource):
    def __init__(
        self,
        group: str,
        *,
        members: str,
        permission_set: str,
        targets: list[str] | None = None,
        exclude: list[str] | None = None,
        include_management_account: bool = False,
        description: str | None = None,
        expires: dt.date | None = None,
        ticket: str | None = None,
        platform: AccessPlatform | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        context = platform or current_platform()
        source = f"OrganizationAccess({group!r})"
        try:
            grant = OrgGrant(
                members=members,
                permission_set=permission_set,
                targets=targets or [ORGANIZATION_TARGET],
                exclude=exclude or [],
                include_management_account=include_management_account,
                description=description,
                expires=expires,
                ticket=ticket,
            )
        except ValidationError as error:
            raise ConfigError(
                [
                    issue_from_pydantic(source, e, namespace=f"frontdoor:orgGrants.{group}")
                    for e in error.errors()
                ]
            ) from None
        self._opts = opts
        if isinstance(context, Declarations):
            context.declare_org_grant(DeclaredOrgGrant(group, grant, source), self)
            return
        self.register_planned(context, context.plan_org_grant(group, grant, source))

    @classmethod
    def from_plan(cls, platform: AccessPlatform, group: str) -> OrganizationAccess:
        """An org grant of the stack file, registered straight from its planned grant."""
        access = cls.__new__(cls)
        access._opts = None
        access.register_planned(platform, platform.plan.org_grants[group])
        return access

    def register_planned(self, platform: AccessPlatform, planned: OwnerPlan) -> None:
        group = planned.owner.removeprefix("org:")
        grant = planned.grants[0]
        written = platform.plan.config.org_grants[group]
        super().__init__(
            TYPE, group, {"members": written.members, "permissionSet": written.permission_set}, self._opts
        )
        wire_grants(self, platform, planned.groups, planned.grants)
        self.register_outputs({"group": group, "accounts": [a.id for a in grant.accounts]})
