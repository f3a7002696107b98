"""Okta pushes only aws-* groups to Identity Center (`prefix`, default "aws-").

A PushGroup names its source by `sourceGroupId`, so this is a stack rule: the id is resolved to the
okta Group resource in the same stack (equal to its `id` output, or through the property's
dependencies while the id is unknown at preview) and that group's `name` must carry the prefix. An
unresolvable source is a violation (fail closed). A `targetGroupName`, when set, must carry the
prefix too.

Unknown at preview: an unknown group name or target name defers the rule (SDK advisory "can't run
policy during preview"); unknown ids are resolved through dependencies.
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
    OKTA_GROUP,
    OKTA_PUSH_GROUP,
    StackResource,
    config_str,
    defer,
    display,
    of_type,
    resolve,
    stack_view,
)

NAME = "okta-push-scope"
DESCRIPTION = "Group push mappings push only groups named with the aws- prefix."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(properties={"prefix": {"type": "string", "default": "aws-"}})


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        prefix = config_str(config, "prefix", "aws-")
    except ValueError as error:
        return [(None, f"cannot check group push scope: {error}; fix the pack config")]
    groups = of_type(resources, OKTA_GROUP)
    result: list[tuple[str | None, str]] = []
    for push in of_type(resources, OKTA_PUSH_GROUP):
        group = resolve(push, "sourceGroupId", groups, "id")
        if group is None:
            result.append(
                (
                    push.urn,
                    f"push group mapping pushes Okta group id {display(push.props.get('sourceGroupId'))}, "
                    f'which is no okta Group in this stack, so its name cannot be checked for the "{prefix}" '
                    "prefix; manage the group in this stack",
                )
            )
        else:
            name = group.props.get("name")
            defer(name, f"{group.urn}.name")
            if not (isinstance(name, str) and name.startswith(prefix)):
                result.append(
                    (
                        push.urn,
                        f'push group mapping pushes Okta group "{name}", whose name lacks the "{prefix}" '
                        f"prefix; push only {prefix}* groups (rename the group or remove the mapping)",
                    )
                )
        target_name = push.props.get("targetGroupName")
        defer(target_name, f"{push.urn}.targetGroupName")
        if target_name is not None and not (isinstance(target_name, str) and target_name.startswith(prefix)):
            result.append(
                (
                    push.urn,
                    f'push group mapping names its target group "{target_name}", which lacks the "{prefix}" '
                    "prefix; drop target_group_name or give it the prefix",
                )
            )
    return result


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
