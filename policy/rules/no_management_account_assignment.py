"""No permission set is assigned in the management account, unless the set is allow-listed.

SCPs do not apply to the management account, so access there bypasses every guardrail. The
management account id is `managementAccountId` in the pack config, else the `managementAccountId`
input of frontdoor's `frontdoor:aws:OrganizationPlumbing` component. Assignments of permission sets
named in `allowedPermissionSets` (default none) are allowed. No assignments: nothing to check.
Assignments but no known management account: a violation asking for the id (fail closed), as is an
assignment there whose permission set cannot be resolved to a name.

Unknown at preview: an unknown management account id or assignment target defers the rule (SDK
advisory "can't run policy during preview").
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
    ACCOUNT_ASSIGNMENT,
    ORGANIZATION_PLUMBING,
    PERMISSION_SET,
    StackResource,
    config_str_list,
    defer,
    display,
    of_type,
    resolve,
    stack_view,
)

NAME = "no-management-account-assignment"
DESCRIPTION = "Permission sets are not assigned in the management account, except allow-listed ones."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "managementAccountId": {"type": "string", "pattern": "^[0-9]{12}$"},
        "allowedPermissionSets": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Permission set names that may be assigned in the management account.",
        },
    }
)


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    assignments = of_type(resources, ACCOUNT_ASSIGNMENT)
    if not assignments:
        return []
    try:
        allowed = config_str_list(config, "allowedPermissionSets")
    except ValueError as error:
        return [(None, f"cannot check management account assignments: {error}; fix the pack config")]
    management = _management_account(resources, config)
    if management is None:
        return [
            (
                None,
                "the stack has account assignments but no management account id is known; set "
                "managementAccountId in the pack config or pass it to OrganizationPlumbing",
            )
        ]
    permission_sets = of_type(resources, PERMISSION_SET)
    result: list[tuple[str | None, str]] = []
    for assignment in assignments:
        target = assignment.props.get("targetId")
        defer(target, f"{assignment.urn}.targetId")
        if target != management:
            continue
        permission_set = resolve(assignment, "permissionSetArn", permission_sets, "arn")
        if permission_set is None:
            arn = display(assignment.props.get("permissionSetArn"))
            shown = f"arn {arn}, which matches no PermissionSet here"
        else:
            name = permission_set.props.get("name")
            defer(name, f"{permission_set.urn}.name")
            if name in allowed:
                continue
            shown = f'"{name}"'
        result.append(
            (
                assignment.urn,
                f"account assignment grants permission set {shown} in the management account {management}, "
                "where SCPs do not apply; assign it to member accounts only, or add the set to "
                "allowedPermissionSets in the pack config",
            )
        )
    return result


def _management_account(resources: Sequence[StackResource], config: Mapping[str, Any]) -> str | None:
    configured = config.get("managementAccountId")
    if isinstance(configured, str) and configured:
        return configured
    for plumbing in of_type(resources, ORGANIZATION_PLUMBING):
        value = plumbing.props.get("managementAccountId")
        defer(value, f"{plumbing.urn}.managementAccountId")
        if isinstance(value, str) and value:
            return value
    return None


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
