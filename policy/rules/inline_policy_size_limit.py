"""A permission set's inline policy fits Identity Center's limit of 10,240 non-whitespace characters.

Past the limit the AWS API rejects the document at deployment time; this catches it at preview.
A value that is not a string is reported (fail closed). Unknown at preview: an unknown
`inlinePolicy` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import INLINE_POLICY, kind
from ._contracts import INLINE_POLICY_NON_WHITESPACE_MAX

NAME = "inline-policy-size-limit"
DESCRIPTION = "Permission set inline policies are at most 10,240 non-whitespace characters."
ENFORCEMENT = EnforcementLevel.MANDATORY
MAX_NON_WHITESPACE = INLINE_POLICY_NON_WHITESPACE_MAX
_WHITESPACE = re.compile(r"\s")


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    document = props.get("inlinePolicy")
    if not isinstance(document, str):
        return [f"inline policy must be a JSON string, got {kind(document)}; pass json.dumps(document)"]
    size = len(_WHITESPACE.sub("", document))
    if size <= MAX_NON_WHITESPACE:
        return []
    return [
        f"inline policy is {size:,} non-whitespace characters, above the {MAX_NON_WHITESPACE:,} Identity "
        "Center limit; move statements into a customer-managed policy or shorten the document"
    ]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INLINE_POLICY:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
