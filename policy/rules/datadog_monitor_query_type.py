"""A Datadog monitor's query is the kind of query its type evaluates.

Datadog's Create a monitor API (docs.datadoghq.com/api/latest/monitors/create-a-monitor, "Query Types")
gives one query form per monitor type, for example:

- metric alert / query alert: `time_aggr(time_window):space_aggr:metric{tags} [by {key}] operator #`
  (also `change(...)`/`pct_change(...)` and `forecast`'s `next_` window);
- log alert: `logs(query).index(index_name).rollup(rollup_method[, measure]).last(time_window) operator #`;
- slo alert: `error_budget("slo_id").over("time_window") operator #` or `burn_rate("slo_id")...`;
- service check: `"check".over(tags).last(count).by(group).count_by_status()`;
- event-v2 alert `events(...)`, process alert `processes(...)`, rum alert `rum(...)`, audit alert
  `audits(...)`, trace-analytics alert `trace-analytics(...)`, ci-pipelines alert `ci-pipelines(...)`,
  ci-tests alert `ci-tests(...)`, error-tracking alert `error-tracking-rum(...)`/`error-tracking-traces(...)`,
  database-monitoring alert `database-monitoring(...)`, network-performance alert `network-performance(...)`;
- composite: monitor ids joined by `&&`, `||`, `!` and parentheses.

A monitor whose query is another type's (a `metric alert` over `logs(...)`) does not watch what its
name promises: Datadog refuses some at creation and evaluates others as something else.

The type itself must be one Datadog has: the `MonitorType` enum of Datadog's v1 API (the OpenAPI spec
the official clients are generated from; datadog-api-client-ruby `DatadogAPIClient::V1::MonitorType`,
to which pulumi_datadog's `Monitor.type` docstring defers: "The mapping from these types ... can be
found in the Datadog API documentation page"). A type outside it (`logs alert` for `log alert`) is
refused. The types Datadog has whose query form is not listed above (event alert, synthetics alert,
cost alert, data-quality alert, network-path alert) are accepted without judging their query.

Unknown at preview: an unknown `type` or `query` defers the rule (the SLO burn-rate monitor's query
names the SLO's id, unknown until the SLO exists).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import DATADOG_MONITOR, defer, plain

NAME = "datadog-monitor-query-type"
DESCRIPTION = "A Datadog monitor's query has the form its type evaluates (Datadog API: monitor query types)."
ENFORCEMENT = EnforcementLevel.MANDATORY

_METRIC = re.compile(
    r"^\s*(?:[a-z_]+\(\s*(?:last|next)_\w+\s*\)"
    r"|(?:pct_)?change\(\s*[a-z_]+\(\s*last_\w+\s*\)\s*,\s*last_\w+\s*\))\s*:"
)


def _function(*names: str) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + "|".join(re.escape(n) for n in names) + r")\(")


# (kind of query, its pattern, the form Datadog documents, the types that evaluate it)
QUERY_KINDS: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    (
        "metric",
        _METRIC,
        "time_aggr(time_window):space_aggr:metric{tags} operator #",
        ("metric alert", "query alert"),
    ),
    (
        "log",
        _function("logs"),
        "logs(query).index(index_name).rollup(rollup_method).last(time_window) operator #",
        ("log alert",),
    ),
    (
        "SLO",
        _function("error_budget", "burn_rate"),
        'error_budget("slo_id").over("time_window") operator #',
        ("slo alert",),
    ),
    (
        "service check",
        re.compile(r'^\s*"[^"]+"\.over\('),
        '"check".over(tags).last(count).by(group).count_by_status()',
        ("service check",),
    ),
    (
        "event",
        _function("events"),
        "events(query).rollup(...).last(time_window) operator #",
        ("event-v2 alert",),
    ),
    ("process", _function("processes"), "processes(search).over(tags)...", ("process alert",)),
    ("RUM", _function("rum"), "rum(query).rollup(...).last(time_window) operator #", ("rum alert",)),
    (
        "audit",
        _function("audits"),
        "audits(query).rollup(...).last(time_window) operator #",
        ("audit alert",),
    ),
    (
        "trace analytics",
        _function("trace-analytics"),
        "trace-analytics(query).rollup(...).last(time_window) operator #",
        ("trace-analytics alert",),
    ),
    ("CI pipeline", _function("ci-pipelines"), "ci-pipelines(query)...", ("ci-pipelines alert",)),
    ("CI test", _function("ci-tests"), "ci-tests(query)...", ("ci-tests alert",)),
    (
        "error tracking",
        _function("error-tracking-rum", "error-tracking-traces"),
        "error-tracking-rum(query)... or error-tracking-traces(query)...",
        ("error-tracking alert",),
    ),
    (
        "database monitoring",
        _function("database-monitoring"),
        "database-monitoring(query)...",
        ("database-monitoring alert",),
    ),
    (
        "network performance",
        _function("network-performance"),
        "network-performance(query)...",
        ("network-performance alert",),
    ),
    ("composite", re.compile(r"^[\s0-9()&|!]+$"), "monitor ids joined by && || ! ( )", ("composite",)),
)
_FORM_BY_TYPE = {t: (kind, pattern, form) for kind, pattern, form, types in QUERY_KINDS for t in types}

# Datadog's v1 `MonitorType` enum, in the spec's order (datadog-api-client-ruby
# lib/datadog_api_client/v1/models/monitor_type.rb, generated from Datadog's OpenAPI spec).
MONITOR_TYPES: tuple[str, ...] = (
    "composite",
    "event alert",
    "log alert",
    "metric alert",
    "process alert",
    "query alert",
    "rum alert",
    "service check",
    "synthetics alert",
    "trace-analytics alert",
    "slo alert",
    "event-v2 alert",
    "audit alert",
    "ci-pipelines alert",
    "ci-tests alert",
    "error-tracking alert",
    "database-monitoring alert",
    "network-performance alert",
    "cost alert",
    "data-quality alert",
    "network-path alert",
)


def findings(props: Mapping[str, Any], name: str) -> list[str]:
    values = plain(props)
    monitor_type, query = values.get("type"), values.get("query")
    defer(monitor_type, "type")
    monitor = f'Datadog monitor "{values.get("name") or name}"'
    if monitor_type not in MONITOR_TYPES:
        return [
            f"{monitor} has type {monitor_type!r}, which is not a Datadog monitor type (Datadog API v1 "
            f"MonitorType: {', '.join(MONITOR_TYPES)}), so the monitor cannot be created; use one of them"
        ]
    if monitor_type not in _FORM_BY_TYPE:
        return []
    defer(query, "query")
    kind, pattern, form = _FORM_BY_TYPE[monitor_type]
    if not isinstance(query, str) or not pattern.match(query):
        actual = next((k for k, p, _, _ in QUERY_KINDS if isinstance(query, str) and p.match(query)), None)
        what = f"a {actual} query" if actual else "no query Datadog documents for it"
        fix = (
            f'set type="{next(t for k, _, _, ts in QUERY_KINDS if k == actual for t in ts)}" or write '
            if actual
            else "write "
        )
        return [
            f'{monitor} is type "{monitor_type}" but its query {_shown(query)} is {what}; a {monitor_type} '
            f"evaluates {form} (Datadog API, Create a monitor: query types); {fix}a {kind} query"
        ]
    return []


def _shown(query: Any) -> str:
    text = query if isinstance(query, str) else repr(query)
    return f'"{text[:80]}..."' if len(text) > 80 else f'"{text}"'


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != DATADOG_MONITOR:
        return
    for message in findings(args.props, args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
