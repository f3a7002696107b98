"""A metric SLO measures metrics that exist: each one is created by this stack or declared external.

frontdoor's SSO availability SLO divides two counts of a log-based metric the same stack creates
(`datadog.LogsMetric`, frontdoor/domain/documents/observability.py). An SLO over a metric nothing
creates (a typo, a renamed metric) has no data: Datadog shows it as "no data" rather than failing,
and its burn-rate alert never fires, so the outage it exists for goes unnoticed. Every metric named in
a metric SLO's numerator and denominator (`<aggregation>:<metric>{<scope>}`, Datadog's metric query
syntax) must be the `name` of a LogsMetric in the stack, or be listed in the rule's `externalMetrics`
config (an integration's metric, such as `aws.sqs.*`, that no resource here creates; a trailing `*`
matches a prefix). Monitor-based and time-slice SLOs are not judged.

Unknown at preview: an unknown SLO query or metric name defers the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    DATADOG_LOGS_METRIC,
    DATADOG_SLO,
    StackResource,
    config_str_list,
    defer,
    of_type,
    stack_view,
)

NAME = "datadog-slo-metric-created"
DESCRIPTION = (
    "Metric SLOs measure metrics the stack creates (LogsMetric) or that the config declares external."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "externalMetrics": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Metrics an SLO may use that no resource of the stack creates (a trailing * "
            "matches a prefix).",
        }
    }
)

# `sum:frontdoor.okta.aws_sso{outcome:success}.as_count()`: aggregation, metric name, scope.
_METRIC = re.compile(r"\b[a-z0-9_]+:([A-Za-z][A-Za-z0-9_.]*)\s*\{")


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        external = config_str_list(config, "externalMetrics")
    except ValueError as error:
        return [(None, f"cannot check the SLOs' metrics: {error}; fix the pack config")]
    created: set[str] = set()
    for metric in of_type(resources, DATADOG_LOGS_METRIC):
        name = metric.props.get("name")
        defer(name, "name")
        if isinstance(name, str):
            created.add(name)
    messages: list[tuple[str | None, str]] = []
    for slo in of_type(resources, DATADOG_SLO):
        if slo.props.get("type") != "metric":
            continue
        query = slo.props.get("query")
        defer(query, "query")
        parts = query if isinstance(query, Mapping) else {}
        for part in ("numerator", "denominator"):
            text = parts.get(part)
            defer(text, f"query.{part}")
            for metric_name in _METRIC.findall(text) if isinstance(text, str) else []:
                if metric_name in created or _external(metric_name, external):
                    continue
                known = ", ".join(sorted(created)) or "none"
                messages.append(
                    (
                        slo.urn,
                        f'Datadog SLO "{slo.props.get("name") or slo.name}" {part} measures {metric_name}, '
                        f"which no LogsMetric of this stack creates (created: {known}), so the SLO has no "
                        "data and its burn-rate alert never fires; use a created metric, create it, or list "
                        "it in this rule's externalMetrics",
                    )
                )
    return messages


def _external(metric: str, external: Sequence[str]) -> bool:
    return any(metric == e or (e.endswith("*") and metric.startswith(e[:-1])) for e in external)


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
