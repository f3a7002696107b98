"""Program-side reads of Identity Center: the instance, and the groups SCIM has synced.

Both are plain invokes through the Identity Center provider, answered at preview time (by the real
provider, or by the offline engine's estate). Groups are read with ONE `identitystore.get_groups`
listing per run and looked up by display name in memory: one call instead of one per group (the
SSO/Identity Store APIs throttle at a collective 20 TPS), and a group that is not synced yet is simply
absent, never a hard failure of a per-group lookup (reliability F11).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from frontdoor.domain.planning.organization import IdentityCenterInstance


class IdentityCenterNotFound(RuntimeError):
    """No Identity Center instance is visible through the provider."""


class AmbiguousGroupName(RuntimeError):
    """Two identity-store groups share a display name, so a lookup by name could pick the wrong one."""


def read_instance(provider: pulumi.ProviderResource) -> IdentityCenterInstance:
    """The Identity Center instance ARN and identity store id (unpacks as a 2-tuple)."""
    result = aws.ssoadmin.get_instances(opts=pulumi.InvokeOptions(provider=provider))
    if not result.arns or not result.identity_store_ids:
        raise IdentityCenterNotFound(
            "no IAM Identity Center instance is visible to the Identity Center provider: enable Identity "
            "Center for the organization, check that organization.identityCenterAccountId is its delegated "
            "administrator, and that organization.region is the Identity Center home region "
            "(ListInstances answers empty in any other region)"
        )
    return IdentityCenterInstance(result.arns[0], result.identity_store_ids[0])


def read_synced_groups(identity_store_id: str, provider: pulumi.ProviderResource) -> dict[str, str]:
    """Display name -> group id of every group in the identity store, from one listing."""
    result = aws.identitystore.get_groups(
        identity_store_id=identity_store_id, opts=pulumi.InvokeOptions(provider=provider)
    )
    groups: dict[str, str] = {}
    duplicates: set[str] = set()
    for group in result.groups:
        if group.display_name in groups and groups[group.display_name] != group.group_id:
            duplicates.add(group.display_name)
        groups[group.display_name] = group.group_id
    if duplicates:
        raise AmbiguousGroupName(
            f"identity store {identity_store_id} has several groups named {', '.join(sorted(duplicates))}: "
            "assignments look groups up by display name, so rename or delete the stray copies first"
        )
    return groups
