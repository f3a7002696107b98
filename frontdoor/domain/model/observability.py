"""`frontdoor:observability`: what the Datadog monitors watch and whom they notify, with the alert
thresholds and the SSO availability SLO (the queries are frontdoor/domain/documents/observability.py)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from frontdoor.domain.base.aws_ids import RoleNameText
from frontdoor.domain.base.errors import FixHint
from frontdoor.domain.model.fields import Model

HANDLE_RE = re.compile(r"^@[\w.+@-]+$")
TAG_RE = re.compile(r"^[a-z][\w./:-]{0,199}$")


class Thresholds(Model):
    """Alert thresholds: counts per evaluation window unless said otherwise."""

    failed_sign_ins: int = Field(default=25, ge=1)
    failed_sign_ins_window: Literal["5m", "10m", "15m", "30m", "1h"] = "15m"
    scim_errors: int = Field(default=0, ge=0)  # any error alerts
    slo_target: float = Field(default=99.9, gt=90, lt=100)
    slo_timeframe: Literal["7d", "30d", "90d"] = "30d"
    # Google SRE workbook, multiwindow burn rate: 14.4 over 1 h (and 5 m) spends 2 % of 30 days' budget.
    burn_rate: float = Field(default=14.4, gt=1)


class ObservabilityConfig(Model):
    """Datadog: the AWS integration for the trail's logs, log metrics, monitors, the SSO SLO."""

    notify: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=lambda: ["service:frontdoor"])
    thresholds: Thresholds = Field(default_factory=Thresholds)
    # The Datadog Forwarder Lambda subscribed to the trail bucket (delivers CloudTrail to Datadog).
    forwarder_arn: str | None = None
    integration_role_name: RoleNameText = "DatadogIntegrationRole"
    # Cloud SIEM new-value detection needs the Cloud SIEM licence: off unless you have it.
    siem_new_value_rule: bool = False
    datadog_site: str = "https://api.datadoghq.com/"
    # That Datadog's Okta integration is installed (Integrations > Okta, with an Okta API token): the
    # Okta monitors and the SSO SLO read `source:okta`, which only it delivers, and pulumi-datadog 5.17.0
    # has no resource to install it. Unset is unknown, and refused: set true once it is installed.
    okta_logs_integration: bool | None = None

    @model_validator(mode="after")
    def _okta_source_stated(self) -> ObservabilityConfig:
        if self.okta_logs_integration is not True:
            raise FixHint(
                "the Okta monitors (failed sign-ins, SCIM errors on the Okta side) and the SSO availability "
                "SLO read Okta's System Log as `source:okta` in Datadog, which only Datadog's Okta "
                "integration delivers; frontdoor cannot install it (pulumi-datadog has no resource for it), "
                "so it must be stated, and without it those monitors would never alert",
                "install the Okta integration in Datadog (docs/monitoring-stack.md, Okta logs), check that "
                "`source:okta` logs arrive in Log Explorer, then set oktaLogsIntegration: true",
                at=("oktaLogsIntegration",),
                value=self.okta_logs_integration,
            )
        return self

    @field_validator("notify")
    @classmethod
    def _handles(cls, value: list[str]) -> list[str]:
        for index, handle in enumerate(value):
            if not HANDLE_RE.match(handle):
                raise FixHint(
                    "not a Datadog notification handle",
                    'write it as "@slack-identity-alerts", "@pagerduty-identity" or "@team@example.com"',
                    at=(index,),
                    value=handle,
                )
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        for index, tag in enumerate(value):
            if not TAG_RE.match(tag):
                raise FixHint(
                    "not a Datadog tag",
                    'use lowercase key:value tags, e.g. "team:platform"',
                    at=(index,),
                    value=tag,
                )
        return value

    @field_validator("forwarder_arn")
    @classmethod
    def _forwarder(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+$", value
        ):
            raise FixHint(
                "not a Lambda function ARN",
                "give the Datadog Forwarder's ARN, e.g. "
                '"arn:aws:lambda:us-east-1:111111111111:function:datadog-forwarder"',
            )
        return value
