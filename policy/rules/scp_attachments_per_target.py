"""No root, OU or account gets more SCP attachments from this stack than AWS leaves room for.

AWS allows 5 SCPs per target (`maxPerTarget`, default 5) and every target must keep at least one.
AWS attaches FullAWSAccess to every root, OU and account, and we keep it there (deny-list SCP
strategy; removing it would make every other SCP an allow-list), so it occupies one slot that this
stack does not manage: `reservedPerTarget` (default 1). The default effective limit is therefore 4
attachments per target from this stack. Set `reservedPerTarget` to 0 where this stack itself
manages the FullAWSAccess attachment.

Attachments count as SCPs unless their `policyId` resolves to a Policy of another type (fail closed:
an unresolved policy is counted). Targets are grouped by `targetId`; an unknown target id (an OU
created in the same run) is grouped by the resource it comes from. Unknown at preview: an unknown
target with no dependency defers the rule (SDK advisory "can't run policy during preview").
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
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    SCP_TYPE,
    StackResource,
    config_number,
    defer,
    format_number,
    is_unknown,
    of_type,
    resolve,
    stack_view,
)

NAME = "scp-attachments-per-target"
DESCRIPTION = "At most 5 SCPs per root/OU/account, counting the FullAWSAccess SCP that stays attached."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "maxPerTarget": {"type": "integer", "minimum": 1, "default": 5},
        "reservedPerTarget": {
            "type": "integer",
            "minimum": 0,
            "default": 1,
            "description": "Slots per target taken by SCPs outside this stack (FullAWSAccess).",
        },
    }
)


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        maximum = config_number(config, "maxPerTarget", 5)
        reserved = config_number(config, "reservedPerTarget", 1)
    except ValueError as error:
        return [(None, f"cannot count SCP attachments: {error}; fix the pack config")]
    limit = maximum - reserved
    policies = of_type(resources, ORG_POLICY)
    by_target: dict[str, list[StackResource]] = {}
    for attachment in of_type(resources, ORG_POLICY_ATTACHMENT):
        policy = resolve(attachment, "policyId", policies, "id")
        if policy is not None and policy.props.get("type", SCP_TYPE) != SCP_TYPE:
            continue
        by_target.setdefault(_target_key(attachment), []).append(attachment)
    result: list[tuple[str | None, str]] = []
    for target, attachments in by_target.items():
        if len(attachments) > limit:
            result.append(
                (
                    attachments[int(limit)].urn if limit >= 0 else attachments[0].urn,
                    f"target {target} has {len(attachments)} SCP attachments in this stack; AWS allows "
                    f"{format_number(maximum)} per target and {format_number(reserved)} is reserved for "
                    f"FullAWSAccess, so at most {format_number(limit)} may come from here: merge SCPs, or "
                    "adjust maxPerTarget/reservedPerTarget in the pack config",
                )
            )
    return result


def _target_key(attachment: StackResource) -> str:
    target = attachment.props.get("targetId")
    if not is_unknown(target):
        return f'"{target}"'
    sources = attachment.property_dependencies.get("targetId", ())
    if not sources:
        defer(target, f"{attachment.urn}.targetId")
    return f"(the id of {sources[0]})"


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
