"""A permission set has at most `maxPerPermissionSet` (default 10) managed policies attached.

Counted per `permissionSetArn`: each ManagedPolicyAttachment and CustomerManagedPolicyAttachment,
plus every ARN of a ManagedPolicyAttachmentsExclusive. The default follows IAM's quota of 10 managed
policies per role, which Identity Center's own limit of 20 depends on; raise it only after raising
that IAM quota in every target account.

Unknown at preview: an unknown `permissionSetArn` is grouped by the PermissionSet it depends on; with
no such dependency, or an unknown ARN list, the rule defers (SDK advisory "can't run policy during
preview").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    CUSTOMER_MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENTS_EXCLUSIVE,
    PERMISSION_SET,
    StackResource,
    config_number,
    defer,
    format_number,
    of_type,
    resolve,
    stack_view,
)

NAME = "managed-policies-per-permission-set"
DESCRIPTION = "Permission sets stay within the managed-policies-per-role quota."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={"maxPerPermissionSet": {"type": "integer", "minimum": 1, "maximum": 20, "default": 10}}
)


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        limit = config_number(config, "maxPerPermissionSet", 10)
    except ValueError as error:
        return [(None, f"cannot count managed policies: {error}; fix the pack config")]
    permission_sets = of_type(resources, PERMISSION_SET)
    counts: dict[str, int] = {}
    first_over: dict[str, str] = {}
    attachments = of_type(
        resources, MANAGED_ATTACHMENT, CUSTOMER_MANAGED_ATTACHMENT, MANAGED_ATTACHMENTS_EXCLUSIVE
    )
    for attachment in attachments:
        key = _permission_set_label(attachment, permission_sets)
        counts[key] = counts.get(key, 0) + _policy_count(attachment)
        if counts[key] > limit:
            first_over.setdefault(key, attachment.urn)
    return [
        (
            urn,
            f"{key} has {counts[key]} managed policies attached (AWS-managed + customer-managed), above "
            f"the limit of {format_number(limit)} (IAM's managed-policies-per-role quota); consolidate "
            "policies, or raise maxPerPermissionSet in the pack config after raising that IAM quota in every "
            "target account",
        )
        for key, urn in first_over.items()
    ]


def _permission_set_label(attachment: StackResource, permission_sets: Sequence[StackResource]) -> str:
    permission_set = resolve(attachment, "permissionSetArn", permission_sets, "arn")
    if permission_set is not None:
        return f'permission set "{permission_set.props.get("name") or permission_set.name}"'
    arn = attachment.props.get("permissionSetArn")
    defer(arn, f"{attachment.urn}.permissionSetArn")
    return f'permission set "{arn}"'


def _policy_count(attachment: StackResource) -> int:
    if attachment.type != MANAGED_ATTACHMENTS_EXCLUSIVE:
        return 1
    arns = attachment.props.get("managedPolicyArns") or []
    defer(arns, f"{attachment.urn}.managedPolicyArns")
    return len(arns) if isinstance(arns, list) else 1


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
