"""A stack that monitors identity in Datadog has the monitors that catch silent identity failures.

If the stack registers Datadog monitors at all (a `frontdoor:datadog:DatadogMonitors` component or any
`datadog:index/monitor:Monitor`), it must have: a monitor on SCIM errors on the AWS side (a query on
`identitystore-scim.amazonaws.com`), one on Okta's provisioning failures (`application.provision`),
and one on IAM user and access key creation (a query naming both `CreateUser` and `CreateAccessKey`).
Provisioning fails silently (users keep old access, leavers keep theirs) and an IAM user is the
bypass of the whole front door: these are the monitors that must not be dropped.

And one heartbeat: a monitor with `notifyNoData` on. Those monitors alert on the presence of events,
so if the logs stop reaching Datadog (the trail bucket's notification, the forwarder) they all stay
green; only a monitor that alerts on no data says so (real-api-audit-2, certain 6).

Unknown at preview: monitors whose query is unknown are not read; if a required monitor is missing
and some query is unknown, the rule is deferred rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    DATADOG_MONITOR,
    DATADOG_MONITORS,
    StackResource,
    is_unknown,
    of_type,
    stack_view,
    unknown_at,
)

NAME = "identity-monitors-present"
DESCRIPTION = (
    "Observability includes the SCIM-error (AWS and Okta) and IAM-user/access-key monitors, and a "
    "no-data heartbeat."
)
HEARTBEAT_FIX = (
    "identity monitoring has no monitor that alerts when the logs stop (notifyNoData), so a broken "
    "delivery to Datadog leaves every monitor green; add a heartbeat: a metric monitor on "
    "frontdoor.identity.aws.assume_role_with_saml with notifyNoData: true and a noDataTimeframe of twice "
    "its window"
)
ENFORCEMENT = EnforcementLevel.MANDATORY

REQUIRED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "SCIM errors in Identity Center",
        ("identitystore-scim.amazonaws.com",),
        "a log monitor on source:cloudtrail @eventSource:identitystore-scim.amazonaws.com @errorCode:*",
    ),
    (
        "Okta provisioning failures",
        ("application.provision",),
        "a log monitor on source:okta @eventType:application.provision.* @outcome.result:FAILURE",
    ),
    (
        "IAM user and access key creation",
        ("CreateUser", "CreateAccessKey"),
        "a log monitor on source:cloudtrail @eventSource:iam.amazonaws.com @eventName:(CreateUser OR "
        "CreateAccessKey ...)",
    ),
)


def findings(resources: Sequence[StackResource]) -> list[tuple[str | None, str]]:
    components = of_type(resources, DATADOG_MONITORS)
    monitors = of_type(resources, DATADOG_MONITOR)
    if not components and not monitors:
        return []
    queries = [m.props.get("query") for m in monitors]
    known = [q for q in queries if isinstance(q, str) and not is_unknown(q)]
    missing = [
        (what, fix) for what, markers, fix in REQUIRED if not any(all(m in q for m in markers) for q in known)
    ]
    if missing and len(known) < len(queries):
        unknown_at("datadog monitor query")
    urn = components[0].urn if components else monitors[0].urn
    found: list[tuple[str | None, str]] = [
        (urn, f"identity monitoring has no monitor for {what}, which fails silently otherwise; add {fix}")
        for what, fix in missing
    ]
    if not any(m.props.get("notifyNoData") is True for m in monitors):
        found.append((urn, HEARTBEAT_FIX))
    return found


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources)):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
