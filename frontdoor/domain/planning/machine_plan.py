"""A machine consumer's targets resolved to accounts, and the StackSet deployment targets that reach them.

The same `Resolver` as team grants (frontdoor.domain.planning.fanout): OU paths, OU ids, account ids and `*`,
minus `exclude`, ACTIVE accounts only, the management account never (service-managed StackSets do not
deploy there either). Pure: tests build the snapshot from the demo estate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.contracts import MachineRole
from frontdoor.domain.documents.machines import ASSUMED_ROLE, CONSUMER_TAG, target_role_arn
from frontdoor.domain.model.grants import Grant, classify_target
from frontdoor.domain.model.machines import MachineConsumer, MachinesConfig
from frontdoor.domain.planning.fanout import Resolver
from frontdoor.domain.planning.organization import Account, OrgSnapshot

# --- plan ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentTarget:
    """One StackSet instance's targets: OU (or root) ids, optionally filtered by account ids."""

    key: str  # "ous" or "accounts": the instance's stable logical-name suffix
    organizational_unit_ids: tuple[str, ...]
    accounts: tuple[str, ...]
    account_filter_type: Literal["NONE", "INTERSECTION", "DIFFERENCE"]


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


def deployment_targets(
    spec: MachineConsumer, snapshot: OrgSnapshot, accounts: Sequence[Account]
) -> tuple[DeploymentTarget, ...]:
    """OU and root targets deploy by OU (so auto-deployment covers the next account dropped in), minus
    the excluded accounts; account targets deploy to exactly those accounts under the root."""
    ou_ids: list[str] = []
    account_ids: list[str] = []
    for target in spec.targets:
        kind = classify_target(target)
        if kind == "organization":
            ou_ids.append(snapshot.root_id)
        elif kind == "account":
            account_ids.append(target)
        elif kind == "ou-id":
            ou_ids.append(target)
        else:
            ou_ids.append(snapshot.ou_by_path[target].id)
    reached = {account.id for account in accounts}
    result: list[DeploymentTarget] = []
    if ou_ids:
        below: set[str] = set()
        for ou_id in ou_ids:
            under = snapshot.accounts if ou_id == snapshot.root_id else snapshot.accounts_below.get(ou_id, ())
            below |= {account.id for account in under}
        # Everything under the OUs that the plan does not reach (exclusions, suspended accounts, the
        # management account, which service-managed StackSets never deploy to anyway).
        left_out = tuple(sorted((below - reached) - set(account_ids)))
        result.append(
            DeploymentTarget(
                "ous", tuple(sorted(set(ou_ids))), left_out, "DIFFERENCE" if left_out else "NONE"
            )
        )
    chosen = tuple(sorted(set(account_ids) & reached))
    if chosen:
        result.append(DeploymentTarget("accounts", (snapshot.root_id,), chosen, "INTERSECTION"))
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
        if not accounts and not any(i.field.startswith(where) for i in resolver.issues):
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
