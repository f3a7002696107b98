"""One Okta group the stack owns (`aws-<team>-<tier>`), the rule that fills it from HR attributes, its push.

Owns an `okta.group.Group` with an explicit name (no autonaming: Identity Center assignments find
the pushed group by this display name) and an `okta.group.Rule` targeting exactly that one group:
changing a rule's target groups replaces the rule in Okta, which de-provisions its members through
SCIM (F10), so one rule never serves two groups. The rule removes its members when deleted
(`remove_assigned_users=True`): a deleted team must not leave users holding the group, and through
it AWS access (no orphaned over-grant). The push mapping is requested from ScimProvisioning, which
owns every push and guards the prefix; it is exposed here as `.push`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from components.scim_provisioning import ScimProvisioning
from frontdoor.domain.model.grants import (
    OKTA_GROUP_NAME_MAX,
    OKTA_RULE_NAME_MAX,
    check_members_expression,
    rule_name,
)
from frontdoor.domain.planning.fanout import GroupSpec

TYPE = "frontdoor:okta:BirthrightGroup"
EXPRESSION_TYPE = "urn:okta:expression:1.0"


@dataclass(frozen=True, kw_only=True)
class BirthrightGroupArgs:
    spec: GroupSpec
    provisioning: ScimProvisioning
    # The profile attributes the rule reads (ProfileAttributes.schema): created before the rule, or
    # Okta evaluates it against a missing attribute and it goes INVALID.
    rule_depends_on: tuple[pulumi.Resource, ...] = ()

    def __post_init__(self) -> None:
        name = self.spec.name
        if not 1 <= len(name) <= OKTA_GROUP_NAME_MAX:
            raise ValueError(f"group name {name!r} must be 1-{OKTA_GROUP_NAME_MAX} characters")
        if len(rule_name(name)) > OKTA_RULE_NAME_MAX:
            raise ValueError(
                f"rule name {rule_name(name)!r} is over Okta's {OKTA_RULE_NAME_MAX}-character limit; "
                "shorten the team or tier name"
            )
        check_members_expression(self.spec.members)
        # Fail before anything is registered, not half-way through the component.
        self.provisioning.check_pushable(name)


def group_description(spec: GroupSpec) -> str:
    return f"Managed by frontdoor for {spec.owner} ({spec.field}); pushed to AWS IAM Identity Center."


class BirthrightGroup(pulumi.ComponentResource):
    group_id: pulumi.Output[str]
    group_name: str
    members: str
    rule_id: pulumi.Output[str]
    push: okta.PushGroup | None

    def __init__(
        self, name: str, args: BirthrightGroupArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        spec = args.spec

        group = okta.group.Group(spec.name, name=spec.name, description=group_description(spec), opts=child)
        rule = okta.group.Rule(
            rule_name(spec.name),
            name=rule_name(spec.name),
            expression_type=EXPRESSION_TYPE,
            expression_value=check_members_expression(spec.members),
            # Exactly one target group: changing this list is a replacement in Okta (F10).
            group_assignments=[group.id],
            # Deleting the rule removes the users it added, instead of leaving them in the group.
            remove_assigned_users=True,
            status="ACTIVE",
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=list(args.rule_depends_on))
            ),
        )

        self.group_id = group.id
        self.group_name = spec.name
        self.members = check_members_expression(spec.members)
        self.rule_id = rule.id
        self.push = args.provisioning.push(spec.name, group.id)
        self.register_outputs(
            {"groupId": self.group_id, "groupName": self.group_name, "ruleId": self.rule_id}
        )
