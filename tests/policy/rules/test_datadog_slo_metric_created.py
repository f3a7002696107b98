from typing import Any

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import datadog_slo_metric_created as rule
from rules._common import DATADOG_LOGS_METRIC, DATADOG_SLO

from ..conftest import UNKNOWN, Res, run_stack

METRIC = Res(DATADOG_LOGS_METRIC, "okta-aws-sso", {"name": "frontdoor.okta.aws_sso"})
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
            "cannot check the SLOs' metrics: pack config externalMetrics must be a list of strings, got "
            "'aws.*'; fix the pack config",
        )
    ]


@pytest.mark.parametrize(
    "resources",
    [
        [METRIC, slo(UNKNOWN)],
        [METRIC, slo({**OK_QUERY, "numerator": UNKNOWN})],
        [Res(DATADOG_LOGS_METRIC, "m", {"name": UNKNOWN}), slo()],
    ],
)
def test_unknown_values_defer(resources: list[Res]) -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, resources)
