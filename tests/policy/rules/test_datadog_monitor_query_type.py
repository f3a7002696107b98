import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import datadog_monitor_query_type as rule
from rules._common import DATADOG_MONITOR

from ..conftest import UNKNOWN, run_resource

LOG = 'logs("source:okta @outcome.result:FAILURE").index("*").rollup("count").last("5m") > 10'
METRIC = "avg(last_5m):sum:frontdoor.okta.aws_sso{outcome:failure}.as_count() > 10"
BURN = 'burn_rate("abc123").over("30d").long_window("1h").short_window("5m") > 14'


def run(monitor_type: object, query: object) -> list[str]:
    props = {"name": "failed sign-ins", "type": monitor_type, "query": query}
    return run_resource(rule.POLICY, DATADOG_MONITOR, props)


@pytest.mark.parametrize(
    ("monitor_type", "query"),
    [
        ("log alert", LOG),
        ("metric alert", METRIC),
        ("query alert", METRIC),
        ("query alert", "pct_change(avg(last_5m),last_5m):avg:system.load.1{*} > 50"),
        ("query alert", "max(next_1w):forecast(avg:system.disk.in_use{*}, 'linear', 1) >= 0.9"),
        ("slo alert", BURN),
        ("slo alert", 'error_budget("abc123").over("7d") > 50'),
        ("service check", '"datadog.agent.up".over("*").last(2).count_by_status()'),
        ("event-v2 alert", 'events("source:cloudtrail").rollup("count").last("5m") > 0'),
        ("composite", "12345 && (67890 || !111)"),
        ("cost alert", "anything: not judged"),
        ("data-quality alert", "anything: not judged"),
    ],
)
def test_queries_of_their_own_type_pass(monitor_type: str, query: str) -> None:
    assert run(monitor_type, query) == []


def test_metric_alert_over_a_log_query_is_refused() -> None:
    # The query is shown cut at 80 characters.
    assert run("metric alert", LOG) == [
        'Datadog monitor "failed sign-ins" is type "metric alert" but its query "logs("source:okta '
        '@outcome.result:FAILURE").index("*").rollup("count").last("5m"..." is a log query; a metric alert '
        "evaluates time_aggr(time_window):space_aggr:metric{tags} operator # (Datadog API, Create a monitor: "
        'query types); set type="log alert" or write a metric query'
    ]


def test_log_alert_over_a_metric_query_is_refused() -> None:
    assert run("log alert", METRIC) == [
        f'Datadog monitor "failed sign-ins" is type "log alert" but its query "{METRIC}" is a metric query; '
        "a log alert evaluates logs(query).index(index_name).rollup(rollup_method).last(time_window) "
        'operator # (Datadog API, Create a monitor: query types); set type="metric alert" or write a log '
        "query"
    ]


def test_slo_alert_over_something_undocumented_is_refused() -> None:
    assert run("slo alert", "sum:frontdoor.okta.aws_sso{*}") == [
        'Datadog monitor "failed sign-ins" is type "slo alert" but its query "sum:frontdoor.okta.aws_sso{*}" '
        "is no query Datadog documents for it; a slo alert evaluates "
        'error_budget("slo_id").over("time_window") operator # (Datadog API, Create a monitor: query '
        "types); write a SLO query"
    ]


@pytest.mark.parametrize("monitor_type", ["logs alert", "Log Alert", "log", ""])
def test_a_type_datadog_does_not_have_is_refused(monitor_type: str) -> None:
    # Independent review mutant M26: the log monitors typed "logs alert".
    assert run(monitor_type, LOG) == [
        f'Datadog monitor "failed sign-ins" has type {monitor_type!r}, which is not a Datadog monitor type '
        "(Datadog API v1 MonitorType: composite, event alert, log alert, metric alert, process alert, query "
        "alert, rum alert, service check, synthetics alert, trace-analytics alert, slo alert, event-v2 "
        "alert, audit alert, ci-pipelines alert, ci-tests alert, error-tracking alert, database-monitoring "
        "alert, network-performance alert, cost alert, data-quality alert, network-path alert), so the "
        "monitor cannot be created; use one of them"
    ]


@pytest.mark.parametrize(("monitor_type", "query"), [(UNKNOWN, LOG), ("slo alert", UNKNOWN)])
def test_unknown_values_defer(monitor_type: object, query: object) -> None:
    with pytest.raises(UnknownValueError):
        run(monitor_type, query)


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/role:Role", {"type": "metric alert", "query": LOG}) == []
