from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import datadog_slo_metric_created as rule
from rules._common import DATADOG_LOGS_METRIC, DATADOG_MONITOR, DATADOG_SLO

from ..conftest import UNKNOWN, Res, run_stack

METRIC = Res(
    DATADOG_LOGS_METRIC,
    "okta-aws-sso",
    {"name": "frontdoor.okta.aws_sso", "groupBies": [{"path": "@outcome.result", "tagName": "outcome"}]},
)
HEARTBEAT_QUERY = "sum(last_12h):sum:frontdoor.okta.aws_sso{*}.as_count() < 1"
SLO_NO_DATA = "the SLO has no data and its burn-rate alert never fires"
MONITOR_NO_DATA = (
    "the monitor has no data: its threshold never fires, and with notifyNoData it alerts from the start, "
    "on nothing"
)
OK_QUERY = {
    "numerator": "sum:frontdoor.okta.aws_sso{outcome:success}.as_count()",
    "denominator": "sum:frontdoor.okta.aws_sso{*}.as_count()",
}


def slo(query: Any = OK_QUERY, slo_type: str = "metric") -> Res:
    return Res(
        DATADOG_SLO, "sso-availability", {"name": "SSO availability", "type": slo_type, "query": query}
    )


def test_an_slo_over_a_created_metric_passes() -> None:
    assert run_stack(rule.POLICY, [METRIC, slo()]) == []


def test_an_slo_over_a_metric_nothing_creates_is_refused() -> None:
    query = {**OK_QUERY, "numerator": "sum:frontdoor.okta.aws_sign_ins{outcome:success}.as_count()"}
    assert run_stack(rule.POLICY, [METRIC, slo(query)]) == [
        (
            slo().urn,
            'Datadog SLO "SSO availability" numerator measures frontdoor.okta.aws_sign_ins, which no '
            "LogsMetric of this stack creates (created: frontdoor.okta.aws_sso), so the SLO has no data and "
            "its burn-rate alert never fires; use a created metric, create it, or list it in this rule's "
            "externalMetrics",
        )
    ]


def test_without_any_logs_metric_both_parts_are_refused() -> None:
    reported = run_stack(rule.POLICY, [slo()])
    assert [message.split(" measures ")[0] for _, message in reported] == [
        'Datadog SLO "SSO availability" numerator',
        'Datadog SLO "SSO availability" denominator',
    ]
    assert all("(created: none)" in message for _, message in reported)


@pytest.mark.parametrize("external", [["frontdoor.okta.aws_sso"], ["frontdoor.okta.*"]])
def test_declared_external_metrics_pass(external: list[str]) -> None:
    assert run_stack(rule.POLICY, [slo()], {"externalMetrics": external}) == []


def test_monitor_slos_are_not_judged() -> None:
    assert run_stack(rule.POLICY, [slo({"numerator": "sum:nothing{*}"}, slo_type="monitor")]) == []


def test_bad_config_is_reported() -> None:
    assert run_stack(rule.POLICY, [METRIC, slo()], {"externalMetrics": "aws.*"}) == [
        (
            None,
            "cannot check the SLOs' and metric monitors' metrics: pack config externalMetrics must be a "
            "list of strings, got 'aws.*'; fix the pack config",
        )
    ]


def monitor(query: Any, monitor_type: Any = "metric alert") -> Res:
    return Res(DATADOG_MONITOR, "heartbeat", {"name": "heartbeat", "type": monitor_type, "query": query})


@pytest.mark.parametrize(
    "numerator",
    [
        # Datadog's space aggregation is optional (it then averages): the metric is read all the same.
        "frontdoor.okta.aws_sso{outcome:success}.as_count()",
        "sum:frontdoor.okta.aws_sso{outcome:success,!outcome:failure}.as_count()",
        "sum:frontdoor.okta.aws_sso{outcome IN (success, SUCCESS)}.as_count()",
        "sum:frontdoor.okta.aws_sso{outcome:success} by {outcome}.as_count()",
    ],
)
def test_benign_query_forms_pass(numerator: str) -> None:
    assert run_stack(rule.POLICY, [METRIC, slo({**OK_QUERY, "numerator": numerator})]) == []


def test_an_slo_without_an_aggregator_over_a_metric_nothing_creates_is_refused() -> None:
    # Independent review mutant M28: no space aggregator, and a typo in the metric's name.
    query = {
        "numerator": "frontdoor.okta.aws_ssos{outcome:success}.as_count()",
        "denominator": "frontdoor.okta.aws_ssos{*}.as_count()",
    }
    assert [message for _, message in run_stack(rule.POLICY, [METRIC, slo(query)])] == [
        f'Datadog SLO "SSO availability" {part} measures frontdoor.okta.aws_ssos, which no LogsMetric of '
        f"this stack creates (created: frontdoor.okta.aws_sso), so {SLO_NO_DATA}; use a created metric, "
        "create it, or list it in this rule's externalMetrics"
        for part in ("numerator", "denominator")
    ]


def test_a_part_naming_no_metric_is_refused() -> None:
    query = {**OK_QUERY, "numerator": "sum:frontdoor.okta.aws_sso.as_count()"}
    assert run_stack(rule.POLICY, [METRIC, slo(query)]) == [
        (
            slo().urn,
            'Datadog SLO "SSO availability" numerator "sum:frontdoor.okta.aws_sso.as_count()" names no '
            "metric as Datadog's metric query syntax writes one ([<aggregation>:]<metric>{<scope>}), so "
            "nothing shows it measures a metric that exists; write it as <aggregation>:<metric>{<scope>}",
        )
    ]


def test_a_scope_on_a_tag_the_logs_metric_does_not_create_is_refused() -> None:
    # Independent review mutant M30: the LogsMetric loses its outcome group-by.
    untagged = Res(DATADOG_LOGS_METRIC, "okta-aws-sso", {"name": "frontdoor.okta.aws_sso", "groupBies": []})
    assert run_stack(rule.POLICY, [untagged, slo()]) == [
        (
            slo().urn,
            'Datadog SLO "SSO availability" numerator filters frontdoor.okta.aws_sso on tag outcome, which '
            "its LogsMetric does not create (its group-by tags: none), so the scope {outcome:success} "
            f"matches no series and {SLO_NO_DATA}; add the group-by to the LogsMetric or filter on one of "
            "its tags",
        )
    ]


def test_a_group_by_without_a_tag_name_is_tagged_by_its_path() -> None:
    by_path = Res(
        DATADOG_LOGS_METRIC,
        "okta-aws-sso",
        {"name": "frontdoor.okta.aws_sso", "groupBies": [{"path": "outcome"}]},
    )
    assert run_stack(rule.POLICY, [by_path, slo()]) == []


@pytest.mark.parametrize(
    ("scope", "keys"),
    [
        ("*", []),
        ("outcome:success", ["outcome"]),
        ("!env:dev, outcome:success", ["env", "outcome"]),
        ("env:prod AND NOT (team:a OR team:b)", ["env", "team"]),
        ("service NOT IN (a, b) AND prod", ["prod", "service"]),
    ],
)
def test_scope_tag_keys(scope: str, keys: list[str]) -> None:
    assert rule.scope_tag_keys(scope) == keys


@pytest.mark.parametrize("monitor_type", ["metric alert", "query alert"])
def test_a_metric_monitor_over_a_created_metric_passes(monitor_type: str) -> None:
    assert run_stack(rule.POLICY, [METRIC, monitor(HEARTBEAT_QUERY, monitor_type)]) == []


def test_a_metric_monitor_over_a_metric_nothing_creates_is_refused() -> None:
    # Independent review mutant M31: the heartbeat watches a typo'd metric.
    query = "sum(last_12h):sum:frontdoor.okta.aws_sso_events{*}.as_count() < 1"
    assert run_stack(rule.POLICY, [METRIC, monitor(query)]) == [
        (
            monitor(query).urn,
            'Datadog metric alert monitor "heartbeat" measures frontdoor.okta.aws_sso_events, which no '
            f"LogsMetric of this stack creates (created: frontdoor.okta.aws_sso), so {MONITOR_NO_DATA}; use "
            "a created metric, create it, or list it in this rule's externalMetrics",
        )
    ]


def test_integration_metrics_are_judged_unless_declared_external() -> None:
    query = "avg(last_5m):avg:aws.sqs.approximate_number_of_messages_visible{queuename:x} > 10"
    (reported,) = run_stack(rule.POLICY, [METRIC, monitor(query)])
    assert "measures aws.sqs.approximate_number_of_messages_visible, which no LogsMetric" in reported[1]
    assert run_stack(rule.POLICY, [METRIC, monitor(query)], {"externalMetrics": ["aws.sqs.*"]}) == []


def test_other_monitor_types_are_not_judged() -> None:
    assert run_stack(rule.POLICY, [monitor('logs("x").last("5m") > 0', "log alert")]) == []


@pytest.mark.parametrize(
    "resources",
    [
        [METRIC, monitor(UNKNOWN)],
        [METRIC, monitor(HEARTBEAT_QUERY, UNKNOWN)],
        [Res(DATADOG_LOGS_METRIC, "m", {"name": "frontdoor.okta.aws_sso", "groupBies": UNKNOWN}), slo()],
        [METRIC, slo(UNKNOWN)],
        [METRIC, slo({**OK_QUERY, "numerator": UNKNOWN})],
        [Res(DATADOG_LOGS_METRIC, "m", {"name": UNKNOWN}), slo()],
    ],
)
def test_unknown_values_defer(resources: list[Res]) -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, resources)
