"""The Okta -> Identity Center SCIM bearer token is rotated before it expires.

The expiry date comes from `expiresOn` in the pack config, else from the `tokenExpiresOn` input
("YYYY-MM-DD") of frontdoor's `frontdoor:okta:ScimProvisioning` component. Within `warnDays`
(default 30) of the expiry the rule warns; once the date has passed, provisioning has stopped and
the finding must block.

Advisory vs mandatory: the SDK gives a policy ONE enforcement level, fixed by the Configure call
before any validation runs, so a rule cannot choose a level per finding. This policy therefore
advertises ADVISORY, and whoever configures the pack derives the level from the date with
`configured_level()`, which is `_contracts.SCIM_TOKEN_RULE.level`: frontdoor's analyzer derives it
with the same function for every offline run (an explicit `enforcementLevel` in the pack config still
wins), and so does the `--policy-pack-config` for a CLI run. Run by the bare CLI without that config,
an expired token is reported as advisory, and the message says it has expired.

"Today" is `today` in the pack config (YYYY-MM-DD) or `clock()` (tests may replace it). A date that
cannot be parsed is reported (fail closed). Unknown at preview: an unknown `tokenExpiresOn` defers
the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import SCIM_PROVISIONING, StackResource, defer, of_type, plain, stack_view, today
from ._contracts import SCIM_TOKEN_EXPIRY_KEY, SCIM_TOKEN_RULE, ScimTokenExpiry

NAME = SCIM_TOKEN_RULE.name
DESCRIPTION = (
    "The SCIM bearer token is rotated before it expires (advisory within warnDays, mandatory once expired)."
)
ENFORCEMENT = EnforcementLevel.ADVISORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "warnDays": {"type": "integer", "minimum": 0, "default": SCIM_TOKEN_RULE.default_warn_days},
        "expiresOn": {"type": "string", "format": "date", "description": "Overrides tokenExpiresOn."},
        "today": {"type": "string", "format": "date", "description": "Evaluation date (tests, reports)."},
    }
)
_ROTATE = (
    "generate a new token in the Identity Center console, paste it into the Okta app's provisioning "
    "settings, and update tokenExpiresOn"
)

clock: Callable[[], datetime.date] = today

State = Literal["ok", "warn", "expired"]


def token_state(expires_on: datetime.date, today: datetime.date, warn_days: float) -> State:
    days_left = (expires_on - today).days
    if days_left < 0:
        return "expired"
    return "warn" if days_left <= warn_days else "ok"


def configured_level(token_expiries: Sequence[str], config: Mapping[str, Any]) -> EnforcementLevel:
    """The level to configure this policy at: MANDATORY once any token has expired (or a date cannot be
    read: the rule reports it, and it must block), else ADVISORY."""
    return EnforcementLevel(SCIM_TOKEN_RULE.level(token_expiries, config, clock))


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    components = of_type(resources, SCIM_PROVISIONING)
    tokens = [ScimTokenExpiry.from_inputs(plain(component.props)) for component in components]
    for component, token in zip(components, tokens, strict=True):
        defer(token.expires_on, f"{component.urn}.{SCIM_TOKEN_EXPIRY_KEY}")
    urn = components[0].urn if components else None
    raw = [token.expires_on for token in tokens if token.expires_on is not None]
    try:
        today, warn_days, expiries = SCIM_TOKEN_RULE.settings(raw, config, clock)
    except ValueError as error:
        return [(urn, f"cannot check the SCIM token expiry: {error}")]
    result: list[tuple[str | None, str]] = []
    for expires_on in expiries:
        state = token_state(expires_on, today, warn_days)
        days = abs((expires_on - today).days)
        if state == "expired":
            result.append(
                (
                    urn,
                    f"SCIM bearer token expired on {expires_on} ({days} days ago), so Okta no longer "
                    f"provisions users and groups to Identity Center; {_ROTATE}",
                )
            )
        elif state == "warn":
            when = "today" if days == 0 else f"in {days} days"
            result.append((urn, f"SCIM bearer token expires on {expires_on}, {when}; {_ROTATE}"))
    return result


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
