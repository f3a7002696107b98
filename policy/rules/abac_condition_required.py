"""Inline statements allowing a whole service ("ec2:*") on Resource "*" are scoped by an ABAC condition.

The condition must compare `aws:ResourceTag/<key>` with `${aws:PrincipalTag/<key>}` for the same key
under a String* operator (StringEquals, StringLike, ForAnyValue:StringEquals, ...): that is what
makes one DeveloperAccess set safe for every team. Action "*" is no-wildcard-inline-admin's business.

A document that cannot be parsed is reported (fail closed). Unknown at preview: an unknown
`inlinePolicy` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import INLINE_POLICY, statement_label, statements, string_list

NAME = "abac-condition-required"
DESCRIPTION = 'Service-wide wildcard actions on Resource "*" carry a ResourceTag = PrincipalTag condition.'
ENFORCEMENT = EnforcementLevel.MANDATORY

_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*$", re.IGNORECASE)
_RESOURCE_TAG = re.compile(r"^aws:ResourceTag/(.+)$", re.IGNORECASE)


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
        wildcards = [a for a in string_list(statement.get("Action"), "Action") if _SERVICE_WILDCARD.match(a)]
        if wildcards and not _has_abac_condition(statement.get("Condition")):
            messages.append(
                f"inline policy statement {statement_label(statement, index)} allows "
                f'{", ".join(wildcards)} on Resource "*" without an ABAC condition; add '
                '"Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} '
                "or scope Resource to specific ARNs"
            )
    return messages


def _has_abac_condition(condition: Any) -> bool:
    if condition is None:
        return False
    if not isinstance(condition, Mapping):
        raise ValueError(f"statement Condition must be an object, got {condition!r}")
    for operator, clauses in condition.items():
        if not operator.split(":")[-1].startswith("String") or not isinstance(clauses, Mapping):
            continue
        for key, value in clauses.items():
            match = _RESOURCE_TAG.match(key)
            if match and "${aws:PrincipalTag/" + match.group(1) + "}" in string_list(
                value, "Condition value"
            ):
                return True
    return False


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INLINE_POLICY:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
