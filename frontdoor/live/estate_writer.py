"""The estate file from a live read: the document `estate pull` writes, byte-stable, atomically.

The document is the estate format (`frontdoor.offline.estate.Estate`): organization (with trusted
access, delegated administrators per service, the root's enabled policy types, StackSets' organizations
access), Identity Center instance, accounts under the root, the OU tree, the synced groups whose display
name starts with the push prefix, the management account's IAM facts (the stack's roles, the OIDC
providers, the break-glass users), and, when read, the AWS Config recorders (`configRecording`) and the
stack's own state (`deployed`). A block this pull did not read is carried over from the file it
replaces (`carried`), never dropped: absent is unknown. Everything is sorted and nothing time-dependent
is written, so an unchanged organization pulls to the same bytes and a diff of the file is a diff of
the organization. The file is written to a temporary file beside the target and renamed over it only
after the whole read succeeded.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frontdoor.live.identity_center import LiveIdentityCenter
from frontdoor.live.organization import LiveAccount, LiveOrganization

HEADER = (
    "# Pulled from AWS by `frontdoor estate pull --stack {stack}`: the organization and Identity Center\n"
    "# as they are. Pull again rather than edit; `git diff` on this file is a diff of the organization.\n"
)


def _account(account: LiveAccount) -> dict[str, Any]:
    return {"id": account.id, "name": account.name, "state": account.status, "email": account.email}


# Blocks a pull may not read (no flag given): carried over from the existing file, in this order.
CARRIED_BLOCKS = ("oktaProfileAttributes", "okta", "configRecording", "deployed")


@dataclass(frozen=True)
class ManagementFacts:
    """What `estate pull` read of the management account beyond Organizations and Identity Center."""

    stack_sets_access: str
    iam_roles: Mapping[str, bool]
    oidc_providers: list[str]
    break_glass_users: Mapping[str, str | None]
    # Read only with their flags; else None (then carried over from the existing file).
    config_recording: Mapping[str, Any] | None = None
    deployed: Mapping[str, Any] | None = None
    carried: Mapping[str, Any] = field(default_factory=dict)  # blocks of the file being replaced


def delegations(organization: LiveOrganization) -> dict[str, list[str]]:
    """Service principal -> its delegated administrator accounts (the estate's shape)."""
    by_service: dict[str, set[str]] = {}
    for account, services in organization.delegated_admins.items():
        for service in services:
            by_service.setdefault(service, set()).add(account)
    return {service: sorted(accounts) for service, accounts in sorted(by_service.items())}


def estate_document(
    organization: LiveOrganization,
    center: LiveIdentityCenter,
    *,
    region: str,
    group_prefix: str,
    facts: ManagementFacts,
) -> dict[str, Any]:
    """The estate as a plain mapping, in the estate file's key order."""
    management = organization.accounts.get(organization.management_account_id) or LiveAccount(
        organization.management_account_id, "management", "", "ACTIVE"
    )

    def ou_tree(parent_id: str) -> list[dict[str, Any]]:
        return [
            {
                "id": ou.id,
                "name": ou.name,
                "accounts": [_account(a) for a in organization.accounts_in(ou.id)],
                "children": ou_tree(ou.id),
            }
            for ou in organization.children_of(parent_id)
        ]

    at_root = [
        _account(a)
        for a in organization.accounts_in(organization.root_id)
        if a.id != organization.management_account_id
    ]
    document: dict[str, Any] = {
        "organization": {
            "id": organization.id,
            "rootId": organization.root_id,
            "managementAccount": _account(management),
            "awsServiceAccessPrincipals": sorted(organization.trusted_services),
            "delegatedAdministrators": delegations(organization),
            "enabledPolicyTypes": sorted(k for k, v in organization.policy_types.items() if v == "ENABLED"),
            "stackSetsAccess": facts.stack_sets_access,
        },
        "identityCenter": {
            "instanceArn": center.instance_arn,
            "identityStoreId": center.identity_store_id,
            "region": region,
        },
        "accounts": at_root,
        "ous": ou_tree(organization.root_id),
        "syncedGroups": {
            name: center.groups[name] for name in sorted(center.groups) if name.startswith(group_prefix)
        },
        "managementAccount": {
            "iamRoles": dict(sorted(facts.iam_roles.items())),
            "oidcProviders": sorted(facts.oidc_providers),
            "breakGlassUsers": dict(sorted(facts.break_glass_users.items())),
        },
    }
    read = {"configRecording": facts.config_recording, "deployed": facts.deployed}
    for block in CARRIED_BLOCKS:
        value = read.get(block)
        if value is None:
            value = facts.carried.get(block)
        if value is not None:
            document[block] = value
    return document


def render_estate(document: dict[str, Any], stack: str) -> str:
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=120, allow_unicode=True)
    return HEADER.format(stack=stack) + body


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
