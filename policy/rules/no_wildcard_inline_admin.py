"""No permission set inline policy statement allows every action on every resource.

Violations: an Allow statement whose Action is "*" (alone or in a list) on Resource "*", and an Allow
statement using NotAction on Resource "*" (everything except a short list is still administrator
access). Administrator access goes through AdministratorAccess on an allow-listed permission set
(see admin-access-restricted), where it is visible and reviewed.

A document that cannot be parsed is reported (fail closed). Unknown at preview: an unknown
`inlinePolicy` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import INLINE_POLICY, statement_label, statements, string_list

NAME = "no-wildcard-inline-admin"
DESCRIPTION = 'Inline policies never Allow Action "*" (or NotAction) on Resource "*".'
ENFORCEMENT = EnforcementLevel.MANDATORY


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    try:
        return _findings(props.get("inlinePolicy"))
    except ValueError as error:
        return [f"cannot check the inline policy: {error}; fix the document so the pack can verify it"]


def _findings(document: Any) -> list[str]:
    messages = []
    for index, statement in enumerate(statements(document)):
        if statement.get("Effect") != "Allow" or "*" not in string_list(
            statement.get("Resource"), "Resource"
        ):
            continue
        label = statement_label(statement, index)
        if "*" in string_list(statement.get("Action"), "Action"):
            messages.append(
                f'inline policy statement {label} allows Action "*" on Resource "*" (full administrator '
                "access); grant specific service actions, or attach AdministratorAccess to an allow-listed "
                "permission set instead"
            )
        elif "NotAction" in statement:
            excluded = ", ".join(string_list(statement.get("NotAction"), "NotAction"))
            messages.append(
                f"inline policy statement {label} allows every action except NotAction [{excluded}] on "
                'Resource "*"; list the allowed actions with Action instead of NotAction'
            )
    return messages


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INLINE_POLICY:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
