"""Identity Center attributes for access control (ABAC): session tag key -> SCIM path.

Owns the instance's single `aws.ssoadmin.InstanceAccessControlAttributes`. The list sent to AWS is
built from a mapping keyed by attribute NAME and sorted by it, so adding, removing or reordering an
attribute never shifts another one (the aws-ia module keyed them by list position, issue #65,
"potentially breaking SSO authentication"). It is protected: deleting it removes every session tag
at once, and every ABAC policy that reads `aws:PrincipalTag/...` then denies everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

TYPE = "frontdoor:aws:AccessControlAttributes"


def attribute_list(
    mapping: Mapping[str, str],
) -> list[aws.ssoadmin.InstanceAccessControlAttributesAttributeArgsDict]:
    """The `attributes` input: one entry per key, sorted by key, one SCIM source each."""
    return [{"key": key, "values": [{"sources": [mapping[key]]}]} for key in sorted(mapping)]


@dataclass(frozen=True, kw_only=True)
class AccessControlAttributesArgs:
    instance_arn: str
    # Session tag key -> `${path:...}` SCIM path, as validated by IdentityCenterConfig.
    attributes: Mapping[str, str]
    provider: aws.Provider
    protect: bool = True
    # Enabled by hand already: import the configuration by instance ARN
    # (bootstrap.adoptAccessControlAttributes).
    adopt: bool = False


class AccessControlAttributes(pulumi.ComponentResource):
    resource: aws.ssoadmin.InstanceAccessControlAttributes

    def __init__(
        self, name: str, args: AccessControlAttributesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.attributes:
            raise ValueError(
                "AccessControlAttributes needs at least one attribute; create the component only when "
                "identityCenter.accessControlAttributes is set"
            )
        super().__init__(TYPE, name, None, opts)
        self.resource = aws.ssoadmin.InstanceAccessControlAttributes(
            name,
            instance_arn=args.instance_arn,
            attributes=attribute_list(args.attributes),
            opts=pulumi.ResourceOptions(
                parent=self,
                # Identity Center lives in the delegated administrator account.
                provider=args.provider,
                # Deleting the mapping strips every session tag: all ABAC policies would deny at once.
                protect=args.protect,
                import_=args.instance_arn if args.adopt else None,
            ),
        )
        self.register_outputs({"attributeKeys": sorted(args.attributes)})
