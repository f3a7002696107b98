"""What the Datadog monitors watch, as pure query builders over `frontdoor:observability`
(frontdoor/domain/model/observability.py).

The reference architecture's monitoring, made concrete (research/next-capabilities.md §2): sign-in
outcomes, AssumeRoleWithSAML by user and account, SCIM provisioning errors on both sides, identity
source changes, IAM users and access keys created outside break-glass, a "first time in this account"
new-value rule (Cloud SIEM licence, so behind a flag) and an SSO availability SLO with a burn-rate
alert. Failed sign-ins to the AWS app are read from the Okta System Log because a failed external-IdP
sign-in never reaches Identity Center, hence never CloudTrail. Every query is checked against the
documented log schemas (frontdoor.domain.documents.log_schemas) when it is built.

Event names (sources): `UserAuthentication` on signin.amazonaws.com is Identity Center's sign-in
event (IAM Identity Center user guide, "Understanding sign-in events"); SCIM calls are logged with
eventSource `identitystore-scim.amazonaws.com`; identity-source changes are
`AssociateDirectory`, `DisassociateDirectory`, `EnableExternalIdPConfigurationForDirectory` and
`DisableExternalIdPConfigurationForDirectory` (Sigma aws_sso_idp_change); Okta's SSO to an app is
`user.authentication.sso` and its provisioning events are `application.provision.*` (Okta event types
catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdoor.domain.documents.log_schemas import check_log_query
from frontdoor.domain.model.observability import ObservabilityConfig, Thresholds

METRIC_PREFIX = "frontdoor.identity"
IDENTITY_SOURCE_EVENTS = (
    "AssociateDirectory",
    "DisassociateDirectory",
    "EnableExternalIdPConfigurationForDirectory",
    "DisableExternalIdPConfigurationForDirectory",
)
# Identifiers the pack rule identity-monitors-present looks for in monitor queries.
SCIM_AWS_MARKER = "identitystore-scim.amazonaws.com"
SCIM_OKTA_MARKER = "application.provision"
IAM_USER_MARKERS = ("CreateUser", "CreateAccessKey")


@dataclass(frozen=True)
class LogMetricSpec:
    key: str
    name: str
    query: str
    group_by: tuple[tuple[str, str], ...]  # (attribute path, tag name)


@dataclass(frozen=True)
class LogMonitorSpec:
    key: str
    name: str
    search: str  # the log search the monitor counts
    window: str
    threshold: float
    message: str
    group_by: tuple[str, ...] = ()
    priority: int = 2

    def query(self) -> str:
        by = "".join(f'.by("{path}")' for path in self.group_by)
        escaped = self.search.replace("\\", "\\\\").replace('"', '\\"')
        count = f'logs("{escaped}").index("*").rollup("count"){by}.last("{self.window}")'
        return f"{count} > {_number(self.threshold)}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _or(values: tuple[str, ...] | list[str]) -> str:
    quoted = [f'"{v}"' if re.search(r"[^\w.*-]", v) else v for v in values]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def sso_search(app_label: str) -> str:
    return f'source:okta @eventType:user.authentication.sso @target.displayName:"{app_label}"'


def log_metrics(app_label: str) -> list[LogMetricSpec]:
    specs = [
        LogMetricSpec(
            "okta-aws-sso",
            f"{METRIC_PREFIX}.okta.aws_sso",
            sso_search(app_label),
            (("@outcome.result", "outcome"),),
        ),
        LogMetricSpec(
            "identity-center-sign-ins",
            f"{METRIC_PREFIX}.identity_center.sign_ins",
            "source:cloudtrail @eventSource:signin.amazonaws.com @eventName:UserAuthentication",
            (("@recipientAccountId", "account"),),
        ),
        LogMetricSpec(
            "assume-role-with-saml",
            f"{METRIC_PREFIX}.aws.assume_role_with_saml",
            "source:cloudtrail @eventSource:sts.amazonaws.com @eventName:AssumeRoleWithSAML",
            (("@userIdentity.userName", "user"), ("@recipientAccountId", "account")),
        ),
    ]
    for spec in specs:
        check_log_query(spec.query, [path for path, _ in spec.group_by])
    return specs


def log_monitors(
    config: ObservabilityConfig, app_label: str, break_glass_users: list[str] | tuple[str, ...]
) -> list[LogMonitorSpec]:
    """The log monitors, each query checked against the documented schema of its source."""
    thresholds = config.thresholds
    handles = " ".join(config.notify)
    if break_glass_users:
        # Break-glass users are created (and given a console password) by their own stack; never keys.
        iam_search = (
            "source:cloudtrail @eventSource:iam.amazonaws.com (@eventName:CreateAccessKey OR "
            "(@eventName:(CreateUser OR CreateLoginProfile) "
            f"-@requestParameters.userName:{_or(sorted(break_glass_users))}))"
        )
    else:
        iam_search = (
            "source:cloudtrail @eventSource:iam.amazonaws.com "
            "@eventName:(CreateUser OR CreateAccessKey OR CreateLoginProfile)"
        )
    specs = [
        LogMonitorSpec(
            "failed-okta-sign-ins",
            "frontdoor: failed Okta sign-ins to the AWS app",
            f"{sso_search(app_label)} @outcome.result:FAILURE",
            thresholds.failed_sign_ins_window,
            thresholds.failed_sign_ins,
            "Failed SSO sign-ins to the AWS IAM Identity Center app in Okta are above "
            f"{thresholds.failed_sign_ins} in {thresholds.failed_sign_ins_window} (Okta System Log; failed "
            f"external-IdP sign-ins never reach CloudTrail). {handles}",
        ),
        LogMonitorSpec(
            "scim-errors-aws",
            "frontdoor: SCIM provisioning errors in Identity Center",
            f"source:cloudtrail @eventSource:{SCIM_AWS_MARKER} @errorCode:*",
            "15m",
            thresholds.scim_errors,
            "Identity Center rejected SCIM calls from Okta: users or groups are not being provisioned "
            f"(expired token? see docs/scim-runbook.md). {handles}",
            group_by=("@errorCode",),
            priority=1,
        ),
        LogMonitorSpec(
            "scim-errors-okta",
            "frontdoor: Okta provisioning failures to AWS",
            f"source:okta @eventType:{SCIM_OKTA_MARKER}.* @outcome.result:FAILURE",
            "15m",
            thresholds.scim_errors,
            f"Okta failed to provision to an application (application.provision.*). {handles}",
            group_by=("@eventType",),
            priority=1,
        ),
        LogMonitorSpec(
            "identity-source-changed",
            "frontdoor: Identity Center identity source changed",
            f"source:cloudtrail @eventName:{_or(list(IDENTITY_SOURCE_EVENTS))}",
            "5m",
            0,
            "The identity source of IAM Identity Center was changed: whoever controls the new source can "
            f"sign in as anyone. Confirm a change ticket now. {handles}",
            priority=1,
        ),
        LogMonitorSpec(
            "iam-user-created",
            "frontdoor: IAM user or access key created outside break-glass",
            iam_search,
            "5m",
            0,
            "An IAM user, console password or access key was created outside the break-glass path: humans "
            f"sign in through Okta, machines get Vault-issued STS credentials. {handles}",
            group_by=("@recipientAccountId",),
            priority=1,
        ),
    ]
    for spec in specs:
        check_log_query(spec.search, spec.group_by)
    return specs


def new_value_query() -> tuple[str, str, str]:
    """Cloud SIEM new-value rule: (query, new-value field, group-by field): a principal in a new account."""
    query = "source:cloudtrail @eventSource:sts.amazonaws.com @eventName:AssumeRoleWithSAML"
    check_log_query(query, ["@recipientAccountId", "@userIdentity.userName"])
    return query, "@recipientAccountId", "@userIdentity.userName"


def slo_queries(app_label: str) -> tuple[str, str]:
    """SLO numerator and denominator over the Okta SSO metric: successful / all sign-ins to the AWS app.

    A wrong password is a failure too; the SLO's target leaves room for that baseline, and a real
    outage (SAML certificate, Identity Center down) takes the ratio far below it.
    """
    metric = f"{METRIC_PREFIX}.okta.aws_sso"
    return f"sum:{metric}{{outcome:success}}.as_count()", f"sum:{metric}{{*}}.as_count()"


# The CloudTrail heartbeat: a metric monitor on the AssumeRoleWithSAML log-based metric that alerts on no
# data. Every sign-in through Identity Center to an account assumes its role with SAML, so in an
# organization people use, a day without one means the trail's logs stopped reaching Datadog (bucket
# notification, forwarder, its API key) rather than that nobody worked. The count threshold (< 1) cannot
# fire while the metric has points (a point is a count of at least one): only the no-data alert does.
# Datadog recommends a no-data timeframe of at least twice a query alert's window (Monitors API,
# `no_data_timeframe`), so a 12 h window alerts after 24 h without a point.
HEARTBEAT_WINDOW_HOURS = 12
HEARTBEAT_NO_DATA_MINUTES = 2 * HEARTBEAT_WINDOW_HOURS * 60


def heartbeat_query() -> str:
    """The heartbeat monitor's metric query over the AssumeRoleWithSAML log-based metric."""
    metric = f"{METRIC_PREFIX}.aws.assume_role_with_saml"
    return f"sum(last_{HEARTBEAT_WINDOW_HOURS}h):sum:{metric}{{*}}.as_count() < 1"


def burn_rate_query(slo_id: str, thresholds: Thresholds) -> str:
    return (
        f'burn_rate("{slo_id}").over("{thresholds.slo_timeframe}").long_window("1h").short_window("5m") > '
        f"{_number(thresholds.burn_rate)}"
    )
