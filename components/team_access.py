"""One team, end to end: its Okta groups and rules, their push to Identity Center, its assignments.

`TeamAccess("payments", members='user.department == "Payments"', grants={...})` is the whole
onboarding of a team written in Python. Members are an Okta expression over HR attributes; grants map
permission sets of the catalogue to targets (OU paths or ids, account ids, `*`), optionally with
exclusions. The same team written under `frontdoor:teams` in the stack file is validated by the same
model and produces the same resources with the same names.

`TeamAccess(...)` is a declaration, plain data: inside `with stack():` it is validated and collected
(frontdoor/domain/planning/declarations.py), and when the block ends the stack plans every declared
team together with the stack file's and registers them all only if every one is valid, so a bad team
stops the run before the first resource. What registers a planned team is `TeamAccessComponent`
(Pulumi type `frontdoor:index:TeamAccess`): one group per tier (`aws-<team>-<tier>`) filled by one
rule and pushed by SCIM, and one AccountAssignments per grant, fanned out to the accounts under its
targets, from the team's `OwnerPlan` and the platform's `GrantWiring`, nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass

import pulumi

from components.access_platform import GrantWiring
from components.account_assignments import AccountAssignments, AccountAssignmentsArgs
from components.birthright_group import BirthrightGroup, BirthrightGroupArgs
from frontdoor.domain.planning.declarations import GrantSpec, declare, declared_team
from frontdoor.domain.planning.fanout import GroupGrant, GroupSpec
from frontdoor.domain.planning.plan import OwnerPlan

TYPE = "frontdoor:index:TeamAccess"


@dataclass(frozen=True)
class TeamAccess:
    """A team declared in Python inside `with stack():`; validated now, registered when the block ends."""

    name: str
    _: KW_ONLY
    members: str
    grants: Mapping[str, GrantSpec]
    description: str | None = None

    def __post_init__(self) -> None:
        declare(
            declared_team(self.name, members=self.members, grants=self.grants, description=self.description)
        )


def wire_grants(
    owner: pulumi.ComponentResource,
    wiring: GrantWiring,
    groups: tuple[GroupSpec, ...],
    grants: tuple[GroupGrant, ...],
) -> None:
    """Groups (with rule and push) and assignments as children of `owner`."""
    okta_child = pulumi.ResourceOptions(parent=owner, providers=[wiring.okta])
    for spec in groups:
        BirthrightGroup(
            spec.name,
            BirthrightGroupArgs(
                spec=spec, provisioning=wiring.provisioning, rule_depends_on=wiring.rule_depends_on
            ),
            opts=okta_child,
        )
    for grant in grants:
        permission_set = wiring.permission_sets[grant.permission_set]
        AccountAssignments(
            f"{grant.group}/{grant.permission_set}",
            AccountAssignmentsArgs(
                grant=grant,
                instance_arn=wiring.instance_arn,
                permission_set_arn=permission_set.arn,
                attachments=permission_set.attachments,
                provider=wiring.assignment_providers[grant.permission_set],
            ),
            opts=pulumi.ResourceOptions(parent=owner),
        )


@dataclass(frozen=True, kw_only=True)
class TeamAccessArgs:
    plan: OwnerPlan  # the team's planned groups and grants (members, accounts, deferral decided)
    wiring: GrantWiring


class TeamAccessComponent(pulumi.ComponentResource):
    """A planned team's resources: its groups (rule and push) and its assignments."""

    groups: list[str]
    grants: list[GroupGrant]

    def __init__(self, name: str, args: TeamAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        planned = args.plan
        super().__init__(TYPE, name, {"members": planned.members}, opts)
        wire_grants(self, args.wiring, planned.groups, planned.grants)
        self.groups = [spec.name for spec in planned.groups]
        self.grants = list(planned.grants)
        self.register_outputs({"groups": self.groups, "accounts": planned.account_ids})
