"""The people policy's pack config: who the stack's HR export puts in each group that grants a
privileged permission set, for the pack rule `privileged-worker-types` (policy/rules/).

The pack judges registered grants and cannot evaluate Okta rules (it imports nothing of frontdoor), so
the program hands it the people: for each group with a grant of a privileged set (PlatformAdmin, the
admin-tier sets and those `frontdoor:people.privilegedWorkerTypes` lists), the active HR records its
members expression matches, with their worker type and row. Group names and expressions are the stack
file's (`aws-<team>-<tier>` for a team's grant, the key of an org grant), as the program registers them.
"""

from __future__ import annotations

from typing import Any

from frontdoor.domain.config.files import stack_relative_path
from frontdoor.domain.contracts import (
    PEOPLE_POLICY_ALLOWED_KEY,
    PEOPLE_POLICY_MEMBERS_KEY,
    PEOPLE_POLICY_SOURCE_KEY,
)
from frontdoor.domain.model.grants import team_group_name
from frontdoor.domain.model.people import privileged_worker_types
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.people.group_rules import GroupRules
from frontdoor.domain.people.hr_export import load_export


def privileged_groups(config: StackConfig, privileged: set[str] | frozenset[str]) -> dict[str, str]:
    """Group -> members expression, for every group of the stack file with a grant of a set in
    `privileged`."""
    found: dict[str, str] = {}
    prefix = config.okta.push_group_prefix
    for team_name, team in sorted(config.teams.items()):
        for set_name, grant in sorted(team.grants.items()):
            if set_name in privileged and set_name in config.permission_sets:
                group = team_group_name(prefix, team_name, config.permission_sets[set_name].tier)
                found.setdefault(group, grant.members or team.members)
    for group, org_grant in sorted(config.org_grants.items()):
        if org_grant.permission_set in privileged:
            found[group] = org_grant.members
    return found


def people_policy_config(config: StackConfig, source: str) -> dict[str, Any] | None:
    """The rule's properties (ConfigError if the export cannot be read); None without frontdoor:people."""
    if config.people is None:
        return None
    allowed = privileged_worker_types(
        config.people, {name: ps.tier for name, ps in config.permission_sets.items()}
    )
    path = stack_relative_path(source, config.people.export)
    export = load_export(path, config.people.id_column)
    rules = GroupRules.from_mapping(privileged_groups(config, frozenset(allowed)))
    members: dict[str, list[dict[str, Any]]] = {group: [] for group, _, _ in rules.rules}
    for person in export.people:
        for membership in rules.groups_for(person):
            members[membership.group].append(
                {"login": person.login, "workerType": person.worker_type, "row": person.row}
            )
    return {
        PEOPLE_POLICY_ALLOWED_KEY: {name: list(types) for name, types in allowed.items()},
        PEOPLE_POLICY_MEMBERS_KEY: members,
        PEOPLE_POLICY_SOURCE_KEY: str(path),
    }
