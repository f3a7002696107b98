import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import identity_monitors_present as rule
from rules._common import DATADOG_MONITOR, DATADOG_MONITORS

from ..conftest import UNKNOWN, Res, run_stack

COMPONENT = Res(DATADOG_MONITORS, "identity-monitors", {})
SCIM_AWS = Res(
    DATADOG_MONITOR,
    "scim-aws",
    {
        "query": 'logs("source:cloudtrail @eventSource:identitystore-scim.amazonaws.com @errorCode:*")'
        '.last("15m") > 0'
    },
)
SCIM_OKTA = Res(
    DATADOG_MONITOR,
    "scim-okta",
    {
        "query": 'logs("source:okta @eventType:application.provision.* @outcome.result:FAILURE")'
        '.last("15m") > 0'
    },
)
IAM = Res(
    DATADOG_MONITOR,
    "iam",
    {"query": 'logs("source:cloudtrail @eventName:(CreateUser OR CreateAccessKey)").last("5m") > 0'},
)
HEARTBEAT = Res(
    DATADOG_MONITOR,
    "heartbeat",
    {
        "query": "sum(last_12h):sum:frontdoor.identity.aws.assume_role_with_saml{*}.as_count() < 1",
        "notifyNoData": True,
        "noDataTimeframe": 1440,
    },
)


def test_all_required_monitors_are_compliant() -> None:
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, SCIM_OKTA, IAM, HEARTBEAT]) == []


def test_without_a_no_data_heartbeat_every_monitor_could_stay_green() -> None:
    silent = Res(DATADOG_MONITOR, "heartbeat", {**HEARTBEAT.props, "notifyNoData": False})
    expected = [(COMPONENT.urn, rule.HEARTBEAT_FIX)]
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, SCIM_OKTA, IAM, silent]) == expected
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, SCIM_OKTA, IAM]) == expected


def test_no_observability_is_not_judged() -> None:
    assert run_stack(rule.POLICY, [Res("aws:iam/role:Role", "r", {})]) == []


def test_missing_scim_and_iam_user_monitors_are_violations() -> None:
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_OKTA, HEARTBEAT]) == [
        (
            COMPONENT.urn,
            "identity monitoring has no monitor for SCIM errors in Identity Center, which fails silently "
            "otherwise; add a log monitor on source:cloudtrail @eventSource:identitystore-scim.amazonaws.com "
            "@errorCode:*",
        ),
        (
            COMPONENT.urn,
            "identity monitoring has no monitor for IAM user and access key creation, which fails silently "
            "otherwise; add a log monitor on source:cloudtrail @eventSource:iam.amazonaws.com @eventName:"
            "(CreateUser OR CreateAccessKey ...)",
        ),
    ]


def test_a_monitor_watching_only_users_does_not_count_for_keys() -> None:
    users_only = Res(
        DATADOG_MONITOR, "users", {"query": 'logs("source:cloudtrail @eventName:CreateUser") > 0'}
    )
    (finding,) = run_stack(rule.POLICY, [SCIM_AWS, SCIM_OKTA, users_only, HEARTBEAT])
    assert (
        finding[0] == min(r.urn for r in (SCIM_AWS, SCIM_OKTA, users_only, HEARTBEAT))
        and "IAM user and access key creation" in finding[1]
    )


def test_unknown_queries_defer_only_when_something_is_missing() -> None:
    unknown = Res(DATADOG_MONITOR, "burn", {"query": UNKNOWN})
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, SCIM_OKTA, IAM, HEARTBEAT, unknown]) == []
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, unknown])


GLASS = Res(DATADOG_MONITORS, "identity-monitors", {"breakGlassUserNames": ["breakglass-1", "breakglass-2"]})
IAM_NAME = "frontdoor: IAM user or access key created outside break-glass"


def iam_excluding(exclusion: str) -> Res:
    search = (
        "source:cloudtrail @eventSource:iam.amazonaws.com (@eventName:CreateAccessKey OR "
        f"(@eventName:(CreateUser OR CreateLoginProfile) {exclusion}))"
    )
    escaped = search.replace('"', '\\"')
    return Res(DATADOG_MONITOR, "iam", {"name": IAM_NAME, "query": f'logs("{escaped}").last("5m") > 0'})


def test_excluding_exactly_the_break_glass_users_passes() -> None:
    monitors = [SCIM_AWS, SCIM_OKTA, HEARTBEAT]
    exact = iam_excluding("-@requestParameters.userName:(breakglass-1 OR breakglass-2)")
    assert run_stack(rule.POLICY, [GLASS, *monitors, exact]) == []
    reordered = iam_excluding('NOT @requestParameters.userName:("breakglass-2" OR breakglass-1)')
    assert run_stack(rule.POLICY, [GLASS, *monitors, reordered]) == []


ALLOWED = (
    "the one exclusion allowed leaves out exactly the break-glass users (breakglass-1, breakglass-2, the "
    "DatadogMonitors component's breakGlassUserNames): -@requestParameters.userName:(breakglass-1 OR "
    "breakglass-2)"
)


@pytest.mark.parametrize(
    ("exclusion", "shown"),
    [
        # Independent review mutant M53: every user name excluded, so CreateUser never alerts.
        ("-@requestParameters.userName:*", "@requestParameters.userName:*"),
        ("-@requestParameters.userName:breakglass-*", "@requestParameters.userName:breakglass-*"),
        (
            "-@requestParameters.userName:(breakglass-1 OR breakglass-2 OR deploy-bot)",
            "@requestParameters.userName:(breakglass-1 OR breakglass-2 OR deploy-bot)",
        ),
        ("-@requestParameters.userName:breakglass-1", "@requestParameters.userName:breakglass-1"),
        ("-@userIdentity.arn:*admin*", "@userIdentity.arn:*admin*"),
    ],
)
def test_any_other_exclusion_is_refused(exclusion: str, shown: str) -> None:
    iam = iam_excluding(exclusion)
    assert run_stack(rule.POLICY, [GLASS, SCIM_AWS, SCIM_OKTA, HEARTBEAT, iam]) == [
        (
            iam.urn,
            f'Datadog monitor "{IAM_NAME}" excludes {shown} from its IAM user and access key creation '
            f"search, so those creations never alert; {ALLOWED}",
        )
    ]


def test_without_break_glass_users_no_exclusion_is_allowed() -> None:
    iam = iam_excluding("-@requestParameters.userName:breakglass-1")
    assert run_stack(rule.POLICY, [COMPONENT, SCIM_AWS, SCIM_OKTA, HEARTBEAT, iam]) == [
        (
            iam.urn,
            f'Datadog monitor "{IAM_NAME}" excludes @requestParameters.userName:breakglass-1 from its IAM '
            "user and access key creation search, so those creations never alert; the one exclusion allowed "
            "leaves out exactly the break-glass users (none, the DatadogMonitors component's "
            "breakGlassUserNames): none (the stack has no break-glass users)",
        )
    ]


def test_a_negated_group_is_refused_as_unreadable() -> None:
    iam = iam_excluding("NOT (@requestParameters.userName:breakglass-1)")
    assert run_stack(rule.POLICY, [GLASS, SCIM_AWS, SCIM_OKTA, HEARTBEAT, iam]) == [
        (
            iam.urn,
            f'Datadog monitor "{IAM_NAME}" negates part of its IAM user and access key creation search in a '
            "form this rule cannot read (a negated group), so what it leaves out is not shown to be only the "
            "break-glass users; write the exclusion as -@requestParameters.userName:(breakglass-1 OR "
            "breakglass-2)",
        )
    ]


def test_unknown_break_glass_users_defer() -> None:
    unknown = Res(DATADOG_MONITORS, "identity-monitors", {"breakGlassUserNames": UNKNOWN})
    iam = iam_excluding("-@requestParameters.userName:breakglass-1")
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [unknown, SCIM_AWS, SCIM_OKTA, HEARTBEAT, iam])
