"""References between the sections of a valid stack model: permission sets named by grants and by the
people policy, one owner per group, the names a group may have, Okta's rule-name limit, the
managed-policy quota, the inline-policy size, the ABAC chain."""

from __future__ import annotations

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.config.abac_chain import chain_issues, tag_key_case_issues, team_tag_issues
from frontdoor.domain.contracts import INLINE_POLICY_NON_WHITESPACE_MAX
from frontdoor.domain.documents.datadog_aws import forwarder_issue
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import non_whitespace_length, render_policy
from frontdoor.domain.model.grants import OKTA_RULE_NAME_MAX, rule_name, team_group_name
from frontdoor.domain.model.stack import StackConfig

# Pulumi's URN delimiter (urn:pulumi:<stack>::<project>::<type>::<name>): the Python SDK takes a URN's
# name as its fourth `::` part (pulumi/urn.py, runtime/resource.py), so a logical name holding it is cut
# short wherever a URN is parsed (aliases, parents, the policy pack's URNs).
URN_DELIMITER = "::"
# Identity Center group display names (a pushed group arrives with its Okta name): botocore identitystore
# CreateGroupRequest.DisplayName, its pattern and length, and "Administrator and AWSAdministrators are
# reserved names and can't be used for users or groups".
GROUP_DISPLAY_NAME = ("identitystore", "CreateGroupRequest", "DisplayName")
RESERVED_DISPLAY_NAMES = frozenset({"Administrator", "AWSAdministrators"})
# The separator of an assignment's natural key, <group>/<permission set>/<account id> (planning/fanout.py).
NATURAL_KEY_SEPARATOR = "/"


def group_name_issues(group: str, where: str, source: str) -> list[ConfigIssue]:
    """What Identity Center, Pulumi's URNs or frontdoor's own keys would refuse in a pushed group's name,
    each with the reference it comes from. Okta's own limits (a group name of 1-255 characters, a
    description of at most 1,024: Okta Workflows reference, "Create Group") are met whenever the group
    rule's name is (at most 50 characters, the group name and "-rule": checked in `cross_check`), and
    the description is generated from the name (tests/frontdoor/domain/config/test_cross_check.py)."""
    issues: list[ConfigIssue] = []

    def refuse(problem: str, fix: str) -> None:
        issues.append(ConfigIssue(source, where, group, problem, fix))

    if NATURAL_KEY_SEPARATOR in group:
        refuse(
            "the group name contains '/', the separator of frontdoor's assignment names "
            "<group>/<permission set>/<account id>: two grants could then name the same assignment",
            "name the group without '/', e.g. aws-platform-admin",
        )
    if URN_DELIMITER in group:
        refuse(
            "the group name contains '::', Pulumi's URN delimiter: the resource names built from it are cut "
            "short wherever the SDK parses a URN",
            "name the group without '::'",
        )
    rule = aws_patterns.member_rule(*GROUP_DISPLAY_NAME)
    problem = rule.problem(group)
    if problem is not None:
        refuse(
            f"the group name {problem}, which Identity Center rejects for the group SCIM creates "
            f"({rule.source}, CreateGroupRequest.DisplayName)",
            "use letters, digits, punctuation and spaces only",
        )
    if group in RESERVED_DISPLAY_NAMES:
        refuse(
            f"{group!r} is reserved by Identity Center and cannot name a group (botocore identitystore "
            "CreateGroupRequest.DisplayName)",
            "choose another name",
        )
    return issues


def logical_name_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """`::` in a config value the program makes a logical name of, beyond the grant groups: the app
    assignment group (its group, rules and assignment are named after it)."""
    group = config.okta.app_assignment_group
    if URN_DELIMITER not in group:
        return []
    return [
        ConfigIssue(
            source,
            "frontdoor:okta.appAssignmentGroup",
            group,
            "contains '::', Pulumi's URN delimiter: the resource names built from it are cut short wherever "
            "the SDK parses a URN",
            "remove '::' from it",
        )
    ]


def trail_forwarder_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """The trail bucket can notify the Datadog Forwarder only in its own Region, and this stack can grant S3
    the right to invoke it only in the management account (documents/datadog_aws.py `forwarder_issue`)."""
    if config.trail is None or config.trail.datadog is None:
        return []
    organization = config.organization
    forwarder = config.trail.datadog.forwarder_arn
    problem = forwarder_issue(
        forwarder, account_id=organization.management_account_id, region=organization.region
    )
    if problem is None:
        return []
    fix = (
        "deploy the Datadog Forwarder (Datadog's CloudFormation template) in the management account "
        f"{organization.management_account_id}, Region {organization.region}, and give its ARN, e.g. "
        f'"arn:aws:lambda:{organization.region}:{organization.management_account_id}:function:datadog-forwarder"'
    )
    return [ConfigIssue(source, "frontdoor:trail.datadog.forwarderArn", forwarder, problem, fix)]


def cross_check(config: StackConfig, source: str) -> list[ConfigIssue]:
    """References between sections: permission sets named by grants, group ownership, limits."""
    issues: list[ConfigIssue] = []
    known_sets = sorted(config.permission_sets)
    prefix = config.okta.push_group_prefix
    owners: dict[str, str] = {}
    # Case-folded name -> the first spelling claimed: Okta's group search matches names without regard
    # to case (Groups API, `search` on profile.name: "EQUALS ... not case-sensitive"), so two spellings
    # are one group to every lookup by name.
    spellings: dict[str, str] = {
        config.okta.app_assignment_group.casefold(): config.okta.app_assignment_group
    }
    checked: set[str] = set()

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
        if group not in checked:
            checked.add(group)
            first = spellings.setdefault(group.casefold(), group)
            if first != group:
                issues.append(
                    ConfigIssue(
                        source,
                        where,
                        group,
                        f"group {group!r} differs from {first!r} only in letter case: Okta matches group "
                        "names without regard to case, so both would be one group to every lookup by name",
                        "rename one of them so the names differ in more than letter case",
                    )
                )
            issues.extend(group_name_issues(group, where, source))
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
    issues.extend(trail_forwarder_issues(config, source))
    issues.extend(logical_name_issues(config, source))
    issues.extend(chain_issues(config, source))
    issues.extend(tag_key_case_issues(config, source))
    issues.extend(team_tag_issues(config, source))
    return issues
