"""The organization and the Identity Center instance as plain data: what the program reads, what the
estate file simulates, what the fan-out resolves grants against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple


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
