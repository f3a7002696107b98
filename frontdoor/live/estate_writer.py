"""The estate file from a live read: the document `estate pull` writes, byte-stable, atomically.

The document is the existing estate format (`frontdoor.offline.estate.Estate`): organization,
Identity Center instance, accounts under the root, the OU tree, and the synced groups whose display
name starts with the push prefix. Everything is sorted (OUs by name, accounts by id, groups by
name) and nothing time-dependent is written, so an unchanged organization pulls to the same bytes
and a diff of the file is a diff of the organization. The file is written to a temporary file
beside the target and renamed over it only after the whole read succeeded.
"""

from __future__ import annotations

import os
import tempfile
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


def estate_document(
    organization: LiveOrganization, center: LiveIdentityCenter, *, region: str, group_prefix: str
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
    return {
        "organization": {
            "id": organization.id,
            "rootId": organization.root_id,
            "managementAccount": _account(management),
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
    }


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
