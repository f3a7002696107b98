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

The IAM-user monitor may leave out the break-glass users (their own stack creates them and their
console password), and nobody else: in every monitor whose query names both `CreateUser` and
`CreateAccessKey`, each exclusion of the log search (`-attr:value`, `-attr:(a OR b)`, `NOT attr:value`)
must be on `@requestParameters.userName` (CloudTrail's record of CreateUser/CreateLoginProfile names the
user there) and name exactly the break-glass users, no more, no fewer, no wildcard. A `-@...:*`
exclusion silences every CreateUser. The break-glass users are the `breakGlassUserNames` the
`frontdoor:datadog:DatadogMonitors` component carries (the identity stack's output the monitoring
program reads, components/datadog_monitors.py); a stack without that component has none, so no
exclusion. An exclusion the rule cannot read (a negated group, `NOT (...)` / `-(...)`) is refused as
such. Not checked: which branch of the search an exclusion sits in (that it applies to CreateUser and
not to CreateAccessKey); the program's query builder keeps it on the CreateUser branch
(frontdoor/domain/documents/observability.py).

Unknown at preview: monitors whose query is unknown are not read; if a required monitor is missing
and some query is unknown, the rule is deferred rather than guessed. Unknown break-glass users defer
the exclusion check.
"""

from __future__ import annotations

import re
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
    defer,
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


# The attribute CloudTrail records CreateUser's and CreateLoginProfile's user name in.
USER_NAME_ATTRIBUTE = "@requestParameters.userName"
# The component's record of the break-glass users (components/datadog_monitors.py registers it).
BREAK_GLASS_KEY = "breakGlassUserNames"
IAM_MARKERS = ("CreateUser", "CreateAccessKey")

# One exclusion of a Datadog log search: `-attr:value`, `-attr:(a OR b)`, `NOT attr:value`, with the
# value quoted as the query carries it (`\"a b\"` inside `logs("...")`) or bare.
_EXCLUSION = re.compile(
    r'(?:(?<=[\s(])|^)(?:-|NOT\s+)(@?[A-Za-z0-9_.\-]+):(\([^()]*\)|\\?"[^"\\]*\\?"|[^\s()"]+)'
)
# What is left of a negation once the readable exclusions are taken out: one the rule cannot read.
_OTHER_NEGATION = re.compile(r"(?:(?<=[\s(])|^)(?:-\S|NOT\b)")


def exclusions(query: str) -> tuple[list[tuple[str, list[str]]], bool]:
    """The (attribute, values) each exclusion of a log query leaves out, and whether some negation
    could not be read as one (a negated group)."""
    found: list[tuple[str, list[str]]] = []
    for match in _EXCLUSION.finditer(query):
        value = match.group(2)
        if value.startswith("(") and value.endswith(")"):
            value = value[1:-1]
        values = [v.replace('\\"', "").strip('"').strip() for v in re.split(r"\s+OR\s+", value.strip())]
        found.append((match.group(1), values))
    return found, bool(_OTHER_NEGATION.search(_EXCLUSION.sub(" ", query)))


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
    # Reported on the component, else on one monitor chosen by URN: registrations are asynchronous, so
    # "the first registered" would move the finding between runs.
    urn = min(c.urn for c in components) if components else min(m.urn for m in monitors)
    found: list[tuple[str | None, str]] = [
        (urn, f"identity monitoring has no monitor for {what}, which fails silently otherwise; add {fix}")
        for what, fix in missing
    ]
    if not any(m.props.get("notifyNoData") is True for m in monitors):
        found.append((urn, HEARTBEAT_FIX))
    found.extend(_exclusion_findings(components, monitors))
    return found


def _exclusion_findings(
    components: Sequence[StackResource], monitors: Sequence[StackResource]
) -> list[tuple[str | None, str]]:
    iam_monitors = [
        m
        for m in monitors
        if isinstance(m.props.get("query"), str)
        and not is_unknown(m.props.get("query"))
        and all(marker in m.props["query"] for marker in IAM_MARKERS)
    ]
    if not iam_monitors:
        return []
    users: set[str] = set()
    for component in components:
        names = component.props.get(BREAK_GLASS_KEY, [])
        defer(names, f"{component.urn}.{BREAK_GLASS_KEY}")
        if isinstance(names, list):
            users.update(name for name in names if isinstance(name, str))
    allowed = (
        f"-{USER_NAME_ATTRIBUTE}:{_or(sorted(users))}"
        if users
        else "none (the stack has no break-glass users)"
    )
    found: list[tuple[str | None, str]] = []
    for monitor in iam_monitors:
        label = f'Datadog monitor "{monitor.props.get("name") or monitor.name}"'
        read, unreadable = exclusions(monitor.props["query"])
        for attribute, values in read:
            if attribute == USER_NAME_ATTRIBUTE and set(values) == users:
                continue
            found.append(
                (
                    monitor.urn,
                    f"{label} excludes {attribute}:{_or(values)} from its IAM user and access key creation "
                    "search, so those creations never alert; the one exclusion allowed leaves out exactly "
                    f"the break-glass users ({', '.join(sorted(users)) or 'none'}, the DatadogMonitors "
                    f"component's {BREAK_GLASS_KEY}): {allowed}",
                )
            )
        if unreadable:
            found.append(
                (
                    monitor.urn,
                    f"{label} negates part of its IAM user and access key creation search in a form this "
                    "rule cannot read (a negated group), so what it leaves out is not shown to be only the "
                    f"break-glass users; write the exclusion as {allowed}",
                )
            )
    return found


def _or(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else "(" + " OR ".join(values) + ")"


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources)):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
