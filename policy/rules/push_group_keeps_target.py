"""An Okta group push mapping never deletes its Identity Center group: deleteTargetGroupOnDestroy is False.

Absent means the provider default, TRUE: replacing or destroying the mapping would delete the pushed
group in Identity Center and with it every account assignment made to it. A non-boolean value is
reported (fail closed). Unknown at preview: an unknown value defers the rule (SDK advisory "can't
run policy during preview").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import OKTA_PUSH_GROUP

NAME = "push-group-keeps-target"
DESCRIPTION = "Group push mappings set deleteTargetGroupOnDestroy=false so assignments survive."
ENFORCEMENT = EnforcementLevel.MANDATORY
_CONSEQUENCE = (
    "which deletes the Identity Center group and its account assignments when the mapping is destroyed"
)
_FIX = "set delete_target_group_on_destroy=False"


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    if "deleteTargetGroupOnDestroy" not in props:
        return [
            "push group mapping leaves deleteTargetGroupOnDestroy unset (provider default true), "
            f"{_CONSEQUENCE}; {_FIX}"
        ]
    value = props.get("deleteTargetGroupOnDestroy")
    if value is False:
        return []
    if value is True:
        return [f"push group mapping sets deleteTargetGroupOnDestroy true, {_CONSEQUENCE}; {_FIX}"]
    return [f"push group mapping has deleteTargetGroupOnDestroy {value!r}, which is not a boolean; {_FIX}"]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != OKTA_PUSH_GROUP:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
