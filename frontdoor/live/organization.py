"""The organization as AWS Organizations answers it, read-only, from the management account.

Owns the Organizations half of `estate pull`, `doctor` and `drift`: the root and its enabled policy
types, the OU tree (recursively, one level at a time, the levels' listings run concurrently), every
account with its status, the management account, the trusted-access service principals, the
delegated administrators and their services, and the service control policies with their targets.
Every list call paginates at the largest page size the API accepts (`PAGE_SIZES`), so the number of
calls made can be compared with the minimum the APIs allow (`minimum_organization_calls`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit
from frontdoor.live.aws import MAX_CONCURRENCY, LiveError, LiveSession, call, paginate

# The largest MaxResults each list call accepts (botocore's service models: organizations 20,
# sso-admin 100, identitystore 100).
PAGE_SIZES = {
    "list_accounts": 20,
    "list_organizational_units_for_parent": 20,
    "list_accounts_for_parent": 20,
    "list_aws_service_access_for_organization": 20,
    "list_delegated_administrators": 20,
    "list_delegated_services_for_account": 20,
    "list_policies": 20,
    "list_targets_for_policy": 20,
}
SCP = "SERVICE_CONTROL_POLICY"
DEFAULT_SCP_NAME = "FullAWSAccess"

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class LiveAccount:
    id: str
    name: str
    email: str
    status: str  # ACTIVE | SUSPENDED | PENDING_CLOSURE


@dataclass(frozen=True)
class LiveOu:
    id: str
    name: str
    parent_id: str


@dataclass(frozen=True)
class LiveScp:
    id: str
    name: str
    targets: frozenset[str]  # root, OU and account ids it is attached to


@dataclass
class LiveOrganization:
    """Everything `estate pull`, `doctor` and `drift` need from Organizations."""

    id: str
    feature_set: str  # ALL | CONSOLIDATED_BILLING
    management_account_id: str
    root_id: str
    policy_types: dict[str, str]  # type -> ENABLED | PENDING_ENABLE | PENDING_DISABLE
    accounts: dict[str, LiveAccount]
    ous: dict[str, LiveOu]
    parent_of_account: dict[str, str]  # account id -> root or OU id
    trusted_services: frozenset[str]
    delegated_admins: dict[str, frozenset[str]]  # account id -> service principals
    scps: list[LiveScp] = field(default_factory=list)  # only those read (read_organization's scp_names)
    scp_count: int = 0  # every SCP in the organization, for the minimum-calls arithmetic

    def delegated_admin_for(self, service_principal: str) -> str | None:
        for account_id, services in sorted(self.delegated_admins.items()):
            if service_principal in services:
                return account_id
        return None

    def children_of(self, parent_id: str) -> list[LiveOu]:
        return sorted((ou for ou in self.ous.values() if ou.parent_id == parent_id), key=lambda o: o.name)

    def accounts_in(self, parent_id: str) -> list[LiveAccount]:
        return sorted(
            (self.accounts[a] for a, parent in self.parent_of_account.items() if parent == parent_id),
            key=lambda a: a.id,
        )


def concurrently(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` over `items` on at most MAX_CONCURRENCY threads, results in input order.

    The first LiveError raised by any worker is raised here (the others finish first), so a failed
    read never returns partial data.
    """
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=MAX_CONCURRENCY) as pool:
        return list(pool.map(function, items))


def caller_account(live: LiveSession) -> str:
    """The account of these credentials: one GetCallerIdentity per session, shared by the
    management-account check (live_common) and the organization read (the minimum counts one)."""
    if live.caller is None:
        identity = call(live.client("sts").get_caller_identity)
        live.caller = str(identity["Account"])
    live.account = live.account or live.caller
    return live.caller


def read_organization(
    live: LiveSession,
    *,
    scp_names: frozenset[str] | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> LiveOrganization:
    """The organization, read with management-account credentials; LiveError on any failed call.

    With `scp_names`, also the service control policies of those names with their targets (drift
    compares only the policies the stack manages: FullAWSAccess alone is attached to every OU and
    account, and reading its targets would cost a page per 20 of them for nothing).
    """
    me = caller_account(live)
    organizations = live.client("organizations")
    progress(f"organization: reading as account {me}")
    described = call(organizations.describe_organization, account=me)["Organization"]
    management = str(described["MasterAccountId"])
    if management != me:
        raise LiveError(
            f"these credentials are in account {me}, not the management account {management}: "
            "run with a profile of the management account (--profile), where Organizations answers "
            "for the whole organization",
            account=me,
            operation="DescribeOrganization",
        )
    roots = list(paginate(organizations, "list_roots", "Roots", account=me))
    root = roots[0]
    policy_types = {str(p["Type"]): str(p["Status"]) for p in root.get("PolicyTypes", [])}

    progress("organization: accounts")
    accounts: dict[str, LiveAccount] = {}
    for account in _pages(organizations, "list_accounts", "Accounts", me):
        accounts[str(account["Id"])] = LiveAccount(
            id=str(account["Id"]),
            name=str(account["Name"]),
            email=str(account.get("Email", "")),
            status=str(account.get("Status", "ACTIVE")),
        )

    progress("organization: OU tree")
    ous: dict[str, LiveOu] = {}
    parent_of_account: dict[str, str] = {}
    level: list[str] = [str(root["Id"])]
    while level:

        def read_parent(parent_id: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
            children = list(
                _pages(
                    organizations,
                    "list_organizational_units_for_parent",
                    "OrganizationalUnits",
                    me,
                    ParentId=parent_id,
                )
            )
            members = list(
                _pages(organizations, "list_accounts_for_parent", "Accounts", me, ParentId=parent_id)
            )
            return parent_id, children, members

        next_level: list[str] = []
        for parent_id, children, members in concurrently(read_parent, level):
            for child in children:
                ous[str(child["Id"])] = LiveOu(str(child["Id"]), str(child["Name"]), parent_id)
                next_level.append(str(child["Id"]))
            for member in members:
                parent_of_account[str(member["Id"])] = parent_id
        level = sorted(next_level)

    progress("organization: trusted access and delegated administrators")
    trusted = frozenset(
        str(s["ServicePrincipal"])
        for s in _pages(
            organizations, "list_aws_service_access_for_organization", "EnabledServicePrincipals", me
        )
    )
    admins = [
        str(a["Id"])
        for a in _pages(organizations, "list_delegated_administrators", "DelegatedAdministrators", me)
    ]

    def services_of(account_id: str) -> frozenset[str]:
        return frozenset(
            str(s["ServicePrincipal"])
            for s in _pages(
                organizations,
                "list_delegated_services_for_account",
                "DelegatedServices",
                me,
                AccountId=account_id,
            )
        )

    delegated = dict(zip(admins, concurrently(services_of, admins), strict=True))

    scps: list[LiveScp] = []
    scp_count = 0
    if scp_names is not None and policy_types.get(SCP) == "ENABLED":
        progress("organization: service control policies and their targets")
        listed = list(_pages(organizations, "list_policies", "Policies", me, Filter=SCP))
        policies = [policy for policy in listed if policy["Name"] in scp_names]

        def targets_of(policy: dict[str, Any]) -> LiveScp:
            targets = _pages(organizations, "list_targets_for_policy", "Targets", me, PolicyId=policy["Id"])
            return LiveScp(
                str(policy["Id"]), str(policy["Name"]), frozenset(str(t["TargetId"]) for t in targets)
            )

        scps = sorted(concurrently(targets_of, policies), key=lambda p: p.name)
        scp_count = len(listed)

    return LiveOrganization(
        id=str(described["Id"]),
        feature_set=str(described.get("FeatureSet", "ALL")),
        management_account_id=management,
        root_id=str(root["Id"]),
        policy_types=policy_types,
        accounts=accounts,
        ous=ous,
        parent_of_account=parent_of_account,
        trusted_services=trusted,
        delegated_admins=delegated,
        scps=scps,
        scp_count=scp_count,
    )


def _pages(client: Any, operation: str, key: str, account: str, **params: Any) -> Iterable[Any]:
    size = PAGE_SIZES.get(operation)
    if size is not None:
        params["PaginationConfig"] = {"PageSize": size}
    return paginate(client, operation, key, account=account, **params)


def pages(items: int, size: int) -> int:
    """Calls one listing of `items` takes at `size` per page (an empty listing still takes one)."""
    return max(1, math.ceil(items / size))


def minimum_organization_calls(
    organization: LiveOrganization, *, scp_names: frozenset[str] | None = None
) -> int:
    """The fewest calls the Organizations and STS APIs allow for what `read_organization` returns."""
    parents = [organization.root_id, *organization.ous]
    total = 3  # GetCallerIdentity, DescribeOrganization, ListRoots
    total += pages(len(organization.accounts), PAGE_SIZES["list_accounts"])
    for parent in parents:
        total += pages(len(organization.children_of(parent)), 20)
        total += pages(len(organization.accounts_in(parent)), 20)
    total += pages(len(organization.trusted_services), 20)
    total += pages(len(organization.delegated_admins), 20)
    total += sum(pages(len(services), 20) for services in organization.delegated_admins.values())
    if scp_names is not None and organization.policy_types.get(SCP) == "ENABLED":
        total += pages(organization.scp_count, 20)
        total += sum(pages(len(scp.targets), 20) for scp in organization.scps)
    return total


def org_snapshot(organization: LiveOrganization) -> OrgSnapshot:
    """The live organization as the pure fan-out sees it (OU paths, the OU chain above each account)."""
    ous: list[OrgUnit] = []
    accounts: list[Account] = []
    management = organization.accounts.get(organization.management_account_id)
    placed: set[str] = set()

    def visit(parent_id: str, prefix: str, chain: tuple[str, ...]) -> None:
        for ou in organization.children_of(parent_id):
            path = f"{prefix}{ou.name}"
            ids = (*chain, ou.id)
            ous.append(OrgUnit(ou.id, ou.name, path, parent_id))
            for account in organization.accounts_in(ou.id):
                accounts.append(Account(account.id, account.name, account.status, path, ids))
                placed.add(account.id)
            visit(ou.id, f"{path}/", ids)

    visit(organization.root_id, "", ())
    at_root = [a for a in organization.accounts.values() if a.id not in placed]
    accounts[:0] = [Account(a.id, a.name, a.status, "", ()) for a in sorted(at_root, key=lambda a: a.id)]
    if management is None:
        accounts.insert(0, Account(organization.management_account_id, "management", "ACTIVE", "", ()))
    return OrgSnapshot(
        organization.root_id, organization.management_account_id, tuple(ous), tuple(accounts), organization.id
    )
