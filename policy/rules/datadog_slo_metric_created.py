"""Metric SLOs and metric monitors measure metrics that exist, with tags those metrics carry.

frontdoor's SSO availability SLO divides two counts of a log-based metric the same stack creates
(`datadog.LogsMetric`, frontdoor/domain/documents/observability.py), and its CloudTrail heartbeat is a
metric monitor over another. A query over a metric nothing creates (a typo, a renamed metric) has no
data: Datadog shows "no data" rather than failing, the SLO's burn-rate alert never fires, and a metric
monitor without `notifyNoData` never alerts. The same holds for a scope on a tag the metric does not
carry: `{outcome:success}` over a log-based metric without an `outcome` group-by matches no series.

Judged: the numerator and denominator of every metric SLO, and the query of every `metric alert` /
`query alert` monitor. Each metric term of Datadog's metric query syntax,
`[<space_aggregation>:]<metric>{<scope>}` (docs.datadoghq.com/metrics/#anatomy-of-a-metric-query; the
space aggregation is optional, Datadog then averages across the scope, so an aggregator-less term is
read too), must name:

- the `name` of a LogsMetric of the stack, and then every tag key its scope filters on must be one of
  that LogsMetric's `groupBies` tag names (Datadog API, Create a log-based metric: `group_by[].tag_name`,
  "Eventual name of the tag that gets created. By default, the path attribute is used as the tag
  name"): the group-bys are the only tags a log-based metric has;
- or a metric listed in the rule's `externalMetrics` config (a trailing `*` matches a prefix), whose
  tags are not judged.

No namespace is taken as Datadog's own by default, `aws.*` included: an integration metric exists only
where that integration is installed and collecting, which nothing in the stack shows (the monitoring
stack's AWS integration has metric collection off, components/datadog_monitors.py), and Datadog counts
any metric not submitted by one of its integrations, log-based ones included, as a custom metric
(docs.datadoghq.com/metrics/custom_metrics). An integration metric a query relies on is declared in
`externalMetrics`. A numerator, denominator or metric-monitor query in which no metric term is found
is a violation too: whatever it measures is not something this rule can show exists. Monitor-based and
time-slice SLOs, and monitors of other types, are not judged.

Unknown at preview: an unknown SLO query, monitor type or query, metric name or group-by defers the rule.
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
    DATADOG_MONITOR,
    DATADOG_SLO,
    StackResource,
    config_str_list,
    defer,
    of_type,
    stack_view,
)

NAME = "datadog-slo-metric-created"
DESCRIPTION = (
    "Metric SLOs and metric monitors measure metrics the stack creates (LogsMetric), filtered on tags "
    "those metrics carry, or metrics the config declares external."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "externalMetrics": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Metrics an SLO or metric monitor may use that no resource of the stack "
            "creates (a trailing * matches a prefix).",
        }
    }
)

# One metric term of Datadog's metric query syntax: an optional space aggregation, the metric name (a
# letter, then ASCII letters, digits, `_` and `.`: docs.datadoghq.com/metrics/custom_metrics, "Naming
# custom metrics") right before its `{scope}`. The look-behind keeps a match from starting inside a
# longer name; the name cannot be `by`, which only precedes the `{...}` of a group-by clause.
_METRIC_TERM = re.compile(r"(?<![A-Za-z0-9_.])(?!by\{)([A-Za-z][A-Za-z0-9_.]*)\{([^{}]*)\}")
# The scope's boolean syntax (`AND`, `OR`, `NOT`, `key IN (a, b)`, `key NOT IN (...)`) around its tags.
_SCOPE_IN = re.compile(r"([^\s,()!]+)\s+(?:NOT\s+)?IN\s*\([^)]*\)", re.IGNORECASE)
_SCOPE_WORDS = frozenset({"and", "or", "not"})
METRIC_MONITOR_TYPES = ("metric alert", "query alert")


def metric_terms(query: str) -> list[tuple[str, str]]:
    """(metric name, scope) of each metric term of a Datadog metric query, in order."""
    return [(m.group(1), m.group(2)) for m in _METRIC_TERM.finditer(query)]


def scope_tag_keys(scope: str) -> list[str]:
    """The tag keys a metric query's scope filters on, sorted: `outcome:success, !env:dev` -> outcome, env.

    A tag without a value (`prod`) is its own key; `*` (everything) filters on none."""
    keys = {m.group(1) for m in _SCOPE_IN.finditer(scope)}
    rest = _SCOPE_IN.sub(" ", scope)
    for token in re.split(r"[\s,()]+", rest):
        tag = token.lstrip("!-")
        if not tag or tag == "*" or tag.lower() in _SCOPE_WORDS:
            continue
        keys.add(tag.split(":", 1)[0])
    return sorted(keys)


def _tag_names(metric: StackResource) -> set[str]:
    group_bys = metric.props.get("groupBies")
    defer(group_bys, "groupBies")
    names: set[str] = set()
    for group_by in group_bys if isinstance(group_bys, list) else []:
        if not isinstance(group_by, Mapping):
            continue
        tag, path = group_by.get("tagName"), group_by.get("path")
        defer(tag, "groupBies[].tagName")
        defer(path, "groupBies[].path")
        # Datadog names the tag after the path when no tag name is given (group_by[].tag_name).
        name = tag if isinstance(tag, str) and tag else path
        if isinstance(name, str):
            names.add(name)
    return names


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        external = config_str_list(config, "externalMetrics")
    except ValueError as error:
        return [(None, f"cannot check the SLOs' and metric monitors' metrics: {error}; fix the pack config")]
    created: dict[str, set[str]] = {}
    for metric in of_type(resources, DATADOG_LOGS_METRIC):
        name = metric.props.get("name")
        defer(name, "name")
        if isinstance(name, str):
            created.setdefault(name, set()).update(_tag_names(metric))
    messages: list[tuple[str | None, str]] = []
    for query_owner, where, text, consequence in _metric_queries(resources):
        for problem in _problems(text, created, external, consequence):
            messages.append((query_owner.urn, f"{where} {problem}"))
    return messages


# What a query without data does, by owner.
SLO_NO_DATA = "the SLO has no data and its burn-rate alert never fires"
MONITOR_NO_DATA = (
    "the monitor has no data: its threshold never fires, and with notifyNoData it alerts from the start, "
    "on nothing"
)


def _metric_queries(resources: Sequence[StackResource]) -> list[tuple[StackResource, str, Any, str]]:
    """(resource, what it is, query text, what no data does) of every metric SLO part and metric monitor."""
    queries: list[tuple[StackResource, str, Any, str]] = []
    for slo in of_type(resources, DATADOG_SLO):
        if slo.props.get("type") != "metric":
            continue
        query = slo.props.get("query")
        defer(query, "query")
        parts = query if isinstance(query, Mapping) else {}
        for part in ("numerator", "denominator"):
            text = parts.get(part)
            defer(text, f"query.{part}")
            queries.append(
                (slo, f'Datadog SLO "{slo.props.get("name") or slo.name}" {part}', text, SLO_NO_DATA)
            )
    for monitor in of_type(resources, DATADOG_MONITOR):
        monitor_type = monitor.props.get("type")
        defer(monitor_type, "type")
        if monitor_type not in METRIC_MONITOR_TYPES:
            continue
        text = monitor.props.get("query")
        defer(text, "query")
        queries.append(
            (
                monitor,
                f'Datadog {monitor_type} monitor "{monitor.props.get("name") or monitor.name}"',
                text,
                MONITOR_NO_DATA,
            )
        )
    return queries


def _problems(
    text: Any, created: Mapping[str, set[str]], external: Sequence[str], consequence: str
) -> list[str]:
    terms = metric_terms(text) if isinstance(text, str) else []
    if not terms:
        return [
            f"{_shown(text)} names no metric as Datadog's metric query syntax writes one "
            "([<aggregation>:]<metric>{<scope>}), so nothing shows it measures a metric that exists; "
            "write it as <aggregation>:<metric>{<scope>}"
        ]
    problems: list[str] = []
    for metric_name, scope in terms:
        if metric_name in created:
            tags = created[metric_name]
            missing = [key for key in scope_tag_keys(scope) if key not in tags]
            if missing:
                problems.append(
                    f"filters {metric_name} on tag {', '.join(missing)}, which its LogsMetric does not "
                    f"create (its group-by tags: {', '.join(sorted(tags)) or 'none'}), so the scope "
                    f"{{{scope}}} matches no series and {consequence}; add the group-by to the "
                    "LogsMetric or filter on one of its tags"
                )
        elif not _external(metric_name, external):
            known = ", ".join(sorted(created)) or "none"
            problems.append(
                f"measures {metric_name}, which no LogsMetric of this stack creates (created: {known}), "
                f"so {consequence}; use a created metric, create it, or list it in this rule's "
                "externalMetrics"
            )
    return problems


def _shown(query: Any) -> str:
    text = query if isinstance(query, str) else repr(query)
    return f'"{text[:80]}..."' if len(text) > 80 else f'"{text}"'


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
