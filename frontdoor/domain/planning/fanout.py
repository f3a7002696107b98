"""OU fan-out: from grants on OUs, accounts and `*` to the (group, permission set, account) triples.

Identity Center cannot target an OU (CreateAccountAssignment takes `AWS_ACCOUNT` only), so every OU
target is resolved here to the ACTIVE accounts below it, at preview time, from a snapshot of the
organization. Pure functions over plain data: the program builds the snapshot from Organizations
invokes, tests build it from an estate file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field

from frontdoor.domain.base import clock
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.contracts import GrantRecord
from frontdoor.domain.model.grants import Grant, OrgGrant, TeamConfig, classify_target, team_group_name
from frontdoor.domain.model.permission_sets import PermissionSetConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.organization import Account, OrgSnapshot


@dataclass(frozen=True)
class GroupGrant:
    """One group granted one permission set on a resolved set of accounts: everything its
    AccountAssignments component registers, names and carries, with nothing left to look up."""

    group: str
    permission_set: str
    owner: str  # "team:<name>" or "org:<group>"
    members: str  # the Okta expression that fills the group
    accounts: tuple[Account, ...]
    field: str  # where in the config the grant was written, for messages
    expires: dt.date | None = None  # a time-bound exception: its last valid day
    ticket: str | None = None
    expired: bool = False  # past `expires`: kept in the plan with no accounts, for the record
    exclude: tuple[str, ...] = ()  # the targets written under `exclude`, for the plan's warnings
    # Decided once by the plan, with the groups SCIM has synced (frontdoor/domain/planning/plan.py):
    deferred: bool = False  # its assignments wait for SCIM to sync the group (`is_deferred`)
    principal_id: str | None = None  # the synced Identity Center group's id; None: not synced yet
    # Derived from the fields above whenever a grant is made (`replace` included):
    # each planned assignment's stable logical name with its account, ...
    assignments: tuple[tuple[str, Account], ...] = dataclass_field(init=False, repr=False, compare=False)
    # ... and the grant as its component carries it (the report and the pack read it back).
    record: GrantRecord = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        assignments = tuple(
            (assignment_name(self.group, self.permission_set, account.id), account)
            for account in self.accounts
        )
        object.__setattr__(self, "assignments", assignments)
        record = GrantRecord(
            group=self.group,
            permission_set=self.permission_set,
            owner=self.owner,
            account_ids=tuple(account.id for account in self.accounts),
            deferred=self.deferred,
            expires=self.expires.isoformat() if self.expires else None,
            ticket=self.ticket,
            expired=self.expired,
        )
        object.__setattr__(self, "record", record)


@dataclass(frozen=True)
class GroupSpec:
    """An Okta group the stack owns (and pushes), with the rule that fills it."""

    name: str
    owner: str
    members: str
    field: str


def ou_suggestion(target: str, snapshot: OrgSnapshot) -> str:
    """The fix for an unknown OU: the closest existing paths first, so a typo reads as one."""
    paths = sorted(snapshot.ou_by_path)
    if not paths:
        return 'the organization has no OUs: target account ids or "*"'
    close = [] if target.startswith("ou-") else difflib.get_close_matches(target, paths, n=3, cutoff=0.6)
    if close:
        return f'did you mean {" or ".join(close)}? (an OU path, an ou-… id, an account id or "*")'
    return f'use an existing OU path (e.g. {", ".join(paths[:8])}), an ou-… id, an account id or "*"'


def assignment_name(group: str, permission_set: str, account_id: str) -> str:
    """Stable logical name of one assignment: its natural key, never a list position."""
    return f"{group}/{permission_set}/{account_id}"


class Resolver:
    def __init__(self, snapshot: OrgSnapshot, source: str) -> None:
        self.snapshot = snapshot
        self.source = source
        self.issues: list[ConfigIssue] = []

    def raise_if_any(self) -> None:
        if self.issues:
            raise ConfigError(self.issues)

    def _issue(self, where: str, value: str, problem: str, fix: str) -> None:
        self.issues.append(ConfigIssue(self.source, where, value, problem, fix))

    def expand(self, target: str, where: str) -> tuple[Account, ...] | None:
        snapshot = self.snapshot
        kind = classify_target(target)
        if kind == "organization":
            return snapshot.accounts
        if kind == "account":
            account = snapshot.account_by_id.get(target)
            if account is None:
                self._issue(
                    where,
                    target,
                    "no account with this id in the organization",
                    "check the id against the organization, or target its OU instead",
                )
                return None
            return (account,)
        ou = snapshot.ou_by_id.get(target) if kind == "ou-id" else snapshot.ou_by_path.get(target)
        if ou is None:
            self._issue(
                where,
                target,
                "no OU with this " + ("id" if kind == "ou-id" else "path") + " in the organization",
                ou_suggestion(target, snapshot),
            )
            return None
        return snapshot.accounts_below.get(ou.id, ())

    def resolve(
        self, grant: Grant, where: str, permission_set: PermissionSetConfig | None = None
    ) -> tuple[Account, ...]:
        """The ACTIVE accounts a grant reaches; `permission_set` is checked for the management account."""
        management = self.snapshot.management_account_id
        chosen: dict[str, Account] = {}
        for index, target in enumerate(grant.targets):
            target_where = f"{where}.targets[{index}]"
            if target == management and not grant.include_management_account:
                self._issue(
                    target_where,
                    target,
                    "this is the management account, which grants never reach by default",
                    "set includeManagementAccount: true on this grant if it is really meant",
                )
                continue
            for account in self.expand(target, target_where) or ():
                chosen[account.id] = account
        for index, target in enumerate(grant.exclude):
            for account in self.expand(target, f"{where}.exclude[{index}]") or ():
                chosen.pop(account.id, None)
        accounts = tuple(
            account
            for account_id, account in sorted(chosen.items())
            if account.state == "ACTIVE" and (account_id != management or grant.include_management_account)
        )
        reaches_management = any(account.id == management for account in accounts)
        if reaches_management and permission_set and not permission_set.managed_from_management_account:
            self._issue(
                where,
                management,
                "a grant on the management account needs a permission set managed from the management "
                "account: the Identity Center delegated administrator cannot manage permission sets "
                "provisioned there",
                "set managedFromManagementAccount: true on the permission set (it and its assignments are "
                "then managed with the management-account provider), or drop the management account",
            )
        return accounts


def plan_team(
    team_name: str, team: TeamConfig, config: StackConfig, resolver: Resolver, today: dt.date | None = None
) -> tuple[list[GroupSpec], list[GroupGrant]]:
    """One team's groups (one per tier) and grants; problems are collected in the resolver."""
    groups: dict[str, GroupSpec] = {}
    grants: list[GroupGrant] = []
    for set_name, grant in sorted(team.grants.items()):
        where = f"frontdoor:teams.{team_name}.grants.{set_name}"
        tier = config.permission_sets[set_name].tier
        group = team_group_name(config.okta.push_group_prefix, team_name, tier)
        members = grant.members or team.members
        groups.setdefault(group, GroupSpec(group, f"team:{team_name}", members, where))
        accounts = resolver.resolve(grant, where, config.permission_sets[set_name])
        planned = GroupGrant(
            group, set_name, f"team:{team_name}", members, accounts, where, exclude=tuple(grant.exclude)
        )
        grants.append(time_bound(planned, grant, today))
    return list(groups.values()), grants


def plan_org_grant(
    group: str, org_grant: OrgGrant, config: StackConfig, resolver: Resolver, today: dt.date | None = None
) -> tuple[GroupSpec, GroupGrant]:
    where = f"frontdoor:orgGrants.{group}"
    grant = org_grant.as_grant()
    accounts = resolver.resolve(grant, where, config.permission_sets.get(org_grant.permission_set))
    spec = GroupSpec(group, f"org:{group}", org_grant.members, where)
    planned = GroupGrant(
        group,
        org_grant.permission_set,
        f"org:{group}",
        org_grant.members,
        accounts,
        where,
        exclude=tuple(grant.exclude),
    )
    return spec, time_bound(planned, grant, today)


def time_bound(planned: GroupGrant, grant: Grant, today: dt.date | None) -> GroupGrant:
    """A time-bound exception keeps its accounts until its last day, and none after it."""
    if grant.expires is None:
        return planned
    expired = grant.expires < (today or clock.today())
    return replace(
        planned,
        expires=grant.expires,
        ticket=grant.ticket,
        expired=expired,
        accounts=() if expired else planned.accounts,
    )
