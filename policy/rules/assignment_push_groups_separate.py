"""No Okta group is both pushed to Identity Center and used to assign the AWS app.

Okta does not support assigning an app and pushing to it through the same group, so the pushed
group (`sourceGroupId` of a PushGroup) and the assignment group (`groupId` of an app
GroupAssignment, or `groups[].id` of AppGroupAssignments) must differ. Groups are identified by the
okta Group resource they resolve to (id output or dependencies), else by their id value.

Unknown at preview: an id that is unknown and has no dependency on a Group cannot collide with
anything we can name and is skipped; the update run sees the real ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from ._common import (
    OKTA_APP_GROUP_ASSIGNMENTS,
    OKTA_GROUP,
    OKTA_GROUP_ASSIGNMENT,
    OKTA_PUSH_GROUP,
    StackResource,
    is_unknown,
    of_type,
    resolve,
    stack_view,
)

NAME = "assignment-push-groups-separate"
DESCRIPTION = "The app-assignment group and the pushed group are different Okta groups."
ENFORCEMENT = EnforcementLevel.MANDATORY


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    groups = of_type(resources, OKTA_GROUP)
    by_id = {g.props.get("id"): g for g in groups if not is_unknown(g.props.get("id"))}
    assigned: set[str] = set()
    for assignment in of_type(resources, OKTA_GROUP_ASSIGNMENT):
        group = resolve(assignment, "groupId", groups, "id")
        assigned.add(group.urn if group else str(assignment.props.get("groupId")))
    for bulk in of_type(resources, OKTA_APP_GROUP_ASSIGNMENTS):
        entries = bulk.props.get("groups")
        for entry in entries if isinstance(entries, list) else []:
            group_id = entry.get("id") if isinstance(entry, Mapping) else None
            if not is_unknown(group_id):
                assigned.add(by_id[group_id].urn if group_id in by_id else str(group_id))
        # Unknown ids inside the list: every Group the list was computed from is assigned.
        assigned.update(
            u for u in bulk.property_dependencies.get("groups", ()) if u in {g.urn for g in groups}
        )
    result: list[tuple[str | None, str]] = []
    for push in of_type(resources, OKTA_PUSH_GROUP):
        group = resolve(push, "sourceGroupId", groups, "id")
        key = group.urn if group else str(push.props.get("sourceGroupId"))
        if key in assigned and not is_unknown(key):
            shown = f'"{group.props.get("name") or group.name}"' if group else f"id {key}"
            result.append(
                (
                    push.urn,
                    f"Okta group {shown} is both pushed to Identity Center and assigned to the app; Okta "
                    "does not support both on one group: assign the app through a separate group",
                )
            )
    return result


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
