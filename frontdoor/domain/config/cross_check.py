"""References between the sections of a valid stack model: permission sets named by grants and by the
people policy, one owner per group, Okta's rule-name limit, the managed-policy quota, the inline-policy
size, the ABAC chain."""

from __future__ import annotations

from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.config.abac_chain import chain_issues, team_tag_issues
from frontdoor.domain.contracts import INLINE_POLICY_NON_WHITESPACE_MAX
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import non_whitespace_length, render_policy
from frontdoor.domain.model.grants import OKTA_RULE_NAME_MAX, rule_name, team_group_name
from frontdoor.domain.model.stack import StackConfig


def cross_check(config: StackConfig, source: str) -> list[ConfigIssue]:
    """References between sections: permission sets named by grants, group ownership, limits."""
    issues: list[ConfigIssue] = []
    known_sets = sorted(config.permission_sets)
    prefix = config.okta.push_group_prefix
    owners: dict[str, str] = {}

    def claim(group: str, owner: str, where: str) -> None:
        previous = owners.setdefault(group, owner)
        if previous != owner:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    group,
                    f"group {group!r} is already owned by {previous}",
                    "rename the team or the tier so that each group has one owner",
                )
            )
        if len(rule_name(group)) > OKTA_RULE_NAME_MAX:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    rule_name(group),
                    f"the Okta group rule name would be {len(rule_name(group))} characters, "
                    f"Okta allows {OKTA_RULE_NAME_MAX}",
                    "shorten the team name or the permission set's tier",
                )
            )

    for team_name, team in sorted(config.teams.items()):
        members_by_group: dict[str, str] = {}
        for set_name, grant in sorted(team.grants.items()):
            where = f"frontdoor:teams.{team_name}.grants.{set_name}"
            permission_set = config.permission_sets.get(set_name)
            if permission_set is None:
                issues.append(
                    ConfigIssue(
                        source,
                        where,
                        set_name,
                        "unknown permission set",
                        f"use one of {', '.join(known_sets)} or add it under frontdoor:permissionSets",
                    )
                )
                continue
            group = team_group_name(prefix, team_name, permission_set.tier)
            claim(group, f"team {team_name}", where)
            members = grant.members or team.members
            if members_by_group.setdefault(group, members) != members:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.members",
                        members,
                        f"two grants share group {group!r} (same tier) with different members",
                        "give the grants the same members, or use permission sets of different tiers",
                    )
                )
    for group, org_grant in sorted(config.org_grants.items()):
        where = f"frontdoor:orgGrants.{group}"
        if org_grant.permission_set not in config.permission_sets:
            issues.append(
                ConfigIssue(
                    source,
                    f"{where}.permissionSet",
                    org_grant.permission_set,
                    "unknown permission set",
                    f"use one of {', '.join(known_sets)} or add it under frontdoor:permissionSets",
                )
            )
        if not group.startswith(prefix):
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    group,
                    f"organization-wide group does not start with the push prefix {prefix!r}",
                    f"name it {prefix}<purpose>, e.g. {prefix}platform-admin, so that it is pushed",
                )
            )
        claim(group, f"orgGrants.{group}", where)
    if config.okta.app_assignment_group in owners:
        issues.append(
            ConfigIssue(
                source,
                "frontdoor:okta.appAssignmentGroup",
                config.okta.app_assignment_group,
                "the app assignment group is also a granted group",
                "keep the assignment group separate from every pushed group",
            )
        )
    quota = config.quotas.managed_policies_per_permission_set
    for set_name, permission_set in sorted(config.permission_sets.items()):
        where = f"frontdoor:permissionSets.{set_name}"
        attached = len(permission_set.aws_managed_policies) + len(permission_set.customer_managed_policies)
        if attached > quota:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    attached,
                    f"{attached} managed policies attached, the quota is {quota}",
                    "merge policies, or raise quotas.managedPoliciesPerPermissionSet after raising IAM's "
                    "managed-policies-per-role quota in every target account",
                )
            )
        document = inline_policy_document(permission_set)
        if document is not None:
            size = non_whitespace_length(render_policy(document))
            if size > INLINE_POLICY_NON_WHITESPACE_MAX:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.inlineStatements",
                        f"{size} characters",
                        f"inline policy is {size} non-whitespace characters, Identity Center allows "
                        f"{INLINE_POLICY_NON_WHITESPACE_MAX}",
                        "move statements into customer-managed policies",
                    )
                )
    if config.people is not None:
        for name in sorted(config.people.privileged_worker_types):
            if name not in config.permission_sets:
                issues.append(
                    ConfigIssue(
                        source,
                        f"frontdoor:people.privilegedWorkerTypes.{name}",
                        name,
                        "not a permission set of the catalogue (frontdoor:permissionSets)",
                        f"use one of {', '.join(known_sets)}",
                    )
                )
    issues.extend(chain_issues(config, source))
    issues.extend(team_tag_issues(config, source))
    return issues
