"""One IAM Identity Center permission set and everything attached to it.

Owns the `aws.ssoadmin.PermissionSet` (explicit `name`, never autonamed: the name is immutable in
AWS, and renaming replaces the set, every assignment on it and the `AWSReservedSSO_<name>_*` roles in
every account, reliability F3), one `ManagedPolicyAttachment` per AWS-managed policy, one
`CustomerManagedPolicyAttachment` per customer-managed reference, the inline policy rendered from the
catalogue entry, and the permissions boundary. Child logical names are natural keys (policy name,
path), never list positions. `.attachments` lists every policy-bearing child so account assignments
can depend on them: creates then attach policies before provisioning, deletes remove assignments
first (reliability F5). Validation lives in `PermissionSetConfig`; this component only wires it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.permission_sets import CustomerManagedPolicy, PermissionSetConfig

TYPE = "frontdoor:aws:PermissionSet"

_PolicyReference = aws.ssoadmin.CustomerManagedPolicyAttachmentCustomerManagedPolicyReferenceArgs
_Boundary = aws.ssoadmin.PermissionsBoundaryAttachmentPermissionsBoundaryArgs
_BoundaryReference = (
    aws.ssoadmin.PermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReferenceArgs
)


def managed_policy_key(arn: str) -> str:
    """`ReadOnlyAccess` for arn:aws:iam::aws:policy/ReadOnlyAccess; keeps an AWS path (job-function/…)."""
    return arn.split(":policy/", 1)[1]


def customer_policy_key(policy: CustomerManagedPolicy) -> str:
    """`cmp/<path><name>`: path starts and ends with '/', so `cmp/Boundary` or `cmp/teams/Boundary`."""
    return f"cmp{policy.path}{policy.name}"


@dataclass(frozen=True, kw_only=True)
class PermissionSetArgs:
    # The set's name in AWS (its key under `permissionSets`): 1-32 characters, validated by the model.
    name: str
    config: PermissionSetConfig
    instance_arn: str
    provider: aws.Provider


class PermissionSet(pulumi.ComponentResource):
    name: str
    arn: pulumi.Output[str]
    permission_set: aws.ssoadmin.PermissionSet
    attachments: list[pulumi.Resource]

    def __init__(
        self, name: str, args: PermissionSetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        config = args.config
        # Identity Center lives in the delegated administrator account: every child uses its provider.
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        self.permission_set = aws.ssoadmin.PermissionSet(
            name,
            name=args.name,
            instance_arn=args.instance_arn,
            description=config.description,
            session_duration=config.session_duration,
            relay_state=config.relay_state,
            tags=dict(config.tags) or None,
            opts=child,
        )
        arn = self.permission_set.arn
        attachments: list[pulumi.Resource] = []
        for policy_arn in sorted(config.aws_managed_policies):
            attachments.append(
                aws.ssoadmin.ManagedPolicyAttachment(
                    f"{name}/{managed_policy_key(policy_arn)}",
                    instance_arn=args.instance_arn,
                    permission_set_arn=arn,
                    managed_policy_arn=policy_arn,
                    opts=child,
                )
            )
        for policy in sorted(config.customer_managed_policies, key=customer_policy_key):
            attachments.append(
                aws.ssoadmin.CustomerManagedPolicyAttachment(
                    f"{name}/{customer_policy_key(policy)}",
                    instance_arn=args.instance_arn,
                    permission_set_arn=arn,
                    customer_managed_policy_reference=_PolicyReference(name=policy.name, path=policy.path),
                    opts=child,
                )
            )
        document = inline_policy_document(config)
        if document is not None:
            attachments.append(
                aws.ssoadmin.PermissionSetInlinePolicy(
                    f"{name}/inline",
                    instance_arn=args.instance_arn,
                    permission_set_arn=arn,
                    inline_policy=render_policy(document),
                    opts=child,
                )
            )
        boundary = config.permissions_boundary
        if boundary is not None:
            reference = boundary.customer_managed_policy
            attachments.append(
                aws.ssoadmin.PermissionsBoundaryAttachment(
                    f"{name}/boundary",
                    instance_arn=args.instance_arn,
                    permission_set_arn=arn,
                    permissions_boundary=_Boundary(
                        managed_policy_arn=boundary.aws_managed_policy_arn,
                        customer_managed_policy_reference=None
                        if reference is None
                        else _BoundaryReference(name=reference.name, path=reference.path),
                    ),
                    opts=child,
                )
            )
        self.name = args.name
        self.arn = arn
        self.attachments = attachments
        self.register_outputs({"arn": arn, "name": args.name})
