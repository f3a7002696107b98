"""Every permission set is assigned somewhere (advisory): an unassigned set is dead weight to review.

A set counts as used when some AccountAssignment's `permissionSetArn` equals its `arn` output, or
depends on it (how references are seen at preview, while ARNs are unknown).

Unknown at preview: if a set looks unused but some assignment's ARN is unknown with no dependency
to resolve it, the rule defers (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from ._common import ACCOUNT_ASSIGNMENT, PERMISSION_SET, StackResource, defer, of_type, resolve, stack_view

NAME = "unused-permission-set"
DESCRIPTION = "Permission sets have at least one account assignment."
ENFORCEMENT = EnforcementLevel.ADVISORY


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    permission_sets = of_type(resources, PERMISSION_SET)
    used: set[str] = set()
    unresolved: list[StackResource] = []
    for assignment in of_type(resources, ACCOUNT_ASSIGNMENT):
        permission_set = resolve(assignment, "permissionSetArn", permission_sets, "arn")
        if permission_set is None:
            unresolved.append(assignment)
        else:
            used.add(permission_set.urn)
    result: list[tuple[str | None, str]] = []
    for permission_set in permission_sets:
        if permission_set.urn in used:
            continue
        for assignment in unresolved:
            defer(assignment.props.get("permissionSetArn"), f"{assignment.urn}.permissionSetArn")
        name = permission_set.props.get("name") or permission_set.name
        result.append(
            (
                permission_set.urn,
                f'permission set "{name}" is not assigned to any group in any account; assign it (a grant in '
                "a team's access) or delete it",
            )
        )
    return result


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
