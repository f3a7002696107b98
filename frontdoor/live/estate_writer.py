"""The estate file from a live read: the document `estate pull` writes, byte-stable, atomically.

The document is the estate format (`frontdoor.offline.estate.Estate`): organization (with trusted
access, delegated administrators per service, the root's enabled policy types, StackSets' organizations
access), Identity Center instance, accounts under the root, the OU tree, the synced groups whose display
name starts with the push prefix, the management account's IAM facts (the stack's roles, the OIDC
providers, the break-glass users), and, when read, the AWS Config recorders (`configRecording`) and the
stack's own state (`deployed`). A block this pull did not read is carried over from the file it
replaces (`carried`), never dropped: absent is unknown. Everything is sorted and nothing time-dependent
is written, so an unchanged organization pulls to the same bytes and a diff of the file is a diff of
the organization. Every identifier is written quoted, and so is any string a YAML 1.1 or 1.2 reader
would take for something else (a leading-zero account id is an integer to ruamel and yq, `yes` a
boolean to YAML 1.1): every reader gets back the same strings. The file is written to a temporary
file beside the target and renamed over it only after the whole read succeeded.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from frontdoor.live.identity_center import LiveIdentityCenter
from frontdoor.live.organization import LiveAccount, LiveOrganization

HEADER = (
    "# Pulled from AWS by `frontdoor estate pull --stack {stack}`: the organization and Identity Center\n"
    "# as they are. Pull again rather than edit; `git diff` on this file is a diff of the organization.\n"
)


class Identifier(str):
    """An AWS identifier (account, OU, root, organization, group id, ARN): always written quoted."""

    __slots__ = ()


STR_TAG = "tag:yaml.org,2002:str"
# The readers a pulled file meets: YAML 1.2 (ruamel's round trip, yq) and YAML 1.1 (PyYAML, ruamel 1.1).
_RUAMEL_READERS = (VersionedResolver(version=(1, 2)), VersionedResolver(version=(1, 1)))
_PYYAML_READER = yaml.resolver.Resolver()


def read_as_other_than_text(value: str) -> bool:
    """Whether a YAML 1.1 or 1.2 reader resolves `value`, written plain, to anything but a string."""
    implicit = (True, False)
    tags = [str(r.resolve(ScalarNode, value, implicit)) for r in _RUAMEL_READERS]
    # types-PyYAML leaves Resolver.resolve unannotated.
    tags.append(_PYYAML_READER.resolve(yaml.ScalarNode, value, implicit))  # type: ignore[no-untyped-call]
    return any(tag != STR_TAG for tag in tags)


class EstateDumper(yaml.SafeDumper):
    """SafeDumper that quotes identifiers and every string another YAML reader would not read back."""


# Line breaks in YAML 1.1 but ordinary characters in YAML 1.2 (NEL, LS, PS): written raw, the two
# readers would disagree, so a string holding one is written double-quoted, where they are escapes.
_BREAKS_IN_ONE_VERSION = frozenset("\x85\u2028\u2029")


def _style(value: str) -> str | None:
    if any(ch in _BREAKS_IN_ONE_VERSION or not ch.isprintable() for ch in value):
        return '"'
    return "'" if isinstance(value, Identifier) or read_as_other_than_text(value) else None


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(STR_TAG, str(value), style=_style(value))


EstateDumper.add_representer(str, _represent_text)
EstateDumper.add_representer(Identifier, _represent_text)


def _ids(values: Any) -> list[str]:
    return [Identifier(value) for value in values]


def _account(account: LiveAccount) -> dict[str, Any]:
    return {
        "id": Identifier(account.id),
        "name": account.name,
        "state": account.status,
        "email": account.email,
    }


# Blocks a pull may not read (no flag given): carried over from the existing file, in this order.
# No pull reads Okta or other stacks' outputs (`stackOutputs`, what a StackReference reads).
CARRIED_BLOCKS = ("oktaProfileAttributes", "okta", "stackOutputs", "configRecording", "deployed")
# Blocks only some stacks read: absent from the file being replaced, nothing is said about them.
ONLY_SOME_STACKS_READ = frozenset({"stackOutputs"})


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
    return {service: _ids(sorted(accounts)) for service, accounts in sorted(by_service.items())}


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
                "id": Identifier(ou.id),
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
            "id": Identifier(organization.id),
            "rootId": Identifier(organization.root_id),
            "managementAccount": _account(management),
            "featureSet": organization.feature_set,
            "awsServiceAccessPrincipals": sorted(organization.trusted_services),
            "delegatedAdministrators": delegations(organization),
            "enabledPolicyTypes": sorted(k for k, v in organization.policy_types.items() if v == "ENABLED"),
            "stackSetsAccess": facts.stack_sets_access,
        },
        "identityCenter": {
            "instanceArn": Identifier(center.instance_arn),
            "identityStoreId": Identifier(center.identity_store_id),
            "region": region,
        },
        "accounts": at_root,
        "ous": ou_tree(organization.root_id),
        "syncedGroups": {
            name: Identifier(center.groups[name])
            for name in sorted(center.groups)
            if name.startswith(group_prefix)
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
    body = yaml.dump(
        document,
        Dumper=EstateDumper,
        sort_keys=False,
        default_flow_style=False,
        width=120,
        allow_unicode=True,
    )
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
