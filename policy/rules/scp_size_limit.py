"""A service control policy's content is at most 5,120 characters (the AWS Organizations limit).

Only SERVICE_CONTROL_POLICY documents are checked (an absent `type` means SCP, the provider
default). The API stores exactly what is sent, whitespace included, so minified JSON is the fix.
Content that is not a string is reported (fail closed). Unknown at preview: an unknown `content` or
`type` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import ORG_POLICY, SCP_TYPE, kind
from ._contracts import SCP_CONTENT_MAX

NAME = "scp-size-limit"
DESCRIPTION = "Service control policies are at most 5,120 characters."
ENFORCEMENT = EnforcementLevel.MANDATORY
MAX_CHARACTERS = SCP_CONTENT_MAX


def findings(props: Mapping[str, Any], config: Mapping[str, Any], *, logical_name: str = "") -> list[str]:
    if props.get("type", SCP_TYPE) != SCP_TYPE:
        return []
    name = props.get("name") or logical_name
    content = props.get("content")
    if not isinstance(content, str):
        return [f'SCP "{name}" content must be a JSON string, got {kind(content)}; pass json.dumps(...)']
    if len(content) <= MAX_CHARACTERS:
        return []
    return [
        f'SCP "{name}" content is {len(content):,} characters, above the {MAX_CHARACTERS:,}-character AWS '
        'limit; minify it (json.dumps(doc, separators=(",", ":"))) or split it into several SCPs'
    ]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != ORG_POLICY:
        return
    for message in findings(args.props, args.get_config(), logical_name=args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
