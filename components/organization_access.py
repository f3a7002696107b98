"""An organization-wide grant owned by no team: platform admins, security auditors, billing.

One group (named in config, with the push prefix) filled by one rule and pushed by SCIM, granted one
permission set on its targets (by default the whole organization, never the management account unless
the grant says so). With `expires` and `ticket` it is a time-bound exception: its assignments are
planned until that day and dropped after it, while the grant stays on record until removed. Found
context and validation are those of TeamAccess.
"""

from __future__ import annotations

import datetime as dt

import pulumi
from pydantic import ValidationError

from components.access_platform import AccessPlatform, current_platform
from components.team_access import wire_grants
from frontdoor.domain.config import issue_from_pydantic
from frontdoor.domain.errors import ConfigError
from frontdoor.domain.model import ORGANIZATION_TARGET, OrgGrant

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
        platform = platform or current_platform()
        source = (
            platform.args.source
            if group in platform.args.config.org_grants
            else f"OrganizationAccess({group!r})"
        )
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
        spec, planned = platform.plan_org_grant(group, grant, source)
        super().__init__(TYPE, group, {"members": grant.members, "permissionSet": permission_set}, opts)
        wire_grants(self, platform, [spec], [planned])
        self.register_outputs({"group": group, "accounts": [a.id for a in planned.accounts]})
