"""A permission set's session duration is in PTnHnM form, within AWS's 1h-12h, and within our cap.

Permission sets only: an IAM role's `maxSessionDuration` is not judged here (the roles GitHub Actions
assumes are capped by `github-oidc-trust-pinned`; other roles' sessions are unchecked by the pack).

Absent `sessionDuration` means the AWS default PT1H. The cap is `maxHours` (default 12); an entry in
`perPermissionSet` (permission set name -> hours) replaces `maxHours` for that set, so one set can be
tighter (or, under a tight global cap, looser) than the rest. AWS's own 12h maximum always applies.

Unknown at preview: an unknown `sessionDuration` (or name, when a per-set cap exists) defers the rule
(SDK advisory "can't run policy during preview"); the update run judges the real value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from ._common import PERMISSION_SET, config_number, duration_hours, format_number
from ._contracts import SESSION_MAX_HOURS, SESSION_MIN_HOURS

NAME = "session-duration-limit"
DESCRIPTION = (
    "Permission set session durations are ISO-8601, between 1h and 12h, and within the configured cap."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "maxHours": {"type": "number", "minimum": 1, "maximum": 12, "default": 12},
        "perPermissionSet": {
            "type": "object",
            "additionalProperties": {"type": "number", "minimum": 1, "maximum": 12},
            "default": {},
            "description": "Per permission set name: the cap in hours, replacing maxHours for that set.",
        },
    }
)
AWS_MIN_HOURS = float(SESSION_MIN_HOURS)
AWS_MAX_HOURS = float(SESSION_MAX_HOURS)


def findings(props: Mapping[str, Any], config: Mapping[str, Any], *, logical_name: str = "") -> list[str]:
    name = props.get("name") or logical_name
    try:
        cap, cap_source = _cap(config, props)
    except ValueError as error:
        return [f'cannot check permission set "{name}": {error}; fix the pack config']
    duration = props.get("sessionDuration", "PT1H")
    subject = f'permission set "{name}" has sessionDuration'
    if not isinstance(duration, str):
        return [f"{subject} {duration!r}, which is not an ISO-8601 duration string; use e.g. PT8H"]
    try:
        hours = duration_hours(duration)
    except ValueError:
        # "P1D" or "PT30S" are ISO-8601 durations all the same: say what was checked, the hours-and-minutes
        # form Identity Center's 1-12 hour range is written in (_contracts.SESSION_DURATION), not more.
        return [
            f'{subject} "{duration}", which is not in the PT<hours>H<minutes>M form this rule reads '
            "(days, weeks, seconds and fractions are not read; Identity Center allows 1-12 hours); use e.g. "
            "PT8H"
        ]
    if hours < AWS_MIN_HOURS:
        return [f"{subject} {duration}, below the 1h AWS minimum; set session_duration to at least PT1H"]
    if hours > AWS_MAX_HOURS:
        return [f"{subject} {duration}, above the 12h AWS maximum; set session_duration to at most PT12H"]
    if hours > cap:
        shown = format_number(cap)
        return [
            f"{subject} {duration}, above the {shown}h cap; set session_duration to at most PT{shown}H "
            f"or raise {cap_source} in the pack config"
        ]
    return []


def _cap(config: Mapping[str, Any], props: Mapping[str, Any]) -> tuple[float, str]:
    max_hours = config_number(config, "maxHours", AWS_MAX_HOURS)
    per_set = config.get("perPermissionSet", {})
    if not isinstance(per_set, Mapping):
        raise ValueError(f"perPermissionSet must be an object of name -> hours, got {per_set!r}")
    if not per_set:
        return max_hours, "maxHours"
    name = props.get("name")
    if isinstance(name, str) and name in per_set:
        return config_number(per_set, name, max_hours), f"perPermissionSet.{name}"
    return max_hours, "maxHours"


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != PERMISSION_SET:
        return
    for message in findings(args.props, args.get_config(), logical_name=args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
