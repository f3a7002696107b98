"""Every Identity Center account assignment binds a GROUP (synced from Okta by SCIM), never a user.

Unknown at preview: an unknown `principalType` defers the rule (SDK advisory "can't run policy
during preview"); the update run judges the real value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import ACCOUNT_ASSIGNMENT

NAME = "assignments-to-groups-only"
DESCRIPTION = "Account assignments bind groups to permission sets, never individual users."
ENFORCEMENT = EnforcementLevel.MANDATORY


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    principal_type = props.get("principalType")
    if principal_type == "GROUP":
        return []
    shown = f'"{principal_type}"' if isinstance(principal_type, str) else "missing"
    return [
        f"account assignment has principalType {shown}; only GROUP principals may be assigned: assign the "
        'person\'s Okta group (synced to Identity Center by SCIM) with principal_type="GROUP"'
    ]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != ACCOUNT_ASSIGNMENT:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
