"""A machine consumer's targets resolved to accounts, and the StackSet deployment targets that reach them.

The same `Resolver` as team grants (frontdoor.domain.planning.fanout): OU paths, OU ids, account ids and `*`,
minus `exclude`, ACTIVE accounts only, the management account never (service-managed StackSets do not
deploy there either). The StackSets take two shapes, fixed by the config and never by an observation:
OU targets on an auto-deploying StackSet, one unfiltered instance per OU; account targets on a second
StackSet that never auto-deploys, one instance per account (`stack_set_issues` refuses what neither can
express). Pure: tests build the snapshot from the demo estate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.contracts import MachineRole
from frontdoor.domain.documents.machines import ASSUMED_ROLE, CONSUMER_TAG, target_role_arn
from frontdoor.domain.model.grants import Grant, classify_target
from frontdoor.domain.model.machines import MachineConsumer, MachinesConfig
from frontdoor.domain.planning.fanout import Resolver
from frontdoor.domain.planning.organization import Account, OrgSnapshot

# --- plan ------------------------------------------------------------------------------------------

Mode = Literal["ou", "account"]
OU_MODE: Final = "ou"  # OU (or root) targets: the StackSet auto-deploys, each instance one OU, no filter
ACCOUNT_MODE: Final = "account"  # account targets: their own StackSet, no auto-deployment, one account each


@dataclass(frozen=True)
class DeploymentTarget:
    """One StackSet instance: one OU (or the root) with no account filter, or one account under the root.

    The root reaches an account in any nested OU: "CloudFormation will perform operations on accounts
    within these OUs and their child OUs" (botocore cloudformation DeploymentTargets.OrganizationalUnitIds),
    so an account target's instance stays the same when the account moves between OUs.

    Its inputs are fixed by its key (the logical name's suffix), so adding or removing a target creates
    or deletes exactly one instance and never replaces one: the instance's `deployment_targets` are
    ForceNew and its import id names no account (terraform-provider-aws stack_set_instance.go), so a
    replacement's delete would remove the stacks the new instance just claimed.
    """

    mode: Mode
    target: str  # the OU or root id, or the account id
    organizational_unit_ids: tuple[str, ...]
    accounts: tuple[str, ...]
    account_filter_type: Literal["NONE", "INTERSECTION"]

    @property
    def key(self) -> str:
        return f"{self.mode}/{self.target}"


@dataclass(frozen=True)
class MachinePlan:
    """One Vault consumer as the program registers it: its accounts, its StackSet targets, and the
    stack's team tag key (derived once by the plan) its sessions and roles are tagged with."""

    name: str
    spec: MachineConsumer
    accounts: tuple[Account, ...]
    deployment_targets: tuple[DeploymentTarget, ...]
    tag_key: str

    def role_arns(self) -> list[str]:
        return [target_role_arn(account.id, self.name) for account in self.accounts]

    def targets(self, mode: Mode) -> tuple[DeploymentTarget, ...]:
        """The instances of one StackSet: `OU_MODE` (auto-deploying) or `ACCOUNT_MODE`."""
        return tuple(target for target in self.deployment_targets if target.mode == mode)

    @property
    def role(self) -> MachineRole:
        """The Vault secrets-engine role: assumed_role only, its TTLs, one target role per account, and
        the owner team as the session tag."""
        return MachineRole(
            name=self.name,
            credential_type=ASSUMED_ROLE,
            role_arns=tuple(self.role_arns()),
            default_sts_ttl=self.spec.default_ttl_seconds,
            max_sts_ttl=self.spec.max_ttl_seconds,
            session_tags={self.tag_key: self.spec.owner_team},
        )

    @property
    def stack_set_tags(self) -> dict[str, str]:
        return {self.tag_key: self.spec.owner_team, CONSUMER_TAG: self.name}


def _ou_targets(spec: MachineConsumer, snapshot: OrgSnapshot) -> list[tuple[int, str]]:
    """(index in targets, OU or root id) of the consumer's OU targets, `*` as the root."""
    found: list[tuple[int, str]] = []
    for index, target in enumerate(spec.targets):
        kind = classify_target(target)
        if kind == "organization":
            found.append((index, snapshot.root_id))
        elif kind == "ou-id":
            found.append((index, target))
        elif kind == "ou-path" and target in snapshot.ou_by_path:
            found.append((index, snapshot.ou_by_path[target].id))
    return found


def _below(snapshot: OrgSnapshot, ou_id: str) -> tuple[Account, ...]:
    return snapshot.accounts if ou_id == snapshot.root_id else tuple(snapshot.accounts_below.get(ou_id, ()))


def _within(snapshot: OrgSnapshot, inner: str, outer: str) -> bool:
    """Whether OU `inner` lies below OU (or root) `outer`."""
    if outer == snapshot.root_id:
        return inner != outer
    parent = snapshot.ou_by_id[inner].parent_id if inner in snapshot.ou_by_id else ""
    while parent and parent != snapshot.root_id:
        if parent == outer:
            return True
        parent = snapshot.ou_by_id[parent].parent_id if parent in snapshot.ou_by_id else ""
    return False


def stack_set_issues(
    spec: MachineConsumer, snapshot: OrgSnapshot, source: str, where: str
) -> list[ConfigIssue]:
    """What the StackSet shape cannot express, refused before anything registers.

    An auto-deploying StackSet deploys to every account that joins a target OU whatever its account
    filter ("Automatic deployments do not consider account level targeting filters": CloudFormation User
    Guide, "Enable or disable automatic deployments for StackSets in AWS Organizations"), so OU targets
    take no exclusion and hold no account the plan skips (a suspended or closing one, which only a
    DIFFERENCE filter would avoid: DeploymentTargets, AccountFilterType). An account reached twice (an
    account target under a target OU, an OU target inside another) would get the role from two instances.
    """
    issues: list[ConfigIssue] = []
    ous = _ou_targets(spec, snapshot)
    if ous and spec.exclude:
        issues.append(
            ConfigIssue(
                source,
                f"{where}.exclude",
                spec.exclude,
                "OU targets deploy through an auto-deploying StackSet, which ignores account filters: an "
                "excluded account gets the role as soon as it joins or moves within the OU (CloudFormation "
                "User Guide, automatic deployments)",
                "target narrower OUs, or list the accounts themselves (account targets never auto-deploy)",
            )
        )
    for index, ou_id in ous:
        for other_index, other in ous:
            if other_index != index and _within(snapshot, ou_id, other):
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.targets[{index}]",
                        spec.targets[index],
                        f"lies inside target {spec.targets[other_index]!r}: its accounts would get the role "
                        "from two StackSet instances",
                        f"keep {spec.targets[other_index]!r} only",
                    )
                )
        unreached = sorted(
            account.id
            for account in _below(snapshot, ou_id)
            if account.state != "ACTIVE" and account.id != snapshot.management_account_id
        )
        if unreached:
            issues.append(
                ConfigIssue(
                    source,
                    f"{where}.targets[{index}]",
                    spec.targets[index],
                    f"holds account(s) that are not ACTIVE ({', '.join(unreached)}): an instance for the "
                    "whole OU would deploy to them, and only an account filter, which auto-deployment "
                    "ignores, could leave them out",
                    "move them to an OU this consumer does not target, or target the ACTIVE accounts by id",
                )
            )
    for index, target in enumerate(spec.targets):
        if classify_target(target) != "account":
            continue
        account = snapshot.account_by_id.get(target)
        covering = [
            spec.targets[i]
            for i, ou_id in ous
            if ou_id == snapshot.root_id or (account is not None and ou_id in account.ou_ids)
        ]
        if covering:
            issues.append(
                ConfigIssue(
                    source,
                    f"{where}.targets[{index}]",
                    target,
                    f"is already inside target {covering[0]!r}: it would get the role from two StackSets",
                    "drop the account target; the OU target deploys to it",
                )
            )
    return issues


def deployment_targets(
    spec: MachineConsumer, snapshot: OrgSnapshot, accounts: Sequence[Account]
) -> tuple[DeploymentTarget, ...]:
    """One instance per OU target (the whole OU, so auto-deployment covers the next account dropped in)
    and one per account target (exactly that account, under the root)."""
    result = [
        DeploymentTarget(OU_MODE, ou_id, (ou_id,), (), "NONE")
        for ou_id in sorted({ou_id for _, ou_id in _ou_targets(spec, snapshot)})
    ]
    reached = {account.id for account in accounts}
    chosen = sorted({t for t in spec.targets if classify_target(t) == "account"} & reached)
    result.extend(
        DeploymentTarget(ACCOUNT_MODE, account_id, (snapshot.root_id,), (account_id,), "INTERSECTION")
        for account_id in chosen
    )
    return tuple(result)


def plan_machines(
    machines: MachinesConfig, teams: Mapping[str, Any], snapshot: OrgSnapshot, source: str, *, tag_key: str
) -> list[MachinePlan]:
    """Every consumer resolved to accounts with the teams' Resolver, tagged with the stack's team tag
    key (`abac_tag_key`); ConfigError on any bad input."""
    resolver = Resolver(snapshot, source)
    plans: list[MachinePlan] = []
    for name, spec in sorted(machines.consumers.items()):
        where = f"frontdoor:machines.consumers.{name}"
        if spec.owner_team not in teams:
            resolver.issues.append(
                ConfigIssue(
                    source,
                    f"{where}.ownerTeam",
                    spec.owner_team,
                    "no such team in frontdoor:teams, so the session tag would match no team's resources",
                    f"use one of {', '.join(sorted(teams)) or '(no teams defined)'}",
                )
            )
            continue
        accounts = resolver.resolve(Grant(targets=spec.targets, exclude=spec.exclude), where)
        if any(i.field.startswith(where) for i in resolver.issues):
            continue
        shape = stack_set_issues(spec, snapshot, source, where)
        if shape:
            resolver.issues.extend(shape)
            continue
        if not accounts:
            resolver.issues.append(
                ConfigIssue(
                    source,
                    f"{where}.targets",
                    spec.targets,
                    "the targets reach no active member account",
                    "target OUs or accounts that exist and are ACTIVE (never the management account)",
                )
            )
            continue
        plans.append(MachinePlan(name, spec, accounts, (), tag_key))
    resolver.raise_if_any()
    return [
        MachinePlan(
            plan.name,
            plan.spec,
            plan.accounts,
            deployment_targets(plan.spec, snapshot, plan.accounts),
            tag_key,
        )
        for plan in plans
    ]
