"""Import ids: each planned resource's live counterpart, and the id `pulumi import` takes for it.

Pure functions over two inputs: the PLANNED resources (what the program registers for the stack,
each with its URN, type, name, parent and provider, read from the offline engine's run) and the LIVE
estate (what the read side found in Identity Center, Organizations and IAM). For every planned
resource of an adoptable type the live object it corresponds to is looked up and given its import id
in the provider's format (the catalogue's identity of its type, frontdoor/domain/resource_types.py, from
pulumi-aws's "## Import" sections). A live object the plan would replace
rather than adopt is a `Replacement`; what could not be verified, or differs and is updated in place,
is a `ReportItem`. The URNs here are the ones the engine gives, so the import file can be checked back
against the program (frontdoor/domain/reconcile/adopt.py builds and checks the file).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontdoor.domain.base.urns import child_urn
from frontdoor.domain.contracts import (
    ACCESS_CONTROL_ATTRIBUTES,
    ACCOUNT_ASSIGNMENT,
    CUSTOMER_MANAGED_ATTACHMENT,
    INLINE_POLICY,
    MANAGED_ATTACHMENT,
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    PERMISSION_SET,
)
from frontdoor.domain.reconcile import drift as kinds
from frontdoor.domain.resource_types import (
    DELEGATED_ADMINISTRATOR,
    OIDC_PROVIDER,
    PERMISSIONS_BOUNDARY_ATTACHMENT,
    adoptable,
    import_id,
)

# The types with an identity in the catalogue: each has its branch in `ImportIdMapper.import_id`.
ADOPTABLE = adoptable()

# Report sections beyond drift's kinds.
UNVERIFIED = "unverified"  # a planned object whose live read was skipped (--no-boundary, --no-abac)
SCP_CHANGED = "scp-content-changed"


@dataclass(frozen=True)
class PlannedResource:
    """One resource the program registers, as the offline run recorded it."""

    urn: str
    type: str
    name: str
    parent_urn: str
    custom: bool
    provider_urn: str  # the provider's URN ("" for the default provider or a component)
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveSet:
    arn: str
    name: str
    description: str
    shape: kinds.PermissionSetShape


@dataclass(frozen=True)
class LiveScpPolicy:
    id: str
    name: str
    content: str | None  # canonical JSON; None when not read
    targets: frozenset[str]


@dataclass(frozen=True)
class LiveEstate:
    """What the read side found, in the terms the mapping needs."""

    instance_arn: str
    permission_sets: Mapping[str, LiveSet]  # by name
    group_names: Mapping[str, str]  # group id -> display name
    user_names: Mapping[str, str]  # user id -> user name
    assignments: frozenset[tuple[str, str, str, str]]  # (principal type, principal id, set ARN, account)
    scps: Mapping[str, LiveScpPolicy]  # by name, every customer-managed SCP of the organization
    delegated_admins: Mapping[str, frozenset[str]]  # account id -> service principals
    oidc_providers: Mapping[str, str]  # "<account>/<url without https://>" -> provider ARN
    abac_configured: bool | None  # None: not read (--no-abac)
    boundaries_read: bool = True


@dataclass(frozen=True, order=True)
class Replacement:
    subject: str
    message: str


@dataclass(frozen=True, order=True)
class ReportItem:
    kind: str
    subject: str
    detail: str = ""
    proposal: str = ""  # the config snippet that would own an out-of-config object


def _strip_url(url: str) -> str:
    return url.removeprefix("https://").rstrip("/")


def oidc_key(account_id: str, url: str) -> str:
    return f"{account_id}/{_strip_url(url)}"


def canonical(document: Any) -> str | None:
    if not document:
        return None
    parsed = json.loads(document) if isinstance(document, str) else document
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


def urn_for(stack_project: str, parent_urn: str | None, type_: str, name: str) -> str:
    """The URN `pulumi import` gives an entry: the engine's own form (frontdoor/domain/base/urns.py)."""
    return child_urn(stack_project, parent_urn, type_, name)


class ImportIdMapper:
    """Looks up the live counterpart of each planned resource and builds its import id."""

    def __init__(
        self, planned: Sequence[PlannedResource], live: LiveEstate, account_of_provider: Mapping[str, str]
    ) -> None:
        self.live = live
        self.account_of_provider = account_of_provider
        self.set_names = {
            str(r.outputs.get("arn")): str(r.inputs.get("name")) for r in planned if r.type == PERMISSION_SET
        }
        self.policy_names = {
            str(r.outputs.get("id") or r.name): str(r.inputs.get("name"))
            for r in planned
            if r.type == ORG_POLICY
        }
        self.replacements: list[Replacement] = []
        self.items: list[ReportItem] = []

    def _set(self, resource: PlannedResource) -> LiveSet | None:
        name = self.set_names.get(str(resource.inputs.get("permissionSetArn")))
        return self.live.permission_sets.get(name) if name else None

    def import_id(self, resource: PlannedResource) -> str | None:
        """The id `pulumi import` takes for this resource, or None when nothing live matches it."""
        inputs, instance = resource.inputs, self.live.instance_arn
        if resource.type == PERMISSION_SET:
            found = self.live.permission_sets.get(str(inputs.get("name")))
            if found and inputs.get("instanceArn") and inputs.get("instanceArn") != instance:
                self.replacements.append(
                    Replacement(
                        f"permission set {found.name}",
                        f"the plan's Identity Center instance {inputs.get('instanceArn')} is not the live "
                        f"one ({instance}): importing would replace every permission set (instanceArn "
                        "forces a new one); run `frontdoor estate pull` so the estate names the live "
                        "instance",
                    )
                )
            return import_id(PERMISSION_SET, arn=found.arn, instance_arn=instance) if found else None
        if resource.type in (
            MANAGED_ATTACHMENT,
            CUSTOMER_MANAGED_ATTACHMENT,
            INLINE_POLICY,
            PERMISSIONS_BOUNDARY_ATTACHMENT,
        ):
            ps = self._set(resource)
            if ps is None:
                return None
            in_set = {"permission_set_arn": ps.arn, "instance_arn": instance}
            if resource.type == MANAGED_ATTACHMENT:
                policy = str(inputs.get("managedPolicyArn"))
                present = policy in ps.shape.managed_policies
                return import_id(MANAGED_ATTACHMENT, managed_policy_arn=policy, **in_set) if present else None
            if resource.type == CUSTOMER_MANAGED_ATTACHMENT:
                reference = inputs.get("customerManagedPolicyReference") or {}
                path, name = reference.get("path") or "/", reference.get("name")
                present = f"{path}{name}" in ps.shape.customer_managed_policies
                return import_id(resource.type, name=str(name), path=path, **in_set) if present else None
            if resource.type == INLINE_POLICY:
                return import_id(INLINE_POLICY, **in_set) if ps.shape.inline_policy else None
            if not self.live.boundaries_read:
                self.items.append(ReportItem(UNVERIFIED, resource.name, "permissions boundary not read"))
                return None
            return import_id(PERMISSIONS_BOUNDARY_ATTACHMENT, **in_set) if ps.shape.boundary else None
        if resource.type == ACCOUNT_ASSIGNMENT:
            ps = self._set(resource)
            principal_id, kind = str(inputs.get("principalId")), str(inputs.get("principalType"))
            if kind == "GROUP" and principal_id not in self.live.group_names:
                self.replacements.append(
                    Replacement(
                        resource.name,
                        f"group id {principal_id} of the estate is not a live group: the group was "
                        "re-created or renamed, and the assignment would be re-made for another principal; "
                        "run `frontdoor estate pull` so the estate carries the live group ids",
                    )
                )
                return None
            key = (kind, principal_id, ps.arn if ps else "", str(inputs.get("targetId")))
            if ps is None or key not in self.live.assignments:
                return None
            return import_id(
                ACCOUNT_ASSIGNMENT,
                principal_id=principal_id,
                principal_type=kind,
                target_id=key[3],
                target_type=str(inputs.get("targetType") or "AWS_ACCOUNT"),
                permission_set_arn=ps.arn,
                instance_arn=instance,
            )
        if resource.type == ORG_POLICY:
            scp = self.live.scps.get(str(inputs.get("name")))
            if scp is None:
                return None
            if scp.content is not None and scp.content != canonical(inputs.get("content")):
                self.items.append(
                    ReportItem(
                        SCP_CHANGED, scp.name, "content differs live: updated in place on the next run"
                    )
                )
            return import_id(ORG_POLICY, id=scp.id)
        if resource.type == ORG_POLICY_ATTACHMENT:
            name = self.policy_names.get(str(inputs.get("policyId")))
            scp = self.live.scps.get(name or "")
            target = str(inputs.get("targetId"))
            if scp is None or target not in scp.targets:
                return None
            return import_id(ORG_POLICY_ATTACHMENT, target_id=target, policy_id=scp.id)
        if resource.type == DELEGATED_ADMINISTRATOR:
            account, service = str(inputs.get("accountId")), str(inputs.get("servicePrincipal"))
            if service in self.live.delegated_admins.get(account, frozenset()):
                return import_id(DELEGATED_ADMINISTRATOR, account_id=account, service_principal=service)
            others = sorted(a for a, s in self.live.delegated_admins.items() if service in s)
            if others:
                self.replacements.append(
                    Replacement(
                        f"delegated administrator of {service}",
                        f"account {others[0]} is the live delegated administrator, the config plans "
                        f"{account}: the registration would be replaced and every permission set moved; "
                        f"set organization.identityCenterAccountId to {others[0]} in the stack config",
                    )
                )
            return None
        if resource.type == OIDC_PROVIDER:
            account = self.account_of_provider.get(
                resource.provider_urn, self.account_of_provider.get("", "")
            )
            arn = self.live.oidc_providers.get(oidc_key(account, str(inputs.get("url"))))
            return import_id(OIDC_PROVIDER, arn=arn) if arn else None
        if resource.type == ACCESS_CONTROL_ATTRIBUTES:
            if self.live.abac_configured is None:
                self.items.append(ReportItem(UNVERIFIED, resource.name, "access control attributes not read"))
                return None
            configured = self.live.abac_configured
            return import_id(ACCESS_CONTROL_ATTRIBUTES, instance_arn=instance) if configured else None
        return None
