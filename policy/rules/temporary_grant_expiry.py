"""A time-bound grant (an exception with an expiry and a ticket) is removed from config once it expires.

The program stops planning an expired grant's assignments by itself, so access ends on time; this rule is
the reminder that the config still carries it. It reads the grant as our
`frontdoor:aws:AccountAssignments` component records it (`GrantRecord`: `expires`, `ticket`). Advisory by
default: a mandatory level would block the very update that removes the expired access. A malformed date
is reported (fail closed). Unknown at preview: `expires` comes from config, so it is always known; an
unknown value defers the rule (SDK advisory).

Config: `today` (YYYY-MM-DD) to judge another day; otherwise today, or FRONTDOOR_TODAY when set.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from ._common import config_str, defer, plain, today
from ._contracts import GrantRecord

NAME = "temporary-grant-expiry"
DESCRIPTION = "Time-bound grants past their expiry are removed from the stack config."
ENFORCEMENT = EnforcementLevel.ADVISORY
ASSIGNMENTS_COMPONENT = "frontdoor:aws:AccountAssignments"
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={"today": {"type": "string", "format": "date", "description": "Evaluation date."}}
)


def _date(value: Any, what: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a YYYY-MM-DD date") from None


def findings(props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    grant = GrantRecord.from_inputs(plain(props))
    defer(grant.expires, "expires")
    if grant.expires is None:
        return []
    group, permission_set, ticket = grant.group, grant.permission_set, grant.ticket
    for value, key in ((group, "group"), (permission_set, "permissionSet"), (ticket, "ticket")):
        defer(value, key)
    try:
        last_day = _date(grant.expires, "expires")
        now = _date(config_str(config, "today", ""), "today") if config.get("today") else today()
    except ValueError as error:
        return [
            f"time-bound grant of {permission_set} to {group!r}: {error}; fix the date in the stack config"
        ]
    if last_day >= now:
        return []
    return [
        f"time-bound grant of {permission_set} to {group!r} (ticket {ticket}) expired on {last_day} and is "
        "still in the stack config; its assignments are no longer planned: remove the grant from the config "
        "(or extend expires under a new ticket)"
    ]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != ASSIGNMENTS_COMPONENT:
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
