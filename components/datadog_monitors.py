"""The identity monitoring in Datadog: what the reference architecture asks to watch, as code.

Owns, on the Datadog provider: the AWS integration of the account holding the organization trail
(metrics and resource collection off, and no log source for Datadog to subscribe itself: the identity
stack subscribes the Datadog Forwarder to the trail bucket explicitly, with S3's permission to invoke
it, and creates the role this integration assumes, trusted with the integration's `external_id`
output, which this component exposes as `external_id`; frontdoor/domain/documents/datadog_aws.py),
log-based metrics (Okta SSO outcomes to the AWS
app, Identity Center sign-ins, AssumeRoleWithSAML by user and account), the log monitors (failed
Okta sign-ins to the AWS app, SCIM errors on both sides, identity-source changes, IAM users and keys
outside break-glass), the SSO availability SLO over the Okta sign-in outcomes and its burn-rate
alert, a heartbeat that alerts when no AssumeRoleWithSAML has reached Datadog for a day (no data:
the path from the trail to Datadog is broken), and, behind `siem_new_value_rule`, a Cloud SIEM
new-value rule: a SAML user assuming a role in
an account they have never touched. Every query comes from `frontdoor.domain.documents.observability`, which
checks the fields it names against the documented log schemas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_datadog as datadog

from frontdoor.domain import contracts
from frontdoor.domain.documents.observability import (
    HEARTBEAT_NO_DATA_MINUTES,
    burn_rate_query,
    heartbeat_query,
    log_metrics,
    log_monitors,
    new_value_query,
    slo_queries,
)
from frontdoor.domain.model.observability import ObservabilityConfig

TYPE = contracts.DATADOG_MONITORS


@dataclass(frozen=True, kw_only=True)
class DatadogMonitorsArgs:
    config: ObservabilityConfig
    app_label: str  # the Okta app's label: Okta logs name it as the SSO target
    trail_account_id: str  # the account the organization trail (and its bucket) lives in
    break_glass_users: Sequence[str] = ()
    provider: datadog.Provider


class DatadogMonitors(pulumi.ComponentResource):
    monitors: dict[str, datadog.Monitor]
    slo: datadog.ServiceLevelObjective
    # The external ID Datadog generated for the integration: the identity stack's integration role trusts
    # it (frontdoor:trail.datadog.integrationExternalId).
    external_id: pulumi.Output[str | None]

    def __init__(
        self, name: str, args: DatadogMonitorsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # The break-glass users, as the identity stack exports them: the only users the IAM-user monitor
        # may leave out, which the pack's identity-monitors-present reads from this record.
        super().__init__(TYPE, name, {"breakGlassUserNames": sorted(args.break_glass_users)}, opts)
        config = args.config
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        tags = sorted(set(config.tags))
        lambdas = [config.forwarder_arn] if config.forwarder_arn else []
        integration = datadog.aws.IntegrationAccount(
            f"{name}/aws-{args.trail_account_id}",
            aws_account_id=args.trail_account_id,
            aws_partition="aws",
            account_tags=tags,
            auth_config=datadog.aws.IntegrationAccountAuthConfigArgs(
                aws_auth_config_role=datadog.aws.IntegrationAccountAuthConfigAwsAuthConfigRoleArgs(
                    role_name=config.integration_role_name
                )
            ),
            aws_regions=datadog.aws.IntegrationAccountAwsRegionsArgs(include_all=True),
            logs_config=datadog.aws.IntegrationAccountLogsConfigArgs(
                lambda_forwarder=datadog.aws.IntegrationAccountLogsConfigLambdaForwarderArgs(
                    # No source: `sources` makes Datadog subscribe the forwarder itself, through the role, to
                    # every bucket of a service ("s3" means S3 access-log buckets, not the trail's). The
                    # trail bucket's subscription is the identity stack's, explicit and reviewed.
                    lambdas=lambdas,
                    sources=[],
                )
            ),
            metrics_config=datadog.aws.IntegrationAccountMetricsConfigArgs(enabled=False),
            resources_config=datadog.aws.IntegrationAccountResourcesConfigArgs(
                cloud_security_posture_management_collection=False, extended_collection=False
            ),
            traces_config=datadog.aws.IntegrationAccountTracesConfigArgs(
                xray_services=datadog.aws.IntegrationAccountTracesConfigXrayServicesArgs(include_onlies=[])
            ),
            opts=child,
        )
        self.external_id = integration.auth_config.apply(
            lambda auth: (
                auth.aws_auth_config_role.external_id
                if auth is not None and auth.aws_auth_config_role is not None
                else None
            )
        )
        for metric in log_metrics(args.app_label):
            datadog.LogsMetric(
                f"{name}/{metric.key}",
                name=metric.name,
                compute=datadog.LogsMetricComputeArgs(aggregation_type="count"),
                filter=datadog.LogsMetricFilterArgs(query=metric.query),
                group_bies=[
                    datadog.LogsMetricGroupByArgs(path=path, tag_name=tag) for path, tag in metric.group_by
                ],
                opts=child,
            )
        self.monitors = {}
        for spec in log_monitors(config, args.app_label, list(args.break_glass_users)):
            self.monitors[spec.key] = datadog.Monitor(
                f"{name}/{spec.key}",
                name=spec.name,
                type="log alert",
                query=spec.query(),
                message=spec.message,
                monitor_thresholds=datadog.MonitorMonitorThresholdsArgs(critical=str(spec.threshold)),
                priority=str(spec.priority),
                include_tags=True,
                notify_no_data=False,
                tags=tags,
                opts=child,
            )
        handles = " ".join(config.notify)
        self.monitors["trail-logs-heartbeat"] = datadog.Monitor(
            f"{name}/trail-logs-heartbeat",
            name="frontdoor: no AssumeRoleWithSAML reached Datadog for a day",
            type="metric alert",
            query=heartbeat_query(),
            message=(
                "No AssumeRoleWithSAML from the organization trail has reached Datadog for a day: every "
                "CloudTrail monitor is blind. Check the trail bucket's notification to the Datadog "
                f"Forwarder, the forwarder's errors and its API key (docs/monitoring-stack.md). {handles}"
            ),
            monitor_thresholds=datadog.MonitorMonitorThresholdsArgs(critical="1"),
            notify_no_data=True,
            no_data_timeframe=HEARTBEAT_NO_DATA_MINUTES,
            priority="2",
            tags=tags,
            opts=child,
        )
        thresholds = config.thresholds
        numerator, denominator = slo_queries(args.app_label)
        self.slo = datadog.ServiceLevelObjective(
            f"{name}/sso-availability",
            name="frontdoor: SSO to AWS availability",
            type="metric",
            description="Share of Okta SSO sign-ins to the AWS IAM Identity Center app that succeed.",
            query=datadog.ServiceLevelObjectiveQueryArgs(numerator=numerator, denominator=denominator),
            thresholds=[
                datadog.ServiceLevelObjectiveThresholdArgs(
                    timeframe=thresholds.slo_timeframe, target=thresholds.slo_target
                )
            ],
            timeframe=thresholds.slo_timeframe,
            target_threshold=thresholds.slo_target,
            tags=tags,
            opts=child,
        )
        self.monitors["sso-burn-rate"] = datadog.Monitor(
            f"{name}/sso-burn-rate",
            name="frontdoor: SSO to AWS error budget burning fast",
            type="slo alert",
            query=self.slo.id.apply(lambda slo_id: burn_rate_query(slo_id, thresholds)),
            message=(
                f"The SSO availability SLO is burning its error budget {thresholds.burn_rate}x faster than "
                f"sustainable (1 h and 5 m windows). Check the SAML certificate and Okta status. {handles}"
            ),
            monitor_thresholds=datadog.MonitorMonitorThresholdsArgs(critical=str(thresholds.burn_rate)),
            priority="1",
            tags=tags,
            opts=child,
        )
        if config.siem_new_value_rule:
            query, new_value, principal = new_value_query()
            datadog.SecurityMonitoringRule(
                f"{name}/first-time-in-account",
                name="frontdoor: first AssumeRoleWithSAML of a user in an account",
                type="log_detection",
                enabled=True,
                message=(
                    "A user assumed a role in an AWS account they have never used before (new value of "
                    f"@recipientAccountId for this @userIdentity.userName). {handles}"
                ),
                queries=[
                    datadog.SecurityMonitoringRuleQueryArgs(
                        name="assume_role_with_saml",
                        query=query,
                        aggregation="new_value",
                        metrics=[new_value],
                        group_by_fields=[principal],
                    )
                ],
                options=datadog.SecurityMonitoringRuleOptionsArgs(
                    detection_method="new_value",
                    keep_alive=3600,
                    max_signal_duration=86400,
                    new_value_options=datadog.SecurityMonitoringRuleOptionsNewValueOptionsArgs(
                        forget_after=28, learning_duration=7, learning_method="duration", learning_threshold=0
                    ),
                ),
                cases=[
                    datadog.SecurityMonitoringRuleCaseArgs(status="medium", notifications=list(config.notify))
                ],
                tags=tags,
                opts=child,
            )
        self.register_outputs(
            {"monitors": sorted(self.monitors), "sloName": "frontdoor: SSO to AWS availability"}
        )
