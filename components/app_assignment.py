"""Who is assigned the AWS app: a separate, never-pushed group filled from membership of the pushed groups.

Okta does not support one group for both app assignment and Group Push, so the app is assigned to
one dedicated group (`OktaConfig.app_assignment_group`) through exactly one `okta.app.GroupAssignment`
(never the plural, authoritative `AppGroupAssignments`, which strips grants made elsewhere: F8).
Group rules fill that group from the same HR-attribute expressions that fill the pushed groups,
`(<members of group 1>) OR (<members of group 2>) …`, and remove their members when deleted. Never
`isMemberOfAnyGroup` over the pushed groups: those are rule-filled, and Okta's group-rule restrictions
forbid cascading rules ("a Group Rule that references groups also populated by other Group Rules":
evaluation lag leaves users unassigned and unpushed); the offline engine refuses one
(frontdoor/offline/api_rules.py, `group-rule-no-cascade`).

A rule takes at most `max_groups_per_rule` groups (100, Okta's limit), so pushed groups are spread
over rules by hash bucket: the first `bucket_digits` hex digits of sha256(group name) name the rule
(`<group>-rule-<digits>`; with 0 digits a single `<group>-rule`). A group's bucket depends only on its
own name, so adding or removing a group updates only its own bucket's expression (or creates or
deletes that bucket's rule); no other rule is renamed or re-filled, and nobody moves between rules
(a move is a window where Okta could unassign the user and SCIM deactivate them in AWS). A bucket
that outgrows the limit stops the program instead of re-bucketing silently: raising `bucket_digits`
is a deliberate, previewed migration.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from frontdoor.domain.model.grants import OKTA_RULE_NAME_MAX, rule_name

TYPE = "frontdoor:okta:AppAssignment"
EXPRESSION_TYPE = "urn:okta:expression:1.0"
MAX_GROUPS_PER_RULE = 100
_HEX_DIGITS = 64


def bucket_of(group_name: str, digits: int) -> str:
    return hashlib.sha256(group_name.encode()).hexdigest()[:digits]


def buckets(group_names: Iterable[str], digits: int, limit: int) -> dict[str, tuple[str, ...]]:
    """Bucket key -> the sorted group names in it; ValueError when a bucket holds over `limit`."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for group_name in group_names:
        grouped[bucket_of(group_name, digits)].append(group_name)
    for key, members in grouped.items():
        if len(members) > limit:
            raise ValueError(
                f"{len(members)} pushed groups fall in assignment-rule bucket {key or '(single rule)'!r}, "
                f"over the limit of {limit} groups per rule; raise bucket_digits to {digits + 1} "
                "(this replaces the assignment rules: preview it and run it in a quiet hour)"
            )
    return {key: tuple(sorted(grouped[key])) for key in sorted(grouped)}


def bucket_rule_name(group: str, bucket: str) -> str:
    return f"{rule_name(group)}-{bucket}" if bucket else rule_name(group)


def any_of(expressions: Sequence[str]) -> str:
    """One expression true for whoever any of `expressions` selects (each once, in sorted order)."""
    unique = sorted({expression.strip() for expression in expressions})
    return unique[0] if len(unique) == 1 else " OR ".join(f"({expression})" for expression in unique)


@dataclass(frozen=True, kw_only=True)
class AppAssignmentArgs:
    app_id: pulumi.Input[str]
    group_name: str = "app-aws-identity-center-users"
    # Pushed group name -> the HR-attribute expression that fills it (BirthrightGroup.members).
    pushed_groups: Mapping[str, str]
    push_group_prefix: str = "aws-"
    # The profile attributes the expressions read (ProfileAttributes.schema): created before the rules.
    rule_depends_on: tuple[pulumi.Resource, ...] = ()
    bucket_digits: int = 1
    max_groups_per_rule: int = MAX_GROUPS_PER_RULE

    def __post_init__(self) -> None:
        if self.group_name in self.pushed_groups:
            raise ValueError(
                f"{self.group_name!r} is the app assignment group and must not be pushed "
                "(Okta does not support one group for both app assignment and Group Push)"
            )
        if self.push_group_prefix and self.group_name.startswith(self.push_group_prefix):
            raise ValueError(
                f"app assignment group {self.group_name!r} carries the push prefix "
                f"{self.push_group_prefix!r}; name it without the prefix so it is never pushed"
            )
        if not 0 <= self.bucket_digits <= _HEX_DIGITS:
            raise ValueError(f"bucket_digits must be 0-{_HEX_DIGITS}, got {self.bucket_digits}")
        if not 1 <= self.max_groups_per_rule <= MAX_GROUPS_PER_RULE:
            raise ValueError(f"max_groups_per_rule must be 1-{MAX_GROUPS_PER_RULE}")
        longest = bucket_rule_name(self.group_name, "f" * self.bucket_digits)
        if len(longest) > OKTA_RULE_NAME_MAX:
            raise ValueError(f"rule name {longest!r} is over Okta's {OKTA_RULE_NAME_MAX}-character limit")
        buckets(self.pushed_groups, self.bucket_digits, self.max_groups_per_rule)


class AppAssignment(pulumi.ComponentResource):
    group_id: pulumi.Output[str]
    group_name: str
    rule_names: list[str]

    def __init__(
        self, name: str, args: AppAssignmentArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        group = okta.group.Group(
            args.group_name,
            name=args.group_name,
            description="Managed by frontdoor: assigns the AWS IAM Identity Center app. Never pushed.",
            opts=child,
        )
        self.rule_names = []
        for bucket, members in buckets(
            args.pushed_groups, args.bucket_digits, args.max_groups_per_rule
        ).items():
            okta.group.Rule(
                bucket_rule_name(args.group_name, bucket),
                name=bucket_rule_name(args.group_name, bucket),
                expression_type=EXPRESSION_TYPE,
                expression_value=any_of([args.pushed_groups[member] for member in members]),
                # Exactly one target group (changing it is a replacement in Okta, F10).
                group_assignments=[group.id],
                # Deleting a rule takes its users out of the assignment group: no orphaned access.
                remove_assigned_users=True,
                status="ACTIVE",
                opts=pulumi.ResourceOptions.merge(
                    child, pulumi.ResourceOptions(depends_on=list(args.rule_depends_on))
                ),
            )
            self.rule_names.append(bucket_rule_name(args.group_name, bucket))

        okta.app.GroupAssignment(
            f"{args.group_name}-app",
            app_id=args.app_id,
            group_id=group.id,
            # Never retain: a retained assignment outlives its removal from code (F15).
            retain_assignment=False,
            opts=child,
        )

        self.group_id = group.id
        self.group_name = args.group_name
        self.register_outputs({"groupId": self.group_id, "groupName": self.group_name})
