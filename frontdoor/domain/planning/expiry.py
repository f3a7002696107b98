"""What expires silently: the expiry calendar's dated items and the SCIM token's AWS Health event.

Two self-inflicted outages announce themselves only by date (reference architecture; research
next-capabilities.md §7): the SCIM bearer token (one year; expiry stops provisioning) and the Okta
SAML signing certificate (expiry stops every sign-in). Beside them, time-bound grants end and the
quarterly break-glass test falls due. `calendar_items` lists them all with days left, for
`frontdoor calendar`; `scim_token_expiry_pattern` is the EventBridge pattern for AWS Health's
`AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION`, which Health sends to the account that
owns the Identity Center instance (the management account), in the instance's region
(re:Post knowledge center, "iam-identity-center-scim-expire-emails").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from frontdoor.domain.model.stack import BreakGlassStackConfig, StackConfig

HEALTH_SOURCE = "aws.health"
HEALTH_DETAIL_TYPE = "AWS Health Event"
SCIM_TOKEN_EXPIRY_EVENT = "AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION"
BREAK_GLASS_TEST_INTERVAL_DAYS = 90  # quarterly (docs/break-glass-runbook.md)
DEFAULT_WARN_DAYS = 30

Status = Literal["ok", "due-soon", "past"]


def scim_token_expiry_pattern() -> dict[str, Any]:
    """EventBridge pattern: AWS Health's SCIM bearer token expiry notification for Identity Center."""
    return {
        "source": [HEALTH_SOURCE],
        "detail-type": [HEALTH_DETAIL_TYPE],
        "detail": {"eventTypeCode": [SCIM_TOKEN_EXPIRY_EVENT]},
    }


@dataclass(frozen=True)
class CalendarItem:
    stack: str
    kind: str  # scim-token | saml-certificate | time-bound-grant | break-glass-test
    name: str
    due: dt.date
    action: str

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def status(self, today: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> Status:
        left = self.days_left(today)
        if left < 0:
            return "past"
        return "due-soon" if left <= warn_days else "ok"


def break_glass_test_due(last_tested_on: dt.date) -> dt.date:
    return last_tested_on + dt.timedelta(days=BREAK_GLASS_TEST_INTERVAL_DAYS)


def access_stack_items(stack: str, config: StackConfig) -> list[CalendarItem]:
    """The SCIM token, the SAML certificate and every time-bound grant of an access stack."""
    items: list[CalendarItem] = []
    okta = config.okta
    if okta.scim_token_expires_on is not None:
        items.append(
            CalendarItem(
                stack,
                "scim-token",
                "Okta -> Identity Center SCIM bearer token",
                okta.scim_token_expires_on,
                "rotate it (docs/scim-runbook.md) and update frontdoor:okta.scimTokenExpiresOn",
            )
        )
    if okta.saml_certificate_expires_on is not None:
        items.append(
            CalendarItem(
                stack,
                "saml-certificate",
                f"{okta.app_label} SAML signing certificate",
                okta.saml_certificate_expires_on,
                "rotate it in two phases (docs/saml-certificate-rotation.md)",
            )
        )
    grants = [
        (f"{team}/{name}", grant.expires, grant.ticket)
        for team, team_config in config.teams.items()
        for name, grant in team_config.grants.items()
    ] + [(group, grant.expires, grant.ticket) for group, grant in config.org_grants.items()]
    for name, expires, ticket in grants:
        if expires is not None:
            items.append(
                CalendarItem(
                    stack,
                    "time-bound-grant",
                    f"{name} ({ticket})",
                    expires,
                    "last valid day; delete the grant from the stack config after it",
                )
            )
    return items


def break_glass_items(stack: str, config: BreakGlassStackConfig) -> list[CalendarItem]:
    """The next quarterly break-glass test, once a first test date is recorded."""
    last = config.break_glass.last_tested_on
    if last is None:
        return []
    return [
        CalendarItem(
            stack,
            "break-glass-test",
            f"break-glass sign-in test ({', '.join(config.break_glass.user_names)})",
            break_glass_test_due(last),
            "run the quarterly test (docs/break-glass-runbook.md), then update "
            "frontdoor:breakGlass.lastTestedOn",
        )
    ]
