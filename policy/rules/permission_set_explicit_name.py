"""Permission sets, organizations policies and Okta groups carry an explicit, stable `name`.

Missing or empty is a violation, and so is a name that looks autonamed (`<logical name>-<7 hex>`):
the CLI fills autonames before analyzers run, and an autoname changes on replacement, breaking
AWSReservedSSO_<name>_* role references and the group lookups by display name.

Unknown at preview: an unknown name is accepted, since autonaming never produces one; an unknown
name can only come from an explicit value computed from another resource.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import OKTA_GROUP, ORG_POLICY, PERMISSION_SET, is_unknown, plain

NAME = "permission-set-explicit-name"
DESCRIPTION = "Permission sets, organizations policies and Okta groups have explicit, non-autonamed names."
ENFORCEMENT = EnforcementLevel.MANDATORY
NOUNS = {PERMISSION_SET: "permission set", ORG_POLICY: "organizations policy", OKTA_GROUP: "Okta group"}


def findings(
    props: Mapping[str, Any], config: Mapping[str, Any], *, resource_type: str, logical_name: str
) -> list[str]:
    noun = NOUNS[resource_type]
    name = plain(props).get("name")
    if is_unknown(name):
        return []
    if not isinstance(name, str) or not name:
        return [
            f'{noun} "{logical_name}" has no explicit name, so Pulumi autonames it '
            f'"{logical_name}-<random>"; pass name= explicitly'
        ]
    if re.fullmatch(re.escape(logical_name) + r"-[0-9a-f]{7}", name):
        return [
            f'{noun} name "{name}" looks autonamed from the logical name "{logical_name}"; pass name= '
            "explicitly so the name stays stable across replacements"
        ]
    return []


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in NOUNS:
        return
    for message in findings(
        args.props, args.get_config(), resource_type=args.resource_type, logical_name=args.name
    ):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
