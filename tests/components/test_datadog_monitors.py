"""DatadogMonitors: the trail's integration, log metrics, the monitors, the heartbeat, the SLO and its
burn-rate alert."""

from __future__ import annotations

from components.datadog_monitors import DatadogMonitors, DatadogMonitorsArgs
from components.datadog_provider import datadog_provider
from frontdoor.domain.documents.log_schemas import check_log_query
from frontdoor.domain.model.observability import ObservabilityConfig
from tests.components.conftest import MANAGEMENT_ACCOUNT, Recorder, provider_ref

COMPONENT = "frontdoor:datadog:DatadogMonitors"
INTEGRATION = "datadog:aws/integrationAccount:IntegrationAccount"
METRIC = "datadog:index/logsMetric:LogsMetric"
MONITOR = "datadog:index/monitor:Monitor"
SLO = "datadog:index/serviceLevelObjective:ServiceLevelObjective"
SIEM = "datadog:index/securityMonitoringRule:SecurityMonitoringRule"
FORWARDER = f"arn:aws:lambda:us-east-1:{MANAGEMENT_ACCOUNT}:function:datadog-forwarder"


def _build(**config: object) -> DatadogMonitors:
    values: dict[str, object] = {
        "notify": ["@slack-identity"],
        "forwarderArn": FORWARDER,
        "oktaLogsIntegration": True,
        **config,
    }
    return DatadogMonitors(
        "identity-monitors",
        DatadogMonitorsArgs(
            config=ObservabilityConfig.model_validate(values),
            app_label="AWS IAM Identity Center",
            trail_account_id=MANAGEMENT_ACCOUNT,
            break_glass_users=("breakglass-1",),
            provider=datadog_provider("https://api.datadoghq.com/"),
        ),
    )


def test_children_on_the_datadog_provider(recorder: Recorder) -> None:
    recorder.run(_build)
    name = "identity-monitors"
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (INTEGRATION, f"{name}/aws-{MANAGEMENT_ACCOUNT}"),
        (METRIC, f"{name}/okta-aws-sso"),
        (METRIC, f"{name}/identity-center-sign-ins"),
        (METRIC, f"{name}/assume-role-with-saml"),
        (MONITOR, f"{name}/failed-okta-sign-ins"),
        (MONITOR, f"{name}/scim-errors-aws"),
        (MONITOR, f"{name}/scim-errors-okta"),
        (MONITOR, f"{name}/identity-source-changed"),
        (MONITOR, f"{name}/iam-user-created"),
        (MONITOR, f"{name}/trail-logs-heartbeat"),
        (SLO, f"{name}/sso-availability"),
        (MONITOR, f"{name}/sso-burn-rate"),
    }
    datadog = provider_ref(recorder, "datadog")
    assert {r.provider for r in recorder.registrations if r.type.startswith("datadog:")} == {datadog}
    # No key in the program: the provider plugin reads DD_API_KEY / DD_APP_KEY from its environment.
    assert recorder.by_name("datadog").inputs == {
        "apiUrl": "https://api.datadoghq.com/",
        "validate": "true",
        "httpClientRetryEnabled": "true",
    }
    assert not recorder.of_type(SIEM)


def test_the_integration_subscribes_nothing_itself_and_the_heartbeat_alerts_on_no_data(
    recorder: Recorder,
) -> None:
    recorder.run(_build)
    integration = recorder.one(INTEGRATION).inputs
    assert integration["awsAccountId"] == MANAGEMENT_ACCOUNT
    # The role is the identity stack's, trusted with the external ID this integration returns.
    assert integration["authConfig"] == {"awsAuthConfigRole": {"roleName": "DatadogIntegrationRole"}}
    # No log source: the identity stack subscribes the forwarder to the trail bucket explicitly.
    assert integration["logsConfig"] == {"lambdaForwarder": {"lambdas": [FORWARDER], "sources": []}}
    heartbeat = recorder.by_name("identity-monitors/trail-logs-heartbeat").inputs
    assert heartbeat["type"] == "metric alert"
    assert heartbeat["query"] == (
        "sum(last_12h):sum:frontdoor.identity.aws.assume_role_with_saml{*}.as_count() < 1"
    )
    assert heartbeat["notifyNoData"] is True
    assert heartbeat["noDataTimeframe"] == 1440  # twice the 12 h window, as Datadog recommends
    assert heartbeat["monitorThresholds"] == {"critical": "1"}
    notifying = {m.name for m in recorder.of_type(MONITOR) if m.inputs.get("notifyNoData")}
    assert notifying == {"identity-monitors/trail-logs-heartbeat"}


def test_log_monitors_are_checked_queries_with_config_thresholds(recorder: Recorder) -> None:
    recorder.run(lambda: _build(thresholds={"failedSignIns": 10}, tags=["team:platform"]))
    failed = recorder.by_name("identity-monitors/failed-okta-sign-ins").inputs
    assert failed["type"] == "log alert"
    assert failed["query"].endswith('.last("15m") > 10')
    assert failed["monitorThresholds"] == {"critical": "10"}
    assert failed["tags"] == ["team:platform"]
    assert failed["message"].endswith("@slack-identity")
    for monitor in recorder.of_type(MONITOR):
        if monitor.inputs["type"] == "log alert":
            search = monitor.inputs["query"].split('logs("', 1)[1].split('").index', 1)[0].replace('\\"', '"')
            check_log_query(search)
    metric = recorder.by_name("identity-monitors/assume-role-with-saml").inputs
    assert metric["groupBies"] == [
        {"path": "@userIdentity.userName", "tagName": "user"},
        {"path": "@recipientAccountId", "tagName": "account"},
    ]


def test_slo_and_its_burn_rate_alert(recorder: Recorder) -> None:
    recorder.run(_build)
    slo = recorder.one(SLO).inputs
    assert slo["type"] == "metric"
    assert slo["query"] == {
        "numerator": "sum:frontdoor.identity.okta.aws_sso{outcome:success}.as_count()",
        "denominator": "sum:frontdoor.identity.okta.aws_sso{*}.as_count()",
    }
    assert slo["thresholds"] == [{"timeframe": "30d", "target": 99.9}]
    burn = recorder.by_name("identity-monitors/sso-burn-rate").inputs
    assert burn["type"] == "slo alert"
    assert burn["query"] == (
        'burn_rate("identity-monitors/sso-availability-id").over("30d").long_window("1h")'
        '.short_window("5m") > 14.4'
    )


def test_new_value_rule_only_behind_the_flag(recorder: Recorder) -> None:
    recorder.run(lambda: _build(siemNewValueRule=True))
    rule = recorder.one(SIEM).inputs
    assert rule["type"] == "log_detection"
    assert rule["options"]["detectionMethod"] == "new_value"
    assert rule["queries"] == [
        {
            "name": "assume_role_with_saml",
            "query": "source:cloudtrail @eventSource:sts.amazonaws.com @eventName:AssumeRoleWithSAML",
            "aggregation": "new_value",
            "metrics": ["@recipientAccountId"],
            "groupByFields": ["@userIdentity.userName"],
        }
    ]
