"""Read the organization at preview time, through the Organizations data sources, into an OrgSnapshot.

These are the invokes `pulumi preview` makes against the management account: one `getOrganization`
for the root and every account's state, then per OU level `getOrganizationalUnits` and per OU
`getOrganizationalUnitChildAccounts`. The snapshot is then plain data for the pure fan-out.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from frontdoor.domain.planning.organization import Account, OrgSnapshot, OrgUnit


def read_organization(provider: pulumi.ProviderResource) -> OrgSnapshot:
    """The root, the OU tree and every account with its OU path, read with the management provider."""
    opts = pulumi.InvokeOptions(provider=provider)
    organization = aws.organizations.get_organization(opts=opts)
    if not organization.roots:
        raise RuntimeError("getOrganization returned no root: is AWS Organizations enabled?")
    root_id = organization.roots[0].id
    states = {account.id: (account.name, account.state) for account in organization.accounts}
    placed: set[str] = set()
    ous: list[OrgUnit] = []
    accounts: list[Account] = []
    # Breadth-first over the OU tree: (parent id, parent path prefix, chain of OU ids above).
    frontier: list[tuple[str, str, tuple[str, ...]]] = [(root_id, "", ())]
    while frontier:
        parent_id, prefix, chain = frontier.pop(0)
        children = aws.organizations.get_organizational_units(parent_id=parent_id, opts=opts).children
        for child in sorted(children, key=lambda c: c.name):
            path = f"{prefix}{child.name}"
            ids = (*chain, child.id)
            ous.append(OrgUnit(child.id, child.name, path, parent_id))
            members = aws.organizations.get_organizational_unit_child_accounts(parent_id=child.id, opts=opts)
            for member in members.accounts:
                name, state = states.get(member.id, (member.name, member.state))
                accounts.append(Account(member.id, name, state, path, ids))
                placed.add(member.id)
            frontier.append((child.id, f"{path}/", ids))
    for account in organization.accounts:
        if account.id not in placed:
            accounts.append(Account(account.id, account.name, account.state, "", ()))
    return OrgSnapshot(root_id, organization.master_account_id, tuple(ous), tuple(accounts), organization.id)
