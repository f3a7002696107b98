"""Privileged permission sets reach only the worker types allowed to hold them (the people policy).

A group's assignments (our `frontdoor:aws:AccountAssignments` component: `group`, `permissionSet`,
`accountIds`) of a privileged set must not reach anyone whose HR worker type (`userType`) is not
allowed for that set: PlatformAdmin and every admin-tier set are employees-only unless
`frontdoor:people.privilegedWorkerTypes` says otherwise.

The pack sees the registered grants, not people: the program derives, from the stack's HR export
(`frontdoor:people`) and the group rules, which HR records each rule puts in each group, and passes
them as this rule's config (`frontdoor policy-config` writes it for the real CLI; the offline preview
passes it itself). So the rule judges the HR export named in the stack as it was when the config was
built, not Okta's live membership; without `frontdoor:people` there is nothing to judge and it reports
nothing. With it, a privileged grant to a group the config has no members for is a violation (fail
closed: a group declared outside the stack file, in Python, is not in the config; the pack cannot
prove who is in it).

Config: `allowedWorkerTypes` (permission set -> worker types), `groupMembers` (group -> [{login,
workerType, row}]), `hrExport` (the export's name, for messages). Unknown at preview: `group` and
`permissionSet` come from config and are always known; an unknown value defers the rule.
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

from ._common import defer, plain
from ._contracts import (
    ACCOUNT_ASSIGNMENTS,
    PEOPLE_MEMBER_KEYS,
    PEOPLE_POLICY_ALLOWED_KEY,
    PEOPLE_POLICY_MEMBERS_KEY,
    PEOPLE_POLICY_SOURCE_KEY,
    PRIVILEGED_WORKER_TYPES_RULE,
)

NAME = PRIVILEGED_WORKER_TYPES_RULE
DESCRIPTION = "Privileged permission sets reach only the worker types (HR userType) allowed to hold them."
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        PEOPLE_POLICY_ALLOWED_KEY: {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Permission set -> the worker types allowed to reach it.",
        },
        PEOPLE_POLICY_MEMBERS_KEY: {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "login": {"type": "string"},
                        "workerType": {"type": "string"},
                        "row": {"type": "integer"},
                    },
                    "required": list(PEOPLE_MEMBER_KEYS),
                },
            },
            "description": "Group -> the HR records its rule puts in it (derived by frontdoor).",
        },
        PEOPLE_POLICY_SOURCE_KEY: {"type": "string", "description": "The HR export the members come from."},
    }
)


def _config(config: Mapping[str, Any]) -> tuple[dict[str, list[str]], dict[str, list[dict[str, Any]]], str]:
    allowed = plain(config.get(PEOPLE_POLICY_ALLOWED_KEY) or {})
    members = plain(config.get(PEOPLE_POLICY_MEMBERS_KEY))
    source = str(config.get(PEOPLE_POLICY_SOURCE_KEY) or "the HR export")
    if not isinstance(allowed, dict) or not all(
        isinstance(v, list) and all(isinstance(t, str) for t in v) for v in allowed.values()
    ):
        raise ValueError(
            f"pack config {PEOPLE_POLICY_ALLOWED_KEY} must map permission sets to lists of strings"
        )
    if members is not None and not (
        isinstance(members, dict)
        and all(
            isinstance(people, list)
            and all(isinstance(p, dict) and set(PEOPLE_MEMBER_KEYS) <= p.keys() for p in people)
            for people in members.values()
        )
    ):
        raise ValueError(
            f"pack config {PEOPLE_POLICY_MEMBERS_KEY} must map groups to lists of "
            f"{{{', '.join(PEOPLE_MEMBER_KEYS)}}} records"
        )
    return allowed, members if members is not None else {}, source


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    try:
        allowed, members, source = _config(config)
    except ValueError as error:
        return [f"cannot check the people policy: {error}; regenerate it with frontdoor policy-config"]
    if PEOPLE_POLICY_MEMBERS_KEY not in config:
        return []  # no frontdoor:people: nothing to judge
    group, permission_set = props.get("group"), props.get("permissionSet")
    defer(group, "group")
    defer(permission_set, "permissionSet")
    accounts = plain(props.get("accountIds")) or []
    if permission_set not in allowed or not accounts:
        return []
    types = allowed[permission_set]
    if group not in members:
        return [
            f"{group} grants {permission_set} (for {', '.join(types)} only) on {len(accounts)} "
            f"account(s), but the people policy's config lists no HR members for {group} ({source}), so "
            "the pack cannot prove who is in it; declare the group in the stack file and regenerate the "
            "pack config (frontdoor policy-config)"
        ]
    refused = [p for p in members[group] if p["workerType"] not in types]
    if not refused:
        return []
    listed = ", ".join(f"{p['login']} ({p['workerType']}, row {_row(p['row'])})" for p in refused)
    return [
        f"{group} grants {permission_set} on {len(accounts)} account(s); {permission_set} is for "
        f"{', '.join(types)} only, and the group's rule puts {len(refused)} other HR record(s) of "
        f'{source} in it: {listed}; narrow the rule (e.g. AND user.userType == "employee") or allow the '
        f"worker type in frontdoor:people.privilegedWorkerTypes.{permission_set}"
    ]


def _row(value: Any) -> str:
    """A row number as written: the pack config crosses gRPC as a protobuf Struct, whose numbers are
    doubles (225 arrives as 225.0)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != ACCOUNT_ASSIGNMENTS:
        return
    for message in findings(args.props, args.get_config()):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
