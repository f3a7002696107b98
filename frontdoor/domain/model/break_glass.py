"""`frontdoor:breakGlass`: the break-glass stack's emergency users, their alerting and their tests."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field, field_validator

from frontdoor.domain.base.aws_ids import RoleNameText
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.contracts import BREAK_GLASS_PATH
from frontdoor.domain.model.fields import REGION_RE, Model, check_break_glass_path, check_iam_user_names

DEFAULT_BREAK_GLASS_DEPLOYER_ROLE_NAME = "frontdoor-breakglass-deploy"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BreakGlassConfig(Model):
    """Out-of-band emergency access to the management account: its own stack, never federated."""

    user_names: list[str] = Field(min_length=1, max_length=5)
    alert_emails: list[str] = Field(min_length=1)
    # Their own IAM path, part of each user's ARN: the access stack's frontdoor:guardrails.breakGlassPath
    # must be the same (its exemptions, posture rule and `frontdoor posture` name these ARNs).
    path: str = BREAK_GLASS_PATH
    # The role this stack deploys with, in the management account (made by hand: docs/break-glass-runbook.md),
    # never the access stack's deployer: that one holds no user or group action, so it cannot mint an
    # administrator (frontdoor/domain/documents/deploy_permissions.py `break_glass_deploy_policy`).
    deployer_role_name: RoleNameText = DEFAULT_BREAK_GLASS_DEPLOYER_ROLE_NAME
    # Regions whose CloudTrail records a console sign-in (home region first: the alert topic lives
    # there); add the region of any regional sign-in URL your operators use (docs/break-glass-runbook.md).
    alert_regions: list[str] = Field(default_factory=lambda: list(DEFAULT_ALERT_REGIONS), min_length=1)

    @field_validator("alert_regions")
    @classmethod
    def _alert_regions(cls, value: list[str]) -> list[str]:
        for index, name in enumerate(value):
            if not REGION_RE.match(name):
                raise FixHint(
                    "not an AWS region name", "use a region such as eu-central-1", at=(index,), value=name
                )
        if len(set(value)) != len(value):
            raise FixHint("a region is listed twice", "list each region once")
        return value

    @field_validator("user_names")
    @classmethod
    def _user_names(cls, value: list[str]) -> list[str]:
        return check_iam_user_names(value)

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_break_glass_path(value)

    @field_validator("alert_emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for index, email in enumerate(value):
            if not EMAIL_RE.fullmatch(email):
                raise FixHint(
                    "not an email address", "write it as name@example.com", at=(index,), value=email
                )
            if "::" in email:
                # Each subscription's logical name is break-glass/alerts/<email>.
                raise FixHint(
                    "contains '::', Pulumi's URN delimiter: the subscription named after it would have its "
                    "URN cut short wherever the SDK parses one",
                    "give an address without '::'",
                    at=(index,),
                    value=email,
                )
        return value

    # The last quarterly break-glass test (docs/break-glass-runbook.md); `frontdoor calendar` dates the next.
    last_tested_on: dt.date | None = None


# Home region first: the global sign-in endpoint records there; the rest are where the console proxy
# may record a global-endpoint sign-in instead (account-alias cookie present).
DEFAULT_ALERT_REGIONS: tuple[str, ...] = ("us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2")
