"""AdministratorAccess is attached only to allow-listed permission sets (default: PlatformAdmin).

Attachments carry `permissionSetArn`, not the set's name, so this is a stack rule: the ARN is
resolved to the PermissionSet resource in the same stack (equal to its `arn` output, or through the
property's dependencies when the ARN is still unknown at preview). An attachment that cannot be
resolved is a violation (fail closed): the pack cannot prove the set is allowed.

Unknown at preview: an unknown `managedPolicyArn(s)` or permission set name defers the rule (SDK
advisory "can't run policy during preview"); unknown ARNs are resolved through dependencies.
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
    ADMIN_POLICY_ARN,
    MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENTS_EXCLUSIVE,
    PERMISSION_SET,
    StackResource,
    config_str_list,
    defer,
    display,
    of_type,
    resolve,
    stack_view,
)

NAME = "admin-access-restricted"
DESCRIPTION = "AdministratorAccess is attached only to allow-listed permission sets."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedPermissionSets": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["PlatformAdmin"],
            "description": "Permission set names that may carry AdministratorAccess.",
        }
    }
)


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        allowed = config_str_list(config, "allowedPermissionSets", ["PlatformAdmin"])
    except ValueError as error:
        return [(None, f"cannot check AdministratorAccess attachments: {error}; fix the pack config")]
    permission_sets = of_type(resources, PERMISSION_SET)
    result: list[tuple[str | None, str]] = []
    for attachment in of_type(resources, MANAGED_ATTACHMENT, MANAGED_ATTACHMENTS_EXCLUSIVE):
        if not _attaches_admin(attachment):
            continue
        target = resolve(attachment, "permissionSetArn", permission_sets, "arn")
        if target is None:
            arn = display(attachment.props.get("permissionSetArn"))
            result.append(
                (
                    attachment.urn,
                    f"AdministratorAccess is attached to permission set arn {arn}, which matches no "
                    "PermissionSet in this stack, so the pack cannot prove it is allow-listed; manage the "
                    "permission set in this stack or remove the attachment",
                )
            )
            continue
        name = target.props.get("name")
        defer(name, f"{target.urn}.name")
        if name not in allowed:
            result.append(
                (
                    attachment.urn,
                    f'AdministratorAccess is attached to permission set "{name}", which is not in '
                    f"allowedPermissionSets {allowed}; attach a narrower policy or add the set to "
                    "allowedPermissionSets in the pack config",
                )
            )
    return result


def _attaches_admin(attachment: StackResource) -> bool:
    if attachment.type == MANAGED_ATTACHMENT:
        arns: Any = [attachment.props.get("managedPolicyArn")]
    else:
        arns = attachment.props.get("managedPolicyArns") or []
        defer(arns, f"{attachment.urn}.managedPolicyArns")
    for arn in arns:
        defer(arn, f"{attachment.urn}.managedPolicyArn")
        if isinstance(arn, str) and ADMIN_POLICY_ARN.match(arn):
            return True
    return False


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
