"""SCIM provisioning from Okta to Identity Center: what the API can own (push mappings) and what it can't.

Owns every Group Push mapping of the AWS app (`okta.PushGroup`, one per pushed group, created through
`push()`), so "what crosses into AWS" is one subtree and one guard: only groups with the push prefix,
never the app assignment group (Okta does not support pushing a group that also assigns the app).
A push mapping never deletes the Identity Center group (`delete_target_group_on_destroy=False`): a
deleted-and-re-pushed group gets a new id and every account assignment on the old one breaks (F11);
and each mapping is protected.

Not owned, because Okta's API cannot set them for `amazon_aws_sso` (technical-facts §6): the SCIM
connection (base URL + bearer token, Provisioning > Integration) is console-only, so the token is
not an input here and is never stored in Pulumi state; only its expiry date is tracked, as the
component input `tokenExpiresOn` read by the `scim-token-expiry` policy (docs/scim-runbook.md).
`okta.app.Features` (the "To App" create/update/deactivate switches) is documented as supported only
for a subset of OIN apps and cannot be deleted once registered; it is registered only when
`manage_features=True`, after the console step, in an org where the API accepted it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from frontdoor.domain import contracts
from frontdoor.domain.contracts import ScimTokenExpiry

TYPE = contracts.SCIM_PROVISIONING


@dataclass(frozen=True, kw_only=True)
class ScimProvisioningArgs:
    app_id: pulumi.Input[str]
    push_group_prefix: str = "aws-"
    # OktaConfig.app_assignment_group: refused by push() whatever its name.
    app_assignment_group: str
    # The Identity Center SCIM access token's expiry (valid one year); None: not tracked yet.
    token_expires_on: dt.date | None = None
    manage_features: bool = False
    # OktaConfig.provisioning_enabled: until the console step is done, push() registers nothing.
    provisioning_enabled: bool = True
    protect: bool = True

    def __post_init__(self) -> None:
        if not self.push_group_prefix or not self.push_group_prefix.endswith("-"):
            raise ValueError(
                f"push_group_prefix {self.push_group_prefix!r} must be non-empty and end with '-'"
            )
        if self.app_assignment_group.startswith(self.push_group_prefix):
            raise ValueError(
                f"app assignment group {self.app_assignment_group!r} starts with the push prefix "
                f"{self.push_group_prefix!r}; Okta cannot assign and push the same group"
            )


class ScimProvisioning(pulumi.ComponentResource):
    token_expires_on: str | None
    push_group_prefix: str
    features: okta.app.Features | None
    pushes: dict[str, okta.PushGroup]
    waiting: list[str]

    def __init__(
        self, name: str, args: ScimProvisioningArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        self.token_expires_on = args.token_expires_on.isoformat() if args.token_expires_on else None
        self.push_group_prefix = args.push_group_prefix
        # Component inputs, so CrossGuard sees them on this resource (policy rule scim-token-expiry).
        props = {
            **ScimTokenExpiry(self.token_expires_on).to_inputs(),
            "pushGroupPrefix": self.push_group_prefix,
        }
        super().__init__(TYPE, name, props, opts)
        self._name = name
        self._args = args
        self.pushes = {}
        self.waiting = []

        self.features = None
        if args.manage_features:
            self.features = okta.app.Features(
                f"{name}-user-provisioning",
                app_id=args.app_id,
                name="USER_PROVISIONING",
                status="ENABLED",
                capabilities=okta.app.FeaturesCapabilitiesArgs(
                    create=okta.app.FeaturesCapabilitiesCreateArgs(
                        lifecycle_create=okta.app.FeaturesCapabilitiesCreateLifecycleCreateArgs(
                            status="ENABLED"
                        )
                    ),
                    update=okta.app.FeaturesCapabilitiesUpdateArgs(
                        profile=okta.app.FeaturesCapabilitiesUpdateProfileArgs(status="ENABLED"),
                        # A deactivation in Okta must deactivate the user in AWS too: that is the leaver path.
                        lifecycle_deactivate=okta.app.FeaturesCapabilitiesUpdateLifecycleDeactivateArgs(
                            status="ENABLED"
                        ),
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )

        self.register_outputs(dict(props))

    def check_pushable(self, group_name: str) -> None:
        """Raise ValueError unless `group_name` may be pushed to Identity Center."""
        prefix = self.push_group_prefix
        if group_name == self._args.app_assignment_group:
            raise ValueError(
                f"{group_name!r} is the app assignment group and is never pushed "
                "(Okta does not support one group for both app assignment and Group Push)"
            )
        if not group_name.startswith(prefix) or len(group_name) == len(prefix):
            raise ValueError(
                f"only groups named {prefix}<name> are pushed to Identity Center, not {group_name!r}"
            )
        if group_name in self.pushes or group_name in self.waiting:
            raise ValueError(f"group {group_name!r} is already pushed")

    def push(self, group_name: str, group_id: pulumi.Input[str]) -> okta.PushGroup | None:
        """Push one Okta group to Identity Center under the same name (a child of this component).

        None while the app's provisioning is not enabled yet (first-run stage d): the group waits in
        `waiting`, and the next run after `provisioningEnabled: true` pushes it.
        """
        self.check_pushable(group_name)
        if not self._args.provisioning_enabled:
            self.waiting.append(group_name)
            return None
        mapping = okta.PushGroup(
            f"{group_name}-push",
            app_id=self._args.app_id,
            source_group_id=group_id,
            status="ACTIVE",
            # Named explicitly: assignments look the Identity Center group up by this display name.
            target_group_name=group_name,
            # The default (True) deletes the Identity Center group, and every account assignment on
            # it, when this mapping is destroyed or replaced.
            delete_target_group_on_destroy=False,
            # Unlinking a push breaks every assignment keyed on the group's id; make it deliberate.
            opts=pulumi.ResourceOptions(parent=self, protect=self._args.protect),
        )
        self.pushes[group_name] = mapping
        return mapping
