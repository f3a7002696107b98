"""Resources whose deletion locks people out or drops guardrails are `protect`ed.

Protected: the Okta SAML app (every AWS sign-in), Identity Center access-control attributes (ABAC),
Okta group push mappings (the groups assignments hang on), and SCP attachments to the organization
root (`r-...`). Attachments to OUs and accounts come and go with the estate and are not required
to be protected.

Unknown at preview: `protect` is a resource option and always known. An attachment whose
`targetId` is unknown is treated as a root attachment (fail closed): protect it or make the target
known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import (
    ACCESS_CONTROL_ATTRIBUTES,
    OKTA_PUSH_GROUP,
    OKTA_SAML_APP,
    ORG_POLICY_ATTACHMENT,
    is_unknown,
    plain,
)

NAME = "critical-resources-protected"
DESCRIPTION = "The SAML app, ABAC attributes, group push mappings and root SCP attachments are protected."
ENFORCEMENT = EnforcementLevel.MANDATORY
WHY = {
    OKTA_SAML_APP: ("the Okta SAML app", "deleting it ends every AWS sign-in"),
    ACCESS_CONTROL_ATTRIBUTES: (
        "the Identity Center access-control attributes resource",
        "deleting them breaks every ABAC policy",
    ),
    OKTA_PUSH_GROUP: ("the group push mapping", "deleting it can drop the pushed group and its assignments"),
    ORG_POLICY_ATTACHMENT: ("the SCP attachment to the organization root", "deleting it drops a guardrail"),
}


def findings(
    props: Mapping[str, Any], config: Mapping[str, Any], *, resource_type: str, protect: bool
) -> list[str]:
    if resource_type not in WHY or protect:
        return []
    if resource_type == ORG_POLICY_ATTACHMENT:
        target = plain(props).get("targetId")
        if not is_unknown(target) and not (isinstance(target, str) and target.startswith("r-")):
            return []
    what, why = WHY[resource_type]
    return [f"{what} is not protected and {why}; pass opts=pulumi.ResourceOptions(protect=True)"]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in WHY:
        return
    for message in findings(
        args.props, args.get_config(), resource_type=args.resource_type, protect=bool(args.opts.protect)
    ):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
