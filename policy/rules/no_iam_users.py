"""No IAM users, access keys or login profiles: humans sign in through Okta and IAM Identity Center.

The only exception is a break-glass IAM user named in `breakGlassUsers` (and its console login
profile). An access key is a violation even for a break-glass user: break-glass access is console
password plus MFA, never long-lived keys.

Unknown at preview: the user name (when computed from another resource's output) defers the rule
(the SDK reports "can't run policy during preview" as advisory; the update run judges the real
value). An access key needs no value to be judged and is reported at preview too.
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

from ._common import IAM_ACCESS_KEY, IAM_LOGIN_PROFILE, IAM_USER, config_str_list

NAME = "no-iam-users"
DESCRIPTION = "No IAM users, access keys or login profiles outside the allow-listed break-glass users."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "breakGlassUsers": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "IAM user names allowed to exist (console + MFA only, never access keys).",
        }
    }
)
TYPES = (IAM_USER, IAM_ACCESS_KEY, IAM_LOGIN_PROFILE)


def findings(props: Mapping[str, Any], config: Mapping[str, Any], *, resource_type: str) -> list[str]:
    try:
        break_glass = config_str_list(config, "breakGlassUsers")
    except ValueError as error:
        return [f"cannot check IAM users: {error}; fix the pack config"]
    if resource_type == IAM_ACCESS_KEY:
        return [
            f"IAM access key for user {_user(props.get('user'))} is not allowed, not even for break-glass "
            "users (they sign in with console password + MFA); delete the access key and use Identity "
            "Center short-term credentials"
        ]
    if resource_type == IAM_USER:
        user = props.get("name")
        if user in break_glass:
            return []
        return [
            f"IAM user {_user(user)} is not allowed: humans sign in through Okta and IAM Identity Center; "
            "delete the user, or add it to breakGlassUsers in the pack config if it is the break-glass user"
        ]
    if resource_type == IAM_LOGIN_PROFILE:
        user = props.get("user")
        if user in break_glass:
            return []
        return [
            f"IAM login profile for user {_user(user)} is not allowed: only break-glass users may have a "
            "console password; delete the login profile or add the user to breakGlassUsers in the pack config"
        ]
    return []


def _user(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) and value else "(unnamed)"


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in TYPES:
        return
    for message in findings(args.props, args.get_config(), resource_type=args.resource_type):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
