"""One team, end to end: its Okta groups and rules, their push to Identity Center, its assignments.

`TeamAccess("payments", members='user.department == "Payments"', grants={...})` is the whole
onboarding of a team. Members are an Okta expression over HR attributes; grants map permission sets
of the catalogue to targets (OU paths or ids, account ids, `*`), optionally with exclusions. The team
gets one group per tier (`aws-<team>-<tier>`) filled by one rule and pushed by SCIM, and one
AccountAssignments per grant, fanned out to the accounts under its targets. The shared context (the
Identity Center instance, the catalogue, the Okta app, the estate lookups) is found through the
active AccessPlatform. The same team written under `frontdoor:teams` in the stack file is validated
by the same model and produces the same resources with the same names.

Inside `frontdoor.program.stack()` a team is declared, then registered: the constructor validates
its shape and records it; the stack plans every declared team together with the stack file's and
registers them all only if every one is valid, so a bad team stops the run before the first resource.
Stack-file teams are registered straight from their planned grants (`TeamAccess.from_plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pydantic import ValidationError

from components.access_platform import AccessPlatform, Declarations, current_platform
from components.account_assignments import AccountAssignments, AccountAssignmentsArgs
from components.birthright_group import BirthrightGroup, BirthrightGroupArgs
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.model.grants import TEAM_NAME_RE, TeamConfig
from frontdoor.domain.planning.fanout import GroupGrant, GroupSpec
from frontdoor.domain.planning.plan import DeclaredTeam, OwnerPlan

TYPE = "frontdoor:index:TeamAccess"

GrantSpec = Sequence[str] | Mapping[str, Any]


def team_config(
    name: str, members: str, grants: Mapping[str, GrantSpec], description: str | None
) -> TeamConfig:
    """The Python form validated exactly like `frontdoor:teams.<name>` in a stack file."""
    source = f"TeamAccess({name!r})"
    if not TEAM_NAME_RE.match(name):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "name",
                    name,
                    "team name is not a lowercase slug",
                    "use lowercase letters, digits and '-', starting with a letter, at most 30 characters",
                )
            ]
        )
    raw: dict[str, Any] = {"members": members, "grants": {k: _plain(v) for k, v in grants.items()}}
    if description is not None:
        raw["description"] = description
    try:
        return TeamConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(
            [issue_from_pydantic(source, e, namespace=f"frontdoor:teams.{name}") for e in error.errors()]
        ) from None


def _plain(value: GrantSpec) -> Any:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else value


def wire_grants(
    owner: pulumi.ComponentResource,
    platform: AccessPlatform,
    groups: tuple[GroupSpec, ...],
    grants: tuple[GroupGrant, ...],
) -> None:
    """Groups (with rule and push) and assignments as children of `owner`, recorded on the platform."""
    okta_child = pulumi.ResourceOptions(parent=owner, providers=[platform.args.okta])
    for spec in groups:
        group = BirthrightGroup(
            spec.name,
            BirthrightGroupArgs(
                spec=spec,
                provisioning=platform.provisioning,
                rule_depends_on=platform.profile_schema(),
            ),
            opts=okta_child,
        )
        platform.record(group)
    for grant in grants:
        permission_set = platform.permission_sets[grant.permission_set]
        assignments = AccountAssignments(
            f"{grant.group}/{grant.permission_set}",
            AccountAssignmentsArgs(
                grant=grant,
                instance_arn=platform.args.instance.arn,
                permission_set_arn=permission_set.arn,
                attachments=permission_set.attachments,
                synced_groups=platform.args.synced_groups,
                provider=platform.provider_for(grant.permission_set),
            ),
            opts=pulumi.ResourceOptions(parent=owner),
        )
        platform.record_assignments(grant, len(assignments.assignment_names))


class TeamAccess(pulumi.ComponentResource):
    groups: list[str]
    grants: list[GroupGrant]

    def __init__(
        self,
        name: str,
        *,
        members: str,
        grants: Mapping[str, GrantSpec],
        description: str | None = None,
        platform: AccessPlatform | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        context = platform or current_platform()
        team = team_config(name, members, grants, description)
        self._opts = opts
        if isinstance(context, Declarations):
            # Declared now, registered by stack() once every team is planned (declare, then register).
            context.declare_team(DeclaredTeam(name, team, f"TeamAccess({name!r})"), self)
            self.groups, self.grants = [], []
            return
        # The platform is already registered: this team is planned now, before it registers anything.
        self.register_planned(context, context.plan_team(name, team, f"TeamAccess({name!r})"))

    @classmethod
    def from_plan(cls, platform: AccessPlatform, name: str) -> TeamAccess:
        """A team of the stack file, registered straight from its planned grants."""
        team = cls.__new__(cls)
        team._opts = None
        team.register_planned(platform, platform.plan.teams[name])
        return team

    def register_planned(self, platform: AccessPlatform, planned: OwnerPlan) -> None:
        name = planned.owner.removeprefix("team:")
        members = platform.plan.config.teams[name].members
        super().__init__(TYPE, name, {"members": members}, self._opts)
        wire_grants(self, platform, planned.groups, planned.grants)
        self.groups = [spec.name for spec in planned.groups]
        self.grants = list(planned.grants)
        self.register_outputs(
            {"groups": self.groups, "accounts": sorted({a.id for g in planned.grants for a in g.accounts})}
        )
