"""The organization and the Identity Center instance as plain data: what the program reads, what the
estate file simulates, what the fan-out resolves grants against, and `StackReads`, all of it together:
what the program has read before it plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from frontdoor.domain.planning.config_recording import ConfigRecording


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    state: str  # ACTIVE | SUSPENDED | PENDING_CLOSURE
    ou_path: str  # "" for accounts directly under the root
    ou_ids: tuple[str, ...] = ()  # every OU above the account, nearest last


@dataclass(frozen=True)
class OrgUnit:
    id: str
    name: str
    path: str
    parent_id: str


@dataclass(frozen=True)
class OrgSnapshot:
    """The organization as read at preview time."""

    root_id: str
    management_account_id: str
    ous: tuple[OrgUnit, ...]
    accounts: tuple[Account, ...]
    organization_id: str = ""

    @cached_property
    def ou_by_path(self) -> Mapping[str, OrgUnit]:
        return {ou.path: ou for ou in self.ous}

    @cached_property
    def ou_by_id(self) -> Mapping[str, OrgUnit]:
        return {ou.id: ou for ou in self.ous}

    @cached_property
    def account_by_id(self) -> Mapping[str, Account]:
        return {account.id: account for account in self.accounts}

    @cached_property
    def accounts_below(self) -> Mapping[str, tuple[Account, ...]]:
        """OU id -> every account in it or any descendant OU (one pass over the accounts)."""
        below: dict[str, list[Account]] = defaultdict(list)
        for account in self.accounts:
            for ou_id in account.ou_ids:
                below[ou_id].append(account)
        return {ou_id: tuple(accounts) for ou_id, accounts in below.items()}


class IdentityCenterInstance(NamedTuple):
    arn: str
    identity_store_id: str


@dataclass(frozen=True)
class StackReads:
    """What the program reads before it plans: the organization, the Identity Center instance, and the
    groups SCIM has synced (display name -> group id, one identity-store listing). The plan decides with
    them, once, which grants wait for SCIM (`plan.is_deferred`); the offline preview reads the same
    from the estate."""

    snapshot: OrgSnapshot
    instance: IdentityCenterInstance
    synced_groups: Mapping[str, str]
    # AWS Config recorders per account, from the stack's estate file (no data source reads them:
    # frontdoor/domain/planning/pulled.py); None when the file does not hold them.
    config_recording: ConfigRecording | None = None
    facts_source: str = "the stack's estate file"  # where config_recording comes from


def same_organization(left: OrgSnapshot, right: OrgSnapshot) -> bool:
    """The same organization, whatever order the OUs and accounts were listed in."""
    return (
        (left.root_id, left.management_account_id, left.organization_id)
        == (right.root_id, right.management_account_id, right.organization_id)
        and set(left.ous) == set(right.ous)
        and set(left.accounts) == set(right.accounts)
    )


def same_reads(left: StackReads, right: StackReads) -> bool:
    """The same organization, instance and synced groups, whatever order they were listed in."""
    return (
        same_organization(left.snapshot, right.snapshot)
        and left.instance == right.instance
        and dict(left.synced_groups) == dict(right.synced_groups)
        and left.config_recording == right.config_recording
    )
